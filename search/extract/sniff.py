"""What a file really is, from its first bytes: portals serve RTF or a web page named
".doc", staff rename a .docx to .doc or an Excel file to .xls. A file is read as what its
bytes say, with a warning, not refused for its name."""

from __future__ import annotations

import io
import re
import zipfile

_MAIL_HEADER = re.compile(rb"[A-Za-z][\w-]*:")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_NAMES = {".docx": "Word (.docx)", ".doc": "Word 97–2003 (.doc)", ".rtf": "RTF",
          ".odt": "OpenDocument (.odt)", ".ods": "bảng tính OpenDocument (.ods)",
          ".xlsx": "Excel (.xlsx)", ".xls": "Excel 97–2003 (.xls)", ".pdf": "PDF",
          ".html": "trang web (HTML)", ".mht": "trang web lưu trữ (MHT)",
          ".txt": "văn bản thuần"}  # fmt: skip
_SAME = {".htm": ".html", ".mhtml": ".mht"}

# The formats read, by the names files carry.
TEXT_SUFFIXES = {".txt", ".md", ".csv", ".tsv"}
HTML_SUFFIXES = {".html", ".htm", ".mht", ".mhtml"}
# Word (2007 and 97–2003), OpenDocument and RTF, each read directly: no office suite needed.
OFFICE_SUFFIXES = {".docx", ".doc", ".odt", ".rtf"}
# Appendices kept as workbooks: Excel 2007 and 97–2003, OpenDocument (comma-separated text is
# read as text).
SHEET_SUFFIXES = {".xlsx", ".xls", ".ods"}
_FORMATS = OFFICE_SUFFIXES | SHEET_SUFFIXES | {".pdf"}  # binary, or RTF: never plain text


def sniff(data: bytes) -> str | None:
    """The suffix of the format ``data`` is in, for the binary formats, RTF and HTML
    pages; None for plain text and anything not recognised."""
    head = data[:1024].removeprefix(b"\xef\xbb\xbf").lstrip()
    if b"%PDF-" in data[:1024]:
        return ".pdf"
    if head.startswith(b"{\\rtf"):
        return ".rtf"
    if data.startswith(b"PK\x03\x04"):
        return _zipped(data)
    if data.startswith(_OLE):
        return _ole(data)
    lower = head.lower()
    if _MAIL_HEADER.match(head) and b"mime-version:" in lower and b"multipart/related" in lower:
        return ".mht"  # a web archive: a MIME message of the page and its parts
    if lower.startswith((b"<!doctype html", b"<html")) or (
        lower.startswith(b"<?xml") and b"<html" in lower
    ):
        return ".html"
    return None


def _zipped(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, KeyError):
        return None
    if "word/document.xml" in names:
        return ".docx"
    if "xl/workbook.xml" in names:
        return ".xlsx"
    if "content.xml" in names:
        return ".ods" if b"spreadsheet" in mimetype else ".odt"
    return None


def _ole(data: bytes) -> str | None:
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            if ole.exists("WordDocument"):
                return ".doc"
            if ole.exists("Workbook") or ole.exists("Book"):
                return ".xls"
    except Exception:  # a damaged container: left to the reader its name picks
        return None
    return None


def mismatch(suffix: str, data: bytes) -> tuple[str, str] | None:
    """(the suffix to read ``data`` as, a warning) when its bytes are another format than
    its name says; None when they agree or cannot be told."""
    actual = sniff(data)
    if actual is None and suffix in _FORMATS and b"\x00" not in data[:4096]:
        actual = ".txt"  # a web application's "Excel" export: tab-separated text
    if actual is None or actual == _SAME.get(suffix, suffix):
        return None
    if actual == ".html" and suffix in TEXT_SUFFIXES:
        return None  # a text file may quote markup; its own reader handles it
    return actual, f"tệp có đuôi {suffix} nhưng nội dung là {_NAMES[actual]}: đã đọc theo nội dung"
