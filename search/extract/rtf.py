""".rtf (Rich Text Format), read directly: paragraphs, list numbers as the file shows them
(``\\listtext``), tables laid on the grid their cell edges draw (spanned and vertically merged
cells resolved), text boxes and footnotes kept, headers, pictures, field codes and hidden
text dropped, bytes decoded by each font's code page, TCVN3 and VNI fonts converted."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from ..errors import DocumentError
from .common import squash
from .docx import legacy_font
from .edges import Row, table_lines
from .legacy import join_runs
from .numbering import bullet

_TOKEN = re.compile(
    rb"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?"  # control word with its parameter
    rb"|\\'([0-9a-fA-F]{2})"  # a byte in the font's code page
    rb"|\\([^a-zA-Z'])"  # control symbol
    rb"|([{}])"
    rb"|[\r\n]+"
    rb"|([^\\{}\r\n]+)"
)
# Groups never shown as the document's text.
_SKIP = {
    "fonttbl", "colortbl", "stylesheet", "info", "pict", "header", "headerl", "headerr",
    "headerf", "footer", "footerl", "footerr", "footerf", "listtable", "listoverridetable",
    "revtbl", "rsidtbl", "xmlnstbl", "filetbl", "private", "fldinst", "sp", "shprslt",
    "nonshppict", "shppict", "object", "objdata", "datafield", "ftnsep", "ftnsepc",
    "aftnsep", "aftnsepc", "ftncn", "aftncn", "userprops", "docvar", "pgdptbl", "themedata",
    "colorschememapping", "latentstyles", "datastore", "generator", "annotation", "atnid",
    "atnauthor", "bkmkstart", "bkmkend", "pn", "listpicture", "xe", "tc", "nonesttables",
}  # fmt: skip
# Starred destinations whose text is the document's: a text box's content, an object's
# picture-free result.
_KEEP_STARRED = {"shpinst", "shptxt", "result", "fldrslt", "footnote"}
_SYMBOLS = {
    "emdash": "—", "endash": "–", "lquote": "‘", "rquote": "’", "ldblquote": "“",
    "rdblquote": "”", "bullet": "•", "emspace": " ", "enspace": " ", "qmspace": " ",
    "tab": " ", "line": "\n",
}  # fmt: skip
_CONTROL_SYMBOLS = {"~": " ", "_": "-", "-": "", "\\": "\\", "{": "{", "}": "}"}
# \fcharset → code page; 0 ("ANSI") is the document's \ansicpg.
_CHARSETS = {
    163: "cp1258", 238: "cp1250", 204: "cp1251", 161: "cp1253", 162: "cp1254",
    177: "cp1255", 178: "cp1256", 186: "cp1257", 222: "cp874", 128: "cp932",
    134: "gbk", 136: "big5", 129: "cp949", 77: "mac_roman",
}  # fmt: skip
_NOT_RTF = "tệp không phải định dạng RTF"
MAX_DEPTH = 1000  # nested groups; real files stay under 20


def read_rtf(data: bytes, display: str) -> list[str]:
    if not data.lstrip()[:5] == b"{\\rtf":
        raise DocumentError(display, _NOT_RTF)
    return _RtfReader(data, display).read()


@dataclass
class _State:
    skip: bool = False
    font: int | None = None
    uc: int = 1
    hidden: bool = False
    in_table: bool = False
    star: bool = False  # "\*" seen: an optional destination follows
    fresh: bool = True  # no control word yet in this group
    note: list | None = None  # set on a footnote's group: the text around it, set aside
    label: bool = False  # inside \listtext: a list item's number or bullet


class _RtfReader:
    def __init__(self, data: bytes, display: str) -> None:
        self.data, self.display = data, display
        self.codepage = "cp1252"
        self.default_font: int | None = None
        self.fonts: dict[int | None, tuple[str, Callable[[str], str] | None, bool]] = {}
        self.lines: list[str] = []
        self.notes: list[str] = []
        self.in_note = 0
        self.pieces: list[tuple[str, Callable[[str], str] | None]] = []
        self.cell: list[str] = []  # the current cell's paragraphs
        self.definition = Row()  # the latest \trowd ... \cellx
        self.row = Row()
        self.rows: list[Row] = []
        self.skip_chars = 0  # characters standing in for the last \u

    def read(self) -> list[str]:
        state = _State()
        stack: list[_State] = []
        pos, data = 0, self.data
        while pos < len(data):
            m = _TOKEN.match(data, pos)
            if m is None:  # a lone "\" at the end
                break
            pos = m.end()
            word, param, byte, symbol, brace, text = m.groups()
            if brace == b"{":
                if len(stack) >= MAX_DEPTH:
                    raise DocumentError(self.display, f"tệp .rtf lồng quá {MAX_DEPTH} cấp nhóm")
                stack.append(state)
                state = replace(state, star=False, fresh=True, note=None)
                self.skip_chars = 0
                continue
            if brace == b"}":
                if state.note is not None:
                    self._end_note(state.note)
                if not stack:
                    break
                state = stack.pop()
                self.skip_chars = 0
                continue
            if word is not None:
                name = word.decode()
                if name == "bin" and param:  # raw bytes follow; they may hold braces
                    pos += max(int(param), 0)
                elif state.fresh and name == "fonttbl":
                    pos = self._font_table(pos)
                    state = stack.pop() if stack else state
                    continue
                elif state.fresh and (name in _SKIP or (state.star and name not in _KEEP_STARRED)):
                    state.skip = True
                elif not state.skip:
                    self._word(name, int(param) if param else None, state)
            elif symbol == b"*":
                state.star = True
                continue
            elif state.skip:
                pass
            elif symbol is not None:
                sym = symbol.decode("latin-1")
                if sym in "\r\n":  # "\" before a line end is \par
                    self._word("par", None, state)
                else:
                    self._emit(_CONTROL_SYMBOLS.get(sym, ""), state, None)
            elif byte is not None or text is not None:
                raw = bytes([int(byte, 16)]) if byte is not None else text
                if self.skip_chars:
                    dropped = min(self.skip_chars, len(raw))
                    raw, self.skip_chars = raw[dropped:], self.skip_chars - dropped
                if raw:
                    self._emit_bytes(raw, state)
            state.fresh = False
        self._paragraph(False)
        self._flush_table()
        return self.lines + [f"[{n}] {note}" for n, note in enumerate(self.notes, 1) if note]

    def _font_table(self, pos: int) -> int:
        """Reads ``{\\fonttbl ...}`` from ``pos``: each font's code page and legacy-font
        converter. Returns the position after the table's closing brace."""
        depth, number, charset, name = 1, None, 0, []
        while pos < len(self.data) and depth:
            m = _TOKEN.match(self.data, pos)
            if m is None:
                break
            pos = m.end()
            word, param, _, symbol, brace, text = m.groups()
            if brace:
                depth += 1 if brace == b"{" else -1
                if depth <= 2 and number is not None and brace == b"}":
                    self._add_font(number, charset, b"".join(name))
                    number, charset, name = None, 0, []
            elif word == b"f" and param is not None and depth <= 2:
                number, charset, name = int(param), 0, []
            elif word == b"fcharset" and param is not None:
                charset = int(param)
            elif text is not None and depth <= 2 and symbol is None:
                name.append(text)
                if b";" in text and number is not None:
                    self._add_font(number, charset, b"".join(name))
                    number, charset, name = None, 0, []
        return pos

    def _add_font(self, number: int, charset: int, name: bytes) -> None:
        family = name.split(b";")[0].decode("latin-1").strip()
        self.fonts[number] = (_CHARSETS.get(charset, ""), legacy_font(family), charset == 2)

    def _word(self, name: str, param: int | None, state: _State) -> None:
        self.skip_chars = 0
        if name == "ansicpg" and param:
            self.codepage = f"cp{param}"
        elif name == "deff":
            self.default_font = state.font = param
        elif name == "f":
            state.font = param
        elif name == "plain":
            state.font, state.hidden = self.default_font, False
        elif name == "uc" and param is not None:
            state.uc = max(param, 0)
        elif name == "u" and param is not None:
            # A legacy font's characters come as \u too ("U\u251?" is .VnTime "Uû").
            self._emit(chr(param % 65536), state, self._font(state)[1])
            self.skip_chars = state.uc
        elif name in ("listtext", "pntext"):  # a list label as the writer shows it
            state.label = True
        elif name in ("v", "webhidden", "deleted"):  # hidden text, a tracked deletion
            state.hidden = param != 0
        elif name == "shptxt":  # a text box's paragraphs start a line
            self._emit("\n", state, None)
        elif name == "footnote":
            state.note, self.pieces = self.pieces, []
            self.in_note += 1
        elif name == "pard":
            state.in_table = False
        elif name == "intbl":
            state.in_table = True
        elif name in ("par", "sect", "page"):
            if self.in_note:
                self._emit(" ", state, None)
            else:
                self._paragraph(state.in_table)
        elif name == "cell" and not self.in_note:
            self._paragraph(True)
            self.row.cells.append(self.cell)
            self.cell = []
        elif name in ("nestcell", "nestrow"):
            self._emit(" ", state, None)
        elif name == "row" and not self.in_note:
            self._end_row()
        elif name == "trowd":
            self.definition = Row()
        elif name == "trhdr":
            self.definition.header = True
        elif name in ("clvmrg", "clmrg"):
            self.definition.merged.append("down" if name == "clvmrg" else "left")
        elif name == "cellx" and param is not None:
            if len(self.definition.merged) <= len(self.definition.edges):
                self.definition.merged.append("")
            self.definition.edges.append(param)
        elif name in _SYMBOLS:
            self._emit(_SYMBOLS[name], state, None)

    # text --------------------------------------------------------------------------------

    def _font(self, state: _State) -> tuple[str, Callable[[str], str] | None, bool]:
        """(code page, legacy-font converter, a symbol font) of the current font."""
        return self.fonts.get(state.font, ("", None, False))

    def _emit_bytes(self, raw: bytes, state: _State) -> None:
        page, convert, _ = self._font(state)
        self._emit(raw.decode(page or self.codepage, errors="replace"), state, convert)

    def _emit(self, text: str, state: _State, convert: Callable[[str], str] | None) -> None:
        if not text or state.hidden:
            return
        if state.label and len(text.strip()) == 1:
            mark = text.strip()
            if self._font(state)[2] or not (mark.isalnum() or mark in ".)"):
                text, convert = text.replace(mark, bullet(mark, 0)), None  # a list's bullet
        self.pieces.append((text, convert))

    def _text(self) -> str:
        """The pieces gathered so far as text."""
        text, self.pieces = join_runs(self.pieces), []
        return text

    def _end_note(self, outer: list) -> None:
        note = squash(self._text())
        self.pieces = outer
        self.in_note -= 1
        self.notes.append(note)

    def _paragraph(self, in_table: bool) -> None:
        text = self._text()
        if in_table:
            self.cell.append(text)
            return
        if self.rows or self.row.cells or self.cell:
            self._end_row()
            self._flush_table()
        self.lines.extend(text.split("\n"))

    # tables ------------------------------------------------------------------------------

    def _end_row(self) -> None:
        if self.cell:
            self.row.cells.append(self.cell)
            self.cell = []
        # Cells past the row's definition that hold nothing are a writer's leftovers.
        while len(self.row.cells) > len(self.definition.edges) and not any(self.row.cells[-1]):
            self.row.cells.pop()
        if self.row.cells:
            self.row.edges = list(self.definition.edges)
            self.row.merged = list(self.definition.merged)
            self.row.header = self.definition.header
            self.rows.append(self.row)
        self.row = Row()

    def _flush_table(self) -> None:
        rows, self.rows = self.rows, []
        self.lines.extend(table_lines(rows))
