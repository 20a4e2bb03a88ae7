"""The built-in quote scorer, and `evaluate.py` on a query set that has no score.py."""

import json
import subprocess
import sys

from conftest import FIXTURES, ROOT
from fakes import HASHING_MODEL

sys.path.insert(0, str(ROOT / "scripts"))
import goldscore  # noqa: E402


def test_quote_rules():
    passage = "Phụ lục 2 | <b>Cảng</b>  nước sâu Hòn Khoai: trong năm 2025, Sở Xây dựng chủ trì."
    assert goldscore.holds(passage, "cảng nước sâu hòn khoai")  # markup, case, spaces
    long_quote = "Cảng nước sâu Hòn Khoai: trong năm 2025, Sở Xây dựng chủ trì và báo cáo"
    assert goldscore.holds(passage, long_quote)  # a 40-character run is enough
    assert not goldscore.holds(passage, "Cảng cá Khánh Hội")
    assert not goldscore.holds("x" * 1500 + " Hòn Khoai", "Hòn Khoai")  # past the window
    assert goldscore.doc_matches("sub/a.txt", "a.txt") and not goldscore.doc_matches(None, "a")


def test_score_by_hand():
    queries = [
        {"id": "1", "kind": "k", "evidence": [{"doc": "a.txt", "quote": "Hòn Khoai"}]},
        {"id": "2", "kind": "k", "evidence": [{"doc": "a.txt", "quote": "Cái Keo"}]},
        {"id": "3", "answerable": False, "evidence": []},
    ]
    results = [
        {
            "id": "1",
            "results": [
                {"doc": "b.txt", "text": "Hòn Khoai"},
                {"doc": "a.txt", "text": "Hòn Khoai"},
            ],
        },
        {"id": "2", "results": [{"doc": "a.txt", "text": "khác"}], "no_answer": True},
        {"id": "3", "results": [], "no_answer": True},
    ]
    s = goldscore.score(queries, results)
    assert (s["hit@1"], s["hit@3"], s["mrr@10"]) == (0.0, 0.5, 0.25)
    assert s["no_answer_caught"] == "1/1" and s["no_answer_false_alarms"] == 1
    assert s["misses"] == ["2"]


def test_evaluate_own_documents_without_a_scorer(tmp_path):
    queries = tmp_path / "q.jsonl"
    rows = [
        {
            "id": "a",
            "query": "giờ phát bản tin dự báo cháy rừng",
            "kind": "question",
            "evidence": [{"doc": "chithi_markdown.txt", "quote": "18 giờ 30 phút"}],
        },
        {"id": "b", "query": "tuyến đường sắt ra cảng cá", "answerable": False, "evidence": []},
    ]
    queries.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    corpus = tmp_path / "docs"
    corpus.mkdir()
    for name in ("chithi_markdown.txt", "luat_mau.txt"):
        (corpus / name).write_bytes((FIXTURES / name).read_bytes())
    cmd = [sys.executable, "scripts/evaluate.py", "--corpus", str(corpus), "--model", HASHING_MODEL]
    cmd += ["--queries", str(queries), "--latency-runs", "1"]
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert "goldscore.py:" in out and "no-answer caught: 1/1" in out
    summary = json.loads(out.split("goldscore.py:", 1)[1])
    assert summary["n"] == 1 and summary["hit@1"] == 1.0
