"""The UI answers through Gradio's client, and renders document text escaped."""

import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import FIXTURES, NOTICE, ROOT, pasted_paragraph
from fakes import HashingEncoder
from uiserver import running_ui

from search import Searcher
from search.index.ingest import build
from search.query.query import highlight_terms
from search.ui.app import App, facet_counts
from search.ui.render import highlight, result_card
from search.ui.service import DocumentService
from search.ui.uploads import PASSWORD_ENV
from ui import parse_auth


@pytest.fixture(scope="module")
def app(fixture_index, tmp_path_factory) -> App:
    searcher = Searcher(fixture_index, encoder=HashingEncoder())
    return App(
        fixture_index,
        searcher=searcher,
        corpus=fixture_index.parent / "corpus",
        export_dir=tmp_path_factory.mktemp("exports"),
    )


def test_api_search_through_gradio_client(fixture_index):
    from gradio_client import Client

    with running_ui(fixture_index) as url:
        assert url.startswith("http://127.0.0.1:")  # loopback unless told otherwise
        client = Client(url, verbose=False)
        out = client.predict(query="thùng phân loại rác", k=3, api_name="/search")
        assert out["no_answer"] is False and len(out["results"]) == 3
        assert out["results"][0]["doc"] == "ubnd_plan_pipetable.txt"
        assert "12/KH-UBND" in out["results"][0]["citation"]
        assert set(out) == {"query", "answer", "results", "no_answer"}
        assert {"rank", "score", "doc", "text", "citation", "section", "kind"} <= set(
            out["results"][0]
        )
        empty = client.predict(query="  ", k=3, api_name="/search")
        assert empty["results"] == [] and "Hãy nhập" in empty["error"]
        # The UI's own events stay private: /search is the whole API.
        assert set(client.view_api(print_info=False, return_format="dict")["named_endpoints"]) == {
            "/search"
        }


def test_basic_auth_from_environment(fixture_index):
    from gradio_client import Client

    with running_ui(fixture_index, env={"TRACUU_AUTH": "canbo:mat-khau-1"}) as url:
        with pytest.raises(Exception):  # noqa: B017 - any refusal will do
            Client(url, verbose=False).predict(query="rác", k=1, api_name="/search")
        client = Client(url, auth=("canbo", "mat-khau-1"), verbose=False)
        assert client.predict(query="thùng phân loại rác", k=1, api_name="/search")["results"]


def test_malformed_auth_is_refused_in_vietnamese(fixture_index):
    out = subprocess.run(
        [sys.executable, str(ROOT / "ui.py"), "--index", str(fixture_index), "--auth", "chiten"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 2 and "TÊN:MẬT_KHẨU" in out.stderr
    assert parse_auth("a:b:c") == ("a", "b:c") and parse_auth("") is None


def parsed_elements(markup: str) -> tuple[set[str], set[str]]:
    """Element names and attribute names a browser would build from ``markup``."""
    tags: set[str] = set()
    attrs: set[str] = set()

    class P(HTMLParser):
        def handle_starttag(self, tag, attributes):
            tags.add(tag)
            attrs.update(name for name, _ in attributes)

    P().feed(markup)
    return tags, attrs


SAFE_TAGS = {"article", "header", "span", "div", "mark", "button", "label", "input"}


def test_cards_escape_document_text(fixture_index):
    s = Searcher(fixture_index, encoder=HashingEncoder())
    hit = next(
        h for h in s.search("số điện thoại đăng ký tiếp công dân", k=5) if "<script>" in h.text
    )
    html = result_card(hit, highlight_terms("tiếp công dân"))
    tags, attrs = parsed_elements(html)
    assert tags <= SAFE_TAGS
    assert not any(a.startswith("on") for a in attrs)
    assert "&lt;script&gt;" in html
    assert "&amp;lt;b&amp;gt;" in html  # an entity in the source shows as written


def test_context_view_escapes_and_highlights(app):
    s = app.searcher()
    hit = next(
        h for h in s.search("số điện thoại đăng ký tiếp công dân", k=5) if "<script>" in h.text
    )
    html = app.context_html(hit.chunk.id, ["tiếp", "công", "dân"])
    tags, attrs = parsed_elements(html)
    assert "script" not in tags and "img" not in tags and "a" not in tags
    assert not any(a.startswith("on") for a in attrs)
    assert "&lt;img src=x onerror=alert(2)&gt;" in html
    assert 'class="tc-ctx-para tc-ctx-target"' in html and "<mark>" in html
    assert "Thông báo" in html and "xss_and_junk.txt" in html  # document metadata
    assert "không còn trong chỉ mục" in app.context_html("nope#0")


def test_context_view_of_a_table_row(app):
    hit = app.searcher().search("thùng phân loại rác 3 ngăn", k=1)[0]
    assert hit.chunk.kind == "table_row"
    html = app.context_html(hit.chunk.id, ["thùng", "rác"])
    assert "<table" in html and "<th>" in html and 'class="tc-ctx-target"' in html
    assert html.count("<tr") >= 4  # header, the row and its neighbours
    assert "12/KH-UBND" in html


def test_highlight_ignores_diacritics():
    out = highlight("Cảng Hòn Khoai <b>", {"hon", "khoai"})
    assert out == "Cảng <mark>Hòn</mark> <mark>Khoai</mark> &lt;b&gt;"


def test_accented_queries_highlight_only_that_spelling():
    terms = highlight_terms("Khánh Hội tiến độ")
    assert "<mark>" not in highlight("Hải đồ, bốc dỡ, Khanh, hỏi", terms)
    assert highlight("tiến độ", terms) == "<mark>tiến</mark> <mark>độ</mark>"
    assert highlight("Tiến Độ", highlight_terms("tien do")).count("<mark>") == 2


def test_messages_for_missing_index_and_empty_query(tmp_path, fixture_index):
    page = App(tmp_path / "none").page("Hòn Khoai", 5)
    assert "Chưa có chỉ mục" in page.status and page.results == ""
    assert "Hãy nhập nội dung cần tìm" in App(fixture_index).page("", 5).status


def test_answer_and_no_answer_panels(app):
    page = app.page("kinh phí mua máy bơm chữa cháy rừng", 5)
    assert 'id="tc-answer"' in page.answer and "3,2 tỷ đồng" in page.answer
    assert "data-ctx=" in page.answer
    page = app.page("tuyến đường sắt tốc độ cao", 5)
    assert "Không tìm thấy nội dung phù hợp trong các văn bản" in page.answer
    assert "“sắt”" in page.answer and page.results.count("Đoạn gần nhất") == 5
    # Asked for a year the passages are not of: not found, and the page says why.
    page = app.page("kinh phí mua máy bơm chữa cháy rừng năm 2019", 5)
    assert "Không tìm thấy" in page.answer and "không phải năm 2019" in page.answer
    page = app.page("kinh phí mua máy bơm chữa cháy rừng năm 2023", 5)
    assert "3,2 tỷ đồng" in page.answer and "năm khác" not in page.answer
    # Asked for a district the passages are not of: the same.
    page = app.page("kinh phí mua máy bơm chữa cháy rừng huyện Kế Sách", 5)
    assert "Không tìm thấy" in page.answer and "không nói về huyện Kế Sách" in page.answer


def test_a_paste_ending_with_a_question_shows_its_source_and_the_question_answered(app):
    paste = pasted_paragraph()
    page = app.page(f"{paste} Vậy nhà thầu nào trúng thầu gói thu gom rác?", 5)
    assert 'id="tc-quote"' in page.answer and "Không tìm thấy" in page.answer
    page = app.page(paste, 5)
    assert 'id="tc-quote"' in page.answer and "Không tìm thấy" not in page.answer


def test_status_shows_count_and_time(app):
    page = app.page("thùng phân loại rác", 4)
    assert page.status.startswith("**4** kết quả · ") and page.status.endswith(" ms")
    assert len(page.items) == 4 and page.items[0].doc == "ubnd_plan_pipetable.txt"


def test_filters_in_ui(app):
    choices = app.filter_choices()
    assert ("2024", "2024") in choices["year"]
    assert any(v == "luat_mau.txt" for _, v in choices["doc"])
    out = app.search_json("hỗ trợ kinh phí", 10, doc="luat_mau.txt")
    assert out["results"] and {r["doc"] for r in out["results"]} == {"luat_mau.txt"}
    out = app.search_json("kinh phí", 10, kind="table_row", year="2024")
    assert out["results"] and all(r["kind"] == "table_row" for r in out["results"])


def test_facets_count_the_unfiltered_top_hits(app):
    page = app.page("kinh phí", 5, year="2024")
    unfiltered = app.searcher().search("kinh phí", 50)
    assert page.facets == facet_counts(unfiltered)
    assert sum(page.facets["kind"].values()) == len(unfiltered)
    assert "đang lọc: năm 2024" in page.status
    choices = app.filter_choices(page.facets)
    n2024 = page.facets["year"]["2024"]
    assert (f"2024 ({n2024})", "2024") in choices["year"]
    assert ("Tất cả các năm", "") in choices["year"]  # "all" carries no count
    assert any(label.startswith("Dòng bảng (") for label, _ in choices["kind"])


def test_timeline_only_when_two_documents_mention_the_subject(app):
    page = app.page("trạm đọc sách cộng đồng hỗ trợ kinh phí", 5)
    assert 'id="tc-timeline-box"' in page.timeline
    assert page.timeline.index("27/06/2024") < page.timeline.index("14/01/2025")
    assert app.page("thùng phân loại rác 3 ngăn", 5).timeline == ""


def test_export_selected_or_all(app, tmp_path):
    from docx import Document

    page = app.page("trạm đọc sách cộng đồng", 4)
    docx_path, md_path, note = app.export(page.query, page.items)
    assert "cả 4 kết quả" in note
    text = "\n".join(p.text for p in Document(str(docx_path)).paragraphs)
    assert all(i.citation in text for i in page.items)
    picked = [page.items[1].chunk_id, page.items[3].chunk_id]
    docx_path, md_path, note = app.export(page.query, page.items, picked)
    assert note == "Sẽ xuất 2 kết quả đã chọn."
    md = md_path.read_text(encoding="utf-8")
    assert page.items[1].citation in md and md.count("**") == 4
    assert app.export("x", []) == (None, None, "")


def test_export_folder_of_its_own_goes_with_the_process(fixture_index):
    """Without a configured folder, exports go to a temporary one removed at exit."""
    code = "import sys; from search.ui.app import App; print(App(sys.argv[1]).export_dir())"
    out = subprocess.run(
        [sys.executable, "-c", code, str(fixture_index)],
        capture_output=True, text=True, cwd=ROOT, check=True,
    )  # fmt: skip
    folder = out.stdout.strip()
    assert "tracuu-export-" in folder and not Path(folder).exists()


SAMPLE = NOTICE  # a small new document to upload


@pytest.fixture
def writable(tmp_path, encoder):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("luat_mau.txt", "nghidinh_mau.txt"):
        shutil.copy(FIXTURES / name, corpus / name)
    index = tmp_path / "index"
    build(corpus, index, encoder)
    upload = tmp_path / "upload" / "ben_pha.txt"
    upload.parent.mkdir()
    upload.write_text(SAMPLE, encoding="utf-8")
    app = App(index, searcher=Searcher(index, encoder=encoder), corpus=corpus)
    return app, DocumentService(corpus, index, lambda: encoder), upload


def test_adding_a_document(writable, monkeypatch):
    app, service, upload = writable
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    assert "đang tắt" in service.add("x", [str(upload)]).report()
    monkeypatch.setenv(PASSWORD_ENV, "dung-roi")
    wrong = service.add("sai", [str(upload)])
    assert wrong.wrong_password and wrong.report() == "⚠️ Sai mật khẩu. Chưa lưu tệp nào."
    assert not (app.corpus / "ben_pha.txt").exists()
    steps = []
    done = service.add("dung-roi", [str(upload)], on_progress=lambda f, m: steps.append(f))
    report = done.report()
    assert done.added == ["ben_pha.txt"] and not done.wrong_password
    assert report.startswith("✔ Đã thêm: ben_pha.txt.") and "thêm 1" in report
    assert steps and steps[-1] == 1.0
    # The running searcher follows the new index generation.
    assert app.searcher().search("bến phà Cái Keo", k=1)[0].doc == "ben_pha.txt"
    assert any(v == "ben_pha.txt" for _, v in app.filter_choices()["doc"])


def test_added_document_that_cannot_be_read_is_taken_back_out(writable, monkeypatch, tmp_path):
    app, service, _ = writable
    monkeypatch.setenv(PASSWORD_ENV, "p")
    bad = tmp_path / "rong.txt"
    bad.write_bytes(b"\x00\x01\x02" * 50)
    report = service.add("p", [str(bad)]).report()
    assert "rong.txt" in report and "không được thêm" in report
    assert not (app.corpus / "rong.txt").exists()


def test_a_word_document_can_be_added(writable, monkeypatch, tmp_path):
    from docx import Document

    app, service, _ = writable
    monkeypatch.setenv(PASSWORD_ENV, "p")
    doc = Document()
    for line in SAMPLE.replace("bến phà Cái Keo", "kênh Xáng Phụng Hiệp").splitlines():
        doc.add_paragraph(line)
    path = tmp_path / "nao_vet.docx"
    doc.save(str(path))
    assert service.add("p", [str(path)]).report().startswith("✔ Đã thêm: nao_vet.docx.")
    assert app.searcher().search("kênh Xáng Phụng Hiệp", k=1)[0].doc == "nao_vet.docx"


def test_pages_of_a_pdf_are_shown_beside_the_lines(fixture_index):
    from dataclasses import replace

    from search.ui.render import where

    chunk = Searcher(fixture_index, encoder=HashingEncoder()).search("trạm đọc sách", k=1)[0].chunk
    assert where(chunk) == f"dòng {chunk.line_start}–{chunk.line_end}"
    assert where(replace(chunk, page_start=3, page_end=3)).endswith(" · trang 3")
    assert where(replace(chunk, page_start=3, page_end=4)).endswith(" · trang 3–4")
