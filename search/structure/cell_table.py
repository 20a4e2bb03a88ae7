"""Tables typed one cell per line: a header cell per line after ``STT``/``TT``, then rows
that start with a row index line; or, where the export kept each empty cell as a blank line
and ends each row with one, rows read by position."""

from __future__ import annotations

from itertools import islice

from ..text.normalize import is_page_label, is_page_number
from .tables import (
    INDEX,
    LETTERS,
    NUMBERISH,
    TOTAL,
    Row,
    Table,
    index_kind,
    is_group_row,
    is_total,
    row_label,
)


def parse_cell_table(lines: list[tuple[int, str]], start: int, stop) -> Table:
    """Parse a one-cell-per-line table whose ``STT`` line is ``lines[start]``.

    ``stop(text)`` says whether a line ends the table (next appendix, footnotes ...).
    """
    i = start + 1
    header = [lines[start][1]]
    # Header cells run until the first row index or total row. "Tổng số" followed by more
    # names ("Trong đó", "Vốn NSTW") is a column of a two-level header, not the total row,
    # whose cells are numbers.
    while i < len(lines):
        n, t = lines[i]
        if not t:
            i += 1
            continue
        if TOTAL.match(t):
            after = next((x for _, x in islice(lines, i + 1, None) if x), "")
            if not after or NUMBERISH.match(after) or INDEX.match(after) or stop(after):
                break
        elif stop(t) or INDEX.match(t) or NUMBERISH.match(t):
            break
        header.append(t)
        i += 1
    table = Table(header=header)
    body = i
    current: Row | None = None
    last_num, last_letter = 0, ""
    while i < len(lines):
        n, t = lines[i]
        if not t:
            i += 1
            continue
        if stop(t):
            break
        if repeated := _repeated_header(lines, i, header):
            i += repeated  # the header printed again after a page break
            continue
        if is_page_label(t):
            i += 1  # "Trang 4/5" at the foot of a page the table runs over
            continue
        if is_page_number(t) and _repeated_header(
            lines, next((j for j in range(i + 1, len(lines)) if lines[j][1]), len(lines)), header
        ):
            i += 1  # the page's number, above the header printed again
            continue
        starts_row = False
        if TOTAL.match(t):
            starts_row = True
        elif INDEX.match(t):
            kind = index_kind(t)
            if kind == "num":
                value = int(t.rstrip(".-)"))
                # A bare number is a new row only when it continues the numbering; otherwise
                # it is a cell (an amount, a project code).
                # Numbering restarts at 1 under a group title, or runs on across groups.
                after_group_title = (
                    current is not None
                    and index_kind(current.label) in {"roman", "upper", "lower"}
                    and len(current.cells) == 1
                )
                starts_row = value == last_num + 1 or (
                    value == 1 and (current is None or after_group_title)
                )
            elif kind == "lower":
                # A letter numbers sub-rows from "a" on; another one alone is a cell ("m",
                # the unit of a length).
                core = t.rstrip(".-)")
                starts_row = core == "a" or LETTERS.find(core) == LETTERS.find(last_letter) + 1
            else:
                starts_row = current is None or bool(current.cells)
        if starts_row:
            if current is not None:
                table.rows.append(current)
            label = "" if TOTAL.match(t) else row_label(t)
            current = Row(label=label, cells=[], header=[])
            if TOTAL.match(t):
                current.cells.append((n, t))
            if index_kind(t) == "num" and not TOTAL.match(t):
                last_num = int(t.rstrip(".-)"))
            last_letter = t.rstrip(".-)") if index_kind(t) == "lower" else ""
        elif current is not None:
            current.cells.append((n, t))
        i += 1
    if current is not None:
        table.rows.append(current)
    table.end = i
    if grid := _grid_rows(lines, body, header, table.end):
        table.rows = grid
        return table
    width = len(header) - 1  # the index column carries no cell
    for row in table.rows:
        row.is_group = is_group_row(row, index_kind(row.label) in {"roman", "upper", "lower"})
        if not row.is_group and len(row.cells) == width:
            row.header = header[1:]
        elif row.cells:
            # Only the first cell (the task or project name) is reliably in the second column.
            row.header = header[1:2] + [""] * (len(row.cells) - 1)
    return table


def _grid_rows(
    lines: list[tuple[int, str]], i: int, header: list[str], end: int
) -> list[Row] | None:
    """The rows of a one-cell-per-line table read by position, a line for each column, an
    empty cell kept as a blank line, and a blank line after each row; None unless that
    reads every row up to ``end``, where the table ends by its row indexes. By position a
    figure that continues the numbering ("4" left to deal with, in row 3) is a cell, and
    each cell is under its column, though some are empty."""
    size = len(header)
    if size < 3:
        return None  # an index and a name: nothing to read by position
    rows: list[Row] = []
    last_num = 0
    while i + size <= len(lines) and (i + size == len(lines) or not lines[i + size][1]):
        block = lines[i : i + size]
        label, name = block[0][1], block[1][1]
        if [t for _, t in block] == header:
            i += size + 1  # the header printed again after a page break
            continue
        if not label and not is_total(name):
            if rows and not name:
                i += 1  # a second blank line between rows
                continue
            break
        if label and not is_total(label):
            if not INDEX.match(label) or not name:
                break
            if index_kind(label) == "num":
                value = int(label.rstrip(".-)"))
                if value not in (last_num + 1, 1):
                    break
                last_num = value
        cells = [(n, t) for n, t in block[1:] if t]
        heads = [h for h, (_, t) in zip(header[1:], block[1:], strict=True) if t]
        if is_total(label):
            cells, heads = [block[0], *cells], ["", *heads]  # "Tổng cộng" in the index column
        row = Row(
            label="" if is_total(label or name) else row_label(label), cells=cells, header=heads
        )
        row.is_group = is_group_row(row, index_kind(row.label) in {"roman", "upper", "lower"})
        rows.append(row)
        i += size + 1
    while i < len(lines) and not lines[i][1]:
        i += 1
    return rows if len(rows) >= 2 and i >= end else None


def _repeated_header(lines: list[tuple[int, str]], i: int, header: list[str]) -> int:
    """How many lines from ``lines[i]`` repeat the header cells, blank lines included (0:
    they do not)."""
    at, matched = i, 0
    while at < len(lines) and matched < len(header):
        text = lines[at][1]
        if text:
            if text != header[matched]:
                return 0
            matched += 1
        at += 1
    return at - i if matched == len(header) else 0
