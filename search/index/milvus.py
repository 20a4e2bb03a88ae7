"""The Milvus store, opened for searching: one published generation of an index held in
Milvus (a server, or Milvus Lite), answering what ranking asks of any store (stores.Store).

Nothing is kept on local disk: the manifest (documents, their metadata and the unit of
rows each one lives in), syllable counts and document frequencies are read from the
index's collections (milvusdb.py), so any number of UI processes can serve one index.

A query filters passages on the live generation: rows written by a later (unpublished or
failed) ingest are invisible (``gen <= g``), and so are the units the live generation
replaced or removed, until they are deleted. Dense and lexical candidates come from two
Milvus searches; both scores of every candidate are then computed here, from its stored
vectors, exactly as the embedded store does (see sparse.py for BM25).
"""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cached_property
from typing import Any

import numpy as np

from ..errors import IndexMismatchError
from ..records import Chunk, DocMeta
from ..structure.layout import numbered_clauses
from . import sparse
from .analyzer import Analyzer, lexicon_with
from .milvusdb import Collections, MilvusLocation, connect, in_list, literal, missing
from .segment import KINDS
from .stores import Candidates
from .syllables import SyllableCounts

SCHEMA_VERSION = 1
OVERFETCH = 2  # lexical candidates fetched per one kept, when stored weights are stale
_FETCH = ["id", "unit", "dense", "sparse", "dl", "avgdl"]


class MilvusStore:
    kind = "milvus"

    def __init__(self, location: MilvusLocation, db: Collections, gen: int, manifest: dict):
        self.location = location
        self.db = db
        self.gen = gen
        self.stamp = str(gen)
        self.manifest = manifest
        info = manifest["milvus"]
        self.collection: str = info["passages"]
        self.terms: str = info["terms"]
        self.stats_n: int = int(info["n"])
        self.avgdl: float = info["total"] / self.stats_n if self.stats_n else 1.0
        # Stored weights were computed with the average length of their time.
        self.exact = all(b["avgdl"] == self.avgdl for b in info["batches"])
        documents = manifest["documents"]
        self.metas = {d: DocMeta.from_json(e["meta"]) for d, e in documents.items()}
        self.units = {d: int(e["unit"]) for d, e in documents.items()}
        self.doc_of_unit = {u: d for d, u in self.units.items()}
        pairs = [p for b in info["batches"] for p in b["defined"]]
        self.analyzer = Analyzer(lexicon_with(pairs))
        dead = info.get("dead", [])
        self.live = f"gen <= {gen}" + (f" and not ({in_list('unit', dead)})" if dead else "")
        self._df: dict[str, int] = {}
        self._unit_of: dict[int, int] = {}
        self._lock = threading.Lock()

    @classmethod
    def open(cls, uri: str) -> MilvusStore:
        location = MilvusLocation.parse(uri)
        db = Collections(connect(location), location)
        gen = db.current()
        manifest = db.get_json(f"manifest-{gen}") if gen is not None else None
        if manifest is None:
            raise missing(location)
        schema = manifest.get("schema_version")
        if schema != SCHEMA_VERSION:
            raise IndexMismatchError(
                f"Chỉ mục được tạo với lược đồ phiên bản {schema}, phần mềm cần phiên bản "
                f"{SCHEMA_VERSION}. Hãy chạy `python ingest.py --rebuild --index {uri}`."
            )
        return cls(location, db, gen, manifest)

    @classmethod
    def current_stamp(cls, uri: str) -> str | None:
        location = MilvusLocation.parse(uri)
        try:
            gen = Collections(connect(location), location).current()
        except Exception:  # noqa: BLE001 - the next open says what is wrong
            return None
        return None if gen is None else str(gen)

    def close(self) -> None:
        """Nothing to release: the client is shared by the process (milvusdb.connect)."""

    @property
    def model(self) -> dict[str, Any]:
        return self.manifest["model"]

    @property
    def size(self) -> int:
        return self.stats_n

    @cached_property
    def syllables(self) -> SyllableCounts:
        parts = [self.db.get_json(name) for name in self.manifest["milvus"]["syllables"]]
        counts = [syllables_from_json(p) for p in parts if p is not None]
        return SyllableCounts.merge(counts or [SyllableCounts.build([])])

    # -- vocabulary ----------------------------------------------------------------------
    def frequencies(self, tokens: Iterable[str]) -> dict[str, int]:
        """Document frequencies as of this generation, fetched once per token."""
        tokens = list(dict.fromkeys(tokens))
        wanted = [t for t in tokens if t not in self._df]
        if wanted:
            ids = {t: sparse.token_id(t) for t in wanted}
            found = self.db.document_frequencies(self.terms, ids.values(), self.gen)
            with self._lock:
                if len(self._df) > 200_000:
                    self._df.clear()
                for t, i in ids.items():
                    self._df[t] = found.get(i, 0)
        return {t: self._df.get(t, 0) for t in tokens}

    def document_frequency(self, token: str) -> int:
        return self.frequencies([token])[token]

    def known(self, token: str) -> bool:
        return self.document_frequency(token) > 0

    def idf(self, token: str) -> float:
        """How rare a token is (for answer spans): log(1 + (N+1)/(df+0.5))."""
        return math.log(1 + (self.size + 1) / (self.document_frequency(token) + 0.5))

    # -- filters -------------------------------------------------------------------------
    def selection(self, docs: set[str] | None, kind: str | None) -> str:
        """A filter expression: the live rows of ``docs`` (None: all) of ``kind``."""
        parts = [self.live]
        if docs is not None:
            units = sorted(self.units[d] for d in docs if d in self.units)
            parts.append(in_list("unit", units) if units else "id < 0")
        if kind is not None:
            parts.append(f"kind == {KINDS.index(kind)}")
        return " and ".join(f"({p})" for p in parts)

    # -- ranking -------------------------------------------------------------------------
    def candidates(
        self,
        vector: Callable[[], np.ndarray],
        tokens: Sequence[str],
        n: int,
        selection: str,
        extra: Iterable[int] = (),
        *,
        heading_weight: float = 1.0,
    ) -> Candidates:
        self.db.load(self.collection)
        query = sparse.query_vector(
            tokens, self.frequencies, self.size, heading_weight=heading_weight
        )
        lexical_ids: list[int] = []
        if query:
            limit = n if self.exact else min(OVERFETCH * n, 16384)
            found = self._search("sparse", query, limit, selection)
            lexical_ids = [int(h["id"]) for h in found if h["distance"] > 0]
        qv = np.asarray(vector(), dtype=np.float32)
        ids = {int(h["id"]) for h in self._search("dense", qv.tolist(), n, selection)}
        extra = {int(i) for i in extra}
        rows = self._rows(ids | set(lexical_ids) | extra)
        if len(lexical_ids) > n:  # stale stored weights: the top n by today's statistics
            exact = self._lexical(query, [rows[i] for i in lexical_ids])
            lexical_ids = [lexical_ids[j] for j in np.argsort(-exact, kind="stable")[:n]]
        ids |= set(lexical_ids) | extra
        out = np.array(sorted(i for i in ids if i in rows), dtype=np.int64)  # gone: replaced
        chosen = [rows[int(i)] for i in out]
        vectors = np.array([r["dense"] for r in chosen], dtype=np.float32).reshape(len(out), -1)
        dense = (vectors @ qv).astype(np.float32) if len(out) else np.zeros(0, np.float32)
        return Candidates(out, dense, self._lexical(query, chosen))

    def _search(self, field: str, data: Any, limit: int, selection: str) -> list[dict]:
        """The ``limit`` rows nearest ``data`` by inner product on ``field``."""
        found = self.db.client.search(
            self.collection,
            data=[data],
            anns_field=field,
            limit=limit,
            filter=selection,
            output_fields=["id"],
            search_params={"metric_type": "IP"},
        )
        return list(found[0])

    def _rows(self, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
        ids = sorted(ids)
        if not ids:
            return {}
        rows = self.db.client.get(self.collection, ids=ids, output_fields=_FETCH)
        out = {int(r["id"]): r for r in rows}
        with self._lock:
            if len(self._unit_of) > 100_000:
                self._unit_of.clear()
            self._unit_of.update((i, int(r["unit"])) for i, r in out.items())
        return out

    def _lexical(self, query: Mapping[int, float], rows: list[dict[str, Any]]) -> np.ndarray:
        if not query:
            return np.zeros(len(rows), dtype=np.float32)
        stored = [(_sparse(r["sparse"]), int(r["dl"]), float(r["avgdl"])) for r in rows]
        return sparse.scores(query, stored, self.avgdl)

    def article_passages(
        self, article: str, selection: str
    ) -> list[tuple[int, tuple[str, ...], frozenset[str]]]:
        """(id, section path, numbered clauses) of the live passages inside ``article``."""
        expr = f"article == {literal(article)} and {selection}"
        out = []
        for r in self.db.query(self.collection, expr, ["id", "record"]):
            record = json.loads(r["record"])
            clauses = frozenset(numbered_clauses(record["text"]))
            out.append((int(r["id"]), tuple(record["section"]), clauses))
        return sorted(out)

    # -- records -------------------------------------------------------------------------
    def docs_of(self, ids: np.ndarray) -> list[str]:
        ids = [int(i) for i in np.asarray(ids, dtype=np.int64)]
        missing_ids = [i for i in ids if i not in self._unit_of]
        if missing_ids:
            rows = self.db.client.get(self.collection, ids=missing_ids, output_fields=["unit"])
            with self._lock:
                self._unit_of.update((int(r["id"]), int(r["unit"])) for r in rows)
        return [self.doc_of_unit.get(self._unit_of.get(i, -1), "") for i in ids]

    def chunks(self, ids: Sequence[int]) -> list[Chunk]:
        """The passages of ``ids``, in that order."""
        ids = [int(i) for i in ids]
        if not ids:
            return []
        rows = self.db.client.get(self.collection, ids=ids, output_fields=["unit", "record"])
        found = {int(r["id"]): self._chunk(r) for r in rows}
        return [found[i] for i in ids]

    def _chunk(self, row: dict[str, Any]) -> Chunk:
        name = self.doc_of_unit[int(row["unit"])]
        return Chunk.from_json(dict(json.loads(row["record"]), meta=name), self.metas)

    def chunk_by_id(self, chunk_id: str) -> Chunk | None:
        expr = f"chunk_id == {literal(chunk_id)} and ({self.live})"
        rows = self.db.query(self.collection, expr, ["unit", "gen", "record"])
        rows = [r for r in rows if int(r["unit"]) in self.doc_of_unit]
        if not rows:
            return None
        return self._chunk(max(rows, key=lambda r: int(r["gen"])))

    def document_chunks(self, doc: str) -> list[Chunk]:
        """Every passage of one document, in document order."""
        if doc not in self.units:
            return []
        rows = self.db.query(
            self.collection, f"unit == {self.units[doc]}", ["seq", "unit", "record"]
        )
        return [self._chunk(r) for r in sorted(rows, key=lambda r: int(r["seq"]))]


def _sparse(value: Any) -> dict[int, float]:
    """A sparse vector as Milvus returns it (a dict, or a one-row sparse matrix)."""
    if isinstance(value, Mapping):
        return {int(k): float(v) for k, v in value.items()}
    coo = value.tocoo()
    return {int(k): float(v) for k, v in zip(coo.col, coo.data, strict=True)}


def syllables_to_json(counts: SyllableCounts) -> dict[str, Any]:
    return {
        "words": counts.words,
        "unigrams": counts.unigrams.tolist(),
        "keys": counts.keys.tolist(),
        "pairs": counts.pairs.tolist(),
    }


def syllables_from_json(data: dict[str, Any]) -> SyllableCounts:
    return SyllableCounts(
        list(data["words"]),
        np.asarray(data["unigrams"], dtype=np.int64),
        np.asarray(data["keys"], dtype=np.int64),
        np.asarray(data["pairs"], dtype=np.int64),
    )
