"""A query, read once: every query-side module takes this record, none re-reads the string.

Reading cleans the text (NFC, single spaces), notes whether it was typed with diacritics,
writes out its abbreviations and restores its diacritics for the encoder, analyses it into
lexical tokens, and picks out what it says about documents (year, type, number, issuer,
title), the provisions it addresses ("khoản 2 Điều 9"), what it asks (who, when, how much,
and what it counts: "bao nhiêu km"),
its subject (for the timeline) and the words to highlight.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from ..errors import QueryError
from ..text.normalize import clip, fold, is_accented, nfc
from ..text.numerals import read_numerals
from ..text.words import (
    ASPECTS,
    CLASSIFIERS,
    CLOCK,
    CONDITIONS,
    COUNT_CUES,
    DATE_CUES,
    DATE_UNITS,
    DURATION,
    FEES,
    FINE,
    LINK_WORDS,
    MAP_SCALE,
    MEASURE_UNITS,
    NAMED_NUMBERS,
    NOT_PRICES,
    ORDINAL,
    PAYMENT,
    PAYMENTS,
    PEOPLE,
    PERSON,
    PHONE,
    PHONE_LINES,
    PREPOSITIONS,
    PRICE,
    QUANTIFIERS,
    QUANTITY_NOUNS,
    SHORTHANDS,
    SUBJECT_STOP,
    TIME_SPANS,
    TOTALS,
    UNITS,
    WORD,
    alternation,
    folded,
    is_query_stop,
)
from .asks import DOC_TYPE_NAMES, asks_of, phrase_re, procedures_of, read_numbered
from .intent import (
    DocumentNames,
    Intent,
    SectionRef,
    alternatives_of,
    read_intent,
    read_section_refs,
    seasons_of,
)
from .names import Place, duty_body, named_places, proper_names
from .periods import periods_of, phases_of
from .ranges import Amount, stated_amounts
from .restore import Reading

MAX_QUERY_CHARS = 20_000  # a pasted page or two; longer text is a document, not a query
DENSE_CHARS = 2000  # the encoder reads at most ~512 tokens: a long paste is clipped for it
PASTED_WORDS = 30  # a query this long is a pasted passage: look for where it comes from
_YEAR = re.compile(r"^(19|20)\d\d$")
_YEARISH = re.compile(r"(?<!\w)(?:nam\s+)?(?:19|20)\d\d(?!\w)")


# "năm" only before a year: "Năm Căn" is a place.
_ASPECT = {
    True: re.compile(phrase_re(ASPECTS).pattern + r"|(?<!\w)năm\s+\d{4}(?!\w)"),
    False: re.compile(phrase_re(folded(ASPECTS)).pattern + r"|(?<!\w)nam\s+\d{4}(?!\w)"),
}
_SUBJECT_STOP = {True: SUBJECT_STOP, False: folded(SUBJECT_STOP)}
# Read on the accented text only: folded, "mấy" would be "máy" as in "nhà máy".
# What is counted is one word, or a measure or people named in more ("bao nhiêu kinh phí",
# "bao nhiêu thanh niên"). People counted by any name are counted as people: "bao nhiêu
# thanh niên nhập ngũ" is answered by "1.880 công dân".
_MEASURES = [m for m in (*MEASURE_UNITS, *PEOPLE) if " " in m]
_PEOPLE = {fold(p): fold(PERSON) for p in PEOPLE}
_COUNTED = re.compile(
    phrase_re(COUNT_CUES).pattern
    + rf"\s*(?:{phrase_re(CLASSIFIERS).pattern}\s+)?({phrase_re(_MEASURES).pattern}|\w+|%)"
)
_TOTAL = phrase_re(folded(TOTALS))
_MEASURED = folded(tuple(MEASURE_UNITS))  # the measures a total is asked of
# A paste may end with a question about it ("... 30/11/2026. Vậy nhà thầu nào thi công?"):
# its last sentence, asked with "?" or opening with "vậy" / "cho hỏi".
_SENTENCE_BREAK = re.compile(r"(?<=[.!?…\"”])\s+")
_ASKING_OPENER = re.compile(r"^(?:vay|cho hoi)\b")
_CONDITION = re.compile(phrase_re(folded(CONDITIONS)).pattern + r"(?!\w)")
_TIME_SPAN = re.compile(r"\s+" + phrase_re(TIME_SPANS).pattern)
# What an amount is per: "bao nhiêu tiền một khách", "giá bao nhiêu một mét vuông", "mỗi hộ
# được hỗ trợ bao nhiêu": its answer states a rate ("300.000 đồng/khách", "... mỗi hộ").
_PER_AFTER = re.compile(
    phrase_re(COUNT_CUES).pattern + r"(?:\s+\w+){0,2}?\s+(?:một|mỗi|1)\s+(\w+(?:\s+vuông)?)"
)
_PER_ANYWHERE = re.compile(r"(?<!\w)mỗi\s+(\w+(?:\s+vuông)?)")
# ... or after a slash: "bao nhiêu đồng/kWh", "bao nhiêu tấn/ha".
_PER_SLASH = re.compile(phrase_re(COUNT_CUES).pattern + r"\s+\w+\s*/\s*(\w+)")
# What a one-letter word counted per must be: a unit ("m"), not a letter for a word.
_UNIT_FORMS = {fold(u.lower()) for units in MEASURE_UNITS.values() for u in units}
# Compared as typed (read_measure reads accented text only): "nền" is counted, "nên" links.
_LINKING = frozenset(LINK_WORDS + PREPOSITIONS)
_CUE, _, _HOUR = CLOCK.partition(" ")
_DATED = re.compile(
    rf"(?<!\w)({'|'.join(DATE_UNITS)})\s+(?:{'|'.join(DATE_CUES)})(?!\w)"
    rf"|(?<!\w){_CUE}\s+({_HOUR})(?!\w)"  # "trước mấy giờ"
)
_RANKED = re.compile(r"(?<!\w)(?:thứ|hạng)\s+mấy(?!\w)")  # "xếp hạng thứ mấy", "lần thứ mấy"
_LASTING = phrase_re((DURATION,))
_QUANTITY = re.compile(f"({phrase_re(QUANTITY_NOUNS).pattern})")
# "mức phạt ...", "lệ phí cấp ...", "... phạt (tiền) bao nhiêu": a query asking what is paid.
_PAID = re.compile(
    rf"^(?:{PAYMENT}\s+(?:{phrase_re(PAYMENTS).pattern})|{phrase_re(FEES).pattern})"
    r"|(?<!\w)phạt(?:\s+\w+){0,2}?\s+bao\s+nhiêu(?!\w)"  # "bị phạt tiền tối đa bao nhiêu"
)
# "số điện thoại ...", "đường dây nóng ... là số mấy": a telephone number asked.
_PHONE_LINE = phrase_re(PHONE_LINES).pattern
_PHONED = re.compile(
    rf"(?<!\w)số\s+(?P<line>{_PHONE_LINE})"
    rf"|(?P<called>{_PHONE_LINE}).*?(?P<cue>(?<!\w)số\s+(?:mấy|nào|gì))(?!\w)"
)
# Without diacritics, "so dien thoai" is still a number asked; "la so nao" may be "là sở nào".
_PHONED_FOLDED = re.compile(rf"(?<!\w)so\s+(?P<line>{phrase_re(folded(PHONE_LINES)).pattern})")
# "giá vé ... bao nhiêu", "đơn giá bồi thường ...": a price asked, not "giá trị" (a value) nor
# a "giá" of NOT_PRICES ("đánh giá", "đấu giá"). A query opening with it asks the sum;
# elsewhere, a number must be asked after it ("xã đấu giá được bao nhiêu" asks none), and
# "Giá" in capitals is a name ("Rạch Giá", "Giá Rai").
NOT_PRICED = "".join(rf"(?<!{w} )" for w in NOT_PRICES) + r"(?<!\w)"  # before PRICE_SAID
PRICE_SAID = rf"{PRICE}(?!\s+trị)(?!\w)"
_PRICED = re.compile(
    rf"(?:^(?:đơn\s+|mức\s+)?|{NOT_PRICED}(?=\w+.*?{phrase_re(COUNT_CUES).pattern}))"
    rf"(?P<price>{PRICE_SAID})"
)
# "số vụ tai nạn ...", "tổng số doanh nghiệp ...": a query that opens by counting something,
# or by its target ("mục tiêu số lượt khách ...", "chỉ tiêu số hộ ...").
_AIMED = r"(?:mục|chỉ)\s+tiêu\s+"
_AIM = re.compile(f"^{_AIMED}")
_NUMBER_OF = re.compile(
    rf"^(?:{_AIMED})?(?:tổng\s+)?số\s+(?:lượng\s+)?(?!{phrase_re(NAMED_NUMBERS).pattern})"
    rf"({phrase_re(UNITS).pattern}|\w+)"
)


@dataclass(frozen=True)
class Query:
    text: str  # NFC, single spaces
    accented: bool  # typed with Vietnamese diacritics
    dense_text: str  # what the encoder reads: diacritics restored, abbreviations written out
    tokens: tuple[str, ...]  # lexical tokens (see index/lexical.py)
    # its words inside an abbreviation or a synonym → the concepts they spell
    spelled: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # word pairs its abbreviations make with their neighbours once written out, for ranking
    joins: tuple[str, ...] = ()
    abbreviated: frozenset[str] = frozenset()  # its abbreviations' own tokens ("~nq")
    intent: Intent = field(default_factory=Intent)  # which documents it names
    refs: tuple[SectionRef, ...] = ()  # provisions it addresses
    asks: tuple[str, ...] = ()  # what it asks about: "who", "when", "amount", "result"
    measure: str = ""  # folded word its answer holds beside a number ("km", "thang")
    measured: frozenset[str] = frozenset()  # folded words asking it ("mức phạt"), not its topic
    counted: tuple[str, ...] = ()  # folded: every word it counts ("hang", "diem": two asked)
    per: str = ""  # folded: what the amount asked is per ("khach" of "... một khách")
    amounts: tuple[Amount, ...] = ()  # amounts it states: "15 km/h" (ranges.py)
    total: bool = False  # asks for a whole ("tổng số", "toàn tỉnh"), not an item of one
    conditional: bool = False  # states a condition ("nếu", "trường hợp"): an exception answers
    numbered: str = ""  # folded: the type of document whose number it asks ("quyet dinh")
    subject: tuple[str, ...] = ()  # folded words naming what it is about (timeline)
    places: frozenset[Place] = frozenset()  # districts, communes ... it names ("huyện Kế Sách")
    names: frozenset[str] = frozenset()  # folded names it spells with capitals ("khanh hoi")
    duty: str = ""  # folded: the body whose duties it asks ("so y te" of "Sở Y tế làm gì")
    periods: Mapping[str, str] = field(default_factory=dict)  # parts of a year: "quý I"
    phases: Mapping[int, str] = field(default_factory=dict)  # stages: "giai đoạn 3", "đợt 2"
    seasons: frozenset[tuple[int, int]] = frozenset()  # "mùa khô 2024 - 2025": (2024, 2025)
    # alternatives of closed sets it names ("THCS": intent.alternatives_of)
    alternatives: Mapping[tuple[int, int], str] = field(default_factory=dict)
    terms: frozenset[str] = frozenset()  # words to highlight, folded when typed without marks
    unknown: tuple[str, ...] = ()  # content words no indexed passage uses
    corrections: tuple[tuple[str, str], ...] = ()  # (typed, searched as): slips and typos
    pasted: bool = False  # a passage pasted to find its source, not a question
    question: str = ""  # the question a paste ends with, which the answer answers
    question_tokens: tuple[str, ...] = ()  # its lexical tokens: what the answer span holds
    procedures: frozenset[str] = frozenset()  # folded nouns of procedures it asks ("thu tuc")

    @property
    def ranking_tokens(self) -> tuple[str, ...]:
        """What lexical ranking matches: an abbreviation by its concept alone, and the
        pairs it makes once written out."""
        return tuple(t for t in self.tokens if t not in self.abbreviated) + self.joins


def clean_query(raw: str | None) -> str:
    """NFC, single spaces; an empty, wordless or over-long query is refused with a message."""
    if raw is not None and not isinstance(raw, str):
        raise QueryError(f"Câu truy vấn phải là chuỗi ký tự, không phải {type(raw).__name__}.")
    q = " ".join(nfc(raw or "").split())
    if not q:
        raise QueryError("Hãy nhập nội dung cần tìm.")
    if not WORD.search(q):
        raise QueryError("Câu truy vấn không có từ nào để tìm (chỉ có dấu câu hoặc ký hiệu).")
    if len(q) > MAX_QUERY_CHARS:
        raise QueryError(f"Câu truy vấn quá dài ({len(q)} ký tự, tối đa {MAX_QUERY_CHARS}).")
    return q


def trailing_question(text: str) -> str:
    """The question a pasted passage ends with, or "": its last sentence, when it asks ("?",
    "Vậy ...", "Cho hỏi ...") and is not the whole text, without its opener."""
    sentences = _SENTENCE_BREAK.split(text.strip())
    last = sentences[-1]
    opener = _ASKING_OPENER.match(fold(last.lower()))  # folding keeps the offsets
    if len(sentences) < 2 or len(WORD.findall(last)) >= PASTED_WORDS:
        return ""
    if opener:
        return last[opener.end() :].lstrip(" ,:")
    return last if last.endswith("?") else ""


def read_query(
    raw: str | None,
    *,
    analyzer,
    reader: Callable[[str], Reading] | None = None,
    names: DocumentNames | None = None,
    known: Callable[[str], bool] | None = None,
) -> Query:
    """Read ``raw`` once for every stage of the search.

    ``analyzer`` is the index's lexical analyzer; ``reader`` reads the words against the
    corpus (restore.py: diacritics put back, slips corrected; None: as typed); ``names``
    are the indexed documents' names (intent.DocumentNames: documents named by
    title) and ``known(token)`` says whether a lexical token is in the index's vocabulary
    (None: every token is known).
    """
    text = clean_query(raw)
    accented = is_accented(text)
    pasted = len(WORD.findall(text)) >= PASTED_WORDS
    # Correcting a pasted passage word by word would take long and change little.
    said, shorthands = (text, ()) if pasted else spell_out(text)
    reading = reader(said) if reader and not pasted else Reading(said, said)
    # Typed without diacritics, lexical search matches folded tokens, but which words only
    # ask ("dau": "đâu" or "đầu tư"?) is read on the restored words.
    worded = reading.lexical if accented else reading.dense
    # What a paste ending with a question asks is read on the question alone: the pasted
    # passage names deadlines and sums it does not ask for.
    question = trailing_question(text) if pasted else ""
    asking = question or reading.dense
    # An abbreviation counted ("bao nhiêu DN") is counted as written out ("64 doanh nghiệp").
    written = analyzer.expand_inline(asking)
    measure, measured = read_measure(written)
    per = read_per(asking)
    numerals = {} if pasted else read_numerals(text)
    intent = read_intent(text)
    if names is not None:
        intent.named = names.named_in(text)
    return Query(
        text=text,
        accented=accented,
        dense_text=analyzer.expand_inline(clip(reading.dense, DENSE_CHARS)),
        tokens=tuple(analyzer.query_tokens(worded, topic_of(worded), exact=accented)),
        spelled={**analyzer.concept_words(worded), **numerals},
        joins=tuple(analyzer.joining_pairs(reading.lexical)),
        abbreviated=analyzer.abbreviation_tokens(worded),
        intent=intent,
        refs=tuple(read_section_refs(text)),
        asks=asks_of(question or said),
        measure=measure,
        measured=measured,
        counted=read_counted(written),
        per=per,
        amounts=() if pasted else tuple(stated_amounts(text)),
        total=not pasted and asks_total(fold(text.lower()), measure),
        conditional=bool(_CONDITION.search(fold(text.lower()))),
        numbered=read_numbered(asking),
        subject=subject_of(text),
        places=frozenset() if pasted else named_places(text),
        names=frozenset() if pasted else proper_names(text),
        duty="" if pasted else duty_body(text),
        periods={} if pasted else periods_of(text),
        phases={} if pasted else phases_of(text),
        seasons=frozenset() if pasted else frozenset(seasons_of(text)),
        alternatives={} if pasted else alternatives_of(text),
        terms=highlight_terms(text),
        unknown=tuple(
            w for w in analyzer.unknown_terms(reading.lexical, known) if w.lower() not in numerals
        )
        if known
        else (),
        corrections=shorthands + reading.corrections,
        pasted=pasted,
        question=question,
        question_tokens=tuple(analyzer.query_tokens(question, topic_of(question), exact=accented))
        if question
        else (),
        procedures=frozenset() if pasted else procedures_of(text),
    )


# A shorthand written as a unit is the unit: "lm/W" is lumen per watt, not "làm".
_SHORTHAND = re.compile(rf"(?<![\w/])({alternation(SHORTHANDS, '')})(?![\w/])")


def spell_out(text: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """``text`` with chat shorthands written out ("phí ship ko" → "phí ship không"; without
    diacritics in a query typed without), and (typed, written out) for each, shown as
    corrections are."""
    marked = is_accented(text)
    found = {w: SHORTHANDS[w] if marked else fold(SHORTHANDS[w]) for w in _SHORTHAND.findall(text)}
    return _SHORTHAND.sub(lambda m: found[m.group()], text), tuple(found.items())


def searched_as(query: Query) -> str:
    """The query as searched after corrections, for "Đã tìm với: ..." ("tiến độ")."""
    text = query.text
    for typed, used in query.corrections:
        text = re.sub(rf"(?<!\w){re.escape(typed)}(?!\w)", used, text, count=1)
    return text


def topic_of(text: str) -> str:
    """The query without the words that name a document ("Chương trình hành động năm 2024
    nói gì về cao tốc" → "nói gì về cao tốc"): what a passage's heading would say."""
    folded = fold(text.lower())
    for name in DOC_TYPE_NAMES:
        folded = folded.replace(name, " ")
    return " ".join(_YEARISH.sub(" ", folded).split())


def asks_total(folded: str, measure: str) -> bool:
    """Whether a question (lower-cased, folded) asks for a whole ("tổng số", "toàn tỉnh"),
    or the total of a measure ("tổng kinh phí", "tổng diện tích"; not "tổng điều tra")."""
    if _TOTAL.search(folded):
        return True
    if measure not in _MEASURED:
        return False
    return measure.startswith("tong ") or bool(re.search(rf"\btong {re.escape(measure)}\b", folded))


def read_measure(text: str) -> tuple[str, frozenset[str]]:
    """What the question counts or dates, folded: "dài bao nhiêu km" → "km", "mấy nút giao"
    → "nut", "tháng mấy" → "thang", "số vụ tai nạn" → "vu", "diện tích rừng" → "dien tich"
    (empty when it asks no number or has no diacritics); and the folded words asking it
    ("bao nhiêu km", "mức phạt"): what it counts and how, not what it is about."""
    low = MAP_SCALE.sub(" ", text.lower())
    accented = is_accented(low)
    phoned = accented and _PHONED.search(low) or _PHONED_FOLDED.search(fold(low))
    if phoned:
        return fold(PHONE), _words(" ".join(v for v in phoned.groupdict().values() if v))
    if not accented:
        return "", frozenset()
    dated = _DATED.search(low)
    if dated:
        return fold(dated.group(1) or dated.group(2)), _words(dated.group(0))
    for asked, m in ((ORDINAL, _RANKED.search(low)), (DURATION, _LASTING.search(low))):
        if m:
            return fold(asked), _words(m.group(0))
    for m in _counted(low):
        return _counted_noun(m), _words(m.group(0))
    if any(not _named_price(text, m.start("price")) for m in _PRICED.finditer(text.lower())):
        return fold(PRICE), frozenset({fold(PRICE)})
    paid = _PAID.search(low)
    if paid:
        return fold(FINE if "phạt" in paid.group(0) else PAYMENT), _words(paid.group(0))
    named = _NUMBER_OF.search(low) or _QUANTITY.search(low)
    if not named:
        return "", frozenset()
    word = fold(named.group(1))
    said = _AIM.sub("", named.group(0))  # "số lượt", not the target it is of
    return _PEOPLE.get(word, word), _words(said)  # "số trẻ em": people counted


def _named_price(text: str, at: int) -> bool:
    """Whether the "giá" at ``at`` is part of a name: in capitals after the first word, or
    before a word in capitals ("Giá Rai")."""
    after = WORD.match(text, text.find(" ", at) + 1) if " " in text[at:] else None
    return text[at].isupper() and (at > 0 or bool(after and after.group(0)[0].isupper()))


def _counted(low: str) -> Iterator[re.Match[str]]:
    """The words a lower-cased question counts ("mấy nút giao" → "nút")."""
    for m in _COUNTED.finditer(low):
        word = m.group(1)
        if word in DATE_UNITS and _TIME_SPAN.match(low, m.end()):
            continue  # "mấy tháng đầu năm ... bao nhiêu người": the people are counted
        if not is_query_stop(word) and word not in _LINKING and not word.isdigit():
            yield m


def read_counted(text: str) -> tuple[str, ...]:
    """Every word a question counts, folded: "dự trữ bao nhiêu hàng, mấy điểm bán" → "hang",
    "diem"; "số sản phẩm ... đạt OCOP 4 sao" → "san". A question asking two numbers is
    answered by a passage stating either."""
    low = MAP_SCALE.sub(" ", text.lower())
    if not is_accented(low):
        return ()
    opened = _NUMBER_OF.search(low)
    counted = [_counted_noun(m) for m in ([opened] if opened else []) + list(_counted(low))]
    return tuple(dict.fromkeys(counted))


def _counted_noun(m: re.Match[str]) -> str:
    word = fold(m.group(1))
    return _PEOPLE.get(word, word)


def read_per(text: str) -> str:
    """What an amount asked is per, folded ("bao nhiêu tiền một khách" → "khach"); empty
    when it asks none, or has no diacritics to read it by."""
    low = text.lower()
    if not is_accented(low) or not phrase_re(COUNT_CUES).search(low):
        return ""
    m = _PER_SLASH.search(low) or _PER_AFTER.search(low) or _PER_ANYWHERE.search(low)
    if m is None or is_query_stop(m.group(1)) or m.group(1).split()[0] in QUANTIFIERS:
        return ""
    if len(m.group(1)) == 1 and m.group(1) not in _UNIT_FORMS:
        return ""  # "P. An Xuyên, P. Bạc Liêu mỗi p": a letter standing for a word ("phường")
    return fold(m.group(1))


def _words(phrase: str) -> frozenset[str]:
    return frozenset(fold(w) for w in WORD.findall(phrase))


def subject_of(text: str) -> tuple[str, ...]:
    """Folded content words naming the subject; empty when the query names none."""
    q = nfc(text).lower()
    accented = is_accented(q)
    q = _ASPECT[accented].sub(" ", q if accented else fold(q))
    stop = _SUBJECT_STOP[accented]
    words = [w for w in WORD.findall(q) if w not in stop and not _YEAR.match(w) and len(w) > 1]
    return tuple(fold(w) for w in words)


def highlight_terms(text: str) -> frozenset[str]:
    """Words worth highlighting: as typed when the query has diacritics ("độ" does not mark
    "đồ" or "dỡ"), folded when it has none ("hon khoai" marks "Hòn Khoai")."""
    q = nfc(text).lower()
    words = [w for w in WORD.findall(q) if not is_query_stop(w)]
    return frozenset(words) if is_accented(q) else frozenset(fold(w) for w in words)
