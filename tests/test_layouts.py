"""Layouts tools other than Word leave: columns aligned with spaces, pandoc's grid tables,
tables built from <div>s, an appendix printed alone with its document named only in the
caption. Each is read into the lines and the metadata a Word file of the same document
gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from search.extract import extract
from search.extract.common import tab_lines
from search.structure.layout import split_caption
from search.structure.parser import parse_text

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def _parsed(path: Path):
    return parse_text(extract(path, path.name).text, doc=path.name)


def test_plain_text_header_and_signature_aligned_with_spaces(tmp_path: Path) -> None:
    lines = [
        "      ỦY BAN NHÂN DÂN                 CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "      TỈNH TIỀN GIANG                       Độc lập - Tự do - Hạnh phúc",
        "      Số: 2150/UBND-KT",
        "V/v tăng cường các giải pháp chống      Tiền Giang, ngày 14 tháng 5 năm 2025",
        "khai thác IUU tại cảng cá Vàm Láng",
        "",
        "Kính gửi: Sở Nông nghiệp và Môi trường.",
        "",
        "Ủy ban nhân dân tỉnh đề nghị kiểm tra 100% tàu cá cập cảng.",
        "",
        "Nơi nhận:                                       KT. CHỦ TỊCH",
        "- Như trên;                                     PHÓ CHỦ TỊCH",
        "- Lưu: VT.                                      (Đã ký)",
        "                                                Trần Quốc Bảo",
    ]
    path = tmp_path / "cv.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    meta = _parsed(path).meta
    assert (meta.doc_type, meta.number, meta.date) == ("Công văn", "2150/UBND-KT", "14/05/2025")
    assert meta.title == "V/v tăng cường các giải pháp chống khai thác IUU tại cảng cá Vàm Láng"
    assert meta.signer == "Trần Quốc Bảo"


def test_a_copys_blank_number_and_date_are_not_columns(tmp_path: Path) -> None:
    lines = [
        "ỦY BAN NHÂN DÂN TỈNH SÓC TRĂNG",
        "Số:        /KH-UBND       Sóc Trăng, ngày      tháng      năm 2025",
        "",
        "KẾ HOẠCH",
        "Phòng, chống bệnh Dại năm 2025",
        "",
        "I. MỤC ĐÍCH",
    ]
    path = tmp_path / "kh.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    doc = _parsed(path)
    assert (doc.meta.doc_type, doc.meta.title) == ("Kế hoạch", "Phòng, chống bệnh Dại năm 2025")
    assert not any("/KH-UBND" in text for u in doc.units for _, text in u.lines)


def test_markdown_grid_tables_as_pandoc_writes_them(tmp_path: Path) -> None:
    md = """\
+:------------------------+:---------------------------------------+
| ỦY BAN NHÂN DÂN         | **CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM** |
|                         |                                        |
| **TỈNH TIỀN GIANG**     | **Độc lập - Tự do - Hạnh phúc**        |
|                         |                                        |
| Số: 168/BC-UBND         | *Tiền Giang, ngày 09 tháng 6 năm 2025* |
+-------------------------+----------------------------------------+

**BÁO CÁO**

**Tình hình bồi thường, giải phóng mặt bằng 5 tháng đầu năm
2025; nhiệm vụ thời gian tới**

# I. KẾT QUẢ

Đã bàn giao 126,9 ha.

+----------------------+------------------------+
| ***Nơi nhận:***      | **KT. CHỦ TỊCH**       |
|                      |                        |
| \\- Như trên;         | **PHÓ CHỦ TỊCH**       |
|                      |                        |
| \\- Lưu: VT.          | **Nguyễn Minh Khoa**   |
+----------------------+------------------------+

**PHỤ LỤC**

+-----+------------------+-----------+--------------+
| STT | Dự án            | Diện tích | Thời hạn     |
+=====+==================+===========+==============+
| 1   | Đường cao tốc    | 128,6     | 30/6/2025    |
|     | Cao Lãnh - An    |           |              |
|     | Hữu              |           |              |
+-----+------------------+-----------+--------------+
|     | **TỔNG CỘNG**    | **128,6** |              |
+-----+------------------+-----------+--------------+
"""
    path = tmp_path / "bc.md"
    path.write_text(md, encoding="utf-8")
    text = extract(path, path.name).text.split("\n")
    assert "1\tĐường cao tốc Cao Lãnh - An Hữu\t128,6\t30/6/2025" in text
    assert "\tTỔNG CỘNG\t128,6\t" in text  # emphasis gone from the cells
    assert "- Như trên;\tPHÓ CHỦ TỊCH" in text  # two columns lay text out: a line each
    meta = parse_text("\n".join(text), doc=path.name).meta
    assert (meta.doc_type, meta.number, meta.signer) == (
        "Báo cáo",
        "168/BC-UBND",
        "Nguyễn Minh Khoa",
    )
    assert meta.title == (
        "Tình hình bồi thường, giải phóng mặt bằng 5 tháng đầu năm 2025; nhiệm vụ thời gian tới"
    )


def test_html_table_laid_out_with_divs(tmp_path: Path) -> None:
    cells = [
        ("STT", "Nhiệm vụ", "Cơ quan chủ trì", "Kinh phí"),
        ("1", "Chỉnh trang 04 bến thuyền", "UBND thành phố Mỹ Tho", "1.650"),
        ("2", "Khôi phục chợ nổi Cái Bè", "UBND huyện Cái Bè", "4.530"),
    ]
    rows = "".join(
        '<div class="row">' + "".join(f'<div class="cell">{c}</div>' for c in row) + "</div>"
        for row in cells
    )
    group = '<div class="row"><div class="cell">I</div><div class="cell span2">Cù lao Thới Sơn'
    group += '</div><div class="cell" style="grid-column: 4">1.970</div></div>'
    body = " ".join(["Chủ tịch Ủy ban nhân dân tỉnh kết luận như sau."] * 8)
    page = (
        "<html><body><nav><a href='/'>Trang chủ</a></nav><article><h1>Thông báo kết luận</h1>"
        f"<p>{body}</p><p>PHỤ LỤC</p><div class='pl-grid'>{rows}{group}</div>"
        "</article></body></html>"
    )
    path = tmp_path / "tb.html"
    path.write_text(page, encoding="utf-8")
    text = extract(path, path.name).text.split("\n")
    assert "1\tChỉnh trang 04 bến thuyền\tUBND thành phố Mỹ Tho\t1.650" in text
    assert "I\tCù lao Thới Sơn\t\t1.970" in text  # spans two columns


def test_a_column_no_row_fills_is_left_out() -> None:
    # A WPS or Google Docs row indented by an empty grid column ("w:gridBefore").
    assert tab_lines([["", "STT", "Nhiệm vụ"], ["", "1", "Rà soát"]]) == [
        "STT\tNhiệm vụ",
        "1\tRà soát",
    ]
    assert tab_lines([["STT", "", "Ghi chú"], ["1", "a", ""]]) == ["STT\t\tGhi chú", "1\ta\t"]


def test_a_title_line_ending_with_its_caption() -> None:
    title = "DANH MỤC NHIỆM VỤ NĂM 2025"
    caption = "(Kèm theo Kế hoạch số 52/KH-UBND ngày 24/02/2025 của UBND tỉnh Tiền Giang)"
    assert split_caption(f"{title} {caption}") == (title, caption)
    assert split_caption("Kinh phí (kèm theo dự toán)") == ("Kinh phí (kèm theo dự toán)", "")


@pytest.mark.skipif(not DEJAVU.exists(), reason="DejaVu Sans not installed")
def test_pdf_appendix_printed_alone_names_its_document_in_the_caption(tmp_path: Path) -> None:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DejaVu", str(DEJAVU)))
    width, height = landscape(A4)
    path = tmp_path / "phu_luc.pdf"
    c = canvas.Canvas(str(path), pagesize=(width, height))
    title = "DANH MỤC NHIỆM VỤ PHÒNG, CHỐNG HẠN HÁN, THIẾU NƯỚC, XÂM NHẬP MẶN MÙA KHÔ 2025"
    caption = (
        "(Kèm theo Kế hoạch số 52/KH-UBND ngày 24/02/2025 của Ủy ban nhân dân tỉnh Tiền Giang)"
    )
    for page in (1, 2):
        c.setFont("DejaVu", 9)
        c.drawRightString(width - 36, height - 30, "PL_hanman2025")  # the sheet's name
        c.setFont("DejaVu", 11)
        y = height - 48
        if page == 1:
            c.drawCentredString(width / 2, y, "Phụ lục")
            c.drawCentredString(width / 2, y - 16, title)
            c.drawCentredString(width / 2, y - 32, caption)
            y -= 60
        for n, (task, place) in enumerate([("Đắp đập tạm ngăn mặn", "Gò Công Đông")] * 3, 1):
            c.drawString(40, y, f"{n}")
            c.drawString(80, y, task)
            c.drawString(400, y, place)
            c.drawString(600, y, "2.400")
            y -= 16
        c.showPage()
    c.save()
    text = extract(path, path.name).text
    assert "PL_hanman2025" not in text
    meta = parse_text(text, doc=path.name).meta
    assert (meta.doc_type, meta.number, meta.date) == ("Kế hoạch", "52/KH-UBND", "24/02/2025")
    assert meta.issuer == "Ủy ban nhân dân tỉnh Tiền Giang"


def test_plain_text_table_aligned_with_spaces(tmp_path: Path) -> None:
    table = [
        "PHỤ LỤC",
        "------------------------------------------------------------------------",
        "STT  Nhiệm vụ                      Cơ quan chủ trì     Thời hạn  Kinh phí",
        "                                                                (tr.đồng)",
        "------------------------------------------------------------------------",
        "I    QUẢN LÝ ĐỘI TÀU CÁ                                               355",
        "",
        "1    Cập nhật dữ liệu 100% tàu cá  Sở Nông nghiệp và   31/5/2025       60",
        "     lên VNFishbase                Môi trường",
        "",
        "2    Hỗ trợ cước thuê bao VMS      Sở Tài chính        30/6/2025      255",
        "------------------------------------------------------------------------",
        "     TỔNG CỘNG                                                        355",
        "------------------------------------------------------------------------",
        "Ghi chú: kinh phí từ ngân sách tỉnh.",
    ]
    path = tmp_path / "pl.txt"
    path.write_text("\n".join(table), encoding="utf-8")
    lines = extract(path, path.name).text.split("\n")
    assert lines[2] == "STT\tNhiệm vụ\tCơ quan chủ trì\tThời hạn\tKinh phí (tr.đồng)"
    assert lines[7] == (
        "1\tCập nhật dữ liệu 100% tàu cá lên VNFishbase\tSở Nông nghiệp và Môi trường"
        "\t31/5/2025\t60"
    )
    assert lines[5] == "I\tQUẢN LÝ ĐỘI TÀU CÁ\t\t\t355" and lines[8] == ""  # wrapped: blank
    assert (
        lines[12] == "\tTỔNG CỘNG\t\t\t355" and lines[-1] == "Ghi chú: kinh phí từ ngân sách tỉnh."
    )


def test_an_aligned_table_without_a_rule_under_its_header(tmp_path: Path) -> None:
    """No rule or blank line ends the header: its first numbered row does; the rows are
    not read as more header lines."""
    table = [
        "STT  Chỉ số thành phần          Mục tiêu 2026 (điểm)  Cơ quan chủ trì",
        "1    Gia nhập thị trường        ≥ 7,2                 Sở Tài chính",
        "2    Tiếp cận đất đai           ≥ 6,8                 Sở Nông nghiệp và Môi trường",
        "3    Tính minh bạch             ≥ 6,5                 Văn phòng UBND tỉnh",
        "4    Chi phí thời gian          ≥ 7,0                 Sở Nội vụ",
    ]
    path = tmp_path / "pci.txt"
    path.write_text("\n".join(table), encoding="utf-8")
    assert extract(path, path.name).text.split("\n") == [
        "STT\tChỉ số thành phần\tMục tiêu 2026 (điểm)\tCơ quan chủ trì",
        "1\tGia nhập thị trường\t≥ 7,2\tSở Tài chính",
        "2\tTiếp cận đất đai\t≥ 6,8\tSở Nông nghiệp và Môi trường",
        "3\tTính minh bạch\t≥ 6,5\tVăn phòng UBND tỉnh",
        "4\tChi phí thời gian\t≥ 7,0\tSở Nội vụ",
    ]


def test_pdftotext_layout_pages_and_a_table_across_them(tmp_path: Path) -> None:
    running = "               UBND tỉnh Long An – Kế hoạch số 86/KH-UBND ngày 14/3/2025"
    head = [
        "STT          Tên nhiệm vụ              Cơ quan chủ trì        Thời gian     Kinh phí",
        "                                                             hoàn thành     (triệu)",
    ]
    page1 = [
        running,
        "",
        "  ỦY BAN NHÂN DÂN            CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "   TỈNH LONG AN                  Độc lập - Tự do - Hạnh phúc",
        "   Số: 86/KH-UBND              Long An, ngày 14 tháng 3 năm 2025",
        "",
        "                         KẾ HOẠCH",
        "        Phát triển lúa chất lượng cao năm 2025",
        "",
        "                          PHỤ LỤC",
        *head,
        "",
        " 1    Rà soát bản đồ vùng chuyên       Sở Nông nghiệp và      30/4/2025          850",
        "      canh đến từng cánh đồng          Môi trường",
        "",
        "                              Trang 1/2",
    ]
    page2 = [
        "\f" + running,
        "",
        *[" " + line for line in head],  # another page sets its columns a little apart
        "",
        "  2    Lập cơ sở dữ liệu vùng trồng     Sở Khoa học và         30/9/2025          500",
        "                                        Công nghệ",
        "",
        "                              Trang 2/2",
    ]
    path = tmp_path / "kh.txt"
    path.write_text("\n".join(page1 + page2), encoding="utf-8")
    text = extract(path, path.name).text
    assert "Trang 1/2" not in text and "Kế hoạch số 86/KH-UBND ngày" not in text
    lines = [line for line in text.split("\n") if "\t" in line]
    assert lines == [
        "STT\tTên nhiệm vụ\tCơ quan chủ trì\tThời gian hoàn thành\tKinh phí (triệu)",
        "1\tRà soát bản đồ vùng chuyên canh đến từng cánh đồng\tSở Nông nghiệp và Môi trường"
        "\t30/4/2025\t850",
        "2\tLập cơ sở dữ liệu vùng trồng\tSở Khoa học và Công nghệ\t30/9/2025\t500",
    ]
    meta = parse_text(text, doc=path.name).meta
    assert (meta.doc_type, meta.title) == ("Kế hoạch", "Phát triển lúa chất lượng cao năm 2025")


def test_a_scans_text_layer_keeps_its_header() -> None:
    from search.structure.layout import is_state_motto

    assert is_state_motto("Độc lập - Tư do - Hanh phúc")  # OCR dropped two tone marks
    assert not is_state_motto("Độc lập, tự chủ về tài chính")
    lines = [
        "UBND TỈNH LONG AN",
        "VĂN PHÒNG",
        "Số: 214/TB-VPUBND",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tư do - Hanh phúc",
        "Long An, ngày 23 tháng 5 năm 2025",
        "THÔNG BÁO",
        "Kết luận của Chủ tịch Ủy ban nhân dân tỉnh",
        "Ngày 20/5/2025, Chủ tịch đã kiểm tra.",
    ]
    meta = parse_text("\n".join(lines), doc="tb.pdf").meta
    assert (meta.date, meta.title) == ("23/05/2025", "Kết luận của Chủ tịch Ủy ban nhân dân tỉnh")
