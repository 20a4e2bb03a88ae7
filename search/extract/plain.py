"""Plain-text files laid out for the eye, read line for line.

* A table drawn with box characters ("┌──┬──┐", "│ 1 │ Cầu Rạch Chùa │", "├──┼──┤", or in
  ASCII "+---+" and "|"): each row, its cells wrapped over several lines, becomes one
  tab-separated line on the row's first line, as a Word table is read; the rules and the
  row's other lines are blank. A cell is placed in the column its text starts in, so a
  cell spanning columns ("HUYỆN LONG HỒ (03 công trình)") keeps its place and the figures
  after it keep theirs.
* An e-mail forwarding a document ("From: ... / Subject: ..." and the document quoted with
  "> "): the quote marks go, and the messages above the document's header are blank, as a
  saved web page's frame is; they are not the document's words.
"""

from __future__ import annotations

import re

from .common import NUMBER_LINE, header_start

_VERTICAL = "│┃║|"
_JUNCTIONS = "┌┐└┘├┤┬┴┼╔╗╚╝╠╣╦╩╬╒╕╘╛╞╡╤╧╪╓╖╙╜╟╢╥╨╫+"
_HORIZONTAL = "─━═-="
_TOP = "┌╔╒╓+"
_RULE = re.compile(rf"^[{re.escape(_JUNCTIONS + _HORIZONTAL)}\s]+$")
_SEPARATORS = set(_VERTICAL + _JUNCTIONS)

_MAIL_HEADER = re.compile(
    r"^(?:From|Sent|To|Cc|Date|Subject|Từ|Gửi|Đến|Ngày gửi|Tiêu đề|Chủ đề)\s*:", re.IGNORECASE
)
_QUOTE = re.compile(r"^\s*(?:>\s?)+")


def plain_lines(text: str) -> str:
    lines = text.split("\n")
    if _is_mail(lines):
        lines = _document_of_mail(lines)
    return "\n".join(_box_tables(lines))


# --- tables drawn with box characters -----------------------------------------------------


def _is_box_rule(line: str) -> bool:
    """A rule of a box-drawn table ("├──┼──┤", "+---+"), not a text line between bars."""
    s = line.strip()
    return bool(s) and bool(_RULE.match(s)) and any(c in _HORIZONTAL for c in s)


def _box_tables(lines: list[str]) -> list[str]:
    out = list(lines)
    i = 0
    while i < len(lines):
        if not (_is_box_rule(lines[i]) and lines[i].strip()[0] in _TOP):
            i += 1
            continue
        end = i + 1
        while end < len(lines) and (
            _is_box_rule(lines[end]) or lines[end].lstrip()[:1] in set(_VERTICAL)
        ):
            end += 1
        if any(not _is_box_rule(line) for line in lines[i:end]):
            out[i:end] = _box_rows(lines[i:end])
        i = end
    return out


def _box_rows(block: list[str]) -> list[str]:
    """The block's lines: each row's cells, tab-separated, on its first line."""
    bounds = sorted(
        {k for line in block if _is_box_rule(line) for k, c in enumerate(line) if c in _JUNCTIONS}
    )
    out = [""] * len(block)
    row: list[list[str]] | None = None
    first = 0
    for n, line in enumerate([*block, "─"]):  # a rule after the block ends its last row
        if _is_box_rule(line):
            if row is not None:
                out[first] = "\t".join(" ".join(parts) for parts in row[1:-1])
            row = None
            continue
        if row is None:
            row, first = [[] for _ in range(len(bounds) + 1)], n
        for start, cell in _fragments(line):
            column = sum(1 for b in bounds if b <= start)
            if cell and not all(c in _HORIZONTAL + _JUNCTIONS for c in cell):
                row[min(column, len(row) - 1)].append(cell)
    return out


def _fragments(line: str) -> list[tuple[int, str]]:
    """The text between a line's separators, each with the column it starts in."""
    out, start = [], 0
    for k, c in enumerate(line + "│"):
        if c in _SEPARATORS:
            out.append((start, line[start:k].strip()))
            start = k + 1
    return out


# --- e-mails forwarding a document ----------------------------------------------------------


def _is_mail(lines: list[str]) -> bool:
    head = [line for line in lines[:12] if line.strip()][:6]
    return (
        bool(head)
        and bool(_MAIL_HEADER.match(head[0]))
        and sum(bool(_MAIL_HEADER.match(line)) for line in head) >= 2
    )


def _document_of_mail(lines: list[str]) -> list[str]:
    lines = [_QUOTE.sub("", line) for line in lines]
    number = next((i for i, line in enumerate(lines) if NUMBER_LINE.match(line.strip())), None)
    if number is None:
        return lines
    start = header_start(lines, number)
    return [""] * start + lines[start:]
