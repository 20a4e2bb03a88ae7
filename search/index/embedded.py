"""The embedded store, opened for searching: the live segments of one generation.

It answers what ranking asks of any store (see ``query/searcher.py``): the candidates of a
query with their dense and lexical scores, passages addressed by article, the documents
of candidates, and passage records for the hits shown. Passages are named by global ids,
``segment number << 32 | row``, valid for this opened generation.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from ..records import Chunk, DocMeta
from ..text.lexicon import Lexicon
from . import lexical
from .analyzer import Analyzer
from .segment import KINDS, Segment
from .store import live_generation, read_dead, read_lexicon, stored_copies
from .stores import Candidates
from .syllables import SyllableCounts

_SHIFT = 32
_DF_MEMO = 200_000  # tokens whose document frequency is remembered

__all__ = ["Candidates", "EmbeddedStore"]


class EmbeddedStore:
    kind = "embedded"

    def __init__(self, index_dir: Path):
        self.index_dir = Path(index_dir)
        self.path, self.manifest = live_generation(self.index_dir)
        self.stamp = self.path.name
        self.metas = {
            d: DocMeta.from_json(info["meta"]) for d, info in self.manifest["documents"].items()
        }
        self.analyzer = Analyzer(Lexicon.from_json(read_lexicon(self.path)))
        self.segments = [Segment(self.index_dir / name) for name in self.manifest["segments"]]
        # Which document each segment's local document number is now (None: replaced).
        current = stored_copies(self.manifest["documents"])
        self.names: list[list[str | None]] = [
            [current.get((s.name, d)) for d in s.docs] for s in self.segments
        ]
        self.live: list[np.ndarray | None] = []
        for seg, names in zip(self.segments, self.names, strict=True):
            dead = [i for i, n in enumerate(names) if n is None]
            self.live.append(None if not dead else ~np.isin(seg.doc_of, dead))
        self.stats = lexical.collection([s.lexical for s in self.segments], self.live)
        self._df: dict[str, int] = {}

    def close(self) -> None:
        for seg in self.segments:
            seg.close()

    @property
    def model(self) -> dict[str, Any]:
        return self.manifest["model"]

    @property
    def size(self) -> int:
        return self.stats.n

    @cached_property
    def syllables(self) -> SyllableCounts:
        """Counts of the live passages: the segments' less their dead documents'."""
        parts = [s.syllables() for s in self.segments]
        dead = (read_dead(self.path, s.name)[1] for s in self.segments)
        parts += [counts.negated() for counts in dead if counts is not None]
        return SyllableCounts.merge(parts or [_no_syllables()])

    # -- vocabulary ----------------------------------------------------------------------
    def known(self, token: str) -> bool:
        return self.document_frequency(token) > 0  # a segment keeps no token without postings

    def document_frequency(self, token: str) -> int:
        # Remembered: every query asks for its tokens' frequencies several times, and
        # queries share most tokens; a generation's frequencies never change.
        df = self._df.get(token)
        if df is None:
            h = np.array([lexical.term_hash(token)], dtype=np.int64)
            df = sum(s.lexical.df(int(s.lexical.lookup(h)[0])) for s in self.segments)
            if len(self._df) > _DF_MEMO:
                self._df.clear()
            self._df[token] = df
        return df

    def idf(self, token: str) -> float:
        """How rare a token is (for answer spans): log(1 + (N+1)/(df+0.5))."""
        return math.log(1 + (self.size + 1) / (self.document_frequency(token) + 0.5))

    # -- filters -------------------------------------------------------------------------
    def selection(self, docs: set[str] | None, kind: str | None) -> list[np.ndarray | None]:
        """Per segment, the rows a query may return (None: every live row)."""
        out = []
        for seg, names, live in zip(self.segments, self.names, self.live, strict=True):
            mask = live
            if docs is not None:
                local = [i for i, n in enumerate(names) if n in docs]
                allowed = np.isin(seg.doc_of, local)
                mask = allowed if mask is None else mask & allowed
            if kind is not None:
                allowed = np.asarray(seg.kind) == KINDS.index(kind)
                mask = allowed if mask is None else mask & allowed
            out.append(mask)
        return out

    # -- ranking -------------------------------------------------------------------------
    def candidates(
        self,
        vector: Callable[[], np.ndarray],
        tokens: Sequence[str],
        n: int,
        selection: list[np.ndarray | None],
        extra: Iterable[int] = (),
        *,
        heading_weight: float = 1.0,
    ) -> Candidates:
        bm25 = lexical.Bm25(
            [s.lexical for s in self.segments], tokens, self.stats, heading_weight=heading_weight
        )
        per_segment = bm25.search(selection, top=n)
        # Rows come back sorted within a segment, and segments in order: ids are sorted.
        all_ids = np.concatenate(
            [(s << _SHIFT) + rows.astype(np.int64) for s, (rows, _) in enumerate(per_segment)]
            or [np.zeros(0, np.int64)]
        )
        all_scores = np.concatenate([sc for _, sc in per_segment] or [np.zeros(0, np.float32)])
        top = np.sort(np.argpartition(-all_scores, n - 1)[:n]) if len(all_ids) > n else slice(None)
        lex_ids, lex_scores = all_ids[top], all_scores[top]  # ids still ascending
        qv = vector()
        dense_hits: dict[int, float] = {}
        for s, (seg, mask) in enumerate(zip(self.segments, selection, strict=True)):
            if mask is not None and not mask.any():
                continue
            rows, scores = seg.dense.search(qv, n, mask)
            dense_hits.update(zip((s << _SHIFT) + rows, scores.tolist(), strict=True))
        top_dense = sorted(dense_hits, key=dense_hits.get, reverse=True)[:n]
        ids = np.union1d(
            np.union1d(np.array(top_dense, dtype=np.int64), lex_ids),
            np.fromiter(extra, dtype=np.int64),
        )
        # The lexical top n is scored exactly; the other candidates are scored here.
        lex = _lookup(lex_ids, lex_scores, ids)
        others = ~np.isin(ids, lex_ids)
        lex[others] = self._by_segment(ids[others], bm25.score)
        dense = np.array([dense_hits.get(int(i), np.nan) for i in ids], dtype=np.float32)
        missing = np.isnan(dense)
        if missing.any():
            dense[missing] = self._by_segment(
                ids[missing], lambda s, rows: self.segments[s].dense.scores(qv, rows)
            )
        return Candidates(ids, dense, lex)

    def _by_segment(
        self, ids: np.ndarray, score: Callable[[int, np.ndarray], np.ndarray]
    ) -> np.ndarray:
        """``score(segment, rows)`` of each of ``ids`` (ascending), in their order."""
        out = np.empty(len(ids), dtype=np.float32)
        segs = ids >> _SHIFT
        for s in np.unique(segs):
            pick = segs == s
            out[pick] = score(int(s), ids[pick] & ((1 << _SHIFT) - 1))
        return out

    def article_passages(
        self, article: str, selection: list[np.ndarray | None]
    ) -> list[tuple[int, tuple[str, ...], frozenset[str]]]:
        """(id, section path, numbered clauses) of the live passages inside ``article``
        ("Điều 9") that the selection allows: read from a small table, not the records."""
        out = []
        for s, (seg, mask) in enumerate(zip(self.segments, selection, strict=True)):
            for row, section, clauses in seg.article_rows(article):
                if mask is None or mask[row]:
                    out.append(((s << _SHIFT) + row, section, clauses))
        return out

    # -- records -------------------------------------------------------------------------
    def docs_of(self, ids: np.ndarray) -> list[str]:
        out = []
        for i in np.asarray(ids, dtype=np.int64).tolist():
            s, row = i >> _SHIFT, i & ((1 << _SHIFT) - 1)
            out.append(self.names[s][int(self.segments[s].doc_of[row])] or "")
        return out

    def chunks(self, ids: Sequence[int]) -> list[Chunk]:
        """The passages of ``ids``, in that order."""
        ids = [int(i) for i in ids]
        by_segment: dict[int, list[int]] = {}
        for i in ids:
            by_segment.setdefault(i >> _SHIFT, []).append(i & ((1 << _SHIFT) - 1))
        found: dict[int, Chunk] = {}
        for s, rows in by_segment.items():
            for row, record in self.segments[s].records(rows).items():
                found[(s << _SHIFT) + row] = self._chunk(s, row, record)
        return [found[i] for i in ids]

    def _chunk(self, s: int, row: int, record: dict[str, Any]) -> Chunk:
        name = self.names[s][int(self.segments[s].doc_of[row])]
        record = dict(record, meta=name)
        return Chunk.from_json(record, self.metas)

    def chunk_by_id(self, chunk_id: str) -> Chunk | None:
        for s in reversed(range(len(self.segments))):
            for row in self.segments[s].row_of_id(chunk_id):
                live = self.live[s]
                if live is None or live[row]:
                    return self.chunks([(s << _SHIFT) + row])[0]
        return None

    def document_chunks(self, doc: str) -> list[Chunk]:
        """Every passage of one document, in document order."""
        info = self.manifest["documents"].get(doc)
        if info is None:
            return []
        names = [seg.name for seg in self.segments]
        s = names.index(info["segment"])
        local = self.segments[s].docs.index(info.get("stored_as", doc))
        rows = self.segments[s].document_rows(local)
        return self.chunks([(s << _SHIFT) + r for r in rows])


def _lookup(keys: np.ndarray, values: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """``values`` of ``wanted`` in the sorted ``keys`` (0 where absent)."""
    out = np.zeros(len(wanted), dtype=np.float32)
    if not len(keys):
        return out
    at = np.searchsorted(keys, wanted)
    ok = at < len(keys)
    ok[ok] = keys[at[ok]] == wanted[ok]
    out[ok] = values[at[ok]]
    return out


def _no_syllables() -> SyllableCounts:
    return SyllableCounts.build([])
