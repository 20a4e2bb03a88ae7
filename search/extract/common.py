"""What every format reader shares: limits, OS errors as one-line reasons, line cleanup,
and tables as tab-separated lines."""

from __future__ import annotations

import errno
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import DocumentError
from ..structure.layout import parse_marker
from ..text.display import vn_number
from ..text.normalize import is_caps, is_page_number, is_rule
from .legacy import repair_mojibake

# Binary formats (and saved web pages) carry images and fonts, so they may be large; plain
# text of 20 MB is already ~10 000 pages, far past any real document, and is refused
# before it is read.
MAX_BYTES = 60 * 1024 * 1024
MAX_TEXT_BYTES = 20 * 1024 * 1024
# Vertically merged cells repeat the text above them; past this many characters per table
# the repeats are left empty (a huge cell merged down a long table is a memory bomb).
MAX_REPEATED_CHARS = 1_000_000
# A page saved from a portal has its frame above the document; the document's header starts
# within this many lines, at the latest on its number line ("Số: 71/KH-UBND", "Số:    /KH-
# UBND", "Luật số: 43/2019/QH14"; not "Tổng số: 16 công trình").
HEADER_LINES = 60
NUMBER_LINE = re.compile(r"^(?:[A-ZĐ][\wà-ỹđ]*\s+)?[Ss]ố\s*:?[\d\s.…]*/")
# The header's two columns side by side: split by a tab or a run of spaces.
_COLUMN_GAP = re.compile(r"\t|\s{2,}")


def header_start(lines: list[str], number: int) -> int:
    """Where a document's header starts above its number line ``lines[number]``: at the
    issuing body ("ỦY BAN NHÂN DÂN / TỈNH HẬU GIANG / ------- / Số: 71/KH-UBND"), read in
    the header's left column."""
    start = number
    while start > 0:
        above = lines[start - 1].strip()
        left = _COLUMN_GAP.split(above)[0]
        if above and not (is_caps(left) or is_rule(left)):
            break
        start -= 1
    return start


# No paragraph of a real document is this long (about three pages with no line break): a
# longer line is split into sentences, and a sentence still longer is clipped.
MAX_LINE_CHARS = 10_000


@dataclass(frozen=True)
class Extracted:
    """A document's text; ``pages[i]`` is the 1-based page of line ``i + 1`` (PDF only).

    ``warnings`` are one-line notes about what reading changed (long lines split or cut).
    """

    text: str
    pages: tuple[int, ...] = ()
    warnings: tuple[str, ...] = ()


_OS_PROBLEMS = {
    errno.ENOENT: "tệp không còn tồn tại (bị xóa trong lúc lập chỉ mục?)",
    errno.EACCES: "không có quyền đọc tệp",
    errno.EPERM: "không có quyền đọc tệp",
    errno.ELOOP: "liên kết tượng trưng (symlink) tạo vòng lặp",
    errno.EISDIR: "là thư mục, không phải tệp",
}


def is_inside(path: Path, root: Path) -> bool:
    """Whether ``path``, with every link followed, is inside the folder ``root``."""
    try:
        return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root))
    except (OSError, ValueError):
        return False


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


# Running headers and page numbers, shared by the PDF reader and paged plain text.


def running_lines(pages: list[list[str | None]], edge: int = 2) -> list[set[int]]:
    """Per page, the lines that run on every page rather than belong to it: page numbers,
    and headers or footers repeated at the top or bottom of most pages. None stands for a
    line that is not text (a table's row)."""

    def key(line: str) -> str:
        # The page's number stands at the outer edge: after the header on odd pages, before
        # it on even ones ("CÔNG BÁO/Số 12 ... 37", "38 CÔNG BÁO/Số 12 ...").
        return re.sub(r"^# | #$", "", re.sub(r"\d+", "#", squash(line).lower()))

    def edges(page: list[str | None]) -> list[int]:
        # Running lines are short and never a section line ("- 3 -" is a page number).
        text_idx = [
            i
            for i, line in enumerate(page)
            if line is not None
            and line.strip()
            and len(line.strip()) <= 160
            and (parse_marker(line.strip()) is None or is_page_number(line))
        ]
        return sorted(set(text_idx[:edge] + text_idx[-edge:]))

    seen: Counter[str] = Counter()
    for page in pages:
        seen.update({key(page[i]) for i in edges(page)})
    # One page cannot show what repeats; its page number alone still goes.
    repeated = {k for k, n in seen.items() if n >= max(2, (len(pages) + 1) // 2)}
    return [
        {i for i in edges(page) if key(page[i]) in repeated or is_page_number(page[i])}
        for page in pages
    ]


# Tables, shared by every reader.


# A document's number broken at one of its hyphens ("số 01462/QĐ-" / "UBND").
_BROKEN_NUMBER = re.compile(r"(\d/[\wĐđ/]*[A-ZĐ]-)\s*\n\s*(?=[A-ZĐ])")


def squash(text: str) -> str:
    """Lines of a cell or a wrapped paragraph as one: single spaces, a number broken at
    its hyphen whole again."""
    return " ".join(_BROKEN_NUMBER.sub(r"\1", text).split())


def is_data_table(rows: list[list[str]]) -> bool:
    """Data tables have a row with three filled cells; narrower ones only lay text out."""
    return any(sum(1 for c in row if c.strip()) >= 3 for row in rows)


def tab_lines(rows: list[list[str]]) -> list[str]:
    """Rows as tab-separated lines, all as wide as the widest; a column no row fills (the
    cells a row is indented by, "w:gridBefore") is left out."""
    width = max((len(r) for r in rows), default=0)
    rows = [[squash(c) for c in r] + [""] * (width - len(r)) for r in rows]
    kept = [k for k in range(width) if any(r[k] for r in rows)]
    return ["\t".join(r[k] for k in kept) for r in rows]


# Very long lines.

_SENTENCE_END = re.compile(r"(?<=[.!?;…])\s+")


def guard_lines(extracted: Extracted, limit: int = MAX_LINE_CHARS) -> Extracted:
    """Lines longer than ``limit`` split into sentences, and sentences still longer clipped,
    so one huge line (a whole file without line breaks) reaches the parser as text it can
    structure; pages stay aligned. Lines within the limit are left as they are."""
    if len(extracted.text) <= limit:
        return extracted
    # Line ends as the parser counts them.
    lines = extracted.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    longest = max(map(len, lines), default=0)
    if longest <= limit:
        return extracted
    out: list[str] = []
    pages: list[int] = []
    clipped = 0
    for i, line in enumerate(lines):
        page = extracted.pages[i] if i < len(extracted.pages) else 0
        # A table row (tab-separated cells) is clipped, not split: its cells must stay one row.
        short = len(line) <= limit or "\t" in line
        parts = [line] if short else _SENTENCE_END.split(line)
        for part in parts:
            if len(part) > limit:
                part = part[:limit]
                clipped += 1
            out.append(part)
            pages.append(page)
    note = f"có dòng dài {vn_number(f'{longest:,}')} ký tự: đã tách theo câu"
    if clipped:
        note += f", {clipped} câu dài quá {vn_number(f'{limit:,}')} ký tự bị cắt bớt"
    return Extracted(
        text="\n".join(out),
        pages=tuple(pages) if extracted.pages else (),
        warnings=(*extracted.warnings, note),
    )
