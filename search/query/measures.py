"""Whether a passage states the number a question asks (Query.measure, folded).

A number answers only in what the question measures: a count beside what it counts ("12
vụ"), a quantity in its units ("1.200 ha" for "diện tích"), a price as a sum per something,
a rate beside its name, a telephone number as one; a column naming the measure ("Số điểm
bán: 24") states it for the cell it heads. Any other number on the topic answers nothing.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..text.normalize import fold
from ..text.words import (
    DATE_UNITS,
    FUNCTION_WORDS,
    MAP_SCALE,
    MEASURE_UNITS,
    PAYMENT,
    PAYMENTS,
    PEOPLE,
    PERSON,
    PHONE,
    PHONE_LINES,
    PRICE,
    RATES,
    STATED_BY_UNITS,
    UNIT_LOOKALIKES,
    UNITS_OF_MEASURE,
    alternation,
)
from .query import NOT_PRICED, PRICE_SAID
from .units import NUMBER, units_placed


def holds_measure(text: str, measure: str, within: str = "") -> bool:
    """Whether ``text`` holds a number beside what a question counts or dates (Query.measure,
    folded): "15 km" or "1,2 triệu lượt khách" for "km" / "khach", "tháng 10" for "thang",
    "40% GRDP" for "grdp"; a line (a table row's cell) "Tổng mức đầu tư: - Phần xây dựng:
    57.836.000" for "tong muc dau tu".
    Up to two words may come between, so a count said another way is not taken for none;
    what a rate is per ("3.000.000 đồng/tàu/năm") counts nothing.
    ``within`` is the row ``text`` is a cell of: it names what a "Số lượng" cell counts."""
    if measure == _PRICE:
        return bool(_PRICE_STATED.search(units_placed(text).lower()))
    if measure == _PHONE:
        return bool(_PHONE_NUMBER.search(text))
    if measure in _RATES:
        return bool(_rate_re(measure).search(fold(text.lower())))
    if measure == _PAYMENT and _SHARE_PAID.search(text.lower()):
        return True  # "giảm 50% lệ phí"; "100% hồ sơ" pays nothing, a sum must
    folded = MAP_SCALE.sub(" ", _folded(units_placed(text), measure))
    if _measure_re(measure).search(folded):
        return True
    # A thing is counted by a label "Số lượng (con): 200.000" too, where the row or the
    # item names it ("Loài thả: Tôm càng xanh"): another row's count is not of it.
    if measure in _NOT_COUNTED or _MEASURE_UNITS.get(measure):
        return False
    if not _QUANTITY_STATED.search(folded):
        return False
    return bool(re.search(rf"(?<!\w){re.escape(measure)}(?!\w)", fold((within or text).lower())))


def holds_rate(text: str, per: str) -> bool:
    """Whether ``text`` states an amount per ``per`` (folded): "300.000 đồng/khách",
    "đồng/lượt khách", "30 triệu đồng mỗi hộ", "một mét vuông"; per a time, "02 lần trong
    năm" and "họp hằng tháng" too, but not "trong năm 2025", a year named."""
    # The unit, and what else writes it ("hecta" is written "ha", "mét vuông" "m2").
    units = {per}
    for measure, written in _MEASURE_UNITS.items():
        forms = {fold(u.lower()) for u in written}
        if per == measure or per in forms:
            units |= forms | {measure}
    rate = rf"(?:/\s*(?:\w+\s+)?|(?<!\w)(?:moi|mot|tren|1)\s+)(?:{alternation(units)})"
    if per in _DATE_UNITS:
        rate += rf"|(?<!\w)(?:hang|trong)\s+{per}(?!\w|\s*\d)"
    return bool(re.search(rate, fold(text.lower())))


_MEASURE_UNITS = {fold(k): v for k, v in MEASURE_UNITS.items()}  # keyed as Query.measure
# Units as spelled. Folded, "hoạt động" is "hoat dong", "xã Tân Thành" "xa tan" and "hạ tầng"
# "ha tang": a sum in đồng, a weight in tấn, an area in ha. A word spelled with other marks
# than a unit's is not that unit, whatever it folds to; a unit of two words ("lao động")
# is read whole.
_UNIT_SPELLINGS = {u.lower() for units in MEASURE_UNITS.values() for u in units}
_UNIT_FOLDS = {fold(u) for u in _UNIT_SPELLINGS if " " not in u}
_UNIT_PHRASES = alternation((u for u in _UNIT_SPELLINGS if " " in u), "")
_FUNCTION_SPELLED = {w for w in FUNCTION_WORDS if fold(w) != w}  # "của", "các"
_LOOKALIKES = set(UNIT_LOOKALIKES)
_UNIT_WORD = re.compile(rf"(?<!\w)(?:{_UNIT_PHRASES}|{alternation(_LOOKALIKES, '')})(?!\w)|\w+")


def _folded(text: str, measure: str) -> str:
    """``text`` lower-cased and folded, a word folding to a unit it is not spelled as kept
    apart from it ("hoạt động" → "hoat qdong"), unless it is a word of what is counted
    (``measure``, folded: "hồ sơ" for "bao nhiêu hồ sơ" is no "hộ"); so is a word opening
    with a unit that names something else ("đồng hồ" → "qdong qho"), and a function word as
    spelled ("của" → "qcua"), which counts nothing."""
    counted = set(measure.split())

    def word(m: re.Match[str]) -> str:
        w = m.group(0)
        folded = fold(w)
        if w in _FUNCTION_SPELLED:
            return "q" + folded  # "năm 2025 của Ủy ban" counts no "cua" (crabs)
        if w in _LOOKALIKES and not set(folded.split()) <= counted:
            return " ".join("q" + part for part in folded.split())  # "4.200 đồng hồ"
        unit = folded in _UNIT_FOLDS and folded not in counted
        return "q" + folded if unit and w not in _UNIT_SPELLINGS else folded

    low = text.lower()
    return low if low.isascii() else _UNIT_WORD.sub(word, low)


_DATE_UNITS = {fold(u) for u in DATE_UNITS}
_PHONE = fold(PHONE)
# A telephone number: ten or eleven digits from 0, in groups ("0290.3831.234", "(0290)
# 3 831 234", "0913 123 456"), a 1800/1900 line, or a three-digit emergency line called.
_PHONE_NUMBER = re.compile(
    r"(?<![\d.,/])(?:\(?0\d{2,3}\)?[ .\-]?\d(?:[ .\-]?\d){5,7}|1[89]00[ .\-]?\d(?:[ .\-]?\d){3,5})"
    r"(?![\d/]|[.,]\d)"
    rf"|(?i:{alternation(('gọi', 'số', *PHONE_LINES), '')})[^\S\n]+(?:số[^\S\n]+)?11\d(?!\d)"
)
_PRICE = fold(PRICE)
_PAYMENT = fold(PAYMENT)


def _share_beside(names: str) -> str:
    """A share on one line with one of ``names`` (an alternation, whole words), after it or
    just before it: "giảm 50% lệ phí", "tỷ lệ lấp đầy đạt 68,8%"; folded or not."""
    share = rf"{NUMBER}[^\S\n]*(?:%|phần trăm|phan tram)"
    named = rf"(?<!\w)(?:{names})(?!\w)"
    return rf"{named}[^\n]{{0,80}}?{share}|{share}[^\S\n]+(?:\w+[^\S\n]+)?{named}"


# A share of what is paid, read as spelled: folded, "thu" would be "thủ tục".
_SHARE_PAID = re.compile(_share_beside(alternation(PAYMENTS, "")))
_RATES = {fold(r) for r in RATES}
_PERSON = fold(PERSON)
# A price is a sum per something ("50.000 đồng/người", "45.000 đồng một ký"), or a sum
# stated after "giá" ("giá vé 50.000 đồng", "Đơn giá (đồng/m2): 1.200.000"); read with its
# diacritics, as "gia" folded is "gia đình" and "tham gia". A budget ("kinh phí 2 tỷ
# đồng"), a share or a count is no price.
_MONEY = alternation(u.lower() for u in MEASURE_UNITS[PRICE])
_PRICE_STATED = re.compile(
    rf"{NUMBER}(?:[^\S\n]+\S+){{0,2}}?[^\S\n]*(?:{_MONEY})[^\S\n]*(?:/|(?:mỗi|một|1)\s)"
    rf"|{NOT_PRICED}{PRICE_SAID}[^\n]{{0,80}}?(?:{NUMBER}[^\S\n]*(?:{_MONEY})|(?:{_MONEY})[^\n:]*:[^\S\n]*\d)"
)
_STATED_BY_UNITS = {fold(m) for m in STATED_BY_UNITS}
_DAY = fold("ngày")
# What a "Số lượng" column does not state: a measure in its own units, a time, a rank.
_NOT_COUNTED = {fold(u.lower()) for u in (*UNITS_OF_MEASURE, *DATE_UNITS)} | _STATED_BY_UNITS
_FULL_DATE = r"(?<![\d/])\d{1,2}/\d{1,2}/\d{4}(?![\d/])"


# A list item's marker before a label ("b) Giáo viên tiểu học: 438"), folded.
_ITEM = r"(?:(?:[a-zd]|\d{1,2}|[ivx]{1,4})[.)]|[-+•])[^\S\n]+"


@lru_cache(maxsize=8)
def _rate_re(rate: str) -> re.Pattern[str]:
    """A share on one line with the rate's name (folded)."""
    return re.compile(_share_beside(re.escape(rate)))


@lru_cache(maxsize=256)
def _measure_re(measure: str) -> re.Pattern[str]:
    units = _MEASURE_UNITS.get(measure, ())
    alternatives = {fold(u.lower()) for u in units}
    if measure not in _STATED_BY_UNITS:  # the other measures are counted nouns: "12 vụ"
        alternatives.add(measure)
    words = alternation(alternatives, "")
    # A number and its unit are on one line: in a table row each line is a cell, and
    # "11.400" ends one where "Tỷ lệ (%)" ("ty" folded, as "tỷ" đồng) starts the next. A
    # column is named by the measure, not by a unit.
    # A date written out ("30/6/2025", a deadline column's cell) states a day. A column
    # "Số điểm bán: 24" counts what it names.
    day = rf"|{_FULL_DATE}" if measure == _DAY else ""
    # Any column of what is stated in the same units answers: a sum asked as "kinh phí" is
    # in the row's "Tổng mức đầu tư: 30.000" column. (Names of two words or more: folded,
    # "tiền" is "Tiến độ".)
    alike = {m for m, u in _MEASURE_UNITS.items() if units and u == units and " " in m}
    named = alternation(alike | {measure}, "")
    # People are counted by their role in a label too, a number its value: "Giáo viên tiểu
    # học: 438 chỉ tiêu", "Số đối tượng 31/12/2025: 862"; not "Đối tượng: Học sinh lớp 9".
    roles = alternation({fold(p) for p in PEOPLE}, "") if measure == _PERSON else ""
    counted = rf"|{_labelled(roles)}[^\S\n]*\d" if roles else ""
    return re.compile(
        rf"{NUMBER}%?(?:[^\S\n]+\S+){{0,2}}?[^\S\n]*(?<!/)(?<![^\W\d_])(?:{words})(?!\w)"
        rf"|(?<!\w)(?:{words})[^\S\n]+\d"
        rf"|{_labelled(named)}[^\n]*?\d{day}{counted}"
    )


def _labelled(names: str) -> str:
    """A line labelled by one of ``names`` (an alternation, folded) up to the colon before
    its value, as a list item or a table row's cell writes it: "b) Số đối tượng 31/12/2025:"."""
    return rf"(?m:^)(?:{_ITEM})?(?:so\s+)?(?:{names})(?!\w)[^:\n]{{0,30}}:"


_QUANTITY_STATED = re.compile(rf"{_labelled(fold('số lượng'))}[^\S\n]*\d")
