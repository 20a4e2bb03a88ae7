"""Where a pasted passage comes from: the indexed passages that hold it, word for word.

Staff paste a paragraph from a draft or an old memo to find its source and cite it. The
ranked hits bring the candidates (lexical search sees every word of the paste); each is
compared with the paste word by word after folding (NFC, case, punctuation, spacing and
diacritic slips do not matter), and a paste longer than one passage is followed into the
passages before and after it in the same document. When most of the paste is found in
order, the passages it spans are its source ("Trích từ").
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..records import Chunk, Hit
from ..text.normalize import fold
from ..text.words import WORD

MIN_COVERAGE = 0.8  # share of the paste's words found in order in the source passages
# Words count as found only in runs this long: a paste matches its source run by run (a
# slip breaks a run, it does not scatter it), while a long question finds its words one
# by one in rows that repeat the same column names.
MIN_RUN = 3
MAX_SPAN = 8  # consecutive passages a paste may span
_CANDIDATES = 5


@dataclass(frozen=True)
class Quote:
    chunks: tuple[Chunk, ...]  # the consecutive passages the paste comes from
    coverage: float  # share of the paste's words found, in order, in them
    precision: float = 0.0  # share of their words the paste holds: the tighter source wins

    @property
    def doc(self) -> str:
        return self.chunks[0].doc

    @property
    def line_start(self) -> int:
        return self.chunks[0].line_start

    @property
    def line_end(self) -> int:
        return self.chunks[-1].line_end

    @property
    def citation(self) -> str:
        return self.chunks[0].citation

    def to_json(self) -> dict[str, object]:
        return {
            "doc": self.doc,
            "citation": self.citation,
            "line_start": self.line_start,
            "line_end": self.line_end,
            "coverage": round(self.coverage, 3),
        }


def words_of(text: str) -> list[str]:
    return [fold(w) for w in WORD.findall(text.lower())]


def locate(
    pasted: str, hits: Sequence[Hit], document: Callable[[str], list[Chunk]]
) -> Quote | None:
    """The passages ``pasted`` comes from, among the top hits and their neighbours in the
    same document (``document(doc)`` gives a document's passages in order)."""
    target = words_of(pasted)
    if not target:
        return None
    best: Quote | None = None
    for hit in hits[:_CANDIDATES]:
        chunks = document(hit.doc)
        at = next((i for i, c in enumerate(chunks) if c.id == hit.chunk.id), None)
        if at is None:
            continue
        found = _grow(target, chunks, at)
        if found and (best is None or _rank(found) > _rank(best)):
            best = found
    return best if best is not None and best.coverage >= MIN_COVERAGE else None


def _rank(quote: Quote) -> tuple[float, float]:
    return round(quote.coverage, 3), quote.precision


def _grow(target: list[str], chunks: list[Chunk], at: int) -> Quote | None:
    """Extend from ``chunks[at]`` to neighbours while they hold more of the paste."""
    lo = hi = at
    cover, precision = _match(target, chunks[lo : hi + 1])
    while hi - lo + 1 < MAX_SPAN and cover < 0.999:
        options = []
        if lo > 0:
            options.append((lo - 1, hi))
        if hi + 1 < len(chunks):
            options.append((lo, hi + 1))
        scored = [(*_match(target, chunks[a : b + 1]), a, b) for a, b in options]
        if not scored:
            break
        gain, tight, a, b = max(scored)
        if gain <= cover + 1e-9:
            break
        cover, precision, lo, hi = gain, tight, a, b
    return Quote(tuple(chunks[lo : hi + 1]), cover, precision) if cover > 0 else None


def _match(target: list[str], chunks: Sequence[Chunk]) -> tuple[float, float]:
    """(share of ``target``'s words found in order in the passages, share of theirs)."""
    source: list[str] = []
    for c in chunks:
        source += words_of(c.text)
    matcher = difflib.SequenceMatcher(None, target, source, autojunk=False)
    matched = sum(b.size for b in matcher.get_matching_blocks() if b.size >= MIN_RUN)
    return matched / len(target), matched / max(len(source), 1)
