"""Lexical postings of one index segment, and BM25 over several segments.

A segment stores, for every token its passages use, the rows holding it and how often
(a CSC matrix: ``indptr`` over tokens, ``rows`` and ``tfs`` per posting), plus each row's
length. Tokens are kept as 64-bit hashes in sorted order, so a segment loads as
memory-mapped arrays with no vocabulary dictionary in RAM.

Scores are BM25 in the Lucene variant (the one bm25s computes by default) with the
*collection's* statistics: the number of passages, the average length and each token's
document frequency are summed over the live segments at query time, as Lucene does. A
one-document segment added yesterday then scores exactly as it would inside one big
index; storing BM25 scores per segment (bm25s bakes each index's own IDF into them) would
make a small segment's scores incomparable with the rest.
"""

from __future__ import annotations

import hashlib
import math
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .analyzer import HEADING
from .store import mapped

K1 = 1.2
B = 0.75
_FILES = ("terms", "indptr", "rows", "tfs", "lengths")


def term_hash(token: str) -> int:
    """A token's signed 64-bit id (blake2b): collisions are negligible below 10^9 tokens."""
    digest = hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


@dataclass
class LexicalSegment:
    terms: np.ndarray  # int64 token hashes, sorted
    indptr: np.ndarray  # int64, len(terms) + 1: postings of term i are [indptr[i], indptr[i+1])
    rows: np.ndarray  # int32 row of each posting, ascending within a term
    tfs: np.ndarray  # uint16 occurrences of the term in the row
    lengths: np.ndarray  # int32 tokens per row
    _norms: tuple[tuple[float, float, float], np.ndarray] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    @property
    def n(self) -> int:
        return len(self.lengths)

    def norms(self, avgdl: float, k1: float, b: float) -> np.ndarray:
        """``k1 · (1 − b + b · length / avgdl)`` of every row: the length part of BM25, the
        same for every query of a generation, so computed once, not per posting per query."""
        key = (avgdl, k1, b)
        cached = self._norms
        if cached is None or cached[0] != key:
            cached = self._norms = (key, k1 * (1 - b + b * np.asarray(self.lengths) / avgdl))
        return cached[1]

    @classmethod
    def build(cls, token_lists: Iterable[Sequence[str]]) -> LexicalSegment:
        """Postings for rows 0..n-1 from each row's tokens (duplicates count as frequency)."""
        vocab: dict[str, int] = {}
        term_of, row_of = array("q"), array("i")
        lengths = array("i")
        for r, tokens in enumerate(token_lists):
            ids = [vocab.setdefault(t, len(vocab)) for t in tokens]
            term_of.extend(ids)
            row_of.extend([r] * len(ids))
            lengths.append(len(ids) or 1)  # bm25s counts an empty passage as one token
        n = len(lengths)
        hashes = np.fromiter((term_hash(t) for t in vocab), dtype=np.int64, count=len(vocab))
        rank = np.empty(len(vocab), dtype=np.int64)
        order = np.argsort(hashes, kind="stable")
        rank[order] = np.arange(len(vocab))
        keys = rank[np.frombuffer(term_of, dtype=np.int64)] * max(n, 1) + np.frombuffer(
            row_of, dtype=np.int32
        )
        keys, tfs = np.unique(keys, return_counts=True)
        term_idx = keys // max(n, 1)
        indptr = np.zeros(len(vocab) + 1, dtype=np.int64)
        np.cumsum(np.bincount(term_idx, minlength=len(vocab)), out=indptr[1:])
        return cls(
            terms=hashes[order],
            indptr=indptr,
            rows=(keys % max(n, 1)).astype(np.int32),
            tfs=np.minimum(tfs, np.iinfo(np.uint16).max).astype(np.uint16),
            lengths=np.frombuffer(lengths, dtype=np.int32).copy(),
        )

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for name in _FILES:
            np.save(folder / f"{name}.npy", getattr(self, name), allow_pickle=False)

    @classmethod
    def load(cls, folder: Path) -> LexicalSegment:
        return cls(*(mapped(folder / f"{n}.npy") for n in _FILES))

    def lookup(self, hashes: np.ndarray) -> np.ndarray:
        """Term index of each hash, -1 where the segment does not have it."""
        if not len(self.terms):
            return np.full(len(hashes), -1, dtype=np.int64)
        at = np.minimum(np.searchsorted(self.terms, hashes), len(self.terms) - 1)
        return np.where(self.terms[at] == hashes, at, -1)

    def df(self, term: int) -> int:
        return int(self.indptr[term + 1] - self.indptr[term]) if term >= 0 else 0

    def postings(self, term: int) -> tuple[np.ndarray, np.ndarray]:
        a, b = int(self.indptr[term]), int(self.indptr[term + 1])
        return self.rows[a:b], self.tfs[a:b]


@dataclass(frozen=True)
class Collection:
    """Statistics of the live passages over all segments."""

    n: int
    avgdl: float


def collection(segments: Sequence[LexicalSegment], live: Sequence[np.ndarray | None]) -> Collection:
    n, total = 0, 0
    for seg, mask in zip(segments, live, strict=True):
        lengths = seg.lengths if mask is None else seg.lengths[mask]
        n += len(lengths)
        total += int(lengths.sum(dtype=np.int64))
    return Collection(n, total / n if n else 1.0)


def idf(df: int, n: int) -> float:
    """Lucene's BM25 idf, never negative: ``df`` counts the passages of replaced documents
    until their segment is merged and ``n`` does not, so a token in nearly every passage
    ("hành") could otherwise lower the score of every passage holding it."""
    return max(0.0, math.log(1 + (n - df + 0.5) / (df + 0.5))) if df else 0.0


# A token in more passages than this is "common" ("tỉnh", "thực hiện" in a large archive):
# it cannot decide which passages are candidates, only add to their scores (the idea of
# Lucene's MaxScore). Below this size every token is scored over all its passages.
COMMON_POSTINGS = 50_000


class Bm25:
    """BM25 of one query over the live segments.

    A token repeated in the query counts once per occurrence, as in bm25s; tokens of the
    heading field count ``heading_weight`` times. Document frequencies include passages of
    replaced documents until their segment is merged (Lucene does the same); lengths and
    the passage count do not. When the query has rarer tokens, tokens in more than
    ``common`` passages ("tỉnh", "thực hiện" in a large archive) only add to the scores of
    rows the rarer ones found (the idea of Lucene's MaxScore).
    """

    def __init__(
        self,
        segments: Sequence[LexicalSegment],
        tokens: Sequence[str],
        stats: Collection,
        *,
        k1: float = K1,
        b: float = B,
        common: int = COMMON_POSTINGS,
        heading_weight: float = 1.0,
    ):
        self.segments, self.stats, self.k1, self.b = segments, stats, k1, b
        self.terms = _Terms.of(segments, tokens, stats, heading_weight)
        self.norms = [seg.norms(stats.avgdl, k1, b) for seg in segments]
        if self.terms is not None:
            rare = self.terms.df <= common
            if not rare.any():
                rare[:] = True  # nothing rarer to lead: every token takes part
            self.rare = np.flatnonzero(rare)
            common = np.flatnonzero(~rare)  # the rarest first (see ``search``)
            self.common = common[np.argsort(-self.terms.idf[common], kind="stable")]

    def search(
        self, selection: Sequence[np.ndarray | None] | None = None, top: int | None = None
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        """For each segment, (rows, scores) of the rows holding a rarer query token that
        ``selection`` allows (per segment; None: every row), rows ascending.

        With ``top``, the common tokens are added only to rows that can still be among the
        ``top`` best (MaxScore, below). The ``top`` best rows and their scores are then
        exact, and every other row's score is a lower bound (``score`` gives the exact
        one): the common tokens' postings run to millions in a large archive, and are
        looked up for the few rows left instead of read whole.
        """
        empty = (np.zeros(0, np.int32), np.zeros(0, np.float32))
        if self.terms is None:
            return [empty for _ in self.segments]
        out = []
        for s, seg in enumerate(self.segments):
            parts = [self._term_scores(s, t) for t in self.rare]
            parts = [p for p in parts if p is not None]
            if not parts:
                out.append(empty)
                continue
            rows, scores = _accumulate(parts, seg.n)
            if selection is not None and selection[s] is not None and len(rows):
                keep = selection[s][rows]
                rows, scores = rows[keep], scores[keep]
            out.append((rows, scores))
        if not len(self.common):
            return out
        # MaxScore: the common tokens one at a time, the rarest first; after each, a row
        # whose score plus all the tokens still to come could add stays below the ``top``-th
        # best score so far cannot reach the top, and the tokens left skip it.
        still = float(self.terms.idf[self.common].sum())  # the most the tokens left could add
        picks = [np.arange(len(rows)) for rows, _ in out]
        for t in self.common:
            if top is not None:
                ranked = np.concatenate([sc[p] for (_, sc), p in zip(out, picks, strict=True)])
                if len(ranked) > top:
                    floor = float(np.partition(ranked, len(ranked) - top)[len(ranked) - top])
                    picks = [
                        p[sc[p] >= floor - still] for (_, sc), p in zip(out, picks, strict=True)
                    ]
            for s, ((rows, scores), p) in enumerate(zip(out, picks, strict=True)):
                if len(p):
                    scores[p] += self._scores(s, [t], rows[p])
            still -= float(self.terms.idf[t])
        return out

    def score(self, s: int, rows: np.ndarray) -> np.ndarray:
        """The exact scores ``search`` would give ``rows`` of segment ``s`` (ascending; 0 for
        a row holding no rarer token)."""
        if self.terms is None:
            return np.zeros(len(rows), dtype=np.float32)
        scores = self._scores(s, self.rare, rows)
        held = np.flatnonzero(scores > 0)
        for t in self.common:  # one at a time, as ``search`` adds them
            scores[held] += self._scores(s, [t], rows[held])
        return scores

    def _scores(self, s: int, tokens: Iterable[int], rows: np.ndarray) -> np.ndarray:
        """The summed scores of ``tokens`` in each of ``rows`` (ascending) of segment ``s``,
        added in the order and precision ``_accumulate`` adds them."""
        out = np.zeros(len(rows), dtype=np.float64)
        slot: np.ndarray | None = None  # row -> its place in ``rows``, made when needed
        for t in tokens:
            term = int(self.terms.found[s][t])
            if term < 0 or self.terms.idf[t] == 0 or not len(rows):
                continue
            posted, tfs = self.segments[s].postings(term)
            if len(rows) * 16 < len(posted):  # a few rows: find each in the postings
                at = np.minimum(np.searchsorted(posted, rows), len(posted) - 1)
                hit = np.flatnonzero(posted[at] == rows)
                at = at[hit]
            else:  # many: one pass over the postings
                if slot is None:
                    slot = np.full(self.segments[s].n, -1, dtype=np.int64)
                    slot[rows] = np.arange(len(rows))
                places = slot[posted]
                at = np.flatnonzero(places >= 0)
                hit = places[at]
            out[hit] += self._weights(s, t, np.asarray(posted[at]), tfs[at])
        return out.astype(np.float32)

    def _term_scores(self, s: int, t: int) -> tuple[np.ndarray, np.ndarray] | None:
        term = int(self.terms.found[s][t])
        if term < 0 or self.terms.idf[t] == 0:
            return None
        rows, tfs = self.segments[s].postings(term)
        return np.asarray(rows), self._weights(s, t, rows, tfs)

    def _weights(self, s: int, t: int, rows: np.ndarray, tfs: np.ndarray) -> np.ndarray:
        tf = np.asarray(tfs, dtype=np.float32)
        return (self.terms.idf[t] * tf / (tf + self.norms[s][rows])).astype(np.float32)


@dataclass
class _Terms:
    """The query's distinct tokens: their index in each segment, weights and idf."""

    found: list[np.ndarray]  # per segment, term index of each token (-1: absent)
    df: np.ndarray  # over all segments
    idf: np.ndarray  # Lucene idf times the token's count in the query

    @classmethod
    def of(
        cls,
        segments: Sequence[LexicalSegment],
        tokens: Sequence[str],
        stats: Collection,
        heading_weight: float = 1.0,
    ) -> _Terms | None:
        counts = Counter(tokens)
        if not counts or stats.n == 0:
            return None
        hashes = np.array([term_hash(t) for t in counts], dtype=np.int64)
        found = [seg.lookup(hashes) for seg in segments]
        df = np.zeros(len(hashes), dtype=np.int64)
        for seg, idx in zip(segments, found, strict=True):
            df += [seg.df(int(i)) for i in idx]
        weights = np.array(
            [n * (heading_weight if t.startswith(HEADING) else 1.0) for t, n in counts.items()]
        )
        return cls(found, df, np.array([idf(int(d), stats.n) for d in df]) * weights)


def _accumulate(
    parts: list[tuple[np.ndarray, np.ndarray]], n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Sum scores per row over the parts: (distinct rows ascending, their scores)."""
    rows = np.concatenate([p[0] for p in parts])
    scores = np.concatenate([p[1] for p in parts])
    if len(rows) > n // 16:  # dense enough: one pass over an array of all rows
        total = np.bincount(rows, weights=scores, minlength=n)
        hit = np.flatnonzero(total)
        return hit.astype(np.int32), total[hit].astype(np.float32)
    uniq, inverse = np.unique(rows, return_inverse=True)
    return uniq.astype(np.int32), np.bincount(inverse, weights=scores).astype(np.float32)


def merge(segments: Sequence[LexicalSegment], live: Sequence[np.ndarray | None]) -> LexicalSegment:
    """One segment holding the live rows of ``segments`` in order, renumbered from 0.

    Every input is sorted by token hash, and rows of later segments come after those of
    earlier ones, so each merged token's postings are the inputs' postings laid end to end:
    no sort over the postings is needed.
    """
    keep = [
        np.ones(s.n, bool) if m is None else np.asarray(m, bool)
        for s, m in zip(segments, live, strict=True)
    ]
    terms = np.unique(np.concatenate([s.terms for s in segments] or [np.zeros(0, np.int64)]))

    def live_postings(seg: LexicalSegment, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Merged term index of each live posting of ``seg``, and which postings live."""
        term_idx = np.repeat(np.searchsorted(terms, seg.terms), np.diff(seg.indptr))
        alive = mask[seg.rows]
        return term_idx[alive], alive

    # Two passes, one input at a time (the postings of a merge run to hundreds of millions):
    # count each token's live postings, then place each input's postings after the
    # previous inputs' ones.
    counts = np.zeros(len(terms), dtype=np.int64)
    for seg, mask in zip(segments, keep, strict=True):
        counts += np.bincount(live_postings(seg, mask)[0], minlength=len(terms))
    indptr = np.zeros(len(terms) + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    rows = np.empty(int(indptr[-1]), dtype=np.int32)
    tfs = np.empty(int(indptr[-1]), dtype=np.uint16)
    filled = indptr[:-1].copy()
    offset = 0
    for seg, mask in zip(segments, keep, strict=True):
        term_idx, alive = live_postings(seg, mask)
        if len(term_idx):
            renumber = np.cumsum(mask, dtype=np.int64) - 1 + offset
            # Within one input, a token's postings are consecutive: place each run after
            # what earlier inputs put there.
            starts = np.flatnonzero(np.r_[True, term_idx[1:] != term_idx[:-1]])
            run_terms = term_idx[starts]
            run_lengths = np.diff(np.r_[starts, len(term_idx)])
            dest = np.repeat(filled[run_terms] - starts, run_lengths) + np.arange(len(term_idx))
            rows[dest] = renumber[seg.rows[alive]]
            tfs[dest] = np.asarray(seg.tfs)[alive]
            filled[run_terms] += run_lengths
        offset += int(mask.sum())
    lengths = np.concatenate(
        [np.asarray(s.lengths)[m] for s, m in zip(segments, keep, strict=True)]
        or [np.zeros(0, np.int32)]
    )
    keep_terms = counts > 0
    if not keep_terms.all():
        indptr = np.r_[0, np.cumsum(counts[keep_terms])].astype(np.int64)
        terms = terms[keep_terms]
    return LexicalSegment(terms, indptr, rows, tfs, lengths.astype(np.int32))
