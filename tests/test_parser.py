"""Structure recovery on the fixture documents (spec: tests/fixtures/README.md)."""

import pytest
from conftest import FIXTURES, parse_fixture

from search.index.chunker import Chunker, lexical_fields
from search.structure.bodies import org_name, unplaced
from search.structure.cell_table import parse_cell_table
from search.structure.footnotes import is_footnote
from search.structure.layout import (
    is_caption,
    is_person_name,
    parse_appendix,
    parse_marker,
)
from search.structure.parser import parse_text


def note(units, n: int):
    """The footnote passage numbered ``n``."""
    return next(u for u in units if u.path == (f"Chú thích {n}",))


def unit_at(doc, line):
    """The unit whose line span contains ``line``."""
    for u in doc.units:
        if any(n == line for n, _ in u.lines):
            return u
    raise AssertionError(f"no unit holds line {line}")


def path(doc, line):
    return " > ".join(unit_at(doc, line).path)


def all_text(doc):
    return "\n".join(u.text for u in doc.units) + "\n".join(
        v for u in doc.units for _, v in u.cells
    )


@pytest.mark.parametrize(
    "text, style, label",
    [
        ("I. MỤC ĐÍCH", "roman", "I"),
        ("II- MỤC TIÊU", "roman", "II"),
        ("A- Về thực hiện", "upper", "A"),
        ("1. Quán triệt", "num", "1"),
        ("1.2. Thường xuyên", "subnum", "1.2"),
        ("(3) Tháo gỡ", "paren", "(3)"),
        ("- (1) Phát huy", "paren", "(1)"),
        ("a) Văn phòng", "letter", "a)"),
        ("đ) Căn cứ", "letter", "đ)"),
        ("- Sở Nội vụ", "dash", "-"),
        ("+ Rà soát", "plus", "+"),
        ("Chương II", "chapter", "Chương II"),
        ("Mục 1. THÀNH LẬP", "lawsection", "Mục 1"),
        ("Điều 47. Hiệu lực", "article", "Điều 47"),
        ("Thứ nhất, tập trung", "ordinal", "Thứ nhất"),
    ],
)
def test_marker_styles(text, style, label):
    m = parse_marker(text)
    assert m is not None and (m.style, m.label) == (style, label)


def test_marker_letters_that_look_roman():
    # After "H-" comes the letter I; after "IV." the numeral V.
    assert parse_marker("I- Nội dung", prev_upper="H").style == "upper"
    assert parse_marker("V. Tổ chức", prev_roman=4).style == "roman"


def test_not_markers():
    assert parse_marker("“1. Khoản được sửa đổi”") is None
    assert parse_marker("Thứ Ba, 11/11/2025") is None  # a weekday, not "Thứ ba, ..."
    assert parse_marker("Thứ Hai, ngày 3/11/2025") is None
    assert parse_marker("2024 là năm bản lề") is None
    assert parse_marker("Tỉnh Cà Mau") is None


def test_appendix_headings():
    assert parse_appendix("PHỤ LỤC 4.1") == ("Phụ lục 4.1", "")
    assert parse_appendix("Phụ lục II") == ("Phụ lục II", "")
    assert parse_appendix("Phụ lục số I phân công kèm theo.") is None
    # A title after a colon or a dash, as a converter leaves a bold heading.
    title = "Diện tích thực hiện Đề án theo địa phương"
    assert parse_appendix(f"Phụ lục: {title}") == ("Phụ lục", title)
    assert parse_appendix("Phụ lục I - Danh mục dự án") == ("Phụ lục I", "Danh mục dự án")
    assert parse_appendix("Phụ lục: xem tại trang sau.") is None  # a sentence


def cited_as(meta):
    """What a citation names of a document: type, number, date, issuing body."""
    return (meta.doc_type, meta.number, meta.date, meta.issuer)


def test_an_unnumbered_letter_is_numbered_by_its_appendix_caption():
    """The header copy was never numbered ("Số:   /STTTT-CĐS", "ngày  tháng  năm 20"); the
    appendix caption, in parentheses after its own name, says which letter it is."""
    text = (
        "UBND TỈNH KIÊN GIANG\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "SỞ THÔNG TIN VÀ TRUYỀN THÔNG\tĐộc lập - Tự do - Hạnh phúc\n"
        "Số:        /STTTT-CĐS\tKiên Giang, ngày      tháng      năm 20\n"
        "V/v triển khai nhiệm vụ chuyển đổi số,\n"
        "phát triển chính quyền số năm 2025\n"
        "1. Các sở, ban, ngành cung cấp dịch vụ công trực tuyến toàn trình.\n"
        "Phụ lục\n"
        "DANH MỤC NHIỆM VỤ TRỌNG TÂM NĂM 2025\n"
        "(Phụ lục kèm theo Công văn số 152/STTTT-CĐS ngày 14 tháng 02 năm 2025 của Sở Thông "
        "tin và Truyền thông tỉnh Kiên Giang)\n"
        "STT\tNhiệm vụ\tĐơn vị chủ trì\tThời hạn\n"
        "1\tSố hóa hồ sơ thủ tục hành chính\tCác sở, ngành\tTháng 11/2025"
    )
    m = parse_text(text, doc="cv.txt").meta
    assert cited_as(m) == (
        "Công văn",
        "152/STTTT-CĐS",
        "14/02/2025",
        "Sở Thông tin và Truyền thông tỉnh Kiên Giang",
    )
    assert m.title == "V/v triển khai nhiệm vụ chuyển đổi số, phát triển chính quyền số năm 2025"
    assert is_caption("(Danh mục kèm theo Quyết định số 12/QĐ-UBND)")
    assert not is_caption("Danh mục kèm theo Kế hoạch này gồm 12 nhiệm vụ.")


def test_a_markdown_header_and_an_office_under_its_superior():
    """A converter's Markdown header: emphasis around the date line, the trích yếu in bold
    and long; "VĂN PHÒNG" under "UBND TỈNH" is that committee's office."""
    title = (
        "Kết quả thực hiện Đề án phát triển bền vững một triệu héc-ta chuyên canh lúa chất "
        "lượng cao và phát thải thấp năm 2024, kế hoạch năm 2025 trên địa bàn tỉnh An Giang"
    )
    text = (
        "**UBND TỈNH AN GIANG**\n\n**SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN**\n\n"
        "Số: 38/BC-SNNPTNT\n\n**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**\n\n"
        "*An Giang, ngày 15 tháng 01 năm 2025*\n\n**BÁO CÁO**\n\n"
        f"**{title}**\n\nI. KẾT QUẢ\nNăm 2024 thực hiện 18.650 ha."
    )
    m = parse_text(text, doc="bc.md").meta
    assert (m.doc_type, m.date, m.title) == ("Báo cáo", "15/01/2025", title)
    assert m.issuer == "Sở Nông nghiệp và Phát triển nông thôn tỉnh An Giang"
    office = "UBND TỈNH AN GIANG\nVĂN PHÒNG\nSố: 96/TB-VPUBND\nTHÔNG BÁO\nKết luận cuộc họp"
    m = parse_text(office, doc="tb.txt").meta
    assert m.issuer == "Văn phòng Ủy ban nhân dân tỉnh An Giang"


def test_a_wrapped_footnote_is_one_passage_with_its_indented_lines():
    text = (
        "1. Hoàn thành khu tái định cư trước ngày 31/8/2025.\n\n"
        "[1] Khu tái định cư được phê duyệt tại Quyết định số 3012/QĐ-UBND\n"
        "    của Ủy ban nhân dân tỉnh, tổng mức đầu tư 64,5 tỷ đồng.\n"
        "[2] Số liệu đến hết ngày 31/5/2025.\n"
        "Nơi nhận:\n"
    )
    units = parse_text(text, doc="a.md", fingerprint="x").units
    first, second = (u for u in units if u.path and u.path[0].startswith("Chú thích"))
    assert first.path == ("Chú thích 1",) and first.text.endswith("64,5 tỷ đồng.")
    assert second.path == ("Chú thích 2",) and "Nơi nhận" not in second.text


def test_a_footnote_numbered_with_a_raised_digit_is_a_passage_of_its_own():
    """Typed without a word processor's notes, the mark is a raised digit on the word
    ("báo cáo¹") and the note opens with it: the note is a passage cited by its number and
    the mark leaves the word."""
    text = (
        "1. Đánh giá chung\n"
        "Sau khi nghe Thống kê tỉnh báo cáo¹, Trưởng Ban Chỉ đạo kết luận như sau:\n"
        "2. Nhiệm vụ trong thời gian tới\n"
        "¹ Báo cáo số 09/BC-TK ngày 13/8/2025 của Thống kê tỉnh về tiến độ thu thập thông tin.\n"
        "a) Thống kê tỉnh: hoàn thành thu thập thông tin trước ngày 31/8/2025.\n"
    )
    units = parse_text(text, doc="tb.txt", fingerprint="x").units
    assert note(units, 1).text == (
        "[1] Báo cáo số 09/BC-TK ngày 13/8/2025 của Thống kê tỉnh về tiến độ thu thập thông tin."
    )
    assert any("báo cáo, Trưởng Ban" in u.text for u in units)
    assert all("¹" not in u.text for u in units)
    assert any(u.path == ("2", "a)") for u in units)


def test_notes_typed_under_a_rule_are_passages_of_their_own():
    """A plain text keeps a word processor's notes as "(1) ..." under a rule, their marks
    glued to the words above ("thông báo(1)"): each note is a passage cited by its number,
    not the end of the last paragraph. A list numbered "(1)" under a rule, with no mark
    above, stays a list."""
    text = (
        "I- ĐÁNH GIÁ CHUNG\n"
        "      Toàn tỉnh có 57 cơ sở đã ngừng hoạt động nhưng chưa làm thủ tục thông báo(1).\n"
        "II- NHIỆM VỤ\n"
        "   - Sở Tài chính bố trí 640 triệu đồng kinh phí cho các đoàn kiểm tra(2).\n\n"
        "      ____________________\n"
        "      (1) Theo Nghị định số 54/2019/NĐ-CP ngày 19/6/2019 của Chính phủ quy định\n"
        "      về kinh doanh dịch vụ karaoke.\n\n"
        "      (2) Từ nguồn ngân sách tỉnh năm 2026.\n\n"
        "Nơi nhận:\n"
    )
    units = parse_text(text, doc="tb.txt", fingerprint="x").units
    first = note(units, 1)
    assert first.text.startswith("[1] Theo Nghị định") and first.text.endswith("karaoke.")
    assert note(units, 2).text.startswith("[2] Từ")
    body = " ".join(u.text for u in units if not is_footnote(u.path))
    assert "thủ tục thông báo(1)." in body  # as typed: a quote copies the mark
    assert "Theo Nghị định" not in body
    listed = "MỤC TIÊU\n_____\n(1) Sắp xếp tổ chức bộ máy.\n(2) Tăng cường kỷ luật.\n"
    assert not any(is_footnote(u.path) for u in parse_text(listed, doc="b.txt").units)


def test_an_addressee_set_above_the_type_line_leaves_the_header_readable():
    """An export may set "Kính gửi" first: the type and trích yếu below are still read, and
    the addressee stays in the title's passage."""
    text = (
        "**Kính gửi:** Ban Chỉ đạo phổ cập giáo dục, xóa mù chữ (Bộ Giáo dục và Đào tạo).\n\n"
        "# BÁO CÁO\n\n## Kết quả phổ cập giáo dục, xóa mù chữ năm 2025\n\n"
        "Ban Chỉ đạo báo cáo kết quả năm 2025 như sau:\n\n### I. KẾT QUẢ\n- Đạt chuẩn.\n"
    )
    doc = parse_text(text, doc="bc.md")
    assert (doc.meta.doc_type, doc.meta.title) == (
        "Báo cáo",
        "Kết quả phổ cập giáo dục, xóa mù chữ năm 2025",
    )
    assert doc.units[0].text.startswith("Kính gửi: Ban Chỉ đạo phổ cập giáo dục")
    assert sum("Kính gửi" in u.text for u in doc.units) == 1


def test_the_issuers_line_above_an_attached_quy_dinh_is_no_passage():
    """A Quy định issued with a decision repeats the issuer's name above its title: a header
    line, neither a passage of its own nor a line of the decision's last paragraph."""
    text = (
        "QUYẾT ĐỊNH\nBan hành Quy định tách thửa đất\n"
        "Điều 3. Chánh Văn phòng Ủy ban nhân dân tỉnh chịu trách nhiệm thi hành.\n"
        "Tạ Quang Vinh\n"
        "ỦY BAN NHÂN DÂN TỈNH CÀ MAU\nQUY ĐỊNH\nĐiều kiện tách thửa đất\n"
        "(Ban hành kèm theo Quyết định số 38/2025/QĐ-UBND ngày 24/10/2025 của UBND tỉnh)\n"
        "Điều 1. Phạm vi điều chỉnh\nQuy định này quy định điều kiện tách thửa đất.\n"
    )
    units = parse_text(text, doc="qd.txt").units
    assert all("ỦY BAN NHÂN DÂN TỈNH CÀ MAU" not in u.text for u in units)
    assert any(u.text.startswith("Điều 1. Phạm vi điều chỉnh") for u in units)


def test_a_tab_row_wrapped_onto_the_next_line_is_one_row():
    """A converter wrapped long cells onto a line with an empty index cell; a row of its own
    without a number (after the repeated header) and the total row stay rows."""
    text = (
        "QUYẾT ĐỊNH\nVề danh mục dự án\nPhụ lục\nDANH MỤC DỰ ÁN\n"
        "STT\tTên dự án\tĐịa điểm\tChủ đầu tư\tVốn năm 2025\n"
        "1\tNâng cấp Đường tỉnh 948 đoạn từ ngã ba\tThị xã Tịnh Biên,\tBan Quản lý dự án\t350,0\n"
        "\tNhà Bàng đến thị trấn Tri Tôn\thuyện Tri Tôn\tgiao thông tỉnh\t\n"
        "2\tKè bảo vệ bờ sông Tiền.\tThị xã Tân Châu\tBan Quản lý dự án nông nghiệp\t95,0\n"
        "STT\tTên dự án\tĐịa điểm\tChủ đầu tư\tVốn năm 2025\n"
        "\tTrường mầm non Vĩnh Hậu\tHuyện An Phú\tBan Quản lý dự án dân dụng\t12,0\n"
        "\tTỔNG CỘNG (A+B)\t\t\t457,0"
    )
    rows = [u for u in parse_text(text, doc="qd.txt").units if u.kind == "table_row"]
    assert [u.row_name for u in rows] == [
        "Nâng cấp Đường tỉnh 948 đoạn từ ngã ba Nhà Bàng đến thị trấn Tri Tôn",
        "Kè bảo vệ bờ sông Tiền.",
        "Trường mầm non Vĩnh Hậu",
        "TỔNG CỘNG (A+B)",
    ]
    first = dict(rows[0].cells)
    assert first["Địa điểm"] == "Thị xã Tịnh Biên, huyện Tri Tôn"
    assert first["Chủ đầu tư"] == "Ban Quản lý dự án giao thông tỉnh"
    assert (rows[0].lines[0][0], rows[0].lines[-1][0]) == (6, 7)  # both lines cited


def test_a_page_number_inside_a_tab_table_is_no_row():
    """A page break printed "- 3 -" in an empty row, then the header again."""
    text = (
        "QUYẾT ĐỊNH\nVề danh mục công trình\nPhụ lục\nDANH MỤC CÔNG TRÌNH\n"
        "STT\tTên công trình\tKinh phí\tChủ đầu tư\n"
        "1\tNạo vét kênh Ba Ngàn\t2.360\tUBND huyện Phụng Hiệp\n"
        "\n\t\t- 3 -\n"
        "\fSTT\tTên công trình\tKinh phí\tChủ đầu tư\n"
        "2\tNạo vét kênh Tám Ngàn\t2.140\tUBND thị xã Long Mỹ\n"
        "\tTỔNG CỘNG\t4.500\t"
    )
    rows = [u for u in parse_text(text, doc="qd.txt").units if u.kind == "table_row"]
    names = [u.row_name for u in rows]
    assert names == ["Nạo vét kênh Ba Ngàn", "Nạo vét kênh Tám Ngàn", "TỔNG CỘNG"]


def test_a_numbered_row_after_a_group_row_of_its_kind_is_its_sibling():
    """Row 3 names a group (no figures) of bulleted rows; row 4 is the next item, not 3.4."""
    text = (
        "BÁO CÁO\nVề kết quả du lịch\nPhụ lục\nKẾT QUẢ\n"
        "STT\tChỉ tiêu\tĐơn vị tính\tƯớc 5 tháng năm 2025\n"
        "1\tTổng lượt khách\tlượt\t512.300\n"
        "3\tLượt khách tại một số điểm du lịch\t\t\n"
        "\t- Chợ nổi Ngã Bảy\tlượt\t74.500\n"
        "4\tCơ sở lưu trú\tcơ sở\t168\n"
        "\tTrong đó: số buồng\tbuồng\t2.914\n"
    )
    rows = [u for u in parse_text(text, doc="bc.txt").units if u.kind == "table_row"]
    paths = {u.row_name: u.path for u in rows}
    assert paths["- Chợ nổi Ngã Bảy"] == ("Phụ lục", "3")
    assert paths["Cơ sở lưu trú"] == ("Phụ lục", "4")
    assert paths["Trong đó: số buồng"] == ("Phụ lục", "4")


def test_subtotals_and_the_grand_total_are_cited_apart():
    """The row numbering the columns is no row; "Cộng I" totals group I (not item 2 above
    it), and the last total, under group II, is the whole table's."""
    text = (
        "QUYẾT ĐỊNH\nVề danh mục công trình cấp nước\nPhụ lục\nDANH MỤC CÔNG TRÌNH\n"
        "STT\tTên công trình\tHuyện\tTổng mức đầu tư\n"
        "(1)\t(2)\t(3)\t(4)\n"
        "I\tCÔNG TRÌNH XÂY DỰNG MỚI\t\t\n"
        "1\tNhà máy nước xã Tân Công Chí\tTân Hồng\t12.800\n"
        "2\tTrạm cấp nước xã Láng Biển\tTháp Mười\t6.400\n"
        "\tCộng I\t\t19.200\n"
        "II\tCÔNG TRÌNH NÂNG CẤP\t\t\n"
        "3\tNâng cấp trạm cấp nước xã Bình Thành\tThanh Bình\t4.100\n"
        "\tCộng II\t\t4.100\n"
        "\tTỔNG CỘNG (3 công trình)\t\t23.300\n"
    )
    rows = [u for u in parse_text(text, doc="qd.txt").units if u.kind == "table_row"]
    paths = {u.row_name: u.path for u in rows}
    assert "(2)" not in paths and len(rows) == 6
    assert paths["Cộng I"] == ("Phụ lục", "I", "Tổng số")
    assert paths["Cộng II"] == ("Phụ lục", "II", "Tổng số")
    assert paths["TỔNG CỘNG (3 công trình)"] == ("Phụ lục", "Tổng số")
    assert len(set(paths.values())) == len(rows)


def test_a_total_saying_what_it_counts_is_the_tables_not_the_last_items():
    text = (
        "BÁO CÁO\nKết quả xử phạt\nPhụ lục\nDANH SÁCH CƠ SỞ BỊ XỬ PHẠT\n"
        "STT\tTên cơ sở\tSố tiền phạt (đồng)\n"
        "1\tTrại giống Minh Phát\t25.000.000\n"
        "2\tTrại giống Út Nhỏ\t17.500.000\n"
        "\tTổng cộng: 2 cơ sở\t42.500.000\n"
    )
    rows = [u for u in parse_text(text, doc="bc.txt").units if u.kind == "table_row"]
    assert [u.path for u in rows] == [("Phụ lục", "1"), ("Phụ lục", "2"), ("Phụ lục", "Tổng số")]


def test_a_group_row_stating_its_figures_heads_the_rows_below():
    """ "I | HUYỆN PHỤNG HIỆP | | 8.830": the group's total in its row; its items are I.1, I.2
    with the group in their context, and the group's row is a row of its own."""
    text = (
        "QUYẾT ĐỊNH\nVề danh mục công trình thủy lợi\nPhụ lục\nDANH MỤC CÔNG TRÌNH\n"
        "STT\tTên công trình\tĐịa điểm\tKinh phí\n"
        "I\tHUYỆN PHỤNG HIỆP\t\t3.630\n"
        "1\tNạo vét kênh Ba Ngàn\tXã Tân Bình\t2.360\n"
        "2\tNạo vét kênh Xẻo Môn\tXã Tân Phước Hưng\t1.270\n"
        "II\tHUYỆN LONG MỸ\t\t2.050\n"
        "3\tNạo vét kênh Ranh Hạt\tXã Xà Phiên\t2.050\n"
        "\tTỔNG CỘNG\t\t5.680\n"
    )
    rows = {u.row_name: u for u in parse_text(text, doc="qd.txt").units if u.kind == "table_row"}
    assert rows["HUYỆN PHỤNG HIỆP"].path == ("Phụ lục", "I")
    assert [v for _, v in rows["HUYỆN PHỤNG HIỆP"].cells] == ["HUYỆN PHỤNG HIỆP", "3.630"]
    assert rows["Nạo vét kênh Xẻo Môn"].path == ("Phụ lục", "I", "2")
    assert rows["Nạo vét kênh Ranh Hạt"].path == ("Phụ lục", "II", "3")
    assert any("HUYỆN LONG MỸ" in c for c in rows["Nạo vét kênh Ranh Hạt"].context)
    assert rows["TỔNG CỘNG"].path == ("Phụ lục", "Tổng số")


def test_a_cell_table_skips_page_numbers_and_ends_at_its_note():
    """One cell a line: a page's number above the header printed again is no cell, and the
    note under the total is a passage of its own."""
    head = "STT\nTên dự án\nSố hộ chưa bàn giao\nThời hạn\n"
    text = (
        "THÔNG BÁO\nKết luận về giải phóng mặt bằng\nPhụ lục\nDANH MỤC DỰ ÁN\n"
        + head
        + "1\nĐường ven sông Tiền\n46\n30/6/2025\n\n2\n\n"
        + head
        + "2\nĐường tránh thị trấn Lấp Vò\n27\n15/8/2025\n\nTổng cộng\n73\n\n"
        "Ghi chú: số hộ tính đến ngày 05/6/2025.\n"
    )
    doc = parse_text(text, doc="tb.txt")
    rows = [u for u in doc.units if u.kind == "table_row"]
    assert [v for _, v in rows[0].cells] == ["Đường ven sông Tiền", "46", "30/6/2025"]
    assert [v for _, v in rows[-1].cells] == ["Tổng cộng", "73"]
    note = unit_at(doc, 28)
    assert note.kind == "text" and note.text.startswith("Ghi chú:")


def test_a_cell_table_keeping_its_empty_cells_as_blank_lines_is_read_by_position():
    """One cell a line, an empty cell a blank line and a blank line after each row: each
    figure is under its column, though a note is empty and a count ("2" left to deal with
    in row 1) continues the numbering."""
    text = (
        "BÁO CÁO\nKết quả xử lý vi phạm\nPhụ lục\nKẾT QUẢ THEO KHU VỰC\n"
        "STT\nKhu vực\nSố vụ vi phạm\nTồn chưa xử lý\nGhi chú\n\n"
        "1\nKhóm 1 - Khóm 4\n9\n2\n\n\n"
        "2\nKhóm 5 - Khóm 6\n17\n5\nNhà trọ cơi nới\n\n"
        "\nTổng cộng\n26\n7\n\n\n"
        "Ghi chú: số liệu đến ngày 31/12/2025.\n"
    )
    doc = parse_text(text, doc="bc.txt")
    rows = [u for u in doc.units if u.kind == "table_row"]
    assert [dict(r.cells) for r in rows] == [
        {"Khu vực": "Khóm 1 - Khóm 4", "Số vụ vi phạm": "9", "Tồn chưa xử lý": "2"},
        {
            "Khu vực": "Khóm 5 - Khóm 6",
            "Số vụ vi phạm": "17",
            "Tồn chưa xử lý": "5",
            "Ghi chú": "Nhà trọ cơi nới",
        },
        {"Khu vực": "Tổng cộng", "Số vụ vi phạm": "26", "Tồn chưa xử lý": "7"},
    ]


def test_a_copy_dated_by_month_only_keeps_its_title():
    """ "Số: /KH-UBND Đồng Tháp, ngày tháng 4 năm 2025": the day is left blank; the title
    under the type line is still read, and the caption gives number and date."""
    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH ĐỒNG THÁP\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Số: /KH-UBND Đồng Tháp, ngày tháng 4 năm 2025\nKẾ HOẠCH\n"
        "Thực hiện Đề án phát triển lúa chất lượng cao năm 2025\n-------------\n"
        "I. MỤC ĐÍCH\n1. Cụ thể hóa nhiệm vụ.\n"
        "PHỤ LỤC\n(Kèm theo Kế hoạch số 118/KH-UBND ngày 21/4/2025 của Ủy ban nhân dân tỉnh)\n"
    )
    doc = parse_text(text, doc="kh.pdf")
    meta = doc.meta
    assert meta.title == "Thực hiện Đề án phát triển lúa chất lượng cao năm 2025"
    assert (meta.number, meta.date) == ("118/KH-UBND", "21/04/2025")
    # The caption is a passage of the appendix: the line staff quote for the number.
    caption = unit_at(doc, 11)
    assert caption.kind == "text" and caption.text.startswith("(Kèm theo Kế hoạch số 118")
    assert caption.path == ("Phụ lục",)


class TestCellTableProgram:
    doc = parse_fixture("ubnd_program_celltable.txt")

    def test_metadata_from_caption_only(self):
        m = self.doc.meta
        assert m.doc_type == "Chương trình hành động"
        assert m.number == "05/CTr-UBND"
        assert m.date == "12/02/2025"
        assert m.year == 2025
        assert m.issuer == "Ủy ban nhân dân tỉnh Cà Mau"
        assert m.signer == "Huỳnh Văn Đạt"

    @pytest.mark.parametrize(
        "line, expected",
        [
            (5, "I > 1"),
            (10, "II > 2 > (1)"),
            (12, "II > 2 > (3)"),
            (18, "III > 2"),
            (20, "III > 2"),
            (23, "III > 3 > 3.1"),
            (28, "IV > 1 > 1.1"),
            (30, "IV > 2"),
        ],
    )
    def test_section_paths(self, line, expected):
        assert path(self.doc, line) == expected

    def test_footnote_marks_removed_and_spaces_normalised(self):
        assert "[1]" not in unit_at(self.doc, 11).text
        assert "trước ngày 10/3/2025" in unit_at(self.doc, 28).text

    def test_boilerplate_is_not_content(self):
        text = all_text(self.doc)
        assert "Nơi nhận" not in text
        assert "Huỳnh Văn Đạt" not in text
        assert "vanban.example.vn" not in text

    def test_cell_table_rows(self):
        rows = [u for u in self.doc.units if u.kind == "table_row"]
        first = next(u for u in rows if u.line_start == 53 or u.line_start == 52)
        assert first.path == ("Phụ lục 1", "I", "1")
        assert first.table_title.startswith("DANH MỤC NHIỆM VỤ TRỌNG TÂM PHÁT TRIỂN NUÔI TÔM")
        # A full-width row pairs every cell with its header.
        assert dict(first.cells)["Cơ quan chủ trì"] == "Sở Nông nghiệp và Phát triển nông thôn"
        assert dict(first.cells)["Ghi chú"] == "Nhiệm vụ mới"
        # A short row keeps its cells in order but pairs only the name.
        short = next(u for u in rows if u.row_name.startswith("Nền tảng truy xuất"))
        assert short.path == ("Phụ lục 1", "II", "B", "3")
        assert [v for _, v in short.cells][1:3] == ["Sở Khoa học và Công nghệ", "Tháng 10"]
        assert short.cells[1][0] == ""
        sub = next(u for u in rows if u.row_name.startswith("Hoàn thành bồi thường"))
        assert sub.path == ("Phụ lục 1", "II", "A", "1")
        assert any("Dự án Kênh cấp nước mặn" in c for c in sub.context)

    def test_total_row_and_footnote_after_table(self):
        rows = [u for u in self.doc.units if u.kind == "table_row" and u.path[0] == "Phụ lục 2"]
        assert rows[0].path == ("Phụ lục 2", "Tổng số")
        assert [v for _, v in rows[0].cells] == ["TỔNG SỐ", "1.223.115"]
        last = rows[-1]
        assert last.line_end == 114
        foot = unit_at(self.doc, 116)
        assert foot.kind == "text" and foot.path == ("Chú thích 2",)
        assert "tối đa 45 triệu đồng cho mỗi hợp tác xã" in foot.text
        # Each footnote is its own passage, cited by its mark.
        assert "71.540 ha" not in foot.text and "71.540 ha" in unit_at(self.doc, 115).text
        chunk = next(c for c in Chunker().chunks(self.doc) if "45 triệu đồng" in c.text)
        assert chunk.citation.startswith("chú thích 2 ") and "71.540" not in chunk.text


class TestTabTableProgram:
    doc = parse_fixture("tinhuy_program_tabtable.txt")

    def test_metadata(self):
        m = self.doc.meta
        assert (m.number, m.date, m.year) == ("03-CTr/TU", "10/11/2025", 2025)
        assert m.issuer == "Ban Chấp hành Đảng bộ tỉnh"
        assert m.signer == "Trịnh Văn Khải"

    @pytest.mark.parametrize(
        "line, expected",
        [
            (18, "II > A"),
            (22, "II > B > 1"),
            (28, "II > B > 1 > (3)"),
            (32, "II > B > 2 > (1)"),
            (33, "II > B > 2 > (2)"),
            (41, "III > 2"),
        ],
    )
    def test_section_paths(self, line, expected):
        assert path(self.doc, line) == expected

    def test_repeated_headers_are_one_table(self):
        rows = [u for u in self.doc.units if u.kind == "table_row" and u.path[0] == "Phụ lục I"]
        assert [u.line_start for u in rows] == [70, 71, 74, 76, 77, 81, 84, 87, 88]
        assert all("Số TT" not in v for u in rows for _, v in u.cells)

    def test_html_stripped_and_groups(self):
        row = unit_at(self.doc, 87)
        assert row.path == ("Phụ lục I", "B", "1", "(2)")
        cells = dict(row.cells)
        assert cells["Cơ quan phối hợp"] == "- Sở Công Thương; - Sở Tài chính"
        assert "<" not in row.text
        social = unit_at(self.doc, 81)
        assert any("Về xã hội" in c for c in social.context)

    def test_two_level_header(self):
        row = unit_at(self.doc, 104)
        cells = dict(row.cells)
        assert cells["NGUỒN VỐN - ODA"] == "245,000"
        assert cells["DỰ KIẾN HOÀN THÀNH"] == "Năm 2027"
        assert row.path == ("Phụ lục II", "I", "3")


class TestPipeTablePlan:
    doc = parse_fixture("ubnd_plan_pipetable.txt")

    def test_metadata_from_piped_header(self):
        m = self.doc.meta
        assert (m.doc_type, m.number, m.date) == ("Kế hoạch", "12/KH-UBND", "05/03/2024")
        assert m.issuer == "Ủy ban nhân dân tỉnh Cà Mau"
        assert m.title.startswith("Về việc thí điểm mô hình “Bến sông không rác nhựa”")

    def test_pipe_tables(self):
        row = unit_at(self.doc, 28)
        assert row.kind == "table_row" and row.path == ("II", "2", "2")
        assert dict(row.cells)["Thời gian"] == "Trước ngày 30/4/2024"
        b = unit_at(self.doc, 36)
        assert dict(b.cells)["Số tiền (triệu đồng)"] == "1.650"
        assert not any(u.line_start == 26 or u.line_start == 35 for u in self.doc.units)

    def test_letter_items_and_leftovers(self):
        assert path(self.doc, 19) == "I > 2 > đ)"
        text = all_text(self.doc)
        assert "10 giây" not in text and "Ý kiến bạn đọc" not in text and "Chia sẻ" not in text


class TestMarkdownDirective:
    doc = parse_fixture("chithi_markdown.txt")

    def test_metadata(self):
        m = self.doc.meta
        assert (m.doc_type, m.number, m.date, m.year) == (
            "Chỉ thị",
            "07/CT-UBND",
            "20/04/2023",
            2023,
        )
        assert m.title.startswith("Về việc tăng cường các biện pháp cấp bách")

    def test_page_breaks_joined_but_not_between_paragraphs(self):
        second = unit_at(self.doc, 23)
        assert second.lines[-1][0] == 27
        assert (
            "01 tổ xung kích phòng cháy, chữa cháy rừng từ 15 người trở lên"
            in second.text.replace("\n", " ")
        )
        assert unit_at(self.doc, 15) is not unit_at(self.doc, 19)
        assert path(self.doc, 23) == "2 > Thứ hai"
        assert path(self.doc, 47) == "3 > đ)"

    def test_no_markdown_in_text(self):
        assert "**" not in all_text(self.doc) and "###" not in all_text(self.doc)


class TestLaw:
    doc = parse_fixture("luat_mau.txt")

    def test_metadata(self):
        m = self.doc.meta
        assert (m.doc_type, m.number, m.issuer, m.year) == (
            "Luật",
            "99/2024/QH15",
            "Quốc hội",
            2024,
        )

    @pytest.mark.parametrize(
        "line, expected",
        [
            (51, "Chương II > Mục 1 > Điều 6 > 1 > a)"),
            (36, "Chương I > Điều 4 > 1 > đ)"),
            (89, "Chương III > Điều 12 > 1"),
            (57, "Chương II > Mục 1 > Điều 7 > 1"),
        ],
    )
    def test_paths(self, line, expected):
        assert path(self.doc, line) == expected

    def test_quoted_amendments_are_not_new_clauses(self):
        assert path(self.doc, 79) == "Chương III > Điều 10 > 1"
        assert path(self.doc, 81) == "Chương III > Điều 10 > 2"
        assert path(self.doc, 83) == "Chương III > Điều 10 > 3"

    def test_chapter_title_joins_heading(self):
        u = unit_at(self.doc, 16)
        assert u.path == ("Chương I",) and "QUY ĐỊNH CHUNG" in u.text

    def test_enactment_formula_belongs_to_the_whole_law(self):
        # "Luật này được Quốc hội ... thông qua" is not part of the last article.
        assert path(self.doc, 92) == ""
        assert path(self.doc, 90) == "Chương III > Điều 12 > 2"


def test_decree_metadata_keeps_d_with_stroke():
    m = parse_fixture("nghidinh_mau.txt").meta
    assert (m.number, m.issuer, m.date) == ("15/2025/NĐ-CP", "Chính phủ", "14/01/2025")


def test_literal_tags_stay_text():
    doc = parse_fixture("xss_and_junk.txt")
    assert "<script>alert(1)</script>" in all_text(doc)


def test_sidecar_overrides_fields():
    doc = parse_text(
        "CHỈ THỊ\nVề việc thử\n1. Nội dung",
        doc="x.txt",
        sidecar={"number": "09/CT-UBND", "issuer": "Ủy ban nhân dân tỉnh Bạc Liêu"},
    )
    assert doc.meta.number == "09/CT-UBND"
    assert doc.meta.issuer == "Ủy ban nhân dân tỉnh Bạc Liêu"
    assert doc.meta.doc_type == "Chỉ thị"


def test_unknown_fields_stay_empty():
    doc = parse_text("Một đoạn văn không có tiêu đề.\n\nĐoạn thứ hai.", doc="x.txt")
    m = doc.meta
    assert (m.doc_type, m.number, m.date, m.issuer, m.year) == (None, None, None, None, None)


DECISION = (FIXTURES / "quyetdinh_quydinh.txt").read_text(encoding="utf-8")


class TestDecisionWithAttachedRegulation:
    """A decision issuing a regulation: the regulation's articles restart at Điều 1 and are
    cited as articles of the regulation issued with the decision."""

    doc = parse_text(DECISION, doc="qd.txt")

    def line(self, needle):
        return next(n for n, t in enumerate(DECISION.split("\n"), 1) if t.startswith(needle))

    def test_title_in_sentence_case_stops_at_the_authority_line(self):
        m = self.doc.meta
        assert m.title == "Ban hành Quy định quản lý bến thủy nội địa trên địa bàn tỉnh Cà Mau"
        assert (m.doc_type, m.number) == ("Quyết định", "12/2025/QĐ-UBND")

    def test_decision_articles_and_regulation_articles_are_apart(self):
        assert path(self.doc, self.line("Điều 2. Quyết định này")) == "Điều 2"
        reg = "Quy định quản lý bến thủy nội địa trên địa bàn tỉnh Cà Mau"
        assert path(self.doc, self.line("2. Có đủ áo phao")) == f"{reg} > Chương II > Điều 3 > 2"

    def test_regulation_articles_are_cited_as_issued_with_the_decision(self):
        chunks = Chunker().chunks(self.doc)
        c = next(c for c in chunks if "áo phao" in c.text)
        assert c.citation == (
            "Điều 3 Quy định quản lý bến thủy nội địa trên địa bàn tỉnh Cà Mau ban hành kèm "
            "theo Quyết định số 12/2025/QĐ-UBND ngày 10/03/2025 của Ủy ban nhân dân tỉnh Cà Mau"
        )
        d = next(c for c in chunks if c.text.startswith("Điều 2. Quyết định này"))
        assert d.citation.startswith("Điều 2 Quyết định số 12/2025/QĐ-UBND")
        assert all("Lê Thị Thu Hằng" not in c.text for c in chunks)  # the signer
        assert self.doc.meta.signer == "Lê Thị Thu Hằng"  # after "(Đã ký)"
        # Neither "(Đã ký)" nor the regulation's own header is a passage.
        furniture = ("Đã ký", "Hạnh phúc", "ỦY BAN NHÂN DÂN TỈNH CÀ MAU")
        assert not [c for c in chunks[1:] if any(f in c.text for f in furniture)]


# A law copied from a web page whose header was a two-column layout table.
TAB_HEADER_LAW = (FIXTURES / "luat_tab_header.txt").read_text(encoding="utf-8")


def test_header_cells_separated_by_tabs_are_read_one_by_one():
    doc = parse_text(TAB_HEADER_LAW, doc="luat_gd.txt")
    m = doc.meta
    assert (m.doc_type, m.number, m.date, m.issuer, m.title) == (
        "Luật",
        "43/2019/QH14",
        "14/06/2019",
        "Quốc hội",
        "GIÁO DỤC",
    )
    chunks = Chunker().chunks(doc)
    assert chunks[1].citation == "Điều 1 Luật Giáo dục số 43/2019/QH14"
    assert all("CỘNG HÒA XÃ HỘI" not in c.text and "Luật số" not in c.text for c in chunks)


WEB_PAGE = """ỦY BAN NHÂN DÂN TỈNH CÀ MAU
Số: 07/KH-UBND
Cà Mau, ngày 03 tháng 3 năm 2025
KẾ HOẠCH
Chuyển đổi số năm 2025
I. DỮ LIỆU
Chia sẻ dữ liệu giữa các sở, ngành qua nền tảng tích hợp của tỉnh.
Các sở hoàn thành kết nối trước ngày 30/6/2025.
II. TỔ CHỨC THỰC HIỆN
Sở Khoa học và Công nghệ chủ trì theo dõi, đôn đốc.
Chia sẻ
Bình luận (0)
Tin liên quan
Cà Mau khai trương Trung tâm điều hành thông minh
Nhấp vào nút micro để tìm kiếm bằng giọng nói.
Màn hình hiện lên thì bạn bắt đầu nói.
"""


def test_body_line_that_starts_like_page_furniture_keeps_the_rest():
    """Regression: "Chia sẻ dữ liệu ..." mid-body used to drop the rest of the document."""
    chunks = Chunker().chunks(parse_text(WEB_PAGE, doc="kh.txt"))
    text = "\n".join(c.text for c in chunks)
    assert "Chia sẻ dữ liệu giữa các sở" in text
    assert "trước ngày 30/6/2025" in text and "Sở Khoa học và Công nghệ chủ trì" in text
    assert any(c.section == ("II",) for c in chunks)


def test_page_furniture_at_the_bottom_is_dropped():
    chunks = Chunker().chunks(parse_text(WEB_PAGE, doc="kh.txt"))
    text = "\n".join(c.text for c in chunks)
    for furniture in ("Bình luận", "Tin liên quan", "khai trương", "micro", "bắt đầu nói"):
        assert furniture not in text


UNNUMBERED_ROWS = """KẾ HOẠCH
Nạo vét kênh năm 2025
PHỤ LỤC 1
| STT | Nhiệm vụ | Cơ quan chủ trì |
| 1 | Cải tạo kênh Xáng | Sở Xây dựng |
|  | Nạo vét đoạn đầu kênh | Sở Xây dựng |
| 2 | Cải tạo kênh Lương Thế Trân | Sở Nông nghiệp và Môi trường |
|  | Nạo vét đoạn đầu kênh | UBND huyện Cái Nước |
"""


def test_rows_without_a_number_are_cited_by_their_parent_item():
    rows = [
        c
        for c in Chunker().chunks(parse_text(UNNUMBERED_ROWS, doc="kh.txt"))
        if c.kind == "table_row"
    ]
    namesakes = [c for c in rows if "Nạo vét đoạn đầu kênh" in c.text]
    assert len(namesakes) == 2 and namesakes[0].citation != namesakes[1].citation
    assert namesakes[0].citation.startswith("Phụ lục 1, mục 1 (Nạo vét")
    assert namesakes[1].citation.startswith("Phụ lục 1, mục 2 (Nạo vét")


def test_issuing_body_in_capitals_is_not_part_of_the_title():
    text = (
        "TỈNH ỦY CÀ MAU\nCHƯƠNG TRÌNH HÀNH ĐỘNG\nCỦA BAN CHẤP HÀNH ĐẢNG BỘ TỈNH\n"
        "thực hiện Nghị quyết Đại hội đại biểu Đảng bộ tỉnh lần thứ I\n\nI. MỤC TIÊU\nNội dung."
    )
    meta = parse_text(text, doc="ctr.txt").meta
    assert meta.title == "Thực hiện Nghị quyết Đại hội đại biểu Đảng bộ tỉnh lần thứ I"
    assert meta.issuer is not None


# A one-cell-per-line budget table with a two-level header: "Tổng số" heads a column under
# "Kế hoạch vốn năm 2025" there, and the table dropped its empty cells.
TWO_LEVEL_HEADER = """ỦY BAN NHÂN DÂN TỈNH CÀ MAU
Số: 09/KH-UBND
Cà Mau, ngày 05 tháng 02 năm 2025
KẾ HOẠCH
Đầu tư công năm 2025
I. MỤC TIÊU
Giải ngân toàn bộ kế hoạch vốn năm 2025 trước ngày 31/01/2026.
PHỤ LỤC 1
DANH MỤC DỰ ÁN ĐẦU TƯ CÔNG TRỌNG ĐIỂM
TT
Danh mục dự án
Mã dự án
Kế hoạch vốn năm 2025
Chủ đầu tư
Tổng số
Trong đó
Vốn NSTW
Vốn NSĐP
TỔNG SỐ
272.000
100.000
172.000
1
Dự án xây dựng Trụ sở làm việc Tỉnh ủy
7817446
172.000
172.000
Ban Quản lý dự án công trình Xây dựng
2
Dự án nâng cấp tuyến đường Tắc Vân - Cái Đôi Vàm
7875095
100.000
100.000
Ban Quản lý dự án công trình Giao thông
"""


def test_a_total_named_in_a_two_level_header_is_a_column_not_a_row():
    doc = parse_text(TWO_LEVEL_HEADER, doc="kh_dautu.txt")
    rows = [u for u in doc.units if u.kind == "table_row"]
    assert [u.path for u in rows] == [
        ("Phụ lục 1", "Tổng số"), ("Phụ lục 1", "1"), ("Phụ lục 1", "2")]  # fmt: skip
    assert rows[0].cells[1:] == (("", "272.000"), ("", "100.000"), ("", "172.000"))
    assert rows[1].header[-4:] == ("Tổng số", "Trong đó", "Vốn NSTW", "Vốn NSĐP")
    # Five cells under eight column names cannot be paired; lexical search still reads the
    # names, the encoder does not.
    row = next(c for c in Chunker().chunks(doc) if c.section == ("Phụ lục 1", "1"))
    assert row.cells[1] == ("", "7817446")
    text, heading = lexical_fields(row)
    assert "Kế hoạch vốn năm 2025" in text and "Kế hoạch vốn" not in row.embed_text
    assert heading == "Dự án xây dựng Trụ sở làm việc Tỉnh ủy"


# A report saved from the province's website: the page's breadcrumb and date above the
# header, the issuing department under the body it reports to, and a copy not yet numbered
# or dated; only the appendix caption gives number and date.
DEPARTMENT_REPORT = """Trang chủ > Văn bản chỉ đạo điều hành > Báo cáo
Cập nhật lúc: 09:42 26/06/2025
UBND TỈNH SÓC TRĂNG\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG\tĐộc lập - Tự do - Hạnh phúc
Số:         /BC-SNNMT\tSóc Trăng, ngày       tháng       năm 2025
BÁO CÁO
Kết quả thực hiện nhiệm vụ 6 tháng đầu năm 2025
I- KẾT QUẢ
1- Xuống giống lúa Hè Thu đạt 92.300 ha.
PHỤ LỤC
(Kèm theo Báo cáo số 214/BC-SNNMT ngày 24/6/2025 của Sở Nông nghiệp và Môi trường)
"""


def test_report_under_a_web_breadcrumb_and_a_superior_body():
    doc = parse_text(DEPARTMENT_REPORT, doc="bc.txt")
    m = doc.meta
    assert (m.doc_type, m.number, m.date, m.issuer, m.title) == (
        "Báo cáo",
        "214/BC-SNNMT",
        "24/06/2025",
        "Sở Nông nghiệp và Môi trường tỉnh Sóc Trăng",
        "Kết quả thực hiện nhiệm vụ 6 tháng đầu năm 2025",
    )
    text = all_text(doc)
    assert "Trang chủ" not in text and "Cập nhật lúc" not in text and "Số:" not in text
    assert "92.300 ha" in text


@pytest.mark.parametrize(
    "caps, name",
    [
        ("SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", "Sở Nông nghiệp và Môi trường"),
        ("BỘ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "Bộ Văn hóa, Thể thao và Du lịch"),
        ("CÔNG AN TỈNH SÓC TRĂNG", "Công an tỉnh Sóc Trăng"),
        ("VĂN PHÒNG UBND TỈNH", "Văn phòng UBND tỉnh"),
        ("UBND TỈNH BẠC LIÊU", "Ủy ban nhân dân tỉnh Bạc Liêu"),
        ("TỈNH ỦY CÀ MAU", "Tỉnh ủy Cà Mau"),
        ("ỦY BAN NHÂN DÂN HUYỆN TRẦN ĐỀ", "Ủy ban nhân dân huyện Trần Đề"),
        ("THANH TRA TỈNH", "Thanh tra tỉnh"),
        ("SỞ CÔNG THƯƠNG", "Sở Công Thương"),
        ("SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", "Sở Lao động - Thương binh và Xã hội"),
        ("BỘ CHỈ HUY QUÂN SỰ TỈNH CÀ MAU", "Bộ Chỉ huy Quân sự tỉnh Cà Mau"),
        # A commune's bodies, since July 2025 the local level below the province.
        ("UBND PHƯỜNG BẠC LIÊU", "Ủy ban nhân dân phường Bạc Liêu"),
        ("ĐẢNG ỦY XÃ VĨNH LỢI", "Đảng ủy xã Vĩnh Lợi"),
        ("BAN CHỈ HUY QUÂN SỰ THỊ XÃ GIÁ RAI", "Ban Chỉ huy Quân sự thị xã Giá Rai"),
        ("ĐOÀN TNCS HỒ CHÍ MINH TỈNH CÀ MAU", "Đoàn TNCS Hồ Chí Minh tỉnh Cà Mau"),
        (
            "ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM TỈNH CÀ MAU",
            "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Cà Mau",
        ),
    ],
)
def test_issuing_bodies_in_capitals_are_written_as_in_prose(caps, name):
    assert org_name(caps) == name


@pytest.mark.parametrize(
    "superior, body, issuer",
    [
        ("UBND TỈNH SÓC TRĂNG", "SỞ TƯ PHÁP", "Sở Tư pháp tỉnh Sóc Trăng"),
        ("ĐẢNG BỘ TỈNH CÀ MAU", "BAN TUYÊN GIÁO TỈNH ỦY", "Ban Tuyên giáo Tỉnh ủy"),
        ("BỘ TÀI CHÍNH", "CỤC THUẾ", "Cục Thuế"),
        # A name broken over two lines, and a superior named on two.
        (
            "UBND TỈNH CÀ MAU",
            "SỞ NÔNG NGHIỆP\nVÀ MÔI TRƯỜNG",
            "Sở Nông nghiệp và Môi trường tỉnh Cà Mau",
        ),
        ("ỦY BAN NHÂN DÂN\nTỈNH CÀ MAU", "VĂN PHÒNG", "Văn phòng Ủy ban nhân dân tỉnh Cà Mau"),
        ("ỦY BAN NHÂN DÂN", "XÃ VĨNH LỢI", "Ủy ban nhân dân xã Vĩnh Lợi"),
        # The Front and the mass organisations as their charters write them; a superior
        # broken before "VIỆT NAM"; a committee of the body above it.
        (
            "TRUNG ƯƠNG HỘI CHỮ THẬP ĐỎ\nVIỆT NAM",
            "HỘI CHỮ THẬP ĐỎ TỈNH CÀ MAU",
            "Hội Chữ thập đỏ tỉnh Cà Mau",
        ),
        ("TỔNG LĐLĐ VIỆT NAM", "LIÊN ĐOÀN LAO ĐỘNG TỈNH CÀ MAU", "Liên đoàn Lao động tỉnh Cà Mau"),
        (
            "HỘI NÔNG DÂN VIỆT NAM",
            "BAN CHẤP HÀNH TỈNH CÀ MAU",
            "Ban Chấp hành Hội Nông dân tỉnh Cà Mau",
        ),
        ("TỈNH ỦY CÀ MAU", "BAN THƯỜNG VỤ", "Ban Thường vụ Tỉnh ủy Cà Mau"),
    ],
)
def test_a_body_under_its_superior_issues_of_the_superior_place(superior, body, issuer):
    text = f"{superior}\n{body}\nSố: 12/BC-X\nBÁO CÁO\nVề việc thử\n1. Nội dung"
    assert parse_text(text, doc="x.txt").meta.issuer == issuer


def test_a_bodys_name_without_its_place():
    assert unplaced("Sở Tư pháp tỉnh Cà Mau") == "Sở Tư pháp"
    assert unplaced("Hội Chữ thập đỏ tỉnh Cà Mau") == "Hội Chữ thập đỏ"
    assert unplaced("Bảo hiểm xã hội tỉnh Cà Mau") == "Bảo hiểm xã hội"
    assert unplaced("Ban Thường vụ Tỉnh ủy Cà Mau") == "Ban Thường vụ Tỉnh ủy Cà Mau"


def test_party_committee_under_its_party_organisation():
    m = parse_text(
        "ĐẢNG BỘ TỈNH CÀ MAU\nTỈNH ỦY\nSố: 12-CT/TU\nCHỈ THỊ\nVề việc thử\n1. Nội dung", doc="x.txt"
    ).meta
    assert (m.issuer, m.number, m.doc_type) == ("Tỉnh ủy Cà Mau", "12-CT/TU", "Chỉ thị")


def test_a_header_whose_two_columns_ran_together_is_read():
    # A Word header laid out with tab stops, or a PDF's text layer, joins the columns.
    text = (
        "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "TỈNH BẠC LIÊU Độc lập - Tự do - Hạnh phúc\n"
        "Số: 88/TB-VP Bạc Liêu, ngày 09 tháng 4 năm 2025\n"
        "THÔNG BÁO\n"
        "Kết luận của Chủ tịch Ủy ban nhân dân tỉnh tại cuộc họp về giải ngân vốn đầu tư công,\n"
        "Chương trình nông thôn mới quý I năm 2025\n"
        "1. Các chủ đầu tư giải ngân đạt 45% kế hoạch trước ngày 30/6/2025."
    )
    m = parse_text(text, doc="tb.txt").meta
    assert cited_as(m) == (
        "Thông báo",
        "88/TB-VP",
        "09/04/2025",
        "Ủy ban nhân dân tỉnh Bạc Liêu",
    )
    assert m.title.endswith("Chương trình nông thôn mới quý I năm 2025")  # after the comma


def test_a_plain_text_header_with_its_columns_spaced_apart_and_old_tone_marks():
    # "CỘNG HOÀ" (the older tone placement) ends the left column as "CỘNG HÒA" does.
    text = (
        "UỶ BAN NHÂN DÂN                          CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "TỈNH HẬU GIANG                                 Độc lập - Tự do - Hạnh phúc\n"
        "Số: 05/CT-UBND                          Hậu Giang, ngày 07 tháng 3 năm 2025\n"
        "CHỈ THỊ\n"
        "Về việc tăng cường phòng cháy, chữa cháy rừng mùa khô năm 2025\n"
        "1. Sở Nông nghiệp và Môi trường kiện toàn Ban Chỉ huy trước ngày 20/3/2025."
    )
    m = parse_text(text, doc="ct.txt").meta
    assert cited_as(m) == ("Chỉ thị", "05/CT-UBND", "07/03/2025", "Ủy ban nhân dân tỉnh Hậu Giang")


def test_a_title_wrapped_inside_a_name_runs_to_the_rule_under_it():
    text = (
        "UBND TỈNH HẬU GIANG\nVĂN PHÒNG\n-------\nSố: 97/TB-VP\n"
        "Hậu Giang, ngày 20 tháng 6 năm 2025\nTHÔNG BÁO\n"
        "Kết luận của Phó Chủ tịch Ủy ban nhân dân tỉnh Huỳnh Thanh\n"
        "Sơn tại buổi kiểm tra tiến độ các công trình chống sạt lở bờ sông,\n"
        "bờ kênh trên địa bàn huyện Long Mỹ _______________\n"
        "Ngày 17 tháng 6 năm 2025, Phó Chủ tịch Ủy ban nhân dân tỉnh chủ trì đoàn kiểm tra.\n"
        "1. Đánh giá chung"
    )
    m = parse_text(text, doc="tb.pdf").meta
    assert m.title == (
        "Kết luận của Phó Chủ tịch Ủy ban nhân dân tỉnh Huỳnh Thanh Sơn tại buổi kiểm tra tiến"
        " độ các công trình chống sạt lở bờ sông, bờ kênh trên địa bàn huyện Long Mỹ"
    )
    # Without the rule, a body paragraph after the title stays the body's.
    plain = text.replace(" _______________", "").replace("Sơn tại", "Sơn. Tại")
    assert parse_text(plain, doc="tb.txt").meta.title.endswith("Huỳnh Thanh")


def test_a_title_of_two_parts_breaks_after_its_semicolon():
    text = (
        "UBND TỈNH CÀ MAU\nSỞ Y TẾ\nSố: 1846/BC-SYT\nCà Mau, ngày 12 tháng 10 năm 2026\n"
        "BÁO CÁO\nKết quả thực hiện công tác y tế cơ sở 9 tháng đầu năm 2026;\n"
        "nhiệm vụ trọng tâm 3 tháng cuối năm 2026\n\nKính gửi: Ủy ban nhân dân tỉnh.\n"
    )
    assert parse_text(text, doc="bc.txt").meta.title == (
        "Kết quả thực hiện công tác y tế cơ sở 9 tháng đầu năm 2026; nhiệm vụ trọng tâm 3"
        " tháng cuối năm 2026"
    )
    # A sentence ending in a semicolon, the next opening in capitals, is the body's.
    body = text.replace("nhiệm vụ trọng tâm", "Nhiệm vụ trọng tâm")
    assert parse_text(body, doc="bc.txt").meta.title is None


def test_recipients_go_on_below_a_signature_set_amid_them():
    """A PDF read a column at a time puts the signature's lines amid the recipients: the
    list goes on below them, and the name after it is the signer's."""
    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH CÀ MAU\nSố: 14/2026/QĐ-UBND\nCà Mau, ngày 20 tháng 3 năm 2026\n"
        "QUYẾT ĐỊNH\nBan hành Quy chế bảo trì đường giao thông nông thôn\n"
        "Điều 1. Quyết định này có hiệu lực từ ngày ký./.\n"
        "Nơi nhận:\n- Như Điều 1;\nTM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n"
        "- Bộ Tư pháp;\n- Lưu: VT, XD.\nPhan Thanh Sang\n"
    )
    parsed = parse_text(text, doc="qd.pdf")
    assert parsed.meta.signer == "Phan Thanh Sang"
    assert not any("Bộ Tư pháp" in t for u in parsed.units for _, t in u.lines)


def test_a_portals_table_of_properties_above_the_header_is_passed_over():
    text = (
        "Số/Ký hiệu\t2145/QĐ-UBND\tNgày ban hành\t17/11/2025\n"
        "Loại văn bản\tQuyết định\tNgười ký\tLê Thị Ngọc Hạnh\n"
        "ỦY BAN NHÂN DÂN\nTỈNH CÀ MAU\nSố: 2145/QĐ-UBND\nCà Mau, ngày 17 tháng 11 năm 2025\n"
        "QUYẾT ĐỊNH\nPhê duyệt Danh mục nghề đào tạo năm 2026\n"
        "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH CÀ MAU\nĐiều 1. Phê duyệt Danh mục.\n"
    )
    m = parse_text(text, doc="qd.html").meta
    assert (m.doc_type, m.number, m.issuer) == (
        "Quyết định",
        "2145/QĐ-UBND",
        "Ủy ban nhân dân tỉnh Cà Mau",
    )
    assert m.title == "Phê duyệt Danh mục nghề đào tạo năm 2026"


def test_a_legal_sites_page_names_the_document_only_in_its_appendix_caption():
    """Its breadcrumb and the properties it quotes on one line stand above the type line;
    its lines in italics are read without the marks, the caption's number and date too."""
    text = (
        "Trang chủ › Văn bản pháp luật › Thương mại › Cà Mau\n\n"
        "> **Lĩnh vực:** Thương mại · **Loại văn bản:** Nghị quyết ·"
        " **Ngày cập nhật:** 14/01/2026\n"
        "\n---\n\n# NGHỊ QUYẾT\n\n"
        "## Quy định chính sách hỗ trợ đầu tư xây dựng chợ giai đoạn 2026 - 2030\n\n"
        "**HỘI ĐỒNG NHÂN DÂN TỈNH CÀ MAU**\n\n*Căn cứ Luật Tổ chức chính quyền địa phương;*\n\n"
        "**QUYẾT NGHỊ:**\n\n### Điều 1. Phạm vi điều chỉnh\n\n"
        "Nghị quyết này quy định mức hỗ trợ.\n\n"
        "## PHỤ LỤC\n\n### DANH MỤC CHỢ\n\n"
        "*(Kèm theo Nghị quyết số 21/2025/NQ-HĐND ngày 09 tháng 12 năm 2025 của Hội đồng nhân dân"
        " tỉnh Cà Mau)*\n"
    )
    parsed = parse_text(text, doc="nq.md")
    m = parsed.meta
    assert (m.doc_type, m.number, m.date) == ("Nghị quyết", "21/2025/NQ-HĐND", "09/12/2025")
    assert m.title == "Quy định chính sách hỗ trợ đầu tư xây dựng chợ giai đoạn 2026 - 2030"
    said = "\n".join(u.text for u in parsed.units)
    assert "Căn cứ Luật Tổ chức chính quyền địa phương;" in said and "*" not in said


def test_a_portals_frame_above_the_header_is_no_part_of_the_document():
    frame = (
        "Bỏ qua nội dung chính\nThứ Ba, 11/11/2025\nCỔNG THÔNG TIN ĐIỆN TỬ TỈNH CÀ MAU\n"
        "Tìm kiếm...\nTrang chủ\nGiới thiệu\nTin tức - Sự kiện\nHỏi đáp\n"
        "Trang chủ > Chỉ đạo - Điều hành > Văn bản chỉ đạo\n"
        "Chỉ thị về việc phòng, chống bệnh Dại trên địa bàn tỉnh\n"
        "Đăng ngày: 11/11/2025 08:42 | Lượt xem: 1.284\n\n"
    )
    document = (
        "ỦY BAN NHÂN DÂN\nTỈNH CÀ MAU\n--------\nSố: 12/CT-UBND\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Cà Mau, ngày 10 tháng 11 năm 2025\n\nCHỈ THỊ\n"
        "Về việc phòng, chống bệnh Dại trên địa bàn tỉnh\n\n"
        "Tình hình bệnh Dại còn diễn biến phức tạp.\n1. Sở Y tế\n- Bảo đảm đủ vắc xin.\n"
    )
    parsed = parse_text(frame + document, doc="ct.txt")
    m = parsed.meta
    assert (m.doc_type, m.number, m.date, m.issuer) == (
        "Chỉ thị",
        "12/CT-UBND",
        "10/11/2025",
        "Ủy ban nhân dân tỉnh Cà Mau",
    )
    assert m.title == "Về việc phòng, chống bệnh Dại trên địa bàn tỉnh"
    texts = [t for u in parsed.units for _, t in u.lines]
    assert not any("Trang chủ" in t or "Tìm kiếm" in t for t in texts)
    assert all(not u.path or u.path[0] == "1" for u in parsed.units)
    # Without the motto and the number, nothing marks where a document begins.
    plain = parse_text(frame + "Tình hình bệnh Dại còn diễn biến phức tạp.\n", doc="p.txt")
    assert any("Tìm kiếm" in t for u in plain.units for _, t in u.lines)


def test_an_official_letter_is_named_by_its_subject_line():
    text = (
        "UBND TỈNH BẠC LIÊU\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "SỞ XÂY DỰNG\tĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 345/SXD-QLN\tBạc Liêu, ngày 12 tháng 6 năm 2025\n"
        "V/v trả lời vướng mắc trong thực hiện\n"
        "hỗ trợ xóa nhà tạm, nhà dột nát\n"
        "Kính gửi: Ủy ban nhân dân huyện Phước Long.\n"
        "1. Hộ gia đình có nhà trên đất nông nghiệp được xem xét hỗ trợ."
    )
    doc = parse_text(text, doc="cv.txt")
    m = doc.meta
    assert (m.doc_type, m.number, m.issuer) == (
        "Công văn",
        "345/SXD-QLN",
        "Sở Xây dựng tỉnh Bạc Liêu",
    )
    assert m.title == "V/v trả lời vướng mắc trong thực hiện hỗ trợ xóa nhà tạm, nhà dột nát"
    chunks = Chunker().chunks(doc)
    assert chunks[-1].citation.startswith("khoản 1 Công văn số 345/SXD-QLN ngày 12/06/2025")
    assert chunks[0].text.startswith("V/v trả lời")  # the title passage, as for any type


def test_the_right_column_below_a_subject_line_is_header():
    """A letter's two header columns flattened one after the other: the motto and the
    place and date come after the subject line, and are no text of the letter."""
    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH TRÀ VINH\nSố: 1587/UBND-KGVX\n"
        "V/v đẩy nhanh tiến độ xóa nhà tạm\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Trà Vinh, ngày 12 tháng 5 năm 2025\n\n"
        "Kính gửi: Sở Xây dựng.\n1. Sở Xây dựng kiểm tra chất lượng nhà."
    )
    doc = parse_text(text, doc="cv.txt")
    assert (doc.meta.number, doc.meta.date) == ("1587/UBND-KGVX", "12/05/2025")
    body = "\n".join(u.text for u in doc.units)
    assert "Trà Vinh, ngày" not in body and "Độc lập" not in body
    assert doc.units[0].text == "V/v đẩy nhanh tiến độ xóa nhà tạm"


def test_a_header_repeated_inside_a_cell_per_line_table_is_dropped():
    """After a page break the header cells are printed again: the row before keeps its
    cells paired with the header, and the repeated names are no cells of any row."""
    header = ["STT", "Tên công trình", "Địa điểm", "Kinh phí"]
    body = ["1", "Đập tạm kênh A", "xã Long Hiệp", "1.120", "2", "Nạo vét kênh B", "xã Kim Hòa",
            "2.980", *header, "3", "Nạo vét kênh C", "xã Ngũ Lạc", "3.415"]  # fmt: skip
    lines = list(enumerate(header + body, 1))
    table = parse_cell_table(lines, 0, stop=lambda text: False)
    assert [r.label for r in table.rows] == ["1", "2", "3"]
    assert [v for _, v in table.rows[1].cells] == ["Nạo vét kênh B", "xã Kim Hòa", "2.980"]
    assert table.rows[1].header == header[1:]


@pytest.mark.parametrize("rule", ["_", "_____", "-----", "***", "—"])
def test_a_rule_line_is_no_text(rule):
    header = "ỦY BAN NHÂN DÂN\nTỈNH TRÀ VINH\nSố: 04/CT-UBND\n\n"
    text = f"{header}CHỈ THỊ\nVề việc A\n{rule}\nNăm 2024 đạt 92%.\n"
    assert [u.text for u in parse_text(text, doc="x.txt").units] == [
        "CHỈ THỊ\nVề việc A",
        "Năm 2024 đạt 92%.",
    ]


def test_a_recipient_wrapped_to_the_next_line_is_still_the_list():
    """A plain text sets the signature beside the recipients; a recipient wrapped to a line
    of its own ("- Các ban, đảng đoàn, ban cán sự" / "đảng, các đảng bộ trực thuộc,") does
    not end the list, so the name beside the last one is the signer's."""
    text = (
        "TỈNH ỦY CÀ MAU\nSố 27-KH/TU\nCà Mau, ngày 05 tháng 01 năm 2026\nKẾ HOẠCH\n"
        "công tác phát triển đảng viên năm 2026\n1. Kết nạp 4.000 đảng viên.\n"
        "Nơi nhận:                          T/M BAN THƯỜNG VỤ\n"
        "- Ban Tổ chức Trung ương (b/c),     PHÓ BÍ THƯ THƯỜNG TRỰC\n"
        "- Các ban, đảng đoàn, ban cán sự          (Đã ký)\n"
        "  đảng, các đảng bộ trực thuộc,\n"
        "- Lưu Văn phòng Tỉnh ủy.                 Phạm Văn Thiều\n"
    )
    parsed = parse_text(text, doc="kh.txt")
    assert parsed.meta.signer == "Phạm Văn Thiều"
    assert not any("trực thuộc" in t for u in parsed.units for _, t in u.lines)


def test_a_signer_name_is_capitalised_words():
    for name in ("Lê Thị Ánh", "Ông Trần Văn Bé", "Đặng Ấn"):
        assert is_person_name(name)
    # "ấ" and "đ" lie between "À" and "Ỹ" but are no capitals: a place line is no signer.
    for line in ("ấp Đông Hưng", "đồng Tháp Mười", "Lê thị"):
        assert not is_person_name(line)


# A portal's table whose first column, spanning the rows of one region, comes before STT:
# the extractor repeats the spanned cell on every row (HTML) or leaves it empty (Markdown).
REGION_COLUMN = """CHỈ THỊ
Xử lý công trình lấn chiếm hành lang bờ sông
PHỤ LỤC
Khu vực\tSTT\tXã, phường\tTuyến sông\tSố công trình
Khu vực tỉnh Cà Mau (cũ)\t1\tPhường An Xuyên\tSông Gành Hào\t268
{second}\t2\tPhường Tân Thành\tSông Gành Hào\t231
Khu vực tỉnh Bạc Liêu (cũ)\t3\tPhường Bạc Liêu\tKênh xáng Bạc Liêu - Cà Mau\t247
Cộng 3 xã, phường\t\t\t\t746
"""


@pytest.mark.parametrize("second", ["Khu vực tỉnh Cà Mau (cũ)", ""])
def test_a_column_grouping_rows_before_the_index_is_their_group(second):
    text = REGION_COLUMN.format(second=second)
    rows = [c for c in Chunker().chunks(parse_text(text, doc="ct.txt")) if c.kind == "table_row"]
    by_name = {c.cells[0][1]: c for c in rows}
    assert list(by_name) == [
        "Phường An Xuyên",
        "Phường Tân Thành",
        "Phường Bạc Liêu",
        "Cộng 3 xã, phường",
    ]
    assert by_name["Phường Tân Thành"].cells[-1] == ("Số công trình", "231")
    # The total's label takes the index's place, its figure stays under its column.
    assert by_name["Cộng 3 xã, phường"].cells[-1] == ("Số công trình", "746")
    assert by_name["Phường Tân Thành"].citation.startswith("Phụ lục, mục 2 (Phường Tân Thành)")
    assert "Khu vực tỉnh Cà Mau (cũ)" in by_name["Phường Tân Thành"].context
    assert "Khu vực tỉnh Bạc Liêu (cũ)" in by_name["Phường Bạc Liêu"].context
    assert "Cà Mau (cũ)" not in by_name["Phường Bạc Liêu"].context


# A notice whose footnote runs just above its appendix, the heading centred by spaces, and
# whose tab-separated table has a web page's "&nbsp;" for its empty cells.
NOTE_THEN_APPENDIX = """THÔNG BÁO
Kết luận về chỉnh lý tài liệu lưu trữ
1. Đã chỉnh lý 2.185 mét giá[1].
_______________
[1] Theo Báo cáo số 46/BC-SNV ngày 27/02/2026 của Sở Nội vụ.
                                   PHỤ LỤC
         TIẾN ĐỘ CHỈNH LÝ TÀI LIỆU CỦA CÁC HUYỆN (CŨ)

STT\tĐơn vị (cũ)\tĐã chỉnh lý (mét giá)\tGhi chú
<b>I</b>\t<b>Khu vực tỉnh Cà Mau (cũ)</b>\t<b>1.400</b>\t&nbsp;
1\tHuyện Thới Bình (cũ)\t150\t&nbsp;
<b>II</b>\t<b>Khu vực tỉnh Bạc Liêu (cũ)</b>\t<b>785</b>\t&nbsp;
1\tHuyện Hồng Dân (cũ)\t45\tKho ẩm mốc
"""


def test_an_appendix_below_a_footnote_and_empty_web_cells_keep_its_groups():
    chunks = Chunker().chunks(parse_text(NOTE_THEN_APPENDIX, doc="tb.txt"))
    note = next(c for c in chunks if c.text.startswith("[1]"))
    assert "PHỤ LỤC" not in note.text
    rows = {c.cells[0][1]: c for c in chunks if c.kind == "table_row"}
    assert rows["Huyện Hồng Dân (cũ)"].citation.startswith("Phụ lục, mục II.1 (Huyện Hồng Dân")
    assert rows["Huyện Thới Bình (cũ)"].citation.startswith("Phụ lục, mục I.1 (Huyện Thới Bình")
    assert "Khu vực tỉnh Bạc Liêu (cũ)" in rows["Huyện Hồng Dân (cũ)"].context
    assert "&nbsp;" not in rows["Huyện Thới Bình (cũ)"].text
