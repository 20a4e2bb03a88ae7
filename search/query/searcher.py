"""The query side: load an index, rank passages for a query, follow index swaps."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..errors import IndexMismatchError, TracuuError
from ..index import store
from ..index.encoder import Encoder, load_encoder
from ..records import Chunk, Hit
from ..text.normalize import fold, nfc
from .answer import Answer, extract_answer
from .fusion import FusionSettings, fuse, top_candidates
from .intent import (
    SectionRef,
    doc_prior,
    named_documents,
    read_intent,
    read_section_refs,
    section_match,
)


class QueryError(TracuuError):
    """The query cannot be searched (empty, too long)."""


@dataclass(frozen=True)
class Filters:
    doc: str | None = None  # file name, or a document number such as "04/CT-UBND"
    year: int | None = None
    issuer: str | None = None  # substring of the issuing body, case-insensitive
    kind: str | None = None  # "text" | "table_row"

    def accepts(self, chunk: Chunk) -> bool:
        m = chunk.meta
        if self.kind and chunk.kind != self.kind:
            return False
        if self.year is not None and m.year != self.year:
            return False
        if self.doc:
            wanted = self.doc.casefold()
            names = {m.doc.casefold(), Path(m.doc).stem.casefold(), (m.number or "").casefold()}
            names |= {a.casefold() for a in m.also_as}
            if wanted not in names:
                return False
        if self.issuer and self.issuer.casefold() not in (m.issuer or "").casefold():
            return False
        return True

    def active(self) -> bool:
        return any(v is not None and v != "" for v in (self.doc, self.year, self.issuer, self.kind))


MAX_QUERY_CHARS = 1000


@dataclass
class Response:
    """Ranked passages, the extracted answer, and whether the corpus can answer at all."""

    query: str
    hits: list[Hit]
    answer: Answer | None
    no_answer: bool
    unknown_terms: list[str]
    ms: float = 0.0

    def to_json(self) -> dict:
        return {
            "query": self.query,
            "answer": self.answer.to_json() if self.answer else None,
            "results": [h.to_json() for h in self.hits],
            "no_answer": self.no_answer,
        }


class Searcher:
    """``Searcher(index_dir).search(query, k=10) -> list[Hit]``.

    The searcher notices when ingest swaps in a new index generation and reloads it before
    the next query; a query always runs against one whole generation.
    """

    def __init__(
        self,
        index_dir: str | Path = "index",
        *,
        encoder: Encoder | None = None,
        model: str | None = None,
        query_cache: int = 256,
    ):
        self.index_dir = Path(index_dir)
        self._encoder = encoder
        self._model = model
        self._lock = threading.Lock()
        self._index = store.load(self.index_dir, model=model)
        self._check_encoder()
        # The UI searches a query twice when filtering (filtered results, unfiltered facets).
        # Benchmarks turn the cache off (query_cache=0) so latency includes encoding.
        self._query_vector = lru_cache(maxsize=query_cache)(self._encode_query)

    def _encode_query(self, text: str) -> np.ndarray:
        v = self.encoder.encode_queries([text])[0].astype(np.float32)
        v.setflags(write=False)
        return v

    # -- index lifecycle -----------------------------------------------------------------
    @property
    def index(self) -> store.StoredIndex:
        stamp = store.generation_stamp(self.index_dir)
        if stamp is not None and stamp != self._index.path.name:
            with self._lock:
                if stamp != self._index.path.name:
                    self._index = store.load(self.index_dir, model=self._model)
                    self._check_encoder()
        return self._index

    @property
    def manifest(self) -> dict:
        return self.index.manifest

    @property
    def encoder(self) -> Encoder:
        if self._encoder is None:
            self._encoder = load_encoder(self._index.manifest["model"]["name"])
        return self._encoder

    def _check_encoder(self) -> None:
        built = self._index.manifest["model"]
        if self._encoder is not None and (
            self._encoder.name != built["name"] or self._encoder.dim != built["dim"]
        ):
            raise IndexMismatchError(
                f"Chỉ mục được tạo với mô hình '{built['name']}', không phải "
                f"'{self._encoder.name}'. Hãy chạy `python ingest.py --rebuild`."
            )

    # -- search --------------------------------------------------------------------------
    def ask(self, query: str, k: int = 10, *, filters: Filters | None = None) -> Response:
        """Search, then extract the best answer span and decide whether anything answers.

        The corpus cannot answer when the query relies on a content word that no indexed
        passage uses ("đường sắt" where no document mentions railways); the nearest passages
        are still returned, and the answer is left empty.
        """
        t0 = time.perf_counter()
        index = self.index  # one generation for the hits, the vocabulary and the answer
        q = clean_query(query)
        refs = read_section_refs(q)
        hits = self._search(index, q, k, filters or Filters(), None, refs)
        lexical = index.lexical
        unknown = lexical.analyzer.unknown_terms(q, lexical.vocabulary)
        no_answer = not hits or bool(unknown)
        answer = None if no_answer else extract_answer(q, hits, lexical, refs=refs)
        ms = (time.perf_counter() - t0) * 1000
        return Response(query, hits, answer, no_answer, unknown, ms)

    def search(
        self,
        query: str,
        k: int = 10,
        *,
        filters: Filters | None = None,
        fusion: FusionSettings | None = None,
    ) -> list[Hit]:
        """Rank passages for ``query``; ``fusion`` overrides the index's settings (tuning)."""
        q = clean_query(query)
        return self._search(self.index, q, k, filters or Filters(), fusion, read_section_refs(q))

    def _search(
        self,
        index: store.StoredIndex,
        q: str,
        k: int,
        filters: Filters,
        fusion: FusionSettings | None,
        refs: list[SectionRef],
    ) -> list[Hit]:
        if not index.chunks:
            return []
        settings = fusion or FusionSettings.from_json(index.manifest.get("fusion"))
        accented = is_accented(q)
        # "hon khoai tien do" → "hòn khoai tiến độ" for the encoder; lexical keeps folding.
        read = q if accented or not settings.restore_diacritics else index.restorer.restore(q)
        # Abbreviations written out in place read better to the encoder than a list after.
        dense_query = index.lexical.analyzer.expand_inline(read)
        qv = self._query_vector(dense_query)
        dense = index.vectors @ qv
        lexical = index.lexical.scores(q)
        mask = None
        if filters.active():
            mask = np.array([filters.accepts(c) for c in index.chunks], dtype=bool)
            if not mask.any():
                return []
        cand = top_candidates([dense, lexical], settings.candidates, mask)
        addressed: dict[int, float] = {}
        if refs and settings.section_ref_weight:
            # The addressed article takes part even when its words do not match the query.
            for i, c in enumerate(index.chunks):
                if mask is None or mask[i]:
                    if score := section_match(refs, c.section, c.text):
                        addressed[i] = score
            cand = np.union1d(cand, np.fromiter(addressed, dtype=np.int64))
        fused = fuse(dense[cand], lexical[cand], settings, accented=accented)
        if addressed:
            fused = fused + settings.section_ref_weight * np.array(
                [addressed.get(int(i), 0.0) for i in cand]
            )
        intent = read_intent(q)
        intent.named = named_documents(q, index.metas)
        if not intent.empty() and settings.doc_prior_weight:
            priors = {d: doc_prior(intent, m) for d, m in index.metas.items()}
            fused = fused + settings.doc_prior_weight * np.array(
                [priors[index.chunks[i].doc] for i in cand]
            )
        order = np.argsort(-fused, kind="stable")[: max(0, k)]
        return [
            Hit(
                rank=r,
                score=float(fused[j]),
                chunk=index.chunks[cand[j]],
                signals={"dense": float(dense[cand[j]]), "lexical": float(lexical[cand[j]])},
            )
            for r, j in enumerate(order, 1)
        ]


def is_accented(query: str) -> bool:
    """Whether the query was typed with Vietnamese diacritics (any letter carries one)."""
    return fold(query) != query


def clean_query(query: str) -> str:
    q = " ".join(nfc(query or "").split())
    if not q:
        raise QueryError("Hãy nhập nội dung cần tìm.")
    if len(q) > MAX_QUERY_CHARS:
        raise QueryError(f"Câu truy vấn quá dài ({len(q)} ký tự, tối đa {MAX_QUERY_CHARS}).")
    return q
