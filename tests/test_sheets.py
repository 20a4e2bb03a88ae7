"""Spreadsheets (.xlsx, .xls, .csv): an appendix kept as a workbook reads as the same
appendix in Word: title lines, one tab line per row, merged cells, numbers as shown.

``fixtures/sheets/phu_luc.xlsx`` (openpyxl) and ``phu_luc.xls`` (xlwt) hold the same sheet;
``scripts/make_sheet_fixtures.py`` remakes them.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from search.errors import DocumentError
from search.extract import extract
from search.extract.sheets import csv_lines, number_text, sheet_lines
from search.structure.parser import parse_text

SHEETS = Path(__file__).parent / "fixtures" / "sheets"


@pytest.mark.parametrize("name", ["phu_luc.xlsx", "phu_luc.xls"])
def test_a_workbook_reads_as_its_appendix_in_word(name: str) -> None:
    lines = extract(SHEETS / name, name).text.split("\n")
    assert lines[:4] == [
        "PHỤ LỤC I",  # merged across the sheet: a line, not a row
        "DANH MỤC CÔNG TRÌNH NẠO VÉT KÊNH MƯƠNG NĂM 2026",
        "(Kèm theo Kế hoạch số 45/KH-UBND ngày 12/3/2026 của Ủy ban nhân dân tỉnh Cà Mau)",
        "Đơn vị tính: triệu đồng",
    ]
    assert lines[4:10] == [
        "STT\tTên công trình\tĐịa điểm\tKinh phí\tThời gian hoàn thành\tCơ quan thực hiện\t",
        "\t\t\t\t\tChủ trì\tPhối hợp",  # merged down in the header: the sub-header starts empty
        "I\tXÃ ĐẤT MŨI\t\t\t\t\t",
        "1\tKênh Xẻo Mắm\txã Đất Mũi\t1.250,5\t30/06/2026\tSở Nông nghiệp và Môi trường\t"
        "UBND xã Đất Mũi",
        # The lead agency merged down two rows is named in both.
        "2\tKênh Ông Định\txã Đất Mũi\t2.360\t30/09/2026\tSở Nông nghiệp và Môi trường\t"
        "UBND xã Đất Mũi",
        "\tTỔNG CỘNG\t\t3.610,5\t\t\t",  # a formula's value as Excel saved it
    ]
    note = "Ghi chú: kinh phí do ngân sách tỉnh bảo đảm; tỷ lệ giải ngân năm 2025 đạt"
    assert f"{note}  97,6%" in lines  # a row below the table: one line
    assert "Ủy ban nhân dân tỉnh" in lines  # typed in a .VnTime font
    assert not any("ẩn" in line for line in lines)  # the hidden sheet


def test_an_appendix_file_is_cited_by_the_document_its_caption_names() -> None:
    text = extract(SHEETS / "phu_luc.xlsx", "phu_luc.xlsx").text
    parsed = parse_text(text, doc="phu_luc.xlsx")
    meta = parsed.meta
    assert (meta.doc_type, meta.number, meta.date) == ("Kế hoạch", "45/KH-UBND", "12/03/2026")
    assert meta.issuer == "Ủy ban nhân dân tỉnh Cà Mau"
    row = next(u for u in parsed.units if u.kind == "table_row" and "Ông Định" in u.lines[0][1])
    assert ("Cơ quan thực hiện - Chủ trì", "Sở Nông nghiệp và Môi trường") in row.cells


@pytest.mark.parametrize(
    ("value", "code", "shown"),
    [
        (7422000, "General", "7422000"),
        (7.5, "General", "7,5"),
        (1250.5, "#,##0.0", "1.250,5"),
        (-2360, "#,##0_);(#,##0)", "-2.360"),
        (1234.5, "#,##0.00_);[Red](#,##0.00)", "1.234,50"),
        (0.976, "0.0%", "97,6%"),
        (0.5, "0%", "50%"),
        (48.5, '#,##0.0" ha"', "48,5 ha"),
        (46203, "dd/mm/yyyy", "30/06/2026"),
        (46203, "d/m/yyyy", "30/6/2026"),
        (46203, "[$-42A]dd/mm/yyyy;@", "30/06/2026"),
        (46203.75, "dd/mm/yyyy hh:mm", "30/06/2026 18:00"),
        (0.3125, "h:mm", "07:30"),
    ],
)
def test_numbers_read_as_the_sheet_shows_them(value: float, code: str, shown: str) -> None:
    assert number_text(value, code) == shown


def test_rows_around_the_table_stay_lines_and_blank_rows_split_nothing() -> None:
    cells = {
        (0, 0): "BIỂU TỔNG HỢP",
        (2, 0): "STT", (2, 1): "Chỉ tiêu", (2, 2): "Kết quả",
        (3, 0): "1", (3, 1): "Số hộ", (3, 2): "120",
        (5, 0): "2", (5, 1): "Số xã", (5, 2): "12",  # after a spacer row: the same table
        (7, 0): "Người lập biểu", (7, 3): "Thủ trưởng đơn vị",
        (8, 0): "NỢ CŨ", (8, 1): "kê khai",  # two cells: no table of its own
    }  # fmt: skip
    assert sheet_lines(cells) == [
        "BIỂU TỔNG HỢP",
        "STT\tChỉ tiêu\tKết quả",
        "1\tSố hộ\t120",
        "2\tSố xã\t12",
        "Người lập biểu  Thủ trưởng đơn vị",
        "NỢ CŨ  kê khai",
    ]


def test_a_csv_is_read_as_a_sheet_whatever_its_separator(tmp_path: Path) -> None:
    rows = [
        "Danh sách điểm tiêm chủng",
        "STT;Tên điểm;Địa chỉ;Số mũi",
        '1;Trạm Y tế xã Đất Mũi;"ấp Mũi; xã Đất Mũi";1.200',
        "2;Trạm Y tế phường An Xuyên;khóm 3;950",
    ]
    assert csv_lines("\n".join(rows)).split("\n") == [
        "Danh sách điểm tiêm chủng",
        "STT\tTên điểm\tĐịa chỉ\tSố mũi",
        "1\tTrạm Y tế xã Đất Mũi\tấp Mũi; xã Đất Mũi\t1.200",
        "2\tTrạm Y tế phường An Xuyên\tkhóm 3\t950",
    ]
    path = tmp_path / "diem_tiem.csv"
    path.write_bytes("\n".join(rows).replace(";", ",").encode("utf-16"))
    assert "2\tTrạm Y tế phường An Xuyên\tkhóm 3\t950" in extract(path, path.name).text


def test_bad_workbooks_get_one_line_each(tmp_path: Path) -> None:
    no_book = io.BytesIO()
    with zipfile.ZipFile(no_book, "w") as archive:
        archive.writestr("docProps/app.xml", "<Properties/>")
    cases = {
        "a.xlsx": (no_book.getvalue(), "tệp không phải bảng tính Excel (.xlsx)"),
        "b.xlsx": (b"PK\x03\x04" + b"\0" * 100, "tệp .xlsx bị hỏng hoặc không đầy đủ"),
        "c.xls": (b"\x00\x01Bang tinh", "tệp không phải bảng tính Excel (.xls)"),
        "d.xls": (
            (SHEETS / "phu_luc.xls").read_bytes()[:2000],
            "tệp .xls bị hỏng hoặc không đầy đủ",
        ),
    }
    for name, (data, problem) in cases.items():
        (tmp_path / name).write_bytes(data)
        with pytest.raises(DocumentError) as err:
            extract(tmp_path / name, name)
        assert (name, err.value.problem) == (name, problem)


def _ods(tables: str, styles: str = "", part: str = "spreadsheet") -> bytes:
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns}>'
        f"<office:automatic-styles>{styles}</office:automatic-styles>"
        f"<office:body><office:{part}>{tables}</office:{part}></office:body>"
        "</office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
    return out.getvalue()


def _row(*cells: str, repeat: int = 1) -> str:
    return (
        f'<table:table-row table:number-rows-repeated="{repeat}">{"".join(cells)}</table:table-row>'
    )


def _cell(text: str = "", **attrs: str) -> str:
    extra = "".join(f' table:{k.replace("_", "-")}="{v}"' for k, v in attrs.items())
    body = f"<text:p>{text}</text:p>" if text else ""
    return f"<table:table-cell{extra}>{body}</table:table-cell>"


def test_an_ods_sheet_reads_as_a_workbook_does(tmp_path: Path) -> None:
    covered = "<table:covered-table-cell/>"
    sheet = (
        '<table:table table:name="PL2">'
        + _row(_cell("PHỤ LỤC II", number_columns_spanned="4"), covered * 3)
        + _row(_cell("STT"), _cell("Nội dung"), _cell("Chủ trì"), _cell("Kinh phí"))
        + _row(_cell("1"), _cell("Tập huấn"), _cell("Sở Y tế", number_rows_spanned="2"),
               _cell("1.250,5"))
        + _row(_cell("2"), _cell("Truyền thông"), covered, _cell("80"))
        + _row(_cell(number_columns_repeated="1024"), repeat=1048570)  # the sheet's filler
        + "</table:table>"
        '<table:table table:name="An" table:style-name="ta2">'
        + _row(_cell("Dữ liệu ẩn"))
        + "</table:table>"
    )  # fmt: skip
    hidden = (
        '<style:style style:name="ta2" style:family="table">'
        '<style:table-properties table:display="false"/></style:style>'
    )
    path = tmp_path / "phu_luc.ods"
    path.write_bytes(_ods(sheet, hidden))
    assert extract(path, path.name).text.split("\n") == [
        "PHỤ LỤC II",
        "STT\tNội dung\tChủ trì\tKinh phí",
        "1\tTập huấn\tSở Y tế\t1.250,5",
        "2\tTruyền thông\tSở Y tế\t80",
    ]
    path.write_bytes(_ods("<text:p>Một văn bản</text:p>", part="text"))  # an .odt misnamed
    with pytest.raises(DocumentError) as err:
        extract(path, path.name)
    assert err.value.problem == "tệp không phải bảng tính OpenDocument (.ods)"
