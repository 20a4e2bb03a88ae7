"""UTF-8 that was read as Windows-1252 and saved again, back to text, lost bytes included.

Windows-1252 has no character for five bytes: 0x81, 0x8D, 0x8F, 0x90 and 0x9D. A tool that
mis-decodes UTF-8 keeps them as C1 controls, writes U+FFFD for each, or drops them. All five
are UTF-8 continuation bytes, and in Vietnamese they stand for nine letters: Đ (C4 90), Á Í Ý
(C3 81, 8D, 9D), Ố (E1 BB 90) and ề ọ ỏ ờ (E1 BB 81, 8D, 8F, 9D). A lost byte is put back as
the one whose letter makes the word a Vietnamese syllable in the word's own case. Where
several do ("về", "vờ", "vọ"), a short list of common syllables decides, then how often each
letter occurs in Vietnamese text.
"""

from __future__ import annotations

import itertools
import re

from ..text.spelling import is_syllable

LOST = (0x81, 0x8D, 0x8F, 0x90, 0x9D)
HOLE = "\ufffd"  # what a decoder writes for a byte it has no character for
_QUOTE = "\u201d"
_HOLE = -1
# Letters a lost byte can stand for, most frequent first (counted on Vietnamese
# administrative text); Đ has no Vietnamese rival in its sequence, so it comes first.
_LETTER_RANK = {c: rank for rank, c in enumerate("ĐờềọÁỏỐÍÝ")}
# Common syllables that lose to a more frequent letter: "về" beside "vờ", "trọng" beside
# "trỏng", "phí" beside "phá".
_COMMON = frozenset(
    "về đề lề nền bền tiền liền mềm kiềm hề thề trọng chọn gọi gọn dọn họp học bọn họ"
    " nhỏ khỏe khỏi mỏ cỏ hỏi hỏng lỏng tỏa hỏa thỏa phí lý ký đích quý bí thí ít".split()
)
_MAX_CHOICES = 64  # per word; more unknown letters than this leave the word as it came


def decode(latin: str) -> str | None:
    """``latin`` holds one character per byte (U+FFFD for a lost one): its UTF-8 text, or None.

    None when the bytes are not UTF-8 even with lost bytes put back.
    """
    if HOLE not in latin:
        try:
            return latin.encode("latin-1").decode("utf-8")
        except UnicodeEncodeError:
            return None
        except UnicodeDecodeError:
            pass  # dropped bytes, or not UTF-8 at all
    data = [_HOLE if c == HOLE else ord(c) for c in latin]
    if any(b > 0xFF for b in data):
        return None
    items: list[str | tuple[str, ...]] = []  # a character, or the letters a gap may be
    i = 0
    while i < len(data):
        b = data[i]
        if 0 <= b < 0x80:
            items.append(chr(b))
            i += 1
            continue
        size = _sequence_size(b)
        if size is None:
            return None
        slots: list[tuple[int, ...]] = []
        i += 1
        for _ in range(size):
            nxt = data[i] if i < len(data) else None
            if nxt is not None and 0x80 <= nxt <= 0xBF:
                slots.append((nxt,))
                i += 1
            else:
                slots.append(LOST)
                i += nxt == _HOLE  # a written hole takes its place; a dropped byte none
        chars = _characters(b, slots)
        if not chars:
            return None
        letters = tuple(c for c in chars if c.isalpha())
        if not letters:  # punctuation: of "”" (E2 80 9D) and the spaces beside it, "”"
            items.append(max(chars, key=lambda c: c == _QUOTE))
        else:
            items.append(letters[0] if len(letters) == 1 else letters)
    return _resolve(items)


def _sequence_size(lead: int) -> int | None:
    """Continuation bytes a UTF-8 lead byte takes; None for a byte that leads nothing."""
    if 0xC2 <= lead <= 0xDF:
        return 1
    if 0xE0 <= lead <= 0xEF:
        return 2
    if 0xF0 <= lead <= 0xF4:
        return 3
    return None


def _characters(lead: int, slots: list[tuple[int, ...]]) -> list[str]:
    out = []
    for tail in itertools.product(*slots):
        try:
            out.append(bytes([lead, *tail]).decode("utf-8"))
        except UnicodeDecodeError:
            continue
    return out


_WORD = re.compile(r"\w+")


def _resolve(items: list[str | tuple[str, ...]]) -> str:
    """Choose each gap's letter by the word around it."""
    if all(isinstance(item, str) for item in items):
        return "".join(items)  # type: ignore[arg-type]
    # Words are runs of letters, a gap counting as one.
    marks = "".join(item if isinstance(item, str) else "a" for item in items)
    out = [item if isinstance(item, str) else item[0] for item in items]
    cased = [c for c in out if c.isalpha() and c.lower() != c.upper()]
    upper = sum(c.isupper() for c in cased) > len(cased) / 2  # a line of capitals
    for match in _WORD.finditer(marks):
        span = range(match.start(), match.end())
        gaps = [k for k in span if not isinstance(items[k], str)]
        if not gaps:
            continue
        choices = list(itertools.islice(itertools.product(*(items[k] for k in gaps)), _MAX_CHOICES))
        best = max(choices, key=lambda letters: _fit(out, span, gaps, letters, upper))
        for k, letter in zip(gaps, best, strict=True):
            out[k] = letter
    return "".join(out)


def _fit(out: list[str], span: range, gaps: list[int], letters: tuple[str, ...], upper: bool):
    """How well ``letters`` in the word's gaps fit: a syllable, Vietnamese, cased, common."""
    word = list(out[span.start : span.stop])
    for k, letter in zip(gaps, letters, strict=True):
        word[k - span.start] = letter
    text = "".join(word)
    lower = text.lower()
    # Capitals in a line of capitals (or beside two of them); else small letters after at
    # most a capital first letter.
    others = [c for k, c in enumerate(word) if k + span.start not in gaps]
    upper = upper or (len(others) >= 2 and all(c.isupper() for c in others if c.isalpha()))
    cased = text.isupper() or (not upper and (text[1:].islower() or len(text) == 1))
    rank = sum(_LETTER_RANK.get(c, len(_LETTER_RANK)) for c in letters)
    vietnamese = all(c in _LETTER_RANK for c in letters)
    return (is_syllable(lower), vietnamese, cased, lower in _COMMON, -rank)
