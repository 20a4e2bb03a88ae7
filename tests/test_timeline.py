"""Progress across programmes: mentions of a query's subject grouped by document, by date."""

from pathlib import Path

import pytest
from conftest import CORPUS, parse_fixture

from search.extract import extract
from search.index.analyzer import Analyzer
from search.index.chunker import Chunker
from search.query.query import read_query, subject_of
from search.query.timeline import build_timeline, sort_key
from search.records import Chunk, DocMeta, Hit


def q(text: str):
    return read_query(text, analyzer=Analyzer())


def hits_over(chunks: list[Chunk]) -> list[Hit]:
    return [Hit(rank=i, score=0.0, chunk=c) for i, c in enumerate(chunks, 1)]


@pytest.fixture(scope="module")
def corpus_hits() -> list[Hit]:
    from search.structure.parser import parse_text

    chunks: list[Chunk] = []
    for path in sorted(Path(CORPUS).glob("*.txt")):
        parsed = parse_text(extract(path, path.name).text, doc=path.name)
        chunks += Chunker().chunks(parsed)
    return hits_over(chunks)


def test_subject_drops_aspect_and_question_words():
    assert subject_of("Hòn Khoai tiến độ") == ("hon", "khoai")
    assert subject_of("hon khoai tien do") == ("hon", "khoai")
    assert subject_of("cơ quan nào chủ trì cảng cá Khánh Hội năm 2025") == (
        "cang",
        "ca",
        "khanh",
        "hoi",
    )
    assert subject_of("Khu kinh tế Năm Căn") == ("khu", "kinh", "te", "nam", "can")
    assert subject_of("tiến độ thế nào") == ()


def test_hon_khoai_across_the_real_programmes(corpus_hits):
    stages = build_timeline(q("Hòn Khoai tiến độ"), corpus_hits)
    docs = [s.meta.doc for s in stages]
    # 2024 programme → 2025 programme → the Party programme for 2025-2030.
    assert docs == [
        "001_b083f431a9bc8808.txt",
        "000_68b8ca22028114f3.txt",
        "002_1c682a56ea9093a4.txt",
    ]
    assert [s.when for s in stages] == ["19/01/2024", "19/01/2025", "24/10/2025"]
    assert stages[2].period == "2025 - 2030"
    assert all("Hòn Khoai" in m.name for s in stages for m in s.mentions)
    # The appendix rows bring their progress, deadline and lead-agency cells.
    facts = {h.lower(): v for s in stages[1:] for m in s.mentions for h, v in m.facts}
    assert facts.get("tiến độ thực hiện") == "Bộ Quốc phòng đang lập dự án đầu tư"
    assert facts.get("dự kiến hoàn thành") == "Trước năm 2027"
    assert any("chủ trì" in h for h in facts)


def test_rows_that_only_mention_the_subject_in_passing_are_left_out(corpus_hits):
    stages = build_timeline(q("Hòn Khoai tiến độ"), corpus_hits, per_doc=50)
    names = [m.name for s in stages for m in s.mentions]
    # The Cà Mau - Đất Mũi expressway ends at the Hòn Khoai road; it is not about Hòn Khoai.
    assert not any(n.startswith("Dự án cao tốc Cà Mau - Đất Mũi") for n in names)


def test_fixture_law_then_decree():
    chunks = Chunker().chunks(parse_fixture("nghidinh_mau.txt")) + Chunker().chunks(
        parse_fixture("luat_mau.txt")
    )
    stages = build_timeline(q("trạm đọc sách cộng đồng hỗ trợ kinh phí"), hits_over(chunks))
    assert [s.meta.doc for s in stages] == ["luat_mau.txt", "nghidinh_mau.txt"]
    assert all(s.mentions for s in stages)
    # A sub-task row reads with its parent task's name when only the parent names the subject.
    tinhuy = Chunker().chunks(parse_fixture("tinhuy_program_tabtable.txt"))
    (stage,) = build_timeline(q("Khánh Hội Xanh"), hits_over(tinhuy), per_doc=10)
    assert any(m.facts for m in stage.mentions)


def test_no_subject_no_timeline(corpus_hits):
    assert build_timeline(q("tiến độ"), corpus_hits) == []
    assert build_timeline(q("Hòn Khoai"), []) == []


def test_documents_without_a_date_sort_by_year_and_last_when_unknown():
    assert sort_key(DocMeta(doc="a", date="19/01/2025", year=2025)) == (2025, 1, 19)
    assert sort_key(DocMeta(doc="b", year=2026)) == (2026, 0, 0)
    assert sort_key(DocMeta(doc="c")) > sort_key(DocMeta(doc="d", year=2030))
