"""The parts of a year and the stages a text names: "quý I", "9 tháng đầu năm", "cả năm";
"giai đoạn 2", "đợt II", "học kỳ I", "chợ hạng 3". A query naming one asks of it; a passage
naming only others is of another part or stage."""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..text.normalize import fold, is_accented
from ..text.numerals import roman_value

# A part of a year a figure is of: "quý I", "quý 2", "5 tháng đầu năm", "9 tháng đầu năm";
# or the whole of it ("chỉ tiêu cả năm 2025", not "cả năm học").
_MONTH_COUNTS = {"ba": "3", "sáu": "6", "chín": "9"}
_PERIOD = re.compile(
    r"(?i)(?<!\w)(?:quý\s+(I{1,3}|IV|[1-4])(?!\w)"
    rf"|([1-9]|1[01]|{'|'.join(_MONTH_COUNTS)})\s+tháng(?:\s+(đầu|cuối)\s+năm|(?=\s+năm\s+\d{{4}}))"
    r"|(cả\s+năm)(?!\s+học))"
)
# The same, typed without diacritics ("quy I nam 2025", "6 thang dau nam").
_FOLDED_PERIOD = re.compile(fold(_PERIOD.pattern))
_SAME_AS_QUARTER = {"3 tháng đầu": "q1", "3 tháng cuối": "q4"}
_WRITTEN = {fold(w): w for w in (*_MONTH_COUNTS, "đầu", "cuối")}


def periods_of(text: str) -> dict[str, str]:
    """The parts of a year ``text`` names, keyed ("q1", "6 tháng đầu", "cả năm") → as
    written; "3 tháng đầu năm" is "quý I", "10 tháng năm 2025" the first ten. A length
    ("hết hạn dưới 6 tháng") is none."""
    out: dict[str, str] = {}
    found = _PERIOD.finditer(text) if is_accented(text) else _FOLDED_PERIOD.finditer(text)
    for m in found:
        if m.group(1):
            quarter = m.group(1).upper()
            key = f"q{roman_value(quarter) or quarter}"
        elif m.group(2):
            count = _WRITTEN.get(fold(m.group(2).lower()), m.group(2))
            months = _MONTH_COUNTS.get(count, count)
            # "10 tháng năm 2025", a report's months, are the first ten.
            part = _WRITTEN[fold(m.group(3).lower())] if m.group(3) else "đầu"
            key = f"{months} tháng {part}"
            key = _SAME_AS_QUARTER.get(key, key)
        else:
            key = "cả năm"
        out.setdefault(key, m.group(0))
    return out


# A stage of a project or a campaign: "giai đoạn 2", "(giai đoạn II)", "đợt 1", "đợt cao
# điểm thứ 3"; not a span of years ("giai đoạn 2021 - 2025"). Read folded, so typed without
# marks too. A class is read so ("chợ hạng 3", "đô thị loại II"): one of several, named by
# its number.
_PHASE = re.compile(
    r"(?<!\w)(?i:giai doan|dot(?:\s+cao\s+diem)?|hoc ky|hang|loai)(?:\s+(?i:thu))?"
    r"\s+([1-9]|1[0-9]|I{1,3}|IV|VI{0,3}|IX|X)(?![\w/.,]\d|\w)"
)
_CLASSES = {"hang": "hạng", "loai": "loại"}  # folded → as a class is written


def phases_of(text: str) -> dict[int, str]:
    """The stages ``text`` names → as written: "giai đoạn 2", "đợt II" → {2: "đợt II"}; a
    school year's terms are so too ("học kỳ I"), and classes ("chợ hạng 3")."""
    out: dict[int, str] = {}
    for m in _PHASE.finditer(fold(text)):  # folding keeps every character in its place
        n, said = m.group(1), text[m.start() : m.end()]
        # Typed with marks, "hàng 1 triệu" (goods) and "loài" (species) are no class.
        word = said.split()[0].lower()
        if is_accented(word) and fold(word) in _CLASSES and word not in _CLASSES.values():
            continue
        if stage := int(n) if n.isdigit() else roman_value(n):
            out.setdefault(stage, said)
    return out


def other_stage(asked: Mapping[int, str], text: str) -> bool:
    """Whether ``text`` names stages, none of them ``asked``."""
    stages = phases_of(text)
    return bool(stages) and not stages.keys() & asked.keys()
