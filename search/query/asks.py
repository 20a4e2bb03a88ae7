"""What a question asks: who, when, how much, where, which firm, how far a task has come
(``asks_of``, by the cue phrases of text/words.ASKS), a document's number
(``read_numbered``) and a procedure (``procedures_of``)."""

from __future__ import annotations

import re

from ..structure.metadata import DOC_TYPES
from ..text.normalize import fold, is_accented
from ..text.words import (
    ASKS,
    FIRM_NOUNS,
    NOT_ASKING,
    NUMBERED_NOUNS,
    PROCEDURE_NOUNS,
    WORD,
    alternation,
    folded,
)


def phrase_re(phrases) -> re.Pattern[str]:
    """Any of ``phrases``, opening a word."""
    return re.compile(rf"(?<!\w)(?:{alternation(phrases)})")


# A query typed with diacritics is matched with them ("tiền" is not "tiến"), else folded.
_ASKING = {
    accented: {
        kind: phrase_re(cues if accented else folded(cues)) for kind, (cues, _) in ASKS.items()
    }
    for accented in (True, False)
}
_NOT_ASKING = {
    accented: phrase_re(NOT_ASKING if accented else folded(NOT_ASKING))
    for accented in (True, False)
}
# A "who" question whose subject is a firm ("nhà thầu thi công cầu X là đơn vị nào", "đơn vị
# trúng thầu ... là ai") asks for one; "ai chủ trì lựa chọn nhà thầu" asks for a body.
_FIRM_SUBJECT = {
    accented: re.compile(rf"^(?:{'đơn vị' if accented else 'don vi'}\s+)?(?:{p.pattern})")
    for accented, p in ((True, phrase_re(FIRM_NOUNS)), (False, phrase_re(folded(FIRM_NOUNS))))
}
_SENTENCE_START = re.compile(r"(?:^|[.?!:;])\s*$")


def _name_words(text: str) -> set[int]:
    """Where the capitalised words inside a sentence start: names, or parts of one."""
    return {
        m.start()
        for m in WORD.finditer(text)
        if m.group()[0].isupper() and not _SENTENCE_START.search(text[: m.start()])
    }


def asks_of(text: str) -> tuple[str, ...]:
    """What the question asks about, in ASKS order ("ai chủ trì, khi nào xong" → who, when)."""
    low = text.lower()
    accented = is_accented(low)
    form = low if accented else fold(low)  # as long as ``text``: offsets are the same
    form = _NOT_ASKING[accented].sub(lambda m: " " * len(m.group()), form)
    # A cue opening a name is part of it: "Tiền Giang", "sông Tien", "Han Quoc", "Dat Mui".
    names = _name_words(text)
    kinds = {
        kind
        for kind, cue in _ASKING[accented].items()
        if any(m.start() not in names for m in cue.finditer(form))
    }
    if "who" in kinds and _FIRM_SUBJECT[accented].search(form):
        kinds.add("firm")
    return tuple(kind for kind in ASKS if kind in kinds)


# "phê duyệt bằng quyết định số mấy", "là kế hoạch số nào", "Kế hoạch tổ chức Kỳ thi ... có
# số hiệu là gì", "nghị quyết hỗ trợ đầu tư chợ ... số mấy": the number of a document. A
# number asked after a noun that takes one itself ("dùng tờ khai mẫu số mấy") is that noun's.
# Typed without diacritics, "so nao" may be "sở nào" (which department) unless it follows
# the type at once ("ke hoach so nao").
_NUMBER_ASKED = re.compile(r"\s+(?:số\s+(?:mấy|nào|hiệu)|so\s+(?:may|hieu))(?!\w)")
_SO_NAO = re.compile(r"\s+so\s+nao(?!\w)")
# The document types as a query types them, folded, the longest first.
DOC_TYPE_NAMES = sorted({fold(t.lower()) for t in DOC_TYPES}, key=len, reverse=True)
_DOC_TYPE = re.compile(rf"(?<!\w)(?:{alternation(DOC_TYPE_NAMES, '')})(?!\w)")
_NUMBERED_NOUN = re.compile(rf"(?<!\w)(?:{'|'.join(fold(n) for n in NUMBERED_NOUNS)})$")


def read_numbered(text: str) -> str:
    """The type of document whose number the question asks, folded ("quyet dinh"), or "":
    the type named last before the number is asked, at most 20 words before it."""
    lower = text.lower()
    folded = fold(lower)  # as long as ``lower``: NFC letters fold one for one
    asked = _NUMBER_ASKED.search(lower)
    bare = asked is None and not is_accented(text)  # "so nao" right after the type only
    asked = asked or (_SO_NAO.search(folded) if bare else None)
    if asked is None or _NUMBERED_NOUN.search(folded[: asked.start()]):
        return ""
    named = list(_DOC_TYPE.finditer(folded, 0, asked.start()))
    if not named or len(folded[named[-1].end() : asked.start()].split()) > (0 if bare else 20):
        return ""
    return named[-1].group()


_PROCEDURE = re.compile(rf"(?<!\w)(?:{alternation(folded(PROCEDURE_NOUNS), '')})(?!\w)")
_NEEDS = re.compile(r"(?<!\w)can\s+(?:co\s+)?(?:nhung\s+)?$")
_WHAT = re.compile(r"\s+gi(?!\w)")


def named_procedures(text: str) -> frozenset[str]:
    """The procedures ``text`` names, by their folded nouns ("thu tuc", "ho so")."""
    return frozenset(_PROCEDURE.findall(fold(text.lower())))


def procedures_of(text: str) -> frozenset[str]:
    """The procedures a question asks for: the one it opens with ("Thủ tục cấp hộ chiếu",
    "hồ sơ ... gồm những gì") or asks what it takes ("đăng ký kết hôn cần giấy tờ gì").
    "cơ quan làm thủ tục ..." asks for a body."""
    low = fold(text.lower())
    return frozenset(
        m.group()
        for m in _PROCEDURE.finditer(low)
        if m.start() == 0 or (_NEEDS.search(low[: m.start()]) and _WHAT.match(low, m.end()))
    )
