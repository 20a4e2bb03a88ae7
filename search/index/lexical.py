"""Vietnamese lexical retrieval with bm25s.

Tokens, for every syllable of a passage:
* the exact lower-cased syllable with the modern tone placement ("hòa", "ủy");
* the diacritic-folded syllable (``~hoa``), so "hon khoai" finds "Hòn Khoai";
* the folded syllable bigram (``~hon_khoai``): Vietnamese words are mostly two syllables;
* concept tokens for abbreviations and their expansions (see lexicon.py).

A query typed with diacritics uses exact and folded tokens, so exact spellings rank above
mere look-alikes; a query typed without diacritics uses folded tokens only.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from pathlib import Path

import bm25s
import numpy as np

from ..text.lexicon import WORD, Lexicon, could_be_syllable, words
from ..text.normalize import fold, modern_tones, nfc

# Words that ask rather than describe; they never appear in the answer passage.
_QUERY_STOP = {
    fold(w)
    for w in (
        "bao nhiêu mấy nào gì ai đâu khi nào bao giờ chưa phải là hay hoặc thế nào "
        "như thế nào ra sao những các của và về cho được đã sẽ đang thì mà với"
    ).split()
}
# Words of asking and of conversation ("bao lâu", "vì sao", "giúp tôi") that documents do
# not use: their absence from the corpus says nothing about whether it can answer.
# Compared with diacritics only: folded, "nhỉ" would be "nhi" as in "sản nhi".
_CONVERSATIONAL = set(
    "lâu xa sao vì tại gồm nhỉ vậy ạ hả à ư nhé xin biết hỏi muốn giúp tôi em anh chị "
    "mình ơi cho hãy nên cần".split()
)
_PERCENT = re.compile(r"%")
_CLAUSE = re.compile(r"[.;:,!?()\[\]\n|“”\"]+")


class Analyzer:
    """Text → lexical tokens; the same analysis for passages and queries."""

    def __init__(self, lexicon: Lexicon | None = None):
        self.lexicon = lexicon or Lexicon.curated()
        self._matcher = self.lexicon.matcher()

    def document_tokens(self, text: str) -> list[str]:
        return self._tokens(text, exact=True, drop_stop=False)

    def query_tokens(self, text: str) -> list[str]:
        has_marks = fold(text) != text
        return self._tokens(text, exact=has_marks, drop_stop=True)

    def _tokens(self, text: str, *, exact: bool, drop_stop: bool) -> list[str]:
        text = _PERCENT.sub(" phần trăm ", modern_tones(nfc(text)))
        out: list[str] = []
        for clause in _CLAUSE.split(text):
            raw = words(clause)
            if not raw:
                continue
            lower = [w.lower() for w in raw]
            folded = [fold(w) for w in lower]
            for start, end, key in self._matcher.concepts(raw, folded):
                out.append(key)
            keep = [i for i, f in enumerate(folded) if not (drop_stop and f in _QUERY_STOP)]
            for i in keep:
                if exact and lower[i] != folded[i]:
                    out.append(lower[i])
                out.append("~" + folded[i])
            for a, b in zip(keep, keep[1:], strict=False):
                if b == a + 1:
                    out.append(f"~{folded[a]}_{folded[b]}")
        return out

    def unknown_terms(self, query: str, vocabulary: dict[str, int]) -> list[str]:
        """Content words of the query that no indexed passage contains.

        Words the documents never use ("đường sắt" in a corpus without railways) mean the
        corpus cannot answer. Question words, abbreviations, codes and words covered by a
        known concept (a synonym the documents do use) do not count.
        """
        text = _PERCENT.sub(" phần trăm ", modern_tones(nfc(query)))
        accented = fold(text) != text
        out = []
        for clause in _CLAUSE.split(text):
            raw = words(clause)
            lower = [w.lower() for w in raw]
            folded = [fold(w) for w in lower]
            covered = set()
            for start, end, key in self._matcher.concepts(raw, folded):
                if key in vocabulary:
                    covered.update(range(start, end))
            for i, w in enumerate(raw):
                f = folded[i]
                asking = f in _QUERY_STOP or (accented and lower[i] in _CONVERSATIONAL)
                if i in covered or asking or w.isupper() or not could_be_syllable(f):
                    continue
                token = lower[i] if accented and lower[i] != f else "~" + f
                if token not in vocabulary:
                    out.append(w)
        return out

    def expand_inline(self, text: str) -> str:
        """The query with each abbreviation written out in place, for the dense encoder:
        "NQ KH ĐTC trình HĐND" → "nghị quyết kế hoạch đầu tư công trình hội đồng nhân dân"."""
        text = modern_tones(nfc(text))
        spans = [(m.start(), m.end()) for m in WORD.finditer(text)]
        raw = [text[a:b] for a, b in spans]
        folded = [fold(w.lower()) for w in raw]
        out, at, done = [], 0, 0
        for start, end, key in self._matcher.concepts(raw, folded):
            concept = self.lexicon.concepts[key]
            if start < done or tuple(folded[start:end]) not in concept.abbrevs:
                continue  # inside a longer match ("CT" of "Sở CT"), or already written out
            done = end
            out.append(text[at : spans[start][0]])
            out.append(concept.display)
            at = spans[end - 1][1]
        out.append(text[at:])
        return "".join(out)


class LexicalIndex:
    """bm25s over the chunks' lexical text, saved as plain files beside the dense index."""

    def __init__(self, retriever: bm25s.BM25, analyzer: Analyzer, n: int, df: dict[str, int]):
        self.retriever = retriever
        self.analyzer = analyzer
        self.n = n
        self.df = df  # passages containing each token
        self._vocab = retriever.vocab_dict

    @property
    def vocabulary(self) -> dict[str, int]:
        return self._vocab

    def idf(self, token: str) -> float:
        return math.log(1 + (self.n + 1) / (self.df.get(token, 0) + 0.5))

    @classmethod
    def build(
        cls, texts: list[str], analyzer: Analyzer, *, k1: float = 1.2, b: float = 0.75
    ) -> LexicalIndex:
        retriever = bm25s.BM25(k1=k1, b=b)
        corpus = [analyzer.document_tokens(t) or [""] for t in texts]
        retriever.index(corpus, show_progress=False)
        df = Counter(t for tokens in corpus for t in set(tokens) if t)
        return cls(retriever, analyzer, len(texts), dict(df))

    def scores(self, query: str) -> np.ndarray:
        tokens = [t for t in self.analyzer.query_tokens(query) if t in self._vocab]
        if not tokens or self.n == 0:
            return np.zeros(self.n, dtype=np.float32)
        return np.asarray(self.retriever.get_scores(tokens), dtype=np.float32)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.retriever.save(str(folder), show_progress=False)
        (folder / "lexicon.json").write_text(
            json.dumps(self.analyzer.lexicon.to_json(), ensure_ascii=False), encoding="utf-8"
        )
        (folder / "meta.json").write_text(json.dumps({"n": self.n}), encoding="utf-8")
        (folder / "df.json").write_text(json.dumps(self.df, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        retriever = bm25s.BM25.load(str(folder), show_progress=False, verbosity=0)
        lexicon = Lexicon.from_json(
            json.loads((folder / "lexicon.json").read_text(encoding="utf-8"))
        )
        n = json.loads((folder / "meta.json").read_text(encoding="utf-8"))["n"]
        df = json.loads((folder / "df.json").read_text(encoding="utf-8"))
        return cls(retriever, Analyzer(lexicon), n, df)


def build_lexicon(texts_by_doc: dict[str, str]) -> Lexicon:
    """The curated lexicon plus every abbreviation the documents define."""
    from ..text.lexicon import defined_abbreviations

    lex = Lexicon.curated()
    for text in texts_by_doc.values():
        for abbr, phrase in defined_abbreviations(text):
            lex.add([abbr], [phrase])
    return lex


def lexical_text(chunk_text: str, context: str, title: str) -> str:
    return "\n".join(x for x in (title, context, chunk_text) if x)


__all__ = ["Analyzer", "LexicalIndex", "build_lexicon", "lexical_text", "words"]
