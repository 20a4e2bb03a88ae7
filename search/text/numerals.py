"""Roman numerals, as section labels ("II", "IV") and Word's list numbers use them; and the
numbers a question writes in words."""

from __future__ import annotations

import re

from .normalize import fold, is_accented
from .words import alternation, is_query_stop

_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_SYMBOLS = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
            (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]  # fmt: skip
MAX_ROMAN = 3999  # past this, roman numerals need symbols no document uses
# Numbers a question writes in words, which documents write in digits ("Sáu hộ dân" is "06
# hộ"). Not "một" ("một số xã"), "năm" (a year) nor "tư" ("đầu tư").
NUMBER_WORDS = {"hai": 2, "ba": 3, "bốn": 4, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10}


def to_roman(n: int) -> str:
    """``14`` → ``XIV``; values outside 1..3999 are clamped (no loop runs over the value)."""
    n = min(max(int(n), 1), MAX_ROMAN)
    out = []
    for value, symbol in _SYMBOLS:
        count, n = divmod(n, value)
        out.append(symbol * count)
    return "".join(out)


def roman_value(s: str, *, symbols: str = "IVX") -> int | None:
    """Value of a canonical roman numeral ("XIV" → 14); None for anything else ("IIII", "A").

    Section numbers never go past XXXIX, so by default only I, V and X count: a section "C."
    or "D." is a letter, not 100 or 500.
    """
    if not s or len(s) > 15 or any(ch not in symbols or ch not in _VALUES for ch in s):
        return None
    total = 0
    for i, ch in enumerate(s):
        v = _VALUES[ch]
        nxt = _VALUES[s[i + 1]] if i + 1 < len(s) else 0
        total += -v if v < nxt else v
    return total if 0 < total <= MAX_ROMAN and to_roman(total) == s else None


_NUMBER_WORD = re.compile(rf"(?<!\w)({alternation(NUMBER_WORDS, '')})\s+(\w+)", re.IGNORECASE)


def read_numerals(text: str) -> dict[str, frozenset[str]]:
    """The number words of an accented question before what they count, as lexical tokens
    (as typed and folded) → the number's token: "Sáu hộ dân" → {"sáu", "~sau"} → "~6". A
    capitalised one inside the question is a name ("ấp Sáu Đông")."""
    if not is_accented(text):
        return {}
    out: dict[str, frozenset[str]] = {}
    for m in _NUMBER_WORD.finditer(text):
        word, counted = m.group(1), m.group(2)
        if (word[0].isupper() and m.start() > 0) or is_query_stop(counted.lower()):
            continue
        digit = frozenset({f"~{NUMBER_WORDS[word.lower()]}"})
        out[word.lower()] = out["~" + fold(word.lower())] = digit
    return out
