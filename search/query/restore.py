"""Diacritics put back into a query typed without them, from the corpus's own words.

The multilingual encoder reads "xa tam giang dat chuan nong thon moi" poorly; it reads "xã
Tam Giang đạt chuẩn nông thôn mới" well. Every unaccented syllable has few accented forms,
and the corpus says which ones follow each other: a Viterbi pass over syllable-bigram
counts picks the most likely accented reading. Words the corpus does not know, numbers and
capitalised abbreviations ("GPMB") are kept as typed. Only the dense query uses the
restored text; lexical matching keeps folding, so a wrong guess costs little.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable

from ..text.lexicon import WORD
from ..text.normalize import fold, modern_tones

MAX_FORMS = 6  # accented readings considered per syllable
# Queries ask questions documents rarely do ("bao nhiêu căn", "khi nào"): a few everyday
# phrases seed the counts so their words come back right.
_SEED = """
bao nhiêu | bao giờ | khi nào | lúc nào | ở đâu | là gì | như thế nào | thế nào | tháng mấy |
năm nào | mấy | ai chủ trì | cơ quan nào | đơn vị nào | của | được | những | các | và | với |
về | theo | trong | cho | có | không | đã | đang | sẽ | phải | hoàn thành | họp mặt
"""
SEED_COUNT = 5


class DiacriticRestorer:
    def __init__(self, texts: Iterable[str]):
        self.unigrams: Counter[str] = Counter()
        self.bigrams: Counter[tuple[str, str]] = Counter()
        for phrase in _SEED.replace("\n", " ").split("|"):
            words = phrase.split()
            for _ in range(SEED_COUNT):
                self.unigrams.update(words)
                self.bigrams.update(zip(words, words[1:], strict=False))
        for text in texts:
            for line in text.split("\n"):
                words = [modern_tones(w.lower()) for w in WORD.findall(line)]
                self.unigrams.update(words)
                self.bigrams.update(zip(words, words[1:], strict=False))
        forms: dict[str, Counter[str]] = defaultdict(Counter)
        for word, n in self.unigrams.items():
            forms[fold(word)][word] += n
        self.forms = {k: [w for w, _ in c.most_common(MAX_FORMS)] for k, c in forms.items()}
        self.total = sum(self.unigrams.values()) or 1

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
        if fold(low) != low:
            return [low]  # already accented
        return self.forms.get(low, [low])

    def _viterbi(self, options: list[list[str]]) -> list[str]:
        def emit(word: str) -> float:
            return 0.5 * math.log((self.unigrams.get(word, 0) + 0.1) / self.total)

        def move(prev: str, word: str) -> float:
            pair = self.bigrams.get((prev, word), 0)
            return 3.0 * math.log1p(pair)

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
