"""Bad input: one line naming the file and the problem; other files indexed; nothing lost."""

import os

import pytest
from conftest import FIXTURES, indexed_chunks, parse_fixture
from fakes import HashingEncoder
from hypothesis import given, settings
from hypothesis import strategies as st

from search import Searcher
from search.index import ingest as indexer_mod
from search.index.chunker import Chunker
from search.index.ingest import build
from search.structure.parser import parse_text


def failures(corpus, index):
    report = build(corpus, index, HashingEncoder())
    assert len(report.added) + len(report.unchanged) >= 7  # the good files are indexed
    return dict(report.failed)


def test_empty_and_binary(fixture_corpus, tmp_path):
    (fixture_corpus / "rong.txt").write_bytes(b"")
    (fixture_corpus / "khoang_trang.txt").write_text("  \n\n \t\n", encoding="utf-8")
    (fixture_corpus / "rac.txt").write_bytes((FIXTURES / "binary.txt").read_bytes())
    failed = failures(fixture_corpus, tmp_path / "i")
    assert failed["rong.txt"] == "tệp rỗng, không có nội dung"
    assert failed["khoang_trang.txt"] == "tệp rỗng, không có nội dung"
    assert failed["rac.txt"].startswith("không phải tệp văn bản")


def test_too_big_file(fixture_corpus, tmp_path):
    line = "Nội dung lặp lại để tạo tệp rất lớn. " * 20 + "\n"
    with open(fixture_corpus / "khong_lo.txt", "w", encoding="utf-8") as f:
        for _ in range(50 * 2**20 // len(line.encode())):
            f.write(line)
    failed = failures(fixture_corpus, tmp_path / "i")
    assert (
        failed["khong_lo.txt"].startswith("tệp quá lớn (")
        and "tối đa 20 MB" in failed["khong_lo.txt"]
    )


def test_symlink_loop(fixture_corpus, tmp_path):
    os.symlink(fixture_corpus / "vong_b.txt", fixture_corpus / "vong_a.txt")
    os.symlink(fixture_corpus / "vong_a.txt", fixture_corpus / "vong_b.txt")
    failed = failures(fixture_corpus, tmp_path / "i")
    assert failed["vong_a.txt"] == "liên kết tượng trưng (symlink) tạo vòng lặp"


def test_unreadable_file(fixture_corpus, tmp_path, monkeypatch):
    locked = fixture_corpus / "khoa.txt"
    locked.write_text("CHỈ THỊ\nVề việc thử", encoding="utf-8")
    real = indexer_mod._fingerprint

    def deny(path):
        if path.name == "khoa.txt":  # root ignores chmod, so refuse like the OS would
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(indexer_mod, "_fingerprint", deny)
    assert failures(fixture_corpus, tmp_path / "i")["khoa.txt"] == "không có quyền đọc tệp"


def test_file_deleted_during_the_run(fixture_corpus, tmp_path, monkeypatch):
    real = indexer_mod._fingerprint

    def vanish(path):
        digest = real(path)
        if path.name == "luat_mau.txt":  # gone after it was listed, before it is read
            path.unlink()
        return digest

    monkeypatch.setattr(indexer_mod, "_fingerprint", vanish)
    report = build(fixture_corpus, tmp_path / "i", HashingEncoder())
    assert dict(report.failed) == {
        "luat_mau.txt": "tệp không còn tồn tại (bị xóa trong lúc lập chỉ mục?)"
    }
    assert len(report.added) == 6


def test_nothing_indexed_is_lost_when_a_file_turns_bad(fixture_corpus, tmp_path):
    index = tmp_path / "i"
    build(fixture_corpus, index, HashingEncoder())
    (fixture_corpus / "chithi_markdown.txt").write_bytes(b"")
    report = build(fixture_corpus, index, HashingEncoder())
    assert [f for f, _ in report.failed] == ["chithi_markdown.txt"]
    s = Searcher(index, encoder=HashingEncoder())
    assert any(c.doc == "chithi_markdown.txt" for c in indexed_chunks(s))


def test_sidecar_with_bad_json(fixture_corpus, tmp_path):
    (fixture_corpus / "luat_mau.txt.meta.json").write_text("{hỏng", encoding="utf-8")
    report = build(fixture_corpus, tmp_path / "i", HashingEncoder())
    assert len(report.added) == 6
    assert dict(report.failed)["luat_mau.txt"].startswith("luat_mau.txt.meta.json: không đọc được")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=2000))
def test_parser_never_crashes_on_arbitrary_text(text):
    doc = parse_text(text, doc="x.txt")
    for chunk in Chunker().chunks(doc):
        assert chunk.line_start <= chunk.line_end
        assert chunk.text.strip()


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "I. MỤC",
                "1.",
                "a)",
                "- x",
                "+ y",
                "PHỤ LỤC 2",
                "STT",
                "TT",
                "1",
                "II",
                "A",
                "-",
                "a\tb\tc",
                "| a | b |",
                "|---|---|",
                "Điều 3.",
                "Chương I",
                "(Kèm theo Kế hoạch số 1/KH)",
                "Nơi nhận:",
                "TM. ỦY BAN NHÂN DÂN",
                "[1] chú thích",
                "",
                "Tổng số",
                "**đậm**",
            ]
        ),
        max_size=60,
    )
)
def test_parser_never_crashes_on_structure_soup(lines):
    doc = parse_text("\n".join(lines), doc="x.txt")
    list(Chunker().chunks(doc))


def test_parser_handles_crlf_and_bom():
    text = (FIXTURES / "chithi_markdown.txt").read_text(encoding="utf-8")
    a = parse_fixture("chithi_markdown.txt")
    b = parse_text("\ufeff" + text.replace("\n", "\r\n"), doc="chithi_markdown.txt")
    assert [u.text for u in a.units] == [u.text for u in b.units]


@pytest.mark.parametrize("name", ["empty.txt", "binary.txt"])
def test_junk_fixtures_are_refused(name, tmp_path):
    from search.errors import DocumentError
    from search.extract import extract

    with pytest.raises(DocumentError) as err:
        extract(FIXTURES / name, name).text
    assert "\n" not in str(err.value) and str(err.value).startswith(name)
