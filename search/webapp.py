"""The Gradio app behind ui.py: search box, filters, answer, result cards, an API endpoint."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gradio as gr

from . import store
from .errors import TracuuError
from .render import COPY_JS, CSS, answer_box, no_answer_box, result_card
from .searcher import Filters, Response, Searcher

EXAMPLES = ["Hòn Khoai tiến độ", "hon khoai tien do", "GPMB cảng hàng không Cà Mau"]
KINDS = [("Tất cả", ""), ("Đoạn văn", "text"), ("Dòng bảng", "table_row")]
ALL = ""


class App:
    """Holds the searcher; loads it on first use so the UI can start before an index exists."""

    def __init__(self, index_dir: Path, *, searcher: Searcher | None = None):
        self.index_dir = Path(index_dir)
        self._searcher = searcher

    def searcher(self) -> Searcher:
        if self._searcher is None:
            self._searcher = Searcher(self.index_dir)
        return self._searcher

    def filter_choices(self) -> dict[str, list[tuple[str, str]]]:
        """Documents, years and issuers in the index, for the filter dropdowns."""
        manifest = store.read_manifest(self.index_dir) or {"documents": {}}
        docs, years, issuers = [], set(), set()
        for name, info in sorted(manifest["documents"].items()):
            meta = info.get("meta", {})
            label = " ".join(x for x in (meta.get("doc_type"), meta.get("number")) if x) or name
            docs.append((f"{label} ({name})", name))
            if meta.get("year"):
                years.add(int(meta["year"]))
            if meta.get("issuer"):
                issuers.add(meta["issuer"])
        return {
            "doc": [("Tất cả văn bản", ALL), *docs],
            "year": [("Tất cả các năm", ALL), *[(str(y), str(y)) for y in sorted(years)]],
            "issuer": [("Tất cả cơ quan", ALL), *[(i, i) for i in sorted(issuers)]],
        }

    @staticmethod
    def filters(doc: str = "", year: Any = "", issuer: str = "", kind: str = "") -> Filters:
        return Filters(
            doc=doc or None,
            year=int(year) if year else None,
            issuer=issuer or None,
            kind=kind or None,
        )

    def ask(self, query: str, k: int, filters: Filters) -> Response:
        return self.searcher().ask(query, k=int(k), filters=filters)

    def search_json(
        self,
        query: str,
        k: int = 10,
        doc: str = "",
        year: Any = "",
        issuer: str = "",
        kind: str = "",
    ) -> dict[str, Any]:
        """The batch interface's fields (plus the query) for one query."""
        return self.ask(query, k, self.filters(doc, year, issuer, kind)).to_json()

    def search_html(
        self, query: str, k: float, doc: str = "", year: Any = "", issuer: str = "", kind: str = ""
    ) -> tuple[str, str, str]:
        """(status line, answer box, result cards) for the page."""
        try:
            r = self.ask(query, k, self.filters(doc, year, issuer, kind))
        except TracuuError as exc:
            return f"⚠️ {exc}", "", ""
        status = f"{len(r.hits)} kết quả · {r.ms:.0f} ms"
        if r.no_answer:
            top = no_answer_box(r.unknown_terms, bool(r.hits))
            cards = "".join(result_card(h, query, nearest=True) for h in r.hits)
            return status, top, cards
        top = answer_box(r.answer, query) if r.answer else ""
        return status, top, "".join(result_card(h, query) for h in r.hits)


def build_app(index_dir: Path, *, searcher: Searcher | None = None) -> gr.Blocks:
    app = App(index_dir, searcher=searcher)
    choices = app.filter_choices()

    def api_search(
        query: str, k: int = 10, doc: str = "", year: int = 0, issuer: str = "", kind: str = ""
    ) -> dict:
        """Search the indexed documents.

        Returns {"query", "answer": {"text", "citation", "doc", "line_start", "line_end"} or
        null, "results": [{"rank", "score", "doc", "text", "citation", "section", "kind",
        "line_start", "line_end"}], "no_answer"}; "error" explains a refused query.
        """
        try:
            return app.search_json(query, k, doc, year or "", issuer, kind)
        except TracuuError as exc:
            return {
                "query": query,
                "answer": None,
                "results": [],
                "no_answer": True,
                "error": str(exc),
            }

    with gr.Blocks(title="Tra cứu văn bản") as blocks:
        gr.Markdown(
            "## Tra cứu văn bản\nTìm đoạn văn bản, dòng phụ lục trả lời câu hỏi, kèm trích dẫn."
        )
        with gr.Row():
            query = gr.Textbox(
                label="Nội dung cần tìm",
                placeholder="Ví dụ: Hòn Khoai tiến độ",
                scale=5,
                autofocus=True,
                lines=1,
                max_lines=1,
                elem_id="tc-query",
            )
            button = gr.Button("Tìm kiếm", variant="primary", elem_id="tc-search", scale=1)
        with gr.Accordion("Bộ lọc", open=False):
            with gr.Row():
                doc = gr.Dropdown(choices["doc"], value=ALL, label="Văn bản", elem_id="tc-doc")
                year = gr.Dropdown(choices["year"], value=ALL, label="Năm", elem_id="tc-year")
                issuer = gr.Dropdown(
                    choices["issuer"], value=ALL, label="Cơ quan ban hành", elem_id="tc-issuer"
                )
                kind = gr.Radio(KINDS, value="", label="Loại", elem_id="tc-kind")
                k = gr.Slider(1, 30, value=10, step=1, label="Số kết quả", elem_id="tc-k")
        gr.Examples(EXAMPLES, inputs=[query], label="Ví dụ")
        status = gr.Markdown(elem_id="tc-status")
        answer = gr.HTML(elem_id="tc-answer-box", js_on_load=COPY_JS)
        results = gr.HTML(elem_id="tc-results", js_on_load=COPY_JS)
        inputs = [query, k, doc, year, issuer, kind]
        outputs = [status, answer, results]
        query.submit(app.search_html, inputs, outputs, api_visibility="private")
        button.click(app.search_html, inputs, outputs, api_visibility="private")
        gr.api(api_search, api_name="search")
    blocks.tracuu_css = CSS  # type: ignore[attr-defined]
    return blocks
