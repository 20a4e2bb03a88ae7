"""Vietnamese spelling: whether a word is a well-formed syllable (onset, rhyme, a tone the
rhyme can take, placed where it belongs), and how Vietnamese a text looks by that count.
Used to choose a legacy encoding and to spot mojibake."""

from __future__ import annotations

import re
import unicodedata

from .words import alternation

_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
_STOP_TONES = frozenset("\u0301\u0323")  # the only tones a syllable ending in c/ch/p/t takes
_ONSETS = ("ngh ng nh ch gh gi kh ph th tr qu b c d đ g h k l m n p r s t v x").split() + [""]
# Vowel groups that may take a final consonant, and those that end in a glide and cannot.
_NUCLEUS_CODA = "a ă â e ê i o ô ơ u ư y ia iê oa oă oe oo ua uâ uê uô uơ uy ưa ươ yê uyê"
_NUCLEUS_OPEN = (
    "ai ao au ay âu ây eo êu iu oi ôi ơi ui ưi ưu iêu yêu oai oao oay oeo uây uôi uya uyu ươi ươu"
)
# Groups that start with the rounding glide (h-o-a, q-u-y): never after b, m, p, ph, v.
_GLIDE = frozenset("oa oă oe oai oao oay oeo uâ uây uê uy uya uyê uyu".split())
_LABIAL = frozenset("b m p ph v".split())
_U_GLIDE = frozenset("uâ uây uê uy uya uyê uyu uơ".split())  # spelled with qu, never c


_RHYME = re.compile(
    f"(?P<n>{alternation(_NUCLEUS_CODA.split(), '')})(?P<c>ch|nh|ng|[cmnpt])?"
    f"|(?P<o>{alternation(_NUCLEUS_OPEN.split(), '')})"
)
_WORD = re.compile(r"[^\W\d_]+")
# Latin-1 symbols that legacy bytes turn into when read with the wrong table.
_JUNK_SYMBOLS = re.compile(r"[\u00a1-\u00bf\u00d7\u00f7\u0080-\u009f\ufffd]")


def is_syllable(word: str) -> bool:
    """Whether ``word`` is spelled like one Vietnamese syllable.

    Checks onset + vowel group + final consonant, one tone placed where Vietnamese puts it,
    and the spelling rules that tell real syllables from mis-decoded ones: k/gh/ngh only
    before i, e, ê (c, g, ng never), qu rather than c before a rounding glide, no glide
    after a labial, ch/nh only after a, ê, i, y, and only sắc or nặng before c, ch, p, t.
    """
    letters: list[str] = []
    toned: int | None = None
    tone = ""
    for ch in unicodedata.normalize("NFD", word.lower()):
        if ch in _TONES:
            if tone or not letters:
                return False
            tone, toned = ch, len(letters) - 1
        elif unicodedata.combining(ch):
            if not letters:
                return False
            letters[-1] += ch
        else:
            letters.append(ch)
    letters = [unicodedata.normalize("NFC", c) for c in letters]
    if any(len(c) != 1 for c in letters):
        return False  # a mark that no Vietnamese letter takes
    base = "".join(letters)
    for onset in _ONSETS:
        if base.startswith(onset):
            m = _RHYME.fullmatch(base, len(onset))
            if not m:
                continue
            nucleus, coda = m.group("n") or m.group("o"), m.group("c")
            at = None if toned is None else toned - len(onset)
            if _spelled_right(onset, nucleus, coda, tone) and _tone_placed(nucleus, coda, at):
                return True
    return False


def _spelled_right(onset: str, nucleus: str, coda: str | None, tone: str) -> bool:
    front = nucleus[0] in "ieêy"
    if onset in ("k", "gh", "ngh") and not front:
        return False
    if onset == "c" and (front or nucleus in _U_GLIDE):
        return False
    if onset in ("g", "ng") and nucleus[0] in "eê":
        return False
    if onset == "ng" and nucleus[0] == "i":
        return False
    if onset in _LABIAL and nucleus in _GLIDE:
        return False
    if coda is None:
        return nucleus not in ("ă", "â", "oă", "uâ", "oo")
    if coda in ("ch", "nh") and nucleus not in ("a", "ê", "i", "y", "oa", "uê", "uy"):
        return False
    if coda == "ch" and nucleus == "y":
        return False
    if coda in ("ng", "c") and nucleus in ("ê", "i", "y", "uy", "uê"):
        return False
    if coda in ("c", "ch", "p", "t") and tone not in _STOP_TONES:
        return False
    return True


def _tone_placed(nucleus: str, coda: str | None, at: int | None) -> bool:
    """The tone sits on the last vowel with a hat or horn, else where the rhyme puts it."""
    if at is None:
        return True
    if at < 0 or at >= len(nucleus):
        return False
    marked = [i for i, c in enumerate(nucleus) if c in "ăâêôơư"]
    if marked:
        return at == marked[-1]
    if len(nucleus) == 1:
        return True
    if coda is not None:
        return at == len(nucleus) - 1
    if nucleus in ("oa", "oe", "uy"):
        return True  # both the old (hòa) and the new (hoà) placement are in use
    if len(nucleus) == 3:
        return at == 1
    return at == 0


def score(text: str) -> tuple[int, int]:
    """(valid, invalid): non-ASCII words that are / are not Vietnamese syllables.

    Stray Latin-1 symbols (©, µ, ¸ ...) count as invalid.
    """
    good = bad = 0
    for word in _WORD.findall(text):
        if word.isascii():
            continue
        if is_syllable(word):
            good += 1
        else:
            bad += 1
    bad += len(_JUNK_SYMBOLS.findall(text))
    return good, bad
