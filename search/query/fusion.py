"""Rank fusion of lexical and dense scores: pure functions, arrays in, array out."""

from __future__ import annotations

import numpy as np

from ..settings import RankingSettings


def minmax(x: np.ndarray) -> np.ndarray:
    """Scale to [0, 1]; a constant array becomes all zeros (it cannot tell items apart)."""
    if x.size == 0:
        return x.astype(np.float64)
    lo, hi = float(np.min(x)), float(np.max(x))
    if hi - lo <= 1e-12:
        return np.zeros_like(x, dtype=np.float64)
    return (x - lo) / (hi - lo)


def weighted_sum(scores: list[np.ndarray], weights: list[float]) -> np.ndarray:
    """Σ wᵢ · minmax(sᵢ) over the candidate set."""
    total = np.zeros_like(scores[0], dtype=np.float64)
    for s, w in zip(scores, weights, strict=True):
        total += w * minmax(np.asarray(s, dtype=np.float64))
    return total


def rrf(scores: list[np.ndarray], k: int = 60) -> np.ndarray:
    """Reciprocal rank fusion: Σ 1 / (k + rankᵢ), rank 1 for the best score of each list."""
    total = np.zeros_like(scores[0], dtype=np.float64)
    for s in scores:
        order = np.argsort(-np.asarray(s), kind="stable")
        ranks = np.empty(len(s), dtype=np.float64)
        ranks[order] = np.arange(1, len(s) + 1)
        total += 1.0 / (k + ranks)
    return total


def fuse(
    dense: np.ndarray, lexical: np.ndarray, settings: RankingSettings, *, accented: bool = True
) -> np.ndarray:
    """Fused scores for aligned candidate arrays."""
    if settings.method == "rrf":
        return rrf([dense, lexical], settings.rrf_k)
    if settings.method == "weighted":
        wd = settings.dense_weight if accented else settings.unaccented_dense_weight
        wl = settings.lexical_weight if accented else 1.0 - settings.unaccented_dense_weight
        return weighted_sum([dense, lexical], [wd, wl])
    raise ValueError(f"unknown fusion method {settings.method!r}; choose 'weighted' or 'rrf'")
