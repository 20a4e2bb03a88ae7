""".docx: paragraphs with Word's list numbering rebuilt, tables with merged cells resolved,
text set in TCVN3 or VNI fonts converted to Unicode."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator

from ..errors import DocumentError
from ..text.normalize import raised
from .archive import check_zip
from .common import MAX_REPEATED_CHARS, is_data_table, squash, tab_lines
from .legacy import tcvn3_to_unicode, vni_to_unicode
from .numbering import VAL, ListNumbering, W, bounded_int, child_val, num_pr

_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_P, _R, _T, _TBL, _TR, _TC = (W + t for t in ("p", "r", "t", "tbl", "tr", "tc"))
_SDT, _SDT_CONTENT, _CUSTOM_XML = W + "sdt", W + "sdtContent", W + "customXml"
_BROKEN_DOCX = "tệp .docx bị hỏng hoặc không đầy đủ"
# A list label that names what it numbers ("Chương %1", "Điều %2."): Word shows it even on
# an empty paragraph, while a bare number or a bullet there is a stray list item.
_NAMED_LABEL = re.compile(r"[^\W\d_]{2,}")
# A table's grid is as wide as its w:tblGrid says, and never wider than this: one cell that
# claims to span two billion columns becomes a cell spanning the rest of the row.
MAX_GRID_COLUMNS = 64


def read_docx(data: bytes, display: str) -> list[str]:
    import docx  # python-docx
    from lxml.etree import XMLSyntaxError

    check_zip(data, display)
    try:
        document = docx.Document(io.BytesIO(data))
    except ValueError as exc:
        if "content type" in str(exc):  # a zip, but not a Word document (.xlsx, .pptx)
            raise DocumentError(display, "tệp không phải văn bản Word (.docx)") from exc
        raise DocumentError(display, _BROKEN_DOCX) from exc
    except Exception as exc:  # BadZipFile, zlib.error, XMLSyntaxError, KeyError, EOFError ...
        raise DocumentError(display, _BROKEN_DOCX) from exc
    try:
        reader = _DocxReader(document)
        return reader.blocks(document.element.body) + reader.footnotes(document)
    except (zipfile.BadZipFile, zlib.error, XMLSyntaxError, EOFError) as exc:
        raise DocumentError(display, _BROKEN_DOCX) from exc
    except Exception as exc:  # malformed XML values: one file fails, not the whole ingest
        raise DocumentError(display, f"{_BROKEN_DOCX} ({type(exc).__name__})") from exc


def legacy_font(name: str | None) -> Callable[[str], str] | None:
    """Converter for text set in a TCVN3 (.VnTime) or VNI (VNI-Times) font."""
    if not name:
        return None
    lowered = name.strip().lower()
    if lowered.startswith(".vn"):
        # ".VnTimeH"-style fonts draw the lowercase codes as capitals.
        if name.strip().endswith("H"):
            return lambda s: tcvn3_to_unicode(s).upper()
        return tcvn3_to_unicode
    if lowered.startswith("vni-") or lowered.startswith("vni "):
        return vni_to_unicode
    return None


class _DocxReader:
    def __init__(self, document) -> None:
        self.numbering = ListNumbering(document)
        self.styles: dict[str, object] = {}
        self.default_font: str | None = None
        styles = document.styles.element
        for style in styles.iter(W + "style"):
            self.styles[style.get(W + "styleId")] = style
        fonts = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
        if fonts is not None:
            self.default_font = fonts.get(W + "ascii") or fonts.get(W + "hAnsi")
        self._style_font: dict[str, str | None] = {}

    # blocks ------------------------------------------------------------------------------

    def blocks(self, container) -> list[str]:
        """Lines of the paragraphs and tables directly in ``container``, in order. A table
        of contents is left out: its lines repeat the headings with page numbers."""
        out: list[str] = []
        depth = 0  # fields open in a table of contents being left out
        for child in container:
            if child.tag == _P:
                before = depth
                starts, depth = _contents_fields(child, depth)
                if starts and out and CONTENTS_TITLE.match(out[-1].strip()):
                    out.pop()  # "MỤC LỤC" above the field
                if not (before or starts):
                    out.extend(self.paragraph(child).split("\n"))
            elif child.tag == _TBL:
                out.extend(self.table(child))
            elif child.tag == _SDT:
                content = child.find(_SDT_CONTENT)
                gallery = child.find(f"{W}sdtPr/{W}docPartObj/{W}docPartGallery")
                if gallery is not None and gallery.get(VAL) == "Table of Contents":
                    continue
                if content is not None:
                    out.extend(self.blocks(content))
            elif child.tag == _CUSTOM_XML:
                out.extend(self.blocks(child))
        return out

    def footnotes(self, document) -> list[str]:
        """Word's footnotes, each a line "[n] text" after the document (the parser makes
        each a passage, cited by its mark), numbered as Word shows them: in the order the
        text refers to them."""
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from docx.oxml.parser import parse_xml

        try:
            root = parse_xml(document.part.part_related_by(RT.FOOTNOTES).blob)
        except KeyError:
            return []
        notes = {
            note.get(W + "id"): squash(" ".join(self.paragraph(p) for p in note.iter(_P)))
            for note in root.iter(W + "footnote")
            if note.get(W + "type") in (None, "normal")
        }
        order = [r.get(W + "id") for r in document.element.body.iter(W + "footnoteReference")]
        order = list(dict.fromkeys(i for i in order if notes.get(i)))
        return [f"[{n}] {notes[i]}" for n, i in enumerate(order, 1)]

    def paragraph(self, p) -> str:
        ppr = p.find(W + "pPr")
        style_id = child_val(ppr, "pStyle") if ppr is not None else None
        text = self._runs_text(p, self._font_of_style(style_id))
        label = self._label(p, style_id)
        lines = text.split("\n")
        first = lines[0].strip()
        if label and first:
            lines[0] = f"{label} {first}"
        elif _NAMED_LABEL.search(label):
            return label  # a heading's label alone on its line, as Word shows it: "Chương II"
        return "\n".join(line.replace("\t", " ") for line in lines)

    def _label(self, p, style_id: str | None) -> str:
        num_id, ilvl = num_pr(p)
        seen = set()
        sid = style_id
        while num_id is None and sid and sid not in seen:
            # Numbering attached to the paragraph's style ("Heading 1" → "1.").
            seen.add(sid)
            style = self.styles.get(sid)
            if style is None:
                break
            num_id, ilvl = num_pr(style)
            if num_id and ilvl is None:
                ilvl = self.numbering.style_level(num_id, sid)
            sid = child_val(style, "basedOn")
        if not num_id or num_id == "0":
            return ""
        return self.numbering.label(num_id, ilvl)

    def _font_of_style(self, style_id: str | None) -> str | None:
        if style_id is None:
            style_id = next(
                (sid for sid, s in self.styles.items()
                 if s.get(W + "type") == "paragraph" and s.get(W + "default") == "1"),
                None,
            )  # fmt: skip
        if style_id in self._style_font:
            return self._style_font[style_id]
        font, sid, seen = None, style_id, set()
        while sid and sid not in seen and font is None:
            seen.add(sid)
            style = self.styles.get(sid)
            if style is None:
                break
            fonts = style.find(f"{W}rPr/{W}rFonts")
            if fonts is not None:
                font = fonts.get(W + "ascii") or fonts.get(W + "hAnsi")
            sid = child_val(style, "basedOn")
        self._style_font[style_id or ""] = font = font or self.default_font
        return font

    def _runs_text(self, el, para_font: str | None) -> str:
        parts: list[str] = []
        for run in _runs(el):
            if run is None:  # a text box paragraph starts
                parts.append("\n")
                continue
            pieces = []
            for child in run:
                tag = child.tag
                if tag == _T:
                    pieces.append(child.text or "")
                elif tag in (W + "tab", W + "ptab"):
                    pieces.append(" ")
                elif tag in (W + "br", W + "cr"):
                    pieces.append("\n")
                elif tag == W + "noBreakHyphen":
                    pieces.append("-")
            text = "".join(pieces)
            if not text:
                continue
            if text.isdigit() and _raised(run):  # "chim hoang dã[1]", "120 m²"
                parts.append(raised(parts[-1] if parts else "", text))
                continue
            convert = legacy_font(self._run_font(run) or para_font)
            parts.append(convert(text) if convert else text)
        return "".join(parts)

    def _run_font(self, run) -> str | None:
        rpr = run.find(W + "rPr")
        if rpr is None:
            return None
        fonts = rpr.find(W + "rFonts")
        if fonts is not None and (fonts.get(W + "ascii") or fonts.get(W + "hAnsi")):
            return fonts.get(W + "ascii") or fonts.get(W + "hAnsi")
        rstyle = child_val(rpr, "rStyle")
        return self._font_of_style(rstyle) if rstyle in self.styles else None

    # tables ------------------------------------------------------------------------------

    def table(self, tbl) -> list[str]:
        before = self.numbering.save()
        grid = self._grid(tbl)
        if not grid:
            return []
        rows = [[text for text, _ in row] for row in grid]
        if is_data_table(rows):
            return tab_lines(rows)
        # A layout table: its cells' paragraphs (and tables inside them) as lines, read
        # again from the start so list numbers inside are counted once.
        self.numbering.restore(before)
        out: list[str] = []
        for row in grid:
            for _, cell in row:
                if cell is not None:  # merged continuations carry no cell
                    out.extend(self.blocks(cell))
        return out

    def _grid(self, tbl) -> list[list[tuple[str, object | None]]]:
        """Rows of (text, source cell) with merged cells resolved; one entry per grid column."""
        grid: list[list[tuple[str, object | None]]] = []
        header_rows: set[int] = set()
        above: dict[int, tuple[str, int]] = {}  # column → (text, row it started in)
        declared = len(tbl.findall(f"{W}tblGrid/{W}gridCol"))
        width = min(declared, MAX_GRID_COLUMNS) if declared else MAX_GRID_COLUMNS
        repeated = 0  # characters copied into vertically merged cells so far
        for r, tr in enumerate(_children(tbl, _TR)):
            trpr = tr.find(W + "trPr")
            if r == 0 or (trpr is not None and trpr.find(W + "tblHeader") is not None):
                if r == 0 or (r - 1) in header_rows:
                    header_rows.add(r)
            cells = list(_children(tr, _TC))
            limit = min(max(width, len(cells)), MAX_GRID_COLUMNS)
            row: list[tuple[str, object | None]] = []
            if trpr is not None:
                before = bounded_int(child_val(trpr, "gridBefore"), 0, 0, limit - 1)
                row.extend(("", None) for _ in range(before))
            for tc in cells:
                tcpr = tc.find(W + "tcPr")
                declared_span = child_val(tcpr, "gridSpan") if tcpr is not None else None
                span = bounded_int(declared_span, 1, 1, MAX_GRID_COLUMNS)
                span = max(1, min(span, limit - len(row)))  # no wider than the grid left
                vmerge = tcpr.find(W + "vMerge") if tcpr is not None else None
                col = len(row)
                if vmerge is not None and vmerge.get(VAL) in (None, "continue"):
                    text, origin = above.get(col, ("", r))
                    repeated += len(text)
                    if origin in header_rows or repeated > MAX_REPEATED_CHARS:
                        # Inside the header the cell stays empty: the parser reads a header
                        # line that starts empty as sub-columns of the spanning cell above.
                        text = ""
                    row.append((text, None))
                else:
                    text = self.cell_text(tc)
                    above[col] = (text, r)
                    row.append((text, tc))
                row.extend(("", None) for _ in range(span - 1))
            grid.append(row)
        return grid

    def cell_text(self, tc) -> str:
        """A cell as one line: paragraphs and nested tables joined with spaces."""
        parts = []
        for line in self.blocks(tc):
            parts.append(line.replace("\t", " "))
        return squash(" ".join(parts))


CONTENTS_TITLE = re.compile(r"^m[ụu]c l[ụu]c$", re.IGNORECASE)


def _contents_fields(p, depth: int) -> tuple[bool, int]:
    """(a table-of-contents field starts in the paragraph, the fields of it still open
    after the paragraph): its entries hold fields of their own (HYPERLINK, PAGEREF)."""
    starts, code = False, None  # code: the instruction of a field begun outside one
    for el in p.iter(W + "fldChar", W + "instrText"):
        if el.tag == W + "instrText":
            if code is not None:
                code += el.text or ""
                if code.strip():
                    if code.lstrip().upper().startswith("TOC"):
                        starts, depth = True, 1
                    code = None
            continue
        kind = el.get(W + "fldCharType")
        if kind == "begin":
            if depth:
                depth += 1
            else:
                code = ""
        elif kind == "end" and depth:
            depth -= 1
    return starts, depth


def _children(el, tag: str) -> Iterator:
    """Direct children with ``tag``, looking through content controls and custom XML."""
    for child in el:
        if child.tag == tag:
            yield child
        elif child.tag in (_SDT, _CUSTOM_XML):
            inner = child.find(_SDT_CONTENT) if child.tag == _SDT else child
            if inner is not None:
                yield from _children(inner, tag)


_SKIP_IN_PARAGRAPH = {_MC_FALLBACK, W + "pPr", W + "del", W + "moveFrom"}


def _raised(run) -> bool:
    """Whether a run is set as superscript."""
    rpr = run.find(W + "rPr")
    return rpr is not None and child_val(rpr, "vertAlign") == "superscript"


def _runs(el) -> Iterator:
    """Runs of a paragraph in order; None where a text-box paragraph starts.

    Compatibility fallbacks (a second copy of the same content) and deletions are skipped.
    """
    for child in el:
        if child.tag in _SKIP_IN_PARAGRAPH:
            continue
        if child.tag == _R:
            yield child
            # Text boxes hang their paragraphs inside the run's drawing.
            for inner in child:
                if inner.tag != W + "t":
                    yield from _nested_runs(inner)
        else:
            yield from _runs(child)


def _nested_runs(el) -> Iterator:
    for child in el:
        if child.tag in _SKIP_IN_PARAGRAPH:
            continue
        if child.tag == _R:
            yield child
        else:
            if child.tag == _P:
                yield None
            yield from _nested_runs(child)
