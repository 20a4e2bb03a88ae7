"""The query side: read a query once, rank passages over any store, extract the answer.

Ranking is the same whatever store holds the index (the embedded segments, or Milvus):
the store gives the candidates of a query (its top dense and top lexical passages, each
with both scores) and the passages a query addresses by article; fusion, document priors,
the provision bonus, the answer and the no-answer decision are computed here.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import IndexMismatchError
from ..index import threads
from ..index.encoder import Encoder, load_encoder
from ..index.stores import Store, open_store, store_stamp
from ..records import Chunk, Hit
from ..settings import RankingSettings
from ..structure.footnotes import is_footnote
from .answer import Answer, extract_answer
from .answerability import gather
from .decision import Evidence
from .decision import model as answerability_model
from .filters import Filters, check_document
from .fusion import fuse
from .intent import DocumentNames, doc_prior, section_match
from .measures import holds_measure
from .periods import other_stage
from .query import Query, read_query
from .quote import Quote, locate
from .ranges import compared
from .reorder import answered_first, reordered
from .restore import DiacriticRestorer, Reading
from .spans import has_shape

# Queries are encoded here while the store runs lexical search (ONNX Runtime and numpy
# release the GIL): on two cores a query costs about the larger of the two, not their sum.
# Several threads, so concurrent UI queries still encode side by side.
_ENCODING = ThreadPoolExecutor(max_workers=4, thread_name_prefix="tracuu-encode")
# How many of the first passages are re-read and reordered: for the number a question
# counts, the shape of what it asks, rows crowding the first places.
RERANK = 20
# Kinds of answer whose shape moves a passage up: a body that leads ("Sở X chủ trì"), a date
# for "khi nào" / "thời hạn" (fresh8: the table rows of the dams asked about held none, the
# sentence giving their deadline came fourth; no other set moved). An amount is in too many
# passages to tell the one that answers (a dev/probe check).
SHAPE_KINDS = ("who", "when")


@dataclass
class Response:
    """Ranked passages, the extracted answer, and whether the corpus can answer at all."""

    query: Query
    hits: list[Hit]
    answer: Answer | None
    no_answer: bool
    ms: float = 0.0
    settings: RankingSettings | None = None
    evidence: Evidence | None = None  # what the answerability decision weighed
    quote: Quote | None = None  # where a pasted passage comes from

    @property
    def unknown_terms(self) -> list[str]:
        return list(self.query.unknown)

    @property
    def reason(self) -> str:
        """Why a query went unanswered when it names a year, a part of one, a stage, an
        amount, a place, a document by number or an alternative ("THCS") the nearest
        passages are not of, or a procedure they do not state (answerability's ``dated``,
        ``period``, ``phase``, ``amount``, ``placed``, ``sourced``, ``alternative`` and
        ``procedure`` rules), "" otherwise."""
        if not self.no_answer or self.evidence is None:
            return ""
        if self.evidence.dated == 0.0:
            named = ", ".join(str(y) for y in sorted(self.query.intent.years))
            return f"Các đoạn gần nhất nói về năm khác, không phải năm {named}."
        if self.evidence.period == 0.0:
            named = ", ".join(self.query.periods.values())
            return f"Các đoạn gần nhất nói về thời gian khác, không phải {named}."
        if self.evidence.phase == 0.0:
            named = ", ".join(self.query.phases.values())
            # What the stage is ("giai đoạn", "đợt", "hạng"): its words before its number.
            kind = next(iter(self.query.phases.values())).rsplit(maxsplit=1)[0].lower()
            kind = kind.removesuffix(" thứ")
            return f"Các đoạn gần nhất nói về {kind} khác, không phải {named}."
        if self.evidence.amount == 0.0:
            named = ", ".join(a.typed for a in compared(self.query.amounts))
            return f"Các đoạn gần nhất nói về mức khác, không phải {named}."
        if self.evidence.placed == 0.0:
            named = ", ".join(sorted(p.typed for p in self.query.places))
            return f"Các đoạn gần nhất không nói về {named}."
        if self.evidence.sourced == 0.0:
            return "Các đoạn gần nhất không thuộc, cũng không dẫn văn bản có số hiệu đã nêu."
        if self.evidence.alternative == 0.0:
            named = ", ".join(self.query.alternatives.values())
            return f"Các đoạn gần nhất nói về đối tượng khác, không phải {named}."
        if self.evidence.procedure == 0.0:
            return "Các đoạn gần nhất không nêu thủ tục, hồ sơ hay điều kiện được hỏi."
        return ""

    def to_json(self, *, explain: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "query": self.query.text,
            "answer": self.answer.to_json() if self.answer else None,
            "results": [h.to_json() for h in self.hits],
            "no_answer": self.no_answer,
        }
        if self.query.corrections:
            out["searched_as"] = [{"typed": a, "used": b} for a, b in self.query.corrections]
        if self.quote is not None:
            out["quoted_from"] = self.quote.to_json()
        if self.query.question:
            out["question"] = self.query.question  # what the answer of a paste answers
        if explain:
            out["explain"] = {
                "settings": self.settings.to_json() if self.settings else None,
                "dense_query": self.query.dense_text,
                "unknown_terms": list(self.query.unknown),
                "asks": list(self.query.asks),
                "evidence": self.evidence.to_json() if self.evidence else None,
                "signals": [h.signals for h in self.hits],
            }
        return out


def _quoted_first(quote: Quote, hits: list[Hit], k: int) -> list[Hit]:
    """The passages a paste comes from first, then the other hits, ranks renumbered."""
    ids = {c.id for c in quote.chunks}
    score = {h.chunk.id: h.score for h in hits}
    top = max(score.values(), default=0.0)
    ordered = [(c, score.get(c.id, top)) for c in quote.chunks]
    ordered += [(h.chunk, h.score) for h in hits if h.chunk.id not in ids]
    return [Hit(rank=r, score=s, chunk=c) for r, (c, s) in enumerate(ordered[:k], 1)]


def _quote_answer(quote: Quote) -> Answer:
    """The source of a paste as the answer: its passages' text, cited."""
    text = "\n".join(c.text for c in quote.chunks)
    return Answer(text, quote.citation, quote.doc, quote.line_start, quote.line_end, 1.0)


def error_json(query: str, exc: Exception) -> dict[str, Any]:
    """The batch and API fields for a query that was refused, with the reason."""
    return {"query": query, "answer": None, "results": [], "no_answer": True, "error": str(exc)}


@dataclass
class _Ranked:
    """Ranked hits, and the candidates' scores the answerability decision reads."""

    hits: list[Hit]
    dense: np.ndarray | None = None
    lexical: np.ndarray | None = None
    top: int = 0  # candidate index of the first hit
    # The first passages by relevance alone, before a number moved any up: a counting
    # question is answered only if one of them states the number.
    relevant: list[Chunk] = field(default_factory=list)


@dataclass
class _Opened:
    """One opened index generation with what is derived from it once."""

    store: Store
    restorer: DiacriticRestorer
    names: DocumentNames  # documents' folded type and title, as queries name them
    selections: dict[tuple, Any] = field(default_factory=dict)


class Searcher:
    """``Searcher(index).search(query, k=10) -> list[Hit]``; ``ask`` adds the answer.

    ``index`` is a folder (the embedded store) or a ``milvus://`` URI. The searcher notices
    when ingest publishes a new index generation and switches to it before the next
    query; a query always runs against one whole generation.
    """

    def __init__(
        self,
        index: str | Path = "index",
        *,
        encoder: Encoder | None = None,
        model: str | None = None,
        query_cache: int = 256,
        settings: RankingSettings | None = None,
    ):
        self.location = index
        self.settings = settings or RankingSettings.load()
        self._encoder = encoder
        self._model = model
        self._lock = threading.Lock()
        self._encoder_lock = threading.Lock()
        self._opened = self._open()
        # The UI searches a query twice when filtering (filtered results, unfiltered facets).
        # Benchmarks turn the cache off (query_cache=0) so latency includes encoding.
        self._query_vector = lru_cache(maxsize=query_cache)(self._encode_query)

    # -- index lifecycle -----------------------------------------------------------------
    def _open(self) -> _Opened:
        store = open_store(self.location)
        built = store.model
        if self._model and built["name"] != self._model:
            raise IndexMismatchError(
                f"Chỉ mục được tạo với mô hình '{built['name']}', không phải '{self._model}'. "
                f"Hãy chạy `python ingest.py --rebuild --model {self._model}` hoặc bỏ --model."
            )
        if self._encoder is not None and (
            self._encoder.name != built["name"] or self._encoder.dim != built["dim"]
        ):
            raise IndexMismatchError(
                f"Chỉ mục được tạo với mô hình '{built['name']}', không phải "
                f"'{self._encoder.name}'. Hãy chạy `python ingest.py --rebuild`."
            )
        # Restoring diacritics needs the syllable counts of every segment: merge them now,
        # not on the first unaccented query.
        return _Opened(
            store,
            DiacriticRestorer(store.syllables, store.analyzer.lexicon.abbreviations()),
            DocumentNames(store.metas),
        )

    def _current(self) -> _Opened:
        opened = self._opened
        stamp = store_stamp(self.location)
        if stamp is not None and stamp != opened.store.stamp:
            with self._lock:
                if stamp != self._opened.store.stamp:
                    self._opened = self._open()
                opened = self._opened
        return opened

    @property
    def store(self):
        return self._current().store

    @property
    def manifest(self) -> dict[str, Any]:
        return self.store.manifest

    @property
    def encoder(self) -> Encoder:
        # Queries encode on pool threads: the first ones at once must load one model.
        with self._encoder_lock:
            if self._encoder is None:
                threads.configure("query")  # the query thread budget; no-op if already set
                threads.announce_searcher()  # an ingest on this machine does not spin beside us
                self._encoder = load_encoder(self._opened.store.model["name"])
        return self._encoder

    def _encode_query(self, text: str) -> np.ndarray:
        v = self.encoder.encode_queries([text])[0].astype(np.float32)
        v.setflags(write=False)
        return v

    def _cosine(self, query: str, text: str) -> float:
        """The encoder's cosine of ``query``, encoded as for search, with ``text`` encoded
        as a passage (an answer span: the passages' own vectors also read their headings)."""
        return float(self._query_vector(query) @ self.encoder.encode_documents([text])[0])

    # -- reading -------------------------------------------------------------------------
    def read(self, raw: str, opened: _Opened | None = None) -> Query:
        """The query as every stage sees it (see query/query.py)."""
        opened = opened or self._current()
        store = opened.store
        restorer = opened.restorer
        restore = self.settings.restore_diacritics

        def reader(text: str) -> Reading:
            return restorer.read(text, restore=restore)

        return read_query(
            raw, analyzer=store.analyzer, reader=reader, names=opened.names, known=store.known
        )

    # -- search --------------------------------------------------------------------------
    def ask(self, query: str, k: int = 10, *, filters: Filters | None = None) -> Response:
        """Search, then decide whether the documents answer and extract the answer span.

        When they do not (answerability.py weighs the top passages against the query), the
        nearest passages are still returned, and the answer is left empty.
        """
        t0 = time.perf_counter()
        opened = self._current()  # one generation for the hits, the vocabulary and the answer
        filters = filters or Filters()
        store = opened.store
        check_document(filters, store.metas)
        q = self.read(query, opened)
        ranked = self._ranked(opened, q, k, filters, self.settings)
        hits, evidence = ranked.hits, None
        answer = extract_answer(q, hits, store.analyzer, store.idf) if hits else None
        if hits:
            span = answer.text if answer else ""
            evidence = gather(
                q,
                hits,
                analyzer=store.analyzer,
                idf=store.idf,
                known=store.known,
                dense=ranked.dense,
                lexical=ranked.lexical,
                top=ranked.top,
                span=span,
                dense_span=self._cosine(q.dense_text, span or hits[0].chunk.text),
                relevant=ranked.relevant,
            )
        decide = answerability_model(store.model["name"])
        no_answer = evidence is None or not decide.answers(evidence)
        answer = None if no_answer else answer
        if answer is not None:
            hits = answered_first(answer, hits)
        quote = locate(q.text, hits, store.document_chunks) if q.pasted and hits else None
        if quote is not None:
            # The source comes first. A paste that ends with a question is answered as the
            # question: its source does not say who won the tender it asks about.
            hits = _quoted_first(quote, hits, k)
            if not q.question:
                answer, no_answer = _quote_answer(quote), False
        ms = (time.perf_counter() - t0) * 1000
        return Response(q, hits, answer, no_answer, ms, self.settings, evidence, quote)

    def search(
        self,
        query: str,
        k: int = 10,
        *,
        filters: Filters | None = None,
        settings: RankingSettings | None = None,
    ) -> list[Hit]:
        """Rank passages for ``query``; ``settings`` overrides the searcher's (tuning)."""
        opened = self._current()
        q = self.read(query, opened)
        return self._rank(opened, q, k, filters or Filters(), settings or self.settings)

    def _selection(self, opened: _Opened, filters: Filters):
        key = (filters.doc, filters.year, filters.issuer, filters.kind)
        if key not in opened.selections:
            docs = filters.documents(opened.store.metas)
            if docs is not None and not docs:
                return None
            if len(opened.selections) > 64:
                opened.selections.clear()
            opened.selections[key] = opened.store.selection(docs, filters.kind)
        return opened.selections[key]

    def _rank(
        self, opened: _Opened, q: Query, k: int, filters: Filters, settings: RankingSettings
    ) -> list[Hit]:
        return self._ranked(opened, q, k, filters, settings).hits

    def _ranked(
        self,
        opened: _Opened,
        q: Query,
        k: int,
        filters: Filters,
        settings: RankingSettings,
    ) -> _Ranked:
        store = opened.store
        selection = self._selection(opened, filters)
        if selection is None or store.size == 0 or k <= 0:
            return _Ranked([])
        vector = _ENCODING.submit(self._query_vector, q.dense_text)
        addressed: dict[int, float] = {}
        if q.refs and settings.section_ref_weight:
            # The addressed article takes part even when its words do not match the query.
            for article in sorted({f"Điều {r.article}" for r in q.refs}):
                for i, section, clauses in store.article_passages(article, selection):
                    if score := section_match(q.refs, section, clauses):
                        addressed[i] = max(addressed.get(i, 0.0), score)
        cand = store.candidates(
            vector.result,
            q.ranking_tokens,
            settings.candidates,
            selection,
            addressed,
            heading_weight=settings.heading_weight,
        )
        if not len(cand.ids):
            return _Ranked([])
        fused = fuse(cand.dense, cand.lexical, settings, accented=q.accented)
        if addressed:
            bonus = np.array([addressed.get(int(i), 0.0) for i in cand.ids])
            fused = fused + settings.section_ref_weight * bonus
        if not q.intent.empty() and settings.doc_prior_weight:
            docs = store.docs_of(cand.ids)
            priors = {d: doc_prior(q.intent, store.metas[d]) for d in set(docs) if d}
            fused = fused + settings.doc_prior_weight * np.array([priors.get(d, 0.0) for d in docs])
        counting = bool(q.measure and settings.measure_weight)
        shaping = bool(set(q.asks) & set(SHAPE_KINDS) and settings.shape_weight)
        staging = bool(q.phases and settings.phase_weight)
        order = np.argsort(-fused, kind="stable")[: max(k, RERANK)]
        chunks: list[Chunk] = store.chunks(cand.ids[order])
        relevant = chunks  # in this order the not-found rule reads them for the number
        notes = np.array([is_footnote(c.section) for c in chunks], dtype=float)
        if counting or shaping or staging or (settings.footnote_weight and notes.any()):
            # A question that counts or measures something ("mấy bậc", "số căn nhà") is
            # answered by a passage stating that number, one asking who ("cơ quan nào chủ
            # trì") by one naming a body that leads: among the first passages, those that do
            # move up; footnotes and passages of another stage than the one named go down.
            fused[order] -= settings.footnote_weight * notes
            if staging:
                other = [other_stage(q.phases, f"{c.context}\n{c.text}") for c in chunks]
                fused[order] -= settings.phase_weight * np.array(other, dtype=float)
            if counting:
                held = np.array([holds_measure(c.text, q.measure) for c in chunks], dtype=float)
                fused[order] += settings.measure_weight * held
            if shaping:
                kinds = tuple(a for a in q.asks if a in SHAPE_KINDS)
                shaped = [has_shape(c.text, kinds, row=c.kind == "table_row") for c in chunks]
                fused[order] += settings.shape_weight * np.array(shaped, dtype=float)
            moved = np.argsort(-fused[order], kind="stable")
            order, chunks = order[moved], [chunks[i] for i in moved]
        order, chunks, fused = reordered(q, store.analyzer, order, chunks, fused)
        order, chunks = order[:k], chunks[:k]
        hits = [
            Hit(
                rank=r,
                score=float(fused[j]),
                chunk=c,
                signals={"dense": float(cand.dense[j]), "lexical": float(cand.lexical[j])},
            )
            for r, (j, c) in enumerate(zip(order, chunks, strict=True), 1)
        ]
        return _Ranked(hits, cand.dense, cand.lexical, int(order[0]), relevant)

    # -- passages for the UI -------------------------------------------------------------
    def chunk(self, chunk_id: str) -> Chunk | None:
        return self.store.chunk_by_id(chunk_id)

    def document_chunks(self, doc: str) -> list[Chunk]:
        return self.store.document_chunks(doc)
