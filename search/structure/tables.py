"""Appendix tables in the flattened forms documents arrive in.

* cell per line: a header cell per line after ``STT``/``TT``, then rows that start with a
  row index line (``1``, ``I``, ``a``, ``-``); empty cells were dropped, so a row with fewer
  cells than the header cannot be aligned with certainty. Where the export kept each empty
  cell as a blank line and ends each row with one, rows are read by position instead.
* tab-separated: one row per line, header rows repeated on every page, HTML left in cells.
* pipe-separated: ``| a | b |`` rows, with or without the outer pipes, markdown rulers.

The rows and tables all three give, and what they share (row indexes, total rows, group
rows), are here; each form's parser is in its own module (``cell_table``, ``split_table``).
Each parser returns rows with their source line numbers; grouping and chunking happen later.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

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


INDEX = re.compile(r"^(?:\d{1,3}|[IVX]{1,6}|[A-ZĐ]|[a-zđ]|[-–*+•]|\(\d{1,2}\))[.\-)]?$")
HEADER_START = re.compile(r"^(?:STT|TT|Số TT|Stt|Số thứ tự)$", re.IGNORECASE)
# A total row's label; "Cộng I" (or "Cộng A") totals the group it names. It may say what
# it counts: "TỔNG CỘNG (A+B)", "Tổng cộng: 23 cơ sở".
TOTAL = re.compile(
    r"^(?:TỔNG SỐ|TỔNG CỘNG|Tổng số|Tổng cộng|(?:Cộng|CỘNG)(?:\s+(?P<group>[IVX]{1,6}|[A-ZĐ]))?)"
    r"(?:\s*\([^)]*\)|:\s*[^:]{1,60})?$"
)
NUMBERISH = re.compile(r"^[\d.,\s%]+$")
LETTERS = "abcdđeghiklmnopqrstuvxy"  # the Vietnamese alphabet items are lettered in
# The row under a header numbering its columns: "(1) (2) (3)", "1 2 3", "(6)=(4)+(5)".
_COLUMN_NUMBER = re.compile(r"^\(?(\d{1,2})\)?(?:\s*=\s*[\d()+\-x*/. ]+)?$")


# A note under a table ("Ghi chú: Tỷ lệ giải ngân tính trên ...") ends it.
_NOTE = re.compile(r"^(?:Ghi chú|Chú thích|Lưu ý)\s*:", re.IGNORECASE)


def is_note(text: str) -> bool:
    return bool(_NOTE.match(text))


def is_total(text: str) -> bool:
    """A total row's label cell: "Tổng cộng", "TỔNG SỐ", "Cộng", "Cộng I", "TỔNG CỘNG (A+B)"."""
    return bool(TOTAL.match(text))


def total_group(text: str) -> str | None:
    """The group a total row's label names ("Cộng II" → "II"); None for any other."""
    m = TOTAL.match(text)
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
    return bool(HEADER_START.match(text.strip()))


def is_tab_row(raw: str) -> bool:
    return raw.count("\t") >= 2


def is_pipe_row(raw: str) -> bool:
    s = raw.strip()
    return s.count("|") >= 2 and not (s.count("|") == 1 and s.endswith("|"))


def is_index(label: str) -> bool:
    """Whether ``label`` numbers a row ("11", "II", "a)"), as an index column's cell does."""
    return bool(INDEX.match(label))


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


def row_label(text: str) -> str:
    """Row index as a label: "I-" → "I", "2." → "2"; a lone bullet stays itself."""
    text = text.strip()
    if text.startswith("(") and text.endswith(")"):
        return text
    return text.rstrip(".-–)").strip() or text


def is_group_row(row: Row, grouping: bool) -> bool:
    """Whether a row of a grouping kind heads the rows below it: it fills only its title, or
    (numbered I or A) its title and the group's figures ("I | HUYỆN PHỤNG HIỆP | | 8.830")."""
    if len(row.cells) <= 1:
        return grouping
    figures = all(NUMBERISH.match(v) for _, v in row.cells[1:])
    return figures and index_kind(row.label) in {"roman", "upper"}
