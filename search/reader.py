"""Read a corpus file into Unicode NFC text, or fail with a one-line reason."""

from __future__ import annotations

import codecs
import errno
from pathlib import Path

from .errors import DocumentError
from .textnorm import nfc

TEXT_SUFFIXES = {".txt", ".md"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES
# A programme or a law is at most a few MB of text; anything far larger is an export of
# something else (a database dump, a log) and would only flood the index.
MAX_BYTES = 20 * 1024 * 1024

_OS_PROBLEMS = {
    errno.ENOENT: "tệp không còn tồn tại (bị xóa trong lúc lập chỉ mục?)",
    errno.EACCES: "không có quyền đọc tệp",
    errno.EPERM: "không có quyền đọc tệp",
    errno.ELOOP: "liên kết tượng trưng (symlink) tạo vòng lặp",
    errno.EISDIR: "là thư mục, không phải tệp",
}


def os_problem(exc: OSError) -> str:
    """A one-line Vietnamese reason for an operating-system error on a file."""
    return _OS_PROBLEMS.get(exc.errno, f"không đọc được tệp ({exc.strerror or exc})")


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
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise DocumentError(display, too_big(size))
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(display, os_problem(exc)) from exc
    return decode_text(data, display)


def too_big(size: int) -> str:
    return f"tệp quá lớn ({size // 2**20} MB, tối đa {MAX_BYTES // 2**20} MB)"


def decode_text(data: bytes, display: str) -> str:
    if not data.strip():
        raise DocumentError(display, "tệp rỗng, không có nội dung")
    if len(data) > MAX_BYTES:
        raise DocumentError(display, too_big(len(data)))
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
