"""Stage 1, file → text lines: one reader per format, all yielding NFC lines for the parser.

Every reader yields one line per paragraph, tables with three or more real columns as one
tab-separated line per row (horizontally merged cells left empty, vertically merged ones
repeating the value above except inside the header, so a sub-header line starts with an
empty cell), and narrower "layout" tables (the two-column header and signature blocks) as
ordinary lines. Text typed in TCVN3 or VNI fonts is converted to Unicode.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..errors import DocumentError
from .common import (
    MAX_BYTES,
    MAX_TEXT_BYTES,
    Extracted,
    finish,
    guard_lines,
    os_problem,
    read_bytes,
    stat_size,
    too_big,
)
from .legacy import EMPTY, decode_bytes
from .sniff import HTML_SUFFIXES, OFFICE_SUFFIXES, SHEET_SUFFIXES, TEXT_SUFFIXES, mismatch

SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | OFFICE_SUFFIXES | SHEET_SUFFIXES | {".pdf"}

__all__ = ["SUPPORTED", "Extracted", "extract", "is_candidate", "os_problem"]


def is_candidate(path: Path) -> bool:
    """Files ingest looks at: supported suffixes, not hidden, not sidecar metadata."""
    name = path.name
    return (
        not name.startswith(".")
        and not name.startswith("~$")  # Word's lock files next to an open .docx
        and not name.endswith(".meta.json")
        and path.suffix.lower() in SUPPORTED
    )


def extract(path: Path, display: str) -> Extracted:
    """The text of ``path``; ``display`` names the file in DocumentError messages.

    Lines too long for any real document are split into sentences (see ``guard_lines``).
    """
    return guard_lines(_read(path, display))


def _read(path: Path, display: str) -> Extracted:
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        known = ", ".join(sorted(SUPPORTED))
        raise DocumentError(
            display, f"định dạng {suffix or '(không có đuôi)'} chưa được hỗ trợ (hỗ trợ: {known})"
        )
    limit = MAX_TEXT_BYTES if suffix in TEXT_SUFFIXES else MAX_BYTES
    size = stat_size(path, display)
    if size > limit:
        raise DocumentError(display, too_big(size, limit))
    if size == 0:
        raise DocumentError(display, EMPTY)
    data = read_bytes(path, display)
    if found := mismatch(suffix, data):
        suffix, warning = found
        extracted = _read_as(suffix, data, display)
        return replace(extracted, warnings=(*extracted.warnings, warning))
    return _read_as(suffix, data, display)


def _read_as(suffix: str, data: bytes, display: str) -> Extracted:
    if suffix in TEXT_SUFFIXES:
        text = decode_bytes(data, display)
        if suffix == ".md":
            from .markdown import markdown_lines

            text = markdown_lines(text)
        elif suffix in (".csv", ".tsv"):
            from .sheets import csv_lines

            text = csv_lines(text)
        else:
            from .plain import plain_lines

            text = plain_lines(text)
        return Extracted(text=text)
    if suffix in OFFICE_SUFFIXES | SHEET_SUFFIXES:
        lines = _office_lines(suffix, data, display)
        return finish(
            ((line, 0) for line in lines), display, f"tệp {suffix} không có nội dung văn bản"
        )
    if suffix == ".pdf":
        from . import ocr
        from .pdf import read_pdf

        lines, warnings = read_pdf(data, display)
        unread = "" if ocr.available() else f"; {ocr.OCR_MISSING}"
        empty = f"không có lớp văn bản (bản scan?){unread}"
        extracted = finish(lines, display, empty)
        return replace(extracted, warnings=(*extracted.warnings, *warnings))
    from .html import read_html, read_mht

    lines = (read_mht if suffix in (".mht", ".mhtml") else read_html)(data, display)
    return finish(((line, 0) for line in lines), display, "trang HTML không có nội dung văn bản")


def _office_lines(suffix: str, data: bytes, display: str) -> list[str]:
    if suffix == ".docx":
        from .docx import read_docx

        return read_docx(data, display)
    if suffix == ".doc":
        from .doc import read_doc

        return read_doc(data, display)
    if suffix == ".odt":
        from .odt import read_odt

        return read_odt(data, display)
    if suffix == ".ods":
        from .odt import read_ods

        return read_ods(data, display)
    if suffix in SHEET_SUFFIXES:
        from .sheets import read_xls, read_xlsx

        return (read_xlsx if suffix == ".xlsx" else read_xls)(data, display)
    from .rtf import read_rtf

    return read_rtf(data, display)
