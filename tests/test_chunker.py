"""Chunking rules, and a golden file that makes changes to chunk output visible in review."""

import json
import os
from pathlib import Path

from conftest import FIXTURES, TEXT_FIXTURES, parse_fixture

from search.index.chunker import Chunker, ChunkerSettings
from search.records import Hit
from search.structure.parser import parse_text
from search.text.normalize import clean_line

GOLDEN = Path(__file__).parent / "golden" / "chunks.jsonl"


def all_chunks():
    chunker = Chunker()
    for name in TEXT_FIXTURES:
        yield from chunker.chunks(parse_fixture(name))


def test_golden_chunks():
    """Regenerate with UPDATE_GOLDEN=1 after an intended change, and review the diff."""
    lines = [
        json.dumps(
            {
                "doc": c.doc,
                "kind": c.kind,
                "section": " > ".join(c.section),
                "lines": [c.line_start, c.line_end],
                "citation": c.citation,
                "text": c.text,
            },
            ensure_ascii=False,
        )
        for c in all_chunks()
    ]
    got = "\n".join(lines) + "\n"
    if os.environ.get("UPDATE_GOLDEN") or not GOLDEN.exists():
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(got, encoding="utf-8")
    assert got == GOLDEN.read_text(encoding="utf-8")


def test_text_is_verbatim_within_its_lines():
    for c in all_chunks():
        source = (FIXTURES / c.doc).read_text(encoding="utf-8").split("\n")
        span = clean_line(" ".join(source[c.line_start - 1 : c.line_end]).replace("#", ""))
        if c.kind == "text":
            for line in c.text.split("\n"):
                assert clean_line(line) in span, (c.doc, c.line_start, line)
        else:
            for _, value in c.cells:
                assert value in span, (c.doc, c.line_start, value)


def test_chunks_never_cross_sections_and_stay_short():
    settings = ChunkerSettings()
    for c in all_chunks():
        assert len(c.text) <= settings.max_chars + 300, (c.doc, c.line_start)


def test_long_table_cell_is_split_and_keeps_row_identity():
    doc = parse_fixture("tinhuy_program_tabtable.txt")
    parts = [c for c in Chunker().chunks(doc) if c.kind == "table_row" and c.line_start == 99]
    assert len(parts) >= 2
    assert all("Dự án Cảng cá động lực Khánh Hội Xanh" in p.text.split("\n")[0] for p in parts)
    holder = [p for p in parts if "Kho lạnh âm sâu sức chứa 7.300 tấn" in p.text]
    assert holder and holder[0].text.index("Kho lạnh") < 1500


def test_a_row_result_gives_its_cells_under_headings_then_the_row_as_printed():
    """The printed row opens with the row's number under an STT column; a total has none."""
    text = (
        "KẾ HOẠCH\nPhân bổ vắc xin\nPHỤ LỤC\n"
        "STT\tXã, phường\tTổng đàn (con)\tSố liều\tGhi chú\n"
        "1\tVĩnh Lợi\t264.000\t44.000\t\n"
        "2\tBạc Liêu (phường)\t96.000\t16.000\tMẫu dương tính\n"
        "\tTổng cộng\t360.000\t60.000\t\n"
    )
    chunks = Chunker().chunks(parse_text(text, doc="kh.txt"))
    row = next(c for c in chunks if c.kind == "table_row" and "Bạc Liêu" in c.text)
    shown = Hit(rank=1, score=1.0, chunk=row).to_json()["text"]
    assert shown.startswith(row.text) and "Số liều: 16.000" in shown
    assert shown.endswith("\n2 Bạc Liêu (phường) 96.000 16.000 Mẫu dương tính")
    total = next(c for c in chunks if c.kind == "table_row" and "Tổng cộng" in c.text)
    assert (
        Hit(rank=1, score=1.0, chunk=total).to_json()["text"].endswith("\nTổng cộng 360.000 60.000")
    )
    prose = next(c for c in chunks if c.kind == "text")
    assert Hit(rank=1, score=1.0, chunk=prose).to_json()["text"] == prose.text


def test_small_paragraphs_merge_within_a_section():
    doc = parse_fixture("ubnd_plan_pipetable.txt")
    chunks = Chunker(ChunkerSettings(target_chars=2000, max_chars=3000)).chunks(doc)
    first = next(c for c in chunks if c.section == ("I",))
    assert "a) Giảm ít nhất 60%" in first.text  # I, I.1 and its items in one chunk
    assert all("II. NỘI DUNG" not in c.text for c in chunks if c.section[:1] == ("I",))


def _passages(text: str, name: str):
    """The parsed document and its passages' texts."""
    doc = parse_text(text, doc=name)
    return doc, [c.text for c in Chunker().chunks(doc)]


def test_an_appendix_caption_is_a_passage_of_its_own():
    """The caption names the appendix's document: it joins neither the text before it nor
    the line after it ("Mức lương cơ sở tính toán: ..."), which would otherwise go last."""
    doc, texts = _passages(
        "I. MỤC ĐÍCH\n1. Hỗ trợ xây dựng chợ.\nPHỤ LỤC\nMỨC HỖ TRỢ\n"
        "(Kèm theo Nghị quyết số 21/2025/NQ-HĐND ngày 10/12/2025 của HĐND tỉnh)\n"
        "Mức lương cơ sở tính toán: 2.340.000 đồng/tháng\n",
        "nq.txt",
    )
    assert "(Kèm theo Nghị quyết số 21/2025/NQ-HĐND ngày 10/12/2025 của HĐND tỉnh)" in texts
    assert "Mức lương cơ sở tính toán: 2.340.000 đồng/tháng" in texts


def test_a_caption_wrapped_before_its_parenthesis_closes_is_one_passage():
    """A PDF wraps a long caption: its second line is the caption's, and the issuer it names
    is read whole."""
    doc, texts = _passages(
        "1. Đánh giá chung.\nPHỤ LỤC\nTIẾN ĐỘ THU THẬP THÔNG TIN HỘ\n"
        "(Kèm theo Thông báo số 14/TB-BCĐ ngày 18/8/2025 của Ban Chỉ đạo Tổng điều\n"
        "tra nông thôn, nông nghiệp năm 2025 tỉnh)\n"
        "(Số liệu đến 17 giờ ngày 13/8/2025)\n",
        "tb.txt",
    )
    assert (
        "(Kèm theo Thông báo số 14/TB-BCĐ ngày 18/8/2025 của Ban Chỉ đạo Tổng điều\n"
        "tra nông thôn, nông nghiệp năm 2025 tỉnh)"
    ) in texts
    assert doc.meta.number == "14/TB-BCĐ"
    assert doc.meta.issuer == "Ban Chỉ đạo Tổng điều tra nông thôn, nông nghiệp năm 2025 tỉnh"


def test_a_caption_on_the_appendix_label_line_is_a_passage_of_its_own():
    """A PDF may join the label, the title and the caption on one line."""
    doc, texts = _passages(
        "1. Kiểm tra 486 cơ sở.\nPHỤ LỤC: KẾT QUẢ KIỂM TRA CƠ SỞ KINH DOANH DƯỢC "
        "(Kèm theo Báo cáo số 412/BC-SYT ngày 18/9/2026 của Sở Y tế tỉnh Cà Mau)\n"
        "STT\tĐịa bàn\tSố cơ sở được kiểm tra\n1\tPhường An Xuyên\t58\n",
        "bc.txt",
    )
    assert "(Kèm theo Báo cáo số 412/BC-SYT ngày 18/9/2026 của Sở Y tế tỉnh Cà Mau)" in texts
    assert (doc.meta.number, doc.meta.date) == ("412/BC-SYT", "18/09/2026")


def test_embed_text_carries_document_and_headings():
    chunks = list(Chunker().chunks(parse_fixture("chithi_markdown.txt")))
    c = next(c for c in chunks if c.section == ("3", "đ)"))
    assert c.embed_text.startswith("Chỉ thị 07/CT-UBND")
    assert "3. Yêu cầu" in c.embed_text and c.text in c.embed_text


def test_attach_pages_adds_pages_to_citations():
    from search.index.chunker import attach_pages

    doc = parse_fixture("chithi_markdown.txt")
    chunks = Chunker().chunks(doc)
    pages = tuple(1 if n < 30 else 2 for n in range(1, 80))
    paged = attach_pages(chunks, pages)
    early = next(c for c in paged if c.line_end < 30)
    late = next(c for c in paged if c.line_start >= 30)
    assert (early.page_start, early.page_end) == (1, 1) and early.citation.endswith("(trang 1)")
    assert late.citation.endswith("(trang 2)")
    assert attach_pages(chunks, ()) == chunks


def test_a_law_passage_holds_one_article_and_is_cited_by_it():
    chunks = [c for c in Chunker().chunks(parse_fixture("luat_mau.txt")) if c.kind == "text"]
    for c in chunks:
        articles = {line.split(".")[0] for line in c.text.split("\n") if line.startswith("Điều ")}
        assert len(articles) <= 1, c.text
    # The chapter heading opens the first article's passage; the passage is that article's.
    first = next(c for c in chunks if c.text.startswith("Chương I\n"))
    assert first.section == ("Chương I", "Điều 1")
    assert first.citation.startswith("Điều 1 Luật Trạm đọc sách cộng đồng")


def test_a_run_is_cited_by_the_deepest_section_holding_it():
    doc = parse_fixture("ubnd_plan_pipetable.txt")
    chunks = Chunker(ChunkerSettings(target_chars=2000, max_chars=3000)).chunks(doc)
    first = next(c for c in chunks if c.text.startswith("I."))
    assert first.section == ("I",)  # I, then I.1 and its items: the whole of Mục I
    small = Chunker(ChunkerSettings(target_chars=120, overlap_chars=20)).chunks(doc)
    head = next(c for c in small if c.text.startswith("I."))
    # A heading followed only by its first item is cited by that item.
    assert len(head.section) > 1 and head.section[0] == "I"
