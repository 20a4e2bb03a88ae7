"""Unicode and markup normalisation shared by the parser, the indexes and the UI."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Formatting tags that web-saved documents leave inside table cells. Anything else in
# angle brackets (a literal "<script>" in a document's text) is text, escaped on display.
_TAG = re.compile(
    r"</?(?:ul|ol|li|p|i|b|em|strong|u|br|span|div|sup|sub|font|table|tr|td|th|tbody|thead)"
    r"(?:\s[^<>]{0,300})?/?>",
    re.IGNORECASE,
)
# A number set raised: a footnote's, in a text typed without a word processor's notes.
RAISED_NUMBER = "[\u00b9\u00b2\u00b3\u2070\u2074-\u2079]{1,3}"
_RAISED = re.compile(RAISED_NUMBER)
# A footnote's mark: "[3]", or a raised number on the word it annotates ("báo cáo¹"), which
# is not the power of a unit ("m²", "km³"). The second is looked for only in a line holding
# a raised digit: its look-behinds at every character would slow every line down.
_FOOTNOTE_MARK = re.compile(r"\s*\[\d{1,3}\]\s*")
_RAISED_MARK = re.compile(rf"(?<=[^\W\d_])(?<![mM]){RAISED_NUMBER}(?!\w)")
_MD_EMPHASIS = re.compile(r"\*\*|__")
# A line in markdown italics as a whole ("*Căn cứ Luật ...;*", "*(Kèm theo Nghị quyết số
# ...)*"): single marks inside a line may be text ("5 * 3", a footnote's "*").
_MD_ITALIC_LINE = re.compile(r"^\s*[*_](?=\S)(.*\S)(?<=[^*_\s])[*_]\s*$")
# The no-break space a web page fills an empty cell with ("&nbsp;"): markup, never text.
_NBSP = re.compile(r"&(?:nbsp|#160|#x0*a0);", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u3000]+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def strip_markup(text: str) -> str:
    """Remove formatting tags and markdown emphasis left in cells and headings.

    Entities stay as written: a document that shows "&lt;b&gt;" keeps showing it. The
    no-break space alone is a space: a cell left holding "&nbsp;" is empty.
    """
    if "<" in text:
        text = _TAG.sub(" ", text)
    if "&" in text:
        text = _NBSP.sub(" ", text)
    return _MD_ITALIC_LINE.sub(r"\1", _MD_EMPHASIS.sub("", text))


def unraised(mark: str) -> str:
    """A raised number written on the line: "¹²" → "12"."""
    return unicodedata.normalize("NFKC", mark)


_POWERS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def raised(after: str, digits: str) -> str:
    """How a number set raised (a .docx superscript, a PDF's small raised digits) after the
    text ``after`` is written: a unit's power after "m" ("m²"), else a note's mark "[1]" on
    the word it marks, which ``clean_line`` drops."""
    return digits.translate(_POWERS) if after[-1:] in ("m", "M") else f"[{digits}]"


def strip_footnote_marks(text: str) -> str:
    """Drop inline footnote references such as ``     [3]  `` or "báo cáo¹"; one before a
    stop leaves no space ("năm 2017[1];" → "năm 2017;")."""
    for mark in (_FOOTNOTE_MARK, _RAISED_MARK) if _RAISED.search(text) else (_FOOTNOTE_MARK,):
        text = mark.sub(lambda m: "" if m.string[m.end() : m.end() + 1] in ".,;:!?)" else " ", text)
    return text


# A markdown or pipe table's ruler under its header: "|---|:--:|", "--- | ---".
_TABLE_RULER = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")


def is_rule(line: str) -> bool:
    """A line drawn, not written ("_____", "-----", "***", "—"): no letter or digit."""
    return bool(line.strip()) and not any(c.isalnum() for c in line)


# A page's number printed on the page or at a break in a table: "37", "- 3 -", "Trang 4/5".
_PAGE_NUMBER = re.compile(r"^(?:trang\s*)?[-–—]?\s*\d{1,4}\s*(?:/\s*\d{1,4})?\s*[-–—]?$", re.I)


def is_page_number(line: str) -> bool:
    return bool(_PAGE_NUMBER.match(line.strip()))


# Only a page's number: "Trang 4", "Trang 4/5", "- 3 -" (a bare "37" may be a table cell).
_PAGE_LABEL = re.compile(r"^(?:trang\s*\d{1,4}(?:\s*/\s*\d{1,4})?|[-–—]\s*\d{1,4}\s*[-–—])$", re.I)


def is_page_label(line: str) -> bool:
    return bool(_PAGE_LABEL.match(line.strip()))


def is_table_ruler(line: str) -> bool:
    return bool(_TABLE_RULER.match(line.strip()))


def squash(text: str) -> str:
    """Collapse runs of spaces and tabs into one space, drop soft hyphens, trim."""
    return _SPACES.sub(" ", text.replace("\u00ad", "")).strip()


def clean_line(text: str) -> str:
    """A source line as shown to users: NFC, no markup, no footnote marks, single spaces."""
    return squash(strip_footnote_marks(strip_markup(nfc(text))))


class _FoldTable(dict):
    """``str.translate`` table of ``fold``, one character at a time, filled as characters
    are met: a character folds to its canonical decomposition without combining marks
    ("ộ" → "o", a lone combining mark → ""), "đ" to "d", and a raised or lowered digit to
    the digit ("m³" → "m3", as users type it)."""

    def __missing__(self, code: int) -> str:
        char = {"đ": "d", "Đ": "D"}.get(chr(code), chr(code))
        form = "NFKD" if _RAISED_DIGIT.match(char) else "NFD"
        decomposed = unicodedata.normalize(form, char)
        folded = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
        self[code] = folded
        return folded


_RAISED_DIGIT = re.compile(r"[\u00b2\u00b3\u00b9\u2070-\u2079\u2080-\u2089]")
_FOLD = _FoldTable()


def fold(text: str) -> str:
    """Remove Vietnamese diacritics (đ→d) so 'hon khoai' matches 'Hòn Khoai'."""
    return text if text.isascii() else text.translate(_FOLD)


@lru_cache(maxsize=1 << 18)
def fold_word(word: str) -> str:
    """``fold`` of one word, remembered: tokenizers fold the same few thousand syllables."""
    return fold(word)


# Old-style tone placement ("hoà", "uỷ") and new style ("hòa", "ủy") are both common; the
# lexical index maps both to the new style so either spelling finds the other.
# The tone mark must end the syllable: in "hoặc", "luật", "nhuệ" the dot below sits on
# "ă", "â", "ê" (in NFD it comes before their second mark) and stays where it is.
_OLD_TONE = re.compile(
    r"(?i)(?<![q])([ou])([aey])([\u0300\u0301\u0303\u0309\u0323])(?![\w\u0300-\u036f])"
)


# What an old-style placement looks like once composed ("oà", "uý"): text without it is
# only composed, not decomposed and searched.
_OLD_TONE_HINT = re.compile(r"(?i)[ou][àáảãạèéẻẽẹỳýỷỹỵ]")


def modern_tones(text: str) -> str:
    """Move the tone mark in 'oa', 'oe', 'uy' endings from the second vowel to the first."""
    composed = unicodedata.normalize("NFC", text)
    if not _OLD_TONE_HINT.search(composed):
        return composed
    decomposed = unicodedata.normalize("NFD", composed)
    # In NFD "hoà" is h o a + grave: the old placement puts the mark on the last vowel.
    # "qu" is a consonant, so "quý" keeps its mark where it is.
    moved = _OLD_TONE.sub(lambda m: m.group(1) + m.group(3) + m.group(2), decomposed)
    return unicodedata.normalize("NFC", moved)


def is_accented(text: str) -> bool:
    """Whether any letter carries a Vietnamese diacritic (typed "with accents")."""
    return fold(text) != text


def is_caps(text: str) -> bool:
    """Every letter upper case, and at least one letter: "QUY ĐỊNH CHUNG"."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def sentence_case(text: str) -> str:
    """'TIẾN ĐỘ THỰC HIỆN' → 'Tiến độ thực hiện'; mixed-case text is left alone."""
    return text[:1] + text[1:].lower() if is_caps(text) else text


ELLIPSIS = "…"


def clip(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut at a word boundary and ended with "…"."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + ELLIPSIS
