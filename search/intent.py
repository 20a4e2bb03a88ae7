"""What a query says about *which document* it wants: a year or period, a document type,
a number, an issuing body ("năm 2024", "6 tháng đầu năm 2026", "Chỉ thị 04", "chương trình
của Tỉnh ủy"). Turned into a prior per document that ranking adds to passage scores.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .metadata import DOC_TYPES
from .records import DocMeta
from .textnorm import fold

_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
_RANGE = re.compile(r"\b(20\d\d)\s*[-–]\s*(20\d\d)\b")
# A year after these words is a target or horizon ("đến năm 2030"), not the document's year.
_TARGET_BEFORE = re.compile(r"(?:đến|tới|tầm nhìn|trước|sau|giai đoạn)\s+(?:năm\s+)?$")
_NUMBER = re.compile(r"\b(\d{1,4})\s*/\s*([A-Za-zĐđ][\w\-/]*)")
# "Chỉ thị 04" names a number; "chương trình công tác 6 tháng" does not.
_TYPE_NUMBER = re.compile(
    r"^\s*(?:so\s*)?(\d{1,4})\b(?!\s*(?:thang|ngay|quy|%|/))(?!\s*nam\b(?!\s*\d{4}))"
)

_PARTY = ("tỉnh ủy", "tỉnh uỷ", "ban chấp hành đảng bộ", "ban thường vụ tỉnh ủy", "đảng bộ tỉnh")
_GOV = ("ubnd", "ủy ban nhân dân", "uỷ ban nhân dân")


@dataclass
class Intent:
    years: set[int] = field(default_factory=set)
    doc_types: set[str] = field(default_factory=set)
    numbers: set[str] = field(default_factory=set)  # "04" or "04/CT-UBND"
    bodies: set[str] = field(default_factory=set)  # "party" | "gov"

    def empty(self) -> bool:
        return not (self.years or self.doc_types or self.numbers or self.bodies)


def read_intent(query: str) -> Intent:
    q = query.strip()
    low = q.lower()
    intent = Intent()
    for m in _YEAR.finditer(q):
        if _TARGET_BEFORE.search(low[: m.start()]):
            continue
        intent.years.add(int(m.group(1)))
    for m in _NUMBER.finditer(q):
        intent.numbers.add(f"{int(m.group(1)):02d}/{m.group(2)}".lower())
    folded = fold(low)
    for name in DOC_TYPES:
        key = fold(name.lower())
        at = folded.find(key)
        if at < 0 or (at > 0 and folded[at - 1].isalnum()):
            continue
        if any(
            fold(t.lower()).startswith(key) and fold(t.lower()) in folded and t != name
            for t in DOC_TYPES
        ):
            continue  # "chương trình hành động" beats "chương trình"
        intent.doc_types.add(name)
        rest = _TYPE_NUMBER.match(folded[at + len(key) :])
        if rest:
            intent.numbers.add(f"{int(rest.group(1)):02d}")
    if any(fold(p) in folded for p in _PARTY):
        intent.bodies.add("party")
    if any(fold(g) in folded.replace("uy ban nhan dan", "ubnd") or g in low for g in _GOV):
        intent.bodies.add("gov")
    return intent


def doc_years(meta: DocMeta) -> set[int]:
    """Years a document is about: its own year and the years or periods its title names."""
    years = {meta.year} if meta.year else set()
    title = meta.title or ""
    for a, b in _RANGE.findall(title):
        years.update(range(int(a), int(b) + 1))
    years.update(int(y) for y in _YEAR.findall(title))
    return years


def doc_prior(intent: Intent, meta: DocMeta) -> float:
    """Share of the query's document constraints this document meets (0 when none given)."""
    checks: list[bool] = []
    if intent.years:
        checks.append(bool(intent.years & doc_years(meta)))
    if intent.doc_types:
        named = f"{meta.doc_type or ''} {meta.title or ''}".lower()
        checks.append(
            bool(meta.doc_type) and any(named.startswith(t.lower()) for t in intent.doc_types)
        )
    if intent.numbers:
        number = (meta.number or "").lower()
        checks.append(
            any(
                number == n or number.startswith(n + "/") or number.startswith(n + "-")
                for n in intent.numbers
            )
        )
    if intent.bodies:
        issuer = fold((meta.issuer or "").lower())
        number = (meta.number or "").upper()
        party = any(fold(p) in issuer for p in _PARTY) or "/TU" in number
        gov = "uy ban nhan dan" in issuer or "UBND" in number
        checks.append(("party" in intent.bodies and party) or ("gov" in intent.bodies and gov))
    if not checks:
        return 0.0
    return sum(checks) / len(checks)
