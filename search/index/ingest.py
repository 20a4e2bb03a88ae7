"""Build or update the index from a corpus folder; the cost is that of the change.

Files are compared with the live index by content hash. Unchanged files stay where they
are, in the segments that hold them; renamed ones keep their passages under the new name;
new and changed files are read (extract, parse, chunk) in sandboxed worker processes
(workers.py), so no file can stop the ingest; their passages (reusing the vector of every
passage whose encoder text was embedded before by the same model) go into one new
segment. A new manifest names the kept segments and the new one, and is swapped in only
when complete. Past ``MAX_SEGMENTS`` segments, or with ``optimize``, segments are merged.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from ..errors import IngestLockedError
from ..extract import os_problem
from ..records import Chunk, DocMeta
from ..structure.sidecar import sidecar_path
from ..text.display import display_name
from . import store
from .chunker import ChunkerSettings
from .corpus import list_corpus
from .encoder import Encoder
from .merge import merge_plan
from .reading import ReadResult, ReadStats, ReadTask, max_passages
from .segment import Segment, embed_hash
from .workers import Limits, read_all
from .writer import LEXICAL_VERSION, PARSER_VERSION, IndexWriter

EMBED_BATCH = 64

KEPT_INDEX = "không có văn bản nào lập chỉ mục được: giữ nguyên chỉ mục hiện có"
NOTHING_INDEXED = "chưa có văn bản nào được lập chỉ mục"


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (copy, indexed as)
    # (file, problem) and (file, warning), the name escaped so each pair prints as one
    # line; a failed file is not indexed (a file indexed before keeps its passages).
    failed: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    collapsed: int = 0  # identical passages within a file kept once
    embedded_chunks: int = 0
    encode_seconds: float = 0.0  # of ``seconds``, the time the encoder took
    total_chunks: int = 0
    segments: int = 0
    merged: int = 0  # segments merged away by this run
    seconds: float = 0.0
    index_written: bool = False
    note: str = ""  # ends the summary: nothing indexed, or the index kept as it was
    reads: dict[str, ReadStats] = field(default_factory=dict)  # per file read in this run

    def to_json(self) -> dict[str, Any]:
        return {
            "added": len(self.added),
            "updated": len(self.updated),
            "removed": len(self.removed),
            "unchanged": len(self.unchanged),
            "renamed": len(self.renamed),
            "duplicates": len(self.duplicates),
            "embedded_chunks": self.embedded_chunks,
            "total_chunks": self.total_chunks,
            "segments": self.segments,
            "failed": [{"file": f, "error": e} for f, e in self.failed],
            "warnings": [{"file": f, "warning": w} for f, w in self.warnings],
            "collapsed_passages": self.collapsed,
            "note": self.note,
            "seconds": round(self.seconds, 3),
        }

    def summary(self) -> str:
        """One Vietnamese line, e.g. 'thêm 1, cập nhật 0, xóa 0, giữ nguyên 5 — ...'."""
        parts = [
            f"thêm {len(self.added)}",
            f"cập nhật {len(self.updated)}",
            f"xóa {len(self.removed)}",
            f"giữ nguyên {len(self.unchanged)}",
        ]
        if self.renamed:
            parts.append(f"đổi tên {len(self.renamed)}")
        if self.duplicates:
            parts.append(f"trùng nội dung {len(self.duplicates)}")
        if self.failed:
            parts.append(f"lỗi {len(self.failed)}")
        if self.warnings:
            parts.append(f"cảnh báo {len(self.warnings)}")
        if self.collapsed:
            parts.append(f"gộp {self.collapsed} đoạn trùng")
        if self.merged:
            parts.append(f"gộp {self.merged} phân đoạn")
        secs = f"{self.seconds:.1f}".replace(".", ",")
        line = (
            ", ".join(parts)
            + f" — đã mã hóa {self.embedded_chunks} đoạn trong {secs} s"
            + f" ({self.total_chunks} đoạn trong chỉ mục)"
        )
        return f"{line} — {self.note}" if self.note else line


@contextmanager
def ingest_lock(index_dir: Path) -> Iterator[None]:
    """One ingest per index at a time; the OS drops the lock if the process dies."""
    index_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(index_dir / ".ingest.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise IngestLockedError(
                f"Một tiến trình lập chỉ mục khác đang ghi vào '{index_dir}'. "
                "Hãy chờ tiến trình đó xong rồi chạy lại."
            ) from exc
        yield
    finally:
        os.close(fd)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _fingerprint(path: Path) -> str:
    """Content hash of the file plus its sidecar metadata, which changes citations too."""
    digest = _sha256(path)
    side = sidecar_path(path)
    if side.is_file():  # a regular file: reading a pipe would block forever
        digest = hashlib.sha256((digest + _sha256(side)).encode()).hexdigest()
    return digest


@dataclass
class _Previous:
    """The live index, as far as ingest needs it."""

    manifest: dict[str, Any]
    segments: list[Segment]
    reusable: bool  # same parser, chunker and analysis: unchanged files keep their rows

    def close(self) -> None:
        for seg in self.segments:
            seg.close()


@dataclass
class _Plan:
    """The next manifest's documents: kept entries, and fresh passages to write."""

    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    fresh: list[tuple[DocMeta, list[Chunk]]] = field(default_factory=list)


def build(
    corpus: Path,
    index_dir: Path,
    encoder: Encoder,
    *,
    rebuild: bool = False,
    optimize: bool = False,
    settings: ChunkerSettings | None = None,
    progress: bool = False,
    extra_manifest: dict[str, Any] | None = None,
    on_progress: Callable[[float, str], None] | None = None,
    readers: int | None = None,
    limits: Limits | None = None,
    workers: int = 0,
) -> IngestReport:
    """Bring ``index_dir`` up to date with ``corpus``; returns what changed.

    ``optimize`` merges all segments into one. ``on_progress(fraction, message)`` is
    called as work advances (for a UI progress bar). ``workers`` processes tokenize the
    passages of a large batch (0: this process).
    New and changed files are read by ``readers`` sandboxed processes (default:
    $TRACUU_PARSE_WORKERS, else up to 2) under ``limits`` (default: ``Limits.from_env()``);
    ``readers=0`` reads them in this process. When no file can be indexed, an index that
    exists is left as it is.
    """
    notify = on_progress or (lambda fraction, message: None)
    t0 = time.perf_counter()
    corpus, index_dir = Path(corpus), Path(index_dir)
    settings = settings or ChunkerSettings()
    report = IngestReport()
    with ingest_lock(index_dir):
        store.clean_stale_parts(index_dir)
        old = None if rebuild else _load_previous(index_dir, encoder, settings)
        try:
            files = list_corpus(corpus, report.warnings)
            notify(0.05, f"Đọc {len(files)} tệp")
            read = partial(
                read_all, workers=readers, limits=limits, progress=progress, notify=notify
            )
            plan = _collect(corpus, files, old, settings, report, read)
            store.checkpoint("parsed")
            chunks = [c for _, doc_chunks in plan.fresh for c in doc_chunks]
            notify(0.2, f"Mã hóa các đoạn mới ({len(chunks)} đoạn)")
            vectors = _embed(chunks, encoder, old, report, progress=progress, notify=notify)
            store.checkpoint("embedded")
            notify(0.9, "Ghi chỉ mục")
            changed = (
                old is None
                or plan.fresh
                or report.removed
                or report.renamed
                or _metadata_changed(old.manifest, plan.documents)
            )
            live = _live_segments(old, plan) if old else []
            merges = merge_plan(live, everything=optimize) if old else []
            report.total_chunks = sum(e.get("chunks", 0) for e in plan.documents.values())
            kept = not plan.documents and _has_documents(index_dir)
            if kept:  # an empty or unreadable corpus never empties a working index
                report.note, report.removed = KEPT_INDEX, []
                report.total_chunks = store.read_manifest(index_dir)["counts"]["chunks"]
            elif not plan.documents:
                report.note = NOTHING_INDEXED
            if (changed or merges) and not kept:
                writer = IndexWriter(
                    index_dir,
                    model={"name": encoder.name, "dim": encoder.dim},
                    chunker=settings.to_json(),
                    documents=plan.documents,
                    kept=old.segments if old else (),
                    workers=workers,
                )
                try:
                    report.merged = writer.merge(merges)
                    if chunks:
                        writer.add_segment(chunks, vectors)
                    store.checkpoint("written")
                    manifest = writer.publish(extra_manifest)
                except BaseException:
                    writer.abort()
                    raise
                report.total_chunks = manifest["counts"]["chunks"]
                report.segments = len(manifest["segments"])
                report.index_written = True
        finally:
            if old is not None:
                old.close()
    report.seconds = time.perf_counter() - t0
    notify(1.0, report.summary())
    return report


def _load_previous(
    index_dir: Path, encoder: Encoder, settings: ChunkerSettings
) -> _Previous | None:
    manifest = store.read_manifest(index_dir)
    if manifest is None or manifest.get("schema_version") != store.SCHEMA_VERSION:
        return None
    if manifest.get("model", {}).get("name") != encoder.name:
        return None  # vectors of another model are useless
    try:
        segments = [Segment(index_dir / name) for name in manifest["segments"]]
    except Exception:  # noqa: BLE001 - a damaged index is simply rebuilt
        return None
    reusable = (
        manifest.get("parser_version") == PARSER_VERSION
        and manifest.get("lexical_version") == LEXICAL_VERSION
        and manifest.get("chunker") == settings.to_json()
    )
    return _Previous(manifest, segments, reusable)


def _collect(
    corpus: Path,
    files: list[Path],
    old: _Previous | None,
    settings: ChunkerSettings,
    report: IngestReport,
    read: Callable[[list[ReadTask]], dict[str, ReadResult]],
) -> _Plan:
    old_docs = old.manifest["documents"] if old else {}
    old_by_hash = {info["fingerprint"]: d for d, info in old_docs.items()}
    present = {f.relative_to(corpus).as_posix() for f in files}
    plan = _Plan()
    first_with: dict[str, str] = {}  # fingerprint → the first file with that content
    copies: list[tuple[str, str]] = []  # (file, first file with the same content)
    problems: dict[str, str] = {}  # file → why it is not indexed
    tasks: list[ReadTask] = []
    root, cap = str(corpus.resolve()), max_passages()
    for path in files:
        rel = path.relative_to(corpus).as_posix()
        try:
            fp = _fingerprint(path)
        except OSError as exc:
            problems[rel] = _unreadable(path, exc)
            continue
        if fp in first_with:
            copies.append((rel, first_with[fp]))
            continue
        first_with[fp] = rel
        prev_name = old_by_hash.get(fp)
        reuse_from = None
        if old and old.reusable and prev_name is not None and _sound(old_docs[prev_name]):
            if prev_name == rel:
                reuse_from = rel
            elif prev_name not in present:
                reuse_from = prev_name
        if reuse_from is not None:
            entry = dict(old_docs[reuse_from])
            entry["stored_as"] = entry.get("stored_as", reuse_from)
            entry["meta"] = dict(entry["meta"], doc=rel, also_as=[])
            plan.documents[rel] = entry
            if reuse_from == rel:
                report.unchanged.append(rel)
            else:
                report.renamed.append((reuse_from, rel))
        else:
            tasks.append(ReadTask(os.path.abspath(path), rel, root, fp, settings, cap))
    # New and changed files, read (extract, parse, chunk) in sandboxed worker processes.
    results = read(tasks)
    for task in tasks:
        rel, result = task.rel, results[task.rel]
        report.reads[rel] = result.stats
        report.warnings.extend((display_name(rel), w) for w in result.warnings)
        report.collapsed += result.collapsed
        if result.problem is not None or result.meta is None:
            problems[rel] = result.problem or ""
            continue
        plan.fresh.append((result.meta, list(result.chunks)))
        plan.documents[rel] = {"fingerprint": task.fingerprint, "meta": result.meta.to_json()}
        (report.updated if rel in old_docs else report.added).append(rel)
    # A copy is indexed once, under the first name, or fails as the first one did.
    for rel, first in copies:
        if first in plan.documents:
            report.duplicates.append((rel, first))
            _add_alias(plan, first, rel)
        else:
            same = problems.get(first, "không đọc được tệp")
            problems[rel] = f"{same} (giống hệt tệp {display_name(first)})"
    order = {f.relative_to(corpus).as_posix(): i for i, f in enumerate(files)}
    for rel in sorted(problems, key=order.__getitem__):
        report.failed.append((display_name(rel), problems[rel]))
        _keep_old(old, rel, plan)
    plan.documents = dict(sorted(plan.documents.items(), key=lambda kv: order[kv[0]]))
    # Metadata may have gained also_as entries after the chunks were built.
    plan.fresh = [
        (meta, [replace(c, meta=_meta(plan, c.doc)) for c in chunks]) for meta, chunks in plan.fresh
    ]
    for doc in old_docs:
        renamed_away = any(a == doc for a, _ in report.renamed)
        if doc not in present and not renamed_away and doc not in plan.documents:
            report.removed.append(doc)
    return plan


def _unreadable(path: Path, exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError) and path.is_symlink():
        return "liên kết trỏ tới tệp không tồn tại"
    return os_problem(exc)


def _sound(entry: dict[str, Any]) -> bool:
    """False for metadata an older version (or a hand edit) stored with values of the wrong
    type: the file is read again, so its passages' citations are rebuilt as well."""
    fixed = DocMeta.from_json(entry["meta"]).to_json()
    return dict(fixed, also_as=list(fixed["also_as"])) == entry["meta"]


def _has_documents(index_dir: Path) -> bool:
    return bool((store.read_manifest(index_dir) or {}).get("documents"))


def _meta(plan: _Plan, doc: str) -> DocMeta:
    return DocMeta.from_json(plan.documents[doc]["meta"])


def _add_alias(plan: _Plan, first: str, copy: str) -> None:
    meta = plan.documents[first]["meta"]
    meta["also_as"] = [*meta.get("also_as", []), copy]


def _keep_old(old: _Previous | None, rel: str, plan: _Plan) -> None:
    """A file that fails now but was indexed before keeps its old passages."""
    if old is not None and rel in old.manifest["documents"]:
        entry = dict(old.manifest["documents"][rel])
        entry.setdefault("stored_as", rel)
        plan.documents[rel] = entry


def _embed(
    chunks: list[Chunk],
    encoder: Encoder,
    old: _Previous | None,
    report: IngestReport,
    *,
    progress: bool,
    notify: Callable[[float, str], None],
) -> np.ndarray:
    """Vectors for ``chunks``: reused from the live segments where the same encoder text was
    embedded before, encoded otherwise."""
    keys = [embed_hash(c.embed_text) for c in chunks]
    known: dict[str, np.ndarray] = {}
    if old is not None:
        wanted = set(keys)
        for seg in old.segments:
            rows = seg.rows_with_embedding([k for k in wanted if k not in known])
            if rows:
                vecs = seg.dense.vectors(np.fromiter(rows.values(), dtype=np.int64))
                known.update(zip(rows, vecs, strict=True))
    texts = {k: c.embed_text for k, c in zip(keys, chunks, strict=True) if k not in known}
    t0 = time.perf_counter()
    todo = sorted(texts, key=lambda k: len(texts[k]))  # similar lengths batch well
    bar = tqdm(total=len(todo), desc="Mã hóa", unit="đoạn", disable=not progress or not todo)
    for start in range(0, len(todo), EMBED_BATCH):
        part = todo[start : start + EMBED_BATCH]
        vecs = encoder.encode_documents([texts[k] for k in part])
        known.update(zip(part, vecs, strict=True))
        bar.update(len(part))
        notify(
            0.2 + 0.7 * (start + len(part)) / len(todo),
            f"Đã mã hóa {start + len(part)}/{len(todo)} đoạn",
        )
    bar.close()
    report.embedded_chunks = len(todo)
    report.encode_seconds = time.perf_counter() - t0
    if not chunks:
        return np.zeros((0, encoder.dim), dtype=np.float32)
    return np.stack([known[k] for k in keys]).astype(np.float32)


def _metadata_changed(manifest: dict[str, Any], documents: dict[str, dict[str, Any]]) -> bool:
    old = manifest["documents"]
    return set(old) != set(documents) or any(
        old[d].get("meta") != e.get("meta") for d, e in documents.items()
    )


def _live_segments(old: _Previous, plan: _Plan) -> list[tuple[str, int, int]]:
    """(name, rows, live rows) of the old segments that still hold a kept document."""
    by_segment: dict[str, int] = {}
    for entry in plan.documents.values():
        if "segment" in entry:
            by_segment[entry["segment"]] = by_segment.get(entry["segment"], 0) + entry["chunks"]
    return [(s.name, s.rows, by_segment[s.name]) for s in old.segments if s.name in by_segment]
