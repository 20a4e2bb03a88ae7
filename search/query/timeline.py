"""Progress across programmes: what each document says about the project a query names.

The query's subject (``Query.subject``) is what remains after dropping question and aspect
words ("Hòn Khoai tiến độ" → "Hòn Khoai"). Hits whose passage mentions every subject word
are grouped by document, documents in date order (date, else year); for an appendix-table
row the cells on progress, deadline and lead agency are picked out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..records import Chunk, DocMeta, Hit
from ..text.normalize import clip, fold
from ..text.words import PROGRESS_HEADS, folded, folded_words
from .context import aligned_cells
from .query import Query

_PROGRESS_HEADS = folded(PROGRESS_HEADS)
_PERIOD = re.compile(r"(?:giai đoạn|nhiệm kỳ|thời kỳ)\s+(\d{4})\s*[-–]\s*(\d{4})", re.IGNORECASE)
_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_SENTENCE = re.compile(r"(?<=[.;!?])\s+|\n+")


@dataclass(frozen=True)
class Mention:
    """One passage of a document about the subject."""

    hit: Hit
    name: str  # the table row's task/project name, or the sentences about the subject
    facts: tuple[tuple[str, str], ...] = ()  # (column header, value): progress, deadline, lead


@dataclass(frozen=True)
class Stage:
    """One document on the timeline."""

    meta: DocMeta
    when: str  # "19/01/2025", "2026" or ""
    period: str | None  # "2025 - 2030" when the title names a multi-year period
    mentions: tuple[Mention, ...]
    more: int = 0  # further mentions in this document not listed


def mentions_subject(hit: Hit, terms: Sequence[str]) -> bool:
    """Whether the passage is about the subject.

    A table row is about it when its name (task or project) or its parent row's name says
    so; a cell that merely mentions it ("ends at the Hòn Khoai road") does not count.
    """
    c = hit.chunk
    if c.kind != "table_row":
        return mentions_text(c.text, terms)
    return mentions_text(_row_name(c), terms) or mentions_text(_parent(c), terms)


def sort_key(meta: DocMeta) -> tuple[int, int, int]:
    """Issue date, else the year; documents with neither go last."""
    if meta.date and (m := _DATE.search(meta.date)):
        return int(m.group(3)), int(m.group(2)), int(m.group(1))
    if meta.year:
        return meta.year, 0, 0
    return 9999, 0, 0


def period_of(meta: DocMeta) -> str | None:
    m = _PERIOD.search(meta.title or "")
    return f"{m.group(1)} - {m.group(2)}" if m else None


def build_timeline(query: Query, hits: Sequence[Hit], *, per_doc: int = 3) -> list[Stage]:
    """Documents mentioning the query's subject, oldest first; [] when there is no subject."""
    terms = query.subject
    if not terms:
        return []
    by_doc: dict[str, list[Hit]] = {}
    metas: dict[str, DocMeta] = {}
    for h in sorted(hits, key=lambda h: h.rank):
        if mentions_subject(h, terms):
            by_doc.setdefault(h.doc, []).append(h)
            metas[h.doc] = h.chunk.meta
    stages = []
    for doc in sorted(by_doc, key=lambda d: (sort_key(metas[d]), d)):
        meta = metas[doc]
        # A long row is split into several chunks that read the same here: keep one.
        unique: dict[tuple, Mention] = {}
        for h in by_doc[doc]:
            m = mention(h, terms)
            unique.setdefault((m.name, m.facts), m)
        found = list(unique.values())
        when = meta.date or (str(meta.year) if meta.year else "")
        stages.append(
            Stage(
                meta=meta,
                when=when,
                period=period_of(meta),
                mentions=tuple(found[:per_doc]),
                more=max(0, len(found) - per_doc),
            )
        )
    return stages


def mention(hit: Hit, terms: Sequence[str]) -> Mention:
    c = hit.chunk
    if c.kind != "table_row":
        return Mention(hit, clip(_sentences_about(c.text, terms), 400))
    facts = tuple((h, v) for h, v in aligned_cells(c) if _is_fact(h))
    name = _row_name(c)
    if not mentions_text(name, terms) and mentions_text(_parent(c), terms):
        name = f"{_strip_label(_parent(c))} — {name}"
    return Mention(hit, clip(name, 300), facts)


def _is_fact(header: str) -> bool:
    return bool(header) and any(p in fold(header.lower()) for p in _PROGRESS_HEADS)


def _row_name(chunk: Chunk) -> str:
    """The row's task or project: its first cell that is not a number or a fact column."""
    for h, v in aligned_cells(chunk):
        if not _is_fact(h) and not _is_number(v):
            return v
    return chunk.text


def _parent(chunk: Chunk) -> str:
    """The heading just above a row: for a sub-task row, its parent task's name."""
    return chunk.context.split(" > ")[-1] if chunk.context else ""


def mentions_text(text: str, terms: Sequence[str]) -> bool:
    words = folded_words(text)
    return all(t in words for t in terms)


def _sentences_about(text: str, terms: Sequence[str]) -> str:
    parts = [p.strip() for p in _SENTENCE.split(text) if p.strip()]
    about = [p for p in parts if mentions_text(p, terms)]
    if not about:
        about = [p for p in parts if any(t in fold(p.lower()) for t in terms)] or parts[:1]
    return " … ".join(about[:2])


def _strip_label(text: str) -> str:
    return re.sub(r"^\s*(?:[IVXLC]+|\d+(?:\.\d+)*|[a-zđ])[.)\-]?\s+", "", text)


def _is_number(value: str) -> bool:
    return bool(re.fullmatch(r"[\d.,\s%]+", value))
