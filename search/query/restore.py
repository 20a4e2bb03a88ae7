"""A query's words read against the corpus's own: diacritics put back, slips corrected.

The multilingual encoder reads "xa tam giang dat chuan nong thon moi" poorly; it reads "xã
Tam Giang đạt chuẩn nông thôn mới" well. Every unaccented syllable has few accented forms,
and the corpus says which ones follow each other: a Viterbi pass over syllable-bigram
counts picks the most likely reading. The same pass corrects words no indexed passage
uses: a tone or diacritic slip ("tiến đọ" → "tiến độ") takes another form of the same
folded syllable (a real word, "vé", "sáp nhập", only where the corpus writes the other
form beside a neighbour often), a typo ("hoàn thnah") the syllables one edit away
("thành") or the pair of syllables run together ("cano" → "ca nô"). In a query
typed with diacritics, a word typed without is read as typed ("trong vòng bao lâu", not
"bảo lâu") unless the words around it say otherwise ("Hòn Khoai tien do"). Numbers,
capitalised abbreviations ("GPMB", "CCTV") and words only questions use ("giúp", "tôi")
are kept as typed.

The counts come from the index (index/syllables.py), gathered when it was built.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from ..index.syllables import SyllableCounts
from ..text.normalize import fold, is_accented, modern_tones
from ..text.spelling import is_syllable
from ..text.words import (
    ASKING_PHRASES,
    CONVERSATIONAL,
    WORD,
    could_be_syllable,
    is_query_stop,
)

MAX_FORMS = 6  # accented readings considered per syllable
SEED_COUNT = 5  # weight of each asking phrase (see text/words.py ASKING_PHRASES)
MIN_COUNT = 2  # a correction must be a word the corpus uses at least this often
# A word typed with marks that spells a real syllable ("vé", "đền bù", "sáp nhập") is taken
# for a slip only where the corpus writes the other form next to a neighbour at least
# twice and in this share of its uses: "về tàu" once among 900 "về" makes no "vé tàu" a
# slip. (Chosen on the corrections of every query set: the six it undoes were all wrong.)
SLIP_SHARE = 0.05
TYPED_PRIOR = 1000.0  # in a query typed with diacritics, how much a word as typed is preferred
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class Reading:
    """What the corpus makes of a query's words."""

    dense: str  # for the encoder: diacritics restored (unaccented queries) and slips fixed
    lexical: str  # for lexical search: slips fixed, as typed otherwise
    corrections: tuple[tuple[str, str], ...] = ()  # (typed, read as) for each fixed word


class DiacriticRestorer:
    def __init__(self, counts: SyllableCounts, keep: frozenset[str] = frozenset()):
        """``counts``: the corpus's syllables; ``keep``: folded words always read as typed
        (the lexicon's abbreviations: "ntm" is not a typo of "năm")."""
        self.keep = keep
        seed_uni: Counter[str] = Counter()
        seed_bi: Counter[tuple[str, str]] = Counter()
        for phrase in ASKING_PHRASES:
            words = phrase.split()
            seed_uni.update({w: SEED_COUNT for w in words})
            seed_bi.update({p: SEED_COUNT for p in zip(words, words[1:], strict=False)})
        counts = SyllableCounts.merge([counts, SyllableCounts.from_counters(seed_uni, seed_bi)])
        self.counts = counts
        self.ids = {w: i for i, w in enumerate(counts.words)}
        forms: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for word, n in zip(counts.words, counts.unigrams.tolist(), strict=True):
            forms[fold(word)].append((n, word))
        self.forms = {
            k: [w for _, w in sorted(v, key=lambda x: (-x[0], x[1]))[:MAX_FORMS]]
            for k, v in forms.items()
        }
        self.total = int(counts.unigrams.sum()) or 1

    @classmethod
    def from_texts(
        cls, texts: Iterable[str], keep: frozenset[str] = frozenset()
    ) -> DiacriticRestorer:
        return cls(SyllableCounts.build(texts), keep)

    def restore(self, query: str) -> str:
        """The query with diacritics restored where the corpus is sure enough."""
        return self.read(query, restore=True).dense

    def read(self, query: str, *, restore: bool = True) -> Reading:
        """Read ``query``; ``restore`` puts diacritics back when it was typed without."""
        found = list(WORD.finditer(query))
        if not found:
            return Reading(query, query)
        accented = is_accented(query)
        options, fixable = [], []
        for m in found:
            # A unit ("lm/W", "km/h", "đồng/m2") is as typed, however unlike a syllable.
            unit = "/" in query[max(m.start() - 1, 0) : m.end() + 1]
            opts, fix = self._options(m.group(), restore=restore, unit=unit)
            options.append(opts)
            fixable.append(fix)
        # Among words typed with diacritics, one typed without is most likely meant so
        # ("trong vòng bao lâu", "ở lại qua đêm": not "bảo", "quá"), unless the words around
        # it say otherwise ("Hòn Khoai tiến do" → "tiến độ").
        typed = [modern_tones(m.group().lower()) if accented else "" for m in found]
        best = self._viterbi(options, typed)
        for i, fix in enumerate(fixable):
            if fix != "slip":
                continue
            word = modern_tones(found[i].group().lower())
            if not self._supported(best, i, firmly=is_syllable(word)):
                # A real syllable the corpus lacks ("đường sắt"), not a slip: keep it.
                best[i] = word
        dense, lexical, fixes = [], [], []
        at = 0
        for m, choice, fix in zip(found, best, fixable, strict=True):
            typed = m.group()
            gap = query[at : m.start()]
            at = m.end()
            changed = fix and choice != modern_tones(typed.lower())
            read = _same_case(typed, choice)
            if changed:
                fixes.append((typed, read))
            dense += [gap, read if changed or restore else typed]
            # Lexical search compares folded forms of an unaccented query: keep it unaccented.
            lexical += [gap, (read if accented else fold(read)) if changed else typed]
        tail = query[at:]
        return Reading("".join(dense) + tail, "".join(lexical) + tail, tuple(fixes))

    def _supported(self, path: list[str], i: int, *, firmly: bool = False) -> bool:
        """Whether the corpus writes ``path[i]`` next to the word before or after it
        (``firmly``: often, see SLIP_SHARE)."""
        need = max(MIN_COUNT, SLIP_SHARE * self._unigram(path[i])) if firmly else 1
        before = i > 0 and self._bigram(path[i - 1], path[i]) >= need
        return before or (i + 1 < len(path) and self._bigram(path[i], path[i + 1]) >= need)

    def _options(self, token: str, *, restore: bool, unit: bool = False) -> tuple[list[str], str]:
        """Readings of one typed word, and how one of them would correct it: "" (it would
        not), "slip" (another form of the same folded syllable) or "typo" (one edit, never
        of a ``unit``)."""
        low = modern_tones(token.lower())
        folded = fold(low)
        abbreviation = token.isupper() and len(token) > 1 or folded in self.keep
        if abbreviation or any(ch.isdigit() for ch in token):
            return [low], ""  # an abbreviation or a number: as typed
        # Words of asking are not the documents' words: never "corrected" into them.
        correctable = len(folded) >= 2 and not is_query_stop(low) and low not in CONVERSATIONAL
        if is_accented(low):
            if low in self.ids or not correctable:
                return [low], ""
            # A tone or diacritic slip: another form of the same folded syllable.
            forms = [w for w in self.forms.get(folded, []) if self._unigram(w) >= MIN_COUNT]
            if forms:
                return forms, "slip"
        elif folded in self.forms:
            return (self.forms[folded] if restore else [low]), ""
        if not correctable or unit or could_be_syllable(folded):
            return [low], ""  # a real word the documents do not use ("xong"): not a typo
        near = [w for key in _one_edit(folded) for w in self.forms.get(key, [])[:2]]
        near = [w for w in near if self._unigram(w) >= MIN_COUNT]
        near += self._run_together(folded)
        return (near, "typo") if near else ([low], "")

    def _run_together(self, folded: str) -> list[str]:
        """Two syllables typed without the space between ("cano" → "ca nô"): the pairs the
        corpus writes, at most two, the most frequent first."""
        pairs = [
            (self._bigram(a, b), f"{a} {b}")
            for i in range(1, len(folded))
            for a in self.forms.get(folded[:i], [])[:MAX_FORMS]
            for b in self.forms.get(folded[i:], [])[:MAX_FORMS]
        ]
        return [pair for n, pair in sorted(pairs, reverse=True)[:2] if n >= MIN_COUNT]

    def _unigram(self, word: str) -> int:
        if " " in word:  # two syllables run together, counted as the pair they are
            return self._bigram(*word.split(" ", 1))
        i = self.ids.get(word)
        return 0 if i is None else int(self.counts.unigrams[i])

    def _bigram(self, prev: str, word: str) -> int:
        a, b = self.ids.get(prev.rsplit(" ", 1)[-1]), self.ids.get(word.split(" ", 1)[0])
        if a is None or b is None:
            return 0
        return self.counts.bigram(a, b)

    def _viterbi(self, options: list[list[str]], typed: list[str]) -> list[str]:
        """The likeliest reading; ``typed[i]``, when among the options, is preferred as if the
        corpus used it TYPED_PRIOR times more often."""

        def emit(word: str, i: int) -> float:
            prior = TYPED_PRIOR if word == typed[i] else 1.0
            return 0.5 * math.log(prior * (self._unigram(word) + 0.1) / self.total)

        def move(prev: str, word: str) -> float:
            return 3.0 * math.log1p(self._bigram(prev, word))

        scores = {w: emit(w, 0) for w in options[0]}
        back: list[dict[str, str]] = []
        for i, forms in enumerate(options[1:], 1):
            step, links = {}, {}
            for w in forms:
                prev = max(scores, key=lambda p, w=w: scores[p] + move(p, w))
                step[w] = scores[prev] + move(prev, w) + emit(w, i)
                links[w] = prev
            scores = step
            back.append(links)
        word = max(scores, key=scores.get)
        path = [word]
        for links in reversed(back):
            word = links[word]
            path.append(word)
        return path[::-1]


def _one_edit(word: str) -> set[str]:
    """Folded spellings one deletion, insertion, substitution or swap away (Norvig)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    out |= {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    out |= {a + c + b for a, b in splits for c in _LETTERS}
    out.discard(word)
    return out


def _same_case(typed: str, word: str) -> str:
    if typed.isupper() and len(typed) > 1:
        return typed
    if typed[:1].isupper():
        return word[:1].upper() + word[1:]
    return word
