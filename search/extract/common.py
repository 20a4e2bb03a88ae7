"""What every format reader shares: limits, OS errors as one-line reasons, line cleanup,
and tables as tab-separated lines."""

from __future__ import annotations

import errno
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import DocumentError
from .legacy import repair_mojibake

# Binary formats (and saved web pages) carry images and fonts, so they may be large; plain
# text of 20 MB is already ~10 000 pages, far past any real document, and is refused
# before it is read.
MAX_BYTES = 60 * 1024 * 1024
MAX_TEXT_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Extracted:
    """A document's text; ``pages[i]`` is the 1-based page of line ``i + 1`` (PDF only)."""

    text: str
    pages: tuple[int, ...] = ()


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


def too_big(size: int, limit: int) -> str:
    return f"tệp quá lớn ({size // 2**20} MB, tối đa {limit // 2**20} MB)"


def stat_size(path: Path, display: str) -> int:
    try:
        return path.stat().st_size
    except OSError as exc:
        raise DocumentError(display, os_problem(exc)) from exc


def read_bytes(path: Path, display: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise DocumentError(display, os_problem(exc)) from exc


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b\ufeff\u00ad]")
# PDFs that place a tone mark as its own glyph can leave a space before it.
_SPACED_MARK = re.compile(r" +(?=[\u0300-\u036f])")


def finish(pairs: Iterable[tuple[str, int]], display: str, empty: str) -> Extracted:
    """Clean lines, drop blank ones, repair legacy-font text; keep pages aligned."""
    lines: list[str] = []
    pages: list[int] = []
    for raw, page in pairs:
        for part in raw.split("\n"):
            line = _CONTROL.sub("", part)
            line = unicodedata.normalize("NFC", _SPACED_MARK.sub("", line))
            line = line.rstrip(" \u00a0") if "\t" in line else line.strip()
            if line.strip():
                lines.append(line)
                pages.append(page)
    if not lines:
        raise DocumentError(display, empty)
    text = repair_mojibake("\n".join(lines))
    return Extracted(text=text, pages=tuple(pages) if any(pages) else ())


# Tables, shared by every reader.


def squash(text: str) -> str:
    return " ".join(text.split())


def is_data_table(rows: list[list[str]]) -> bool:
    """Data tables have a row with three filled cells; narrower ones only lay text out."""
    return any(sum(1 for c in row if c.strip()) >= 3 for row in rows)


def tab_lines(rows: list[list[str]]) -> list[str]:
    width = max((len(r) for r in rows), default=0)
    return ["\t".join(squash(c) for c in r + [""] * (width - len(r))) for r in rows]
