"""Appendix tables in the flattened forms documents arrive in.

* cell per line: a header cell per line after ``STT``/``TT``, then rows that start with a
  row index line (``1``, ``I``, ``a``, ``-``); empty cells were dropped, so a row with fewer
  cells than the header cannot be aligned with certainty. Where the export kept each empty
  cell as a blank line and ends each row with one, rows are read by position instead.
* tab-separated: one row per line, header rows repeated on every page, HTML left in cells.
* pipe-separated: ``| a | b |`` rows, with or without the outer pipes, markdown rulers.

Each parser returns rows with their source line numbers; grouping and chunking happen later.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import islice

from ..text.normalize import clean_line, is_page_label, is_page_number, is_table_ruler
from ..text.numerals import roman_value


@dataclass
class Row:
    label: str  # row index as printed: "1", "II", "a", "-", "*", "" for a total row
    cells: list[tuple[int, str]]  # (line number, cleaned cell text), index cell excluded
    header: list[str]  # header names aligned with ``cells`` where certain, else []
    is_group: bool = False

    @property
    def line_start(self) -> int:
        return min(n for n, _ in self.cells) if self.cells else 0

    @property
    def line_end(self) -> int:
        return max(n for n, _ in self.cells) if self.cells else 0


@dataclass
class Table:
    header: list[str]
    rows: list[Row] = field(default_factory=list)
    end: int = 0  # index of the first line after the table


_INDEX = re.compile(r"^(?:\d{1,3}|[IVX]{1,6}|[A-ZĐ]|[a-zđ]|[-–*+•]|\(\d{1,2}\))[.\-)]?$")
_HEADER_START = re.compile(r"^(?:STT|TT|Số TT|Stt|Số thứ tự)$", re.IGNORECASE)
# A total row's label; "Cộng I" (or "Cộng A") totals the group it names. It may say what
# it counts: "TỔNG CỘNG (A+B)", "Tổng cộng: 23 cơ sở".
_TOTAL = re.compile(
    r"^(?:TỔNG SỐ|TỔNG CỘNG|Tổng số|Tổng cộng|(?:Cộng|CỘNG)(?:\s+(?P<group>[IVX]{1,6}|[A-ZĐ]))?)"
    r"(?:\s*\([^)]*\)|:\s*[^:]{1,60})?$"
)
_NUMBERISH = re.compile(r"^[\d.,\s%]+$")
_LETTERS = "abcdđeghiklmnopqrstuvxy"  # the Vietnamese alphabet items are lettered in
# The row under a header numbering its columns: "(1) (2) (3)", "1 2 3", "(6)=(4)+(5)".
_COLUMN_NUMBER = re.compile(r"^\(?(\d{1,2})\)?(?:\s*=\s*[\d()+\-x*/. ]+)?$")


# A note under a table ("Ghi chú: Tỷ lệ giải ngân tính trên ...") ends it.
_NOTE = re.compile(r"^(?:Ghi chú|Chú thích|Lưu ý)\s*:", re.IGNORECASE)


def is_note(text: str) -> bool:
    return bool(_NOTE.match(text))


def is_total(text: str) -> bool:
    """A total row's label cell: "Tổng cộng", "TỔNG SỐ", "Cộng", "Cộng I", "TỔNG CỘNG (A+B)"."""
    return bool(_TOTAL.match(text))


def total_group(text: str) -> str | None:
    """The group a total row's label names ("Cộng II" → "II"); None for any other."""
    m = _TOTAL.match(text)
    return m["group"] if m else None


def is_column_numbers(cells: list[str]) -> bool:
    """Whether a row only numbers the columns above it, 1, 2, 3 ... in order."""
    numbers = [_COLUMN_NUMBER.match(c) for c in cells if c]
    if len(numbers) < 3 or not all(numbers):
        return False
    values = [int(m[1]) for m in numbers if m]
    return values == list(range(values[0], values[0] + len(values)))


def is_cell_table_start(text: str) -> bool:
    """Whether ``text`` heads a table's index column ("STT", "TT", "Số thứ tự"), which opens
    a table typed one cell per line."""
    return bool(_HEADER_START.match(text.strip()))


def is_tab_row(raw: str) -> bool:
    return raw.count("\t") >= 2


def is_pipe_row(raw: str) -> bool:
    s = raw.strip()
    return s.count("|") >= 2 and not (s.count("|") == 1 and s.endswith("|"))


def is_index(label: str) -> bool:
    """Whether ``label`` numbers a row ("11", "II", "a)"), as an index column's cell does."""
    return bool(_INDEX.match(label))


def index_kind(label: str) -> str:
    core = label.rstrip(".-)")
    if core.isdigit():
        return "num"
    if roman_value(core):
        return "roman"
    if len(core) == 1 and core.isupper():
        return "upper"
    if len(core) == 1 and core.isalpha():
        return "lower"
    if core.startswith("("):
        return "paren"
    return "bullet"


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
        if _TOTAL.match(t):
            after = next((x for _, x in islice(lines, i + 1, None) if x), "")
            if not after or _NUMBERISH.match(after) or _INDEX.match(after) or stop(after):
                break
        elif stop(t) or _INDEX.match(t) or _NUMBERISH.match(t):
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
        if _TOTAL.match(t):
            starts_row = True
        elif _INDEX.match(t):
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
                starts_row = core == "a" or _LETTERS.find(core) == _LETTERS.find(last_letter) + 1
            else:
                starts_row = current is None or bool(current.cells)
        if starts_row:
            if current is not None:
                table.rows.append(current)
            label = "" if _TOTAL.match(t) else _label(t)
            current = Row(label=label, cells=[], header=[])
            if _TOTAL.match(t):
                current.cells.append((n, t))
            if index_kind(t) == "num" and not _TOTAL.match(t):
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
        row.is_group = _is_group(row, index_kind(row.label) in {"roman", "upper", "lower"})
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
            if not _INDEX.match(label) or not name:
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
        row = Row(label="" if is_total(label or name) else _label(label), cells=cells, header=heads)
        row.is_group = _is_group(row, index_kind(row.label) in {"roman", "upper", "lower"})
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


def _label(text: str) -> str:
    """Row index as a label: "I-" → "I", "2." → "2"; a lone bullet stays itself."""
    text = text.strip()
    if text.startswith("(") and text.endswith(")"):
        return text
    return text.rstrip(".-–)").strip() or text


def _split_tab(raw: str) -> list[str]:
    return [clean_line(c) for c in raw.rstrip("\n").split("\t")]


def _split_pipe(raw: str) -> list[str]:
    s = raw.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|"):
        s = s[:-1]
    return [clean_line(c) for c in s.split("|")]


def parse_split_table(raw_lines: list[tuple[int, str]], start: int, *, sep: str) -> Table:
    """Parse a tab- or pipe-separated table beginning at ``raw_lines[start]`` (its header)."""
    split = _split_tab if sep == "\t" else _split_pipe
    is_row = is_tab_row if sep == "\t" else is_pipe_row
    n0, raw0 = raw_lines[start]
    header = split(raw0)
    i = start + 1
    # A second header line carries sub-columns under a spanning cell ("NGUỒN VỐN").
    while i < len(raw_lines) and not raw_lines[i][1].strip():
        i += 1
    if i < len(raw_lines) and is_row(raw_lines[i][1]):
        sub = split(raw_lines[i][1])
        if sub and not sub[0] and any(sub) and not is_table_ruler(raw_lines[i][1]):
            header = _merge_headers(header, sub)
            sub_line = raw_lines[i][1]
            i += 1
        else:
            sub_line = None
    else:
        sub_line = None
    header_keys = {raw0.strip(), (sub_line or "").strip()}
    # A column before the index column groups the rows ("Khu vực | STT | Xã, phường ...",
    # its cell spanning the rows of one region): each new value opens a group row, and
    # the rows are named by their own cells, not all by their region's.
    grouped = len(header) > 2 and bool(_HEADER_START.match(header[1]))
    grouped = grouped and not _HEADER_START.match(header[0])
    if grouped:
        group_head, header = header[0], header[1:]
    group = ""
    table = Table(header=header)
    last: list[tuple[int, str]] = []  # the last row's cells, each with its last line
    while i < len(raw_lines):
        n, raw = raw_lines[i]
        s = raw.strip()
        if not s:
            i, last = i + 1, []
            continue
        if not is_row(raw):
            break
        if s in header_keys or is_table_ruler(s):
            i, last = i + 1, []
            continue
        cells = split(raw)
        if grouped and len(cells) > 2:
            if cells[0] and not cells[1] and cells[0] != group:
                # A label over both first columns ("Cộng 9 xã, phường"): in the index's place.
                cells = cells[:1] + cells[2:]
            else:
                if cells[0] and cells[0] != group:
                    group = cells[0]
                    table.rows.append(Row("", [(n, group)], [group_head], is_group=True))
                    last = []
                cells = cells[1:]
        filled = [c for c in cells if c]
        # A page number printed in an empty row at a page break ("\t\t\t- 3 -", "| | Trang 4
        # |"); a bare number there is a figure.
        page = len(filled) == 1 and is_page_number(filled[0]) and not filled[0].isdigit()
        if not cells[0] and page:
            i += 1
            continue
        if not table.rows and is_column_numbers(cells):
            i, last = i + 1, []
            continue
        if _continues(cells, [c for _, c in last]):
            # A row whose long cells were wrapped onto the next line: their text goes on.
            last = [
                (n, f"{a} {b}") if b else (m, a)
                for (m, a), b in zip(last, cells + [""] * (len(last) - len(cells)), strict=False)
            ]
            table.rows[-1] = _row(last, header)
            i += 1
            continue
        last = [(n, c) for c in cells]
        table.rows.append(_row(last, header))
        i += 1
    table.end = i
    return table


def _continues(cells: list[str], last: list[str]) -> bool:
    """Whether a line with an empty index cell goes on with the numbered row just above it:
    it fills only columns that row fills, with words, not figures (a total row states
    figures); some cell goes on in lower case ("huyện Tri Tôn"), and a capital goes on only
    a cell left mid-phrase ("... đoạn từ ngã ba" / "Nhà Bàng ..."). A sub-item without a
    number ("Cải tạo kênh Xáng" / "Nạo vét đoạn đầu kênh") starts its cells anew."""
    if not last or not last[0] or not _INDEX.match(last[0]) or cells[0] or not any(cells):
        return False
    going_on = [c for c in cells if c and (c[0].islower() or c[0] == "(")]
    return bool(going_on) and all(
        not c
        or (
            k < len(last)
            and bool(last[k])
            and not _NUMBERISH.match(c)
            and (c in going_on or _mid_phrase(last[k]))
        )
        for k, c in enumerate(cells)
    )


def _mid_phrase(cell: str) -> bool:
    """Whether a cell was cut mid-phrase: it ends in a lower-case word, a comma or a dash."""
    return cell.split()[-1][:1].islower() or cell.endswith((",", "-", "–"))


def _row(cells_at: list[tuple[int, str]], header: list[str]) -> Row:
    """One table row from its cells (each with the line it ends on)."""
    cells = [c for _, c in cells_at]
    if cells[0] and not _INDEX.match(cells[0]) and not re.match(r"^[IVX]{1,6}\s*[.\-–)]", cells[0]):
        # No index column in this row ("Tổng cộng", or a table without STT): all data.
        label, rest, names = "", cells, header
    else:
        label, rest, names = _label(cells[0]), cells[1:], header[1:]
    lines = [n for n, _ in cells_at][len(cells) - len(rest) :]
    filled = [c for c in rest if c]
    row = Row(label=label, cells=[], header=[])
    if not filled and label:
        # "II- Dự án ngoài ngân sách": index and group title in one cell.
        m = re.match(r"^([IVX]{1,6}|[A-ZĐ]|[a-zđ])\s*[.\-–)]\s*(.+)$", label)
        if m:
            row.label, rest = m.group(1), [m.group(2)]
            lines = lines[:1] or [cells_at[0][0]]
    row.cells = [(n, c) for n, c in zip(lines, rest, strict=False) if c]
    row.header = [h for h, c in zip(names, rest, strict=False) if c]
    if len(row.header) < len(row.cells):
        row.header += [""] * (len(row.cells) - len(row.header))
    kind = index_kind(row.label) if row.label else "bullet"
    # A group row fills only its index and title; a numbered one ("1  Phát triển ...,
    # gồm 03 công việc") groups the "(1)", "(2)" rows below it.
    row.is_group = _is_group(
        row,
        kind in {"roman", "upper", "lower"}
        or row.label == "*"
        or (kind == "num" and len(header) > 3 and len(rest) > 2),
    )
    return row


def _is_group(row: Row, grouping: bool) -> bool:
    """Whether a row of a grouping kind heads the rows below it: it fills only its title, or
    (numbered I or A) its title and the group's figures ("I | HUYỆN PHỤNG HIỆP | | 8.830")."""
    if len(row.cells) <= 1:
        return grouping
    figures = all(_NUMBERISH.match(v) for _, v in row.cells[1:])
    return figures and index_kind(row.label) in {"roman", "upper"}


def _merge_headers(top: list[str], sub: list[str]) -> list[str]:
    """``[NGUỒN VỐN, "", ""]`` over ``[Ngân sách, ODA, Ngoài ngân sách]`` → "NGUỒN VỐN - ODA"."""
    width = max(len(top), len(sub))
    top = top + [""] * (width - len(top))
    sub = sub + [""] * (width - len(sub))
    merged, span = [], ""
    for t, s in zip(top, sub, strict=True):
        if t:
            span = t
        if s:
            merged.append(f"{span} - {s}" if span and span != s else s)
        else:
            merged.append(t)
    return merged
