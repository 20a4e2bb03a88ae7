"""Amounts a question states, and the ranges a provision sets them in.

A fine, a fee or a duty often depends on where an amount falls: "Từ 05 km/h đến dưới 10
km/h: phạt tiền ...", "Vượt quá 80 miligam/100 mililít máu: ...". A question stating the
amount ("xe máy chạy quá tốc độ 15 km/h bị phạt", "nồng độ cồn trên 80mg") is answered by the
point whose range holds it, not by its neighbours, which share every other word.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import NamedTuple

from ..text.normalize import fold
from ..text.words import DATE_UNITS, alternation

# Units an amount is compared in, folded, with the forms that write the same unit.
_UNITS = {
    "km/h": ("km/h", "km/gio"),
    "mg": ("mg", "miligam"),
    "km": ("km",),
    "m": ("m", "met"),
    "kg": ("kg", "kilogam"),
    "tan": ("tan",),
    "tuoi": ("tuoi",),
    "%": ("%", "phan tram"),
    "ha": ("ha", "hecta"),
    "lit": ("lit",),
    "thang": ("thang",),
    "ngay": ("ngay",),
    "nguoi": ("nguoi",),
    "ml": ("ml",),
    "m2": ("m2", "m²"),
    "m3": ("m3", "m³"),
    "cm": ("cm",),
    "mm": ("mm",),
    "mw": ("mw",),
    "kv": ("kv",),
    "sao": ("sao",),  # a grade: "sản phẩm OCOP 4 sao"
}
_UNIT_OF = {form: unit for unit, forms in _UNITS.items() for form in forms}
_UNIT = alternation(_UNIT_OF, "")
_NUM = r"\d+(?:[.,]\d+)*"
_AMOUNT = rf"({_NUM})\s*({_UNIT})(?!\w|/[^\W\d])"  # "80 miligam/100 mililít", not "m/s"
_ABOVE = r"tren|vuot qua|qua"
_BELOW = r"duoi|chua vuot qua|khong qua|toi da|chua den"
# "từ 10 km/h đến 20 km/h", "vượt quá 50 miligam đến 80 miligam", "trên 20 đến 35 km/h"
_BETWEEN = re.compile(
    rf"(?<!\w)(tu|{_ABOVE})\s+({_NUM})\s*(?:({_UNIT})\s+)?(?:den|toi)\s+(duoi\s+)?{_AMOUNT}"
)
_FROM = re.compile(rf"(?<!\w)(tu|{_ABOVE})\s+{_AMOUNT}(\s+tro len)?(?!\s+(?:den|toi)\s)")
_UNDER = re.compile(rf"(?<!\w)({_BELOW})\s+{_AMOUNT}")
# Not what an amount is per: "80mg/100ml" states 80 mg.
_STATED = re.compile(rf"(?<![\w.,/])(?:({_ABOVE}|{_BELOW})\s+)?{_AMOUNT}")
# Amounts saying when or per what, not of what: "6 tháng đầu năm" is a part of the year
# (intent.periods_of), "bao nhiêu tiền 1 ha" asks a rate.
_NOT_OF = {fold(u) for u in DATE_UNITS}

Range = tuple[float, float, str]  # low, high, unit; a bound of an open end is nudged


class Amount(NamedTuple):
    value: float  # nudged when open: "trên 80mg" is just above 80
    unit: str  # folded, one form per unit ("km/h" for "km/giờ")
    typed: str  # as the question writes it


def _value(text: str) -> float:
    """ "1.000.000" → 1000000, "0,4" → 0.4, "05" → 5."""
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", text):
        text = text.replace(".", "")
    return float(text.replace(".", "").replace(",", ".") if "," in text else text)


def _nudge(value: float, up: bool) -> float:
    return math.nextafter(value, math.inf if up else -math.inf)


def stated_amounts(text: str, *, nudged: bool = True) -> list[Amount]:
    """The amounts a text states, as points: "trên 80mg" is just above 80 mg (as a
    question states it), or 80 mg as written (not ``nudged``: a passage's figure)."""
    out = []
    for m in _STATED.finditer(fold(text.lower())):  # folding keeps every character in place
        side, number, unit = m.groups()
        value = _value(number)
        if side and nudged:
            value = _nudge(value, up=bool(re.fullmatch(_ABOVE, side)))
        out.append(Amount(value, _UNIT_OF[unit], text[m.start(2) : m.end()]))
    return out


def ranges(text: str) -> list[Range]:
    """The ranges ``text`` sets amounts in ("Từ 05 km/h đến dưới 10 km/h": [5, 10))."""
    low = fold(text.lower())
    out: list[Range] = []
    for m in _BETWEEN.finditer(low):
        side, a, _, below, b, unit = m.groups()
        lo = _value(a) if side == "tu" else _nudge(_value(a), up=True)
        hi = _nudge(_value(b), up=False) if below else _value(b)
        out.append((lo, hi, _UNIT_OF[unit]))
    low = _BETWEEN.sub(lambda m: " " * len(m.group()), low)  # its ends are no ranges of their own
    for m in _UNDER.finditer(low):
        side, b, unit = m.groups()
        high = _nudge(_value(b), up=False) if side in ("duoi", "chua den") else _value(b)
        out.append((-math.inf, high, _UNIT_OF[unit]))
    low = _UNDER.sub(lambda m: " " * len(m.group()), low)  # "chưa vượt quá 50" is no "quá 50"
    for m in _FROM.finditer(low):
        side, a, unit, _ = m.groups()
        lo = _value(a) if side == "tu" else _nudge(_value(a), up=True)
        out.append((lo, math.inf, _UNIT_OF[unit]))
    return out


def fit(amounts: Sequence[Amount], text: str) -> int:
    """1 when ``text`` states an amount asked, or a range of it holds one; -1 when it sets
    ranges in the amounts' units and none holds one; else 0. "Sản phẩm đạt 4 sao: 80 triệu
    đồng" fits "4 sao" as well as "từ 4 sao trở lên" does; "trong 5 tháng đầu năm" says
    when a figure is, not which ("compared")."""
    if not amounts:
        return 0
    if any(_said(a, p) for a in compared(amounts) for p in stated_amounts(text, nudged=False)):
        return 1
    set_ = [r for r in ranges(text) if any(r[2] == a.unit for a in amounts)]
    if not set_:
        return 0
    return 1 if any(_in_range(a, set_) for a in amounts) else -1


def _said(amount: Amount, point: Amount) -> bool:
    """Whether a point of a text is the amount: "trên 80mg", just above 80, is not "80 mg".
    A whole number names a figure with decimals by its whole part, as people say it: "cự
    ly 42km" is "42,195 km", "tỷ lệ 41%" is "41,3%"."""
    if point.unit != amount.unit:
        return False
    return point.value == amount.value or (
        amount.value.is_integer() and math.floor(point.value) == amount.value
    )


def _in_range(amount: Amount, set_: list[Range]) -> bool:
    return any(lo <= amount.value <= hi for lo, hi, unit in set_ if unit == amount.unit)


def _exact(amount: Amount) -> bool:
    """Whether a question states the amount itself ("4 sao"), not an open end ("trên 80mg"):
    read again as written, it is the same point."""
    return amount in stated_amounts(amount.typed, nudged=False)


def compared(amounts: Sequence[Amount]) -> list[Amount]:
    """The amounts of what a question asks about, not when or per what."""
    return [a for a in amounts if a.unit not in _NOT_OF and a.value != 1]


def other_amounts(amounts: Sequence[Amount], text: str, *, counting: bool = False) -> list[Amount]:
    """The amounts a question states of what it asks about that ``text`` states others of,
    in the same unit, and not these: "8.200 đồng/hộp 180 ml" is not of "hộp 110 ml", "168
    sản phẩm 3 sao" not of "4 sao". A range holding the amount states it ("từ 4 sao trở
    lên"), unless the question is ``counting`` things of exactly that amount: "bao nhiêu sản
    phẩm OCOP 4 sao" is not "182 sản phẩm từ 3 sao trở lên"."""
    points, set_ = stated_amounts(text, nudged=False), ranges(text)
    out = []
    for a in compared(amounts):
        if any(_said(a, p) for p in points):
            continue
        if _in_range(a, set_) and not (counting and _exact(a)):
            continue
        if any(p.unit == a.unit for p in points) or any(u == a.unit for *_, u in set_):
            out.append(a)
    return out
