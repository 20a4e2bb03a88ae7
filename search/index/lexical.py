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
from dataclasses import dataclass
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

    @property
    def n(self) -> int:
        return len(self.lengths)

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
    """Lucene's BM25 idf (never negative)."""
    return math.log(1 + (n - df + 0.5) / (df + 0.5)) if df else 0.0


# A token in more passages than this is "common" ("tỉnh", "thực hiện" in a large archive):
# it cannot decide which passages are candidates, only add to their scores (the idea of
# Lucene's MaxScore). Below this size every token is scored over all its passages.
COMMON_POSTINGS = 50_000


def bm25(
    segments: Sequence[LexicalSegment],
    tokens: Sequence[str],
    stats: Collection,
    *,
    k1: float = K1,
    b: float = B,
    common: int = COMMON_POSTINGS,
    heading_weight: float = 1.0,
) -> list[tuple[np.ndarray, np.ndarray]]:
    """For each segment, (rows, scores) of the rows holding a query token, rows ascending.

    A token repeated in the query counts once per occurrence, as in bm25s; tokens of the
    heading field count ``heading_weight`` times. Document
    frequencies include passages of replaced documents until their segment is merged
    (Lucene does the same); lengths and the passage count do not. When the query has
    rarer tokens, tokens in more than ``common`` passages only add to the scores of rows
    the rarer ones found.
    """
    empty = (np.zeros(0, np.int32), np.zeros(0, np.float32))
    terms = _Terms.of(segments, tokens, stats, heading_weight)
    if terms is None:
        return [empty for _ in segments]
    rare = terms.df <= common
    if not rare.any():
        rare[:] = True  # nothing rarer to lead: every token takes part
    out = []
    for s, seg in enumerate(segments):
        parts = [_term_scores(seg, terms, s, t, k1, b, stats) for t in np.flatnonzero(rare)]
        parts = [p for p in parts if p is not None]
        if not parts:
            out.append(empty)
            continue
        rows, scores = _accumulate(parts, seg.n)
        common = np.flatnonzero(~rare)
        if len(common):
            slot = np.full(seg.n, -1, dtype=np.int64)  # row -> its place in ``rows``
            slot[rows] = np.arange(len(rows))
            for t in common:
                if (part := _term_scores(seg, terms, s, t, k1, b, stats, slot=slot)) is not None:
                    scores[slot[part[0]]] += part[1]
        out.append((rows, scores))
    return out


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


def _term_scores(
    seg: LexicalSegment,
    terms: _Terms,
    s: int,
    t: int,
    k1: float,
    b: float,
    stats: Collection,
    slot: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray] | None:
    term = int(terms.found[s][t])
    if term < 0 or terms.idf[t] == 0:
        return None
    rows, tfs = seg.postings(term)
    if slot is not None:  # keep the postings of rows that have a slot (candidates)
        hit = slot[rows] >= 0
        rows, tfs = rows[hit], tfs[hit]
    tf = np.asarray(tfs, dtype=np.float32)
    norm = k1 * (1 - b + b * seg.lengths[rows] / stats.avgdl)
    return np.asarray(rows), (terms.idf[t] * tf / (tf + norm)).astype(np.float32)


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
