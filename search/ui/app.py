"""The Gradio app behind ui.py: search, answer, timeline, results, context, export, upload."""

from __future__ import annotations

import hmac
import shutil
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import gradio as gr

from ..errors import IndexMissingError, TracuuError
from ..extract import is_candidate
from ..index import store
from ..index.encoder import Encoder, load_encoder
from ..index.ingest import build
from ..query.context import passage_context
from ..query.searcher import Filters, Response, Searcher
from ..query.timeline import build_timeline
from ..records import Chunk, Hit
from .export import ExportItem, write_exports
from .render import (
    CONTEXT_JS,
    COPY_JS,
    CSS,
    EXAMPLES_JS,
    URL_JS,
    answer_box,
    context_box,
    examples_box,
    missing_context_box,
    no_answer_box,
    result_card,
    timeline_box,
)
from .uploads import MAX_UPLOAD_BYTES, UPLOAD_SUFFIXES, UploadError, save_upload, upload_password

EXAMPLES = ["Hòn Khoai tiến độ", "hon khoai tien do", "GPMB cảng hàng không Cà Mau"]
KIND_LABELS = {"text": "Đoạn văn", "table_row": "Dòng bảng"}
ALL = ""
HINT = (
    "Gõ câu hỏi hoặc từ khóa — có dấu, không dấu hay viết tắt (GPMB) đều được — rồi nhấn "
    "Enter. Mỗi kết quả có trích dẫn để sao chép, nút “Xem trong văn bản” và ô “Chọn” để xuất."
)
POOL = 50  # unfiltered hits behind the facet counts and the timeline
EXPORT_TTL = 3600  # seconds an export file is kept for download
TIMELINE_PER_DOC = 2  # mentions listed per document; the rest are counted


def theme() -> gr.themes.Base:
    """Gradio's default look with system fonts: its bundled font lacks Vietnamese letters,
    and mixing fonts inside a word is hard to read."""
    return gr.themes.Default(
        font=["Segoe UI", "Roboto", "Noto Sans", "Liberation Sans", "Arial", "sans-serif"],
        font_mono=["Consolas", "DejaVu Sans Mono", "monospace"],
    )


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
        index_dir: Path,
        *,
        searcher: Searcher | None = None,
        corpus: Path | None = None,
        export_dir: Path | None = None,
    ):
        self.index_dir = Path(index_dir)
        self.corpus = Path(corpus) if corpus else Path("corpus")
        self._searcher = searcher
        self._export_dir = Path(export_dir) if export_dir else None
        self._by_id: tuple[str, dict[str, Chunk]] | None = None
        self._lock = threading.Lock()

    def searcher(self) -> Searcher:
        # One searcher (one model in memory) even when the warm-up races the first query.
        with self._lock:
            if self._searcher is None:
                self._searcher = Searcher(self.index_dir)
            return self._searcher

    # -- filters and facets --------------------------------------------------------------
    def filter_choices(
        self, facets: dict[str, Counter] | None = None
    ) -> dict[str, list[tuple[str, str]]]:
        """Documents, years, issuers and kinds for the filter controls, with hit counts."""
        try:
            manifest = self.searcher().manifest  # in memory, current generation
        except TracuuError:  # no index yet, or one to rebuild: list what is on disk
            manifest = store.read_manifest(self.index_dir) or {"documents": {}}
        docs, years, issuers = [], set(), set()

        def count(key: str, value: str) -> int | None:
            return None if facets is None else facets[key].get(value, 0)

        for name, info in sorted(manifest["documents"].items()):
            meta = info.get("meta", {})
            label = " ".join(x for x in (meta.get("doc_type"), meta.get("number")) if x) or name
            docs.append((_with_count(f"{label} ({name})", count("doc", name)), name))
            if meta.get("year"):
                years.add(int(meta["year"]))
            if meta.get("issuer"):
                issuers.add(meta["issuer"])
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

    @staticmethod
    def filters(doc: str = "", year: Any = "", issuer: str = "", kind: str = "") -> Filters:
        return Filters(
            doc=doc or None,
            year=int(year) if year else None,
            issuer=issuer or None,
            kind=kind or None,
        )

    # -- searching -----------------------------------------------------------------------
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

    def page(
        self,
        query: str,
        k: float = 10,
        doc: str = "",
        year: Any = "",
        issuer: str = "",
        kind: str = "",
    ) -> Page:
        """Search once for the page: results, answer, timeline, facets and export items."""
        t0 = time.perf_counter()
        k = max(1, int(k or 10))
        filters = self.filters(doc, year, issuer, kind)
        try:
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
        active = self._describe(filters)
        if active:
            status += f" · đang lọc: {active}"
        if not r.hits and filters.active():
            status += " · không có kết quả nào khớp bộ lọc, hãy bỏ bớt bộ lọc"
        if r.no_answer:
            top = no_answer_box(r.unknown_terms, bool(r.hits))
            cards = "".join(result_card(h, query, nearest=True) for h in r.hits)
        else:
            top = ""
            if r.answer:
                top = answer_box(r.answer, query, chunk_id=self._answer_chunk(r))
            cards = "".join(result_card(h, query) for h in r.hits)
        timeline = ""
        if not r.no_answer:
            stages = build_timeline(
                query, [h for h in pool if filters.accepts(h.chunk)], per_doc=TIMELINE_PER_DOC
            )
            if len(stages) >= 2:
                timeline = timeline_box(stages, query)
        return Page(
            query=query,
            status=status,
            answer=top,
            timeline=timeline,
            results=cards,
            facets=facet_counts(pool),
            items=[ExportItem.from_hit(h) for h in r.hits],
        )

    def search_html(
        self, query: str, k: float, doc: str = "", year: Any = "", issuer: str = "", kind: str = ""
    ) -> tuple[str, str, str]:
        """(status line, answer box, result cards) for the page."""
        p = self.page(query, k, doc, year, issuer, kind)
        return p.status, p.answer, p.results

    @staticmethod
    def _answer_chunk(r: Response) -> str | None:
        a = r.answer
        for h in r.hits:
            c = h.chunk
            if c.doc == a.doc and c.line_start <= a.line_start and a.line_end <= c.line_end:
                return c.id
        return None

    def _describe(self, f: Filters) -> str:
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

    def warm_up(self) -> None:
        """Load the index and the model now, so the first query does not wait for them."""
        try:
            self.searcher().encoder.encode_queries(["khởi động"])
        except TracuuError:
            pass  # no index yet: the first query will say so

    # -- context view --------------------------------------------------------------------
    def chunk(self, chunk_id: str) -> Chunk | None:
        index = self.searcher().index
        if self._by_id is None or self._by_id[0] != str(index.path):
            self._by_id = (str(index.path), {c.id: c for c in index.chunks})
        return self._by_id[1].get(chunk_id)

    def context_html(self, chunk_id: str, query: str = "") -> str:
        nonce = uuid.uuid4().hex[:8]  # new content every time, so the dialog reopens
        try:
            target = self.chunk(chunk_id)
        except TracuuError:
            target = None
        if target is None:
            return missing_context_box(nonce)
        chunks = self.searcher().index.chunks
        return context_box(passage_context(target, chunks), query, nonce=nonce)

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
        self._export_dir.mkdir(parents=True, exist_ok=True)
        now = time.time()
        for old in self._export_dir.iterdir():
            if old.is_dir() and now - old.stat().st_mtime > EXPORT_TTL:
                shutil.rmtree(old, ignore_errors=True)
        return self._export_dir

    # -- adding documents ----------------------------------------------------------------
    def encoder(self) -> Encoder:
        """The running searcher's encoder, so ingest does not load a second model."""
        try:
            return self.searcher().encoder
        except IndexMissingError:
            return load_encoder(None)

    def add_documents(
        self,
        password: str,
        files: Sequence[str] | None,
        on_progress: Callable[[float, str], None] | None = None,
    ) -> str:
        """Check the password, save the files into the corpus, reindex; a Vietnamese report."""
        expected = upload_password()
        if not expected:
            return "⚠️ Chức năng thêm văn bản đang tắt."
        if not password or not hmac.compare_digest(password.encode(), expected.encode()):
            return "⚠️ Sai mật khẩu. Chưa lưu tệp nào."
        if not files:
            return "⚠️ Hãy chọn ít nhất một tệp văn bản."
        notify = on_progress or (lambda fraction, message: None)
        lines: list[str] = []
        saved: list[Path] = []
        for f in files:
            src = Path(f)
            try:
                target = save_upload(src, src.name, self.corpus)
            except (UploadError, OSError) as exc:
                lines.append(f"⚠️ {exc}")
                continue
            if not is_candidate(target):
                target.unlink(missing_ok=True)
                lines.append(
                    f"⚠️ {src.name}: định dạng {target.suffix} chưa được hỗ trợ khi lập chỉ mục; "
                    "tệp không được thêm."
                )
                continue
            saved.append(target)
        if not saved:
            return "\n\n".join(lines) or "⚠️ Không có tệp nào được thêm."
        notify(0.0, f"Đã lưu {len(saved)} tệp, bắt đầu lập chỉ mục")
        try:
            report = build(self.corpus, self.index_dir, self.encoder(), on_progress=notify)
        except TracuuError as exc:
            return "\n\n".join([*lines, f"⚠️ Lập chỉ mục không thành công: {exc}"])
        names = {p.relative_to(self.corpus).as_posix(): p for p in saved}
        for name, problem in report.failed:
            if name in names:
                # Never indexed: take the file back out so the corpus holds no dead weight.
                names[name].unlink(missing_ok=True)
                lines.append(f"⚠️ {name}: {problem}; tệp không được thêm.")
        added = [n for n in names if n in report.added or n in report.updated]
        dup = {copy: first for copy, first in report.duplicates}
        for n in names:
            if n in dup:
                lines.append(f"{n} trùng nội dung với {dup[n]}, không lập chỉ mục lần nữa.")
        head = f"✔ Đã thêm: {', '.join(added)}." if added else "Không có văn bản mới."
        return "\n\n".join([head, *lines, f"Chỉ mục: {report.summary()}"])


def build_app(
    index_dir: Path, *, searcher: Searcher | None = None, corpus: Path | None = None
) -> gr.Blocks:
    app = App(index_dir, searcher=searcher, corpus=corpus)
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
            "## Tra cứu văn bản\nTìm đoạn văn bản, dòng phụ lục trả lời câu hỏi, kèm trích dẫn.",
            elem_id="tc-title",
        )
        with gr.Row():
            query = gr.Textbox(
                label="Nội dung cần tìm",
                placeholder="Ví dụ: Hòn Khoai tiến độ (nhấn Enter để tìm)",
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
        examples = gr.HTML(examples_box(EXAMPLES), elem_id="tc-examples", js_on_load=EXAMPLES_JS)
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
        answer = gr.HTML(elem_id="tc-answer-box", js_on_load=COPY_JS)
        timeline = gr.HTML(elem_id="tc-timeline", js_on_load=COPY_JS)
        with gr.Row(visible=False, elem_id="tc-export", equal_height=True) as export_row:
            dl_docx = gr.DownloadButton(
                "Tải Word (.docx)", size="sm", elem_id="tc-export-docx", min_width=150, scale=0
            )
            dl_md = gr.DownloadButton(
                "Tải Markdown (.md)", size="sm", elem_id="tc-export-md", min_width=150, scale=0
            )
            export_note = gr.Markdown(elem_id="tc-export-note")
        results = gr.HTML(elem_id="tc-results", js_on_load=COPY_JS)
        context = gr.HTML(elem_id="tc-context", js_on_load=CONTEXT_JS)
        shown = gr.State({"query": "", "items": []})

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
                shown: {"query": p.query, "items": [i.to_json() for i in p.items]},
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
            data = getattr(evt, "_data", None) or {}
            return on_export(state, [str(s) for s in data.get("selected", [])])

        def on_context(state: dict, evt: gr.EventData) -> str:
            data = getattr(evt, "_data", None) or {}
            return app.context_html(str(data.get("chunk", "")), state.get("query", ""))

        def on_example(k_, doc_, year_, issuer_, kind_, evt: gr.EventData) -> dict:
            q = str((getattr(evt, "_data", None) or {}).get("example", ""))
            return {query: q, **on_search(q, k_, doc_, year_, issuer_, kind_)}

        def on_load(k_, doc_, year_, issuer_, kind_, request: gr.Request) -> dict:
            q = (request.query_params.get("q") or "").strip() if request else ""
            if not q:
                return {query: gr.skip()}
            return {query: q, **on_search(q, k_, doc_, year_, issuer_, kind_)}

        private = {"api_visibility": "private"}
        export_outputs = [dl_docx, dl_md, export_note]

        def searched(event, fn=on_search, fn_inputs=inputs, fn_outputs=outputs):
            """Chain the steps every search shares: results, export files, the address bar."""
            return (
                event(fn, fn_inputs, fn_outputs, **private)
                .then(on_export, [shown], export_outputs, **private)
                .then(None, [query], None, js=URL_JS, **private)
            )

        searched(query.submit)
        searched(button.click)
        for control in (doc, year, issuer, kind):
            searched(control.input, fn=on_refine)
        searched(k.release, fn=on_refine)
        searched(examples.click, fn=on_example, fn_inputs=inputs[1:], fn_outputs=[query, *outputs])
        searched(blocks.load, fn=on_load, fn_inputs=inputs[1:], fn_outputs=[query, *outputs])
        results.input(on_pick, [shown], export_outputs, **private)
        for source in (answer, timeline, results):
            # No loading veil: the dialog would show half-transparent until the event ends.
            source.select(on_context, [shown], [context], show_progress="hidden", **private)

        if upload_password():
            _upload_panel(app, [doc, year, issuer])
        gr.Markdown(
            "Chương trình khác có thể gọi cùng chức năng tìm kiếm qua điểm cuối API `/search` "
            "(gradio_client).",
            elem_id="tc-footer",
        )
        gr.api(api_search, api_name="search")
    blocks.tracuu_css = CSS  # type: ignore[attr-defined]
    blocks.tracuu_theme = theme()  # type: ignore[attr-defined]
    blocks.tracuu_app = app  # type: ignore[attr-defined]
    return blocks


def _upload_panel(app: App, dropdowns: list[gr.Dropdown]) -> None:
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

            report = app.add_documents(pw, files, on_progress=notify)
            c = app.filter_choices()
            out: dict[Any, Any] = {result: report}
            for dd, key in zip(dropdowns, ("doc", "year", "issuer"), strict=True):
                out[dd] = gr.Dropdown(choices=c[key])
            if not report.startswith("⚠️ Sai mật khẩu"):
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
