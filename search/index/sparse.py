"""BM25 as sparse vectors, for a vector database that knows nothing of Vietnamese.

The project's own analyzer (analyzer.py) turns a passage into tokens; each token becomes a
dimension of a sparse vector, so the database only computes inner products:

* a passage stores, for each of its tokens, ``tf / (tf + k1 (1 - b + b dl / avgdl))`` with
  the collection's average length when it was written;
* a query gives each of its tokens Lucene's idf from the document frequencies the store
  keeps (times the token's count in the query, times the heading weight for ``^`` tokens).

Their inner product is the BM25 score lexical.py computes. The average length moves as
documents come and go, so a passage's weights are exact only for the collection they were
written into; ``term_frequencies`` recovers the integer frequencies from the stored weights
(the length and the average are stored beside them), and ``scores`` recomputes BM25 with
today's statistics for the candidates a query shows.

Token ids are lexical.term_hash reduced modulo ``SPARSE_DIM`` (Milvus accepts sparse
indices below 2^32 - 1); two tokens sharing an id (about one pair per 10^5 tokens of
vocabulary) are counted as one token.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np

from .analyzer import HEADING
from .lexical import K1, B, idf, term_hash

SPARSE_DIM = 2**32 - 1  # indices 0 .. 2^32 - 2


def token_id(token: str) -> int:
    """The sparse dimension of a token."""
    return term_hash(token) % SPARSE_DIM


def length(tokens: Sequence[str]) -> int:
    """A passage's length as BM25 counts it (an empty passage counts as one token)."""
    return len(tokens) or 1


def _norm(dl: float, avgdl: float, k1: float, b: float) -> float:
    return k1 * (1 - b + b * dl / avgdl)


def document_vector(
    tokens: Sequence[str], avgdl: float, *, k1: float = K1, b: float = B
) -> dict[int, float]:
    """The stored side: BM25's saturated term frequency of each token id."""
    tfs = Counter(token_id(t) for t in tokens)
    norm = _norm(length(tokens), avgdl, k1, b)
    return {i: min(tf, 65535) / (min(tf, 65535) + norm) for i, tf in tfs.items()}


def term_frequencies(
    weights: Mapping[int, float], dl: int, avgdl: float, *, k1: float = K1, b: float = B
) -> dict[int, int]:
    """The integer term frequencies a stored vector was made from (its inverse)."""
    norm = _norm(dl, avgdl, k1, b)
    return {
        i: 65535 if w >= 1 else max(1, round(w * norm / (1.0 - w)))
        for i, w in weights.items()
        if w > 0
    }


def query_vector(
    tokens: Sequence[str],
    df: Callable[[Iterable[str]], Mapping[str, int]],
    n: int,
    *,
    heading_weight: float = 1.0,
) -> dict[int, float]:
    """The query side: each token id's Lucene idf, times its count and field weight.

    ``df(tokens)`` gives the document frequency of each distinct token; ``n`` is the
    number of live passages. Tokens no passage holds are left out.
    """
    counts = Counter(tokens)
    if not counts or n == 0:
        return {}
    freqs = df(list(counts))
    out: dict[int, float] = {}
    for token, count in counts.items():
        weight = idf(int(freqs.get(token, 0)), n) * count
        if token.startswith(HEADING):
            weight *= heading_weight
        if weight:
            i = token_id(token)
            out[i] = out.get(i, 0.0) + weight
    return out


def scores(
    query: Mapping[int, float],
    stored: Sequence[tuple[Mapping[int, float], int, float]],
    avgdl: float,
    *,
    k1: float = K1,
    b: float = B,
) -> np.ndarray:
    """BM25 of each passage, from its (stored weights, length, average at writing) and the
    collection's average length now."""
    out = np.zeros(len(stored), dtype=np.float32)
    for j, (weights, dl, written_avgdl) in enumerate(stored):
        hit = [i for i in query if i in weights]
        if not hit:
            continue
        tfs = term_frequencies({i: weights[i] for i in hit}, dl, written_avgdl, k1=k1, b=b)
        norm = _norm(dl, avgdl, k1, b)
        out[j] = sum(query[i] * tf / (tf + norm) for i, tf in tfs.items())
    return out
