"""Markdown files, as text with the same lines: a page saved from a portal as Markdown keeps
its links, images and menus, and lays the document's two-column header out as a table row
whose cells break with ``<br>``.

Line for line, so a passage's lines are the file's: images go, links keep their text, a
line made of links only (a menu item, a breadcrumb) is blank, and a two-cell row holding
``<br>`` is its cells' lines, tab-separated, as a web page's header table is read. Above
the document's header (the row giving its number, "Số: 95/TB-VP"), the page's frame is
blank too.
"""

from __future__ import annotations

import re

from ..text.normalize import is_table_ruler, strip_markup
from .common import HEADER_LINES, NUMBER_LINE

_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
# What is left of a menu or breadcrumb line once its links are gone.
_FRAME_ONLY = re.compile(r"^[\s*+\->|·/»]*$")


def markdown_lines(text: str) -> str:
    lines, header_rows = [], []
    for i, line in enumerate(text.split("\n")):
        if (cells := _header_cells(line)) is not None:
            header_rows.append(i)
            lines.append("\t".join(cells))
        elif header_rows and header_rows[-1] == i - 1 and is_table_ruler(line):
            lines.append("")  # the ruler under a header row read as lines: no table
        else:
            lines.append(_line(line))
    for i in header_rows:
        if i < HEADER_LINES and any(NUMBER_LINE.match(c) for c in lines[i].split("\t")):
            lines[:i] = [""] * i
            break
    return "\n".join(lines)


def _header_cells(line: str) -> list[str] | None:
    """The lines of a two-cell table row broken by ``<br>``, left cell first; None for any
    other line."""
    cells = line.strip().strip("|").split("|")
    if not line.lstrip().startswith("|") or len(cells) != 2 or not _BREAK.search(line):
        return None
    parts = (strip_markup(_line(p)).strip(" *_") for c in cells for p in _BREAK.split(c))
    return [p for p in parts if p]


def _line(line: str) -> str:
    line = _IMAGE.sub("", line)
    if _LINK.search(line) and _FRAME_ONLY.match(_LINK.sub("", line)):
        return ""
    return _LINK.sub(r"\1", line)
