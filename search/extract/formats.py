"""Turn a corpus file of any supported format into the plain-text lines the parser reads.

Every reader yields one line per paragraph, tables with three or more real columns as one
tab-separated line per row (horizontally merged cells left empty, vertically merged ones
repeating the value above except inside the header, so a sub-header line starts with an
empty cell), and narrower "layout" tables (the two-column header and signature blocks) as
ordinary lines. Text typed in TCVN3 or VNI fonts is converted to Unicode; output is NFC.
"""

from __future__ import annotations

import errno
import io
import os
import re
import shutil
import signal
import subprocess
import tempfile
import unicodedata
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import DocumentError
from .legacy import EMPTY, decode_bytes, repair_mojibake, tcvn3_to_unicode, vni_to_unicode

TEXT_SUFFIXES = {".txt", ".md"}
HTML_SUFFIXES = {".html", ".htm"}
# Converted to .docx by LibreOffice first.
OFFICE_SUFFIXES = {".doc", ".rtf", ".odt"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | OFFICE_SUFFIXES | {".docx", ".pdf"}

# Binary formats (and saved web pages) carry images and fonts, so they may be large; plain
# text of 20 MB is already ~10 000 pages, far past any real document, and is refused
# before it is read.
MAX_BYTES = 60 * 1024 * 1024
MAX_TEXT_BYTES = 20 * 1024 * 1024
CONVERT_TIMEOUT = 120  # seconds for one LibreOffice conversion


@dataclass(frozen=True)
class Extracted:
    """A document's text; ``pages[i]`` is the 1-based page of line ``i + 1`` (PDF only)."""

    text: str
    pages: tuple[int, ...] = ()


def extract(path: Path, display: str) -> Extracted:
    """The text of ``path``; ``display`` names the file in DocumentError messages."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        known = ", ".join(sorted(SUPPORTED))
        raise DocumentError(
            display, f"định dạng {suffix or '(không có đuôi)'} chưa được hỗ trợ (hỗ trợ: {known})"
        )
    limit = MAX_TEXT_BYTES if suffix in TEXT_SUFFIXES else MAX_BYTES
    size = _stat_size(path, display)
    if size > limit:
        raise DocumentError(display, too_big(size, limit))
    if size == 0:
        raise DocumentError(display, EMPTY)
    if suffix in TEXT_SUFFIXES:
        text = decode_bytes(_read(path, display), display)
        return Extracted(text=text)
    if suffix in OFFICE_SUFFIXES:
        lines = _read_docx(_convert_to_docx(path, display), display)
        return _finish(((line, 0) for line in lines), display, "tệp không có nội dung văn bản")
    data = _read(path, display)
    if suffix == ".docx":
        lines = _read_docx(data, display)
        return _finish(
            ((line, 0) for line in lines), display, "tệp .docx không có nội dung văn bản"
        )
    if suffix == ".pdf":
        return _finish(_read_pdf(data, display), display, "không có lớp văn bản (bản scan?)")
    lines = _read_html(data, display)
    return _finish(((line, 0) for line in lines), display, "trang HTML không có nội dung văn bản")


_OS_PROBLEMS = {
    errno.ENOENT: "tệp không còn tồn tại (bị xóa trong lúc lập chỉ mục?)",
    errno.EACCES: "không có quyền đọc tệp",
    errno.EPERM: "không có quyền đọc tệp",
    errno.ELOOP: "liên kết tượng trưng (symlink) tạo vòng lặp",
    errno.EISDIR: "là thư mục, không phải tệp",
}


def os_problem(exc: OSError) -> str:
    """A one-line Vietnamese reason for an operating-system error on a file."""
    return _OS_PROBLEMS.get(exc.errno, f"không đọc được tệp ({exc.strerror or exc})")


def too_big(size: int, limit: int) -> str:
    return f"tệp quá lớn ({size // 2**20} MB, tối đa {limit // 2**20} MB)"


def _stat_size(path: Path, display: str) -> int:
    try:
        return path.stat().st_size
    except OSError as exc:
        raise DocumentError(display, os_problem(exc)) from exc


def _read(path: Path, display: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise DocumentError(display, os_problem(exc)) from exc


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b\ufeff\u00ad]")
# PDFs that place a tone mark as its own glyph can leave a space before it.
_SPACED_MARK = re.compile(r" +(?=[\u0300-\u036f])")


def _finish(pairs: Iterable[tuple[str, int]], display: str, empty: str) -> Extracted:
    """Clean lines, drop blank ones, repair legacy-font text; keep pages aligned."""
    lines: list[str] = []
    pages: list[int] = []
    for raw, page in pairs:
        for part in raw.split("\n"):
            line = _CONTROL.sub("", part)
            line = unicodedata.normalize("NFC", _SPACED_MARK.sub("", line))
            line = line.rstrip(" \u00a0") if "\t" in line else line.strip()
            if line.strip():
                lines.append(line)
                pages.append(page)
    if not lines:
        raise DocumentError(display, empty)
    text = repair_mojibake("\n".join(lines))
    return Extracted(text=text, pages=tuple(pages) if any(pages) else ())


# --- tables, shared by every reader ------------------------------------------------------


def _squash(text: str) -> str:
    return " ".join(text.split())


def _is_data_table(rows: list[list[str]]) -> bool:
    """Data tables have a row with three filled cells; narrower ones only lay text out."""
    return any(sum(1 for c in row if c.strip()) >= 3 for row in rows)


def _tab_lines(rows: list[list[str]]) -> list[str]:
    width = max((len(r) for r in rows), default=0)
    return ["\t".join(_squash(c) for c in r + [""] * (width - len(r))) for r in rows]


# --- .docx -------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_P, _R, _T, _TBL, _TR, _TC = (_W + t for t in ("p", "r", "t", "tbl", "tr", "tc"))
_SDT, _SDT_CONTENT, _CUSTOM_XML = _W + "sdt", _W + "sdtContent", _W + "customXml"
_VAL = _W + "val"
_BROKEN_DOCX = "tệp .docx bị hỏng hoặc không đầy đủ"


def _read_docx(data: bytes, display: str) -> list[str]:
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
        roman = _roman(value)
        return roman.lower() if fmt == "lowerRoman" else roman
    if fmt == "decimalZero":
        return f"{value:02d}"
    return str(value)


_ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
          (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]  # fmt: skip


def _roman(n: int) -> str:
    out = []
    for v, sym in _ROMAN:
        while n >= v:
            out.append(sym)
            n -= v
    return "".join(out)


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
        if _is_data_table(rows):
            return _tab_lines(rows)
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
        return _squash(" ".join(parts))


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


# --- .pdf --------------------------------------------------------------------------------

_BROKEN_PDF = "tệp PDF bị hỏng hoặc không đầy đủ"
_PAGE_NUMBER = re.compile(r"^(?:trang\s*)?[-–—]?\s*\d{1,4}\s*(?:/\s*\d{1,4})?\s*[-–—]?$", re.I)


def _read_pdf(data: bytes, display: str) -> list[tuple[str, int]]:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    if b"%PDF-" not in data[:1024]:
        raise DocumentError(display, "không phải tệp PDF hợp lệ")
    if b"%%EOF" not in data[-4096:]:
        # pdfminer would quietly read what is left of a cut-off file.
        raise DocumentError(display, _BROKEN_PDF)
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [_pdf_page(page) for page in pdf.pages]
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect):
            raise DocumentError(display, "tệp PDF có mật khẩu") from exc
        if isinstance(cause, PDFEncryptionError):
            raise DocumentError(display, "tệp PDF được mã hóa theo cách không đọc được") from exc
        raise DocumentError(display, f"{_BROKEN_PDF} ({type(cause).__name__})") from exc
    except DocumentError:
        raise
    except Exception as exc:  # pdfminer raises many kinds on broken content streams
        raise DocumentError(display, f"{_BROKEN_PDF} ({type(exc).__name__})") from exc
    _drop_running_lines(pages)
    from ..structure.layout import parse_marker

    out: list[tuple[str, int]] = []
    carry = False
    for n, page in enumerate(pages, start=1):
        for i, (line, is_text, _) in enumerate(page):
            if i == 0 and out and carry and is_text and parse_marker(line) is None:
                # A paragraph carried over from the page before keeps its first page.
                out[-1] = (f"{out[-1][0]} {line}", out[-1][1])
            elif i == 0 and out and not is_text and _continues_row(out[-1][0], line):
                # A table row the page break cut in two: its cells go back together.
                cells = zip(out[-1][0].split("\t"), line.split("\t"), strict=True)
                out[-1] = ("\t".join(_squash(f"{a} {b}") for a, b in cells), out[-1][1])
            else:
                out.append((line, n))
        carry = bool(page) and page[-1][2]
    return out


def _continues_row(prev: str, row: str) -> bool:
    return (
        "\t" in prev
        and row.startswith("\t")
        and row.count("\t") == prev.count("\t")
        and not prev.startswith("\t")
    )


_PdfLine = tuple[str, bool, bool]  # text, is a text line (not a table row), runs on


def _pdf_page(page) -> list[_PdfLine]:
    """Text lines and table rows in reading order (sorted by their top)."""
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]

    def outside(obj) -> bool:
        if "x0" not in obj or "top" not in obj:
            return True
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    text_page = page.filter(outside) if boxes else page
    lines = _word_lines(text_page)
    items: list[tuple[float, list[_PdfLine]]] = []
    run: list[dict] = []  # ordinary lines, rejoined where the PDF wrapped them

    def flush() -> None:
        joined = _join_wrapped(run, page.width)
        items.extend((top, [(text, True, full)]) for top, text, full in joined)
        run.clear()

    i = 0
    while i < len(lines):
        block, end = _column_block(lines, i)
        if block:
            flush()
            items.append((lines[i]["top"], [(text, True, False) for text in block]))
            i = end
        else:
            run.append(lines[i])
            i += 1
    flush()
    for table in tables:
        raw = table.extract()
        rows = [[(c or "").replace("\n", " ") for c in row] for row in raw]
        if _is_data_table(rows):
            lines = [(line, False, False) for line in _tab_lines(rows)]
        else:
            cells = [part for row in raw for c in row if c for part in c.split("\n")]
            lines = [(part, False, False) for part in cells]
        items.append((table.bbox[1], lines))
    items.sort(key=lambda item: item[0])
    return [line for _, lines in items for line in lines]


def _word_lines(page) -> list[dict]:
    """Lines built from words, each split into segments where words are set far apart.

    Segments show text set side by side: the agency and the national motto at the top of
    a document, "Nơi nhận" beside the signature at its end.
    """
    words = sorted(page.extract_words(x_tolerance=3, y_tolerance=3), key=lambda w: w["top"])
    rows: list[list[dict]] = []
    for word in words:
        if rows and abs(word["top"] - rows[-1][0]["top"]) <= 3:
            rows[-1].append(word)
        else:
            rows.append([word])
    lines = []
    for row in rows:
        row.sort(key=lambda w: w["x0"])
        chars = sum(len(w["text"]) for w in row)
        char_width = sum(w["x1"] - w["x0"] for w in row) / max(chars, 1)
        gaps = sorted(b["x0"] - a["x1"] for a, b in zip(row, row[1:], strict=False))
        # Far wider than this line's usual space between words (justified lines stretch
        # every space alike, so they do not split).
        if len(gaps) >= 2:
            gap = max(3 * gaps[len(gaps) // 2], 2 * char_width, 12)
        else:
            gap = max(5 * char_width, 20)
        segments: list[list[dict]] = [[row[0]]]
        for prev, word in zip(row, row[1:], strict=False):
            if word["x0"] - prev["x1"] > gap:
                segments.append([word])
            else:
                segments[-1].append(word)
        lines.append(
            {
                "text": " ".join(w["text"] for w in row),
                "x0": row[0]["x0"],
                "x1": max(w["x1"] for w in row),
                "top": min(w["top"] for w in row),
                "bottom": max(w["bottom"] for w in row),
                "segments": [
                    (" ".join(w["text"] for w in seg), seg[0]["x0"], seg[-1]["x1"])
                    for seg in segments
                ],
            }
        )
    return lines


def _column_block(lines: list[dict], i: int) -> tuple[list[str], int]:
    """Two columns set side by side from ``lines[i]`` on: left lines, then right lines.

    A block holds two or more lines of two segments; a one-segment line just before or after them
    belongs to it when it lines up with one of the columns (same start or same centre)
    and follows closely. A line that crosses the gap, or a blank stretch, ends it.
    """
    n = len(lines)
    first = next((j for j in range(i, min(i + 3, n)) if len(lines[j]["segments"]) == 2), None)
    if first is None:
        return [], i
    split = (lines[first]["segments"][0][2] + lines[first]["segments"][1][1]) / 2
    height = lines[first]["bottom"] - lines[first]["top"]
    spans: tuple[list, list] = ([], [])
    texts: tuple[list[str], list[str]] = ([], [])

    def close(j: int) -> bool:
        return lines[j]["top"] - lines[j - 1]["bottom"] <= 1.5 * height

    def column(seg: tuple[str, float, float]) -> int | None:
        _, x0, x1 = seg
        mid = (x0 + x1) / 2
        for c, span in enumerate(spans):
            if (x1 < split if c == 0 else x0 > split) and any(
                abs(x0 - a) <= 6 or abs(mid - (a + b) / 2) <= 6 for a, b in span
            ):
                return c
        return None

    j = first
    pairs = 0
    while j < n and (j == first or close(j)):
        segs = lines[j]["segments"]
        if len(segs) == 2 and segs[0][2] < split < segs[1][1]:
            pairs += 1
            for c in (0, 1):
                spans[c].append(segs[c][1:])
                texts[c].append(segs[c][0])
        elif len(segs) == 1 and (c := column(segs[0])) is not None:
            texts[c].append(segs[0][0])
        else:
            break
        j += 1
    if pairs < 2:
        return [], i  # one wide gap is more likely spacing inside a paragraph line
    before: tuple[list[str], list[str]] = ([], [])
    for k in range(i, first):
        c = column(lines[k]["segments"][0]) if len(lines[k]["segments"]) == 1 else None
        if c is None or not close(k + 1):
            return [], i  # the lines before the two-segment line are not part of it
        before[c].append(lines[k]["segments"][0][0])
    return before[0] + texts[0] + before[1] + texts[1], j


def _join_wrapped(lines: list[dict], page_width: float) -> list[tuple[float, str, bool]]:
    """Rejoin paragraphs the PDF wrapped: (top, text, may run on to the next page).

    A line goes on in the next one when the next line's first word would not have fitted
    after it (so the line was wrapped, justified or not), unless the line ends a clause
    (". ; :") or the next line starts a section marker. A line that reaches the right
    margin may run on over a page break (decided once running headers are gone).
    """
    from ..structure.layout import parse_marker

    if not lines:
        return []
    left = min(line["x0"] for line in lines)
    # Margins are taken as even when no line on the page is long enough to show the right.
    right = max(max(line["x1"] for line in lines), page_width - left)
    out: list[tuple[float, str, bool]] = []
    prev: dict | None = None
    for line in lines:
        text = line["text"]
        full = line["x1"] >= right - 0.1 * (right - left) and not _ends_clause(text)
        if prev is not None and _wrapped(prev, line, right) and parse_marker(text) is None:
            out[-1] = (out[-1][0], f"{out[-1][1]} {text}", full)
        else:
            out.append((line["top"], text, full))
        prev = line
    return out


def _ends_clause(text: str) -> bool:
    return text.rstrip().endswith((".", ";", ":"))


def _wrapped(prev: dict, line: dict, right: float) -> bool:
    if _ends_clause(prev["text"]) or _PAGE_NUMBER.match(line["text"]):
        return False
    if line["top"] - prev["bottom"] > (prev["bottom"] - prev["top"]) * 1.2:
        return False  # a paragraph gap, not the next line of the same paragraph
    char_width = (prev["x1"] - prev["x0"]) / max(len(prev["text"]), 1)
    first_word = line["text"].split(" ", 1)[0]
    # Capitals are wider than the line's average character.
    width = (len(first_word) + 1) * char_width * (1.5 if first_word.isupper() else 1.1)
    return prev["x1"] + width >= right - 2


def _drop_running_lines(pages: list[list[_PdfLine]], edge: int = 2) -> None:
    """Remove page numbers and headers/footers repeated at the top or bottom of most pages."""

    def key(line: str) -> str:
        return re.sub(r"\d+", "#", _squash(line).lower())

    from ..structure.layout import parse_marker

    def edges(page: list[_PdfLine]) -> list[int]:
        # Running lines are short and never a section line ("- 3 -" is a page number).
        text_idx = [
            i
            for i, (line, is_text, _) in enumerate(page)
            if is_text
            and len(line) <= 100
            and (parse_marker(line) is None or _PAGE_NUMBER.match(_squash(line)))
        ]
        return sorted(set(text_idx[:edge] + text_idx[-edge:]))

    seen: Counter[str] = Counter()
    for page in pages:
        seen.update({key(page[i][0]) for i in edges(page)})
    # One page cannot show what repeats; its page number alone still goes.
    repeated = {k for k, n in seen.items() if n >= max(2, (len(pages) + 1) // 2)}
    for page in pages:
        drop = {
            i
            for i in edges(page)
            if key(page[i][0]) in repeated or _PAGE_NUMBER.match(_squash(page[i][0]))
        }
        page[:] = [item for i, item in enumerate(page) if i not in drop]


# --- .html -------------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
# WHATWG: pages that say Latin-1 or ASCII are decoded as Windows-1252.
_CHARSET_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252",
                    "ascii": "cp1252", "windows-1258": "cp1258"}  # fmt: skip
# Images go too: a page saved with inline (data: URI) images is mostly their bytes.
_DROP_TAGS = ("script", "style", "noscript", "iframe", "nav", "aside", "form", "button",
              "select", "svg", "template", "object", "embed", "img", "picture", "video",
              "audio", "canvas")  # fmt: skip
_BOILERPLATE = re.compile(
    r"(?:^|[-_ ])(?:nav|navbar|menu|menubar|breadcrumbs?|share|sharing|social|related|"
    r"lienquan|lien-quan|vblienquan|sidebar|banner|advert|ads|quangcao|toolbar|login|"
    r"comment|comments|footer)(?:$|[-_ ])",
    re.I,
)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_DATA_URI = re.compile(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=\s]{200,}")
_RELATED_TITLE = re.compile(r"^\s*(?:các\s+)?văn bản liên quan\b", re.I)


def html_to_text(data: bytes, display: str) -> str:
    """The page decoded by its declared charset (else by content), as NFC text."""
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return decode_bytes(data, display)
    m = _META_CHARSET.search(data[:16384])
    if m:
        name = m.group(1).decode("ascii", errors="ignore").lower()
        name = _CHARSET_ALIASES.get(name, name)
        try:
            return unicodedata.normalize("NFC", data.decode(name))
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown declaration: guess from the bytes
    return decode_bytes(data, display)


def _read_html(data: bytes, display: str) -> list[str]:
    import lxml.html
    import trafilatura
    from lxml import etree

    # lxml refuses text that still declares a byte encoding (XHTML's <?xml ...?>), and
    # inline images (data: URIs) can be larger than it parses.
    html = _XML_DECLARATION.sub("", html_to_text(data, display), count=1)
    html = _DATA_URI.sub("", html)
    try:
        tree = lxml.html.document_fromstring(html, parser=lxml.html.HTMLParser(huge_tree=True))
    except (etree.ParserError, ValueError) as exc:
        raise DocumentError(display, "trang HTML không có nội dung văn bản") from exc
    _strip_boilerplate(tree)
    cleaned = lxml.html.tostring(tree, encoding="unicode")
    xml = trafilatura.extract(
        cleaned,
        output_format="xml",
        include_tables=True,
        include_comments=False,
        include_links=False,
        include_images=False,
        favor_recall=True,
        deduplicate=False,
    )
    if xml:
        main = etree.fromstring(xml.encode("utf-8")).find("main")
        if main is not None:
            lines = _xml_blocks(main)
            if any(line.strip() for line in lines):
                return lines
    # The extractor found no main text: fall back to all text left after cleaning.
    body = tree.find("body")
    return [] if body is None else _squash_lines(body.text_content())


def _strip_boilerplate(tree) -> None:
    for el in list(tree.iter(*_DROP_TAGS)):
        _remove(el)
    for el in list(tree.iter("header", "footer")):
        if not any(a.tag in ("article", "main") for a in el.iterancestors()):
            _remove(el)
    for el in list(tree.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        names = f"{el.get('class', '')} {el.get('id', '')}"
        if el.tag not in ("html", "body") and _BOILERPLATE.search(names):
            _remove(el)
    for el in list(tree.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        if len(el) == 0 and _RELATED_TITLE.match(el.text_content() or ""):
            # "Văn bản liên quan" and the list of links that follows it.
            nxt = el.getnext()
            if nxt is not None and nxt.tag in ("ul", "ol", "table", "div"):
                _remove(nxt)
            _remove(el)


def _remove(el) -> None:
    """Drop an element but keep its tail text (it belongs to the parent)."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail and el.tail.strip():
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _squash_lines(text: str) -> list[str]:
    return [_squash(line) for line in text.splitlines() if line.strip()]


def _xml_text(el) -> str:
    """Text of a trafilatura element, ``<lb/>`` as a line break."""
    parts = [el.text or ""]
    for child in el:
        if child.tag == "lb":
            parts.append("\n")
        elif child.tag in ("p", "head", "item", "list", "quote"):
            parts.append("\n" + _xml_text(child) + "\n")
        else:
            parts.append(_xml_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _xml_blocks(el) -> list[str]:
    out: list[str] = []
    for child in el:
        if child.tag == "table":
            out.extend(_xml_table(child))
        elif child.tag == "list":
            ordered = child.get("rend", "").startswith("ol")
            n = 0
            for item in child:
                if item.tag != "item":
                    out.extend(_xml_blocks(item))
                    continue
                n += 1
                lines = [ln.strip() for ln in _xml_text(item).split("\n") if ln.strip()]
                if lines and not re.match(r"^(?:[-–+•*]|\d{1,3}[.)]|[a-zđ]\))\s", lines[0]):
                    lines[0] = f"{n}. {lines[0]}" if ordered else f"- {lines[0]}"
                out.extend(lines)
        elif child.find(".//table") is not None:
            out.extend(_xml_blocks(child))
        else:
            out.extend(_xml_text(child).split("\n"))
    return out


def _xml_table(table) -> list[str]:
    rows = [[_squash(_xml_text(cell)) for cell in row if cell.tag == "cell"]
            for row in table if row.tag == "row"]  # fmt: skip
    if _is_data_table(rows):
        return _tab_lines(rows)
    out: list[str] = []
    for row in table:
        for cell in row:
            out.extend(ln for ln in _xml_text(cell).split("\n"))
    return out


# --- .doc, .rtf, .odt via LibreOffice ----------------------------------------------------


def _convert_to_docx(path: Path, display: str) -> bytes:
    suffix = path.suffix.lower()
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        raise DocumentError(
            display,
            f"định dạng {suffix} cần LibreOffice để chuyển đổi; "
            "hãy cài LibreOffice hoặc lưu tệp thành .docx",
        )
    with tempfile.TemporaryDirectory(prefix="tracuu-office-") as tmp:
        out_dir = Path(tmp, "out")
        # A private profile: a user's open LibreOffice would otherwise take the job.
        profile = Path(tmp, "profile").as_uri()
        cmd = [office, f"-env:UserInstallation={profile}", "--headless", "--norestore",
               "--convert-to", "docx", "--outdir", str(out_dir), str(path.resolve())]  # fmt: skip
        proc = subprocess.Popen(
            cmd,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            proc.wait(timeout=CONVERT_TIMEOUT)
        except subprocess.TimeoutExpired as exc:
            # soffice starts helper processes: end the whole group it leads.
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise DocumentError(
                display, f"LibreOffice chuyển đổi quá {CONVERT_TIMEOUT} giây, đã dừng"
            ) from exc
        produced = out_dir / f"{path.stem}.docx"
        if not produced.exists():
            raise DocumentError(
                display,
                f"LibreOffice không chuyển đổi được tệp {suffix} (tệp hỏng hoặc có mật khẩu?)",
            )
        return produced.read_bytes()
