"""A file is read as what its bytes are, whatever its name says: portals serve RTF or a
web page named ".doc", staff rename a .docx to .doc, a web application's "Excel" export is
tab-separated text. Each is read, with a warning that names both."""

from __future__ import annotations

from pathlib import Path

import pytest

from search.errors import DocumentError
from search.extract import extract

FIXTURES = Path(__file__).parent / "fixtures"
OFFICE = FIXTURES / "office"
PAGE = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>"
    "<p>ỦY BAN NHÂN DÂN TỈNH CÀ MAU</p><p>Số: 12/KH-UBND</p><p>KẾ HOẠCH</p>"
    "<p>Phòng, chống sốt xuất huyết năm 2026</p><p>1. Mục tiêu: giảm 10% số ca mắc.</p>"
    "</body></html>"
)


@pytest.mark.parametrize(
    ("name", "data", "really"),
    [
        ("ke_hoach.doc", (OFFICE / "ke_hoach.rtf").read_bytes(), "RTF"),
        ("ke_hoach.doc", (OFFICE / "ke_hoach.docx").read_bytes(), "Word (.docx)"),
        ("ke_hoach.docx", (OFFICE / "ke_hoach.doc").read_bytes(), "Word 97–2003 (.doc)"),
        ("ke_hoach.pdf", (OFFICE / "ke_hoach.odt").read_bytes(), "OpenDocument (.odt)"),
    ],
)
def test_an_office_file_under_another_name_reads_as_it_is(
    tmp_path: Path, name: str, data: bytes, really: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    extracted = extract(path, name)
    assert "Số: 12/KH-UBND" in extracted.text.split("\n")
    suffix = Path(name).suffix
    assert extracted.warnings[-1] == (
        f"tệp có đuôi {suffix} nhưng nội dung là {really}: đã đọc theo nội dung"
    )


def test_a_page_or_a_text_export_named_as_office_files_reads(tmp_path: Path) -> None:
    page = tmp_path / "ke_hoach.doc"
    page.write_text(PAGE, encoding="utf-8")
    extracted = extract(page, page.name)
    assert "1. Mục tiêu: giảm 10% số ca mắc." in extracted.text.split("\n")
    assert "trang web (HTML)" in extracted.warnings[-1]
    export = tmp_path / "bao_cao.xls"
    export.write_text("STT\tXã\tSố ca\n1\tĐất Mũi\t12\n2\tTân Ân\t7\n", encoding="utf-8")
    extracted = extract(export, export.name)
    assert "2\tTân Ân\t7" in extracted.text.split("\n")
    assert "văn bản thuần" in extracted.warnings[-1]
    workbook = tmp_path / "phu_luc.xls"
    workbook.write_bytes((FIXTURES / "sheets" / "phu_luc.xlsx").read_bytes())
    assert "Excel (.xlsx)" in extract(workbook, workbook.name).warnings[-1]


def test_a_file_its_name_matches_gets_no_warning_and_garbage_still_fails(tmp_path: Path) -> None:
    assert extract(OFFICE / "ke_hoach.rtf", "ke_hoach.rtf").warnings == ()
    page = tmp_path / "trang.htm"
    page.write_text(PAGE, encoding="utf-8")
    assert extract(page, page.name).warnings == ()
    notes = tmp_path / "ghi_chu.txt"
    notes.write_text("<html> là thẻ mở đầu của một trang web\nSố: 3/TB-VP", encoding="utf-8")
    assert extract(notes, notes.name).text.startswith("<html> là thẻ")  # text stays text
    broken = tmp_path / "hong.doc"
    broken.write_bytes(b"\x00\x01\x02\x03" * 100)
    with pytest.raises(DocumentError, match="hong.doc: tệp .doc bị hỏng hoặc không đầy đủ"):
        extract(broken, broken.name)


def _web_archive(page: str) -> bytes:
    """A page as Word saves it as "Single File Web Page": MIME, quoted-printable UTF-8."""
    from email.charset import QP, Charset
    from email.mime.multipart import MIMEMultipart
    from email.mime.text import MIMEText

    charset = Charset("utf-8")
    charset.body_encoding = QP
    archive = MIMEMultipart("related")
    archive.attach(MIMEText("Trang phụ", "plain", "utf-8"))  # not the page
    archive.attach(MIMEText(page, "html", charset))
    return archive.as_bytes()


def test_a_web_archive_reads_as_its_page_under_either_name(tmp_path: Path) -> None:
    data = _web_archive(PAGE)
    assert b"=E1=BB" in data  # the Vietnamese letters really are quoted-printable
    for name in ("ke_hoach.mht", "ke_hoach.doc"):
        path = tmp_path / name
        path.write_bytes(data)
        extracted = extract(path, name)
        assert "1. Mục tiêu: giảm 10% số ca mắc." in extracted.text.split("\n")
        assert "Trang phụ" not in extracted.text
    assert "trang web lưu trữ (MHT)" in extracted.warnings[-1]
