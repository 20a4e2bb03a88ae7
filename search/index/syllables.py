"""Syllable statistics of the indexed passages, for restoring diacritics in queries.

Gathered at ingest (``SyllableCounts.build``) and saved with the index as plain arrays: a
word list, unigram counts, and bigrams as sorted 64-bit keys (``first << 32 | second``)
with their counts, searched by bisection. Counts of several index segments add up
(``SyllableCounts.merge``).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..text.normalize import modern_tones
from ..text.words import WORD


@dataclass
class SyllableCounts:
    words: list[str]
    unigrams: np.ndarray  # int64, one per word
    keys: np.ndarray  # int64, sorted: first word id << 32 | second word id
    pairs: np.ndarray  # int64, count of each key

    @classmethod
    def build(cls, texts: Iterable[str]) -> SyllableCounts:
        unigrams: Counter[str] = Counter()
        bigrams: Counter[tuple[str, str]] = Counter()
        for text in texts:
            for line in text.split("\n"):
                words = [modern_tones(w.lower()) for w in WORD.findall(line)]
                unigrams.update(words)
                bigrams.update(zip(words, words[1:], strict=False))
        return cls.from_counters(unigrams, bigrams)

    @classmethod
    def from_counters(
        cls, unigrams: Counter[str], bigrams: Counter[tuple[str, str]]
    ) -> SyllableCounts:
        words = sorted(unigrams)
        ids = {w: i for i, w in enumerate(words)}
        keys = np.fromiter(
            ((ids[a] << 32) | ids[b] for a, b in bigrams), dtype=np.int64, count=len(bigrams)
        )
        pairs = np.fromiter(bigrams.values(), dtype=np.int64, count=len(bigrams))
        order = np.argsort(keys, kind="stable")
        counts = np.fromiter((unigrams[w] for w in words), dtype=np.int64, count=len(words))
        return cls(words, counts, keys[order], pairs[order])

    def negated(self) -> SyllableCounts:
        """These counts taken away when merged: the passages an ingest removed."""
        return SyllableCounts(self.words, -self.unigrams, self.keys, -self.pairs)

    @classmethod
    def merge(cls, parts: Sequence[SyllableCounts]) -> SyllableCounts:
        """The counts of several segments added up (a negated part takes its counts away;
        a word or pair left with none is dropped)."""
        if len(parts) == 1:
            return parts[0]
        words = sorted({w for p in parts for w in p.words})
        ids = {w: i for i, w in enumerate(words)}
        unigrams = np.zeros(len(words), dtype=np.int64)
        all_keys, all_pairs = [], []
        for p in parts:
            remap = np.fromiter((ids[w] for w in p.words), dtype=np.int64, count=len(p.words))
            np.add.at(unigrams, remap, p.unigrams)
            all_keys.append((remap[p.keys >> 32] << 32) | remap[p.keys & 0xFFFFFFFF])
            all_pairs.append(p.pairs)
        keys, inverse = np.unique(np.concatenate(all_keys), return_inverse=True)
        pairs = np.bincount(inverse, weights=np.concatenate(all_pairs)).astype(np.int64)
        if (unigrams > 0).all() and (pairs > 0).all():
            return cls(words, unigrams, keys, pairs)
        kept = unigrams > 0
        new_id = np.cumsum(kept) - 1
        first, second = keys >> 32, keys & 0xFFFFFFFF
        pair_kept = (pairs > 0) & kept[first] & kept[second]
        keys = (new_id[first[pair_kept]] << 32) | new_id[second[pair_kept]]
        words = [w for w, k in zip(words, kept, strict=True) if k]
        return cls(words, unigrams[kept], keys, pairs[pair_kept])

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "words.json").write_text(json.dumps(self.words, ensure_ascii=False), "utf-8")
        for name in ("unigrams", "keys", "pairs"):
            np.save(folder / f"{name}.npy", getattr(self, name), allow_pickle=False)

    @classmethod
    def load(cls, folder: Path) -> SyllableCounts:
        words = json.loads((folder / "words.json").read_text(encoding="utf-8"))
        arrays = [
            np.load(folder / f"{n}.npy", allow_pickle=False) for n in ("unigrams", "keys", "pairs")
        ]
        return cls(words, *arrays)

    def bigram(self, a: int, b: int) -> int:
        """Count of word id ``a`` followed by word id ``b``."""
        key = (a << 32) | b
        at = int(np.searchsorted(self.keys, key))
        return int(self.pairs[at]) if at < len(self.keys) and self.keys[at] == key else 0
