"""What a query says about *which document* it wants: a year or period, a document type,
a number, an issuing body ("năm 2024", "6 tháng đầu năm 2026", "Chỉ thị 04", "chương trình
của Tỉnh ủy"). Turned into a prior per document that ranking adds to passage scores.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from ..records import Chunk, DocMeta
from ..structure.layout import numbered_clauses
from ..structure.metadata import DOC_TYPES, TYPE_CODES
from ..text.normalize import fold, modern_tones
from ..text.words import ALTERNATIVES, UNITS_OF_MEASURE

_YEAR_DIGITS = r"(19[5-9]\d|20\d\d)"
YEAR = re.compile(rf"\b{_YEAR_DIGITS}\b")
# Four digits before a unit count something ("2000 MW", "2020 ha"); after "năm" they are a
# year whatever follows ("năm 2024 xã ..."). ("tỷ lệ 1/2000" is read as a number: a scale.)
# ("2026 tỷ lệ" is a year and a rate: "tỷ lệ", "tỷ trọng" are no sum of money.)
_QUANTITY_AFTER = re.compile(
    rf"\s*(?:{'|'.join(re.escape(u) for u in UNITS_OF_MEASURE)})(?!\w)"
    r"(?!\s+(?:lệ|trọng|le|trong)(?!\w))",
    re.I,
)
_YEAR_WORD = re.compile(r"(?:năm|nam)\s+$")
_RANGE = re.compile(r"\b(20\d\d)\s*[-–]\s*(20\d\d)\b")
# A year after these words is a target or horizon ("đến năm 2030"), not the document's year;
# a query's "giai đoạn 2026 - 2030" is one too.
_HORIZON_WORDS = "đến|tới|tầm nhìn|trước|sau"
_TARGET_BEFORE = re.compile(rf"(?:{_HORIZON_WORDS}|giai đoạn)\s+(?:năm\s+)?$")
# "04/CT-UBND", "15/2025/NĐ-CP", "43/2019/QH14", "15/2025" (not a date "19/01/2025").
_NUMBER = re.compile(
    r"(?<![/\w])(\d{1,4})\s*/\s*((?:\d{4}\s*/\s*)?[A-Za-zĐđ][\w\-/]*|\d{4}(?![/\d]))"
)
# Party numbering: "01-CT/TU", "18-NQ/TU", "01-CTr/TU".
_PARTY_NUMBER = re.compile(r"(?<![\w/])(\d{1,4})\s*-\s*([A-Za-zĐđ]+/[A-Za-zĐđ]\w*)")
# "Chỉ thị 04" names a number; "chương trình công tác 6 tháng" does not.
# A number followed by a time or a share counts it ("6 tháng", "5 năm", "20%"); before a
# year ("năm 2025") it is still a document's number.
_NOT_COUNTING = r"(?!\s*(?:thang|quy|%))(?!\s*nam\b(?!\s*\d{4}))"
_TYPE_NUMBER = re.compile(rf"^\s*(?:so\s*)?(\d{{1,4}})\b(?!\s*(?:ngay|/)){_NOT_COUNTING}")
# A type's word asked about is a verb: "khoản 2 Điều 5 quy định gì", "báo cáo những gì".
_ASKED_OF = re.compile(r"\s+(?:nhung\s+)?(?:gi|(?:nhu\s+)?the\s+nao|ra\s+sao)\b")

# A document by its type's code and its number: "QĐ 845", "KH số 118" (read folded, in
# capitals as codes are written; "QH" numbers a legislature, not a law).
_CODE_NUMBER = re.compile(
    rf"(?<!\w)({'|'.join(fold(c) for c in TYPE_CODES if c != 'QH')})\s*(?:so\s*)?(\d{{1,4}})"
    rf"(?![\d/.,]\d|\d|/){_NOT_COUNTING}"
)
_CODE_TYPES = {fold(c): t for c, t in TYPE_CODES.items()}

_PARTY = ("tỉnh ủy", "tỉnh uỷ", "ban chấp hành đảng bộ", "ban thường vụ tỉnh ủy", "đảng bộ tỉnh")
_GOV = ("ubnd", "ủy ban nhân dân", "uỷ ban nhân dân")


@dataclass
class Intent:
    years: set[int] = field(default_factory=set)
    doc_types: set[str] = field(default_factory=set)
    numbers: set[str] = field(default_factory=set)  # "04", "04/ct-ubnd", "15/2025/nd-cp"
    bodies: set[str] = field(default_factory=set)  # "party" | "gov"
    named: set[str] = field(default_factory=set)  # documents named by type and title

    def empty(self) -> bool:
        return not (self.years or self.doc_types or self.numbers or self.bodies or self.named)


def read_intent(query: str) -> Intent:
    q = query.strip()
    low = q.lower()
    intent = Intent()
    # "giai đoạn 2026 - 2030" is a horizon as a whole, its second year too.
    horizon = {m.start(2) for m in _RANGE.finditer(q) if _TARGET_BEFORE.search(low[: m.start()])}
    # The year of a document number ("QĐ 23/2020", "15/2024/NĐ-CP") names that document,
    # not the year the query asks about: the decision replacing it is of another year.
    numbered: set[int] = set()
    for m in _NUMBER.finditer(q):
        intent.numbers.add(fold(f"{int(m.group(1)):02d}/{m.group(2)}".lower().replace(" ", "")))
        numbered.update(range(m.start(2), m.end(2)))
    for m in YEAR.finditer(q):
        if m.start() in horizon | numbered or _TARGET_BEFORE.search(low[: m.start()]):
            continue
        if _QUANTITY_AFTER.match(q, m.end()) and not _YEAR_WORD.search(low[: m.start()]):
            continue
        intent.years.add(int(m.group(1)))
    for m in _PARTY_NUMBER.finditer(q):
        intent.numbers.add(fold(f"{int(m.group(1)):02d}-{m.group(2)}".lower()))
    folded = fold(low)
    for name in DOC_TYPES:
        key = fold(name.lower())
        at = folded.find(key)
        if (
            at < 0
            or (at > 0 and folded[at - 1].isalnum())
            or _ASKED_OF.match(folded, at + len(key))
        ):
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
    for m in _CODE_NUMBER.finditer(fold(q)):
        intent.doc_types.add(_CODE_TYPES[m.group(1)])
        intent.numbers.add(f"{int(m.group(2)):02d}")
    gov_folded = folded.replace("uy ban nhan dan", "ubnd")
    if any(_names_issuer(folded, fold(p)) for p in _PARTY):
        intent.bodies.add("party")
    if any(_names_issuer(gov_folded, fold(g)) for g in _GOV):
        intent.bodies.add("gov")
    return intent


_ISSUER_BEFORE = ("cua", "do") + tuple(fold(t.lower()) for t in DOC_TYPES)
_ISSUER_AFTER = ("ban hanh", "chi dao", "de ra", "giao")
# "UBND tỉnh Bạc Liêu giao": a place (a few words after "tỉnh", "thành phố" ...) may stand
# between the body and the verb.
_PLACE = re.compile(r"^(?:(?:tinh|thanh pho|tp|huyen|quan|thi xa|xa|phuong)\s+)?(?:\w+\s+){0,3}?")


def _verb_follows(after: str) -> bool:
    """Whether an issuing verb follows, perhaps after a place name ("tinh bac lieu giao")."""
    verbs = "|".join(_ISSUER_AFTER)
    return bool(re.match(_PLACE.pattern + rf"(?:{verbs})\b", after))


def _names_issuer(folded: str, body: str) -> bool:
    """Whether the query names ``body`` as the issuer ("chương trình của Tỉnh ủy", "Tỉnh
    ủy ban hành", a query starting with it), not as part of a name ("trụ sở Tỉnh ủy")."""
    for m in re.finditer(rf"(?<!\w){re.escape(body)}(?!\w)", folded):
        before = folded[: m.start()].rstrip(" ,")
        after = folded[m.end() :].lstrip()
        if not before or before.endswith(_ISSUER_BEFORE) or _verb_follows(after):
            return True
    return False


# "điểm b khoản 1 Điều 6", "khoản 2 Điều 9", "Điều 47", "dieu 6 khoan 2", typed any way.
_POINT = r"(?:điểm|diem)\s+([a-zđ])\)?"
_CLAUSE = r"(?:khoản|khoan)\s+(\d{1,3})"
_ART = r"(?:điều|dieu)\s+(\d{1,4}[a-zđ]?)\b"
_SEP = r"\s*,?\s*"
_REF_INNER_FIRST = re.compile(rf"(?:{_POINT}{_SEP})?(?:{_CLAUSE}{_SEP})?{_ART}")
_REF_ARTICLE_FIRST = re.compile(rf"{_ART}{_SEP}{_CLAUSE}(?:{_SEP}{_POINT})?")


@dataclass(frozen=True)
class SectionRef:
    """A structural address in a query: Điều (article), khoản (clause), điểm (point)."""

    article: str
    clause: str | None = None
    point: str | None = None


def read_section_refs(query: str) -> list[SectionRef]:
    low = query.lower()
    refs: dict[str, SectionRef] = {}
    for m in _REF_ARTICLE_FIRST.finditer(low):
        refs[m.group(1)] = SectionRef(m.group(1), m.group(2), m.group(3))
    for m in _REF_INNER_FIRST.finditer(low):
        article = m.group(3)
        if article not in refs or (m.group(2) and not refs[article].clause):
            refs[article] = SectionRef(article, m.group(2), m.group(1))
    return list(refs.values())


def section_match(
    refs: Sequence[SectionRef], section: tuple[str, ...], clauses: Collection[str] = ()
) -> float:
    """How well a passage's section answers the query's structural address: 1 for the
    addressed clause or point itself, for an article passage holding the clause (its
    numbered ``clauses``, see layout.numbered_clauses), or for any part of the article
    when only the article is named; 0.6 for another part of the article when a clause is
    named; 0.3 for another clause; 0 otherwise."""
    best = 0.0
    for ref in refs:
        label = f"Điều {ref.article}"
        if label not in section:
            continue
        below = section[section.index(label) + 1 :]
        if ref.clause is None:
            score = 1.0
        elif not below:
            score = 1.0 if ref.clause in clauses else 0.6
        elif below[0] != ref.clause:
            score = 0.3
        elif ref.point is None or len(below) == 1 or below[1].rstrip(")") == ref.point:
            score = 1.0
        else:
            score = 0.6
        best = max(best, score)
    return best


def passage_match(refs: Sequence[SectionRef], chunk: Chunk) -> float:
    """``section_match`` of a passage, with the clauses its text numbers."""
    return section_match(refs, chunk.section, numbered_clauses(chunk.text))


def doc_years(meta: DocMeta) -> set[int]:
    """Years a document is about: its own year and the years or periods its title names."""
    years = {meta.year} if meta.year else set()
    title = meta.title or ""
    for a, b in _RANGE.findall(title):
        years.update(range(int(a), int(b) + 1))
    years.update(int(y) for y in YEAR.findall(title))
    return years


# A year with the three words before it, "năm" aside: "giá đất năm 2026" → ("2026", ...).
_TITLED_YEAR = re.compile(rf"(?<!\w)((?:\w+\s+){{3}})(?:nam\s+)?{_YEAR_DIGITS}\b")


def names_titled_year(text: str, meta: DocMeta) -> bool:
    """Whether ``text`` names a year after the same three words as the document's title
    ("giá đất 2026" of "... giá đất năm 2026"): it names the document, not the time asked."""
    said, titled = ({(m[2], m[1]) for m in _TITLED_YEAR.finditer(" ".join(fold(s.lower()).split()))}
                    for s in (text, meta.title or ""))  # fmt: skip
    return bool(said & titled)


def speaks_of(years: set[int], chunk: Chunk) -> bool:
    """Whether a passage can speak of one of ``years``: it states one, its document is
    about one, or its document's years are unknown."""
    about = doc_years(chunk.meta)
    if not about or years & about:
        return True
    return any(int(y) in years for y in YEAR.findall(f"{chunk.context}\n{chunk.text}"))


_YEAR_SAID = re.compile(rf"(?<!\w)năm\s+{_YEAR_DIGITS}\b", re.IGNORECASE)
_HORIZON = re.compile(rf"(?:{_HORIZON_WORDS})\s+năm\s+{_YEAR_DIGITS}\b")
# The year a figure is compared with: "so với cùng kỳ năm 2024, giảm 06 vụ".
# ... unless its own figure follows it: "giảm 0,6 so với năm 2024 (110,4 bé trai/100 bé gái)".
_BASELINE = re.compile(
    rf"(?:so với|cùng kỳ)\s+(?:cùng kỳ\s+)?(?:năm\s+)?{_YEAR_DIGITS}\b(?!\s*[(:]\s*\d)"
)
# A year opening an aside: "420.000 lượt bạn đọc (năm 2025 đạt 356.800 lượt)" compares; a
# label closing at once ("Kinh phí (năm 2025): 500") is the figure's year.
_ASIDE = re.compile(rf"\(\s*(?:năm\s+)?{_YEAR_DIGITS}\b(?!\s*\))")
_DATED_YEAR = re.compile(r"(?<![\d/])\d{1,2}\s*/\s*(?:\d{1,2}\s*/\s*)?(20\d\d)\b(?!\s*/)")


def stated_years(text: str) -> tuple[set[int], set[int]]:
    """(the years a sentence says it is of, the years it dates something in).

    Said: "năm 2024", every year of a period "2021 - 2025"; not a horizon ("đến năm 2030",
    "tầm nhìn đến năm 2050"), a year compared with ("so với cùng kỳ năm 2024") nor a
    document number's year. Dated: "trước ngày 10/12/2025", "tháng 12/2025", an aside's
    figure "(năm 2025 đạt 356.800 lượt)"."""
    low = text.lower()
    # An aside's year may be asked ("năm 2025 đạt 35,2%" of a 2026 target): it dates a figure.
    asides = {m.start(1): int(m.group(1)) for m in _ASIDE.finditer(low)}
    said = {int(m.group(1)) for m in _YEAR_SAID.finditer(text) if m.start(1) not in asides}
    said -= {int(m.group(1)) for m in _HORIZON.finditer(low)}
    said -= {int(m.group(1)) for m in _BASELINE.finditer(low)}
    aside = set(asides.values())
    for a, b in _RANGE.findall(text):
        said.update(range(int(a), int(b) + 1))
    return said, {int(y) for y in _DATED_YEAR.findall(text)} | aside


def seasons_of(text: str) -> set[tuple[int, int]]:
    """The seasons and school years ``text`` names: two years in a row ("mùa khô năm 2024 -
    2025", "năm học 2025-2026"), one period, not either year (a longer span is not one)."""
    return {(int(a), int(b)) for a, b in _RANGE.findall(text) if int(b) == int(a) + 1}


def _loose(phrase: str) -> str:
    """A pattern for ``phrase`` typed with its marks or without: "hè thu", "he thu", not
    "hệ thu"; lower-case, its tones placed as ``modern_tones`` places them."""
    phrase = modern_tones(phrase.lower())
    letter = {c: f"[{c}{fold(c)}]" for c in phrase if fold(c) != c}
    return r"\s+".join("".join(letter.get(c, re.escape(c)) for c in w) for w in phrase.split())


_ALTERNATIVES = [
    (kind, n, re.compile(rf"(?<!\w)(?:{'|'.join(_loose(a) for a in names)})(?!\w)"))
    for kind, options in enumerate(ALTERNATIVES)
    for n, names in enumerate(options)
]


def alternatives_of(text: str) -> dict[tuple[int, int], str]:
    """The alternatives of text/words.py ALTERNATIVES ``text`` names, (set, alternative) →
    as written: "học sinh THCS" → {(2, 2): "THCS"}; in either tone placement ("thuỷ")."""
    low = modern_tones(text).lower()  # of the same length: a match is where it is in ``text``
    found = ((kind, n, pattern.search(low)) for kind, n, pattern in _ALTERNATIVES)
    return {(kind, n): text[m.start() : m.end()] for kind, n, m in found if m}


class DocumentNames:
    """Each document's type and title, folded, as a query may name it ("luat giao duc");
    built once per opened index, not per query.

    A query names a document only if it holds every word of the name, so each name is
    filed under its word that fewest names share: a query then compares itself with the
    names filed under its own words, not with every document of the archive.
    """

    def __init__(self, metas: Mapping[str, DocMeta]):
        names = {
            doc: " ".join(fold(f"{meta.doc_type} {meta.title}".lower()).split())
            for doc, meta in metas.items()
            if meta.doc_type and meta.title and len(meta.title) <= 120
        }
        spread = Counter(w for name in names.values() for w in set(_keys(name)))
        self.by_word: dict[str, list[tuple[str, str]]] = {}
        for doc, name in names.items():
            key = min(_keys(name), key=lambda w: spread[w], default="")
            self.by_word.setdefault(key, []).append((doc, name))

    def named_in(self, query: str) -> set[str]:
        """Documents the query names by type and title: "Luật Giáo dục", "luat dat dai"."""
        folded = " " + " ".join(fold(query.lower()).split()) + " "
        words = set(_keys(folded)) | {""}
        return {
            doc
            for word in words
            for doc, name in self.by_word.get(word, ())
            if f" {name} " in folded or f" {name}," in folded or f" {name}." in folded
        }


def _keys(text: str) -> list[str]:
    """The words a name is filed under (a query's words without the punctuation they end in);
    a word holding other punctuation is no key ("" files a name without one)."""
    return [w for w in (w.rstrip(",.") for w in text.split()) if w.isalnum()]


def in_named_document(intent: Intent, meta: DocMeta) -> bool:
    """Whether the document is the one the query names, if it names one ("khoản 3 Điều 5
    Nghị định 15/2024/NĐ-CP" is not Điều 5 of another law)."""
    return intent.empty() or doc_prior(intent, meta) == 1.0


def of_named_number(intent: Intent, chunk: Chunk) -> bool:
    """Whether ``chunk`` is of or cites a document the query names by its full number
    ("Quyết định 23/2019/QĐ-UBND", "Kết luận 220-KL/TW"; not "tháng 12/2024"), if it names
    one and the chunk's document has a number to tell by."""
    named = {n for n in intent.numbers if re.search(r"[a-z]", n)}
    if not named or not chunk.meta.number:
        return True
    said = re.sub(r"\s+", "", fold(f"{chunk.meta.title}\n{chunk.context}\n{chunk.text}".lower()))
    return doc_prior(Intent(numbers=named), chunk.meta) == 1.0 or any(n in said for n in named)


def doc_prior(intent: Intent, meta: DocMeta) -> float:
    """Share of the query's document constraints this document meets (0 when none given)."""
    checks: list[bool] = []
    if intent.named:
        checks.append(meta.doc in intent.named)
    if intent.years:
        checks.append(bool(intent.years & doc_years(meta)))
    if intent.doc_types:
        named = f"{meta.doc_type or ''} {meta.title or ''}".lower()
        checks.append(
            bool(meta.doc_type) and any(named.startswith(t.lower()) for t in intent.doc_types)
        )
    if intent.numbers:
        number = fold((meta.number or "").lower())
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
