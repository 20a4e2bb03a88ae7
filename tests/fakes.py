"""A fast deterministic stand-in for the embedding model, for unit tests."""

from __future__ import annotations

import hashlib
import re

import numpy as np

from search.text.normalize import fold

# Loadable by name in other processes too (ingest.py --model ..., an index's manifest).
HASHING_MODEL = "py:tests.fakes:HashingEncoder"


class HashingEncoder:
    """Bag of folded words and character trigrams, hashed into a vector.

    Not semantic, but it ranks lexically similar passages together, so tests that need
    "the passage about X comes first" work in milliseconds without a model.
    """

    name = HASHING_MODEL

    def __init__(self, dim: int = 512):
        self.dim = dim

    def _vector(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        words = re.findall(r"\w+", fold(text.lower()))
        feats = words + [w[i : i + 3] for w in words for i in range(max(1, len(w) - 2))]
        for f in feats:
            h = int.from_bytes(hashlib.blake2b(f.encode(), digest_size=8).digest(), "little")
            v[h % self.dim] += 1.0 if (h >> 32) & 1 else -1.0
        n = float(np.linalg.norm(v))
        return v / n if n else v

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return np.stack([self._vector(t) for t in texts]) if texts else np.zeros((0, self.dim))

    def encode_documents(self, texts: list[str], *, progress: bool = False) -> np.ndarray:
        return self.encode_queries(texts)
