""".odt (OpenDocument text), read from its XML as the .docx reader reads Word's: paragraphs
with list and heading numbers rebuilt, tables with spanned cells resolved, text boxes and
footnotes kept, tracked deletions and comments dropped, text set in TCVN3 or VNI fonts
converted to Unicode. No office suite is needed."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..errors import DocumentError
from .archive import broken, xml_parts
from .common import MAX_REPEATED_CHARS, is_data_table, squash, tab_lines
from .docx import MAX_GRID_COLUMNS, legacy_font
from .numbering import MAX_LEVEL, MAX_LIST_NUMBER, bounded_int, bullet, format_number
from .sheets import workbook_lines

_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
    "loext": "urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0",
    "xml": "http://www.w3.org/XML/1998/namespace",
}


def _q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{_NS[prefix]}}}{local}"


_P, _H, _SPAN, _LIST, _ITEM, _LIST_HEADER = map(
    _q, ("text:p", "text:h", "text:span", "text:list", "text:list-item", "text:list-header")
)
_TABLE, _ROW, _CELL, _COVERED = map(
    _q, ("table:table", "table:table-row", "table:table-cell", "table:covered-table-cell")
)
_NOTE, _NOTE_BODY, _STYLE_NAME = _q("text:note"), _q("text:note-body"), _q("text:style-name")
# Containers whose children are read as if they stood in their place.
_TRANSPARENT = set(
    map(_q, ("text:section", "text:index-body", "table:table-header-rows", "table:table-rows",
             "table:table-row-group", "text:soft-page-break", "draw:text-box", "draw:frame",
             "draw:a", "text:a", "text:numbered-paragraph"))
)  # fmt: skip
# Never text: deleted text of tracked changes, comments, an index's template, shapes' alt text.
_SKIP = set(
    map(_q, ("text:tracked-changes", "office:annotation", "text:index-source", "svg:title",
             "svg:desc", "text:note-citation", "text:sequence-decls", "text:variable-decls",
             "text:user-field-decls", "office:forms", "draw:image", "draw:object"))
)  # fmt: skip
_FORMATS = {"1": "decimal", "a": "lowerLetter", "A": "upperLetter", "i": "lowerRoman",
            "I": "upperRoman"}  # fmt: skip
_KINDS = {
    ".odt": "tệp không phải văn bản OpenDocument (.odt)",
    ".ods": "tệp không phải bảng tính OpenDocument (.ods)",
}
MAX_ROWS_REPEATED = 1000  # a row "repeated" a million times is an empty table's filler


def read_odt(data: bytes, display: str) -> list[str]:
    body, reader = _open(data, display, ".odt")
    try:
        return reader.blocks(body) + reader.footnotes()
    except Exception as exc:  # malformed values: one file fails, not the whole ingest
        raise DocumentError(display, f"{broken('.odt')} ({type(exc).__name__})") from exc


def read_ods(data: bytes, display: str) -> list[str]:
    """An OpenDocument spreadsheet, sheet by sheet as sheets.py lays a workbook out; a
    cell's text is what the sheet shows ("1.250,5"), hidden sheets are left out."""
    body, reader = _open(data, display, ".ods")
    return workbook_lines(display, ".ods", _ods_sheets(body, reader))


def _ods_sheets(body, reader: _OdtReader) -> Iterator[tuple[dict, list]]:
    """Each visible sheet's cells, keyed (row, column), and merged ranges."""
    for table in _kids(body, _TABLE):
        if table.get(_q("table:style-name")) in reader.hidden_tables:
            continue
        cells: dict[tuple[int, int], str] = {}
        merges: list[tuple[int, int, int, int]] = []
        for r, (tr, _) in enumerate(_rows(table)):
            for c, tc in enumerate(_cells(tr)):
                if tc.tag == _COVERED:
                    continue
                if text := squash(" ".join(reader.blocks(tc))):
                    cells[(r, c)] = text
                down = bounded_int(tc.get(_q("table:number-rows-spanned")), 1, 1, 10**6)
                span = bounded_int(tc.get(_q("table:number-columns-spanned")), 1, 1, 64)
                if down > 1 or span > 1:
                    merges.append((r, c, r + down - 1, c + span - 1))
        yield cells, merges


def _open(data: bytes, display: str, kind: str):
    """(the body of a text or a spreadsheet, a reader of its styles) of an OpenDocument."""
    what = _KINDS[kind]
    with xml_parts(data, display, kind, "content.xml", what) as (part, _):
        content, styles = part("content.xml"), part("styles.xml")
    tag = "office:text" if kind == ".odt" else "office:spreadsheet"
    body = content.find(f"{_q('office:body')}/{_q(tag)}")
    if body is None:
        raise DocumentError(display, what)
    try:
        return body, _OdtReader([r for r in (styles, content) if r is not None])
    except Exception as exc:
        raise DocumentError(display, f"{broken(kind)} ({type(exc).__name__})") from exc


def _kids(el, tag: str) -> list:
    return [child for child in el if child.tag == tag]


class _ListStyle:
    """One ``text:list-style``: per level, its number format and label pattern."""

    def __init__(self, el) -> None:
        self.levels: dict[int, dict] = {}
        for child in el:
            level = bounded_int(child.get(_q("text:level")), 1, 1, MAX_LEVEL + 1) - 1
            if child.tag == _q("text:list-level-style-bullet"):
                char = child.get(_q("text:bullet-char")) or ""
                self.levels[level] = {"bullet": char}
            elif child.tag in (_q("text:list-level-style-number"), _q("text:outline-level-style")):
                self.levels[level] = {
                    "fmt": _FORMATS.get(child.get(_q("style:num-format")) or "", "none"),
                    "start": bounded_int(child.get(_q("text:start-value")), 1, 0, MAX_LIST_NUMBER),
                    "pattern": child.get(_q("loext:num-list-format")),
                    "prefix": child.get(_q("style:num-prefix")) or "",
                    "suffix": child.get(_q("style:num-suffix")) or "",
                    "display": bounded_int(
                        child.get(_q("text:display-levels")), 1, 1, MAX_LEVEL + 1
                    ),
                }

    def label(self, counters: list[int | None], level: int) -> str:
        spec = self.levels.get(level)
        if spec is None:
            return ""
        if "bullet" in spec:
            depth = sum(1 for k, s in self.levels.items() if k < level and "bullet" in s)
            return bullet(spec["bullet"], depth)
        if spec["fmt"] == "none":
            return spec["prefix"] + spec["suffix"] if spec["pattern"] is None else ""

        def number(k: int) -> str:
            other = self.levels.get(k, {})
            value = counters[k] if counters[k] is not None else other.get("start", 1)
            return format_number(value, other.get("fmt", "decimal"))

        if spec["pattern"] is not None:  # LibreOffice's own "%1%.%2%." form
            return re.sub(r"%([1-9])%", lambda m: number(int(m.group(1)) - 1), spec["pattern"])
        first = max(0, level - spec["display"] + 1)
        numbers = ".".join(number(k) for k in range(first, level + 1))
        return spec["prefix"] + numbers + spec["suffix"]


class _Counters:
    """The running numbers of one list (and of the lists that continue it)."""

    def __init__(self, style: _ListStyle | None) -> None:
        self.style = style
        self.values: list[int | None] = [None] * (MAX_LEVEL + 1)

    def next(self, level: int, start: int | None) -> str:
        if self.style is None:
            return ""
        spec = self.style.levels.get(level, {})
        if start is not None:
            self.values[level] = start
        elif self.values[level] is None:
            self.values[level] = spec.get("start", 1)
        else:
            self.values[level] += 1
        for deeper in range(level + 1, len(self.values)):
            self.values[deeper] = None
        return self.style.label(self.values, level)


class _OdtReader:
    def __init__(self, roots: list) -> None:
        self.list_styles: dict[str, _ListStyle] = {}
        self.parents: dict[str, str] = {}
        self.fonts: dict[str, str] = {}  # style name → font name
        self.families: dict[str, str] = {}  # font-face name → family
        self.outline: _Counters | None = None
        self.hidden_tables: set[str] = set()  # styles of sheets a spreadsheet hides
        for root in roots:
            for face in root.iter(_q("style:font-face")):
                family = (face.get(_q("svg:font-family")) or "").strip("'\" ")
                self.families[face.get(_q("style:name")) or ""] = family
            for el in root.iter(_q("text:list-style")):
                self.list_styles[el.get(_q("style:name")) or ""] = _ListStyle(el)
            for el in root.iter(_q("text:outline-style")):
                self.outline = _Counters(_ListStyle(el))
            for el in root.iter(_q("style:style")):
                name = el.get(_q("style:name")) or ""
                if el.get(_q("style:parent-style-name")):
                    self.parents[name] = el.get(_q("style:parent-style-name"))
                table = el.find(_q("style:table-properties"))
                if table is not None and table.get(_q("table:display")) == "false":
                    self.hidden_tables.add(name)
                props = el.find(_q("style:text-properties"))
                if props is not None and props.get(_q("style:font-name")):
                    self.fonts[name] = props.get(_q("style:font-name"))
        self.chains: dict[str, _Counters] = {}  # xml:id of a list → its counters
        self.last: dict[str, _Counters] = {}  # list style → the counters last using it
        self.notes: list[str] = []

    # blocks ------------------------------------------------------------------------------

    def blocks(self, container) -> list[str]:
        out: list[str] = []
        for child in container:
            out.extend(self._block(child))
        return out

    def _block(self, el, label: str = "") -> list[str]:
        tag = el.tag
        if tag in (_P, _H):
            if tag == _H and not label and self.outline is not None:
                level = bounded_int(el.get(_q("text:outline-level")), 1, 1, MAX_LEVEL + 1) - 1
                label = self.outline.next(level, None)
            text = self._inline(el, self._font(el.get(_STYLE_NAME)))
            lines = text.split("\n")
            if label and lines[0].strip():
                lines[0] = f"{label} {lines[0].strip()}"
            return [line.replace("\t", " ") for line in lines]
        if tag == _LIST:
            return self._list(el, None, 0)
        if tag == _TABLE:
            return self._table(el)
        if tag in _TRANSPARENT:
            return self.blocks(el)
        return []

    def _list(self, el, chain: _Counters | None, level: int) -> list[str]:
        style_name = el.get(_STYLE_NAME)
        if chain is None:
            continues = el.get(_q("text:continue-list"))
            if continues in self.chains:
                chain = self.chains[continues]
            elif el.get(_q("text:continue-numbering")) == "true" and style_name in self.last:
                chain = self.last[style_name]
            else:
                chain = _Counters(self.list_styles.get(style_name or ""))
            if style_name:
                self.last[style_name] = chain
        list_id = el.get(_q("xml:id"))
        if list_id:
            self.chains[list_id] = chain
        out: list[str] = []
        for item in el:
            if item.tag not in (_ITEM, _LIST_HEADER):
                continue
            numbered = item.tag == _ITEM
            start = item.get(_q("text:start-value"))
            first = True
            for child in item:
                if child.tag == _LIST:
                    out.extend(self._list(child, chain, min(level + 1, MAX_LEVEL)))
                    continue
                label = ""
                if first and numbered and child.tag in (_P, _H):
                    start_at = bounded_int(start, 1, 0, MAX_LIST_NUMBER) if start else None
                    label = chain.next(level, start_at)
                first = False
                out.extend(self._block(child, label))
        return out

    # text --------------------------------------------------------------------------------

    def _font(self, style: str | None) -> str | None:
        seen = set()
        while style and style not in seen:
            seen.add(style)
            if style in self.fonts:
                return self.families.get(self.fonts[style], self.fonts[style])
            style = self.parents.get(style)
        return None

    def _inline(self, el, font: str | None) -> str:
        convert = legacy_font(font)
        parts = [convert(el.text) if convert and el.text else el.text or ""]
        for child in el:
            tag = child.tag
            if tag == _q("text:s"):
                parts.append(" " * bounded_int(child.get(_q("text:c")), 1, 1, 100))
            elif tag in (_q("text:tab"), _q("text:line-break")):
                parts.append(" " if tag == _q("text:tab") else "\n")
            elif tag == _NOTE:
                body = child.find(_NOTE_BODY)
                if body is not None:
                    self.notes.append(squash(" ".join(self.blocks(body))))
            elif tag in (_P, _H):  # a text box's paragraph inside this one
                parts.append("\n" + "\n".join(self._block(child)) + "\n")
            elif tag == _TABLE:
                parts.append("\n" + "\n".join(self._table(child)) + "\n")
            elif tag not in _SKIP:
                inner_font = self._font(child.get(_STYLE_NAME)) or font
                parts.append(self._inline(child, inner_font))
            if child.tail:
                parts.append(convert(child.tail) if convert else child.tail)
        return "".join(parts)

    def footnotes(self) -> list[str]:
        return [f"[{n}] {text}" for n, text in enumerate(self.notes, 1) if text]

    # tables ------------------------------------------------------------------------------

    def _table(self, el) -> list[str]:
        grid = self._grid(el)
        rows = [[text for text, _ in row] for row in grid]
        if is_data_table(rows):
            return tab_lines(rows)
        # A layout table (header, signature): its cells' lines, as read once.
        return [line for row in grid for _, lines in row if lines for line in lines]

    def _grid(self, el) -> list[list[tuple[str, list[str] | None]]]:
        """Rows of (cell text, the cell's own lines or None for a covered cell); each cell
        is read once, however often the table repeats it."""
        grid: list[list[tuple[str, list[str] | None]]] = []
        header_rows: set[int] = set()
        above: dict[int, tuple[str, int, int]] = {}  # column → (text, first row, last row)
        read: dict[object, list[str]] = {}  # keyed by the element, which it keeps alive
        repeated = 0
        for r, (tr, in_header) in enumerate(_rows(el)):
            if r == 0 or (in_header and (r - 1) in header_rows):
                header_rows.add(r)
            row: list[tuple[str, list[str] | None]] = []
            for tc in _cells(tr):
                col = len(row)
                if col >= MAX_GRID_COLUMNS:
                    break
                if tc.tag == _COVERED:
                    text, origin, last = above.get(col, ("", r, r))
                    if origin == r or r > last or origin in header_rows:
                        text = ""
                    repeated += len(text)
                    row.append(("" if repeated > MAX_REPEATED_CHARS else text, None))
                    continue
                if tc not in read:
                    read[tc] = self.blocks(tc)
                lines = read[tc]
                text = squash(" ".join(line.replace("\t", " ") for line in lines))
                span = bounded_int(tc.get(_q("table:number-columns-spanned")), 1, 1, 64)
                down = bounded_int(tc.get(_q("table:number-rows-spanned")), 1, 1, 10**6)
                above[col] = (text, r, r + down - 1)
                for extra in range(col + 1, col + span):
                    above[extra] = ("", r, r + down - 1)
                row.append((text, lines))
            grid.append(row)
        return grid


def _rows(table) -> Iterator[tuple[object, bool]]:
    """(row, in a header-rows group), row groups looked through, repeats bounded."""
    for child in table:
        if child.tag == _ROW:
            times = bounded_int(child.get(_q("table:number-rows-repeated")), 1, 1, 10**6)
            for _ in range(min(times, MAX_ROWS_REPEATED)):
                yield child, False
        elif child.tag == _q("table:table-header-rows"):
            for row, _ in _rows(child):
                yield row, True
        elif child.tag in _TRANSPARENT:
            yield from _rows(child)


def _cells(row) -> Iterator:
    for child in row:
        if child.tag in (_CELL, _COVERED):
            times = bounded_int(child.get(_q("table:number-columns-repeated")), 1, 1, 10**6)
            for _ in range(min(times, MAX_GRID_COLUMNS)):
                yield child
