"""Read a corpus file into Unicode NFC text, or fail with a one-line reason."""

from __future__ import annotations

import codecs
from pathlib import Path

from .errors import DocumentError
from .textnorm import nfc

TEXT_SUFFIXES = {".txt", ".md"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES
MAX_BYTES = 60 * 1024 * 1024


def is_candidate(path: Path) -> bool:
    """Files ingest looks at: supported suffixes, not hidden, not sidecar metadata."""
    name = path.name
    return (
        not name.startswith(".")
        and not name.endswith(".meta.json")
        and path.suffix.lower() in SUPPORTED_SUFFIXES
    )


def read_document(path: Path, display: str) -> str:
    """The document's text; ``display`` is the name used in error messages."""
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise DocumentError(
            display, "tệp không còn tồn tại (bị xóa trong lúc lập chỉ mục?)"
        ) from exc
    except PermissionError as exc:
        raise DocumentError(display, "không có quyền đọc tệp") from exc
    except OSError as exc:
        raise DocumentError(display, f"không đọc được tệp ({exc.strerror or exc})") from exc
    return decode_text(data, display)


def decode_text(data: bytes, display: str) -> str:
    if not data.strip():
        raise DocumentError(display, "tệp rỗng, không có nội dung")
    if len(data) > MAX_BYTES:
        raise DocumentError(
            display,
            f"tệp quá lớn ({len(data) // 2**20} MB, tối đa {MAX_BYTES // 2**20} MB)",
        )
    if data.startswith(codecs.BOM_UTF8):
        text = _decode(data[3:], "utf-8", display)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _decode(data, "utf-16", display)
    else:
        if b"\x00" in data[:4096]:
            raise DocumentError(
                display, "không phải tệp văn bản (có byte NUL, có vẻ là tệp nhị phân)"
            )
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _decode(data, "cp1258", display)
    if _looks_binary(text):
        raise DocumentError(
            display, "không phải tệp văn bản (nhiều ký tự điều khiển, có vẻ là tệp nhị phân)"
        )
    text = nfc(text)
    if not text.strip():
        raise DocumentError(display, "tệp rỗng, không có nội dung")
    return text


def _decode(data: bytes, encoding: str, display: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DocumentError(
            display, f"không giải mã được văn bản ({encoding}: {exc.reason})"
        ) from exc


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f")
    return controls > max(8, len(sample) // 100)
