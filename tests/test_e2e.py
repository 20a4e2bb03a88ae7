"""End to end with the real default model over corpus/ (slow: run with -m slow)."""

import json
import shutil
import subprocess
import sys

import pytest
from conftest import CORPUS, FIXTURES, ROOT
from uiserver import running_ui

from search import Searcher
from search.cli import ingest_main
from search.text.normalize import clean_line

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def real_index(tmp_path_factory):
    base = tmp_path_factory.mktemp("e2e")
    index = base / "index"
    assert ingest_main(["--corpus", str(CORPUS), "--index", str(index), "--quiet"]) == 0
    return index


@pytest.fixture(scope="module")
def searcher(real_index):
    return Searcher(real_index)


def test_hon_khoai_progress(searcher):
    hits = searcher.search("Hòn Khoai tiến độ", k=3)
    assert any("Hòn Khoai" in h.text for h in hits)
    assert any(
        "Hòn Khoai" in h.text and ("01/CTr-UBND" in h.citation or "01-CT/TU" in h.citation)
        for h in hits
    )


def test_unaccented_query_finds_hon_khoai_first(searcher):
    first = searcher.search("hon khoai tien do", k=1)[0]
    assert "Hòn Khoai" in first.text
    assert searcher.search("Hòn Khoai tiến độ", k=1)[0].chunk.id == first.chunk.id


def test_abbreviation_finds_site_clearance_of_the_airport(searcher):
    first = searcher.search("GPMB cảng hàng không Cà Mau", k=1)[0]
    text = first.text.lower()
    assert "cảng hàng không cà mau" in text
    assert any(w in text for w in ("giải phóng mặt bằng", "gpmb", "thu hồi đất", "bồi thường"))


def test_year_in_query_picks_that_years_programme(searcher):
    first = searcher.search("phương châm hành động năm 2024", k=1)[0]
    assert first.doc == "001_b083f431a9bc8808.txt"
    assert "phương châm hành động" in first.text


def test_no_answer_for_a_topic_the_corpus_lacks(searcher):
    # Topics no document covers, in words the corpus mostly has ("thủ tục", "giá", "cấp").
    # (Not "tiến độ tuyến đường sắt Cần Thơ - Cà Mau": every signal finds a progress row
    # about roads to Cà Mau there, and the decision misses it.)
    for query in ("thủ tục cấp hộ chiếu phổ thông", "giá vé tham quan bảo tàng"):
        r = searcher.ask(query, k=5)
        assert r.no_answer and r.answer is None and len(r.hits) == 5, query
    r = searcher.ask("Hòn Khoai tiến độ", k=5)
    assert not r.no_answer and r.answer is not None and "Hòn Khoai" in r.answer.text


def test_returned_text_is_in_its_source_lines(searcher):
    for query in [
        "Hòn Khoai tiến độ",
        "chỉ tiêu thu ngân sách năm 2024",
        "Đầm Dơi giảm nghèo",
        "cao tốc Cà Mau Đất Mũi tổng mức đầu tư",
        "phương châm ba có ba không",
    ]:
        for h in searcher.search(query, k=10):
            lines = (CORPUS / h.doc).read_text(encoding="utf-8").split("\n")
            span = clean_line(" ".join(lines[h.chunk.line_start - 1 : h.chunk.line_end]))
            if h.chunk.kind == "text":
                for part in h.text.split("\n"):
                    assert clean_line(part) in span, (query, h.doc, h.chunk.line_start)
            else:
                for _, value in h.chunk.cells:
                    assert value in span, (query, h.doc, h.chunk.line_start)


def test_batch_interface_round_trip(real_index, tmp_path):
    queries = tmp_path / "q.jsonl"
    queries.write_text(
        json.dumps({"id": "x1", "query": "Hòn Khoai tiến độ"}, ensure_ascii=False)
        + "\n"
        + json.dumps({"id": "x2", "query": "hon khoai tien do"})
        + "\n",
        encoding="utf-8",
    )
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "search",
            "--index",
            str(real_index),
            "--batch",
            str(queries),
            "-k",
            "5",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in rows] == ["x1", "x2"]
    for r in rows:
        assert len(r["results"]) == 5 and "no_answer" in r
        assert {
            "rank",
            "score",
            "doc",
            "text",
            "citation",
            "section",
            "kind",
            "line_start",
            "line_end",
        } <= set(r["results"][0])
    assert "Hòn Khoai" in out  # written as UTF-8, not \u escapes


def test_ui_answers_through_gradio_client(real_index):
    from gradio_client import Client

    with running_ui(real_index) as url:
        out = Client(url, verbose=False).predict(query="Hòn Khoai tiến độ", k=3, api_name="/search")
    assert any("Hòn Khoai" in r["text"] for r in out["results"])


def test_bad_files_reported_while_others_indexed(real_index, tmp_path, capsys):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    shutil.copy(FIXTURES / "empty.txt", corpus / "empty.txt")
    shutil.copy(FIXTURES / "binary.txt", corpus / "binary.txt")
    index = tmp_path / "index"
    shutil.copytree(real_index, index)  # incremental: nothing needs embedding again
    code = ingest_main(["--corpus", str(corpus), "--index", str(index), "--json"])
    cap = capsys.readouterr()
    report = json.loads(cap.out)
    assert code == 1
    assert sorted(f["file"] for f in report["failed"]) == ["binary.txt", "empty.txt"]
    assert report["unchanged"] == 5 and report["embedded_chunks"] == 0
    err = [line for line in cap.err.splitlines() if line.startswith("Lỗi:")]
    assert len(err) == 2 and all(line.count("\n") == 0 for line in err)
    assert Searcher(index).search("Hòn Khoai", k=1)
