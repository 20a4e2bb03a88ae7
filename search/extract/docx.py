""".docx: paragraphs with Word's list numbering rebuilt, tables with merged cells resolved,
text set in TCVN3 or VNI fonts converted to Unicode."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator

from ..errors import DocumentError
from ..text.numerals import to_roman
from .common import is_data_table, squash, tab_lines
from .legacy import tcvn3_to_unicode, vni_to_unicode

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_P, _R, _T, _TBL, _TR, _TC = (_W + t for t in ("p", "r", "t", "tbl", "tr", "tc"))
_SDT, _SDT_CONTENT, _CUSTOM_XML = _W + "sdt", _W + "sdtContent", _W + "customXml"
_VAL = _W + "val"
_BROKEN_DOCX = "tệp .docx bị hỏng hoặc không đầy đủ"


def read_docx(data: bytes, display: str) -> list[str]:
    import docx  # python-docx
    from lxml.etree import XMLSyntaxError

    try:
        document = docx.Document(io.BytesIO(data))
    except ValueError as exc:
        if "content type" in str(exc):  # a zip, but not a Word document (.xlsx, .pptx)
            raise DocumentError(display, "tệp không phải văn bản Word (.docx)") from exc
        raise DocumentError(display, _BROKEN_DOCX) from exc
    except Exception as exc:  # BadZipFile, zlib.error, XMLSyntaxError, KeyError, EOFError ...
        raise DocumentError(display, _BROKEN_DOCX) from exc
    try:
        return _DocxReader(document).blocks(document.element.body)
    except (zipfile.BadZipFile, zlib.error, XMLSyntaxError, EOFError) as exc:
        raise DocumentError(display, _BROKEN_DOCX) from exc
    except Exception as exc:  # malformed XML values: one file fails, not the whole ingest
        raise DocumentError(display, f"{_BROKEN_DOCX} ({type(exc).__name__})") from exc


def _legacy_font(name: str | None) -> Callable[[str], str] | None:
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


class _Numbering:
    """Word's automatic list labels, counted like Word does (per abstract list)."""

    def __init__(self, document) -> None:
        from docx.opc.constants import RELATIONSHIP_TYPE as RT

        self.levels: dict[str, dict[int, dict]] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        self.counters: dict[str, list[int | None]] = {}
        self.started: set[str] = set()
        try:
            root = document.part.part_related_by(RT.NUMBERING).element
        except KeyError:
            return
        for absn in root.iter(_W + "abstractNum"):
            levels = {}
            for lvl in absn.iter(_W + "lvl"):
                levels[int(lvl.get(_W + "ilvl", "0"))] = {
                    "start": int(_child_val(lvl, "start") or 1),
                    "fmt": _child_val(lvl, "numFmt") or "decimal",
                    "text": _child_val(lvl, "lvlText"),
                    "legal": lvl.find(_W + "isLgl") is not None,
                    "style": _child_val(lvl, "pStyle"),
                }
            self.levels[absn.get(_W + "abstractNumId")] = levels
        for num in root.iter(_W + "num"):
            overrides = {}
            for ov in num.iter(_W + "lvlOverride"):
                start = _child_val(ov, "startOverride")
                if start is not None:
                    overrides[int(ov.get(_W + "ilvl", "0"))] = int(start)
            self.nums[num.get(_W + "numId")] = (_child_val(num, "abstractNumId") or "", overrides)

    def label(self, num_id: str, ilvl: int | None) -> str:
        if num_id not in self.nums:
            return ""
        abs_id, overrides = self.nums[num_id]
        levels = self.levels.get(abs_id, {})
        if ilvl is None:
            ilvl = 0
        if ilvl not in levels:
            return ""
        counters = self.counters.setdefault(abs_id, [None] * 10)
        if num_id not in self.started:
            # A list instance with a start override restarts the shared counters.
            self.started.add(num_id)
            for lv in overrides:
                counters[lv] = None
        start = overrides.get(ilvl, levels[ilvl]["start"])
        counters[ilvl] = start if counters[ilvl] is None else counters[ilvl] + 1
        for deeper in range(ilvl + 1, len(counters)):
            counters[deeper] = None
        level = levels[ilvl]
        if level["fmt"] == "bullet":
            depth = sum(1 for k, lv in levels.items() if k < ilvl and lv["fmt"] == "bullet")
            return _bullet(level["text"] or "", depth)
        if level["fmt"] == "none" or not level["text"]:
            return level["text"] or ""

        def number(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            lv = levels.get(k, {"start": 1, "fmt": "decimal"})
            value = counters[k] if k < len(counters) and counters[k] is not None else lv["start"]
            fmt = "decimal" if level["legal"] else lv["fmt"]
            return _format_number(value, fmt)

        return re.sub(r"%([1-9])", number, level["text"])

    def save(self) -> tuple:
        return {k: list(v) for k, v in self.counters.items()}, set(self.started)

    def restore(self, state: tuple) -> None:
        counters, started = state
        self.counters = {k: list(v) for k, v in counters.items()}
        self.started = set(started)

    def style_level(self, num_id: str, style_id: str) -> int:
        """The list level a paragraph style is attached to (``w:pStyle`` in a level)."""
        abs_id = self.nums.get(num_id, ("", {}))[0]
        for ilvl, level in self.levels.get(abs_id, {}).items():
            if level["style"] == style_id:
                return ilvl
        return 0


def _child_val(el, tag: str) -> str | None:
    child = el.find(_W + tag)
    return None if child is None else child.get(_VAL)


def _num_pr(elem) -> tuple[str | None, int | None]:
    """(numId, ilvl) of a paragraph's or style's own numbering, if any."""
    num_pr = elem.find(f"{_W}pPr/{_W}numPr")
    if num_pr is None:
        return None, None
    level = _child_val(num_pr, "ilvl")
    return _child_val(num_pr, "numId"), int(level) if level is not None else None


def _bullet(symbol: str, depth: int) -> str:
    """Vietnamese documents bullet with "-" then "+"; other glyphs map by bullet depth."""
    symbol = symbol.strip()
    if symbol in {"-", "–", "—", "+"}:
        return "+" if symbol == "+" else "-"
    return "-" if depth == 0 else "+"


def _format_number(value: int, fmt: str) -> str:
    if fmt in {"lowerLetter", "upperLetter"}:
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in {"lowerRoman", "upperRoman"}:
        roman = to_roman(value)
        return roman.lower() if fmt == "lowerRoman" else roman
    if fmt == "decimalZero":
        return f"{value:02d}"
    return str(value)


class _DocxReader:
    def __init__(self, document) -> None:
        self.numbering = _Numbering(document)
        self.styles: dict[str, object] = {}
        self.default_font: str | None = None
        styles = document.styles.element
        for style in styles.iter(_W + "style"):
            self.styles[style.get(_W + "styleId")] = style
        fonts = styles.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr/{_W}rFonts")
        if fonts is not None:
            self.default_font = fonts.get(_W + "ascii") or fonts.get(_W + "hAnsi")
        self._style_font: dict[str, str | None] = {}

    # blocks ------------------------------------------------------------------------------

    def blocks(self, container) -> list[str]:
        """Lines of the paragraphs and tables directly in ``container``, in order."""
        out: list[str] = []
        for child in container:
            if child.tag == _P:
                out.extend(self.paragraph(child).split("\n"))
            elif child.tag == _TBL:
                out.extend(self.table(child))
            elif child.tag == _SDT:
                content = child.find(_SDT_CONTENT)
                if content is not None:
                    out.extend(self.blocks(content))
            elif child.tag == _CUSTOM_XML:
                out.extend(self.blocks(child))
        return out

    def paragraph(self, p) -> str:
        ppr = p.find(_W + "pPr")
        style_id = _child_val(ppr, "pStyle") if ppr is not None else None
        text = self._runs_text(p, self._font_of_style(style_id))
        label = self._label(p, style_id)
        lines = text.split("\n")
        first = lines[0].strip()
        if label and first:
            lines[0] = f"{label} {first}"
        return "\n".join(line.replace("\t", " ") for line in lines)

    def _label(self, p, style_id: str | None) -> str:
        num_id, ilvl = _num_pr(p)
        seen = set()
        sid = style_id
        while num_id is None and sid and sid not in seen:
            # Numbering attached to the paragraph's style ("Heading 1" → "1.").
            seen.add(sid)
            style = self.styles.get(sid)
            if style is None:
                break
            num_id, ilvl = _num_pr(style)
            if num_id and ilvl is None:
                ilvl = self.numbering.style_level(num_id, sid)
            sid = _child_val(style, "basedOn")
        if not num_id or num_id == "0":
            return ""
        return self.numbering.label(num_id, ilvl)

    def _font_of_style(self, style_id: str | None) -> str | None:
        if style_id is None:
            style_id = next(
                (sid for sid, s in self.styles.items()
                 if s.get(_W + "type") == "paragraph" and s.get(_W + "default") == "1"),
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
            fonts = style.find(f"{_W}rPr/{_W}rFonts")
            if fonts is not None:
                font = fonts.get(_W + "ascii") or fonts.get(_W + "hAnsi")
            sid = _child_val(style, "basedOn")
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
                elif tag in (_W + "tab", _W + "ptab"):
                    pieces.append(" ")
                elif tag in (_W + "br", _W + "cr"):
                    pieces.append("\n")
                elif tag == _W + "noBreakHyphen":
                    pieces.append("-")
            text = "".join(pieces)
            if not text:
                continue
            convert = _legacy_font(self._run_font(run) or para_font)
            parts.append(convert(text) if convert else text)
        return "".join(parts)

    def _run_font(self, run) -> str | None:
        rpr = run.find(_W + "rPr")
        if rpr is None:
            return None
        fonts = rpr.find(_W + "rFonts")
        if fonts is not None and (fonts.get(_W + "ascii") or fonts.get(_W + "hAnsi")):
            return fonts.get(_W + "ascii") or fonts.get(_W + "hAnsi")
        rstyle = _child_val(rpr, "rStyle")
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
        for r, tr in enumerate(_children(tbl, _TR)):
            trpr = tr.find(_W + "trPr")
            if r == 0 or (trpr is not None and trpr.find(_W + "tblHeader") is not None):
                if r == 0 or (r - 1) in header_rows:
                    header_rows.add(r)
            row: list[tuple[str, object | None]] = []
            before = int(_child_val(trpr, "gridBefore") or 0) if trpr is not None else 0
            row.extend(("", None) for _ in range(before))
            for tc in _children(tr, _TC):
                tcpr = tc.find(_W + "tcPr")
                span = int(_child_val(tcpr, "gridSpan") or 1) if tcpr is not None else 1
                vmerge = tcpr.find(_W + "vMerge") if tcpr is not None else None
                col = len(row)
                if vmerge is not None and vmerge.get(_VAL) in (None, "continue"):
                    text, origin = above.get(col, ("", r))
                    # Inside the header the cell stays empty: the parser reads a header line
                    # that starts empty as sub-columns of the spanning cell above.
                    row.append(("" if origin in header_rows else text, None))
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


def _children(el, tag: str) -> Iterator:
    """Direct children with ``tag``, looking through content controls and custom XML."""
    for child in el:
        if child.tag == tag:
            yield child
        elif child.tag in (_SDT, _CUSTOM_XML):
            inner = child.find(_SDT_CONTENT) if child.tag == _SDT else child
            if inner is not None:
                yield from _children(inner, tag)


_SKIP_IN_PARAGRAPH = {_MC_FALLBACK, _W + "pPr", _W + "del", _W + "moveFrom"}


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
                if inner.tag != _W + "t":
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
