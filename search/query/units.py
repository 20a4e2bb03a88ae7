"""The unit a figure of a table row is in, wherever the table states it.

A row's figures are bare numbers; the unit is in a column's name ("Chiều dài (m): 350", a
group's "Giá trị (tỷ đồng) - Tổng: 68"), in a column of the row ("Đơn vị tính: Ha"), or under
the table's title ("Đơn vị tính: triệu đồng"), which the parser keeps in the row's context.
A unit the row or table states covers its figures, but not those of columns that count,
date or name their own ("Số hộ", "Thời gian", "Tỷ lệ (%)"), nor a year ("Năm hoàn thành:
2026"). A row's own unit is placed after its figures, so a question counting "ha" finds
them. The table's is placed in the answer, which then says what its number is ("Kinh phí -
Tổng số: 82.140 triệu đồng"), and read for a question counting in that unit ("bao nhiêu
triệu"), not for one naming a kind of figure ("tổng mức đầu tư"): read so, any sum of the
table answered it, and near-misses were missed.
"""

from __future__ import annotations

import re

from ..records import Chunk
from ..text.normalize import fold

NUMBER = r"\d(?:[\d.,]*\d)?"  # a number ends at its last digit: "Quốc lộ 1, đường Hồ"
# The unit ends where an aside on it starts: "Đơn vị tính: đơn vị máu (quy đổi 250 ml)".
_STATED = re.compile(r"(?:Đơn vị(?: tính)?|ĐVT)\s*:\s*([^()\n;:]{1,20}?)\s*(?:[();\n]|$)", re.I)
_OWN_STATED = re.compile(rf"^{_STATED.pattern}", re.I | re.M)
_NAMED = re.compile(r"^([^\n:()]*)\(([^()\n]{1,20})\)([^\n:()]*):\s*(.+)$", re.M)
_OWN_UNIT = re.compile(r"^(?:STT|TT|Số|Thời|Ngày|Tháng|Quý|Đơn vị)\b|\(|%|tỷ lệ", re.I)
_FIGURE = re.compile(rf"(?!(?:19|20)\d\d(?!\d|[.,]\d)){NUMBER}")
_FIGURE_CELL = re.compile(rf"^([^\n:]+):(\s*{_FIGURE.pattern})(?=\s|$)", re.M)


def table_unit(context: str) -> str:
    """The unit stated under a table's title, kept in its rows' context; "" if none."""
    m = _STATED.search(context or "")
    return m.group(1) if m else ""


def row_unit(text: str) -> str:
    """The unit a table row's own column states ("Đơn vị tính: Ha"); "" if none."""
    m = _OWN_STATED.search(text)
    return m.group(1) if m else ""


def in_unit(head: str, value: str, unit: str) -> tuple[str, str]:
    """A cell as an answer shows it: a figure with the unit its column names after it
    ("Số tiền xử phạt (triệu đồng)", "1.185" → "Số tiền xử phạt", "1.185 triệu đồng"),
    or else the table's ``unit``."""
    if not _FIGURE.fullmatch(value):
        return head, value
    if named := _NAMED.fullmatch(f"{head}: {value}"):
        return _unnamed(named), f"{value} {named.group(2)}"
    if unit and head and not _OWN_UNIT.search(head):
        return head, f"{value} {unit}"
    return head, value


def _unnamed(m: re.Match[str]) -> str:
    """A heading without the unit it names in brackets."""
    return f"{m.group(1).rstrip()}{m.group(3).rstrip()}"


def units_placed(text: str) -> str:
    """A row's lines ("Header: value") with each figure followed by its unit: the one its
    column names ("Chiều dài (m): 350" → "Chiều dài: 350 m"), else the one a column of the
    row states ("Đơn vị tính: Ha")."""
    text = _NAMED.sub(lambda m: f"{_unnamed(m)}: {m.group(4)} {m.group(2)}", text)
    own = row_unit(text)
    return _placed(text, own) if own else text


def in_table_unit(chunk: Chunk) -> str:
    """A passage's text with a table row's bare figures in the unit its table states, for a
    question counting in that very unit ("bao nhiêu triệu"): it reads them so, while one
    naming a kind of figure ("tổng mức đầu tư") is answered only by a column of that kind."""
    unit = table_unit(chunk.context) if chunk.kind == "table_row" else ""
    return _placed(chunk.text, unit) if unit else chunk.text


def counts_table_unit(chunk: Chunk, measure: str) -> bool:
    """Whether a question counting ``measure`` (folded) counts in the unit a table row's
    table states: "bao nhiêu đơn vị máu" (measure "don") of "Đơn vị tính: đơn vị máu"."""
    unit = table_unit(chunk.context) if chunk.kind == "table_row" else ""
    return bool(measure) and f"{fold(unit.lower())} ".startswith(f"{measure} ")


def _placed(text: str, unit: str) -> str:
    """``unit`` after each figure of a row's lines but those of columns naming their own."""
    return _FIGURE_CELL.sub(
        lambda m: m.group(0) if _OWN_UNIT.search(m.group(1)) else f"{m.group(0)} {unit}", text
    )
