"""Rank fusion of lexical and dense scores: pure functions, arrays in, array out."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np


@dataclass(frozen=True)
class FusionSettings:
    method: str = "weighted"  # "weighted" (min-max normalised sum) or "rrf"
    # Tuned on the dev set (scripts/tune_fusion.py): 0.5-0.7 dense all score alike there;
    # 0.6 sits in the middle of that plateau.
    dense_weight: float = 0.6
    lexical_weight: float = 0.4
    rrf_k: int = 60
    candidates: int = 100  # top-N of each ranking that take part
    doc_prior_weight: float = 0.2  # bonus for documents matching the query's year/type/number
    # The encoder reads Vietnamese typed without diacritics poorly: trust it less then,
    # even after the corpus has put the diacritics back (restore_diacritics).
    unaccented_dense_weight: float = 0.45
    restore_diacritics: bool = True
    # Bonus for passages at the address a query names ("khoản 2 Điều 9"): an explicit
    # request that outranks topical similarity.
    section_ref_weight: float = 1.0

    def to_json(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, object] | None) -> FusionSettings:
        return cls(**data) if data else cls()


def top_candidates(scores: list[np.ndarray], n: int, mask: np.ndarray | None = None) -> np.ndarray:
    """Indices in the top ``n`` of any ranking (restricted to ``mask``)."""
    picked: set[int] = set()
    for s in scores:
        s = np.where(mask, s, -np.inf) if mask is not None else s
        k = min(n, len(s))
        if k == 0:
            continue
        top = np.argpartition(-s, k - 1)[:k]
        picked.update(int(i) for i in top if np.isfinite(s[i]))
    return np.array(sorted(picked), dtype=np.int64)


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
    dense: np.ndarray, lexical: np.ndarray, settings: FusionSettings, *, accented: bool = True
) -> np.ndarray:
    """Fused scores for aligned candidate arrays."""
    if settings.method == "rrf":
        return rrf([dense, lexical], settings.rrf_k)
    if settings.method == "weighted":
        wd = settings.dense_weight if accented else settings.unaccented_dense_weight
        wl = settings.lexical_weight if accented else 1.0 - settings.unaccented_dense_weight
        return weighted_sum([dense, lexical], [wd, wl])
    raise ValueError(f"unknown fusion method {settings.method!r}; choose 'weighted' or 'rrf'")
