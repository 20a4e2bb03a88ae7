"""Text broken into lines at a width: a PDF copied out of a viewer, a mail wrapped at 72
columns, a legal site's <pre>. Its paragraphs are read whole, whatever a broken line starts
with, and the page furniture copied with it says nothing."""

from __future__ import annotations

from search.extract.common import squash, tab_lines
from search.extract.pdf import _join_wrapped
from search.index.analyzer import Analyzer
from search.index.chunker import Chunker
from search.query.answer import extract_answer
from search.query.query import read_query
from search.records import Hit
from search.structure.parser import parse_text

HEADER = [
    "ỦY BAN NHÂN DÂN TỈNH CÀ MAU",
    "VĂN PHÒNG",
    "Số: 412/TB-VP",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Cà Mau, ngày 13 tháng 11 năm 2025",
    "THÔNG BÁO",
    "Kết luận về tiến độ các công trình cấp bách",
    "",
]
# As a page is copied: every printed line a line, broken where the width ran out (before
# a name, a percentage, a range's dash), and the page's number copied with it.
WRAPPED = [
    "Ngày 10/11/2025, tại trụ sở Ủy ban nhân dân tỉnh, Phó Chủ tịch Ủy ban nhân dân tỉnh",
    "Nguyễn Hoàng Khải chủ trì cuộc họp nghe báo cáo tiến độ các công trình cấp bách phòng,",
    "chống sạt lở bờ sông, bờ biển và chuẩn bị ứng phó hạn hán, xâm nhập mặn mùa khô năm 2025",
    "- 2026. Tham dự cuộc họp có lãnh đạo các Sở: Nông nghiệp và Môi trường, Tài chính.",
    "1. Đánh giá chung",
    "Các sở, ngành và địa phương đã tích cực triển khai các công trình cấp bách và chuẩn bị",
    "ứng phó mùa khô. Tuy nhiên, tiến độ còn chậm: đến ngày 10/11/2025 mới khởi công 09/18",
    "Trang 2/4",
    "công trình, giá trị giải ngân 52.310 triệu đồng.",
    "2. Nhiệm vụ thời gian tới",
    "- Kè chống sạt lở bờ biển Tây đoạn từ kênh Mười Hai đến kênh Mười Bốn (xã U Minh), hiện đạt",
    "38% khối lượng, phải đạt 60% khối lượng trước ngày 31/01/2026.",
    "- Sở Tài chính tham mưu bố trí 49.150 triệu đồng ngân sách tỉnh cho các công trình bổ sung",
    "trước ngày 20/11/2025.",
    "- Lưu hồ sơ công trình theo quy định.",
]


def _units(lines: list[str]) -> list[str]:
    parsed = parse_text("\n".join(HEADER + lines), doc="tb.txt")
    return [" ".join(t for _, t in u.lines) for u in parsed.units if u.kind == "text"]


def test_a_hard_wrapped_text_is_read_in_whole_paragraphs() -> None:
    units = _units(WRAPPED)
    # Broken before a name and before a range's dash: one paragraph.
    assert units[1] == " ".join(WRAPPED[0:4])
    # The page's number goes; the sentence it broke is one passage.
    assert " ".join(WRAPPED[5:7] + WRAPPED[8:9]) in units
    assert " ".join(WRAPPED[10:12]) in units  # "... hiện đạt" / "38% khối lượng ..."
    assert " ".join(WRAPPED[12:14]) in units and WRAPPED[14] in units  # items stay apart
    assert not any("Trang 2/4" in u for u in units)


def test_a_paragraph_per_line_keeps_its_lines_apart() -> None:
    """Lines that are paragraphs (no width to them) are not run together: a long line
    without a full stop, then one starting with a capital, are two passages."""
    long = "Ủy ban nhân dân tỉnh giao các sở, ngành " + "tổ chức thực hiện nhiệm vụ " * 8
    lines = [long.strip(), "Sở Tài chính bố trí kinh phí.", " ".join(WRAPPED[0:4])]
    units = _units(lines)
    assert long.strip() in units and "Sở Tài chính bố trí kinh phí." in units


def test_a_typed_text_opens_its_paragraphs_set_in() -> None:
    """A typed text sets in each paragraph's first line: a line set in as far opens a
    paragraph even after a title the width ran up to; a clause after a semicolon goes on
    in small letters on the next line."""
    lines = [
        "      Thực hiện Kế hoạch số 157/KH-UBND ngày 18/8/2025 của Ủy ban nhân dân tỉnh về",
        "bảo vệ môi trường trong sản xuất nông nghiệp, Sở Nông nghiệp và Môi trường có ý kiến",
        "như sau:",
        "      1. Kết quả thu gom bao gói thuốc bảo vệ thực vật 8 tháng đầu năm 2025 của tỉnh",
        "      Qua tổng hợp, đến ngày 31/8/2025 toàn tỉnh có 5.214 bể chứa bao gói thuốc bảo",
        "vệ thực vật sau sử dụng, trong đó có 1.377 bể bị hư hỏng, nứt vỡ hoặc không có nắp",
        "đậy. Khối lượng bao gói đã thu gom 8 tháng đầu năm 2025 là 41,8 tấn.",
        "      2. Đề nghị Ủy ban nhân dân các xã, phường",
        "      a) Rà soát, sửa chữa, thay thế các bể chứa bao gói bị hư hỏng, bảo đảm bình quân",
        "ít nhất 01 bể trên 10 ha đất sản xuất; bố trí kinh phí từ nguồn sự nghiệp môi trường;",
        "đơn giá vận chuyển, xử lý tham khảo là 16.800 đồng/kg (chưa bao gồm thuế giá trị gia",
        "tăng).",
    ]
    units = _units(lines)
    assert lines[3].strip() in units  # the title alone
    assert units[units.index(lines[3].strip()) + 1].startswith("Qua tổng hợp")
    assert " ".join(s.strip() for s in lines[8:]) in units  # the item, its clauses whole


def test_an_answer_is_the_whole_sentence_across_the_lines_it_was_wrapped_to() -> None:
    """The answer follows the paragraphs the reader found: a sentence broken before a
    capital ("... về Phòng" / "PC06 trước ngày ...") is answered whole."""
    task = [
        "- Công an các xã, phường tổng hợp, báo cáo kết quả thực hiện đợt 1 của năm 2026 về Phòng",
        "PC06 trước ngày 05/5/2026; báo cáo năm trước ngày 10/12/2026.",
    ]
    parsed = parse_text("\n".join(HEADER + WRAPPED + task), doc="tb.txt")
    chunk = next(c for c in Chunker().chunks(parsed) if "PC06" in c.text)
    analyzer = Analyzer()
    query = read_query("công an xã báo cáo kết quả đợt 1 hạn ngày nào", analyzer=analyzer)
    answer = extract_answer(query, [Hit(1, 1.0, chunk)], analyzer, lambda t: 1.0)
    assert answer.text.startswith("- Công an các xã") and "05/5/2026" in answer.text


def test_a_signer_alone_below_the_recipients() -> None:
    lines = WRAPPED + [
        "Nơi nhận: KT. GIÁM ĐỐC",
        "- UBND tỉnh (b/c); PHÓ GIÁM ĐỐC",
        "- Lưu: VT, KHTC. (Đã ký)",
        "Trương Minh Hiếu",
    ]
    parsed = parse_text("\n".join(HEADER + lines), doc="tb.txt")
    assert parsed.meta.signer == "Trương Minh Hiếu"
    assert not any("Trương Minh Hiếu" in t for u in parsed.units for _, t in u.lines)


def test_a_table_one_cell_per_line_with_a_unit_of_one_letter() -> None:
    """ "m" (metres) in a row's unit column is a cell, not the letter of a sub-row; "a", "b"
    still open sub-rows."""
    cells = ["STT", "Chỉ tiêu", "Đơn vị tính", "Năm 2024", "Năm 2025",
             "1", "Số điểm sạt lở bờ sông, bờ biển", "điểm", "87", "112",
             "a", "Chiều dài sạt lở", "m", "5.120", "7.845",
             "Trang 4/4",
             "b", "Nhà bị sập, cuốn trôi", "căn", "26", "41",
             "2", "Thiệt hại do thiên tai (ước)", "tỷ đồng", "41,2", "68,4"]  # fmt: skip
    text = "\n".join(HEADER + WRAPPED + ["", "PHỤ LỤC", "MỘT SỐ CHỈ TIÊU CHỦ YẾU", *cells])
    rows = [u for u in parse_text(text, doc="tb.txt").units if u.kind == "table_row"]
    named = {u.path[-1]: [t for _, t in u.lines] for u in rows}
    assert named["a"] == ["Chiều dài sạt lở", "m", "5.120", "7.845"]
    assert named["b"][0] == "Nhà bị sập, cuốn trôi" and "Trang 4/4" not in named["a"]
    assert "m" not in named


def _line(text: str, top: float, x1: float) -> dict:
    return {"text": text, "x0": 60.0, "x1": x1, "top": top, "bottom": top + 12, "size": 12.0}


def test_a_pdf_title_keeps_its_number_whole_and_its_rule_apart() -> None:
    lines = [
        _line("Về việc sửa đổi Danh mục công trình kèm theo Quyết định số 01462/QĐ-", 100, 530),
        _line("UBND ngày 27 tháng 8 năm 2025 của Chủ tịch Ủy ban nhân dân tỉnh", 113, 420),
        _line("___________", 126, 200),
    ]  # fmt: skip
    joined = [text for _, text, _ in _join_wrapped(lines, 595)]
    assert joined[0].endswith(
        "số 01462/QĐ-UBND ngày 27 tháng 8 năm 2025 của Chủ tịch Ủy ban nhân dân tỉnh"
    )
    assert joined[1] == "___________"


def test_a_cells_lines_keep_a_number_broken_at_its_hyphen_whole() -> None:
    header = "Kinh phí đã\nphê duyệt tại\nQuyết định số\n01462/QĐ-\nUBND"
    assert tab_lines([[header, "Quy mô"]]) == [
        "Kinh phí đã phê duyệt tại Quyết định số 01462/QĐ-UBND\tQuy mô"]  # fmt: skip
    # A dash between names, or after a word, is no number's.
    assert squash("Quản Lộ -\nPhụng Hiệp") == "Quản Lộ - Phụng Hiệp"
    assert squash("vùng ngọt hóa Quản Lộ-\nPhụng Hiệp") == "vùng ngọt hóa Quản Lộ- Phụng Hiệp"
