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

_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
# What is left of a menu or breadcrumb line once its links are gone.
_FRAME_ONLY = re.compile(r"^[\s*+\->|·/»]*$")
_NUMBER_CELL = re.compile(r"^Số\s*:", re.IGNORECASE)
_RULER = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
HEADER_LINES = 60  # how far down a saved page's document header may start


def markdown_lines(text: str) -> str:
    raw = text.split("\n")
    lines = [_line(line) for line in raw]
    for i in range(1, len(lines)):
        # The ruler under a header row read as lines belongs to no table.
        if _RULER.match(lines[i]) and lines[i - 1] != raw[i - 1] and "\t" in lines[i - 1]:
            lines[i] = ""
    for i, line in enumerate(lines[:HEADER_LINES]):
        if "\t" in line and any(_NUMBER_CELL.match(p) for p in line.split("\t")):
            lines[:i] = [""] * i
            break
    return "\n".join(lines)


def _line(line: str) -> str:
    line = _IMAGE.sub("", line)
    if _LINK.search(line) and _FRAME_ONLY.match(_LINK.sub("", line)):
        return ""
    line = _LINK.sub(r"\1", line)
    cells = line.strip().strip("|").split("|")
    if line.lstrip().startswith("|") and len(cells) == 2 and _BREAK.search(line):
        parts = (_TAG.sub("", p).strip(" *_") for c in cells for p in _BREAK.split(c))
        return "\t".join(p for p in parts if p)
    return line
