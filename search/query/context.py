"""A passage in its surroundings: the paragraphs of its section, or its table's rows.

Pure functions over the index's chunks (in document order per file) and document metadata;
the UI renders the result. Working from chunks rather than the source file keeps the view
identical to what was indexed, whatever format the file came in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..records import Chunk, DocMeta
from ..text.normalize import fold

# Headers of the numbering column: its value is usually not kept as a cell.
_NUMBER_HEADERS = {"stt", "so tt", "tt", "so thu tu"}


@dataclass(frozen=True)
class TableRow:
    chunk: Chunk
    values: tuple[str, ...]  # one per column of ContextView.columns
    group: str  # heading of the row group when it starts here ("" otherwise)


@dataclass(frozen=True)
class ContextView:
    """What "Xem trong văn bản" shows for one passage."""

    meta: DocMeta
    target: Chunk
    heading: str  # the section's headings, " > "-joined
    paragraphs: tuple[Chunk, ...] = ()  # text: neighbouring passages, target included
    table_title: str | None = None
    columns: tuple[str, ...] = ()  # table: the header, without columns empty in every row
    rows: tuple[TableRow, ...] = ()
    skipped_before: int = 0  # passages or rows of the same section/table not shown
    skipped_after: int = 0

    @property
    def is_table(self) -> bool:
        return self.target.kind == "table_row"


def find_chunk(chunks: Sequence[Chunk], chunk_id: str) -> Chunk | None:
    return next((c for c in chunks if c.id == chunk_id), None)


def passage_context(
    target: Chunk, chunks: Sequence[Chunk], *, window: int = 3, min_group: int = 3
) -> ContextView:
    """The target with up to ``window`` neighbours on each side, within its section or table.

    A text passage alone in its innermost section ("d) ...") is shown within the enclosing
    one, going up until ``min_group`` passages are in view or the top is reached.
    """
    doc_chunks = [c for c in chunks if c.doc == target.doc]
    if target not in doc_chunks:
        doc_chunks = [target]
    if target.kind == "table_row":
        return _table_context(target, doc_chunks, window)
    return _text_context(target, doc_chunks, window, min_group)


def _text_context(
    target: Chunk, doc_chunks: list[Chunk], window: int, min_group: int
) -> ContextView:
    texts = [c for c in doc_chunks if c.kind == "text"]
    prefix = target.section
    group = _run(texts, target, lambda c: c.section == prefix)
    while len(group) < min_group and prefix:
        prefix = prefix[:-1]
        if prefix:
            group = _run(texts, target, lambda c, p=prefix: c.section[: len(p)] == p)
        else:
            group = _run(texts, target, lambda c: True)
    shown, before, after = _window(group, target, window)
    heading = target.context if prefix == target.section else _heading_for(prefix, shown)
    return ContextView(
        meta=target.meta,
        target=target,
        heading=heading,
        paragraphs=tuple(shown),
        skipped_before=before,
        skipped_after=after,
    )


def _heading_for(prefix: tuple[str, ...], shown: list[Chunk]) -> str:
    """Headings down to ``prefix``: the shallowest context among the shown passages."""
    if not prefix:
        return ""
    contexts = [c.context for c in shown if c.section[: len(prefix)] == prefix and c.context]
    return min(contexts, key=lambda s: s.count(" > "), default="")


def _table_context(target: Chunk, doc_chunks: list[Chunk], window: int) -> ContextView:
    same_table = _run(
        doc_chunks,
        target,
        lambda c: (
            c.kind == "table_row"
            and c.table_title == target.table_title
            and c.table_header == target.table_header
        ),
    )
    shown, before, after = _window(same_table, target, window)
    header = target.table_header or _header_from_cells(shown)
    grid = [aligned_values(c, header) for c in shown]
    number_col = next(
        (i for i, h in enumerate(header) if fold(h.lower()).strip(" .") in _NUMBER_HEADERS), None
    )
    rows: list[TableRow] = []
    prev: Chunk | None = None
    for chunk, values in zip(shown, grid, strict=True):
        if number_col is not None and not values[number_col] and chunk.section:
            # The row number lives in the section path; repeat it only on the row it starts.
            if prev is None or prev.section != chunk.section:
                values[number_col] = chunk.section[-1]
        group = ""
        if prev is None or prev.section[:-1] != chunk.section[:-1]:
            group = _group_label(chunk)
        rows.append(TableRow(chunk, tuple(values), group))
        prev = chunk
    keep = [i for i in range(len(header)) if any(r.values[i] for r in rows)]
    rows = [TableRow(r.chunk, tuple(r.values[i] for i in keep), r.group) for r in rows]
    return ContextView(
        meta=target.meta,
        target=target,
        heading=target.context,
        table_title=target.table_title,
        columns=tuple(header[i] for i in keep),
        rows=tuple(rows),
        skipped_before=before,
        skipped_after=after,
    )


def aligned_cells(chunk: Chunk) -> list[tuple[str, str]]:
    """The row's cells under their column headers, guessing headers the parser left blank.

    A blank header belongs to the next column after the previous cell's, which is how the
    parser loses them (a row whose cells did not line up with a two-level header).
    """
    header = chunk.table_header
    if not header:
        return [(h, v) for h, v in chunk.cells if v]
    values = aligned_values(chunk, header)
    return [(h, v) for h, v in zip(header, values, strict=True) if v]


def aligned_values(chunk: Chunk, header: Sequence[str]) -> list[str]:
    """One value per column of ``header`` ("" where the row has none)."""
    if not header:
        return []
    values = [""] * len(header)
    position = {h: i for i, h in reversed(list(enumerate(header))) if h}
    col = -1
    for head, value in chunk.cells:
        if head and position.get(head, -1) > col:
            col = position[head]
        else:
            col += 1
            while col < len(header) and values[col]:
                col += 1
        # More cells than columns: keep the surplus visible in the last column.
        col = min(col, len(header) - 1)
        values[col] = f"{values[col]}; {value}" if values[col] else value
    return values


def _header_from_cells(rows: list[Chunk]) -> tuple[str, ...]:
    seen: list[str] = []
    for c in rows:
        for h, _ in c.cells:
            if h not in seen:
                seen.append(h)
    return tuple(seen)


def _group_label(chunk: Chunk) -> str:
    """The row group's heading: the row's context without the appendix title."""
    parts = [p for p in chunk.context.split(" > ") if p]
    parts = [p for p in parts if not re.match(r"(?i)ph[uụ] l[uụ]c\b", p)]
    return " > ".join(parts)


def _run(chunks: list[Chunk], target: Chunk, same) -> list[Chunk]:
    """The contiguous run of chunks around ``target`` for which ``same`` holds."""
    i = next(k for k, c in enumerate(chunks) if c is target or c.id == target.id)
    start = i
    while start > 0 and same(chunks[start - 1]):
        start -= 1
    end = i + 1
    while end < len(chunks) and same(chunks[end]):
        end += 1
    return chunks[start:end]


def _window(group: list[Chunk], target: Chunk, window: int) -> tuple[list[Chunk], int, int]:
    i = next(k for k, c in enumerate(group) if c.id == target.id)
    lo, hi = max(0, i - window), min(len(group), i + window + 1)
    return group[lo:hi], lo, len(group) - hi


_META_LABELS = (
    ("doc_type", "Loại văn bản"),
    ("number", "Số, ký hiệu"),
    ("date", "Ngày ban hành"),
    ("issuer", "Cơ quan ban hành"),
    ("title", "Trích yếu"),
    ("signer", "Người ký"),
)


def meta_fields(meta: DocMeta) -> list[tuple[str, str]]:
    """(Vietnamese label, value) for the metadata the document states, and its file."""
    out = [(label, str(getattr(meta, key))) for key, label in _META_LABELS if getattr(meta, key)]
    if not meta.date and meta.year:
        out.insert(min(2, len(out)), ("Năm", str(meta.year)))
    out.append(("Tệp", meta.doc))
    return out
