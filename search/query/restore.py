"""Diacritics put back into a query typed without them, from the corpus's own words.

The multilingual encoder reads "xa tam giang dat chuan nong thon moi" poorly; it reads "xã
Tam Giang đạt chuẩn nông thôn mới" well. Every unaccented syllable has few accented forms,
and the corpus says which ones follow each other: a Viterbi pass over syllable-bigram
counts picks the most likely accented reading. Words the corpus does not know, numbers and
capitalised abbreviations ("GPMB") are kept as typed. Only the dense query uses the
restored text; lexical matching keeps folding, so a wrong guess costs little.

The counts come from the index (index/syllables.py), gathered when it was built.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable

from ..index.syllables import SyllableCounts
from ..text.normalize import fold, is_accented
from ..text.words import ASKING_PHRASES, WORD

MAX_FORMS = 6  # accented readings considered per syllable
SEED_COUNT = 5  # weight of each asking phrase (see text/words.py ASKING_PHRASES)


class DiacriticRestorer:
    def __init__(self, counts: SyllableCounts):
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
    def from_texts(cls, texts: Iterable[str]) -> DiacriticRestorer:
        return cls(SyllableCounts.build(texts))

    def restore(self, query: str) -> str:
        """The query with diacritics restored where the corpus is sure enough."""
        found = list(WORD.finditer(query))
        if not found:
            return query
        best = self._viterbi([self._options(m.group()) for m in found])
        out, at = [], 0
        for m, choice in zip(found, best, strict=True):
            out += [query[at : m.start()], _same_case(m.group(), choice)]
            at = m.end()
        out.append(query[at:])
        return "".join(out)

    def _options(self, token: str) -> list[str]:
        low = token.lower()
        if token.isupper() and len(token) > 1 or any(ch.isdigit() for ch in token):
            return [low]  # an abbreviation or a number: as typed
        if is_accented(low):
            return [low]  # already accented
        return self.forms.get(low, [low])

    def _unigram(self, word: str) -> int:
        i = self.ids.get(word)
        return 0 if i is None else int(self.counts.unigrams[i])

    def _bigram(self, prev: str, word: str) -> int:
        a, b = self.ids.get(prev), self.ids.get(word)
        if a is None or b is None:
            return 0
        return self.counts.bigram(a, b)

    def _viterbi(self, options: list[list[str]]) -> list[str]:
        def emit(word: str) -> float:
            return 0.5 * math.log((self._unigram(word) + 0.1) / self.total)

        def move(prev: str, word: str) -> float:
            return 3.0 * math.log1p(self._bigram(prev, word))

        scores = {w: emit(w) for w in options[0]}
        back: list[dict[str, str]] = []
        for forms in options[1:]:
            step, links = {}, {}
            for w in forms:
                prev = max(scores, key=lambda p, w=w: scores[p] + move(p, w))
                step[w] = scores[prev] + move(prev, w) + emit(w)
                links[w] = prev
            scores = step
            back.append(links)
        word = max(scores, key=scores.get)
        path = [word]
        for links in reversed(back):
            word = links[word]
            path.append(word)
        return path[::-1]


def _same_case(typed: str, word: str) -> str:
    if typed.isupper() and len(typed) > 1:
        return typed
    if typed[:1].isupper():
        return word[:1].upper() + word[1:]
    return word
