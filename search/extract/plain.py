"""Plain-text files laid out for the eye, read line for line.

* A table drawn with box characters ("┌──┬──┐", "│ 1 │ Cầu Rạch Chùa │", "├──┼──┤", or in
  ASCII "+---+" and "|"): each row, its cells wrapped over several lines, becomes one
  tab-separated line on the row's first line, as a Word table is read; the rules and the
  row's other lines are blank. A cell is placed in the column its text starts in, so a
  cell spanning columns ("HUYỆN LONG HỒ (03 công trình)") keeps its place and the figures
  after it keep theirs.
* A table aligned with spaces between rules of dashes (typed so, or converted from a PDF
  with its layout kept): the columns start where the header's cells do; a row starts
  where its first column is filled, and its cells wrapped over the lines below are joined,
  one tab-separated line on the row's first line, as a box-drawn table is read.
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
# ":" marks a column's alignment in a Markdown grid table ("+:----+").
_RULE = re.compile(rf"^[{re.escape(_JUNCTIONS + _HORIZONTAL)}:\s]+$")
_SEPARATORS = set(_VERTICAL + _JUNCTIONS)

_MAIL_HEADER = re.compile(
    r"^(?:From|Sent|To|Cc|Date|Subject|Từ|Gửi|Đến|Ngày gửi|Tiêu đề|Chủ đề)\s*:", re.IGNORECASE
)
_QUOTE = re.compile(r"^\s*(?:>\s?)+")


def plain_lines(text: str) -> str:
    lines = text.split("\n")
    if _is_mail(lines):
        lines = _document_of_mail(lines)
    return "\n".join(_aligned_tables(box_tables(lines)))


# --- tables drawn with box characters -----------------------------------------------------


def _is_box_rule(line: str) -> bool:
    """A rule of a box-drawn table ("├──┼──┤", "+---+"), not a text line between bars."""
    s = line.strip()
    return bool(s) and bool(_RULE.match(s)) and any(c in _HORIZONTAL for c in s)


def box_tables(lines: list[str]) -> list[str]:
    """Each table drawn with box characters (or a Markdown grid table) as tab rows."""
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
    rows: list[tuple[int, list[list[str]]]] = []  # (first line, each column's parts)
    row: list[list[str]] | None = None
    lines: list[tuple[int, list[str]]] = []  # each text line's cells, as laid out
    for n, line in enumerate(block):
        if _is_box_rule(line):
            row = None
            continue
        if row is None:
            row = [[] for _ in range(len(bounds) + 1)]
            rows.append((n, row))
        cells = [""] * len(row)
        for start, cell in _fragments(line):
            column = min(sum(1 for b in bounds if b <= start), len(row) - 1)
            if cell and not all(c in _HORIZONTAL + _JUNCTIONS for c in cell):
                row[column].append(cell)
                cells[column] = cell
        lines.append((n, cells[1:-1]))
    if any(sum(1 for parts in r if parts) >= 3 for _, r in rows):
        for first, r in rows:
            out[first] = "\t".join(" ".join(parts) for parts in r[1:-1])
    else:
        # Two columns lay text out (a header, the recipients beside the signature): each
        # line's columns, as a layout table's cells are read.
        for n, cells in lines:
            out[n] = "\t".join(c for c in cells if c)
    return out


def _fragments(line: str) -> list[tuple[int, str]]:
    """The text between a line's separators, each with the column it starts in."""
    out, start = [], 0
    for k, c in enumerate(line + "│"):
        if c in _SEPARATORS:
            out.append((start, line[start:k].strip()))
            start = k + 1
    return out


# --- tables aligned with spaces -------------------------------------------------------------

# A table typed, or converted from a PDF ("pdftotext -layout"), with its columns aligned by
# spaces between rules of dashes: "-----" / "STT  Nhiệm vụ  Cơ quan chủ trì ..." / "-----".
_DASH_RULE = re.compile(r"^\s*[-=]{20,}\s*$")
_GAP = re.compile(r" {2,}")
_MAX_HEADER_LINES = 4


def _aligned_tables(lines: list[str]) -> list[str]:
    out = list(lines)
    i = 0
    while i < len(lines):
        header = _aligned_header(lines, i)
        if header is None:
            i += 1
            continue
        starts, below = header
        end = _aligned_end(lines, below)
        out[i:end] = _aligned_rows(lines[i:end], starts)
        i = end
    return out


def _aligned_header(lines: list[str], i: int) -> tuple[list[int], int] | None:
    """At a rule opening a table: its columns' starts (its header's cells, three or more)
    and the line after the rule closing the header; None anywhere else."""
    if not _DASH_RULE.match(lines[i]):
        return None
    close = next(
        (k for k in range(i + 1, min(len(lines), i + 2 + _MAX_HEADER_LINES))
         if _DASH_RULE.match(lines[k])),
        None,
    )  # fmt: skip
    if close is None or close == i + 1:
        return None
    first = lines[i + 1]
    starts = [m.start() for m in re.finditer(r"(?:^|(?<= {2}))\S", first)]
    if len(starts) < 3:
        return None
    return starts, close + 1


def _aligned_end(lines: list[str], k: int) -> int:
    """Where the table's body ends: after its last rule or row, before prose set flush left
    without columns ("Ghi chú: ...", "____")."""
    end = k
    while k < len(lines):
        line = lines[k]
        if line.strip() and not _DASH_RULE.match(line):
            if not line[:1].isspace() and not _GAP.search(line.strip()):
                break
        if line.strip():
            end = k + 1
        k += 1
    return end


def _aligned_rows(block: list[str], starts: list[int]) -> list[str]:
    """The block's lines: each row's cells, tab-separated, on its first line; the rules
    and the row's other lines blank. A row starts where its first column is filled, or
    after a rule or a blank line."""
    out = [""] * len(block)
    row: list[list[str]] | None = None
    first = 0

    def close() -> None:
        if row is not None:
            out[first] = "\t".join(" ".join(parts) for parts in row)

    for n, line in enumerate(block):
        if not line.strip() or _DASH_RULE.match(line):
            close()
            row = None
            continue
        cells = _aligned_cells(line, starts)
        if row is None or cells[0]:
            close()
            row, first = [[] for _ in starts], n
        for column, cell in enumerate(cells):
            if cell:
                row[column].append(cell)
    close()
    return out


def _aligned_cells(line: str, starts: list[int]) -> list[str]:
    """A line cut at the columns' starts. A word across a column's start belongs to the
    column after it when two spaces stand before it (a right-aligned figure), else to the
    one before (a cell running over)."""
    cuts = [0]
    for p in starts[1:]:
        if p >= len(line):
            break
        cut = p
        if line[p - 1] != " ":
            while cut > cuts[-1] and line[cut - 1] != " ":
                cut -= 1  # the start of the word across the column's start
            if line[max(cut - 2, 0) : cut] != "  ":
                cut = line.find(" ", p)  # it runs over from the column before: its end
                cut = len(line) if cut < 0 else cut
        cuts.append(max(cut, cuts[-1]))
    cuts += [len(line)] * (len(starts) + 1 - len(cuts))
    return [line[a:b].strip() for a, b in zip(cuts, cuts[1:], strict=False)][: len(starts)]


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
