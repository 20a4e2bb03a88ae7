"""Exports for memos: .docx with the citation in bold, and Markdown."""

from datetime import date

from docx import Document

from search.ui.export import ExportItem, file_stem, to_markdown, write_docx, write_exports

DAY = date(2026, 3, 5)
ITEMS = [
    ExportItem(
        rank=1,
        citation="Phụ lục II, mục I.a.5 (Cảng Hòn Khoai) kèm theo Chương trình hành động số "
        "01-CT/TU ngày 24/10/2025 của Ban Chấp hành Đảng bộ tỉnh",
        text="DANH MỤC: Cảng Hòn Khoai\nTIẾN ĐỘ THỰC HIỆN: Bộ Quốc phòng đang lập dự án",
        doc="002.txt",
        line_start=356,
        line_end=356,
        chunk_id="abc#1",
    ),
    ExportItem(
        2, "khoản 2 Điều 4 Luật Trạm đọc sách", "Nội dung <script>\x0b & 5 < 7", "l.txt", 3, 4
    ),
]


def test_docx_has_title_date_bold_citations_and_passages(tmp_path):
    path = write_docx("Hòn Khoai tiến độ", ITEMS, tmp_path / "x.docx", day=DAY)
    doc = Document(str(path))
    paras = [p for p in doc.paragraphs if p.text.strip()]
    assert paras[0].text == "Kết quả tra cứu: “Hòn Khoai tiến độ”"
    assert paras[0].style.name.startswith("Heading")
    assert "05/03/2026" in paras[1].text and "2 đoạn trích" in paras[1].text
    cite = next(p for p in paras if ITEMS[0].citation in p.text)
    bold = [r for r in cite.runs if r.bold]
    assert bold and bold[0].text == ITEMS[0].citation
    body = paras[paras.index(cite) + 1]
    assert "Cảng Hòn Khoai" in body.text and "Bộ Quốc phòng đang lập dự án" in body.text
    # Text that XML cannot hold is dropped; markup-like text stays text.
    assert any("Nội dung <script> & 5 < 7" in p.text for p in paras)
    assert doc.styles["Normal"].font.name == "Times New Roman"


def test_markdown_lists_bold_citations_with_quoted_passages():
    md = to_markdown("Hòn Khoai tiến độ", ITEMS, day=DAY)
    assert md.startswith("# Kết quả tra cứu: “Hòn Khoai tiến độ”\n")
    assert "Ngày xuất: 05/03/2026" in md
    assert f"1. **{ITEMS[0].citation}**" in md
    assert "   > DANH MỤC: Cảng Hòn Khoai\n   > TIẾN ĐỘ THỰC HIỆN:" in md
    assert "Nguồn: 002.txt, dòng 356–356" in md
    assert "\x0b" not in md


def test_file_names_are_ascii_and_dated(tmp_path):
    assert file_stem("Hòn Khoai tiến độ", DAY) == "tra-cuu-hon-khoai-tien-do-2026-03-05"
    assert file_stem("???", DAY) == "tra-cuu-ket-qua-2026-03-05"
    docx_path, md_path = write_exports("Đất Mũi", ITEMS[:1], tmp_path / "out", day=DAY)
    assert docx_path.name == "tra-cuu-dat-mui-2026-03-05.docx" and docx_path.stat().st_size > 0
    assert md_path.read_text(encoding="utf-8").count("**") == 2


def test_items_round_trip_through_json():
    assert ExportItem.from_json(ITEMS[0].to_json()) == ITEMS[0]
