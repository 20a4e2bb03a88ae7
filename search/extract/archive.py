"""Zip containers (.docx, .odt, .ods, .xlsx) checked before any XML in them is parsed: a
small file must not unpack into gigabytes (a "zip bomb"); their XML read without entities
or network."""

from __future__ import annotations

import io
import zipfile
import zlib
from contextlib import contextmanager

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


def broken(kind: str) -> str:
    return f"tệp {kind} bị hỏng hoặc không đầy đủ"


@contextmanager
def xml_parts(data: bytes, display: str, kind: str, required: str, wrong: str):
    """Yields (``part(name)``: the parsed XML member, or None when absent; the member
    names) of a zip container (an OpenDocument, an Excel workbook), parsed without entities
    or network. DocumentError ``wrong`` without ``required``, ``broken(kind)`` when the
    container or its XML cannot be read."""
    from lxml import etree

    check_zip(data, display, kind)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            present = set(archive.namelist())
            if required not in present:
                raise DocumentError(display, wrong)

            def part(name: str):
                return etree.fromstring(archive.read(name), parser) if name in present else None

            yield part, present
    except DocumentError:
        raise
    except (zipfile.BadZipFile, zlib.error, etree.XMLSyntaxError, EOFError, KeyError) as exc:
        raise DocumentError(display, broken(kind)) from exc
