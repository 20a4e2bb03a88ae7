"""The embedded store: segments on disk, named by an atomically swapped manifest.

    index/
      CURRENT               name of the live generation, replaced with os.replace
      gen-…/manifest.json   schema, model, build settings, the live segments, and every
                            document: its metadata, fingerprint and the segment holding it
      gen-…/lexicon.json    abbreviations (curated and document-defined) for queries
      gen-…/dead/<seg>/     per kept segment, its replaced or removed documents and the
                            syllable counts of their passages, which searches take away
      seg-…/                immutable segments (see segment.py), shared by generations

An ingest writes a new segment for the documents that changed, then a new generation that
names it beside the segments kept, then swaps CURRENT. A crash at any moment leaves the
previous generation loadable; a reader that resolved CURRENT keeps one consistent view.
A document's rows are live only in the segment its manifest entry names, so a replaced
or removed document disappears from queries the moment the new manifest is live.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import IndexMismatchError, IndexMissingError
from .syllables import SyllableCounts

SCHEMA_VERSION = 2
CURRENT = "CURRENT"
GEN_PREFIX = "gen-"
DEAD = "dead"
SEG_PREFIX = "seg-"


def current_generation(index_dir: Path) -> Path | None:
    try:
        name = (Path(index_dir) / CURRENT).read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    gen = Path(index_dir) / name
    return gen if name and gen.is_dir() else None


def generation_stamp(index_dir: Path) -> str | None:
    """Cheap check for a swapped index: the live generation's name."""
    gen = current_generation(index_dir)
    return gen.name if gen else None


def new_folder(index_dir: Path, prefix: str) -> Path:
    """A fresh ``<prefix><stamp>.part`` folder, renamed by ``finish`` once complete."""
    index_dir.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    name = f"{prefix}{stamp}-{os.getpid()}-{time.monotonic_ns() % 10**9}.part"
    return index_dir / name


def finish(folder: Path) -> Path:
    """Flush a complete ``.part`` folder to disk and give it its final name."""
    final = folder.with_name(folder.name.removesuffix(".part"))
    _fsync_tree(folder)
    os.replace(folder, final)
    _fsync_dir(folder.parent)
    return final


def write_generation(
    gen: Path,
    manifest: dict[str, Any],
    lexicon: list[dict[str, Any]],
    dead: dict[str, tuple[list[str], SyllableCounts]],
) -> None:
    gen.mkdir(parents=True)
    _write_json(gen / "lexicon.json", lexicon)
    for segment, (docs, counts) in dead.items():
        counts.save(gen / DEAD / segment)
        _write_json(gen / DEAD / segment / "docs.json", docs)
    _write_json(gen / "manifest.json", manifest)


def stored_copies(documents: dict[str, dict[str, Any]]) -> dict[tuple[str, str], str]:
    """Which document each (segment, name stored as) is now; a copy missing here was
    replaced or removed."""
    return {
        (entry["segment"], entry.get("stored_as", doc)): doc
        for doc, entry in documents.items()
        if "segment" in entry
    }


def read_dead(gen: Path | None, segment: str) -> tuple[list[str], SyllableCounts | None]:
    """The documents of ``segment`` that ``gen`` no longer uses, as stored, and the
    syllable counts of their passages (none: no such documents, or an older index)."""
    folder = gen / DEAD / segment if gen else None
    if folder is None or not (folder / "docs.json").is_file():
        return [], None
    docs = json.loads((folder / "docs.json").read_text(encoding="utf-8"))
    return docs, SyllableCounts.load(folder)


def checkpoint(stage: str) -> None:
    """Fault-injection point for crash tests: with TRACUU_INGEST_PAUSE=<stage>, announce the
    stage in TRACUU_INGEST_PAUSE_FILE and wait there to be killed."""
    if os.environ.get("TRACUU_INGEST_PAUSE") == stage:
        Path(os.environ["TRACUU_INGEST_PAUSE_FILE"]).write_text(stage, encoding="utf-8")
        time.sleep(120)


def publish(index_dir: Path, gen: Path) -> Path:
    """Make ``gen`` live atomically, then drop what neither it nor the previous one uses."""
    final = finish(gen)
    checkpoint("renamed")
    previous = current_generation(index_dir)
    tmp = index_dir / f"{CURRENT}.tmp-{os.getpid()}"
    tmp.write_text(final.name + "\n", encoding="utf-8")
    _fsync_file(tmp)
    os.replace(tmp, index_dir / CURRENT)
    _fsync_dir(index_dir)
    checkpoint("published")
    keep = {final.name, previous.name if previous else ""}
    used: set[str] = set()
    for name in keep:
        if name:
            used.update(read_manifest_at(index_dir / name).get("segments", []))
    for old in index_dir.glob(f"{GEN_PREFIX}*"):
        if old.name not in keep and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
    for seg in index_dir.glob(f"{SEG_PREFIX}*"):
        if seg.name not in used and not seg.name.endswith(".part") and seg.is_dir():
            # A searcher still reading an older generation keeps its open files (POSIX).
            shutil.rmtree(seg, ignore_errors=True)
    return final


def discard(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def clean_stale_parts(index_dir: Path) -> None:
    """Remove half-written folders left by a crashed ingest."""
    for prefix in (GEN_PREFIX, SEG_PREFIX):
        for part in index_dir.glob(f"{prefix}*.part"):
            shutil.rmtree(part, ignore_errors=True)
    for tmp in index_dir.glob(f"{CURRENT}.tmp-*"):
        tmp.unlink(missing_ok=True)


def read_manifest_at(gen: Path) -> dict[str, Any]:
    try:
        return json.loads((gen / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def read_manifest(index_dir: Path) -> dict[str, Any] | None:
    gen = current_generation(index_dir)
    return read_manifest_at(gen) or None if gen else None


def live_generation(index_dir: Path) -> tuple[Path, dict[str, Any]]:
    """The live generation and its manifest; refuse a missing or old-schema index."""
    index_dir = Path(index_dir)
    gen = current_generation(index_dir)
    if gen is None:
        raise IndexMissingError(
            f"Chưa có chỉ mục trong '{index_dir}'. Hãy chạy `python ingest.py --index {index_dir}`."
        )
    manifest = read_manifest_at(gen)
    schema = manifest.get("schema_version")
    if schema != SCHEMA_VERSION:
        raise IndexMismatchError(
            f"Chỉ mục được tạo với lược đồ phiên bản {schema}, phần mềm cần phiên bản "
            f"{SCHEMA_VERSION}. Hãy chạy `python ingest.py --rebuild`."
        )
    return gen, manifest


def read_lexicon(gen: Path) -> list[dict[str, Any]]:
    return json.loads((gen / "lexicon.json").read_text(encoding="utf-8"))


def check_model(manifest: dict[str, Any], model: str | None) -> None:
    built = manifest.get("model", {}).get("name")
    if model and built != model:
        raise IndexMismatchError(
            f"Chỉ mục được tạo với mô hình '{built}', không phải '{model}'. Hãy chạy "
            f"`python ingest.py --rebuild --model {model}` hoặc bỏ tùy chọn --model."
        )


def mapped(path: Path) -> np.ndarray:
    """A saved array, memory-mapped read-only, as a plain ndarray view: indexing a
    ``np.memmap`` costs a subclass object per access, which a query does hundreds of times."""
    return np.asarray(np.load(path, mmap_mode="r", allow_pickle=False))


def _write_json(path: Path, data: Any) -> None:
    # One line, by the C encoder: an archive's manifest runs to megabytes, and indenting
    # it takes the pure-Python encoder (seconds per ingest). `python -m json.tool` reads it.
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps(data, ensure_ascii=False))
        f.write("\n")


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as f:
        os.fsync(f.fileno())


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _fsync_tree(root: Path) -> None:
    for p in root.rglob("*"):
        if p.is_file():
            _fsync_file(p)
    _fsync_dir(root)
