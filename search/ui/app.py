"""What the web page does, without Gradio: one search → one Page, facets, context, export.

``gradio_app.py`` lays these out as components; tests call them directly.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import TracuuError
from ..index import store as store_files
from ..index.stores import is_milvus
from ..query.context import passage_context
from ..query.filters import Filters, parse_k
from ..query.query import searched_as
from ..query.searcher import Response, Searcher
from ..query.timeline import build_timeline, sort_key
from ..records import Hit
from ..text.normalize import fold
from .export import ExportItem, write_exports
from .render import (
    answer_box,
    context_box,
    missing_context_box,
    no_answer_box,
    quote_box,
    result_card,
    searched_as_box,
    timeline_box,
)

KIND_LABELS = {"text": "Đoạn văn", "table_row": "Dòng bảng"}
ALL = ""
POOL = 50  # unfiltered hits behind the facet counts and the timeline
EXPORT_TTL = 3600  # seconds an export file is kept for download
TIMELINE_PER_DOC = 2  # mentions listed per document; the rest are counted


@dataclass
class Page:
    """Everything one search puts on the page."""

    query: str
    status: str
    answer: str = ""
    timeline: str = ""
    results: str = ""
    facets: dict[str, Counter] = field(default_factory=dict)
    items: list[ExportItem] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)  # highlighted words, for the context view


def facet_counts(hits: Sequence[Hit]) -> dict[str, Counter]:
    """How many of ``hits`` fall in each document, year, issuer and kind."""
    out: dict[str, Counter] = {k: Counter() for k in ("doc", "year", "issuer", "kind")}
    for h in hits:
        m = h.chunk.meta
        out["doc"][m.doc] += 1
        if m.year:
            out["year"][str(m.year)] += 1
        if m.issuer:
            out["issuer"][m.issuer] += 1
        out["kind"][h.chunk.kind] += 1
    return out


def _with_count(label: str, n: int | None) -> str:
    return label if n is None else f"{label} ({n})"


class App:
    """Holds the searcher; loads it on first use so the UI can start before an index exists."""

    def __init__(
        self,
        index: str | Path,
        *,
        searcher: Searcher | None = None,
        corpus: Path | None = None,
        export_dir: Path | None = None,
    ):
        self.index = index if is_milvus(index) else Path(index)
        self.corpus = Path(corpus) if corpus else Path("corpus")
        self._searcher = searcher
        self._export_dir = Path(export_dir) if export_dir else None
        self._lock = threading.Lock()

    def searcher(self) -> Searcher:
        # One searcher (one model in memory) even when the warm-up races the first query.
        with self._lock:
            if self._searcher is None:
                self._searcher = Searcher(self.index)
            return self._searcher

    def warm_up(self) -> None:
        """Load the index and the model now, so the first query does not wait for them."""
        try:
            self.searcher().encoder.encode_queries(["khởi động"])
        except TracuuError:
            pass  # no index yet: the first query will say so

    def _metas(self) -> dict[str, Any]:
        try:
            return self.searcher().store.metas
        except TracuuError:  # no index yet, or one to rebuild
            return {}

    # -- filters and facets --------------------------------------------------------------
    def filter_choices(
        self, facets: dict[str, Counter] | None = None
    ) -> dict[str, list[tuple[str, str]]]:
        """Documents, years, issuers and kinds for the filter controls, with hit counts."""
        docs, years, issuers = [], set(), set()

        def count(key: str, value: str) -> int | None:
            return None if facets is None else facets[key].get(value, 0)

        for name, meta in sorted(self._metas().items()):
            label = " ".join(x for x in (meta.doc_type, meta.number) if x) or name
            docs.append((_with_count(f"{label} ({name})", count("doc", name)), name))
            if meta.year:
                years.add(meta.year)
            if meta.issuer:
                issuers.add(meta.issuer)
        return {
            "doc": [("Tất cả văn bản", ALL), *docs],
            "year": [
                ("Tất cả các năm", ALL),
                *[(_with_count(str(y), count("year", str(y))), str(y)) for y in sorted(years)],
            ],
            "issuer": [
                ("Tất cả cơ quan", ALL),
                *[(_with_count(i, count("issuer", i)), i) for i in sorted(issuers)],
            ],
            "kind": [
                ("Tất cả", ALL),
                *[(_with_count(KIND_LABELS[k], count("kind", k)), k) for k in KIND_LABELS],
            ],
        }

    def examples(self, n: int = 3) -> list[str]:
        """Example queries from the index itself: the name of a table row (else the title)
        of the newest document, typed with and without diacritics, and its number."""
        metas = self._metas()
        if not metas:
            return []
        newest = max(metas.values(), key=lambda m: (sort_key(m) if m.year else (0, 0, 0), m.doc))
        subject = _short_subject(self.searcher(), newest)
        out = [subject, " ".join(fold(subject).lower().split())] if subject else []
        if newest.doc_type and newest.number:
            out.append(f"{newest.doc_type} {newest.number}")
        return list(dict.fromkeys(x for x in out if x))[:n]

    # -- searching -----------------------------------------------------------------------
    def ask(self, query: str, k: Any, filters: Filters) -> Response:
        return self.searcher().ask(query, k=parse_k(k), filters=filters)

    def search_json(
        self,
        query: str,
        k: Any = 10,
        doc: Any = "",
        year: Any = "",
        issuer: Any = "",
        kind: Any = "",
    ) -> dict[str, Any]:
        """The batch interface's fields (plus the query) for one query."""
        return self.ask(query, k, Filters.parse(doc, year, issuer, kind)).to_json()

    def page(
        self,
        query: str,
        k: Any = 10,
        doc: Any = "",
        year: Any = "",
        issuer: Any = "",
        kind: Any = "",
    ) -> Page:
        """Search once for the page: results, answer, timeline, facets and export items."""
        t0 = time.perf_counter()
        try:
            k = parse_k(k or 10)
            filters = Filters.parse(doc, year, issuer, kind)
            if filters.active():
                r = self.ask(query, k, filters)
                pool = self.searcher().search(query, POOL)
            else:
                # One search serves both: the top k of the top POOL are the top k.
                r = self.ask(query, max(k, POOL), filters)
                pool = r.hits
                r.hits = r.hits[:k]
        except TracuuError as exc:
            return Page(query, f"⚠️ {exc}")
        ms = (time.perf_counter() - t0) * 1000
        status = f"**{len(r.hits)}** kết quả · {ms:.0f} ms"
        if active := self._describe(filters):
            status += f" · đang lọc: {active}"
        if not r.hits and filters.active():
            status += " · không có kết quả nào khớp bộ lọc, hãy bỏ bớt bộ lọc"
        terms = r.query.terms
        if r.quote is not None:
            top = quote_box(r.quote, terms)
            if r.query.question:  # the question the paste ends with, answered or not
                top += (
                    no_answer_box(r.unknown_terms, True, r.reason)
                    if r.no_answer
                    else answer_box(r.answer, terms, chunk_id=_answer_chunk(r))
                    if r.answer
                    else ""
                )
            cards = "".join(result_card(h, terms) for h in r.hits)
        elif r.no_answer:
            top = no_answer_box(r.unknown_terms, bool(r.hits), r.reason)
            cards = "".join(result_card(h, terms, nearest=True) for h in r.hits)
        else:
            top = answer_box(r.answer, terms, chunk_id=_answer_chunk(r)) if r.answer else ""
            cards = "".join(result_card(h, terms) for h in r.hits)
        if r.query.corrections:
            top = searched_as_box(searched_as(r.query)) + top
        timeline = ""
        if not r.no_answer:
            shown = [h for h in pool if filters.accepts(h.chunk)]
            stages = build_timeline(r.query, shown, per_doc=TIMELINE_PER_DOC)
            if len(stages) >= 2:
                timeline = timeline_box(stages, terms)
        return Page(
            query=r.query.text,
            status=status,
            answer=top,
            timeline=timeline,
            results=cards,
            facets=facet_counts(pool),
            items=[ExportItem.from_hit(h) for h in r.hits],
            terms=sorted(terms),
        )

    @staticmethod
    def _describe(f: Filters) -> str:
        parts = []
        if f.doc:
            parts.append(f"văn bản {f.doc}")
        if f.year:
            parts.append(f"năm {f.year}")
        if f.issuer:
            parts.append(f.issuer)
        if f.kind:
            parts.append(KIND_LABELS.get(f.kind, f.kind).lower())
        return ", ".join(parts)

    # -- context view --------------------------------------------------------------------
    def context_html(self, chunk_id: str, terms: Sequence[str] = ()) -> str:
        nonce = uuid.uuid4().hex[:8]  # new content every time, so the dialog reopens
        try:
            searcher = self.searcher()
            target = searcher.chunk(chunk_id) if chunk_id else None
            chunks = searcher.document_chunks(target.doc) if target else []
        except TracuuError:
            target = None
        if target is None:
            return missing_context_box(nonce)
        return context_box(passage_context(target, chunks), frozenset(terms), nonce=nonce)

    # -- export --------------------------------------------------------------------------
    def export(
        self, query: str, items: Sequence[ExportItem], selected: Sequence[str] = ()
    ) -> tuple[Path | None, Path | None, str]:
        """(.docx, .md, note) for the selected items, or all shown when none is selected."""
        if not items:
            return None, None, ""
        chosen = [i for i in items if i.chunk_id in set(selected)] if selected else list(items)
        if not chosen:
            chosen = list(items)
        folder = self.export_dir() / uuid.uuid4().hex[:12]
        docx_path, md_path = write_exports(query, chosen, folder)
        if selected:
            note = f"Sẽ xuất {len(chosen)} kết quả đã chọn."
        else:
            note = (
                f"Chưa chọn kết quả nào: sẽ xuất cả {len(chosen)} kết quả đang hiển thị "
                "(đánh dấu ô “Chọn” để xuất một số kết quả)."
            )
        return docx_path, md_path, note

    def export_dir(self) -> Path:
        if self._export_dir is None:
            self._export_dir = Path(tempfile.mkdtemp(prefix="tracuu-export-"))
            # A folder this process made for itself goes with it (exports are one-off files).
            atexit.register(shutil.rmtree, self._export_dir, ignore_errors=True)
        self._export_dir.mkdir(parents=True, exist_ok=True)
        now = time.time()
        for old in self._export_dir.iterdir():
            if old.is_dir() and now - old.stat().st_mtime > EXPORT_TTL:
                shutil.rmtree(old, ignore_errors=True)
        return self._export_dir

    def has_index(self) -> bool:
        return is_milvus(self.index) or store_files.current_generation(self.index) is not None


def _answer_chunk(r: Response) -> str | None:
    a = r.answer
    for h in r.hits:
        c = h.chunk
        if c.doc == a.doc and c.line_start <= a.line_start and a.line_end <= c.line_end:
            return c.id
    return None


def _short_subject(searcher: Searcher, meta) -> str:
    """A table row's name of 2–8 words from ``meta``'s document, else its title's start."""
    for c in searcher.document_chunks(meta.doc):
        if c.kind == "table_row" and c.cells:
            name = c.cells[0][1]
            if 2 <= len(name.split()) <= 8 and not any(ch.isdigit() for ch in name):
                return name
    words = (meta.title or "").split()
    return " ".join(words[:6])
