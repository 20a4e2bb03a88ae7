"""The Gradio layer behind ui.py: components, events, the /search API, the upload panel."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import gradio as gr

from ..errors import TracuuError
from ..query.searcher import Searcher, error_json
from .app import ALL, POOL, App
from .export import ExportItem
from .render import examples_box, static_text
from .service import DocumentService
from .uploads import MAX_UPLOAD_BYTES, PASSWORD_ENV, UPLOAD_SUFFIXES, upload_password

HINT = (
    "Gõ câu hỏi hoặc từ khóa — có dấu, không dấu hay viết tắt (GPMB) đều được — rồi nhấn "
    "Enter. Mỗi kết quả có trích dẫn để sao chép, nút “Xem trong văn bản” và ô “Chọn” để xuất."
)
ADD_DOCUMENTS_HINT = (
    "Thêm văn bản: chép tệp vào thư mục văn bản rồi chạy `python ingest.py`, hoặc đặt biến "
    f"môi trường `{PASSWORD_ENV}` trước khi mở giao diện để thêm tệp ngay trên trang này."
)
# Gradio's own words (login page, loading): the UI speaks Vietnamese whatever the browser.
VIETNAMESE = {
    "login.login": "Đăng nhập",
    "login.username": "Tên đăng nhập",
    "login.password": "Mật khẩu",
    "login.incorrect_credentials": "Sai tên đăng nhập hoặc mật khẩu",
    "login.enable_cookies": "Hãy bật cookie của trình duyệt để đăng nhập.",
    "common.loading": "Đang tải",
    "common.error": "Lỗi",
    "common.clear": "Xóa",
    "common.download": "Tải về",
    "upload_text.click_to_upload": "Bấm để tải lên",
    "upload_text.drop_file": "Thả tệp vào đây",
    "upload_text.uploading": "Đang tải lên...",
}


def theme() -> gr.themes.Base:
    """Gradio's default look with system fonts: its bundled font lacks Vietnamese letters,
    and mixing fonts inside a word is hard to read."""
    return gr.themes.Default(
        font=["Segoe UI", "Roboto", "Noto Sans", "Liberation Sans", "Arial", "sans-serif"],
        font_mono=["Consolas", "DejaVu Sans Mono", "monospace"],
    )


def i18n() -> gr.I18n:
    nested: dict[str, Any] = {}
    for key, text in VIETNAMESE.items():
        group, _, name = key.partition(".")
        nested.setdefault(group, {})[name] = text
    return gr.I18n(vi=nested, en=nested)


def build_app(
    index: str | Path, *, searcher: Searcher | None = None, corpus: Path | None = None
) -> gr.Blocks:
    app = App(index, searcher=searcher, corpus=corpus)
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
            return app.search_json(query, k, doc, year, issuer, kind)
        except TracuuError as exc:
            return error_json(query, exc)

    with gr.Blocks(title="Tra cứu văn bản") as blocks:
        gr.Markdown(
            "## Tra cứu văn bản\nTìm đoạn văn bản, dòng phụ lục trả lời câu hỏi, kèm trích dẫn.",
            elem_id="tc-title",
        )
        with gr.Row():
            query = gr.Textbox(
                label="Nội dung cần tìm",
                placeholder="Gõ câu hỏi hoặc dán một đoạn văn bản (nhấn Enter để tìm)",
                scale=5,
                min_width=220,
                autofocus=True,
                lines=1,
                max_lines=1,
                elem_id="tc-query",
            )
            button = gr.Button(
                "Tìm kiếm", variant="primary", elem_id="tc-search", scale=1, min_width=110
            )
        examples = gr.HTML(
            examples_box(app.examples()),
            elem_id="tc-examples",
            js_on_load=static_text("examples.js"),
        )
        with gr.Accordion("Bộ lọc", open=False, elem_id="tc-filters"):
            with gr.Row():
                doc = gr.Dropdown(choices["doc"], value=ALL, label="Văn bản", elem_id="tc-doc")
                year = gr.Dropdown(choices["year"], value=ALL, label="Năm", elem_id="tc-year")
                issuer = gr.Dropdown(
                    choices["issuer"], value=ALL, label="Cơ quan ban hành", elem_id="tc-issuer"
                )
                kind = gr.Radio(choices["kind"], value=ALL, label="Loại", elem_id="tc-kind")
                k = gr.Slider(1, 30, value=10, step=1, label="Số kết quả", elem_id="tc-k")
            gr.Markdown(
                f"Số trong ngoặc: số đoạn trong {POOL} kết quả đầu (chưa lọc) của câu tìm.",
                elem_id="tc-facets-note",
            )
        status = gr.Markdown(HINT, elem_id="tc-status")
        copy_js = static_text("copy.js")
        answer = gr.HTML(elem_id="tc-answer-box", js_on_load=copy_js)
        timeline = gr.HTML(elem_id="tc-timeline", js_on_load=copy_js)
        with gr.Row(visible=False, elem_id="tc-export", equal_height=True) as export_row:
            dl_docx = gr.DownloadButton(
                "Tải Word (.docx)", size="sm", elem_id="tc-export-docx", min_width=150, scale=0
            )
            dl_md = gr.DownloadButton(
                "Tải Markdown (.md)", size="sm", elem_id="tc-export-md", min_width=150, scale=0
            )
            export_note = gr.Markdown(elem_id="tc-export-note")
        results = gr.HTML(elem_id="tc-results", js_on_load=copy_js)
        context = gr.HTML(elem_id="tc-context", js_on_load=copy_js + static_text("context.js"))
        shown = gr.State({"query": "", "terms": [], "items": []})

        inputs = [query, k, doc, year, issuer, kind]
        outputs = [status, answer, timeline, results, doc, year, issuer, kind, shown, export_row]

        def on_search(q, k_, doc_, year_, issuer_, kind_) -> dict:
            p = app.page(q, k_, doc_, year_, issuer_, kind_)
            c = app.filter_choices(p.facets if p.facets else None)
            return {
                status: p.status,
                answer: p.answer,
                timeline: p.timeline,
                results: p.results,
                doc: gr.Dropdown(choices=c["doc"]),
                year: gr.Dropdown(choices=c["year"]),
                issuer: gr.Dropdown(choices=c["issuer"]),
                kind: gr.Radio(choices=c["kind"]),
                shown: {
                    "query": p.query,
                    "terms": p.terms,
                    "items": [i.to_json() for i in p.items],
                },
                export_row: gr.Row(visible=bool(p.items)),
            }

        def on_refine(q, k_, doc_, year_, issuer_, kind_) -> dict:
            """A filter changed: search again, unless there is nothing to search for yet."""
            if not (q or "").strip():
                return {status: gr.skip()}
            return on_search(q, k_, doc_, year_, issuer_, kind_)

        def on_export(state: dict, selected: Sequence[str] = ()) -> dict:
            items = [ExportItem.from_json(i) for i in state.get("items", [])]
            docx_path, md_path, note = app.export(state.get("query", ""), items, selected)
            return {
                dl_docx: str(docx_path) if docx_path else None,
                dl_md: str(md_path) if md_path else None,
                export_note: note,
            }

        def on_pick(state: dict, evt: gr.EventData) -> dict:
            return on_export(state, [str(s) for s in getattr(evt, "selected", [])])

        def on_context(state: dict, evt: gr.EventData) -> str:
            return app.context_html(str(getattr(evt, "chunk", "")), state.get("terms", []))

        def on_example(k_, doc_, year_, issuer_, kind_, evt: gr.EventData) -> dict:
            q = str(getattr(evt, "example", ""))
            return {query: q, **on_search(q, k_, doc_, year_, issuer_, kind_)}

        def on_load(k_, doc_, year_, issuer_, kind_, request: gr.Request) -> dict:
            q = (request.query_params.get("q") or "").strip() if request else ""
            if not q:
                return {query: gr.skip()}
            return {query: q, **on_search(q, k_, doc_, year_, issuer_, kind_)}

        private = {"api_visibility": "private"}
        export_outputs = [dl_docx, dl_md, export_note]
        url_js = static_text("url.js")

        def searched(event, fn=on_search, fn_inputs=inputs, fn_outputs=outputs):
            """Chain the steps every search shares: results, export files, the address bar."""
            return (
                event(fn, fn_inputs, fn_outputs, **private)
                .then(on_export, [shown], export_outputs, **private)
                .then(None, [query], None, js=url_js, **private)
            )

        searched(query.submit)
        searched(button.click)
        for control in (doc, year, issuer, kind):
            searched(control.input, fn=on_refine)
        searched(k.release, fn=on_refine)
        searched(examples.click, fn=on_example, fn_inputs=inputs[1:], fn_outputs=[query, *outputs])
        searched(blocks.load, fn=on_load, fn_inputs=inputs[1:], fn_outputs=[query, *outputs])
        # Every pick runs, in order, with its own selection: "always_last" would defer a pick
        # made while an export is written and rerun it without its event data (gradio 6).
        results.input(on_pick, [shown], export_outputs, trigger_mode="multiple", **private)
        for source in (answer, timeline, results):
            # No loading veil: the dialog would show half-transparent until the event ends.
            source.select(on_context, [shown], [context], show_progress="hidden", **private)

        if upload_password():
            service = DocumentService(app.corpus, app.index, lambda: app.searcher().encoder)
            _upload_panel(app, service, [doc, year, issuer])
        else:
            gr.Markdown(ADD_DOCUMENTS_HINT, elem_id="tc-add-hint")
        gr.Markdown(
            "Chương trình khác có thể gọi cùng chức năng tìm kiếm qua điểm cuối API `/search` "
            "(gradio_client).",
            elem_id="tc-footer",
        )
        gr.api(api_search, api_name="search")
    blocks.tracuu_app = app  # type: ignore[attr-defined]
    return blocks


def mount_options() -> dict[str, Any]:
    """How ui/server.py mounts the app: look, language, upload size, no footer links."""
    return {
        "css_paths": [Path(__file__).with_name("static") / "tracuu.css"],
        "theme": theme(),
        "i18n": i18n(),
        "show_error": True,
        "max_file_size": MAX_UPLOAD_BYTES,
        "footer_links": [],
    }


def _upload_panel(app: App, service: DocumentService, dropdowns: list[gr.Dropdown]) -> None:
    """Password, files, and a button that saves them into the corpus and reindexes."""
    kinds = ", ".join(UPLOAD_SUFFIXES)
    with gr.Accordion("Thêm văn bản vào kho", open=False, elem_id="tc-upload"):
        gr.Markdown(
            f"Chọn tệp ({kinds}; tối đa {MAX_UPLOAD_BYTES // 2**20} MB mỗi tệp), nhập mật khẩu "
            "rồi bấm “Thêm và lập chỉ mục”. Văn bản được lưu vào kho và tìm được ngay sau đó."
        )
        with gr.Row():
            password = gr.Textbox(
                label="Mật khẩu thêm văn bản",
                type="password",
                elem_id="tc-upload-password",
                scale=2,
                min_width=200,
            )
            pick = gr.UploadButton(
                "Chọn tệp…",
                file_count="multiple",
                file_types=list(UPLOAD_SUFFIXES),
                elem_id="tc-upload-pick",
                scale=1,
                min_width=140,
            )
            go = gr.Button(
                "Thêm và lập chỉ mục",
                variant="primary",
                elem_id="tc-upload-go",
                scale=1,
                min_width=180,
            )
        chosen = gr.State([])
        chosen_note = gr.Markdown("Chưa chọn tệp nào.", elem_id="tc-upload-chosen")
        result = gr.Markdown(elem_id="tc-upload-status")

        def on_pick(files: list[str] | None) -> tuple[list[str], str]:
            paths = [str(f) for f in (files or [])]
            if not paths:
                return [], "Chưa chọn tệp nào."
            names = ", ".join(f"{Path(p).name} ({_size(Path(p))})" for p in paths)
            return paths, f"Đã chọn {len(paths)} tệp: {names}"

        def on_add(pw: str, files: list[str], progress=gr.Progress()) -> dict:  # noqa: B008
            def notify(fraction: float, message: str) -> None:
                progress(min(1.0, max(0.0, fraction)), desc=message)

            done = service.add(pw, files, on_progress=notify)
            c = app.filter_choices()
            out: dict[Any, Any] = {result: done.report()}
            for dd, key in zip(dropdowns, ("doc", "year", "issuer"), strict=True):
                out[dd] = gr.Dropdown(choices=c[key])
            if not done.wrong_password:  # a retyped password needs the same files again
                out[chosen] = []
                out[chosen_note] = "Chưa chọn tệp nào."
            return out

        pick.upload(on_pick, [pick], [chosen, chosen_note], api_visibility="private")
        go.click(
            on_add,
            [password, chosen],
            [result, chosen, chosen_note, *dropdowns],
            api_visibility="private",
            concurrency_limit=1,
        )


def _size(path: Path) -> str:
    try:
        n = path.stat().st_size
    except OSError:
        return "?"
    return f"{max(1, round(n / 1024))} KB" if n < 2**20 else f"{n / 2**20:.1f} MB"
