"""The command-line contract: ingest.py and python -m search, called as main([...])."""

import json

import pytest
from fakes import HASHING_MODEL

from search.cli import ingest_main, search_main


@pytest.fixture
def built(fixture_corpus, tmp_path):
    index = tmp_path / "index"
    assert (
        ingest_main(
            [
                "--corpus",
                str(fixture_corpus),
                "--index",
                str(index),
                "--model",
                HASHING_MODEL,
                "--quiet",
            ]
        )
        == 0
    )
    return index


def test_ingest_summary_line(fixture_corpus, tmp_path, capsys):
    code = ingest_main(
        [
            "--corpus",
            str(fixture_corpus),
            "--index",
            str(tmp_path / "i"),
            "--model",
            HASHING_MODEL,
            "--quiet",
        ]
    )
    out = capsys.readouterr().out.strip()
    assert code == 0
    assert out.startswith("thêm 7, cập nhật 0, xóa 0, giữ nguyên 0 — đã mã hóa ")


def test_ingest_json_and_failures(fixture_corpus, tmp_path, capsys):
    (fixture_corpus / "hong.txt").write_bytes(b"")
    code = ingest_main(
        [
            "--corpus",
            str(fixture_corpus),
            "--index",
            str(tmp_path / "i"),
            "--model",
            HASHING_MODEL,
            "--json",
        ]
    )
    cap = capsys.readouterr()
    report = json.loads(cap.out)
    assert code == 1
    assert report["added"] == 7 and report["failed"][0]["file"] == "hong.txt"
    assert set(report) >= {
        "added",
        "updated",
        "removed",
        "unchanged",
        "renamed",
        "duplicates",
        "embedded_chunks",
        "failed",
        "seconds",
    }
    errors = [line for line in cap.err.splitlines() if line.startswith("Lỗi:")]
    assert errors == ["Lỗi: hong.txt: tệp rỗng, không có nội dung"]


def test_ingest_missing_corpus(tmp_path, capsys):
    assert ingest_main(["--corpus", str(tmp_path / "nope"), "--index", str(tmp_path)]) == 2
    assert "không tìm thấy thư mục văn bản" in capsys.readouterr().err


def test_search_json(built, capsys):
    assert search_main(["--index", str(built), "-k", "3", "--json", "mã lạ 0290.3 123 456"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["results"][0]["doc"] == "xss_and_junk.txt"
    assert set(out["results"][0]) == {
        "rank",
        "score",
        "doc",
        "text",
        "citation",
        "section",
        "kind",
        "line_start",
        "line_end",
    }


def test_search_text_output(built, capsys):
    assert search_main(["--index", str(built), "-k", "2", "thùng phân loại rác"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Trả lời: Lắp đặt 140 bộ thùng phân loại rác")
    assert "\n[1] " in out and "Kế hoạch số 12/KH-UBND" in out


def test_batch_round_trip(built, tmp_path, capsys):
    queries = tmp_path / "q.jsonl"
    queries.write_text(
        '{"id": "a", "query": "tổ xung kích phòng cháy"}\n'
        '{"id": "b", "query": "kinh phí mua máy bơm chữa cháy rừng"}\n\n',
        encoding="utf-8",
    )
    assert search_main(["--index", str(built), "--batch", str(queries), "-k", "4"]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [x["id"] for x in lines] == ["a", "b"]
    assert all(len(x["results"]) == 4 and x["no_answer"] is False for x in lines)
    assert "tổ xung kích" in lines[0]["answer"]["text"]
    assert set(lines[0]["answer"]) == {"text", "citation", "doc", "line_start", "line_end"}
    assert [r["rank"] for r in lines[0]["results"]] == [1, 2, 3, 4]


def test_no_answer_lists_nearest(built, capsys):
    assert search_main(["--index", str(built), "--json", "tuyến đường sắt tốc độ cao"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["no_answer"] is True and out["answer"] is None and out["results"]


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("máy bơm chữa cháy rừng năm 2019", "nói về năm khác, không phải năm 2019"),
        ("máy bơm chữa cháy rừng ở huyện Kế Sách", "không nói về huyện Kế Sách"),
        (
            "kênh cấp nước mặn Bảy Háp - Cửa Lớn giai đoạn 3 chủ trì",
            "nói về giai đoạn khác, không phải giai đoạn 3",
        ),
        (
            "kênh cấp nước mặn Bảy Háp - Cửa Lớn đợt 3 chủ trì",
            "nói về đợt khác, không phải đợt 3",
        ),
        (
            "hoàn thành bồi thường giải phóng mặt bằng 20 km kênh trước ngày nào",
            "nói về mức khác, không phải 20 km",
        ),
    ],
)
def test_no_answer_says_why(built, capsys, query, reason):
    assert search_main(["--index", str(built), query]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Không tìm thấy nội dung phù hợp trong các văn bản.\n")
    assert f"Các đoạn gần nhất {reason}." in out


def test_the_amount_a_passage_states_is_answered(built, capsys):
    query = "hoàn thành bồi thường giải phóng mặt bằng 14,2 km kênh trước ngày nào"
    assert search_main(["--index", str(built), query]) == 0
    assert "31/5/2025" in capsys.readouterr().out.split("\n")[0]


def test_batch_bad_line(built, tmp_path, capsys):
    queries = tmp_path / "q.jsonl"
    queries.write_text('{"query": "thiếu id"}\n', encoding="utf-8")
    assert search_main(["--index", str(built), "--batch", str(queries)]) == 2
    assert 'q.jsonl:1: mỗi dòng phải là JSON có "id" và "query"' in capsys.readouterr().err


def test_search_errors(tmp_path, built, capsys):
    assert search_main(["--index", str(tmp_path / "none"), "x"]) == 2
    assert "Chưa có chỉ mục" in capsys.readouterr().err
    assert search_main(["--index", str(built), "   "]) == 2
    assert "Hãy nhập nội dung cần tìm" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        search_main(["--index", str(built), "--batch", "q.jsonl", "cả hai"])
