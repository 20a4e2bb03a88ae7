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
from search.textnorm import clean_line

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


@pytest.mark.parametrize(
    "query, doc, quote",
    [
        ("hon khoai tien do", None, "Hòn Khoai"),
        ("GPMB cảng hàng không Cà Mau", None, "Cảng hàng không Cà Mau"),
        ("phương châm hành động năm 2024", "001_b083f431a9bc8808.txt", "phương châm hành động"),
    ],
)
def test_first_result_is_on_topic(searcher, query, doc, quote):
    first = searcher.search(query, k=1)[0]
    assert quote.lower() in first.text.lower()
    if doc:
        assert first.doc == doc


def test_returned_text_is_in_its_source_lines(searcher):
    for query in ["Hòn Khoai tiến độ", "chỉ tiêu thu ngân sách năm 2024", "Đầm Dơi giảm nghèo",
                  "cao tốc Cà Mau Đất Mũi tổng mức đầu tư", "phương châm ba có ba không"]:
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
        json.dumps({"id": "x1", "query": "Hòn Khoai tiến độ"}, ensure_ascii=False) + "\n"
        + json.dumps({"id": "x2", "query": "hon khoai tien do"}) + "\n",
        encoding="utf-8",
    )
    out = subprocess.run(
        [sys.executable, "-m", "search", "--index", str(real_index), "--batch", str(queries),
         "-k", "5"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in rows] == ["x1", "x2"]
    for r in rows:
        assert len(r["results"]) == 5 and "no_answer" in r
        assert {"rank", "score", "doc", "text", "citation", "section", "kind", "line_start",
                "line_end"} <= set(r["results"][0])
    assert "Hòn Khoai" in out  # written as UTF-8, not \u escapes


def test_ui_answers_through_gradio_client(real_index):
    from gradio_client import Client

    with running_ui(real_index) as url:
        out = Client(url, verbose=False).predict(query="Hòn Khoai tiến độ", k=3,
                                                 api_name="/search")
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
