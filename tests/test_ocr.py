"""Scanned PDFs: a page that is only a picture is read by OCR (tesseract, Vietnamese model)
when it is installed, and named in a warning either way; without OCR a scan is reported."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from test_formats import HEADER_LINES, _pdf, needs_font

from search.errors import DocumentError
from search.extract import extract, ocr
from search.extract.ocr import paragraphs

BODY = (
    "Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh, Sở Y tế báo cáo tình hình bệnh sốt xuất "
    "huyết năm 2026 như sau: toàn tỉnh ghi nhận 1.284 ca mắc, tăng 18,6% so với cùng kỳ."
)
needs_ocr = pytest.mark.skipif(
    not ocr.available(), reason="tesseract-ocr-vie not installed (scripts/ensure_ocr.sh)"
)


def test_ocr_lines_are_joined_where_the_scan_wrapped_them() -> None:
    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH CÀ MAU\n\n"
        "1. Toàn tỉnh ghi nhận 1.284 ca mắc sốt xuất huyết, tăng 18,6% so\n"
        "với cùng kỳ năm 2025; tỷ lệ mắc 60,0 ca/100.000 dân.\n"
        "2. Tay chân miệng giảm 21,3%.\n\nBÁO CÁO\f"
    )
    assert paragraphs(text) == [
        "ỦY BAN NHÂN DÂN",
        "TỈNH CÀ MAU",
        "1. Toàn tỉnh ghi nhận 1.284 ca mắc sốt xuất huyết, tăng 18,6% so với cùng kỳ năm "
        "2025; tỷ lệ mắc 60,0 ca/100.000 dân.",
        "2. Tay chân miệng giảm 21,3%.",
        "BÁO CÁO",
    ]


def _scan(text_pdf: Path, path: Path) -> Path:
    """The PDF printed and scanned: each page a picture, no text layer."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(text_pdf)
    images = [pdf[i].render(scale=150 / 72, grayscale=True).to_pil() for i in range(len(pdf))]
    pdf.close()
    out = io.BytesIO()
    images[0].save(out, "PDF", resolution=150, save_all=True, append_images=images[1:])
    path.write_bytes(out.getvalue())
    return path


@needs_font
@needs_ocr
def test_a_scanned_page_is_read_by_ocr(tmp_path: Path) -> None:
    text = _pdf(tmp_path / "goc.pdf", [[*HEADER_LINES, "BÁO CÁO", BODY], ["2. Tay chân miệng"]])
    extracted = extract(_scan(text, tmp_path / "scan.pdf"), "scan.pdf")
    lines = extracted.text.split("\n")
    assert "Số: 12/KH-UBND" in extracted.text and "BÁO CÁO" in lines
    body = next(line for line in lines if line.startswith("Thực hiện"))
    words = set(BODY.split())
    assert len(words & set(body.split())) >= 0.9 * len(words)  # a few OCR slips at most
    assert extracted.pages[lines.index(body)] == 1
    assert extracted.warnings[-1] == (
        "trang 1, 2 là bản scan: đã nhận dạng chữ (OCR), nên đối chiếu bản gốc"
    )


@needs_font
def test_without_ocr_a_scan_is_reported_and_its_text_pages_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ocr, "available", lambda: False)
    text = _pdf(tmp_path / "goc.pdf", [[*HEADER_LINES, "BÁO CÁO", BODY]])
    with pytest.raises(DocumentError) as err:
        extract(_scan(text, tmp_path / "scan.pdf"), "scan.pdf")
    assert err.value.problem == (
        "không có lớp văn bản (bản scan?); cài tesseract-ocr-vie để nhận dạng chữ "
        "(sudo apt-get install tesseract-ocr-vie)"
    )
    # A typed report whose signed last page was scanned: its text is read, the scan named.
    import pypdfium2 as pdfium

    mixed = pdfium.PdfDocument(text)
    mixed.import_pages(pdfium.PdfDocument(_scan(text, tmp_path / "ky.pdf")))
    mixed.save(tmp_path / "mixed.pdf")
    extracted = extract(tmp_path / "mixed.pdf", "mixed.pdf")
    assert "Số: 12/KH-UBND" in extracted.text
    assert extracted.warnings[-1].startswith("trang 2 là bản scan, chưa đọc được: cài")


@needs_font
def test_a_page_tesseract_fails_on_is_reported_not_the_whole_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess

    import pypdfium2 as pdfium

    def stuck(*args, **kwargs):
        raise subprocess.TimeoutExpired(args[0], ocr.PAGE_SECONDS)

    monkeypatch.setattr(ocr, "available", lambda: True)
    monkeypatch.setattr(ocr.subprocess, "run", stuck)
    text = _pdf(tmp_path / "goc.pdf", [[*HEADER_LINES, "BÁO CÁO", BODY]])
    mixed = pdfium.PdfDocument(text)
    mixed.import_pages(pdfium.PdfDocument(_scan(text, tmp_path / "ky.pdf")))
    mixed.save(tmp_path / "mixed.pdf")
    extracted = extract(tmp_path / "mixed.pdf", "mixed.pdf")
    assert "Số: 12/KH-UBND" in extracted.text
    assert (
        extracted.warnings[-1]
        == "trang 2 là bản scan, chưa đọc được: không nhận dạng được chữ (OCR)"
    )
