"""Markdown files, as text with the same lines: a page saved from a portal as Markdown keeps
its links, images and menus, and lays the document's two-column header out as a table row
whose cells break with ``<br>``.

Line for line, so a passage's lines are the file's: images go, links (and a wiki's
``[[links]]``) keep their text, a line made of links only (a menu item, a breadcrumb) is
blank, and so is a wiki export's front matter. Backslash escapes ("1\\.") and heading
anchors ("{#ket-qua}") and footnote marks ("[^2]") go; a footnote ("[^2]: ...") is set as
Word's are ("[2] ..."). A two-cell row holding ``<br>`` is its cells' lines,
tab-separated, as a web page's header table is read; so is each row of a two-column table
laid out as the header (one row a line, one of them the number line). Above the
document's header (the row giving its number, "Số: 95/TB-VP"), the page's frame is blank
too.
"""

from __future__ import annotations

import re

from ..structure.layout import is_recipients_start
from ..text.normalize import is_rule, is_table_ruler, strip_markup
from .common import HEADER_LINES, NUMBER_LINE
from .plain import box_tables

_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\((?:[^()]|\([^()]*\))*\)")
_WIKI_LINK = re.compile(r"\[\[(?:[^\]|]*\|)?([^\]]*)\]\]")
# "1\." keeps "1."; an escaped pipe in a table cell is text, not a column break.
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>~])")
_ANCHOR = re.compile(r"\s*\{#[\w-]+\}\s*$")
_FENCE = "---"
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
# What is left of a menu or breadcrumb line once its links are gone.
_FRAME_ONLY = re.compile(r"^[\s*+\->|·/»]*$")
_EMPHASIS = re.compile(r"^(\*{1,3}|_{1,3})(\S(?:.*\S)?)\1$")
# Footnotes: "[^2]: text" is the note, set as Word's are ("[2] text"); "[^2]" marks a word.
_NOTE = re.compile(r"^\[\^(\d{1,3})\]:\s*")
_NOTE_MARK = re.compile(r"^\[\^[^\]\s]+\]:\s*|\[\^[^\]\s]+\]")
# A grid table's border, as pandoc writes one ("+-----+:----+", "+=====+").
_GRID_RULE = re.compile(r"^\s*\+(?:[:=\-]+\+)+\s*$")


def markdown_lines(text: str) -> str:
    raw = text.split("\n")
    front = _front_matter(raw)
    header = _header_table(raw)
    lines, starts = [""] * front, []  # starts: (row, first line of its header table)
    for i, line in enumerate(raw[front:], start=front):
        if i in header:
            cells = [] if _ruler(line) else _cells(line.strip().strip("|").split("|"))
            lines.append("\t".join(cells))
            starts.append((i, min(header)))
        elif (cells := _header_cells(line)) is not None:
            starts.append((i, i))
            lines.append("\t".join(cells))
        elif starts and starts[-1][0] == i - 1 and is_table_ruler(line):
            lines.append("")  # the ruler under a header row read as lines: no table
        else:
            lines.append(_line(line))
    for i, start in starts:
        if i < HEADER_LINES and any(NUMBER_LINE.match(c) for c in lines[i].split("\t")):
            lines[:start] = [""] * start
            break
    return "\n".join(_unemphasized(line) for line in box_tables(lines))


def _front_matter(raw: list[str]) -> int:
    """How many lines a wiki export's front matter ("---" / "title: ..." / "---") takes."""
    if not raw or raw[0].strip() != _FENCE:
        return 0
    end = next((k for k in range(1, min(len(raw), HEADER_LINES)) if raw[k].strip() == _FENCE), 0)
    return end + 1 if end else 0


def _header_table(raw: list[str]) -> set[int]:
    """The lines of a two-column table near the top that lays out a document's header, a
    row per line, one of them its number line; empty when there is none."""
    run: list[int] = []
    for i, line in enumerate(raw[:HEADER_LINES] + [""]):
        if line.lstrip().startswith("|") or _GRID_RULE.match(line):
            run.append(i)
            continue
        rows = [raw[k] for k in run if not _ruler(raw[k])]
        split = [r.strip().strip("|").split("|") for r in rows]
        if split and all(len(c) == 2 for c in split):
            if any(NUMBER_LINE.match(c) for cells in split for c in _cells(cells)):
                return set(run)
        run = []
    return set()


def _unemphasized(line: str) -> str:
    """A table row's cells without the emphasis around them ("**TỔNG CỘNG**")."""
    if "\t" not in line:
        return line
    return "\t".join(_EMPHASIS.sub(r"\2", cell) for cell in line.split("\t"))


def _ruler(line: str) -> bool:
    """A table's ruler: "|---|:--|", or a grid table's border "+-----+:----+"."""
    return is_table_ruler(line) or bool(_GRID_RULE.match(line))


def _cells(cells: list[str]) -> list[str]:
    """Table cells' lines (a cell breaks at ``<br>``), markup gone, empty ones dropped."""
    parts = (strip_markup(_line(p)).strip(" *_") for c in cells for p in _BREAK.split(c))
    return [p for p in parts if p]


def _header_cells(line: str) -> list[str] | None:
    """The lines of a two-cell table row broken by ``<br>``, left cell first, or of one
    whose cells a converter flattened onto one line (see ``_flattened``); None for any
    other line."""
    cells = line.strip().strip("|").split("|")
    if not line.lstrip().startswith("|") or len(cells) != 2:
        return None
    if _BREAK.search(line):
        return _cells(cells)
    parts = _cells([p for c in cells for p in _flattened(c)])
    flattened = len(parts) > len(cells)  # a cell of one paragraph is a plain table's
    if flattened and any(NUMBER_LINE.match(p) or is_recipients_start(p) for p in parts):
        return parts
    return None


# A cell's paragraphs flattened onto one line keep their marks: each emphasised run ("**SỞ
# Y TẾ**", "*Cà Mau, ngày ...*") was one, a rule ("-------") stood alone, and the number
# line, the subject line and each recipient ("; - UBND tỉnh") opened one.
_PARAGRAPH_MARK = re.compile(r"(\*\*[^*]+\*\*|(?<!\*)\*[^*]+\*(?!\*)|[-_=]{3,})")
_OPENER = re.compile(r"\s+(?=Số\s*:|V/v\s)|(?<=[;:])\s+(?=-\s)")


def _flattened(cell: str) -> list[str]:
    """The paragraphs of a table cell a converter wrote on one line ("UBND TỈNH CÀ MAU **SỞ
    VĂN HÓA** ------- Số: 2471/SVHTTDL V/v ..."), a rule dropped."""
    pieces = (p for piece in _PARAGRAPH_MARK.split(cell) for p in _OPENER.split(piece))
    return [p.strip() for p in pieces if p.strip() and not is_rule(p)]


def _line(line: str) -> str:
    line = _NOTE_MARK.sub("", _NOTE.sub(r"[\1] ", line))
    line = _IMAGE.sub("", line).replace("\\|", "¦")
    linked = _WIKI_LINK.sub(r"\1", _LINK.sub(r"\1", line))
    if linked != line and _FRAME_ONLY.match(_WIKI_LINK.sub("", _LINK.sub("", line))):
        return ""
    return _ESCAPE.sub(r"\1", _ANCHOR.sub("", linked))
