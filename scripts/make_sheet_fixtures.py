"""Remake tests/fixtures/sheets/: one appendix workbook written by openpyxl (.xlsx) and by
xlwt (.xls, Excel 97–2003), each with a title above a two-row header, cells merged across
and down, a group row, numbers, a date, a percentage and a formula's cached total, a note
below the table, a cell set in a TCVN3 font, and a hidden sheet. Needs openpyxl and xlwt
(``pip install openpyxl xlwt``); the tests that read the files do not.

    python scripts/make_sheet_fixtures.py
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "sheets"

TITLE = [
    "PHỤ LỤC I",
    "DANH MỤC CÔNG TRÌNH NẠO VÉT KÊNH MƯƠNG NĂM 2026",
    "(Kèm theo Kế hoạch số 45/KH-UBND ngày 12/3/2026 của Ủy ban nhân dân tỉnh Cà Mau)",
]
HEADER = ["STT", "Tên công trình", "Địa điểm", "Kinh phí", "Thời gian hoàn thành",
          "Cơ quan thực hiện", ""]  # fmt: skip
SUBHEADER = ["", "", "", "", "", "Chủ trì", "Phối hợp"]
GROUP = ["I", "XÃ ĐẤT MŨI"]
ROWS = [
    ["1", "Kênh Xẻo Mắm", "xã Đất Mũi", 1250.5, datetime(2026, 6, 30),
     "Sở Nông nghiệp và Môi trường", "UBND xã Đất Mũi"],
    ["2", "Kênh Ông Định", "xã Đất Mũi", 2360, datetime(2026, 9, 30), None, "UBND xã Đất Mũi"],
]  # fmt: skip
NOTE = "Ghi chú: kinh phí do ngân sách tỉnh bảo đảm; tỷ lệ giải ngân năm 2025 đạt"
RATE = 0.976
SIGNER = "Ủy ban nhân dân tỉnh"  # written in a .VnTime font, TCVN3-encoded


def tcvn3(text: str) -> str:
    sys.path.insert(0, str(ROOT))
    from search.extract.legacy import encode_legacy

    return encode_legacy(text, "tcvn3").decode("latin-1")


def make_xlsx(path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "PL1"
    for r, line in enumerate(TITLE, start=1):
        sheet.cell(r, 1, line)
        sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=7)
    sheet.cell(4, 7, "Đơn vị tính: triệu đồng")
    for c, (head, sub) in enumerate(zip(HEADER, SUBHEADER, strict=True), start=1):
        sheet.cell(6, c, head or None)
        sheet.cell(7, c, sub or None)
        if not sub:
            sheet.merge_cells(start_row=6, start_column=c, end_row=7, end_column=c)
    sheet.merge_cells("F6:G6")
    sheet.cell(8, 1, GROUP[0])
    sheet.cell(8, 2, GROUP[1])
    sheet.merge_cells("B8:G8")
    for r, row in enumerate(ROWS, start=9):
        for c, value in enumerate(row, start=1):
            if value is not None:
                cell = sheet.cell(r, c, value)
                if isinstance(value, float):
                    cell.number_format = "#,##0.0"
                elif isinstance(value, int):
                    cell.number_format = "#,##0"
                elif isinstance(value, datetime):
                    cell.number_format = "dd/mm/yyyy"
    sheet.merge_cells("F9:F10")
    sheet.cell(11, 2, "TỔNG CỘNG")
    sheet.cell(11, 4, "=SUM(D9:D10)").number_format = "#,##0.0"
    sheet.cell(13, 1, NOTE)
    sheet.cell(13, 2, RATE).number_format = "0.0%"
    sheet.cell(15, 6, tcvn3(SIGNER)).font = Font(name=".VnTime")
    hidden = book.create_sheet("tra cuu")
    hidden["A1"] = "Dữ liệu ẩn không hiện"
    hidden.sheet_state = "hidden"
    book.save(path)
    _cache_total(path)


def _cache_total(path: Path) -> None:
    """openpyxl writes a formula without its value; Excel saves the value it computed."""
    import zipfile

    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    name = "xl/worksheets/sheet1.xml"
    parts[name] = parts[name].replace(b"<f>SUM(D9:D10)</f><v></v>", b"<f>SUM(D9:D10)</f>")
    parts[name] = parts[name].replace(b"<f>SUM(D9:D10)</f>", b"<f>SUM(D9:D10)</f><v>3610.5</v>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in parts.items():
            z.writestr(n, data)


def make_xls(path: Path) -> None:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("PL1")
    for r, line in enumerate(TITLE):
        sheet.write_merge(r, r, 0, 6, line)
    sheet.write(3, 6, "Đơn vị tính: triệu đồng")
    for c, (head, sub) in enumerate(zip(HEADER, SUBHEADER, strict=True)):
        if not sub:
            sheet.write_merge(5, 6, c, c, head)
        else:
            sheet.write(6, c, sub)
    sheet.write_merge(5, 5, 5, 6, "Cơ quan thực hiện")
    sheet.write(7, 0, GROUP[0])
    sheet.write_merge(7, 7, 1, 6, GROUP[1])
    styles = {float: "#,##0.0", int: "#,##0", datetime: "dd/mm/yyyy"}
    for r, row in enumerate(ROWS, start=8):
        for c, value in enumerate(row):
            if value is None or (r, c) == (8, 5):
                continue
            style = xlwt.easyxf(num_format_str=styles.get(type(value), "General"))
            sheet.write(r, c, value, style)
    sheet.write_merge(8, 9, 5, 5, ROWS[0][5])
    sheet.write(10, 1, "TỔNG CỘNG")
    sheet.write(10, 3, 3610.5, xlwt.easyxf(num_format_str="#,##0.0"))  # xlwt caches no result
    sheet.write(12, 0, NOTE)
    sheet.write(12, 1, RATE, xlwt.easyxf(num_format_str="0.0%"))
    sheet.write(14, 5, tcvn3(SIGNER), xlwt.easyxf("font: name .VnTime"))
    hidden = book.add_sheet("tra cuu")
    hidden.write(0, 0, "Dữ liệu ẩn không hiện")
    hidden.visibility = 1
    book.save(str(path))


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    make_xlsx(OUT / "phu_luc.xlsx")
    make_xls(OUT / "phu_luc.xls")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
