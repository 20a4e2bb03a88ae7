"""The UI answers through Gradio's client, and renders document text escaped."""

from html.parser import HTMLParser

from uiserver import running_ui

from search import HashingEncoder, Searcher
from search.render import highlight, result_card
from search.webapp import App


def test_api_search_through_gradio_client(fixture_index):
    from gradio_client import Client

    with running_ui(fixture_index) as url:
        client = Client(url, verbose=False)
        out = client.predict(query="thùng phân loại rác", k=3, api_name="/search")
        assert out["no_answer"] is False and len(out["results"]) == 3
        assert out["results"][0]["doc"] == "ubnd_plan_pipetable.txt"
        assert "12/KH-UBND" in out["results"][0]["citation"]
        empty = client.predict(query="  ", k=3, api_name="/search")
        assert empty["results"] == [] and "Hãy nhập" in empty["error"]


def test_ui_binds_loopback_by_default(fixture_index):
    with running_ui(fixture_index) as url:
        assert url.startswith("http://127.0.0.1:")


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


def test_cards_escape_document_text(fixture_index):
    s = Searcher(fixture_index, encoder=HashingEncoder())
    hit = next(
        h for h in s.search("số điện thoại đăng ký tiếp công dân", k=5) if "<script>" in h.text
    )
    html = result_card(hit, "tiếp công dân")
    tags, attrs = parsed_elements(html)
    assert tags <= {"article", "header", "span", "div", "mark", "button"}
    assert not any(a.startswith("on") for a in attrs)
    assert "&lt;script&gt;" in html
    assert "&amp;lt;b&amp;gt;" in html  # an entity in the source shows as written


def test_highlight_ignores_diacritics():
    out = highlight("Cảng Hòn Khoai <b>", {"hon", "khoai"})
    assert out == "Cảng <mark>Hòn</mark> <mark>Khoai</mark> &lt;b&gt;"


def test_messages_for_missing_index_and_empty_query(tmp_path, fixture_index):
    status, top, body = App(tmp_path / "none").search_html("Hòn Khoai", 5)
    assert "Chưa có chỉ mục" in status and body == ""
    status, _, _ = App(fixture_index).search_html("", 5)
    assert "Hãy nhập nội dung cần tìm" in status


def test_answer_and_no_answer_panels(fixture_index):
    app = App(fixture_index, searcher=Searcher(fixture_index, encoder=HashingEncoder()))
    _, top, cards = app.search_html("kinh phí mua máy bơm chữa cháy rừng", 5)
    assert 'id="tc-answer"' in top and "3,2 tỷ đồng" in top
    _, top, cards = app.search_html("tuyến đường sắt tốc độ cao", 5)
    assert "Không tìm thấy nội dung phù hợp trong các văn bản" in top and "“sắt”" in top
    assert cards.count("Đoạn gần nhất") == 5


def test_filters_in_ui(fixture_index):
    app = App(fixture_index, searcher=Searcher(fixture_index, encoder=HashingEncoder()))
    choices = app.filter_choices()
    assert ("2024", "2024") in choices["year"]
    assert any(v == "luat_mau.txt" for _, v in choices["doc"])
    out = app.search_json("hỗ trợ kinh phí", 10, doc="luat_mau.txt")
    assert out["results"] and {r["doc"] for r in out["results"]} == {"luat_mau.txt"}
    out = app.search_json("kinh phí", 10, kind="table_row", year="2024")
    assert out["results"] and all(r["kind"] == "table_row" for r in out["results"])
