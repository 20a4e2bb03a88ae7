"""Zip containers (.docx) checked before any XML in them is parsed: a small file must not
unpack into gigabytes (a "zip bomb")."""

from __future__ import annotations

import io
import zipfile

from ..errors import DocumentError

# A real .docx holds at most a few MB of XML per part; its images are already compressed,
# so they unpack to about their size inside the file.
MAX_PART_BYTES = 48 * 1024 * 1024  # one member, unpacked
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # all members together
MAX_RATIO = 100  # unpacked size / packed size of one member larger than RATIO_FROM
RATIO_FROM = 1024 * 1024
MAX_MEMBERS = 10_000


def check_zip(data: bytes, display: str, kind: str = ".docx") -> None:
    """Refuse a zip whose members would unpack too large, or too much per packed byte.

    Uses the sizes the zip's directory declares; Python's zipfile never unpacks more than
    the declared size (it fails the CRC check instead), so the declaration is a bound.
    A file that is not a zip at all is left to the format's reader to report.
    """
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return
    if len(members) > MAX_MEMBERS:
        raise DocumentError(display, f"tệp {kind} chứa quá nhiều phần ({len(members)})")
    total = 0
    for info in members:
        size = info.file_size
        total += size
        if size > RATIO_FROM and size > MAX_RATIO * max(info.compress_size, 1):
            ratio = size // max(info.compress_size, 1)
            raise DocumentError(
                display, f"tệp {kind} nén bất thường (tỉ lệ nén {ratio}:1, nghi là bom nén)"
            )
        if size > MAX_PART_BYTES:
            raise DocumentError(
                display,
                f"tệp {kind} có phần giải nén ra {size // 2**20} MB "
                f"(tối đa {MAX_PART_BYTES // 2**20} MB)",
            )
        if total > MAX_UNPACKED_BYTES:
            raise DocumentError(
                display, f"tệp {kind} giải nén ra hơn {MAX_UNPACKED_BYTES // 2**20} MB"
            )
