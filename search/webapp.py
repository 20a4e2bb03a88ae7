"""The Gradio app behind ui.py: a search box, result cards, an API endpoint."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import gradio as gr

from .errors import TracuuError
from .render import COPY_JS, CSS, result_card
from .searcher import Filters, Searcher

EXAMPLES = ["Hòn Khoai tiến độ", "hon khoai tien do", "GPMB cảng hàng không Cà Mau"]


class App:
    """Holds the searcher; loads it on first use so the UI can start before an index exists."""

    def __init__(self, index_dir: Path, *, searcher: Searcher | None = None):
        self.index_dir = Path(index_dir)
        self._searcher = searcher

    def searcher(self) -> Searcher:
        if self._searcher is None:
            self._searcher = Searcher(self.index_dir)
        return self._searcher

    def search_json(self, query: str, k: int = 10, doc: str = "", year: int | None = None,
                    issuer: str = "", kind: str = "") -> dict[str, Any]:
        """The batch interface's fields for one query."""
        filters = Filters(doc=doc or None, year=int(year) if year else None,
                          issuer=issuer or None, kind=kind or None)
        hits = self.searcher().search(query, k=int(k), filters=filters)
        return {"query": query, "results": [h.to_json() for h in hits], "no_answer": not hits}

    def search_html(self, query: str, k: float) -> tuple[str, str]:
        t0 = time.perf_counter()
        try:
            hits = self.searcher().search(query, k=int(k))
        except TracuuError as exc:
            return f"⚠️ {exc}", ""
        ms = (time.perf_counter() - t0) * 1000
        if not hits:
            return (
                f"Không tìm thấy nội dung phù hợp trong các văn bản ({ms:.0f} ms).",
                '<div class="tc-empty">Không tìm thấy nội dung phù hợp trong các văn bản.</div>',
            )
        status = f"{len(hits)} kết quả · {ms:.0f} ms"
        return status, "".join(result_card(h, query) for h in hits)


def build_app(index_dir: Path, *, searcher: Searcher | None = None) -> gr.Blocks:
    app = App(index_dir, searcher=searcher)

    def api_search(query: str, k: int = 10, doc: str = "", year: int = 0, issuer: str = "",
                   kind: str = "") -> dict:
        """Search the indexed documents. Returns {"query", "results": [{"rank", "score",
        "doc", "text", "citation", "section", "kind", "line_start", "line_end"}], "no_answer"}."""
        try:
            return app.search_json(query, k, doc, year or None, issuer, kind)
        except TracuuError as exc:
            return {"query": query, "results": [], "no_answer": True, "error": str(exc)}

    with gr.Blocks(title="Tra cứu văn bản") as blocks:
        gr.Markdown("## Tra cứu văn bản\nTìm đoạn văn bản, dòng phụ lục trả lời câu hỏi, kèm trích dẫn.")
        with gr.Row():
            query = gr.Textbox(
                label="Nội dung cần tìm", placeholder="Ví dụ: Hòn Khoai tiến độ", scale=5,
                autofocus=True, lines=1, max_lines=1, elem_id="tc-query",
            )
            k = gr.Slider(1, 30, value=10, step=1, label="Số kết quả", scale=1)
        button = gr.Button("Tìm kiếm", variant="primary", elem_id="tc-search")
        gr.Examples(EXAMPLES, inputs=[query], label="Ví dụ")
        status = gr.Markdown(elem_id="tc-status")
        results = gr.HTML(elem_id="tc-results", js_on_load=COPY_JS)
        query.submit(app.search_html, [query, k], [status, results], api_visibility="private")
        button.click(app.search_html, [query, k], [status, results], api_visibility="private")
        gr.api(api_search, api_name="search")
    blocks.tracuu_css = CSS  # type: ignore[attr-defined]
    return blocks
