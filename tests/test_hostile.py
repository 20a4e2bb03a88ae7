"""Hostile input (issue 13): no file stops the ingest.

One test per finding of the hostile-input review: each asserts the one-line message and,
through the worker's report, a time and memory budget. Every file is generated here (see
hostile.py); nothing large is kept in git. Files are read in sandboxed workers, as in
production; the encoder is the fast fake.
"""

import contextlib
import json
import os
import signal
import threading
import time

import hostile
import pytest
from conftest import FIXTURES, copy_fixtures
from fakes import HashingEncoder

from search import Searcher
from search.cli import ingest_main
from search.extract import extract
from search.index import store, workers
from search.index.ingest import build
from search.index.reading import ReadTask
from search.index.workers import Limits, read_files
from search.records import DocMeta
from search.text.display import display_name

MB = 1024 * 1024
GOOD = ["luat_mau.txt", "chithi_markdown.txt"]
BOMB = "tệp .docx nén bất thường (tỉ lệ nén "


@pytest.fixture
def small_corpus(tmp_path):
    """Two good documents: enough to see that the others are still indexed, fast to index."""
    return copy_fixtures(tmp_path / "corpus", GOOD)


def ingest(corpus, index, **kw):
    return build(corpus, index, HashingEncoder(), **kw)


def one_line(report, name):
    """The report's problem for ``name``: there is one, and it is one line."""
    problems = dict(report.failed)
    assert name in problems, report.failed
    assert "\n" not in problems[name] and "\n" not in name
    return problems[name]


def warnings_of(report, name):
    found = [w for f, w in report.warnings if f == name]
    assert all("\n" not in w for w in found)
    return found


def within_budget(report, name, seconds=10.0, rss_mb=1024):
    stats = report.reads[name]
    assert stats.wall_seconds < seconds, stats
    assert 0 < stats.peak_rss_mb < rss_mb, stats


def searchable(index, query, doc):
    hits = Searcher(index, encoder=HashingEncoder()).search(query, k=10)
    return any(h.doc == doc for h in hits)


# -- .docx bombs --------------------------------------------------------------------------


def test_cell_spanning_two_billion_columns(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    hostile.docx_grid_span(corpus / "luoi.docx")
    report = ingest(corpus, tmp_path / "i")
    assert report.added == ["luoi.docx"] and not report.failed
    within_budget(report, "luoi.docx", seconds=10, rss_mb=1024)
    rows = [line for line in extract(corpus / "luoi.docx", "luoi.docx").text.split("\n")]
    assert max(line.count("\t") for line in rows) < 64  # clamped to the grid


@pytest.mark.parametrize(
    ("start", "fmt", "label"),
    [(10**15, "upperRoman", "MMMCMXCIX."), (2 * 10**9, "lowerLetter", "o" * 385 + ".")],
    ids=["roman", "letters"],
)
def test_list_numbering_that_starts_absurdly_high(tmp_path, start, fmt, label):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    hostile.docx_numbering(corpus / "so.docx", start, fmt)
    report = ingest(corpus, tmp_path / "i")
    assert report.added == ["so.docx"]
    within_budget(report, "so.docx", seconds=10, rss_mb=512)
    first = extract(corpus / "so.docx", "so.docx").text.split("\n")[0]
    assert first.startswith(label + " Nhiệm vụ thứ 1")  # 9999, shown as Word would


def test_docx_unzipping_to_a_lot_of_xml(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    hostile.docx_xml_bomb(corpus / "bom.docx", unpacked_mb=20)
    report = ingest(corpus, tmp_path / "i")
    assert one_line(report, "bom.docx").startswith(BOMB)
    within_budget(report, "bom.docx", seconds=2, rss_mb=256)


def test_docx_holding_whitespace(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    hostile.docx_whitespace(corpus / "rong.docx", unpacked_mb=64)
    report = ingest(corpus, tmp_path / "i")
    assert one_line(report, "rong.docx").startswith(BOMB)
    within_budget(report, "rong.docx", seconds=2, rss_mb=256)


@pytest.mark.slow
def test_full_size_bombs(tmp_path):
    """The review's sizes: 150 MB of XML, and 1 GiB of whitespace, from under 1.1 MB each."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    hostile.docx_xml_bomb(corpus / "bom.docx", unpacked_mb=150)
    hostile.docx_whitespace(corpus / "rong.docx", unpacked_mb=1024)
    report = ingest(corpus, tmp_path / "i")
    for name in ("bom.docx", "rong.docx"):
        assert one_line(report, name).startswith(BOMB)
        within_budget(report, name, seconds=2, rss_mb=256)


# -- text ---------------------------------------------------------------------------------


def test_a_text_file_on_one_line(small_corpus, tmp_path, monkeypatch):
    monkeypatch.setenv("TRACUU_MAX_PASSAGES", "300")  # the review's 5 MB: see the slow test
    hostile.one_line_text(small_corpus / "mot_dong.txt", size_mb=1)
    report = ingest(small_corpus, tmp_path / "i")
    assert sorted(report.added) == ["chithi_markdown.txt", "luat_mau.txt", "mot_dong.txt"]
    notes = warnings_of(report, "mot_dong.txt")
    assert notes[0].startswith("có dòng dài ") and notes[0].endswith(": đã tách theo câu")
    assert notes[1].startswith("có ") and "chỉ lập chỉ mục 300 đoạn đầu" in notes[1]
    within_budget(report, "mot_dong.txt", seconds=10, rss_mb=512)
    assert searchable(tmp_path / "i", "Nhiệm vụ số 17 Hòn Khoai", "mot_dong.txt")


@pytest.mark.slow
def test_five_megabytes_on_one_line(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    hostile.one_line_text(corpus / "mot_dong.txt", size_mb=5)
    t0 = time.perf_counter()
    report = ingest(corpus, tmp_path / "i")
    assert time.perf_counter() - t0 < 60
    notes = warnings_of(report, "mot_dong.txt")
    assert notes[0].startswith("có dòng dài ") and notes[0].endswith(": đã tách theo câu")
    assert "chỉ lập chỉ mục 2000 đoạn đầu" in notes[1]
    assert report.total_chunks == 2000
    within_budget(report, "mot_dong.txt", seconds=30, rss_mb=512)


def test_identical_passages_are_kept_once(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    hostile.repeated_text(corpus / "lap.txt", times=3000)
    report = ingest(corpus, tmp_path / "i")
    assert report.collapsed > 500 and report.total_chunks <= 3
    assert f"gộp {report.collapsed} đoạn trùng" in report.summary()


# -- limits enforced by the sandbox -------------------------------------------------------

SLOW_MB = 15  # a one-line file this large takes about 3 s of CPU to read


def read(folder, names, **kw):
    """Read files of ``folder`` through the worker pool, as ingest does; results by name."""
    tasks = [ReadTask(str(folder / n), n, str(folder), f"{i:064d}") for i, n in enumerate(names)]
    return {r.rel: r for r in read_files(tasks, **kw)}


@pytest.mark.parametrize(
    ("limits", "problem"),
    [
        (Limits(cpu_seconds=1), "vượt giới hạn thời gian khi đọc tệp (quá 1 s CPU)"),
        (Limits(wall_seconds=1.5), "vượt giới hạn thời gian khi đọc tệp (quá 1,5 s)"),
    ],
    ids=["cpu", "wall"],
)
def test_cpu_and_wall_clock_limits(small_corpus, limits, problem):
    hostile.one_line_text(small_corpus / "cham.txt", size_mb=SLOW_MB)
    results = read(small_corpus, ["cham.txt", *GOOD], workers=1, limits=limits)
    assert results["cham.txt"].problem == problem
    assert all(results[name].ok for name in GOOD)  # read by the worker that replaced it


def test_memory_limit(small_corpus):
    # 19 MB of text needs about 370 MB to parse; a worker starts with about 60 MB.
    text = (FIXTURES / "luat_mau.txt").read_text(encoding="utf-8")
    with open(small_corpus / "lon.txt", "w", encoding="utf-8") as f:
        for i in range(19 * MB // len(text.encode())):
            f.write(text.replace("Điều", f"Điều {i}."))
    results = read(small_corpus, ["lon.txt", *GOOD], workers=1, limits=Limits(memory_mb=150))
    assert results["lon.txt"].problem == "vượt giới hạn bộ nhớ khi đọc tệp (150 MB)"
    assert all(results[name].ok for name in GOOD)


@pytest.mark.slow
def test_limits_during_an_ingest(small_corpus, tmp_path):
    hostile.one_line_text(small_corpus / "cham.txt", size_mb=SLOW_MB)
    report = ingest(small_corpus, tmp_path / "i", limits=Limits(cpu_seconds=1))
    assert one_line(report, "cham.txt") == "vượt giới hạn thời gian khi đọc tệp (quá 1 s CPU)"
    assert sorted(report.added) == sorted(GOOD)
    assert searchable(tmp_path / "i", "trạm đọc sách cộng đồng hiệu lực", "luat_mau.txt")


def test_a_worker_that_dies_is_replaced(small_corpus, tmp_path, monkeypatch):
    hostile.one_line_text(small_corpus / "cham.txt", size_mb=SLOW_MB)
    real_send = workers._Worker.send

    def send(worker, task):  # the worker given the slow file crashes while it reads
        real_send(worker, task)
        if task.rel == "cham.txt":
            threading.Timer(0.5, os.kill, (worker.process.pid, signal.SIGSEGV)).start()

    monkeypatch.setattr(workers._Worker, "send", send)
    report = ingest(small_corpus, tmp_path / "i", readers=1)
    assert one_line(report, "cham.txt") == "tiến trình đọc tệp dừng đột ngột (SIGSEGV)"
    assert sorted(report.added) == sorted(GOOD)  # read by the worker that replaced it


# -- many bad files, and good ones --------------------------------------------------------


def test_everything_together_with_good_files(fixture_corpus, tmp_path):
    index = tmp_path / "i"
    ingest(fixture_corpus, index)
    # A file indexed before turns hostile; bombs and junk arrive beside the good files.
    hostile.docx_xml_bomb(tmp_path / "bom.docx", unpacked_mb=20)
    (fixture_corpus / "luat_mau.txt").write_bytes((tmp_path / "bom.docx").read_bytes())
    hostile.docx_grid_span(fixture_corpus / "luoi.docx")
    hostile.docx_numbering(fixture_corpus / "la_ma.docx", 10**15, "upperRoman")
    hostile.docx_numbering(fixture_corpus / "chu.docx", 2 * 10**9, "lowerLetter")
    hostile.docx_xml_bomb(fixture_corpus / "bom.docx", unpacked_mb=20)
    hostile.docx_whitespace(fixture_corpus / "rong.docx", unpacked_mb=64)
    hostile.one_line_text(fixture_corpus / "mot_dong.txt", size_mb=0.2)
    hostile.scanned_pdf(fixture_corpus / "scan.pdf")
    (fixture_corpus / "scan_ban_sao.pdf").write_bytes((fixture_corpus / "scan.pdf").read_bytes())
    (fixture_corpus / "so.txt.meta.json").write_text('{"number": 5}', encoding="utf-8")
    (fixture_corpus / "so.txt").write_text("KẾ HOẠCH\n1. Trồng cây xanh.", encoding="utf-8")
    os.symlink("/etc/passwd", fixture_corpus / "mat_khau.txt")
    (fixture_corpus / "hai\ndòng.txt").write_bytes(b"")

    report = ingest(fixture_corpus, index)
    assert set(dict(report.failed)) == {
        "luat_mau.txt",
        "bom.docx",
        "rong.docx",
        "scan.pdf",
        "scan_ban_sao.pdf",
        "hai\\ndòng.txt",
    }
    assert all("\n" not in f + p for f, p in report.failed + report.warnings)
    assert sorted(report.added) == ["chu.docx", "la_ma.docx", "luoi.docx", "mot_dong.txt", "so.txt"]
    assert len(report.unchanged) == 6  # the good files, untouched
    assert report.index_written
    for name in report.reads:
        within_budget(report, name, seconds=30, rss_mb=1024)
    # Searchable: the good files, the one read before (its old passages), not /etc/passwd.
    assert searchable(index, "sức chứa kho lạnh cảng cá Khánh Hội", "tinhuy_program_tabtable.txt")
    assert searchable(index, "trạm đọc sách cộng đồng hiệu lực", "luat_mau.txt")
    assert searchable(index, "trồng cây xanh", "so.txt")
    assert not searchable(index, "root bin bash daemon nologin", "mat_khau.txt")


def test_two_copies_of_an_unreadable_file(fixture_corpus, tmp_path):
    hostile.scanned_pdf(fixture_corpus / "a.pdf")
    (fixture_corpus / "b.pdf").write_bytes((fixture_corpus / "a.pdf").read_bytes())
    report = ingest(fixture_corpus, tmp_path / "i")
    assert report.failed == [
        ("a.pdf", "không có lớp văn bản (bản scan?)"),
        ("b.pdf", "không có lớp văn bản (bản scan?) (giống hệt tệp a.pdf)"),
    ]
    assert len(report.added) == 7


# -- nothing to index ---------------------------------------------------------------------


def test_empty_corpus_without_an_index_gives_an_empty_index(tmp_path):
    (tmp_path / "corpus").mkdir()
    report = ingest(tmp_path / "corpus", tmp_path / "i")
    assert report.summary().endswith("— chưa có văn bản nào được lập chỉ mục")
    assert Searcher(tmp_path / "i", encoder=HashingEncoder()).search("Hòn Khoai", k=5) == []


def test_corpus_where_every_file_fails_without_an_index(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    hostile.scanned_pdf(corpus / "scan.pdf")
    (corpus / "rong.txt").write_bytes(b"")
    code = ingest_main(["--corpus", str(corpus), "--index", str(tmp_path / "i"), "--quiet",
                        "--model", HashingEncoder.name])  # fmt: skip
    assert code == 1
    assert Searcher(tmp_path / "i", encoder=HashingEncoder()).search("Hòn Khoai", k=5) == []


@pytest.mark.parametrize("corpus_state", ["empty", "every file fails"])
def test_an_existing_index_is_kept(fixture_corpus, tmp_path, corpus_state):
    index = tmp_path / "i"
    ingest(fixture_corpus, index)
    before = store.generation_stamp(index)
    for f in fixture_corpus.iterdir():
        f.unlink()
    if corpus_state == "every file fails":
        hostile.scanned_pdf(fixture_corpus / "scan.pdf")
    report = ingest(fixture_corpus, index)
    assert report.summary().endswith(
        "— không có văn bản nào lập chỉ mục được: giữ nguyên chỉ mục hiện có"
    )
    assert not report.index_written and not report.removed
    assert store.generation_stamp(index) == before
    assert searchable(index, "trạm đọc sách cộng đồng hiệu lực", "luat_mau.txt")


# -- sidecars -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sidecar", "expected"),
    [
        ({"number": 5}, ["trường 'number' phải là chuỗi văn bản, không phải 5"]),
        ({"title": 123}, ["trường 'title' phải là chuỗi văn bản, không phải 123"]),
        ({"year": "abc"}, ["trường 'year' phải là số năm (1900–2100), không phải 'abc'"]),
        (
            {"date": ["x"], "issuer": {"a": 1}},
            [
                "trường 'date' phải là chuỗi văn bản, không phải [\"x\"]",
                "trường 'issuer' phải là chuỗi văn bản, không phải {\"a\": 1}",
            ],
        ),
        (
            {"date": "31/02/2025"},
            ["trường 'date' phải là ngày có thật dạng dd/mm/yyyy, không phải '31/02/2025'"],
        ),
        (
            {"year": 2024, "date": "10/02/2026"},
            [
                "trường 'year' (2024) không khớp với năm của "
                "trường 'date' (10/02/2026), dùng năm 2026"
            ],
        ),
    ],
    ids=["number", "title", "year", "date-issuer", "impossible-date", "year-vs-date"],
)
def test_bad_sidecar_fields_are_left_out(fixture_corpus, tmp_path, sidecar, expected):
    side = fixture_corpus / "luat_mau.txt.meta.json"
    side.write_text(json.dumps({**sidecar, "signer": "Nguyễn Văn A"}), encoding="utf-8")
    index = tmp_path / "i"
    report = ingest(fixture_corpus, index)
    assert not report.failed and len(report.added) == 7
    assert warnings_of(report, "luat_mau.txt") == [
        f"luat_mau.txt.meta.json: {line}" for line in expected
    ]
    meta = json.loads((store.current_generation(index) / "manifest.json").read_text("utf-8"))
    meta = meta["documents"]["luat_mau.txt"]["meta"]
    assert meta["signer"] == "Nguyễn Văn A"  # the good field applies
    assert meta["number"] == "99/2024/QH15" and isinstance(meta["year"], int)
    hits = Searcher(index, encoder=HashingEncoder()).search("trạm đọc sách", k=3)
    assert "['x']" not in hits[0].citation and "{'a'" not in hits[0].citation


def test_bad_values_in_an_old_index_are_not_trusted(fixture_corpus, tmp_path):
    index = tmp_path / "i"
    ingest(fixture_corpus, index)
    manifest_path = store.current_generation(index) / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    meta = manifest["documents"]["luat_mau.txt"]["meta"]
    meta.update(year="abc", date=["x"], issuer={"a": 1})  # what an older ingest accepted
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    assert DocMeta.from_json(meta).year is None
    assert Searcher(index, encoder=HashingEncoder()).search("trạm đọc sách", k=3)
    # The next ingest reads the file again, so the stored citations are rebuilt too.
    report = ingest(fixture_corpus, index)
    assert report.updated == ["luat_mau.txt"] and report.index_written
    fixed = json.loads((store.current_generation(index) / "manifest.json").read_text("utf-8"))
    assert fixed["documents"]["luat_mau.txt"]["meta"]["year"] == 2024


# -- links and names ----------------------------------------------------------------------


def test_links_out_of_the_corpus_are_skipped(fixture_corpus, tmp_path):
    os.symlink("/etc/passwd", fixture_corpus / "x.txt")
    os.symlink("../../../../../../../../etc/hostname", fixture_corpus / "y.txt")
    os.symlink(fixture_corpus / "luat_mau.txt", fixture_corpus / "a_luat.txt")  # inside
    report = ingest(fixture_corpus, tmp_path / "i")
    assert warnings_of(report, "x.txt") == ["liên kết trỏ ra ngoài thư mục văn bản, bỏ qua"]
    assert warnings_of(report, "y.txt") == ["liên kết trỏ ra ngoài thư mục văn bản, bỏ qua"]
    # A link inside the corpus: its target is indexed under its own name, the link is a copy.
    assert report.duplicates == [("a_luat.txt", "luat_mau.txt")]
    assert len(report.added) == 7 and not report.failed
    assert not searchable(tmp_path / "i", "root bin bash nologin", "x.txt")


def test_pipes_and_devices_are_not_read(fixture_corpus, tmp_path):
    os.mkfifo(fixture_corpus / "ong.txt")
    os.mkfifo(fixture_corpus / "luat_mau.txt.meta.json")  # would block a reader forever
    report = ingest(fixture_corpus, tmp_path / "i")
    assert warnings_of(report, "ong.txt") == ["không phải tệp thông thường, bỏ qua"]
    assert warnings_of(report, "luat_mau.txt") == [
        "luat_mau.txt.meta.json: không phải tệp thông thường, bỏ qua"
    ]
    assert len(report.added) == 7


def test_a_name_with_a_newline_stays_on_one_line(fixture_corpus, tmp_path, capsys):
    (fixture_corpus / "hai\ndòng.txt").write_bytes(b"")
    (fixture_corpus / "chuông\x07.txt").write_bytes(b"\x00\x01")
    code = ingest_main(["--corpus", str(fixture_corpus), "--index", str(tmp_path / "i"),
                        "--quiet", "--model", HashingEncoder.name])  # fmt: skip
    assert code == 1
    errors = capsys.readouterr().err.strip().split("\n")
    assert len(errors) == 2
    assert errors[0].startswith("Lỗi: chuông\\x07.txt: không phải tệp văn bản")
    assert errors[1] == "Lỗi: hai\\ndòng.txt: tệp rỗng, không có nội dung"


def test_display_name():
    assert display_name("Kế hoạch 01.docx") == "Kế hoạch 01.docx"
    assert display_name("a\nb\tc\x1b.txt") == "a\\nb\\tc\\x1b.txt"
    assert display_name("x\udcff.txt") == "x\\xff.txt"  # a byte that was not UTF-8
    assert display_name("x\u2028y") == "x\\u2028y"


# -- every entrance checks what it is given (CLI, Python API, Gradio API, upload) --------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "abc"], "Năm phải là số"),
        (["--year", "1066"], "Năm phải là số"),
        (["-k", "0"], "-k phải là số nguyên"),
        (["-k", "100000"], "-k phải là số nguyên"),
        (["--doc", "khong_co.txt"], "Không có văn bản 'khong_co.txt' trong chỉ mục"),
    ],
)
def test_cli_filters_are_checked(fixture_index, capsys, args, message):
    from search.cli import search_main

    with pytest.raises(SystemExit) if args[0] == "-k" else contextlib.nullcontext():
        code = search_main(["--index", str(fixture_index), "cảng cá", *args])
        assert code == 2
    # One line says what is wrong (argparse puts its usage lines above it).
    assert message in capsys.readouterr().err.strip().splitlines()[-1]


@pytest.mark.parametrize("query", ["?!...;;", "🙂🙂🙂", "''' OR 1=1 --"])
def test_a_query_without_searchable_words(fixture_index, query):
    from search.errors import QueryError

    s = Searcher(fixture_index, encoder=HashingEncoder())
    if any(ch.isalnum() for ch in query):
        assert s.ask(query, k=3).no_answer  # words, but nothing the documents hold
    else:
        with pytest.raises(QueryError, match="không có từ nào để tìm"):
            s.ask(query, k=3)


def test_python_api_checks_its_arguments(fixture_index):
    from search import Filters
    from search.errors import QueryError

    s = Searcher(fixture_index, encoder=HashingEncoder())
    with pytest.raises(QueryError, match="Năm phải"):
        s.ask("cảng cá", filters=Filters.parse(year="abc"))
    with pytest.raises(QueryError, match="Loại đoạn"):
        Filters.parse(kind="bảng")
    with pytest.raises(QueryError, match="chuỗi ký tự"):
        s.ask(123)  # type: ignore[arg-type]


def test_gradio_api_and_upload_route_refuse_bad_input(fixture_index):
    import httpx
    from gradio_client import Client
    from uiserver import running_ui

    with running_ui(fixture_index, env={"TRACUU_UPLOAD_PASSWORD": ""}) as url:
        client = Client(url, verbose=False)
        for kwargs, message in (
            ({"year": "abc"}, "Năm phải là số"),
            ({"k": "abc"}, "Số kết quả phải là số nguyên"),
            ({"k": -1}, "Số kết quả phải là số nguyên"),
            ({"kind": "bảng"}, "Loại đoạn phải là một trong"),
            ({"doc": "khong_co.txt"}, "Không có văn bản"),
        ):
            out = client.predict(query="cảng cá", api_name="/search", **kwargs)
            assert out["results"] == [] and message in out["error"], kwargs
        # With the add-documents panel off, the server takes no file at all.
        r = httpx.post(f"{url}gradio_api/upload", files={"files": ("x.txt", b"abc")})
        assert r.status_code == 403 and "đang tắt" in r.json()["error"]
