"""End to end with the real default model over a corpus of a law and its decree mixed with
a programme (slow): provisions addressed by number, answers cited by clause and point."""

import pytest
from conftest import copy_fixtures

from search import Searcher
from search.cli import ingest_main

pytestmark = pytest.mark.slow

DOCS = ("luat_mau.txt", "nghidinh_mau.txt", "ubnd_program_celltable.txt", "chithi_markdown.txt")


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    base = tmp_path_factory.mktemp("e2e_law")
    corpus = copy_fixtures(base / "corpus", DOCS)
    index = base / "index"
    assert ingest_main(["--corpus", str(corpus), "--index", str(index), "--quiet"]) == 0
    return Searcher(index)


@pytest.mark.parametrize(
    "query, doc, article",
    [
        ("Điều 6 Luật Trạm đọc sách cộng đồng", "luat_mau.txt", "Điều 6"),
        ("dieu kien thanh lap tram doc sach", "luat_mau.txt", "Điều 6"),
        ("thời hạn thẩm định hồ sơ đề nghị hỗ trợ", "nghidinh_mau.txt", "Điều 4"),
        ("nghị định 15/2025 có hiệu lực từ ngày nào", "nghidinh_mau.txt", "Điều 6"),
        ("khoản 2 Điều 9", "luat_mau.txt", "Điều 9"),
    ],
)
def test_the_article_that_answers_comes_first(searcher, query, doc, article):
    top = searcher.search(query, k=3)[0]
    assert (top.doc, top.chunk.section[-1]) == (doc, article)
    assert top.citation.startswith(article)


def test_addressed_point_is_the_answer_with_its_citation(searcher):
    r = searcher.ask("điểm b khoản 1 Điều 6 Luật Trạm đọc sách cộng đồng", k=5)
    assert r.answer.text.startswith("b) Có không gian đọc diện tích tối thiểu 15 m²")
    assert r.answer.citation.startswith("điểm b khoản 1 Điều 6 Luật Trạm đọc sách cộng đồng")


def test_answer_from_inside_an_article_is_cited_by_its_point(searcher):
    r = searcher.ask("mức hỗ trợ người phụ trách trạm mỗi tháng", k=5)
    assert r.answer.text.startswith("đ) Hỗ trợ người phụ trách trạm: 500.000 đồng/người/tháng")
    assert r.answer.citation.startswith("điểm đ khoản 1 Điều 3 Nghị định số 15/2025/NĐ-CP")
