"""Units → chunks: merge small paragraphs within a section, split long ones, render rows.

A chunk never crosses a section boundary: paragraphs join only while they stay inside the
section of the chunk's first paragraph. Long paragraphs are split with
``langchain-text-splitters`` on Vietnamese sentence and clause boundaries. A table row
becomes one chunk ("Header: value" lines); a very long row is split into parts that each
repeat the row's name so every part still says what it is about.
"""

from __future__ import annotations

import bisect
from dataclasses import asdict, dataclass, replace

from langchain_text_splitters import RecursiveCharacterTextSplitter

from ..records import Chunk, DocMeta
from ..structure.layout import is_caption, parse_marker, unmarked
from ..structure.units import ParsedDocument, Unit
from ..text.normalize import clip
from .citation import row_citation, text_citation

# Sentence, clause and phrase boundaries, coarsest first.
_SEPARATORS = ["\n\n", "\n", ". ", "; ", ": ", ", ", " - ", " ", ""]


@dataclass(frozen=True)
class ChunkerSettings:
    target_chars: int = 800  # merge paragraphs up to this size
    max_chars: int = 1000  # split anything longer
    overlap_chars: int = 120

    def to_json(self) -> dict[str, int]:
        return asdict(self)


class Chunker:
    def __init__(self, settings: ChunkerSettings | None = None):
        self.settings = settings or ChunkerSettings()
        s = self.settings
        self._splitter = RecursiveCharacterTextSplitter(
            chunk_size=s.target_chars,
            chunk_overlap=s.overlap_chars,
            separators=_SEPARATORS,
            keep_separator="end",
        )

    def chunks(self, parsed: ParsedDocument) -> list[Chunk]:
        meta = parsed.meta
        out: list[Chunk] = []
        group: list[Unit] = []

        def flush() -> None:
            if group:
                out.extend(self._text_chunks(meta, list(group), len(out)))
                group.clear()

        # The units opening a section ("1.3. Cấp nước sinh hoạt"), by identity.
        units = parsed.units
        opening = {
            id(u) for i, u in enumerate(units) if u.path and (not i or units[i - 1].path != u.path)
        }
        for unit in units:
            if unit.kind == "table_row":
                flush()
                out.extend(self._row_chunks(meta, unit, len(out)))
                continue
            if group and self._joins(group, unit):
                group.append(unit)
            else:
                carried = _stranded_headings(group, unit, opening)
                del group[len(group) - len(carried) :]
                flush()
                group.extend([*carried, unit])
        flush()
        return out

    def _joins(self, group: list[Unit], unit: Unit) -> bool:
        head = group[0].path
        # The preamble (empty path) is not a section that contains the whole document.
        inside = unit.path[: len(head)] == head and (bool(head) or not unit.path)
        size = sum(len(u.text) + 1 for u in group) + len(unit.text)
        # An article is what a law is cited by: one passage never holds two of them.
        article = _article(unit.path)
        if article and any(_article(u.path) not in (None, article) for u in group):
            return False
        # An appendix caption is a passage of its own: it answers which document an
        # appendix belongs to, and nothing else.
        if is_caption(group[0].text) or is_caption(unit.text):
            return False
        return inside and size <= self.settings.target_chars

    # -- text ----------------------------------------------------------------------------
    def _text_chunks(self, meta: DocMeta, group: list[Unit], seq: int) -> list[Chunk]:
        first = group[0]
        path = cited_path(group)
        lines = [line for u in group for line in u.lines]
        opens = [k == 0 for u in group for k in range(len(u.lines))]  # a paragraph's first line
        text = "\n".join(t for _, t in lines)
        pieces = [(text, 0, len(lines))]
        if len(text) > self.settings.max_chars:
            pieces = self._split(lines)
        citation = text_citation(meta, path)
        chunks = []
        for k, (piece, at, count) in enumerate(pieces):
            nums = tuple(n for n, _ in lines[at : at + count])
            chunks.append(
                self._make(
                    meta,
                    seq + k,
                    kind="text",
                    path=path,
                    context=first.context,
                    text=piece,
                    line_start=nums[0],
                    line_end=nums[-1],
                    citation=citation,
                    line_numbers=nums,
                    paragraphs=(0, *(i for i in range(1, count) if opens[at + i])),
                )
            )
        return chunks

    def _split(self, lines: list[tuple[int, str]]) -> list[tuple[str, int, int]]:
        """Split long text: each piece, the index of its first line and how many it spans."""
        text = "\n".join(t for _, t in lines)
        starts, pos = [], 0
        for _, t in lines:
            starts.append(pos)
            pos += len(t) + 1
        out, cursor = [], 0
        for piece in self._splitter.split_text(text):
            at = text.find(piece, max(0, cursor - self.settings.overlap_chars - len(piece)))
            if at < 0:
                at = cursor
            cursor = at + len(piece)
            first = bisect.bisect_right(starts, at) - 1
            out.append((piece, first, piece.count("\n") + 1))
        return out

    # -- table rows ----------------------------------------------------------------------
    def _row_chunks(self, meta: DocMeta, unit: Unit, seq: int) -> list[Chunk]:
        rendered = [f"{h}: {v}" if h else v for h, v in unit.cells]
        parts = self._row_parts(rendered)
        citation = row_citation(meta, unit.path, unit.row_name, unit.appendix_ref)
        return [
            self._make(
                meta,
                seq + k,
                kind="table_row",
                path=unit.path,
                context=unit.context,
                text=part,
                line_start=unit.line_start,
                line_end=unit.line_end,
                citation=citation,
                unit=unit,
            )
            for k, part in enumerate(parts)
        ]

    def _row_parts(self, rendered: list[str]) -> list[str]:
        limit = self.settings.max_chars
        whole = "\n".join(rendered)
        if len(whole) <= limit:
            return [whole]
        name = rendered[0]
        name_line = clip(name, 300)
        pieces: list[str] = []
        for line in rendered[1:]:
            if len(line) <= limit - len(name_line) - 1:
                pieces.append(line)
                continue
            head, sep, _ = line.partition(": ")
            prefix = f"{head}: " if sep and len(head) < 60 else ""
            for piece in self._splitter.split_text(line[len(prefix) :] if prefix else line):
                pieces.append(prefix + piece)
        parts, current = [], [name]
        for piece in pieces:
            if sum(len(x) + 1 for x in current) + len(piece) > limit and len(current) > 1:
                parts.append("\n".join(current))
                current = [name_line]
            current.append(piece)
        parts.append("\n".join(current))
        return parts

    # -- records -------------------------------------------------------------------------
    @staticmethod
    def _make(
        meta: DocMeta,
        seq: int,
        *,
        kind: str,
        path: tuple[str, ...],
        context: tuple[str, ...],
        text: str,
        line_start: int,
        line_end: int,
        citation: str,
        unit: Unit | None = None,
        line_numbers: tuple[int, ...] = (),
        paragraphs: tuple[int, ...] = (),
    ) -> Chunk:
        context_text = " > ".join(context[-3:])
        return Chunk(
            id=f"{meta.fingerprint[:12] or meta.doc}#{seq}",
            meta=meta,
            kind=kind,
            section=path,
            line_start=line_start,
            line_end=line_end,
            text=text,
            context=context_text,
            table_title=unit.table_title if unit else None,
            table_header=tuple(unit.header) if unit else (),
            cells=tuple(unit.cells) if unit else (),
            appendix_ref=unit.appendix_ref if unit else None,
            citation=citation,
            embed_text=embed_text(meta, context_text, text, unit.table_title if unit else None),
            line_numbers=line_numbers,
            paragraphs=paragraphs,
        )


def _article(path: tuple[str, ...]) -> str | None:
    return next((p for p in path if p.startswith("Điều ")), None)


# A leading paragraph this short whose section holds the next one is a heading above it.
_HEADING_CHARS = 200


def _stranded_headings(group: list[Unit], unit: Unit, opening: set[int]) -> list[Unit]:
    """The headings closing ``group`` (short units ``opening`` a section) that open the
    section ``unit`` starts or continues ("1.3. Cấp nước sinh hoạt" when its first item did
    not fit): they go with ``unit``, so no passage ends on a title whose text is in the next."""
    n = len(group)
    while n > 0:
        last = group[n - 1]
        heading = id(last) in opening and len(last.text) <= _HEADING_CHARS
        heading = heading and not is_caption(last.text)  # a passage of its own (_joins)
        if not (heading and unit.path[: len(last.path)] == last.path):
            break
        n -= 1
    return group[n:]


def cited_path(group: list[Unit]) -> tuple[str, ...]:
    """The section a run of paragraphs is cited by: the deepest one holding all of them,
    not counting the headings that open the run ("Chương II" then "Điều 6. ..." then its
    clauses is cited as Điều 6, not as the whole chapter)."""
    units = list(group)
    while len(units) > 1:
        head, nxt = units[0], units[1]
        deeper = len(nxt.path) > len(head.path) and nxt.path[: len(head.path)] == head.path
        if not (deeper and len(head.text) <= _HEADING_CHARS):
            break
        units.pop(0)
    path = units[0].path
    for u in units[1:]:
        n = 0
        while n < min(len(path), len(u.path)) and path[n] == u.path[n]:
            n += 1
        path = path[:n]
    return path


def embed_text(meta: DocMeta, context: str, text: str, table_title: str | None = None) -> str:
    """Passage plus what it belongs to, so 'tiến độ' rows know their project and document."""
    label = " ".join(x for x in (meta.doc_type, meta.number, clip(meta.title or "", 160)) if x)
    if meta.year:
        label += f" ({meta.year})"
    parts = [label]
    if table_title and table_title not in context:
        parts.append(clip(table_title, 160))
    if context:
        parts.append(context)
    parts.append(text)
    return "\n".join(p for p in parts if p)


def attach_pages(chunks: list[Chunk], pages: tuple[int, ...]) -> list[Chunk]:
    """Give each chunk of a paged document (PDF) its pages, also in the citation."""
    if not pages:
        return chunks
    out = []
    for c in chunks:
        first = pages[min(c.line_start, len(pages)) - 1]
        last = pages[min(c.line_end, len(pages)) - 1]
        where = f"trang {first}" if first == last else f"trang {first}-{last}"
        out.append(replace(c, page_start=first, page_end=last, citation=f"{c.citation} ({where})"))
    return out


# Markers that head a section rather than number an item of a list.
_HEADING_STYLES = {"chapter", "lawsection", "article", "roman", "upper"}


def lexical_fields(chunk: Chunk) -> tuple[str, str]:
    """What lexical search reads of a passage: its text with what it belongs to, and its own
    heading (a field of its own). A row whose cells could not be matched to the columns (a
    flattened table that dropped its empty cells) also carries the column names, so it still
    says what its numbers are ("Mã dự án; Kế hoạch vốn năm 2025"), if not which is which.
    The encoder does not read them: a list of names only blurs what the row is about."""
    text = chunk.embed_text
    if chunk.kind == "table_row" and not all(h for h, _ in chunk.cells[1:]):
        text += "\n" + "; ".join(chunk.table_header[1:])
    return text, passage_heading(chunk)


def passage_heading(chunk: Chunk) -> str:
    """A passage's own heading, for the heading field of lexical search: a table row's
    name; the title of the article or section the passage opens ("Điều 7. Thời hạn cấp
    giấy chứng nhận" → "Thời hạn cấp giấy chứng nhận"), else of the one it sits in."""
    if chunk.kind == "table_row":
        return next((v for _, v in chunk.cells if v), "")
    first = chunk.text.split("\n", 1)[0]
    m = parse_marker(first)
    if m is not None and (m.style in _HEADING_STYLES or len(first) <= 120 and first[-1:] != "."):
        return m.rest
    last = chunk.context.split(" > ")[-1] if chunk.context else ""
    return unmarked(last)
