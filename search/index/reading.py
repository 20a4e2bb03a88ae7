"""One corpus file → its metadata and passages: extract, sidecar, parse, chunk, then the
per-file caps. This is what a sandboxed worker (workers.py) runs for each file; it runs in
the calling process too (``workers=0``), for debugging and for tests.

Caps: identical passages of one file are kept once (a document that repeats one paragraph
ten thousand times is one passage), and a file gives at most ``task.max_passages``
passages (``max_passages()``: MAX_PASSAGES, or $TRACUU_MAX_PASSAGES).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..errors import DocumentError
from ..extract import extract
from ..extract.common import is_inside
from ..records import Chunk, DocMeta
from ..structure.parser import parse_text
from ..structure.sidecar import read_sidecar
from ..text.display import display_name
from .chunker import Chunker, ChunkerSettings, attach_pages

MAX_PASSAGES = 2000  # per file; a long law has about a thousand
MAX_PASSAGES_ENV = "TRACUU_MAX_PASSAGES"
NO_CONTENT = "không tìm thấy nội dung nào để lập chỉ mục"
OUTSIDE = "liên kết trỏ ra ngoài thư mục văn bản, bỏ qua"


def max_passages() -> int:
    try:
        return max(1, int(os.environ.get(MAX_PASSAGES_ENV, MAX_PASSAGES)))
    except ValueError:
        return MAX_PASSAGES


@dataclass(frozen=True)
class ReadTask:
    """A file to read: its path (through a link, if it is one), its name in the index, the
    corpus folder nothing outside of which is read, and its content fingerprint."""

    path: str
    rel: str
    root: str
    fingerprint: str
    settings: ChunkerSettings = field(default_factory=ChunkerSettings)
    # Read from the environment by the caller: a worker kept from an earlier ingest has
    # the environment it started with.
    max_passages: int = MAX_PASSAGES


@dataclass(frozen=True)
class ReadStats:
    """What reading one file cost, measured where it ran (the worker, or this process)."""

    wall_seconds: float = 0.0
    cpu_seconds: float = 0.0
    peak_rss_mb: float = 0.0  # the worker's peak resident memory while it read this file


@dataclass(frozen=True)
class ReadResult:
    rel: str
    meta: DocMeta | None = None
    chunks: tuple[Chunk, ...] = ()
    problem: str | None = None  # one line: why the file is not indexed
    warnings: tuple[str, ...] = ()  # one line each: what was changed or left out
    collapsed: int = 0  # identical passages kept once
    stats: ReadStats = ReadStats()

    @property
    def ok(self) -> bool:
        return self.problem is None


def read_document(task: ReadTask) -> ReadResult:
    """Read, parse and chunk one file; a file that cannot be read gives ``problem``.

    Raises MemoryError when reading ran out of memory, whatever reader hit it, so the caller
    can say so (and replace a worker whose heap may be in a bad state).
    """
    display = display_name(task.rel)
    path, root = Path(task.path), Path(task.root)
    warnings: list[str] = []
    try:
        if not is_inside(path, root):
            # Checked when the corpus was listed; checked again in case the file changed.
            raise DocumentError(display, OUTSIDE)
        extracted = extract(path, display)
        warnings.extend(extracted.warnings)
        sidecar = read_sidecar(path, root=root)
        if sidecar is not None:
            warnings.extend(sidecar.warnings)
        parsed = parse_text(
            extracted.text,
            doc=task.rel,
            fingerprint=task.fingerprint,
            sidecar=sidecar.fields if sidecar is not None else None,
        )
    except DocumentError as exc:
        if caused_by_memory(exc):
            raise MemoryError(str(exc)) from exc
        problem = exc.problem if exc.path == display else str(exc)
        return ReadResult(task.rel, problem=problem, warnings=tuple(warnings))
    chunks = attach_pages(_chunker(task.settings).chunks(parsed), extracted.pages)
    chunks, collapsed = collapse_identical(chunks)
    cap = task.max_passages
    if len(chunks) > cap:
        warnings.append(
            f"có {len(chunks)} đoạn, chỉ lập chỉ mục {cap} đoạn đầu "
            f"(giới hạn mỗi tệp, biến {MAX_PASSAGES_ENV})"
        )
        chunks = chunks[:cap]
    return ReadResult(
        task.rel,
        meta=parsed.meta,
        chunks=tuple(chunks),
        problem=None if chunks else NO_CONTENT,
        warnings=tuple(warnings),
        collapsed=collapsed,
    )


def collapse_identical(chunks: list[Chunk]) -> tuple[list[Chunk], int]:
    """Chunks with the same encoder text and citation kept once (the first); how many went.

    Such passages cannot be told apart by a search or by a reader of the results.
    """
    seen: set[tuple[str, str]] = set()
    out = []
    for c in chunks:
        key = (c.embed_text, c.citation)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out, len(chunks) - len(out)


def caused_by_memory(exc: BaseException) -> bool:
    """Whether running out of memory is behind ``exc`` (readers wrap what they hit)."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, MemoryError) or "memory allocation failed" in str(exc).lower():
            return True
        exc = exc.__cause__ or exc.__context__
    return False


@lru_cache(maxsize=4)
def _chunker(settings: ChunkerSettings) -> Chunker:
    return Chunker(settings)
