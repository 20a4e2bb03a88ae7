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

import hashlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from ..extract import os_problem
from ..records import Chunk, DocMeta
from ..structure.sidecar import sidecar_path
from ..text.display import display_name
from . import store
from .chunker import ChunkerSettings
from .corpus import list_corpus
from .encoder import Encoder
from .reading import ReadResult, ReadTask, max_passages
from .report import IngestReport
from .segment import embed_hash
from .targets import Previous, ingest_lock, open_target
from .workers import Limits, read_all

EMBED_BATCH = 64

KEPT_INDEX = "không có văn bản nào lập chỉ mục được: giữ nguyên chỉ mục hiện có"
NOTHING_INDEXED = "chưa có văn bản nào được lập chỉ mục"

__all__ = ["IngestReport", "build", "ingest_lock"]


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


# A file changed less than this before the previous scan began may have changed again
# within the same clock tick: it is hashed, whatever its status says (git's "racy" rule).
RACY_NS = 2_000_000_000


def _status(path: Path) -> list[int]:
    """What changes when the file or its sidecar changes: size, mtime, ctime, inode."""
    key = []
    for p in (path, sidecar_path(path)):
        if p is path or p.is_file():
            st = p.stat()
            key += [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
    return key


class _Fingerprints:
    """Fingerprints of the corpus files, hashed again only for files whose status changed
    since the previous scan: reindexing an archive of 10,000 files after adding one reads
    one file, not a gigabyte. The manifest keeps the scan (``scan``); ``--rebuild`` or a
    missing scan hashes everything. The ctime cannot be set back by copying with
    ``cp -p`` or ``touch``, so a changed file is never taken for an unchanged one.
    """

    def __init__(self, previous: dict[str, Any] | None):
        self.started = time.time_ns()
        previous = previous or {}
        self.trusted_before = int(previous.get("started_ns", 0)) - RACY_NS
        self.known: dict[str, list] = previous.get("files", {})
        self.seen: dict[str, list] = {}
        self.first = not previous  # no scan kept yet (an index from before scans were)
        self.learned = False  # some file hashed now can be trusted next time

    def __call__(self, path: Path, rel: str) -> str:
        status = _status(path)
        cached = self.known.get(rel)
        ctimes = status[2::4]
        if cached and cached[0] == status and max(ctimes) < self.trusted_before:
            fingerprint = cached[1]
        else:
            fingerprint = _fingerprint(path)
            self.learned |= max(ctimes) < self.started - RACY_NS
        self.seen[rel] = [status, fingerprint]
        return fingerprint

    @property
    def worth_saving(self) -> bool:
        """Whether to write a generation for the scan alone: only the first one. Later,
        files still racy are hashed again until some change writes the manifest anyway,
        so an unchanged corpus never makes a new generation."""
        return self.first and self.learned

    def to_json(self) -> dict[str, Any]:
        return {"started_ns": self.started, "files": self.seen}


@dataclass
class _Plan:
    """The next manifest's documents: kept entries, and fresh passages to write."""

    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    fresh: list[tuple[DocMeta, list[Chunk]]] = field(default_factory=list)


def build(
    corpus: Path,
    index_dir: Path | str,
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
    ray: Any = None,
) -> IngestReport:
    """Bring the index at ``index_dir`` (a folder or a ``milvus://`` URI) up to date with
    ``corpus``; returns what changed.

    ``optimize`` merges all segments into one. ``on_progress(fraction, message)`` is
    called as work advances (for a UI progress bar). ``workers`` processes tokenize the
    passages of a large batch (0: this process).
    New and changed files are read by ``readers`` sandboxed processes (default:
    $TRACUU_PARSE_WORKERS, else up to 2) under ``limits`` (default: ``Limits.from_env()``);
    ``readers=0`` reads them in this process. With ``ray`` (ray_ingest.RayOptions) files are
    read and passages encoded as Ray tasks instead. When no file can be indexed, an index
    that exists is left as it is.
    """
    notify = on_progress or (lambda fraction, message: None)
    t0 = time.perf_counter()
    corpus = Path(corpus)
    settings = settings or ChunkerSettings()
    report = IngestReport()
    target = open_target(index_dir, workers=workers)
    with target.locked():
        old = None if rebuild else target.previous(encoder.name, settings)
        try:
            files = list_corpus(corpus, report.warnings)
            notify(0.05, f"Đọc {len(files)} tệp")
            read, encode = _runners(ray, encoder, readers, limits, progress, notify)
            fingerprints = _Fingerprints(old.manifest.get("scan") if old else None)
            plan = _collect(corpus, files, old, settings, report, read, fingerprints)
            store.checkpoint("parsed")
            chunks = [c for _, doc_chunks in plan.fresh for c in doc_chunks]
            notify(0.2, f"Mã hóa các đoạn mới ({len(chunks)} đoạn)")
            vectors = _embed(
                chunks, encoder, old, report, progress=progress, notify=notify, encode=encode
            )
            store.checkpoint("embedded")
            notify(0.9, "Ghi chỉ mục")
            changed = (
                old is None
                or plan.fresh
                or report.removed
                or report.renamed
                or _metadata_changed(old.manifest, plan.documents)
                or fingerprints.worth_saving
            )
            merges = target.merges(old, plan.documents, optimize=optimize) if old else []
            report.total_chunks = sum(e.get("chunks", 0) for e in plan.documents.values())
            live = target.live_chunks()
            kept = not plan.documents and live is not None
            if kept:  # an empty or unreadable corpus never empties a working index
                report.note, report.removed = KEPT_INDEX, []
                report.total_chunks = live
            elif not plan.documents:
                report.note = NOTHING_INDEXED
            if (changed or merges) and not kept:
                written = target.write(
                    plan.documents,
                    chunks,
                    vectors,
                    old=old,
                    merges=merges,
                    model={"name": encoder.name, "dim": encoder.dim},
                    chunker=settings.to_json(),
                    extra={**(extra_manifest or {}), "scan": fingerprints.to_json()},
                )
                report.total_chunks = written.total_chunks
                report.segments = written.segments
                report.merged = written.merged
                report.index_written = True
        finally:
            if old is not None:
                old.close()
    report.seconds = time.perf_counter() - t0
    notify(1.0, report.summary())
    return report


def _runners(ray: Any, encoder: Encoder, readers, limits, progress, notify):
    """(read files, encode texts): sandboxed local workers and ``encoder`` (None: encode
    here), or Ray tasks and an actor pool (ray_ingest.py)."""
    if ray is None:
        read = partial(read_all, workers=readers, limits=limits, progress=progress, notify=notify)
        return read, None
    from . import ray_ingest

    read = partial(ray_ingest.read_all, options=ray, readers=readers, limits=limits)
    return read, partial(ray_ingest.encode, options=ray, encoder=encoder)


def _collect(
    corpus: Path,
    files: list[Path],
    old: Previous | None,
    settings: ChunkerSettings,
    report: IngestReport,
    read: Callable[[list[ReadTask]], dict[str, ReadResult]],
    fingerprint: Callable[[Path, str], str],
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
            fp = fingerprint(path, rel)
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


def _meta(plan: _Plan, doc: str) -> DocMeta:
    return DocMeta.from_json(plan.documents[doc]["meta"])


def _add_alias(plan: _Plan, first: str, copy: str) -> None:
    meta = plan.documents[first]["meta"]
    meta["also_as"] = [*meta.get("also_as", []), copy]


def _keep_old(old: Previous | None, rel: str, plan: _Plan) -> None:
    """A file that fails now but was indexed before keeps its old passages."""
    if old is not None and rel in old.manifest["documents"]:
        entry = dict(old.manifest["documents"][rel])
        entry.setdefault("stored_as", rel)
        plan.documents[rel] = entry


def _embed(
    chunks: list[Chunk],
    encoder: Encoder,
    old: Previous | None,
    report: IngestReport,
    *,
    progress: bool,
    notify: Callable[[float, str], None],
    encode: Callable[[list[str]], np.ndarray] | None = None,
) -> np.ndarray:
    """Vectors for ``chunks``: reused from the live index where the same encoder text was
    embedded before, encoded otherwise (by ``encode`` when given: texts in, rows out)."""
    keys = [embed_hash(c.embed_text) for c in chunks]
    known: dict[str, np.ndarray] = old.vectors(set(keys)) if old is not None else {}
    texts = {k: c.embed_text for k, c in zip(keys, chunks, strict=True) if k not in known}
    t0 = time.perf_counter()
    todo = sorted(texts, key=lambda k: len(texts[k]))  # similar lengths batch well
    if encode is not None and todo:
        known.update(zip(todo, encode([texts[k] for k in todo]), strict=True))
    else:
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
