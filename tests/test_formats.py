"""Format readers: .docx, .pdf, .html, .doc via LibreOffice, limits and broken files.

Every fixture is generated here, in tmp_path: python-docx for .docx (numbering written as
raw XML), reportlab for PDFs (DejaVu Sans carries the Vietnamese letters).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from search.errors import DocumentError
from search.extract import Extracted, extract
from search.extract.common import MAX_BYTES
from search.extract.legacy import encode_legacy
from search.structure.parser import parse_text
from search.text.normalize import clean_line

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

# --- .docx ---------------------------------------------------------------------------------

# One multi-level list the way Vietnamese plans number: I. / 1. / a) / - .
_ABSTRACT = f"""
<w:abstractNum {nsdecls("w")} w:abstractNumId="90">
  <w:multiLevelType w:val="multilevel"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/>
    <w:lvlText w:val="%1."/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/>
    <w:lvlText w:val="%2."/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/>
    <w:lvlText w:val="%3)"/></w:lvl>
  <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="bullet"/>
    <w:lvlText w:val="\uf0b7"/><w:rPr><w:rFonts w:ascii="Symbol" w:hAnsi="Symbol"/></w:rPr>
  </w:lvl>
</w:abstractNum>
"""
_ARTICLES = f"""
<w:abstractNum {nsdecls("w")} w:abstractNumId="91">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>
    <w:lvlText w:val="Điều %1."/></w:lvl>
</w:abstractNum>
"""


def _add_numbering(document) -> None:
    numbering = document.part.numbering_part.element
    # abstractNum elements must precede num elements in the schema.
    first_num = numbering.find(qn("w:num"))
    for xml in (_ABSTRACT, _ARTICLES):
        el = parse_xml(xml)
        if first_num is not None:
            first_num.addprevious(el)
        else:
            numbering.append(el)
    for num_id, abs_id in (("90", "90"), ("91", "91")):
        numbering.append(
            parse_xml(
                f'<w:num {nsdecls("w")} w:numId="{num_id}">'
                f'<w:abstractNumId w:val="{abs_id}"/></w:num>'
            )
        )


def _numbered(document, text: str, ilvl: int, num_id: str = "90"):
    p = document.add_paragraph(text)
    p._p.get_or_add_pPr().append(
        parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'
        )
    )
    return p


def _make_docx(path: Path) -> Path:
    document = Document()
    _add_numbering(document)
    header = document.add_table(rows=1, cols=2)
    header.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nTỈNH CÀ MAU"
    header.cell(0, 0).add_paragraph("Số: 12/KH-UBND")
    header.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    header.cell(0, 1).add_paragraph("Cà Mau, ngày 05 tháng 3 năm 2024")
    document.add_heading("KẾ HOẠCH", level=1)
    # A numbered paragraph in a layout table counts once.
    layout = document.add_table(rows=1, cols=2)
    _numbered(layout.cell(0, 0), "Căn cứ Luật Tổ chức chính quyền địa phương", 0, num_id="91")
    layout.cell(0, 1).text = "Căn cứ Nghị quyết của Hội đồng nhân dân tỉnh"
    document.add_paragraph("Triển khai chuyển đổi số năm 2024")
    _numbered(document, "MỤC ĐÍCH, YÊU CẦU", 0)
    _numbered(document, "Mục đích", 1)
    _numbered(document, "Nâng cao hiệu quả quản lý", 2)
    _numbered(document, "Bảo đảm tiến độ", 2)
    _numbered(document, "Yêu cầu", 1)
    _numbered(document, "Cụ thể, khả thi", 3)
    _numbered(document, "NHIỆM VỤ", 0)
    _numbered(document, "Rà soát quy trình", 2)
    _numbered(document, "Phạm vi điều chỉnh", 0, num_id="91")
    _numbered(document, "Đối tượng áp dụng", 0, num_id="91")

    table = document.add_table(rows=5, cols=4)
    table.style = "Table Grid"
    table.cell(0, 0).merge(table.cell(1, 0))
    table.cell(0, 1).merge(table.cell(1, 1))
    table.cell(0, 2).merge(table.cell(0, 3))
    table.cell(3, 2).merge(table.cell(4, 2))
    values = {
        (0, 0): "STT",
        (0, 1): "Nhiệm vụ",
        (0, 2): "Kinh phí (triệu đồng)",
        (1, 2): "Ngân sách",
        (1, 3): "Khác",
        (2, 0): "1",
        (2, 1): "Xây dựng cơ sở dữ liệu",
        (2, 2): "500",
        (2, 3): "100",
        (3, 0): "2",
        (3, 1): "Đào tạo\ncán bộ",
        (3, 2): "200",
        (3, 3): "0",
        (4, 0): "3",
        (4, 1): "Tập huấn",
        (4, 3): "50",
    }
    for (r, c), text in values.items():
        table.cell(r, c).text = text
    # A nested table inside a cell is flattened into that cell's text.
    inner = table.cell(4, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "đợt 1"
    inner.cell(0, 1).text = "đợt 2"

    p = document.add_paragraph()
    run = p.add_run("Uû ban nh©n d©n tØnh")  # TCVN3 typed in a .VnTime font
    run.font.name = ".VnTime"
    p = document.add_paragraph()
    run = p.add_run("Ngaøy thaùng")  # VNI typed in VNI-Times
    run.font.name = "VNI-Times"
    document.save(path)
    return path


def test_docx_footnotes_follow_the_document_numbered_as_word_shows_them(tmp_path: Path) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    doc = Document()
    body = doc.add_paragraph("Năm 2025 đón 1.250.000 lượt khách")
    for note_id in ("7", "3"):  # Word's ids need not follow the order the text cites them in
        body.add_run()._r.append(
            parse_xml(f'<w:footnoteReference {nsdecls("w")} w:id="{note_id}"/>')
        )
    notes = (
        f"<w:footnotes {nsdecls('w')}>"
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:id="3"><w:p><w:r><w:t>Số liệu ước tính đến hết ngày 31/5/2025.</w:t></w:r>'
        "</w:p></w:footnote>"
        '<w:footnote w:id="7"><w:p><w:r><w:t>Chỉ tiêu giao tại Quyết định số 2390/QĐ-UBND'
        "</w:t></w:r></w:p><w:p><w:r><w:t>ngày 20/12/2024.</w:t></w:r></w:p></w:footnote>"
        "</w:footnotes>"
    )
    content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
    part = Part(PackURI("/word/footnotes.xml"), content_type, notes.encode(), doc.part.package)
    doc.part.relate_to(part, RT.FOOTNOTES)
    path = tmp_path / "bc.docx"
    doc.save(path)
    assert extract(path, "bc.docx").text.split("\n")[-2:] == [
        "[1] Chỉ tiêu giao tại Quyết định số 2390/QĐ-UBND ngày 20/12/2024.",
        "[2] Số liệu ước tính đến hết ngày 31/5/2025.",
    ]


def test_docx_number_typed_raised_is_a_note_mark_or_a_power(tmp_path: Path) -> None:
    """A number typed as superscript on a word marks a note ("chim hoang dã¹", "năm 2025¹"),
    which the parser drops; after "m" it is the unit's power ("120 m²"); opening a paragraph
    it numbers the note."""
    doc = Document()
    p = doc.add_paragraph("Xử lý 27 vụ vi phạm về bảo vệ chim hoang dã")
    p.add_run("1").font.superscript = True
    p.add_run(" năm 2025")
    p.add_run("2").font.superscript = True
    p.add_run("; lắp 120 m")
    p.add_run("2").font.superscript = True
    p.add_run(" lưới.")
    note = doc.add_paragraph()
    note.add_run("1").font.superscript = True
    note.add_run(" Trong đó 11 vụ chuyển cơ quan điều tra.")
    path = tmp_path / "kh.docx"
    doc.save(path)
    assert extract(path, "kh.docx").text.split("\n") == [
        "Xử lý 27 vụ vi phạm về bảo vệ chim hoang dã[1] năm 2025[2]; lắp 120 m² lưới.",
        "[1] Trong đó 11 vụ chuyển cơ quan điều tra.",
    ]
    assert clean_line("bảo vệ chim hoang dã[1] năm 2025[2];") == "bảo vệ chim hoang dã năm 2025;"


def test_docx_structure(tmp_path: Path) -> None:
    got = extract(_make_docx(tmp_path / "kh.docx"), "kh.docx")
    assert isinstance(got, Extracted) and got.pages == ()
    lines = got.text.split("\n")
    assert lines[:5] == [
        "ỦY BAN NHÂN DÂN",
        "TỈNH CÀ MAU",
        "Số: 12/KH-UBND",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Cà Mau, ngày 05 tháng 3 năm 2024",
    ]
    body = lines[5:]
    assert body[:14] == [
        "KẾ HOẠCH",
        "Điều 1. Căn cứ Luật Tổ chức chính quyền địa phương",
        "Căn cứ Nghị quyết của Hội đồng nhân dân tỉnh",
        "Triển khai chuyển đổi số năm 2024",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "1. Mục đích",
        "a) Nâng cao hiệu quả quản lý",
        "b) Bảo đảm tiến độ",
        "2. Yêu cầu",
        "- Cụ thể, khả thi",
        "II. NHIỆM VỤ",
        "a) Rà soát quy trình",
        "Điều 2. Phạm vi điều chỉnh",
        "Điều 3. Đối tượng áp dụng",
    ]
    assert body[14:19] == [
        "STT\tNhiệm vụ\tKinh phí (triệu đồng)\t",
        "\t\tNgân sách\tKhác",
        "1\tXây dựng cơ sở dữ liệu\t500\t100",
        "2\tĐào tạo cán bộ\t200\t0",
        "3\tTập huấn đợt 1 đợt 2\t200\t50",
    ]
    assert body[19:] == ["Uỷ ban nhân dân tỉnh", "Ngày tháng"]


def test_docx_feeds_the_parser(tmp_path: Path) -> None:
    from search.structure.parser import parse_text

    got = extract(_make_docx(tmp_path / "kh.docx"), "kh.docx")
    parsed = parse_text(got.text, doc="kh.docx")
    rows = [u for u in parsed.units if u.kind == "table_row"]
    assert len(rows) == 3, "the tab-separated rows are read as one table"
    assert ("Kinh phí (triệu đồng) - Ngân sách", "500") in rows[0].cells
    assert parsed.meta.number == "12/KH-UBND"


_CHAPTERS = f"""
<w:abstractNum {nsdecls("w")} w:abstractNumId="92">
  <w:multiLevelType w:val="multilevel"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/>
    <w:lvlText w:val="Chương %1"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlRestart w:val="0"/>
    <w:lvlText w:val="Điều %2."/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/>
    <w:lvlText w:val="%3."/></w:lvl>
</w:abstractNum>
"""


def test_docx_articles_count_on_across_chapters_whose_labels_stand_alone(tmp_path: Path) -> None:
    """A Quy chế numbered by Word: "Chương %1" on an empty paragraph above the chapter's
    title, and "Điều %2." told never to restart (``lvlRestart`` 0), so Chương II opens with
    Điều 3; a clause level restarts in each article as usual."""
    document = Document()
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(_CHAPTERS))
    numbering.append(
        parse_xml(f'<w:num {nsdecls("w")} w:numId="92"><w:abstractNumId w:val="92"/></w:num>')
    )
    document.add_paragraph("QUY CHẾ")
    for title, articles in (("QUY ĐỊNH CHUNG", 2), ("TỔ CHỨC THỰC HIỆN", 2)):
        _numbered(document, "", 0, num_id="92")
        document.add_paragraph(title)
        for n in range(articles):
            _numbered(document, f"Nội dung {n}", 1, num_id="92")
            _numbered(document, "Khoản", 2, num_id="92")
    _numbered(document, "", 2, num_id="92")  # a stray empty item: no line of its own
    path = tmp_path / "quy_che.docx"
    document.save(path)
    lines = extract(path, path.name).text.split("\n")
    assert lines == [
        "QUY CHẾ", "Chương I", "QUY ĐỊNH CHUNG", "Điều 1. Nội dung 0", "1. Khoản",
        "Điều 2. Nội dung 1", "1. Khoản", "Chương II", "TỔ CHỨC THỰC HIỆN",
        "Điều 3. Nội dung 0", "1. Khoản", "Điều 4. Nội dung 1", "1. Khoản",
    ]  # fmt: skip


def test_truncated_docx(tmp_path: Path) -> None:
    whole = _make_docx(tmp_path / "kh.docx").read_bytes()
    broken = tmp_path / "cut.docx"
    broken.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(DocumentError) as err:
        extract(broken, "cut.docx")
    assert err.value.problem == "tệp .docx bị hỏng hoặc không đầy đủ"


def test_docx_that_is_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "fake.docx"
    path.write_bytes(b"\x00\x01\x02 khong phai docx")
    with pytest.raises(DocumentError, match="bị hỏng hoặc không đầy đủ"):
        extract(path, "fake.docx")


def test_empty_docx(tmp_path: Path) -> None:
    path = tmp_path / "empty.docx"
    Document().save(path)
    with pytest.raises(DocumentError, match="không có nội dung"):
        extract(path, "empty.docx")


# --- .pdf ----------------------------------------------------------------------------------

needs_font = pytest.mark.skipif(not DEJAVU.exists(), reason="DejaVu Sans not installed")


# The header block of the PDF and HTML samples, as extraction must return it.
HEADER_LINES = [
    "ỦY BAN NHÂN DÂN",
    "TỈNH CÀ MAU",
    "Số: 12/KH-UBND",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Cà Mau, ngày 05 tháng 3 năm 2024",
]


def _pdf(path: Path, pages: list[list], running="", running_size=9, **kw) -> Path:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(TTFont("DejaVu", str(DEJAVU)))
    style = ParagraphStyle("vi", fontName="DejaVu", fontSize=11, leading=15)
    centered = ParagraphStyle("title", parent=style, alignment=1)
    story: list = []
    for n, page in enumerate(pages):
        if n:
            story.append(PageBreak())
        for item in page:
            if isinstance(item, str):
                title = item.isupper() and not item[0].isdigit() and "." not in item
                story.append(Paragraph(item, centered if title else style))
            elif isinstance(item, tuple):  # text set side by side, no rules
                t = Table(
                    [[Paragraph(c, style) for c in row] for row in item], colWidths=[170, 280]
                )
                story.append(t)
            else:
                t = Table(item)
                t.setStyle(
                    TableStyle(
                        [
                            ("FONTNAME", (0, 0), (-1, -1), "DejaVu"),
                            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                        ]
                    )
                )
                story.append(t)

    def footer(canvas, doc) -> None:
        canvas.setFont("DejaVu", 9)
        canvas.drawCentredString(A4[0] / 2, 20, f"Trang {doc.page}")
        if running:
            text = running(doc.page) if callable(running) else running.format(page=doc.page)
            canvas.setFont("DejaVu", running_size)
            canvas.drawString(72, A4[1] - 40, text)

    SimpleDocTemplate(str(path), pagesize=A4, **kw).build(
        story, onFirstPage=footer, onLaterPages=footer
    )
    return path


_LONG = (
    "Các sở, ban, ngành tỉnh chủ động phối hợp với Ủy ban nhân dân các huyện, thành phố "
    "triển khai thực hiện có hiệu quả các nhiệm vụ được giao, định kỳ báo cáo kết quả về "
    "Sở Kế hoạch và Đầu tư để tổng hợp, tham mưu Ủy ban nhân dân tỉnh chỉ đạo kịp thời"
)
_TABLE = [
    ["STT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời gian"],
    ["1", "Rà soát thủ tục", "Sở Nội vụ", "Quý I"],
    ["2", "Số hóa hồ sơ", "Sở Thông tin", "Quý II"],
]


@needs_font
def test_pdf_pages_and_table(tmp_path: Path) -> None:
    path = _pdf(
        tmp_path / "kh.pdf",
        [
            ["ỦY BAN NHÂN DÂN TỈNH CÀ MAU", "KẾ HOẠCH", "I. MỤC ĐÍCH", _TABLE, "Sau bảng."],
            ["II. NHIỆM VỤ", "1. Triển khai đồng bộ các giải pháp.", _LONG],
        ],
    )
    got = extract(path, "kh.pdf")
    lines = got.text.split("\n")
    assert len(got.pages) == len(lines)
    assert lines == [
        "ỦY BAN NHÂN DÂN TỈNH CÀ MAU",
        "KẾ HOẠCH",
        "I. MỤC ĐÍCH",
        "STT\tNhiệm vụ\tĐơn vị chủ trì\tThời gian",
        "1\tRà soát thủ tục\tSở Nội vụ\tQuý I",
        "2\tSố hóa hồ sơ\tSở Thông tin\tQuý II",
        "Sau bảng.",
        "II. NHIỆM VỤ",
        "1. Triển khai đồng bộ các giải pháp.",
        _LONG,  # wrapped over three lines in the PDF, one paragraph again
    ]  # the running "Trang n" footers are gone, the table text is not repeated
    assert got.pages == (1, 1, 1, 1, 1, 1, 1, 2, 2, 2)


@needs_font
def test_pdf_side_by_side_header_and_signature(tmp_path: Path) -> None:
    header = (
        ["ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        ["TỈNH CÀ MAU", "Độc lập - Tự do - Hạnh phúc"],
        ["Số: 12/KH-UBND", "Cà Mau, ngày 05 tháng 3 năm 2024"],
    )
    signature = (
        ["Nơi nhận:", "TM. ỦY BAN NHÂN DÂN"],
        ["- Như trên;", "CHỦ TỊCH"],
        ["- Lưu: VT.", ""],
    )
    path = _pdf(tmp_path / "kh.pdf", [[header, "KẾ HOẠCH", "I. MỤC ĐÍCH", signature]])
    lines = extract(path, "kh.pdf").text.split("\n")
    assert lines == [
        *HEADER_LINES,
        "KẾ HOẠCH",
        "I. MỤC ĐÍCH",
        "Nơi nhận:",
        "- Như trên;",
        "- Lưu: VT.",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
    ]


@needs_font
def test_pdf_running_header_goes_headings_stay(tmp_path: Path) -> None:
    pages = [[f"{n}. MỤC {n}", _LONG] for n in range(1, 5)]
    path = _pdf(tmp_path / "cb.pdf", pages, running="CÔNG BÁO/Số {page} + 13/Ngày 05-01-2024")
    got = extract(path, "cb.pdf")
    assert "CÔNG BÁO" not in got.text and "Trang" not in got.text
    assert got.text.split("\n") == [line for page in pages for line in page]
    assert got.pages == (1, 1, 2, 2, 3, 3, 4, 4)


@needs_font
def test_pdf_long_running_header_goes(tmp_path: Path) -> None:
    """A running header naming the document in full runs past 100 characters (set small to
    stay inside the margins)."""
    pages = [[f"{n}. MỤC {n}", _LONG] for n in range(1, 5)]
    running = (
        "BCĐ Tổng điều tra nông thôn, nông nghiệp năm 2025 tỉnh Cà Mau – Thông báo số "
        "14/TB-BCĐ ngày 18/8/2025"
    )
    got = extract(_pdf(tmp_path / "tb.pdf", pages, running=running, running_size=7), "tb.pdf")
    assert got.text.split("\n") == [line for page in pages for line in page]


@needs_font
def test_pdf_gazette_header_mirrored_and_its_section_headings(tmp_path: Path) -> None:
    """A Công báo prints its page number at the outer edge ("CÔNG BÁO/Số 12 37", "38 CÔNG
    BÁO/Số 12"), and its section headings stand above the document's own header."""
    head = "CÔNG BÁO/Số 12/Ngày 25-3-2025"
    pages = [
        ["VĂN BẢN KHÁC", "ỦY BAN NHÂN DÂN TỈNH", "ỦY BAN NHÂN DÂN", "TỈNH VĨNH LONG",
         "Số: 07/CT-UBND", "CHỈ THỊ", "Về quản lý khai thác cát lòng sông", "1. MỤC MỘT", _LONG],
        ["2. MỤC HAI", _LONG],
    ]  # fmt: skip
    running = lambda page: f"{head} {page + 36}" if page % 2 else f"{page + 36} {head}"  # noqa: E731
    got = extract(_pdf(tmp_path / "cb.pdf", pages, running=running), "cb.pdf")
    assert "CÔNG BÁO" not in got.text
    meta = parse_text(got.text, doc="cb.pdf").meta
    assert (meta.doc_type, meta.number) == ("Chỉ thị", "07/CT-UBND")
    assert meta.issuer == "Ủy ban nhân dân tỉnh Vĩnh Long"


@needs_font
def test_pdf_page_set_in_two_columns(tmp_path: Path) -> None:
    """A gazette sets its pages in two justified columns: the left column is read before the
    right one, and each column's wrapped paragraphs are rejoined."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph

    pdfmetrics.registerFont(TTFont("DejaVu", str(DEJAVU)))
    style = ParagraphStyle("vi", fontName="DejaVu", fontSize=10, leading=13, alignment=4)
    width, height = A4
    column = (width - 120) / 2
    frames = [Frame(x, 50, column, height - 100) for x in (50, 70 + column)]
    path = tmp_path / "cb.pdf"
    doc = BaseDocTemplate(str(path), pagesize=A4)
    doc.addPageTemplates([PageTemplate(frames=frames)])
    paragraphs = [f"{n}. Đoạn số {n}: {_LONG}." for n in range(1, 13)]  # both columns full
    doc.build([Paragraph(p, style) for p in paragraphs])
    assert extract(path, "cb.pdf").text.split("\n") == paragraphs


@needs_font
def test_pdf_footnotes_follow_the_text(tmp_path: Path) -> None:
    """A footnote set small at the foot of the page is a line "[n] ..." after the text,
    and its number, set smaller still after a word, leaves the word; small lines at the
    foot of a page that no mark refers to stay where they are."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DejaVu", str(DEJAVU)))
    path = tmp_path / "qc.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    pages = (
        ("Điều 1. Phạm vi điều chỉnh", "Quy chế này áp dụng trên địa bàn tỉnh Cà Mau", "1",
         "Việc bảo trì đường xã do Ủy ban nhân dân cấp xã tổ chức thực hiện."),
        ("Điều 2. Đối tượng áp dụng", "Cơ quan, tổ chức quản lý đường giao thông nông thôn", "",
         "Người dân tham gia giám sát chất lượng công trình theo quy định."),
    )  # fmt: skip
    for n, (heading, body, mark, more) in enumerate(pages, start=1):
        c.setFont("DejaVu", 11)
        c.drawString(72, 760, heading)
        c.drawString(72, 740, body)
        c.drawString(72, 720, more)
        c.setFont("DejaVu", 7)
        c.drawString(72 + pdfmetrics.stringWidth(body, "DejaVu", 11) + 1, 745, mark)
        if mark:  # small text above the notes keeps its numbers; only the marks go
            c.setFont("DejaVu", 9)
            c.drawString(72, 600, "- Như khoản 2 Điều 3;")
        c.setFont("DejaVu", 8)
        c.drawString(72, 80, f"1 Lưu ý Điều {n}: không áp dụng đối với quốc lộ")
        c.drawString(72, 70, "do Sở Xây dựng quản lý." if mark else "và đường đô thị.")
        c.showPage()
    c.save()
    assert extract(path, "qc.pdf").text.split("\n") == [
        "Điều 1. Phạm vi điều chỉnh",
        "Quy chế này áp dụng trên địa bàn tỉnh Cà Mau",
        "Việc bảo trì đường xã do Ủy ban nhân dân cấp xã tổ chức thực hiện.",
        "- Như khoản 2 Điều 3;",
        "Điều 2. Đối tượng áp dụng",
        "Cơ quan, tổ chức quản lý đường giao thông nông thôn",
        "Người dân tham gia giám sát chất lượng công trình theo quy định.",
        # The second page marks no word: its small lines are text.
        "1 Lưu ý Điều 2: không áp dụng đối với quốc lộ",
        "và đường đô thị.",
        "[1] Lưu ý Điều 1: không áp dụng đối với quốc lộ do Sở Xây dựng quản lý.",
    ]


@needs_font
def test_pdf_note_number_raised_in_a_paragraph_does_not_cut_it(tmp_path: Path) -> None:
    """A note's number raised above a wrapped line ("công tác²." in Word's superscript) is
    on that line, not a line of its own between the paragraph's halves; the note itself,
    numbered the same way after the signature, is a line "[n] ..."; "m²" stays."""
    body = (
        "5. Giải quyết chế độ đối với người hoạt động không chuyên trách ở ấp, khóm dôi dư: "
        "toàn tỉnh dôi dư 252 người; mỗi người được hỗ trợ một lần bằng 1,5 tháng mức phụ "
        "cấp hiện hưởng cho mỗi năm công tác<super>2</super>. Kinh phí dự kiến 2.184 triệu "
        "đồng từ ngân sách tỉnh."
    )
    note = "<super>2</super> Mức hỗ trợ không áp dụng đối với người được bầu làm trưởng ấp."
    title = "Điều 1. Phê duyệt Phương án trên 120 m<super>2</super> đất"
    got = extract(_pdf(tmp_path / "qd.pdf", [[title, body, note]]), "qd")
    assert got.text.split("\n") == [
        "Điều 1. Phê duyệt Phương án trên 120 m² đất",  # a unit's power stays one
        "5. Giải quyết chế độ đối với người hoạt động không chuyên trách ở ấp, khóm dôi dư: "
        "toàn tỉnh dôi dư 252 người; mỗi người được hỗ trợ một lần bằng 1,5 tháng mức phụ "
        "cấp hiện hưởng cho mỗi năm công tác[2]. Kinh phí dự kiến 2.184 triệu đồng từ ngân "
        "sách tỉnh.",  # the mark, which the parser drops (clean_line)
        "[2] Mức hỗ trợ không áp dụng đối với người được bầu làm trưởng ấp.",
    ]


@needs_font
def test_pdf_title_set_larger_is_not_joined_to_the_text_under_it(tmp_path: Path) -> None:
    """A title's line reaching near the right margin, with the text right under it, is no
    wrapped line of that text when it is set in another size."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DejaVu", str(DEJAVU)))
    path = tmp_path / "kh.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    title = "Ứng phó sự cố tràn dầu trên địa bàn tỉnh Cà Mau năm 2026"
    c.setFont("DejaVu", 13)
    c.drawCentredString(A4[0] / 2, 760, title)
    c.setFont("DejaVu", 11)
    body = [
        "Căn cứ Quyết định số 12/2021/QĐ-TTg ngày 24/3/2021 của Thủ tướng Chính phủ",
        "ban hành Quy chế hoạt động ứng phó sự cố tràn dầu, Ủy ban nhân dân tỉnh ban",
        "hành Kế hoạch ứng phó sự cố tràn dầu năm 2026 như sau:",
    ]
    for n, line in enumerate(body):
        c.drawString(72, 744 - 14 * n, line)
    c.showPage()
    c.save()
    assert extract(path, "kh.pdf").text.split("\n") == [title, " ".join(body)]


@needs_font
def test_pdf_footnote_numbered_with_a_raised_digit_follows_the_text(tmp_path: Path) -> None:
    """Typed without a word processor's notes, the mark is a raised digit on the word, in
    the text's own size, and the note at the foot opens with it: the note goes after the
    text, and the paragraph it cut at the page break is whole (the mark leaves the word
    when the line is cleaned, test_textnorm)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DejaVu", str(DEJAVU)))
    path = tmp_path / "kh.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("DejaVu", 12)
    c.drawString(72, 760, "1. Căn cứ Quy chế hoạt động ứng phó sự cố tràn dầu¹.")
    c.drawString(72, 740, "2. Kịch bản ứng phó: Kịch bản 1, tràn khoảng 50 tấn dầu tại khu neo đậu")
    c.setFont("DejaVu", 9)
    c.drawString(72, 80, "¹ Quyết định số 12/2021/QĐ-TTg của Thủ tướng Chính phủ.")
    c.showPage()
    c.setFont("DejaVu", 12)
    c.drawString(72, 760, "tránh trú bão Sông Đốc do cháy tàu cá.")
    c.showPage()
    c.save()
    assert extract(path, "kh.pdf").text.split("\n") == [
        "1. Căn cứ Quy chế hoạt động ứng phó sự cố tràn dầu¹.",
        "2. Kịch bản ứng phó: Kịch bản 1, tràn khoảng 50 tấn dầu tại khu neo đậu tránh trú bão"
        " Sông Đốc do cháy tàu cá.",
        "[1] Quyết định số 12/2021/QĐ-TTg của Thủ tướng Chính phủ.",
    ]


@needs_font
def test_pdf_with_password(tmp_path: Path) -> None:
    path = _pdf(tmp_path / "secret.pdf", [["Nội dung mật"]], encrypt="matkhau")
    with pytest.raises(DocumentError) as err:
        extract(path, "secret.pdf")
    assert err.value.problem == "tệp PDF có mật khẩu"


@needs_font
def test_pdf_with_owner_password_only_is_read(tmp_path: Path) -> None:
    from reportlab.lib.pdfencrypt import StandardEncryption

    enc = StandardEncryption("", ownerPassword="chu", canPrint=1)
    path = _pdf(tmp_path / "owner.pdf", [["Văn bản công khai"]], encrypt=enc)
    assert extract(path, "owner.pdf").text == "Văn bản công khai"


@needs_font
def test_truncated_pdf(tmp_path: Path) -> None:
    whole = _pdf(tmp_path / "kh.pdf", [["Một trang"], ["Trang hai"]]).read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(whole[: len(whole) * 2 // 3])
    with pytest.raises(DocumentError, match="tệp PDF bị hỏng hoặc không đầy đủ"):
        extract(cut, "cut.pdf")


def test_corrupt_pdf(tmp_path: Path) -> None:
    path = tmp_path / "junk.pdf"
    path.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 20 + b"\n%%EOF\n")
    with pytest.raises(DocumentError, match="bị hỏng"):
        extract(path, "junk.pdf")


def test_image_only_pdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reportlab.pdfgen import canvas

    from search.extract import ocr

    monkeypatch.setattr(ocr, "available", lambda: True)  # without it, the message says how

    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path))
    c.rect(100, 100, 300, 400, fill=1)
    c.showPage()
    c.save()
    with pytest.raises(DocumentError) as err:
        extract(path, "scan.pdf")
    assert err.value.problem == "không có lớp văn bản (bản scan?)"


# --- .html ---------------------------------------------------------------------------------

_PAGE = """<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>Kế hoạch 12/KH-UBND</title><script>var tracking = "Không được lấy";</script>
<style>.x {{ color: red }}</style></head>
<body>
<header><div class="logo">Thư viện pháp luật</div></header>
<nav><ul><li><a href="/">Trang chủ</a></li><li><a href="/vb">Tra cứu văn bản</a></li></ul></nav>
<div class="main-menu"><a href="#">Đăng nhập</a> | <a href="#">Đăng ký thành viên</a></div>
<div id="main"><div class="content1">
<table><tr><td><p>ỦY BAN NHÂN DÂN<br>TỈNH CÀ MAU</p><p>Số: 12/KH-UBND</p></td>
<td><p>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<br>Độc lập - Tự do - Hạnh phúc</p>
<p>Cà Mau, ngày 05 tháng 3 năm 2024</p></td></tr></table>
<p><b>KẾ HOẠCH</b></p>
<p>Triển khai thực hiện chương trình chuyển đổi số năm 2024 trên địa bàn tỉnh</p>
<p>I. MỤC ĐÍCH, YÊU CẦU</p>
<p>1. Nâng cao hiệu quả quản lý nhà nước trên địa bàn tỉnh, bảo đảm tiến độ và chất lượng.</p>
<p>II. NHIỆM VỤ</p>
<table border="1">
<tr><th rowspan="2">STT</th><th rowspan="2">Nhiệm vụ</th><th colspan="2">Kinh phí</th></tr>
<tr><th>Ngân sách</th><th>Khác</th></tr>
<tr><td>1</td><td>Xây dựng cơ sở dữ liệu</td><td>500</td><td>100</td></tr>
<tr><td>2</td><td>Đào tạo cán bộ</td><td>200</td><td>0</td></tr>
</table>
<p>Nơi nhận:<br>- Như trên;<br>- Lưu: VT.</p>
</div></div>
<div class="share-buttons"><a>Chia sẻ Facebook</a><a>Gửi Zalo</a></div>
<div class="box"><h3>Văn bản liên quan</h3><ul><li><a href="#">Quyết định 1/QĐ-UBND</a></li>
<li><a href="#">Nghị định 2/NĐ-CP về chuyển đổi số</a></li></ul></div>
<aside>Quảng cáo dịch vụ tư vấn</aside>
<footer>© 2024 Thư viện pháp luật. Địa chỉ tòa soạn.</footer>
</body></html>
"""

_HTML_EXPECTED = [
    *HEADER_LINES,
    "KẾ HOẠCH",
    "Triển khai thực hiện chương trình chuyển đổi số năm 2024 trên địa bàn tỉnh",
    "I. MỤC ĐÍCH, YÊU CẦU",
    "1. Nâng cao hiệu quả quản lý nhà nước trên địa bàn tỉnh, bảo đảm tiến độ và chất lượng.",
    "II. NHIỆM VỤ",
    "STT\tNhiệm vụ\tKinh phí\t",
    "\t\tNgân sách\tKhác",
    "1\tXây dựng cơ sở dữ liệu\t500\t100",
    "2\tĐào tạo cán bộ\t200\t0",
    "Nơi nhận:",
    "- Như trên;",
    "- Lưu: VT.",
]


def _extracted(tmp_path: Path, name: str, page: str) -> str:
    """The text ``extract`` reads from ``page`` saved as ``name``."""
    path = tmp_path / name
    path.write_text(page, encoding="utf-8")
    return extract(path, name).text


def test_html_main_content_only(tmp_path: Path) -> None:
    path = tmp_path / "kh.html"
    path.write_bytes(_PAGE.format(charset="utf-8").encode("utf-8"))
    got = extract(path, "kh.html")
    assert got.text.split("\n") == _HTML_EXPECTED
    for junk in ("Trang chủ", "Đăng nhập", "Chia sẻ", "liên quan", "Quảng cáo", "©", "tracking"):
        assert junk not in got.text


def test_html_document_framed_in_layout_tables_reads_in_order(tmp_path: Path) -> None:
    """A legal database frames the document in tables: a page column beside a sidebar,
    cells within cells, the header a table of its own. The document reads from its header
    on, as the page shows it, without the sidebar; a data table inside stays a table."""
    header = (
        "<table><tr><td><b>HỘI ĐỒNG NHÂN DÂN<br>TỈNH CÀ MAU</b><br>Số: 36/2025/NQ-HĐND</td>"
        "<td><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><br>"
        "<i>Cà Mau, ngày 11 tháng 12 năm 2025</i></td></tr></table>"
    )
    body = (
        "<p><b>NGHỊ QUYẾT</b></p><p><b>Quy định chính sách thu hút nhân lực y tế</b></p>"
        "<p>Điều 1. Sinh viên ngành y khoa được hỗ trợ 4.000.000 đồng/người/tháng.</p>"
        "<p>Điều 2. Mức hỗ trợ thu hút một lần theo bảng sau:</p>"
        "<table border='1'><tr><td>Trình độ</td><td>Mức hỗ trợ</td></tr>"
        "<tr><td>Bác sĩ nội trú</td><td>250</td></tr></table>"
        "<p>Điều 3. Nghị quyết này có hiệu lực từ ngày 01 tháng 01 năm 2026.</p>"
    )
    page = (
        "<html><body><table id='layout'><tr><td id='col-main'>"
        "<table class='thuoctinh'><tr><td>Số hiệu:</td><td>36/2025/NQ-HĐND</td></tr></table>"
        f"<table id='noidung'><tr><td>{header}{body}</td></tr></table></td>"
        "<td id='col-right'><div class='box-title'>Văn bản cùng lĩnh vực</div><ul>"
        "<li><a href='/vb/1'>Nghị quyết 29/2025/NQ-HĐND tỉnh Đồng Tháp</a></li></ul></td>"
        "</tr></table></body></html>"
    )
    text = _extracted(tmp_path, "nq.html", page)
    assert text.index("Số: 36/2025/NQ-HĐND") < text.index("NGHỊ QUYẾT") < text.index("Điều 1.")
    assert text.index("Điều 1.") < text.index("Bác sĩ nội trú") < text.index("Điều 3.")
    assert "Văn bản cùng lĩnh vực" not in text and "Đồng Tháp" not in text
    meta = parse_text(text, doc="nq.html").meta
    assert (meta.number, meta.date, meta.doc_type) == (
        "36/2025/NQ-HĐND",
        "11/12/2025",
        "Nghị quyết",
    )


def test_html_link_targets_keep_their_text(tmp_path: Path) -> None:
    """A legal library marks the type line with an anchor ("<a name='loai_1'>"); the
    extractor dropped that paragraph, and the document had no type line."""
    page = (
        "<p align='center'><a name='loai_1'></a><b>KẾ HOẠCH</b></p>"
        "<p align='center'><a name='loai_1_name'></a><b>Phát triển du lịch cộng đồng, du lịch "
        "nông nghiệp trên địa bàn cù lao An Bình, huyện Long Hồ năm 2025</b></p>"
        "<p style='text-align:justify'><i>Căn cứ Quyết định số 2145/QĐ-UBND ngày 30 tháng 9 năm"
        " 2024 của Ủy ban nhân dân tỉnh phê duyệt Đề án phát triển du lịch cù lao An Bình giai"
        " đoạn 2024 - 2030;</i></p>"
    )
    lines = _extracted(tmp_path, "kh.html", page).split("\n")
    assert lines[:2] == [
        "KẾ HOẠCH",
        "Phát triển du lịch cộng đồng, du lịch nông nghiệp trên địa bàn cù lao An Bình, "
        "huyện Long Hồ năm 2025",
    ]


_NOTE_TEXT = "Tổng diện tích 58.734,6 m²{mark} của 12 khu đất được đưa ra đấu giá năm 2026."


@pytest.mark.parametrize(
    ("mark", "notes"),
    [
        (  # Word's "Save as Web Page"
            '<a href="#_ftn1" name="_ftnref1"><span class=MsoFootnoteReference>[1]</span></a>',
            '<div id=ftn1><p class=MsoFootnoteText><a href="#_ftnref1" name="_ftn1">'
            "<span class=MsoFootnoteReference>[1]</span></a> Theo số liệu đo đạc năm 2025.</p>"
            "</div>",
        ),
        (  # pandoc
            '<a href="#fn1" class="footnote-ref" id="fnref1"><sup>1</sup></a>',
            '<section class="footnotes"><hr /><ol><li id="fn1"><p>Theo số liệu đo đạc năm 2025.'
            '<a href="#fnref1" class="footnote-back">\u21a9\ufe0e</a></p></li></ol></section>',
        ),
        (  # a portal's own
            '<sup><a href="#fn1" id="ref1">1</a></sup>',
            '<p class="note" id="fn1"><sup>1</sup> Theo số liệu đo đạc năm 2025. '
            '<a href="#ref1">\u21a9</a></p>',
        ),
    ],
)
def test_html_footnotes_are_read_as_words_are(tmp_path: Path, mark: str, notes: str) -> None:
    page = f"<p>KẾ HOẠCH</p><p>{_NOTE_TEXT.format(mark=mark)}</p><p>Nơi nhận:</p>{notes}"
    assert _extracted(tmp_path, "kh.html", page).split("\n") == [
        "KẾ HOẠCH",
        _NOTE_TEXT.format(mark=""),
        "Nơi nhận:",
        "[1] Theo số liệu đo đạc năm 2025.",
    ]


def test_html_number_linked_to_an_article_is_no_footnote_mark(tmp_path: Path) -> None:
    page = "<p>Thực hiện theo quy định tại Điều <a href='#dieu_5'>5</a> của Luật này.</p>"
    assert (
        _extracted(tmp_path, "kh.html", page) == "Thực hiện theo quy định tại Điều 5 của Luật này."
    )


def test_html_cells_spanning_rows_are_read_in_each_row(tmp_path: Path) -> None:
    """A lead agency merged down three tasks is named in each, as Word's merged cells read;
    the header's spanning cells stay empty below, a sub-header row."""
    page = (
        "<html><head><meta charset='utf-8'></head><body><div class='content'>"
        "<p>KẾ HOẠCH</p><p>Phòng, chống sạt lở bờ sông năm 2025 trên địa bàn tỉnh</p>"
        "<p>I. NHIỆM VỤ</p><p>Các cơ quan triển khai các nhiệm vụ tại Phụ lục kèm theo.</p>"
        "<table border='1'>"
        "<tr><td rowspan='2'>STT</td><td rowspan='2'>Nhiệm vụ</td><td colspan='2'>Cơ quan</td>"
        "<td rowspan='2'>Thời hạn</td></tr>"
        "<tr><td>Chủ trì</td><td>Phối hợp</td></tr>"
        "<tr><td>1</td><td>Rà soát bản đồ sạt lở</td><td rowspan='3'>Sở Nông nghiệp và Môi trường"
        "</td><td>UBND cấp huyện</td><td>30/4/2025</td></tr>"
        "<tr><td>2</td><td>Xây dựng phương án ứng phó</td><td>Các sở, ngành</td>"
        "<td>15/5/2025</td></tr>"
        "<tr><td>3</td><td>Lắp đặt trạm quan trắc</td><td>Sở Khoa học và Công nghệ</td>"
        "<td rowspan='2'>30/9/2025</td></tr>"
        "<tr><td>4</td><td>Cắm biển cảnh báo</td><td>UBND cấp huyện</td><td>Công an tỉnh</td>"
        "</tr></table></div></body></html>"
    )
    rows = [ln for ln in _extracted(tmp_path, "kh.html", page).split("\n") if "\t" in ln]
    assert rows == [
        "STT\tNhiệm vụ\tCơ quan\t\tThời hạn",
        "\t\tChủ trì\tPhối hợp\t",
        "1\tRà soát bản đồ sạt lở\tSở Nông nghiệp và Môi trường\tUBND cấp huyện\t30/4/2025",
        "2\tXây dựng phương án ứng phó\tSở Nông nghiệp và Môi trường\tCác sở, ngành\t15/5/2025",
        "3\tLắp đặt trạm quan trắc\tSở Nông nghiệp và Môi trường\tSở Khoa học và Công nghệ"
        "\t30/9/2025",
        "4\tCắm biển cảnh báo\tUBND cấp huyện\tCông an tỉnh\t30/9/2025",
    ]


def test_html_header_lines_broken_by_br_and_the_page_title_above(tmp_path: Path) -> None:
    """A portal lays the header out as two divs of lines broken by <br>, the first one in
    bold, under the page's own title: the document starts at its issuing body."""
    page = (
        "<html><head><meta charset='utf-8'></head><body><main>"
        "<h1>Kế hoạch phòng, chống sạt lở năm 2025</h1>"
        "<div class='news-meta'>Ngày đăng: 31/03/2025 08:15</div><div class='doc'>"
        "<div class='l'><b>ỦY BAN NHÂN DÂN<br>TỈNH HẬU GIANG</b><br>-------<br>Số: 71/KH-UBND</div>"
        "<div class='r'><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<br>Độc lập - Tự do - Hạnh phúc</b>"
        "<br><i>Hậu Giang, ngày 28 tháng 3 năm 2025</i></div>"
        "<p><b>KẾ HOẠCH</b></p><p><b>Phòng, chống sạt lở bờ sông năm 2025 trên địa bàn tỉnh</b></p>"
        "<p>I. MỤC ĐÍCH</p><p>1. Chủ động phòng ngừa, ứng phó kịp thời với sạt lở bờ sông, "
        "bờ kênh; bảo đảm an toàn tính mạng của Nhân dân.</p></div></main></body></html>"
    )
    lines = _extracted(tmp_path, "kh.html", page).split("\n")
    assert lines[:5] == [
        "ỦY BAN NHÂN DÂN",
        "TỈNH HẬU GIANG",
        "-------",
        "Số: 71/KH-UBND",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    ]
    m = parse_text("\n".join(lines), doc="kh.html").meta
    assert (m.number, m.issuer) == ("71/KH-UBND", "Ủy ban nhân dân tỉnh Hậu Giang")
    assert m.title == "Phòng, chống sạt lở bờ sông năm 2025 trên địa bàn tỉnh"
    # A count is no number line: a page whose document has none keeps its lines.
    counted = page.replace("Số: 71/KH-UBND", "Tổng số: 16 công trình")
    text = _extracted(tmp_path, "kh.html", counted)
    assert text.startswith("Kế hoạch phòng, chống sạt lở năm 2025\n")


def test_html_with_inline_image_and_xml_declaration(tmp_path: Path) -> None:
    image = '<img src="data:image/png;base64,' + "QUJD" * 3_000_000 + '">'
    page = '<?xml version="1.0" encoding="utf-8"?>\n' + _PAGE.format(charset="utf-8")
    page = page.replace('<div class="content1">', '<div class="content1">' + image)
    assert _extracted(tmp_path, "kh.html", page).split("\n") == _HTML_EXPECTED


def test_html_declared_windows_1258(tmp_path: Path) -> None:
    from tests.test_encodings import to_cp1258

    path = tmp_path / "kh.htm"
    path.write_bytes(to_cp1258(_PAGE.format(charset="windows-1258")))
    assert extract(path, "kh.htm").text.split("\n") == _HTML_EXPECTED


def test_html_in_tcvn3_font(tmp_path: Path) -> None:
    body = "<p>Uû ban nh©n d©n tØnh Cµ Mau ban hµnh kÕ ho¹ch thùc hiÖn nhiÖm vô n¨m 2024.</p>"
    page = f"<html><head><meta charset='windows-1252'></head><body>{body * 3}</body></html>"
    path = tmp_path / "old.html"
    path.write_bytes(page.encode("cp1252"))
    first = extract(path, "old.html").text.split("\n")[0]
    assert first == "Uỷ ban nhân dân tỉnh Cà Mau ban hành kế hoạch thực hiện nhiệm vụ năm 2024."


# --- other formats, limits -----------------------------------------------------------------


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice not installed")
def test_pdf_printed_from_word_keeps_the_header_block(tmp_path: Path) -> None:
    import subprocess

    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from search.structure.parser import parse_text

    document = Document()
    header = document.add_table(rows=1, cols=2)
    columns = [
        ["ỦY BAN NHÂN DÂN", "TỈNH CÀ MAU", "Số: 12/KH-UBND"],
        ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
         "Cà Mau, ngày 05 tháng 3 năm 2024"],
    ]  # fmt: skip
    header.autofit = False
    for column, cell, width, lines in zip(
        header.columns, header.rows[0].cells, (2.3, 3.9), columns, strict=True
    ):
        column.width = cell.width = int(width * 914400)  # inches in EMU
        cell.text = lines[0]
        for line in lines[1:]:
            cell.add_paragraph(line)
        for p in cell.paragraphs:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph("KẾ HOẠCH").alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph("I. MỤC ĐÍCH")
    document.add_paragraph(_LONG + ".")
    document.save(tmp_path / "kh.docx")
    subprocess.run(
        ["soffice", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "kh.docx")],
        capture_output=True, timeout=120, check=True,
    )  # fmt: skip
    text = extract(tmp_path / "kh.pdf", "kh.pdf").text
    assert text.split("\n") == [*columns[0], *columns[1], "KẾ HOẠCH", "I. MỤC ĐÍCH", _LONG + "."]
    meta = parse_text(text, doc="kh.pdf").meta
    assert (meta.doc_type, meta.number, meta.date) == ("Kế hoạch", "12/KH-UBND", "05/03/2024")


def test_unsupported_format(tmp_path: Path) -> None:
    path = tmp_path / "trinh_chieu.pptx"
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(DocumentError, match=r"định dạng \.pptx chưa được hỗ trợ"):
        extract(path, "trinh_chieu.pptx")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="không còn tồn tại"):
        extract(tmp_path / "mat.docx", "mat.docx")


def test_too_big_text_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "lon.txt"
    with path.open("wb") as f:  # sparse: 50 MB on paper, nothing on disk
        f.truncate(50 * 2**20)
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("file was read"))
    with pytest.raises(DocumentError) as err:
        extract(path, "lon.txt")
    assert err.value.problem == "tệp quá lớn (50 MB, tối đa 20 MB)"


def test_too_big_pdf(tmp_path: Path) -> None:
    path = tmp_path / "lon.pdf"
    with path.open("wb") as f:
        f.truncate(MAX_BYTES + 1)
    with pytest.raises(DocumentError, match="tệp quá lớn"):
        extract(path, "lon.pdf")


def test_docx_uppercase_tcvn3_font(tmp_path: Path) -> None:
    document = Document()
    run = document.add_paragraph().add_run("kÕ ho¹ch")
    run.font.name = ".VnTimeH"  # draws the lowercase TCVN3 codes as capitals
    path = tmp_path / "h.docx"
    document.save(path)
    assert extract(path, "h.docx").text == "KẾ HOẠCH"


def test_html_without_charset_in_windows_1258(tmp_path: Path) -> None:
    from tests.test_encodings import to_cp1258

    path = tmp_path / "kh.html"
    page = _PAGE.replace(
        '<meta http-equiv="Content-Type" content="text/html; charset={charset}">', ""
    )
    path.write_bytes(to_cp1258(page))
    assert extract(path, "kh.html").text.split("\n") == _HTML_EXPECTED


def test_markdown_file(tmp_path: Path) -> None:
    path = tmp_path / "ct.md"
    path.write_bytes("# CHỈ THỊ\r\n\r\n1. Tăng cường\r\n".encode("utf-16"))
    assert extract(path, "ct.md").text == "# CHỈ THỊ\n\n1. Tăng cường\n"


def test_markdown_footnotes_are_set_as_words_and_their_marks_go(tmp_path: Path) -> None:
    path = tmp_path / "qd.md"
    path.write_text(
        "Tổng diện tích 58.734,6 m²[^1] của 12 khu đất.\n\n"
        "[^1]: Theo số liệu đo đạc năm 2025.\n[^ghi-chu]: Không kể đất công.\n",
        encoding="utf-8",
    )
    assert extract(path, "qd.md").text.split("\n") == [
        "Tổng diện tích 58.734,6 m² của 12 khu đất.",
        "",
        "[1] Theo số liệu đo đạc năm 2025.",
        "Không kể đất công.",
        "",
    ]


def test_markdown_page_saved_from_a_portal(tmp_path: Path) -> None:
    """Menus, links and images go, line for line; the header table's cells are read as a
    web page's header is; the page's frame above the header is blank."""
    page = (
        "[Bỏ qua đến nội dung chính](#noi-dung)\n"
        "![Logo](https://x.gov.vn/logo.png)\n"
        "* [Trang chủ](https://x.gov.vn/)\n"
        "## Kết luận của Phó Chủ tịch tại cuộc họp\n"
        "| ỦY BAN NHÂN DÂN TỈNH SÓC TRĂNG<br>**VĂN PHÒNG**<br>Số: 95/TB-VP | **CỘNG HÒA XÃ HỘI"
        " CHỦ NGHĨA VIỆT NAM**<br>*Sóc Trăng, ngày 18 tháng 4 năm 2025* |\n"
        "|---|---|\n"
        "**THÔNG BÁO**\n"
        "Xem [Quyết định 612](https://x.gov.vn/qd612.pdf) và | STT | Tên |\n"
        "| STT | Tên dự án |\n"
        "|---|---|\n"
    )
    lines = _extracted(tmp_path, "tb.md", page).split("\n")
    assert lines[:4] == ["", "", "", ""]
    assert lines[4] == (
        "ỦY BAN NHÂN DÂN TỈNH SÓC TRĂNG\tVĂN PHÒNG\tSố: 95/TB-VP\t"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\tSóc Trăng, ngày 18 tháng 4 năm 2025"
    )
    assert lines[5:10] == [
        "",
        "**THÔNG BÁO**",
        "Xem Quyết định 612 và | STT | Tên |",
        "| STT | Tên dự án |",
        "|---|---|",  # a data table's ruler stays
    ]
    meta = parse_text("\n".join(lines), doc="tb.md").meta
    assert (meta.doc_type, meta.number, meta.date) == ("Thông báo", "95/TB-VP", "18/04/2025")


def test_markdown_exported_from_a_wiki(tmp_path: Path) -> None:
    """Front matter and the frame above the header go; the header, a two-column table a row
    per line, is read as a web page's; escapes, anchors and wiki links go, line for line."""
    page = (
        "---\n"
        'title: "Báo cáo 61/BC-UBND"\n'
        "---\n"
        "[Trang chủ](/wiki/Trang_chính) › Báo cáo 61/BC-UBND\n"
        "| | |\n"
        "|---|---|\n"
        "| ỦY BAN NHÂN DÂN | **CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM** |\n"
        "| **TỈNH ĐỒNG THÁP** | **Độc lập - Tự do - Hạnh phúc** |\n"
        "| Số: 61/BC-UBND | *Đồng Tháp, ngày 18 tháng 3 năm 2025* |\n"
        "# BÁO CÁO {#bao-cao}\n"
        "Kết quả thực hiện [[Chương trình OCOP]] năm 2024\n"
        "### 1\\. Công tác chỉ đạo\n"
        "| 2 | Thành phố Sa Đéc | Hủ tiếu \\| bột gạo ([xem](https://x.vn/a_(b))) |\n"
        "[In trang](javascript:window.print()) | [Gửi email](mailto:a)\n"
    )
    lines = _extracted(tmp_path, "bc.md", page).split("\n")
    assert lines[:6] == [""] * 6
    assert lines[6:9] == [
        "ỦY BAN NHÂN DÂN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "TỈNH ĐỒNG THÁP\tĐộc lập - Tự do - Hạnh phúc",
        "Số: 61/BC-UBND\tĐồng Tháp, ngày 18 tháng 3 năm 2025",
    ]
    assert lines[9:14] == [
        "# BÁO CÁO",
        "Kết quả thực hiện Chương trình OCOP năm 2024",
        "### 1. Công tác chỉ đạo",
        "| 2 | Thành phố Sa Đéc | Hủ tiếu ¦ bột gạo (xem) |",
        "",
    ]
    meta = parse_text("\n".join(lines), doc="bc.md").meta
    assert (meta.doc_type, meta.number, meta.date) == ("Báo cáo", "61/BC-UBND", "18/03/2025")
    assert meta.title == "Kết quả thực hiện Chương trình OCOP năm 2024"


def test_markdown_header_table_flattened_one_cell_a_line(tmp_path: Path) -> None:
    """A converter writes each cell of the header's layout table on one line: its
    paragraphs are marked only by emphasis, rules and the number and subject lines. They
    are read as the header's lines, and the title passage is the subject alone; so is the
    signature's table. A plain two-cell table's row stays a row."""
    page = (
        "| UBND TỈNH CÀ MAU **SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH** ------- Số: 2471/SVHTTDL-QLDL"
        " V/v triển khai kích cầu du lịch | **CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM** **Độc lập"
        " - Tự do - Hạnh phúc** ------ *Cà Mau, ngày 10 tháng 11 năm 2026* |\n"
        "| --- | --- |\n"
        "\n"
        "Sở Văn hóa, Thể thao và Du lịch đề nghị các đơn vị thực hiện.\n"
        "\n"
        "| **Nơi nhận:** - Như trên; - Lưu: VT. | **KT. GIÁM ĐỐC** *(Đã ký)* **Dương Mỹ Xuyên** |\n"
        "| --- | --- |\n"
        "| **Nơi nhận** | **Số lượng** |\n"
    )
    lines = _extracted(tmp_path, "cv.md", page).split("\n")
    assert lines[0].split("\t") == [
        "UBND TỈNH CÀ MAU", "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "Số: 2471/SVHTTDL-QLDL",
        "V/v triển khai kích cầu du lịch", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc", "Cà Mau, ngày 10 tháng 11 năm 2026",
    ]  # fmt: skip
    assert lines[5].split("\t") == [
        "Nơi nhận:", "- Như trên;", "- Lưu: VT.", "KT. GIÁM ĐỐC", "(Đã ký)", "Dương Mỹ Xuyên"
    ]  # fmt: skip
    assert lines[7] == "| **Nơi nhận** | **Số lượng** |"
    parsed = parse_text("\n".join(lines), doc="cv.md")
    meta = parsed.meta
    assert (meta.doc_type, meta.number, meta.date) == (
        "Công văn",
        "2471/SVHTTDL-QLDL",
        "10/11/2026",
    )
    assert meta.issuer == "Sở Văn hóa, Thể thao và Du lịch tỉnh Cà Mau"
    assert meta.signer == "Dương Mỹ Xuyên"  # the recipients' cells, then the signature's
    assert parsed.units[0].lines == [(1, "V/v triển khai kích cầu du lịch")]


def test_a_table_drawn_with_box_characters(tmp_path: Path) -> None:
    """Each row, its cells wrapped over lines, is one tab-separated line on its first line;
    a cell spanning columns keeps its place, and the figures after it theirs."""
    table = [
        "┌─────┬──────────────────┬──────────────┬─────────┐",
        "│ STT │  Tên công trình  │   Địa điểm   │ Tổng mức│",
        "├─────┼──────────────────┼──────────────┼─────────┤",
        "│  I  │ HUYỆN LONG HỒ (02 công trình)   │   7.230 │",
        "├─────┼──────────────────┬──────────────┼─────────┤",
        "│  1  │ Đường giao thông │ Xã Thanh Đức │   4.250 │",
        "│     │ ấp Thanh Mỹ 1    │              │         │",
        "├─────┼──────────────────┼──────────────┼─────────┤",
        "│  2  │ Cầu Rạch Ông Hổ  │ Xã Hòa Ninh  │   2.980 │",
        "└─────┴──────────────────┴──────────────┴─────────┘",
    ]
    text = "QUYẾT ĐỊNH\nVề danh mục công trình\nPhụ lục\nDANH MỤC\n" + "\n".join(table) + "\n"
    lines = _extracted(tmp_path, "qd.txt", text).split("\n")
    assert lines[4:] == [
        "",
        "STT\tTên công trình\tĐịa điểm\tTổng mức",
        "",
        "I\tHUYỆN LONG HỒ (02 công trình)\t\t7.230",
        "",
        "1\tĐường giao thông ấp Thanh Mỹ 1\tXã Thanh Đức\t4.250",
        "",
        "",
        "2\tCầu Rạch Ông Hổ\tXã Hòa Ninh\t2.980",
        "",
        "",
    ]
    rows = {u.row_name: u for u in parse_text("\n".join(lines), doc="qd.txt").units if u.cells}
    assert rows["Đường giao thông ấp Thanh Mỹ 1"].path == ("Phụ lục", "I", "1")
    assert rows["Đường giao thông ấp Thanh Mỹ 1"].lines[0][0] == 10  # the row's first line


def test_a_box_table_ruled_off_only_as_a_body(tmp_path: Path) -> None:
    """A grid ruled under its header ("+====+") and around its body, no rule between rows:
    each number in the first column opens a row; a line with none goes on the row above."""
    table = [
        "+----+-------------------------------+---------+----------+",
        "|STT | Đảng bộ                       |Chỉ tiêu |Đoàn viên |",
        "+====+===============================+=========+==========+",
        "|  1 | Đảng bộ Công an tỉnh          |     210 |      190 |",
        "|  2 | Đảng bộ phường Bạc Liêu       |      80 |       50 |",
        "|    | (gồm 38 chi bộ khóm)          |         |          |",
        "+----+-------------------------------+---------+----------+",
        "|    | Tổng cộng                     |     290 |      240 |",
        "+----+-------------------------------+---------+----------+",
    ]
    text = "KẾ HOẠCH\nPhát triển đảng viên\nPhụ lục\nCHỈ TIÊU\n" + "\n".join(table) + "\n"
    rows = [line for line in _extracted(tmp_path, "kh.txt", text).split("\n") if "\t" in line]
    assert rows == [
        "STT\tĐảng bộ\tChỉ tiêu\tĐoàn viên",
        "1\tĐảng bộ Công an tỉnh\t210\t190",
        "2\tĐảng bộ phường Bạc Liêu (gồm 38 chi bộ khóm)\t80\t50",
        "\tTổng cộng\t290\t240",
    ]


def test_an_email_forwarding_a_document(tmp_path: Path) -> None:
    """The quote marks go; the messages above the quoted document's header are blank."""
    mail = (
        "From: Lâm Thanh Phong <phong@x.gov.vn>\n"
        "Sent: Wednesday, May 7, 2025 7:58 AM\n"
        "Subject: FW: CV 1845/UBND-KTNV\n"
        "\n"
        "Chị Hà, phòng đã nhận công văn.\n"
        "> From: Văn thư <vanthu@x.gov.vn>\n"
        "> Subject: CV 1845/UBND-KTNV\n"
        ">\n"
        "> ỦY BAN NHÂN DÂN              CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "> TỈNH VĨNH LONG                   Độc lập - Tự do - Hạnh phúc\n"
        "> Số: 1845/UBND-KTNV            Vĩnh Long, ngày 05 tháng 5 năm 2025\n"
        "> V/v đẩy nhanh tiến độ giải phóng mặt bằng\n"
        ">\n"
        ">     Theo Báo cáo số 142/BC-UBND, dự án thu hồi 96,4 ha.\n"
    )
    lines = _extracted(tmp_path, "cv.txt", mail).split("\n")
    assert lines[:8] == [""] * 8
    assert lines[8].startswith("ỦY BAN NHÂN DÂN") and lines[13].startswith("    Theo Báo cáo")
    meta = parse_text("\n".join(lines), doc="cv.txt").meta
    assert (meta.doc_type, meta.number, meta.date) == ("Công văn", "1845/UBND-KTNV", "05/05/2025")
    # Not an e-mail: a line quoted with ">" in a document stays as it is.
    assert _extracted(tmp_path, "a.txt", "Ghi chú\n> 5 ha\n") == "Ghi chú\n> 5 ha\n"


def test_text_file_goes_through_legacy_decoding(tmp_path: Path) -> None:
    path = tmp_path / "cu.txt"
    path.write_bytes(encode_legacy("Kế hoạch phát triển kinh tế - xã hội năm 2025", "vni"))
    assert extract(path, "cu.txt") == Extracted("Kế hoạch phát triển kinh tế - xã hội năm 2025")
