"""The on-disk index: generations swapped in atomically, plain files, no pickle.

    index/
      CURRENT                 name of the live generation, replaced with os.replace
      gen-20250119T101500-1234/
        manifest.json         schema, model, settings, counts, documents, versions
        chunks.jsonl          one chunk per line (ensure_ascii=False)
        dense.faiss           inner-product index over normalised vectors
        vectors.npy           the same vectors (reused on re-ingest), allow_pickle=False
        lexical/              bm25s index files

A new generation is written completely beside the live one and only then named in
CURRENT, so a crash at any moment leaves the previous index loadable, and a reader that
resolved CURRENT keeps reading one consistent generation.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from ..errors import IndexMismatchError, IndexMissingError
from ..query.restore import DiacriticRestorer
from ..records import Chunk, DocMeta
from .lexical import LexicalIndex

SCHEMA_VERSION = 1
CURRENT = "CURRENT"
_GEN_PREFIX = "gen-"


@dataclass
class StoredIndex:
    path: Path  # the generation folder
    manifest: dict[str, Any]
    chunks: list[Chunk]
    vectors: np.ndarray
    dense: faiss.Index
    metas: dict[str, DocMeta]
    lexical: LexicalIndex

    @cached_property
    def restorer(self) -> DiacriticRestorer:
        """Diacritic restoration for unaccented queries, from this index's passages."""
        return DiacriticRestorer(c.text for c in self.chunks)


def current_generation(index_dir: Path) -> Path | None:
    try:
        name = (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    gen = index_dir / name
    return gen if name and gen.is_dir() else None


def generation_stamp(index_dir: Path) -> str | None:
    """Cheap check for a swapped index: the live generation's name."""
    gen = current_generation(index_dir)
    return gen.name if gen else None


def new_generation(index_dir: Path) -> Path:
    index_dir.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    gen = index_dir / f"{_GEN_PREFIX}{stamp}-{os.getpid()}-{time.monotonic_ns() % 10**6}.part"
    gen.mkdir()
    return gen


def write_generation(
    gen: Path,
    *,
    manifest: dict[str, Any],
    chunks: list[Chunk],
    vectors: np.ndarray,
    lexical: LexicalIndex,
) -> None:
    """Write every file of a generation (still named ``*.part``)."""
    lexical.save(gen / "lexical")
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    index = faiss.IndexFlatIP(int(manifest["model"]["dim"]))
    if len(vectors):
        index.add(vectors)
    faiss.write_index(index, str(gen / "dense.faiss"))
    with open(gen / "vectors.npy", "wb") as f:
        np.save(f, vectors, allow_pickle=False)
    with open(gen / "chunks.jsonl", "w", encoding="utf-8") as f:
        for c in chunks:
            f.write(json.dumps(c.to_json(), ensure_ascii=False) + "\n")
    _write_json(gen / "manifest.json", manifest)


def checkpoint(stage: str) -> None:
    """Fault-injection point for crash tests: with TRACUU_INGEST_PAUSE=<stage>, announce the
    stage in TRACUU_INGEST_PAUSE_FILE and wait there to be killed."""
    if os.environ.get("TRACUU_INGEST_PAUSE") == stage:
        Path(os.environ["TRACUU_INGEST_PAUSE_FILE"]).write_text(stage, encoding="utf-8")
        time.sleep(120)


def publish(index_dir: Path, gen: Path) -> Path:
    """Make ``gen`` the live generation atomically, then drop generations older than the last."""
    final = gen.with_name(gen.name.removesuffix(".part"))
    _fsync_tree(gen)
    os.replace(gen, final)
    checkpoint("renamed")
    previous = current_generation(index_dir)
    tmp = index_dir / f"{CURRENT}.tmp-{os.getpid()}"
    tmp.write_text(final.name + "\n", encoding="utf-8")
    _fsync_file(tmp)
    os.replace(tmp, index_dir / CURRENT)
    _fsync_dir(index_dir)
    checkpoint("published")
    keep = {final.name, previous.name if previous else ""}
    for old in index_dir.glob(f"{_GEN_PREFIX}*"):
        if old.name not in keep and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
    return final


def discard(gen: Path) -> None:
    shutil.rmtree(gen, ignore_errors=True)


def clean_stale_parts(index_dir: Path) -> None:
    """Remove half-written generations left by a crashed ingest."""
    for part in index_dir.glob(f"{_GEN_PREFIX}*.part"):
        shutil.rmtree(part, ignore_errors=True)
    for tmp in index_dir.glob(f"{CURRENT}.tmp-*"):
        tmp.unlink(missing_ok=True)


def read_manifest(index_dir: Path) -> dict[str, Any] | None:
    gen = current_generation(index_dir)
    if gen is None:
        return None
    try:
        return json.loads((gen / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None


def load(index_dir: Path, *, model: str | None = None) -> StoredIndex:
    """Load the live generation; refuse an index of another schema (or another model)."""
    index_dir = Path(index_dir)
    gen = current_generation(index_dir)
    if gen is None:
        raise IndexMissingError(
            f"Chưa có chỉ mục trong '{index_dir}'. Hãy chạy `python ingest.py --index {index_dir}`."
        )
    manifest = json.loads((gen / "manifest.json").read_text(encoding="utf-8"))
    check_compatible(manifest, model=model)
    metas = _metas(manifest)
    chunks, vectors = load_chunks(gen, manifest)
    dense = faiss.read_index(str(gen / "dense.faiss"))
    if dense.ntotal != len(chunks) or len(vectors) != len(chunks):
        raise IndexMismatchError(
            f"Chỉ mục '{index_dir}' không nhất quán ({dense.ntotal} vectơ, {len(chunks)} đoạn). "
            "Hãy chạy `python ingest.py --rebuild`."
        )
    lexical = LexicalIndex.load(gen / "lexical")
    if lexical.n != len(chunks):
        raise IndexMismatchError(
            f"Chỉ mục '{index_dir}' không nhất quán (chỉ mục từ khóa có {lexical.n} đoạn). "
            "Hãy chạy `python ingest.py --rebuild`."
        )
    return StoredIndex(gen, manifest, chunks, vectors, dense, metas, lexical)


def _metas(manifest: dict[str, Any]) -> dict[str, DocMeta]:
    return {d: DocMeta.from_json(info["meta"]) for d, info in manifest["documents"].items()}


def load_chunks(gen: Path, manifest: dict[str, Any]) -> tuple[list[Chunk], np.ndarray]:
    """The chunks and their vectors: all that re-ingest needs to reuse embeddings."""
    metas = _metas(manifest)
    with open(gen / "chunks.jsonl", encoding="utf-8") as f:
        chunks = [Chunk.from_json(json.loads(line), metas) for line in f if line.strip()]
    with open(gen / "vectors.npy", "rb") as f:
        vectors = np.load(f, allow_pickle=False)
    if len(vectors) != len(chunks):
        raise IndexMismatchError(f"{gen}: {len(vectors)} vectors for {len(chunks)} chunks")
    return chunks, vectors


def check_compatible(manifest: dict[str, Any], *, model: str | None = None) -> None:
    schema = manifest.get("schema_version")
    if schema != SCHEMA_VERSION:
        raise IndexMismatchError(
            f"Chỉ mục được tạo với lược đồ phiên bản {schema}, phần mềm cần phiên bản "
            f"{SCHEMA_VERSION}. Hãy chạy `python ingest.py --rebuild`."
        )
    built = manifest.get("model", {}).get("name")
    if model and built != model:
        raise IndexMismatchError(
            f"Chỉ mục được tạo với mô hình '{built}', không phải '{model}'. Hãy chạy "
            f"`python ingest.py --rebuild --model {model}` hoặc bỏ tùy chọn --model."
        )


def _write_json(path: Path, data: dict[str, Any]) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
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
