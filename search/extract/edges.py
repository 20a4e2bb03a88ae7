"""Tables whose rows say only where each cell ends (RTF's ``\\cellx``, a Word 97 row's
``rgdxaCenter``): laid on the grid those edges draw, so a cell spanning two columns of
another row keeps the columns after it in their place."""

from __future__ import annotations

from dataclasses import dataclass, field

from .common import MAX_REPEATED_CHARS, is_data_table, squash, tab_lines
from .docx import MAX_GRID_COLUMNS

SNAP = 30  # twips: cell edges this close (half a millimetre) are one grid line


@dataclass
class Row:
    cells: list[list[str]] = field(default_factory=list)  # each cell's paragraphs
    edges: list[int] = field(default_factory=list)  # each cell's right edge, in twips
    merged: list[str] = field(default_factory=list)  # "" | "down" (merged with the cell
    # above) | "left" (with the cell before)
    header: bool = False  # repeated as the table's header on every page


def table_lines(rows: list[Row]) -> list[str]:
    """A data table as tab-separated lines; a layout table (the header and signature
    blocks) as its cells' paragraphs, each a line."""
    if not rows:
        return []
    grid = _grid(rows)
    texts = [[squash(" ".join(cell)) for cell, _ in row] for row in grid]
    if is_data_table(texts):
        return tab_lines(texts)
    return [
        line
        for row in grid
        for cell, own in row
        if own
        for paragraph in cell
        for line in paragraph.split("\n")
    ]


def _grid(rows: list[Row]) -> list[list[tuple[list[str], bool]]]:
    """Rows of (cell paragraphs, whether the cell is its own) on the grid of every row's
    edges: a wide cell spans the grid columns it encloses; a cell merged with the one above
    repeats its text, except inside the header (the parser reads a header line that starts
    empty as sub-columns of the spanning cell above)."""
    edges: list[int] = []
    for edge in sorted({e for row in rows for e in row.edges}):
        if not edges or edge - edges[-1] > SNAP:
            edges.append(edge)
    edges = edges[:MAX_GRID_COLUMNS]
    out: list[list[tuple[list[str], bool]]] = []
    header_rows: set[int] = set()
    above: dict[int, tuple[list[str], int]] = {}  # column → (paragraphs, row it started in)
    repeated = 0
    for r, row in enumerate(rows):
        if r == 0 or (row.header and (r - 1) in header_rows):
            header_rows.add(r)
        line: list[tuple[list[str], bool]] = []
        for i, cell in enumerate(row.cells):
            col = len(line)
            if col >= MAX_GRID_COLUMNS:
                break
            span = 1
            if i < len(row.edges):
                right = row.edges[i] + SNAP
                span = sum(1 for k in range(col, len(edges)) if edges[k] <= right)
                span = max(1, min(span, MAX_GRID_COLUMNS - col))
            merged = row.merged[i] if i < len(row.merged) else ""
            if merged == "down":
                text, origin = above.get(col, ([], r))
                repeated += sum(map(len, text))
                if origin in header_rows or repeated > MAX_REPEATED_CHARS:
                    text = []
                line.append((text, False))
            elif merged == "left":
                line.append(([], False))
            else:
                above[col] = (cell, r)
                line.append((cell, True))
            line.extend(([], False) for _ in range(span - 1))
        out.append(line)
    return out
