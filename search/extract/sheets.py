"""Spreadsheets (.xlsx, .xls, .csv; .ods through odt.py): an appendix kept as a workbook,
read sheet by sheet.

A sheet is laid out as the same appendix in Word would be: its title rows ("PHỤ LỤC I",
the caption "(Kèm theo Kế hoạch số 71/KH-UBND ...)", "Đơn vị tính: triệu đồng") and its
notes below the table as ordinary lines, the table as one tab-separated line per row.
Merged cells read as Word's do: a cell merged across leaves the columns it covers empty;
one merged down repeats its value in each row (the lead agency of three tasks), except in
the table's header, where a sub-header row then starts empty. Numbers are shown as the
sheet formats them, the Vietnamese way ("1.250,5", "97,6%", "30/06/2025"), and text set in
a TCVN3 or VNI font is converted. No office suite is needed: .xlsx is read from its XML,
.xls by xlrd.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta

from ..errors import DocumentError
from ..text.display import vn_number
from .archive import broken, xml_parts
from .common import MAX_REPEATED_CHARS, squash, tab_lines
from .docx import MAX_GRID_COLUMNS, legacy_font

Cells = dict[tuple[int, int], str]  # (row, column) → text, both from 0
Merge = tuple[int, int, int, int]  # first row, first column, last row, last column

MAX_CELLS = 500_000  # filled cells per workbook: far past any appendix
# Excel's built-in number formats that the file does not spell out (ECMA-376 18.8.30).
_BUILTIN = {0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%",
            11: "0.00E+00", 12: "# ?/?", 13: "# ??/??", 14: "dd/mm/yyyy", 15: "d-mmm-yy",
            16: "d-mmm", 17: "mmm-yy", 18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "hh:mm",
            21: "hh:mm:ss", 22: "dd/mm/yyyy hh:mm", 37: "#,##0", 38: "#,##0", 39: "#,##0.00",
            40: "#,##0.00", 45: "mm:ss", 46: "[h]:mm:ss", 47: "mm:ss.0", 48: "##0.0E+0",
            49: "@"}  # fmt: skip
_LITERAL = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')  # quoted text, escapes, [Red] / [$-42A]
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")


# --- Numbers as the sheet shows them ------------------------------------------------------


def number_text(value: float, code: str, date1904: bool = False) -> str:
    """``value`` as format ``code`` shows it, with Vietnamese separators."""
    section = code.split(";")[0]
    bare = _LITERAL.sub("", section).lower()
    dated = any(c in bare for c in "dy")
    timed = ":" in bare and any(c in bare for c in "hs")
    if dated or timed:
        return _date_text(value, bare, dated, timed, date1904)
    suffix = "".join(q.strip('"') for q in re.findall(r'"[^"]*"', section.split("0")[-1]))
    if "%" in bare:
        value, suffix = value * 100, "%" + suffix
    if "e+" in bare or bare in ("general", "@", ""):
        if value == int(value) and abs(value) < 1e15:
            return vn_number(f"{int(value)}") + suffix
        return vn_number(f"{value:.10g}") + suffix
    decimals = len(re.match(r"[0#?]*", bare.partition(".")[2]).group()) if "." in bare else 0
    text = f"{value:,.{decimals}f}" if "," in bare else f"{value:.{decimals}f}"
    return vn_number(text) + suffix


def _date_text(value: float, bare: str, dated: bool, timed: bool, date1904: bool) -> str:
    start = datetime(1904, 1, 1) if date1904 else datetime(1899, 12, 30)
    try:
        moment = start + timedelta(days=value)
    except OverflowError:
        return vn_number(f"{value:.10g}")
    if "dd" in bare:
        day = f"{moment.day:02d}/{moment.month:02d}/{moment.year}"
    else:
        day = f"{moment.day}/{moment.month}/{moment.year}"
    clock = f"{moment.hour:02d}:{moment.minute:02d}"
    return f"{day} {clock}" if dated and timed else day if dated else clock


# --- A sheet's cells as lines ----------------------------------------------------------------


def sheet_lines(cells: Cells, merges: Iterable[Merge] = ()) -> list[str]:
    """The lines of one sheet: runs of rows between empty rows, each run's table (from its
    first row of three filled cells to its last row of two) as tab lines, the rows around
    it (titles, captions, notes) as ordinary lines."""
    if not cells:
        return []
    rows = sorted({r for r, _ in cells})
    width = min(max(c for _, c in cells) + 1, MAX_GRID_COLUMNS)
    grid = {r: [cells.get((r, c), "") for c in range(width)] for r in rows}
    runs: list[list[int]] = []
    for r in rows:
        if not any(grid[r]):
            continue
        if runs and runs[-1][-1] == r - 1:
            runs[-1].append(r)
        else:
            runs.append([r])
    table_rows: dict[int, int] = {}  # a row in a table → the table's first row
    for run in runs:
        filled = [sum(1 for c in grid[r] if c) for r in run]
        starts = [i for i, n in enumerate(filled) if n >= 3]
        if starts:
            end = max(i for i, n in enumerate(filled) if n >= 2)
            for r in run[starts[0] : end + 1]:
                table_rows[r] = run[starts[0]]
    _spread_merges(grid, merges, table_rows)
    out: list[str] = []
    block: list[list[str]] = []
    for run in runs:
        for r in run:
            if r in table_rows:
                block.append(grid[r])
                continue
            out.extend(tab_lines(block))
            block = []
            # A row outside the table is a line, its cells side by side ("Ghi chú: ... đạt
            # | 97,6%"; the header's two columns).
            out.append("  ".join(c for c in grid[r] if c))
    out.extend(tab_lines(block))
    return out


def _spread_merges(grid: dict[int, list[str]], merges: Iterable[Merge], tables: dict) -> None:
    """A cell merged down a table's body repeated in each row it covers (not in the
    header, nor past MAX_REPEATED_CHARS in all)."""
    budget = MAX_REPEATED_CHARS
    for top, left, bottom, _ in merges:
        if top not in grid or left >= len(grid[top]) or tables.get(top, top) == top:
            continue
        text = grid[top][left]
        for r in range(top + 1, bottom + 1):
            if r in grid and not grid[r][left] and len(text) <= budget:
                grid[r][left] = text
                budget -= len(text)


# --- .xlsx ------------------------------------------------------------------------------------


def read_xlsx(data: bytes, display: str) -> list[str]:
    wrong = "tệp không phải bảng tính Excel (.xlsx)"
    with xml_parts(data, display, ".xlsx", "xl/workbook.xml", wrong) as (part, names):
        workbook, rels = part("xl/workbook.xml"), part("xl/_rels/workbook.xml.rels")
        styles, strings = part("xl/styles.xml"), part("xl/sharedStrings.xml")
        sheets = [part(path) for path in _sheet_paths(workbook, rels, names)]
    try:
        book = _Workbook(workbook, styles, strings)
    except Exception as exc:  # malformed values: one file fails, not the whole ingest
        raise DocumentError(display, f"{broken('.xlsx')} ({type(exc).__name__})") from exc
    return workbook_lines(display, ".xlsx", (book.cells(sheet) for sheet in sheets))


def workbook_lines(
    display: str, kind: str, sheets: Iterable[tuple[Cells, list[Merge]]]
) -> list[str]:
    """The lines of a workbook's sheets, a blank line after each; DocumentError past
    MAX_CELLS filled cells in all, or when a sheet's values cannot be read."""
    lines: list[str] = []
    count = 0
    try:
        for cells, merges in sheets:
            count += len(cells)
            if count > MAX_CELLS:
                limit = vn_number(f"{MAX_CELLS:,}")
                raise DocumentError(display, f"bảng tính có hơn {limit} ô")
            lines.extend(sheet_lines(cells, merges))
            lines.append("")
    except DocumentError:
        raise
    except Exception as exc:  # malformed values: one file fails, not the whole ingest
        raise DocumentError(display, f"{broken(kind)} ({type(exc).__name__})") from exc
    return lines


def _local(el) -> str:
    return el.tag.rpartition("}")[2] if isinstance(el.tag, str) else ""


def _kids(el, name: str) -> list:
    return [] if el is None else [c for c in el if _local(c) == name]


def _find(el, *path: str):
    for name in path:
        found = _kids(el, name)
        if not found:
            return None
        el = found[0]
    return el


def _attr(el, name: str) -> str | None:
    """An attribute by its local name, whatever its namespace ("r:id")."""
    for key, value in el.attrib.items():
        if key.rpartition("}")[2] == name:
            return value
    return None


def _text(el) -> str:
    """A shared or inline string: its plain text, or its runs' text; no phonetic runs."""
    plain = _find(el, "t")
    if plain is not None:
        return plain.text or ""
    return "".join(_run_text(r) for r in _kids(el, "r"))


def _run_text(run) -> str:
    return "".join(t.text or "" for t in _kids(run, "t"))


def _run_font(run) -> str | None:
    font = _find(run, "rPr", "rFont")
    return None if font is None else font.get("val")


def _sheet_paths(workbook, rels, names: set[str]) -> list[str]:
    """The members holding the visible sheets, in the workbook's order."""
    targets = {r.get("Id"): r.get("Target", "") for r in _kids(rels, "Relationship")}
    paths = []
    for sheet in _kids(_find(workbook, "sheets"), "sheet"):
        if sheet.get("state") in ("hidden", "veryHidden"):
            continue
        target = targets.get(_attr(sheet, "id"), "")
        path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        if path in names:
            paths.append(path)
    if not paths:  # no relationships: the sheets in their files' order
        found = [n for n in names if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)]
        paths = sorted(found, key=lambda n: int(re.sub(r"\D", "", n)))
    return paths


class _Workbook:
    def __init__(self, workbook, styles, strings) -> None:
        pr = _find(workbook, "workbookPr")
        self.date1904 = pr is not None and pr.get("date1904") in ("1", "true")
        formats = {int(f.get("numFmtId")): f.get("formatCode", "")
                   for f in _kids(_find(styles, "numFmts"), "numFmt")}  # fmt: skip
        fonts = [_find(f, "name") for f in _kids(_find(styles, "fonts"), "font")]
        font_names = [f.get("val") if f is not None else None for f in fonts]
        self.styles: list[tuple[str, Callable[[str], str] | None]] = []
        for xf in _kids(_find(styles, "cellXfs"), "xf"):
            number = int(xf.get("numFmtId", "0"))
            font = int(xf.get("fontId", "0"))
            name = font_names[font] if font < len(font_names) else None
            self.styles.append((formats.get(number, _BUILTIN.get(number, "General")),
                                legacy_font(name)))  # fmt: skip
        # Shared strings: their text, and whether runs set in a legacy font converted it.
        self.strings: list[tuple[str, bool]] = []
        for si in _kids(strings, "si"):
            runs = [(_run_text(r), legacy_font(_run_font(r))) for r in _kids(si, "r")]
            if any(convert for _, convert in runs):
                self.strings.append(("".join(c(t) if c else t for t, c in runs), True))
            else:
                self.strings.append((_text(si), False))

    def cells(self, sheet) -> tuple[Cells, list[Merge]]:
        cells: Cells = {}
        for r, row in enumerate(_kids(_find(sheet, "sheetData"), "row")):
            r = int(row.get("r", r + 1)) - 1
            for c, cell in enumerate(_kids(row, "c")):
                ref = _CELL_REF.fullmatch(cell.get("r", ""))
                c = _column(ref.group(1)) if ref else c
                if c < MAX_GRID_COLUMNS and (text := self._value(cell)):
                    cells[(r, c)] = squash(text)
        merges = []
        for m in _kids(_find(sheet, "mergeCells"), "mergeCell"):
            first, _, last = m.get("ref", "").partition(":")
            a, b = _CELL_REF.fullmatch(first), _CELL_REF.fullmatch(last or first)
            if a and b:
                merges.append((int(a.group(2)) - 1, _column(a.group(1)),
                               int(b.group(2)) - 1, _column(b.group(1))))  # fmt: skip
        return cells, merges

    def _value(self, cell) -> str:
        kind = cell.get("t", "n")
        style = int(cell.get("s", "0"))
        code, convert = self.styles[style] if style < len(self.styles) else ("General", None)
        if kind == "inlineStr":
            text = _text(_find(cell, "is")) if _find(cell, "is") is not None else ""
            return convert(text) if convert else text
        v = _find(cell, "v")
        raw = v.text if v is not None and v.text else ""
        if kind == "s" and raw:
            text, own = self.strings[int(raw)]
            return text if own or not convert else convert(text)
        if kind in ("str", "e"):
            return convert(raw) if convert else raw
        if kind == "b":
            return {"1": "TRUE", "0": "FALSE"}.get(raw, raw)
        return number_text(float(raw), code, self.date1904) if raw else ""


def _column(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


# --- .xls (Excel 97–2003) ------------------------------------------------------------------


def read_xls(data: bytes, display: str) -> list[str]:
    import xlrd

    try:
        book = xlrd.open_workbook(
            file_contents=data, formatting_info=True, on_demand=True, logfile=io.StringIO()
        )
    except xlrd.XLRDError as exc:
        raise DocumentError(display, "tệp không phải bảng tính Excel (.xls)") from exc
    except Exception as exc:  # a truncated or damaged container
        raise DocumentError(display, broken(".xls")) from exc
    return workbook_lines(display, ".xls", _xls_sheets(book))


def _xls_sheets(book) -> Iterator[tuple[Cells, list[Merge]]]:
    """The visible sheets' cells and merged ranges, each sheet unloaded once read."""
    for index in range(book.nsheets):
        sheet = book.sheet_by_index(index)
        if not sheet.visibility:  # neither hidden nor very hidden
            merges = [(r0, c0, r1 - 1, c1 - 1) for r0, r1, c0, c1 in sheet.merged_cells]
            yield _xls_cells(book, sheet), merges
        book.unload_sheet(index)


def _xls_cells(book, sheet) -> Cells:
    import xlrd

    cells: Cells = {}
    for r in range(sheet.nrows):
        for c in range(min(sheet.ncols, MAX_GRID_COLUMNS)):
            cell = sheet.cell(r, c)
            xf = book.xf_list[cell.xf_index] if cell.xf_index is not None else None
            font = book.font_list[xf.font_index].name if xf else None
            if cell.ctype == xlrd.XL_CELL_TEXT:
                convert = legacy_font(font)
                text = convert(cell.value) if convert else cell.value
            elif cell.ctype in (xlrd.XL_CELL_NUMBER, xlrd.XL_CELL_DATE):
                fmt = book.format_map.get(xf.format_key) if xf else None
                code = fmt.format_str if fmt else "General"
                text = number_text(cell.value, code, book.datemode == 1)
            elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                text = "TRUE" if cell.value else "FALSE"
            else:
                continue
            if text := squash(str(text)):
                cells[(r, c)] = text
    return cells


# --- .csv ---------------------------------------------------------------------------------------


def csv_lines(text: str) -> str:
    """A CSV (or tab/semicolon/pipe-separated) file's rows laid out as a sheet's are."""
    sample = text[: 64 * 1024]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    cells: Cells = {}
    for r, row in enumerate(csv.reader(io.StringIO(text), dialect)):
        for c, value in enumerate(row[:MAX_GRID_COLUMNS]):
            if value := squash(value):
                cells[(r, c)] = value
    return "\n".join(sheet_lines(cells))
