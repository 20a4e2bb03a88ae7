"""Build or update the index from a corpus folder.

Files are compared with the live index by content hash: unchanged files are reused as they
are, renamed ones keep their chunks, new and changed files are parsed; every passage whose
encoder text was embedded before (by the same model) reuses its vector. The new generation
is written beside the live one and swapped in only when complete.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import platform
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from .. import __version__
from ..errors import DocumentError, IngestLockedError
from ..extract import extract, is_candidate, os_problem
from ..query.fusion import FusionSettings
from ..records import Chunk, DocMeta
from ..structure.metadata import read_sidecar
from ..structure.parser import parse_text
from . import store
from .chunker import Chunker, ChunkerSettings, attach_pages
from .encoder import Encoder
from .lexical import Analyzer, LexicalIndex, build_lexicon

PARSER_VERSION = 2  # bump when parsing or chunking changes what chunks a file produces
LEXICAL_VERSION = 4  # bump when lexical analysis (or the curated lexicon) changes


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (copy, indexed as)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, problem)
    embedded_chunks: int = 0
    total_chunks: int = 0
    seconds: float = 0.0
    index_written: bool = False

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
            "failed": [{"file": f, "error": e} for f, e in self.failed],
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
        secs = f"{self.seconds:.1f}".replace(".", ",")
        return (
            ", ".join(parts)
            + f" — đã mã hóa {self.embedded_chunks} đoạn trong {secs} s"
            + f" ({self.total_chunks} đoạn trong chỉ mục)"
        )


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
    side = path.with_name(path.name + ".meta.json")
    if side.exists():
        digest = hashlib.sha256((digest + _sha256(side)).encode()).hexdigest()
    return digest


def list_corpus(corpus: Path) -> list[Path]:
    if not corpus.is_dir():
        raise DocumentError(str(corpus), "không phải là thư mục văn bản")
    out = []
    for root, dirs, files in os.walk(corpus, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            p = Path(root) / name
            if is_candidate(p):
                out.append(p)
    return out


def build(
    corpus: Path,
    index_dir: Path,
    encoder: Encoder,
    *,
    rebuild: bool = False,
    settings: ChunkerSettings | None = None,
    progress: bool = False,
    extra_manifest: dict[str, Any] | None = None,
    on_progress: Callable[[float, str], None] | None = None,
) -> IngestReport:
    """Bring ``index_dir`` up to date with ``corpus``; returns what changed.

    ``on_progress(fraction, message)`` is called as work advances (for a UI progress bar).
    """
    notify = on_progress or (lambda fraction, message: None)
    t0 = time.perf_counter()
    corpus, index_dir = Path(corpus), Path(index_dir)
    settings = settings or ChunkerSettings()
    report = IngestReport()
    with ingest_lock(index_dir):
        store.clean_stale_parts(index_dir)
        old = None if rebuild else _load_previous(index_dir, encoder, settings)
        files = list_corpus(corpus)
        notify(0.05, f"Đọc {len(files)} tệp")
        chunks, metas = _collect(corpus, files, old, settings, report)
        store.checkpoint("parsed")
        notify(0.2, f"Mã hóa các đoạn mới ({len(chunks)} đoạn)")
        vectors = _embed(chunks, encoder, old, report, progress=progress, notify=notify)
        store.checkpoint("embedded")
        notify(0.9, "Ghi chỉ mục")
        report.total_chunks = len(chunks)
        changed = (
            rebuild
            or old is None
            or report.added
            or report.updated
            or report.removed
            or report.renamed
            or _settings_changed(old.manifest, settings)
        )
        if changed:
            manifest = _manifest(encoder, settings, metas, chunks, extra_manifest)
            lexical = build_lexical(chunks)
            gen = store.new_generation(index_dir)
            try:
                store.write_generation(
                    gen, manifest=manifest, chunks=chunks, vectors=vectors, lexical=lexical
                )
                store.checkpoint("written")
                store.publish(index_dir, gen)
            except BaseException:
                store.discard(gen)
                raise
            report.index_written = True
    report.seconds = time.perf_counter() - t0
    notify(1.0, report.summary())
    return report


@dataclass
class _Previous:
    manifest: dict[str, Any]
    chunks_by_doc: dict[str, list[Chunk]]
    vectors_by_text: dict[str, np.ndarray]
    reusable: bool  # same parser and chunker: chunks of unchanged files can be kept


def _load_previous(
    index_dir: Path, encoder: Encoder, settings: ChunkerSettings
) -> _Previous | None:
    manifest = store.read_manifest(index_dir)
    if manifest is None or manifest.get("schema_version") != store.SCHEMA_VERSION:
        return None
    if manifest.get("model", {}).get("name") != encoder.name:
        return None  # vectors of another model are useless
    try:
        chunks, vectors = store.load_chunks(store.current_generation(index_dir), manifest)
    except Exception:  # noqa: BLE001 - a damaged index is simply rebuilt
        return None
    by_doc: dict[str, list[Chunk]] = {}
    by_text: dict[str, np.ndarray] = {}
    for c, v in zip(chunks, vectors, strict=True):
        by_doc.setdefault(c.doc, []).append(c)
        by_text[c.embed_text] = v
    reusable = (
        manifest.get("parser_version") == PARSER_VERSION
        and manifest.get("chunker") == settings.to_json()
    )
    return _Previous(manifest, by_doc, by_text, reusable)


def _collect(
    corpus: Path,
    files: list[Path],
    old: _Previous | None,
    settings: ChunkerSettings,
    report: IngestReport,
) -> tuple[list[Chunk], dict[str, DocMeta]]:
    chunker = Chunker(settings)
    old_docs = old.manifest["documents"] if old else {}
    old_by_hash = {info["fingerprint"]: d for d, info in old_docs.items()}
    present = {f.relative_to(corpus).as_posix() for f in files}
    chunks: list[Chunk] = []
    metas: dict[str, DocMeta] = {}
    seen_hash: dict[str, str] = {}
    for path in files:
        rel = path.relative_to(corpus).as_posix()
        try:
            fp = _fingerprint(path)
        except OSError as exc:
            report.failed.append((rel, os_problem(exc)))
            _keep_old(old, rel, chunks, metas)
            continue
        if fp in seen_hash:
            first = seen_hash[fp]
            report.duplicates.append((rel, first))
            metas[first] = replace(metas[first], also_as=metas[first].also_as + (rel,))
            continue
        prev_name = old_by_hash.get(fp)
        reuse_from = None
        if old and old.reusable and prev_name is not None:
            if prev_name == rel:
                reuse_from = rel
            elif prev_name not in present:
                reuse_from = prev_name
        if reuse_from is not None:
            doc_chunks = old.chunks_by_doc.get(reuse_from, [])  # type: ignore[union-attr]
            meta = replace(
                doc_chunks[0].meta if doc_chunks else DocMeta(doc=rel), doc=rel, also_as=()
            )
            if reuse_from == rel:
                report.unchanged.append(rel)
            else:
                report.renamed.append((reuse_from, rel))
            doc_chunks = [replace(c, meta=meta) for c in doc_chunks]
        else:
            try:
                extracted = extract(path, rel)
                parsed = parse_text(extracted.text, doc=rel, sha256=fp, sidecar=read_sidecar(path))
            except DocumentError as exc:
                report.failed.append((rel, exc.problem if exc.path == rel else str(exc)))
                _keep_old(old, rel, chunks, metas)
                seen_hash[fp] = rel
                continue
            meta = parsed.meta
            doc_chunks = attach_pages(chunker.chunks(parsed), extracted.pages)
            if not doc_chunks:
                report.failed.append((rel, "không tìm thấy nội dung nào để lập chỉ mục"))
                continue
            if rel in old_docs:
                report.updated.append(rel)
            else:
                report.added.append(rel)
        seen_hash[fp] = rel
        metas[rel] = meta
        chunks.extend(doc_chunks)
    # Metadata may have gained also_as entries after the chunks were built.
    chunks = [replace(c, meta=metas[c.doc]) if metas[c.doc] is not c.meta else c for c in chunks]
    for doc in old_docs:
        renamed_away = any(a == doc for a, _ in report.renamed)
        if doc not in present and not renamed_away and doc not in metas:
            report.removed.append(doc)
    return chunks, metas


def _keep_old(
    old: _Previous | None, rel: str, chunks: list[Chunk], metas: dict[str, DocMeta]
) -> None:
    """A file that fails now but was indexed before keeps its old passages."""
    if old is None or rel not in old.chunks_by_doc:
        return
    doc_chunks = old.chunks_by_doc[rel]
    metas[rel] = doc_chunks[0].meta
    chunks.extend(doc_chunks)


def _embed(
    chunks: list[Chunk],
    encoder: Encoder,
    old: _Previous | None,
    report: IngestReport,
    *,
    progress: bool,
    notify: Callable[[float, str], None],
) -> np.ndarray:
    cache = old.vectors_by_text if old else {}
    todo = sorted({c.embed_text for c in chunks if c.embed_text not in cache})
    fresh: dict[str, np.ndarray] = {}
    batch = 64
    bar = tqdm(total=len(todo), desc="Mã hóa", unit="đoạn", disable=not progress or not todo)
    for start in range(0, len(todo), batch):
        part = todo[start : start + batch]
        vecs = encoder.encode_documents(part)
        fresh.update(zip(part, vecs, strict=True))
        done = start + len(part)
        bar.update(len(part))
        notify(0.2 + 0.7 * done / len(todo), f"Đã mã hóa {done}/{len(todo)} đoạn")
    bar.close()
    report.embedded_chunks = len(todo)
    if not chunks:
        return np.zeros((0, encoder.dim), dtype=np.float32)
    return np.stack([fresh.get(c.embed_text, cache.get(c.embed_text)) for c in chunks]).astype(
        np.float32
    )


def _settings_changed(manifest: dict[str, Any], settings: ChunkerSettings) -> bool:
    """Settings that need a new generation even when no file changed (no re-embedding)."""
    return (
        manifest.get("fusion") != FusionSettings().to_json()
        or manifest.get("lexical_version") != LEXICAL_VERSION
        or manifest.get("chunker") != settings.to_json()
        or manifest.get("parser_version") != PARSER_VERSION
    )


def build_lexical(chunks: list[Chunk]) -> LexicalIndex:
    """BM25 over each passage with its document title and headings."""
    texts: dict[str, list[str]] = {}
    for c in chunks:
        texts.setdefault(c.doc, []).append(c.text)
    lexicon = build_lexicon({d: "\n".join(t) for d, t in texts.items()})
    return LexicalIndex.build([c.embed_text for c in chunks], Analyzer(lexicon))


def _manifest(
    encoder: Encoder,
    settings: ChunkerSettings,
    metas: dict[str, DocMeta],
    chunks: list[Chunk],
    extra: dict[str, Any] | None,
) -> dict[str, Any]:
    per_doc: dict[str, int] = {}
    for c in chunks:
        per_doc[c.doc] = per_doc.get(c.doc, 0) + 1
    docs = {
        d: {"fingerprint": m.sha256, "chunks": per_doc.get(d, 0), "meta": m.to_json()}
        for d, m in metas.items()
    }
    manifest = {
        "schema_version": store.SCHEMA_VERSION,
        "parser_version": PARSER_VERSION,
        "model": {"name": encoder.name, "dim": encoder.dim},
        "chunker": settings.to_json(),
        "fusion": FusionSettings().to_json(),
        "lexical_version": LEXICAL_VERSION,
        "counts": {
            "documents": len(metas),
            "chunks": len(chunks),
            "table_rows": sum(1 for c in chunks if c.kind == "table_row"),
        },
        "documents": docs,
        "versions": _versions(),
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    manifest.update(extra or {})
    return manifest


def _versions() -> dict[str, str]:
    out = {"tracuu": __version__, "python": platform.python_version()}
    for mod in ("faiss", "numpy", "sentence_transformers", "bm25s"):
        try:
            out[mod] = __import__(mod).__version__
        except Exception:  # noqa: BLE001
            continue
    return out
