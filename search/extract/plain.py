"""Plain-text files laid out for the eye, read line for line.

* A table drawn with box characters ("┌──┬──┐", "│ 1 │ Cầu Rạch Chùa │", "├──┼──┤", or in
  ASCII "+---+" and "|"): each row, its cells wrapped over several lines, becomes one
  tab-separated line on the row's first line, as a Word table is read; the rules and the
  row's other lines are blank. A cell is placed in the column its text starts in, so a
  cell spanning columns ("HUYỆN LONG HỒ (03 công trình)") keeps its place and the figures
  after it keep theirs.
* A table aligned with spaces, its header opening with the number column (typed so, with
  dashed rules or none, or converted from a PDF with its layout kept): the columns are
  where the rows' text stands, the header's words go to the column under them; a row
  starts where its first column is filled, and its cells wrapped over the lines below are
  joined, one tab-separated line on the row's first line, as a box-drawn table is read.
* A text in pages (form feeds): a running header and the page numbers are blank.
* An e-mail forwarding a document ("From: ... / Subject: ..." and the document quoted with
  "> "): the quote marks go, and the messages above the document's header are blank, as a
  saved web page's frame is; they are not the document's words.
"""

from __future__ import annotations

import re

from ..structure.tables import is_index
from .common import NUMBER_LINE, header_start, running_lines

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
    return "\n".join(_aligned_tables(box_tables(_paged(lines))))


def _paged(lines: list[str]) -> list[str]:
    """A text in pages (form feeds, as ``pdftotext`` writes): the form feeds go, and so do
    the lines that run on every page (a running header, "Trang 2/5"), blank in place."""
    if not any("\f" in line for line in lines):
        return lines
    pages: list[list[int]] = [[]]
    for n, line in enumerate(lines):
        if "\f" in line and pages[-1]:
            pages.append([])
        pages[-1].append(n)
    out = [line.replace("\f", "") for line in lines]
    texts: list[list[str | None]] = [[out[n] for n in page] for page in pages]
    for page, drop in zip(pages, running_lines(texts), strict=True):
        for i in drop:
            out[page[i]] = ""
    return out


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
        cells = [""] * (len(bounds) + 1)
        for start, cell in _fragments(line):
            if cell and not all(c in _HORIZONTAL + _JUNCTIONS for c in cell):
                cells[min(sum(1 for b in bounds if b <= start), len(cells) - 1)] = cell
        # Rows ruled off only as a body ("+====+" under the header, no rule between rows):
        # a number in the first column opens a row, as the one above it opened its own.
        if row is None or (is_index(cells[1]) and any(map(is_index, row[1]))):
            row = [[] for _ in cells]
            rows.append((n, row))
        for column, cell in enumerate(cells):
            if cell:
                row[column].append(cell)
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

# A table typed with its columns aligned by spaces, or converted from a PDF ("pdftotext
# -layout"): its header opens with the number column ("STT  Tên nhiệm vụ  Cơ quan chủ trì
# ..."), between rules of dashes or none.
# A rule: one run of dashes, or a run under each column ("---  ------  ----").
_DASH_RULE = re.compile(r"^\s*(?=(?:[-=_]\s*){10})[-=_]{3,}(?:\s+[-=_]{3,})*\s*$")
# A total opens a row of its own, whatever stands above it: "Tổng cộng", "Cộng I".
_TOTAL = re.compile(r"^(?:tổng|cộng)\b", re.IGNORECASE)
_GAP = re.compile(r" {2,}")
_NUMBER_COLUMN = re.compile(r"^\s*(?:STT|TT|Số\s+TT)(?=\s{2})", re.IGNORECASE)
_MAX_HEADER_LINES = 4
# A row's number in the number column opens the rows: "1    Gia nhập thị trường ...", "II".
_ROW_NUMBER = re.compile(r"^\s{0,3}(?:\d{1,3}|[IVXLC]{1,5})[.)]?(?=\s{2})")


def _aligned_tables(lines: list[str]) -> list[str]:
    out = list(lines)
    i = 0
    while i < len(lines):
        if not (_NUMBER_COLUMN.match(lines[i]) and len(_GAP.split(lines[i].strip())) >= 4):
            i += 1
            continue
        start = i - 1 if i and _DASH_RULE.match(lines[i - 1]) else i
        end = _aligned_end(lines, i + 1)
        out[start:end] = _aligned_rows(lines[start:end])
        i = end
    return out


def _aligned_end(lines: list[str], k: int) -> int:
    """Where the table ends: after its last row or rule, before prose set flush left
    without columns ("Ghi chú: ...")."""
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


def _aligned_rows(block: list[str]) -> list[str]:
    """The block's lines: each row's cells, tab-separated, on its first line; its other
    lines, the rules and the header repeated after a page break blank. Columns are the runs
    of positions the rows' text fills, between gaps of two spaces or more (a page of its
    own after a repeated header: a PDF page sets its columns apart); the header's words go
    to the column under them. A row starts where its first column is filled, or after a
    rule or a blank line."""
    first = next(n for n, line in enumerate(block) if _NUMBER_COLUMN.match(line))
    repeat = _GAP.sub(" ", block[first].strip())
    heads = [first] + [
        n for n, line in enumerate(block) if n > first and _GAP.sub(" ", line.strip()) == repeat
    ]
    skip = {k for n in heads for k in _aligned_header(block, n)}
    out = [""] * len(block)
    for part, n in enumerate(heads):
        end = heads[part + 1] if part + 1 < len(heads) else len(block)
        data = [
            line
            for k, line in enumerate(block[n:end], n)
            if k not in skip and line.strip() and not _DASH_RULE.match(line)
        ]
        runs = _gutter_columns(data)
        if len(runs) < 3:
            return block
        if part == 0:
            header = [block[k] for k in _aligned_header(block, n)]
            out[n] = "\t".join(" ".join(p) for p in _header_cells(header, runs))
        # A line is cut where each column starts; the last runs to the line's end.
        starts = [0] + [a for a, _ in runs[1:]]
        columns = list(zip(starts, [*starts[1:], max(map(len, block)) + 1], strict=True))
        _fill_rows(block, range(n, end), skip, columns, out)
    return out


def _fill_rows(block, span, skip, columns, out) -> None:
    row: list[list[str]] | None = None
    at = 0

    def close() -> None:
        if row is not None:
            out[at] = "\t".join(" ".join(parts) for parts in row)

    for n in span:
        line = block[n]
        if n in skip:
            continue
        if not line.strip() or _DASH_RULE.match(line):
            close()
            row = None
            continue
        cells = [line[a:b].strip() for a, b in columns]
        if row is None or cells[0] or _TOTAL.match(cells[1]):
            close()
            row, at = [[] for _ in columns], n
        for k, cell in enumerate(cells):
            if cell:
                row[k].append(cell)
    close()


def _aligned_header(block: list[str], n: int) -> list[int]:
    """The header's lines from ``n``: up to a blank line, a rule or the first numbered row
    (a header without a rule under it)."""
    lines = [n]
    for k in range(n + 1, min(len(block), n + _MAX_HEADER_LINES)):
        if not block[k].strip() or _DASH_RULE.match(block[k]) or _ROW_NUMBER.match(block[k]):
            break
        lines.append(k)
    return lines


def _gutter_columns(data: list[str]) -> list[tuple[int, int]]:
    """(start, end) of each column: the runs of positions some line fills, joined across
    a single blank position."""
    width = max((len(line) for line in data), default=0)
    filled = [False] * width
    for line in data:
        for p, c in enumerate(line):
            if c != " ":
                filled[p] = True
    runs: list[list[int]] = []
    for p in range(width):
        if not filled[p]:
            continue
        if runs and p - runs[-1][1] < 2:
            runs[-1][1] = p + 1
        else:
            runs.append([p, p + 1])
    return [(a, b) for a, b in runs]


def _header_cells(lines: list[str], columns: list[tuple[int, int]]) -> list[list[str]]:
    """The header's words, each fragment in the column whose text it overlaps most, else
    the nearest one ("Kinh phí" above right-aligned figures)."""
    cells: list[list[str]] = [[] for _ in columns]
    for line in lines:
        for m in re.finditer(r"\S+(?: \S+)*", line):
            a, b = m.span()
            k = max(
                range(len(columns)), key=lambda c: min(b, columns[c][1]) - max(a, columns[c][0])
            )
            cells[k].append(m.group())
    return cells


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
