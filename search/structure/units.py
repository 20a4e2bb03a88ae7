"""What the parser hands the chunker: paragraphs and table rows with where they sit."""

from __future__ import annotations

from dataclasses import dataclass

from ..records import DocMeta


@dataclass
class Unit:
    """A paragraph or a table row, before chunking."""

    kind: str  # "text" | "table_row"
    path: tuple[str, ...]
    context: tuple[str, ...]  # heading texts above the unit, outermost first
    lines: list[tuple[int, str]]  # (1-based line number, cleaned text)
    table_title: str | None = None
    header: tuple[str, ...] = ()
    cells: tuple[tuple[str, str], ...] = ()  # (header or "", value)
    appendix_ref: str | None = None
    row_name: str | None = None  # a table row's name cell, for citations

    @property
    def line_start(self) -> int:
        return self.lines[0][0]

    @property
    def line_end(self) -> int:
        return self.lines[-1][0]

    @property
    def text(self) -> str:
        return "\n".join(t for _, t in self.lines)


@dataclass
class ParsedDocument:
    meta: DocMeta
    units: list[Unit]
