"""Tables with one row a line, cells split by tabs (header rows repeated on every page, HTML
left in cells) or by pipes (``| a | b |``, with or without the outer pipes, markdown rulers)."""

from __future__ import annotations

import re

from ..text.normalize import clean_line, is_page_number, is_table_ruler
from .tables import (
    HEADER_START,
    INDEX,
    NUMBERISH,
    Row,
    Table,
    index_kind,
    is_column_numbers,
    is_group_row,
    is_pipe_row,
    is_tab_row,
    row_label,
)


def _split_tab(raw: str) -> list[str]:
    return [clean_line(c) for c in raw.rstrip("\n").split("\t")]


def _split_pipe(raw: str) -> list[str]:
    s = raw.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|"):
        s = s[:-1]
    return [clean_line(c) for c in s.split("|")]


def parse_split_table(raw_lines: list[tuple[int, str]], start: int, *, sep: str) -> Table:
    """Parse a tab- or pipe-separated table beginning at ``raw_lines[start]`` (its header)."""
    split = _split_tab if sep == "\t" else _split_pipe
    is_row = is_tab_row if sep == "\t" else is_pipe_row
    n0, raw0 = raw_lines[start]
    header = split(raw0)
    i = start + 1
    # A second header line carries sub-columns under a spanning cell ("NGUỒN VỐN").
    while i < len(raw_lines) and not raw_lines[i][1].strip():
        i += 1
    if i < len(raw_lines) and is_row(raw_lines[i][1]):
        sub = split(raw_lines[i][1])
        if sub and not sub[0] and any(sub) and not is_table_ruler(raw_lines[i][1]):
            header = _merge_headers(header, sub)
            sub_line = raw_lines[i][1]
            i += 1
        else:
            sub_line = None
    else:
        sub_line = None
    header_keys = {raw0.strip(), (sub_line or "").strip()}
    # A column before the index column groups the rows ("Khu vực | STT | Xã, phường ...",
    # its cell spanning the rows of one region): each new value opens a group row, and
    # the rows are named by their own cells, not all by their region's.
    grouped = len(header) > 2 and bool(HEADER_START.match(header[1]))
    grouped = grouped and not HEADER_START.match(header[0])
    if grouped:
        group_head, header = header[0], header[1:]
    group = ""
    table = Table(header=header)
    last: list[tuple[int, str]] = []  # the last row's cells, each with its last line
    while i < len(raw_lines):
        n, raw = raw_lines[i]
        s = raw.strip()
        if not s:
            i, last = i + 1, []
            continue
        if not is_row(raw):
            break
        if s in header_keys or is_table_ruler(s):
            i, last = i + 1, []
            continue
        cells = split(raw)
        if grouped and len(cells) > 2:
            if cells[0] and not cells[1] and cells[0] != group:
                # A label over both first columns ("Cộng 9 xã, phường"): in the index's place.
                cells = cells[:1] + cells[2:]
            else:
                if cells[0] and cells[0] != group:
                    group = cells[0]
                    table.rows.append(Row("", [(n, group)], [group_head], is_group=True))
                    last = []
                cells = cells[1:]
        filled = [c for c in cells if c]
        # A page number printed in an empty row at a page break ("\t\t\t- 3 -", "| | Trang 4
        # |"); a bare number there is a figure.
        page = len(filled) == 1 and is_page_number(filled[0]) and not filled[0].isdigit()
        if not cells[0] and page:
            i += 1
            continue
        if not table.rows and is_column_numbers(cells):
            i, last = i + 1, []
            continue
        if _continues(cells, [c for _, c in last]):
            # A row whose long cells were wrapped onto the next line: their text goes on.
            last = [
                (n, f"{a} {b}") if b else (m, a)
                for (m, a), b in zip(last, cells + [""] * (len(last) - len(cells)), strict=False)
            ]
            table.rows[-1] = _row(last, header)
            i += 1
            continue
        last = [(n, c) for c in cells]
        table.rows.append(_row(last, header))
        i += 1
    table.end = i
    return table


def _continues(cells: list[str], last: list[str]) -> bool:
    """Whether a line with an empty index cell goes on with the numbered row just above it:
    it fills only columns that row fills, with words, not figures (a total row states
    figures); some cell goes on in lower case ("huyện Tri Tôn"), and a capital goes on only
    a cell left mid-phrase ("... đoạn từ ngã ba" / "Nhà Bàng ..."). A sub-item without a
    number ("Cải tạo kênh Xáng" / "Nạo vét đoạn đầu kênh") starts its cells anew."""
    if not last or not last[0] or not INDEX.match(last[0]) or cells[0] or not any(cells):
        return False
    going_on = [c for c in cells if c and (c[0].islower() or c[0] == "(")]
    return bool(going_on) and all(
        not c
        or (
            k < len(last)
            and bool(last[k])
            and not NUMBERISH.match(c)
            and (c in going_on or _mid_phrase(last[k]))
        )
        for k, c in enumerate(cells)
    )


def _mid_phrase(cell: str) -> bool:
    """Whether a cell was cut mid-phrase: it ends in a lower-case word, a comma or a dash."""
    return cell.split()[-1][:1].islower() or cell.endswith((",", "-", "–"))


def _row(cells_at: list[tuple[int, str]], header: list[str]) -> Row:
    """One table row from its cells (each with the line it ends on)."""
    cells = [c for _, c in cells_at]
    if cells[0] and not INDEX.match(cells[0]) and not re.match(r"^[IVX]{1,6}\s*[.\-–)]", cells[0]):
        # No index column in this row ("Tổng cộng", or a table without STT): all data.
        label, rest, names = "", cells, header
    else:
        label, rest, names = row_label(cells[0]), cells[1:], header[1:]
    lines = [n for n, _ in cells_at][len(cells) - len(rest) :]
    filled = [c for c in rest if c]
    row = Row(label=label, cells=[], header=[])
    if not filled and label:
        # "II- Dự án ngoài ngân sách": index and group title in one cell.
        m = re.match(r"^([IVX]{1,6}|[A-ZĐ]|[a-zđ])\s*[.\-–)]\s*(.+)$", label)
        if m:
            row.label, rest = m.group(1), [m.group(2)]
            lines = lines[:1] or [cells_at[0][0]]
    row.cells = [(n, c) for n, c in zip(lines, rest, strict=False) if c]
    row.header = [h for h, c in zip(names, rest, strict=False) if c]
    if len(row.header) < len(row.cells):
        row.header += [""] * (len(row.cells) - len(row.header))
    kind = index_kind(row.label) if row.label else "bullet"
    # A group row fills only its index and title; a numbered one ("1  Phát triển ...,
    # gồm 03 công việc") groups the "(1)", "(2)" rows below it.
    row.is_group = is_group_row(
        row,
        kind in {"roman", "upper", "lower"}
        or row.label == "*"
        or (kind == "num" and len(header) > 3 and len(rest) > 2),
    )
    return row


def _merge_headers(top: list[str], sub: list[str]) -> list[str]:
    """``[NGUỒN VỐN, "", ""]`` over ``[Ngân sách, ODA, Ngoài ngân sách]`` → "NGUỒN VỐN - ODA"."""
    width = max(len(top), len(sub))
    top = top + [""] * (width - len(top))
    sub = sub + [""] * (width - len(sub))
    merged, span = [], ""
    for t, s in zip(top, sub, strict=True):
        if t:
            span = t
        if s:
            merged.append(f"{span} - {s}" if span and span != s else s)
        else:
            merged.append(t)
    return merged
