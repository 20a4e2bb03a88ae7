"""The places, the proper names and the body whose duties a query names ("huyện Kế Sách",
"U Minh - Khánh Hội", "Sở Y tế có nhiệm vụ gì"), and whether a passage names them: a
passage about another place, another road or another body's tasks does not answer."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from ..records import Chunk
from ..text.normalize import fold
from ..text.words import (
    AGENCIES,
    CAPITAL,
    PLACE_UNITS,
    WORD,
    alternation,
    could_be_syllable,
    folded,
)

# An administrative unit before a name ("huyện Kế Sách", "Xã Tham Đôn", "TP. Cà Mau"); the
# unit word in any case (a table cell starts with it), the name capitalised.
PLACE = re.compile(
    rf"(?<!\w)(?i:{alternation(set(PLACE_UNITS) | folded(PLACE_UNITS), '')})\.?\s+(?={CAPITAL})"
)


@dataclass(frozen=True)
class Place:
    unit: str  # folded: "huyen", "tinh", "tp"
    name: str  # folded: "ke sach"
    typed: str  # as the query writes it: "huyện Kế Sách"


def named_places(query: str) -> frozenset[Place]:
    """The places a query names by unit and name ("huyện Kế Sách"): the name is the run of
    capitalised syllables after the unit word; an abbreviation ("TP HCM") names none here,
    its written-out form may be spelled many ways."""
    out = set()
    for m in PLACE.finditer(query):
        name, end = [], m.end()
        for w in WORD.finditer(query, m.end()):
            word = w.group()
            if query[end : w.start()].strip() or not word[0].isupper():
                break  # punctuation or a lower-case word ends the name
            if not could_be_syllable(fold(word.lower())):
                break
            name.append(fold(word.lower()))
            end = w.end()
        if name and len(name) <= 4:
            unit = fold(m.group().strip(" .").lower())
            out.add(Place(unit, " ".join(name), query[m.start() : end]))
    return frozenset(out)


def proper_names(query: str) -> frozenset[str]:
    """The names a query spells with capitals ("tuyến U Minh - Khánh Hội": "u minh" and
    "khanh hoi", folded): runs of two capitalised syllables or more, ended by punctuation
    or a lower-case word. The query's first word opens no name (a sentence starts with a
    capital: "Huyện Tân Thạnh"), and an abbreviation ("KCN") is none."""
    runs, run, end = [], [], 0
    for n, w in enumerate(WORD.finditer(query)):
        word = w.group()
        capital = n > 0 and word[0].isupper() and (len(word) == 1 or not word[1:].isupper())
        syllable = capital and could_be_syllable(fold(word.lower()))
        if len(run) > 2 and not capital and not query[end : w.start()].strip():
            # A lower-case word goes on the last capital ("Khoa Dược Bệnh viện"): two names
            # run together without their "của", the second not in the run.
            run.pop()
        if query[end : w.start()].strip() or not syllable:
            runs.append(run)  # punctuation, a lower-case word or an abbreviation ends a name
            run = []
        if syllable:
            run.append(fold(word.lower()))
        end = w.end()
    return frozenset(" ".join(r) for r in [*runs, run] if len(r) > 1)


def names_in(names: Collection[str], chunk: Chunk) -> bool:
    """Whether a passage names each of ``names`` (folded): in it, in the headings above it,
    or in its document's title or issuer ("Ủy ban nhân dân huyện Kế Sách")."""
    where = _naming(chunk)
    return all(_named(p.split(), where) for p in names)


def names_whole(text: str, name: str) -> bool:
    """Whether ``text`` names ``name`` in full, with diacritics or without ("hoi chu thap
    do" names "Hội Chữ thập đỏ"; "pháp lý" does not name "Sở Tư pháp")."""
    words = WORD.findall(fold(name.lower()))
    return bool(words) and _named_whole(words, " ".join(WORD.findall(fold(text.lower()))))


def _named_whole(name: list[str], where: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(' '.join(name))}(?!\w)", where) is not None


def _naming(chunk: Chunk) -> str:
    """What may name a place or a body for a passage, folded: the passage, the headings
    above it, its document's title and issuer."""
    meta = chunk.meta
    where = fold(f"{chunk.context}\n{chunk.text}\n{meta.title or ''}\n{meta.issuer or ''}".lower())
    return " ".join(WORD.findall(where))


def _named(name: list[str], where: str) -> bool:
    """Whether ``where`` names a place: the whole name, or names a query ran together
    without their comma ("xã Tân Thành Kiểng Phước": Tân Thành and Kiểng Phước), each of
    two syllables or more."""
    if _named_whole(name, where):
        return True
    return any(_named(name[:k], where) and _named(name[k:], where) for k in range(2, len(name) - 1))


# What a body is asked to do: "Sở Y tế có nhiệm vụ gì", "giao Sở Xây dựng làm gì", "Kho bạc
# Nhà nước phải làm gì" (folded).
_DUTY = re.compile(
    r"(?<!\w)(?:(?:duoc\s+)?giao\s+|co\s+|phai\s+)?(?:nhiem\s+vu|trach\s+nhiem|lam|viec)"
    r"\s+(?:gi|nao)(?!\w)"
)
_BODIES = sorted({tuple(a.lower().split()) for a in folded(AGENCIES)}, key=len, reverse=True)
# Words after which a body's name has ended: "Sở Y tế trong kế hoạch này ...".
_AFTER_BODY = frozenset("trong theo khi se can la co phai duoc yeu chi".split())
_PROVINCE = ("uy ban nhan dan", "ubnd")


def duty_body(query: str) -> str:
    """The body a question asks the duties of, folded ("Sở Xây dựng có nhiệm vụ gì" → "so
    xay dung"); "" when it asks none, or names a body by its kind alone ("Sở")."""
    low = " ".join(WORD.findall(fold(query.lower())))
    asked = _DUTY.search(low)
    if asked is None:
        return ""
    words = low[: asked.start()].split()

    def kind_at(i: int) -> tuple[str, ...] | None:
        return next((b for b in _BODIES if tuple(words[i : i + len(b)]) == b), None)

    for i in range(len(words) - 1, -1, -1):
        kind = kind_at(i)
        if kind is None:
            continue
        if i and (longer := kind_at(i - 1)) and len(longer) > 1:
            i, kind = i - 1, longer  # "Chi cục", not "Cục"
        name = list(kind)
        for w in words[i + len(kind) :]:
            if w in _AFTER_BODY:
                break
            name.append(w)
        if name[-1] == "tinh" and len(name) > len(kind) + 1:
            name.pop()  # "Sở Y tế tỉnh": the passage says "Sở Y tế"
        return " ".join(name) if len(name) > len(kind) else ""
    return ""


def names_body(body: str, chunk: Chunk) -> bool:
    """Whether a passage names ``body`` (duty_body's): in it, its headings, or its
    document's title or issuer."""
    where = _naming(chunk).replace(*_PROVINCE)
    return re.search(rf"(?<!\w){re.escape(body.replace(*_PROVINCE))}(?!\w)", where) is not None
