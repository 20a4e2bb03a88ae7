"""Word 97–2003 .doc, read from its binary streams ([MS-DOC]) when LibreOffice is not
installed: the text through the piece table, paragraphs and table cells from their marks
and properties, rows laid on the grid of their cell edges (merged cells resolved), list
numbers rebuilt from the list tables, field codes dropped (their results kept), footnotes
and text boxes after the body. Text typed in TCVN3 or VNI fonts is repaired as plain text
is (``finish``)."""

from __future__ import annotations

import io
import struct
import sys
from array import array
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from ..errors import DocumentError
from .docx import CONTENTS_TITLE, legacy_font
from .edges import Row, table_lines
from .legacy import join_runs
from .numbering import MAX_LEVEL, MAX_LIST_NUMBER, ListNumbering

_BROKEN = "tệp .doc bị hỏng hoặc không đầy đủ"
_NOT_WORD = "tệp không phải văn bản Word (.doc)"
_WORD_IDENT = 0xA5EC
_WORD97 = 0x00C0  # the file format version (nFib) of Word 97 and every later version
# FibRgFcLcb97 entries (fc, lcb pairs) this reader uses.
_PLCFFND_TXT, _PLCF_BTE_CHPX, _PLCF_BTE_PAPX, _STTBF_FFN = 3, 12, 13, 15
_CLX, _PLF_LST, _PLF_LFO = 33, 73, 74
# Character properties: deleted with changes tracked; the font (an index into SttbfFfn).
_DELETED, _FONT = 0x0800, 0x4A4F
# Paragraph properties (sprms) that say where a paragraph stands.
_IN_TABLE, _TTP, _ILVL, _ILFO, _TABLE_HEADER, _DEF_TABLE, _HUGE_PAPX = (
    0x2416, 0x2417, 0x260A, 0x460B, 0x3404, 0xD608, 0x6646,
)  # fmt: skip
_NFC = {0: "decimal", 1: "upperRoman", 2: "lowerRoman", 3: "upperLetter", 4: "lowerLetter",
        22: "decimalZero", 23: "bullet", 255: "none"}  # fmt: skip
# Characters of the text stream: marks a reader never sees, and those shown otherwise.
_SHOWN = {"\t": " ", "\x0b": "\n", "\x1e": "-", "\xa0": " ", "\x0e": " "}
_FIELD_BEGIN, _FIELD_SEPARATOR, _FIELD_END = "\x13", "\x14", "\x15"
_CELL_MARK, _PARAGRAPH_MARK, _SECTION_MARK = "\x07", "\r", "\x0c"


def read_doc(data: bytes, display: str) -> list[str]:
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            if not ole.exists("WordDocument"):
                raise DocumentError(display, _NOT_WORD)
            word = ole.openstream("WordDocument").read()
            fib = _Fib(word, display)
            if not ole.exists(fib.table_stream):
                raise DocumentError(display, _BROKEN)
            table = ole.openstream(fib.table_stream).read()
            extra = ole.openstream("Data").read() if ole.exists("Data") else b""
    except DocumentError:
        raise
    except (OSError, ValueError, struct.error, IndexError) as exc:  # not OLE, truncated
        raise DocumentError(display, _BROKEN) from exc
    try:
        return _DocReader(word, table, extra, fib).read()
    except (struct.error, IndexError, ValueError) as exc:
        raise DocumentError(display, f"{_BROKEN} ({type(exc).__name__})") from exc


class _Fib:
    """The file information block: where each structure is, how long each story is."""

    def __init__(self, word: bytes, display: str) -> None:
        if len(word) < 0x200 or struct.unpack_from("<H", word, 0)[0] != _WORD_IDENT:
            raise DocumentError(display, _NOT_WORD)
        self._word_bytes = word
        if struct.unpack_from("<H", word, 2)[0] < _WORD97:
            raise DocumentError(
                display, "tệp .doc của Word 6/95 chưa được hỗ trợ; hãy lưu lại thành .docx"
            )
        flags = struct.unpack_from("<H", word, 0x0A)[0]
        if flags & 0x0100:
            raise DocumentError(display, "tệp .doc có mật khẩu; hãy mở khóa rồi lưu lại")
        self.table_stream = "1Table" if flags & 0x0200 else "0Table"
        csw = struct.unpack_from("<H", word, 32)[0]
        pos = 34 + 2 * csw
        cslw = struct.unpack_from("<H", word, pos)[0]
        self._lw = pos + 2
        pos = self._lw + 4 * cslw
        self._count = struct.unpack_from("<H", word, pos)[0]
        self._fclcb = pos + 2
        # Story lengths in characters: body, footnotes, headers, (reserved), comments,
        # endnotes, text boxes.
        self.ccp = [self._long(i) for i in range(3, 10)]

    def _long(self, index: int) -> int:
        return struct.unpack_from("<i", self._word_bytes, self._lw + 4 * index)[0]

    def place(self, index: int) -> tuple[int, int]:
        """(offset, length) of FibRgFcLcb entry ``index`` in the table stream."""
        if index >= self._count:
            return 0, 0
        return struct.unpack_from("<II", self._word_bytes, self._fclcb + 8 * index)


@dataclass
class _Paragraph:
    in_table: bool = False
    ttp: bool = False  # the mark ending a table row
    header: bool = False
    ilfo: int = 0
    ilvl: int = 0
    edges: tuple[int, ...] = ()
    merged: tuple[str, ...] = ()


class _DocReader:
    def __init__(self, word: bytes, table: bytes, extra: bytes, fib: _Fib) -> None:
        self.word, self.table, self.extra, self.fib = word, table, extra, fib
        self.pieces = self._pieces()  # (first cp, last cp + 1, fc, compressed)
        self.starts = [p[0] for p in self.pieces]
        self.runs = self._paragraph_runs()  # (first fc, last fc + 1, properties)
        self.run_starts = [r[0] for r in self.runs]
        self.numbering = self._lists()
        # Character runs that matter: (first fc, last fc + 1, deleted, legacy-font converter).
        self.chars = self._character_runs()
        self.char_starts = [r[0] for r in self.chars]

    def read(self) -> list[str]:
        body, notes, _, _, _, _, boxes = self.fib.ccp
        lines = self._story(0, body)
        start = body + notes + sum(self.fib.ccp[2:6])
        lines += self._story(start, start + boxes) if boxes > 0 else []
        return lines + self._footnotes(body, notes)

    # the text ----------------------------------------------------------------------------

    def _pieces(self) -> list[tuple[int, int, int, bool]]:
        offset, length = self.fib.place(_CLX)
        clx = self.table[offset : offset + length]
        i = 0
        while i < len(clx) and clx[i] == 0x01:  # Prc: formatting of fast-saved pieces
            i += 3 + struct.unpack_from("<h", clx, i + 1)[0]
        if i >= len(clx) or clx[i] != 0x02:
            raise ValueError("no piece table")
        size = struct.unpack_from("<I", clx, i + 1)[0]
        plc = clx[i + 5 : i + 5 + size]
        n = (len(plc) - 4) // 12
        cps = struct.unpack_from(f"<{n + 1}I", plc, 0)
        pieces = []
        for k in range(n):
            fc = struct.unpack_from("<I", plc, 4 * (n + 1) + 8 * k + 2)[0]
            compressed = bool(fc & 0x40000000)
            fc = (fc & 0x3FFFFFFF) // 2 if compressed else fc
            pieces.append((cps[k], cps[k + 1], fc, compressed))
        return pieces

    def _chars(self, start: int, end: int) -> str:
        out = []
        for first, last, fc, compressed in self.pieces:
            lo, hi = max(first, start), min(last, end)
            if lo >= hi:
                continue
            if compressed:
                raw = self.word[fc + lo - first : fc + hi - first]
                out.append(raw.decode("cp1252", errors="replace"))
            else:
                # One character per UTF-16 unit, so offsets stay character positions; a
                # surrogate pair is joined when its paragraph is (``join_runs``).
                units = array("H", self.word[fc + 2 * (lo - first) : fc + 2 * (hi - first)])
                if sys.byteorder == "big":
                    units.byteswap()
                out.append("".join(map(chr, units)))
        return "".join(out)

    def _fc(self, cp: int) -> int | None:
        k = bisect_right(self.starts, cp) - 1
        if k < 0:
            return None
        first, last, fc, compressed = self.pieces[k]
        return fc + (cp - first) * (1 if compressed else 2) if cp < last else None

    def _story(self, start: int, end: int) -> list[str]:
        """One story's lines: paragraphs, and tables as their rows."""
        lines: list[str] = []
        rows: list[Row] = []
        row = Row()
        cell: list[str] = []
        text: list[tuple[str, Callable[[str], str] | None]] = []
        # Per open field: [in its code (before the separator), the code so far]. A table
        # of contents (a "TOC" field's result) is left out: it repeats the headings.
        fields: list[list] = []
        for offset, ch in enumerate(self._chars(start, end)):
            in_code = any(f[0] for f in fields)
            if ch == _FIELD_BEGIN:
                fields.append([True, ""])
            elif ch == _FIELD_SEPARATOR and fields:
                fields[-1][0] = False
                contents = fields[-1][1].lstrip().upper().startswith("TOC")
                if contents and lines and CONTENTS_TITLE.match(lines[-1].strip()):
                    lines.pop()  # "MỤC LỤC" above the table of contents
            elif ch == _FIELD_END and fields:
                fields.pop()
            elif in_code:
                fields[-1][1] += ch  # a field's code ("PAGE", "HYPERLINK ..."), not its result
            elif any(f[1].lstrip().upper().startswith("TOC") for f in fields):
                text = []  # inside a table of contents
            elif ch in (_PARAGRAPH_MARK, _CELL_MARK, _SECTION_MARK):
                props = self._properties(start + offset) if ch != _SECTION_MARK else None
                paragraph = self._label(props) + join_runs(text)
                text = []
                if props is not None and ch == _CELL_MARK and props.ttp:
                    row.edges, row.merged = list(props.edges), list(props.merged)
                    row.header = props.header
                    rows.append(row)
                    row = Row()
                elif ch == _CELL_MARK:
                    cell.append(paragraph)
                    row.cells.append(cell)
                    cell = []
                elif props is not None and props.in_table:
                    cell.append(paragraph)
                else:
                    lines.extend(table_lines(rows))
                    rows = []
                    lines.extend(paragraph.split("\n"))
            elif ch in _SHOWN or ch >= " ":
                deleted, convert = self._character(start + offset) if self.chars else (False, None)
                if not deleted:
                    text.append((_SHOWN.get(ch, ch), convert))
        return lines + table_lines(rows) + [join_runs(text)]

    def _footnotes(self, body: int, length: int) -> list[str]:
        offset, size = self.fib.place(_PLCFFND_TXT)
        if length <= 0 or size < 8:
            return []
        n = (size - 4) // 4
        cps = struct.unpack_from(f"<{n}I", self.table, offset)
        out = []
        for k in range(n - 1):
            lines = self._story(body + cps[k], body + min(cps[k + 1], length))
            text = " ".join(" ".join(lines).split())
            if text:
                out.append(f"[{len(out) + 1}] {text}")
        return out

    # paragraph properties ----------------------------------------------------------------

    def _paragraph_runs(self) -> list[tuple[int, int, _Paragraph]]:
        runs = []
        for page, crun in self._fkps(_PLCF_BTE_PAPX):
            fcs = struct.unpack_from(f"<{crun + 1}I", page, 0)
            for k in range(crun):
                bx = page[4 * (crun + 1) + 13 * k]
                props = _Paragraph()
                if bx:
                    o = 2 * bx
                    cb = page[o]
                    grpprl = (
                        page[o + 2 : o + 2 + 2 * page[o + 1]]
                        if cb == 0
                        else page[o + 1 : o + 2 * cb]
                    )
                    props = _paragraph(grpprl[2:], self.extra)  # after the style index
                runs.append((fcs[k], fcs[k + 1], props))
        runs.sort(key=lambda r: r[0])
        return runs

    def _fkps(self, index: int):
        """The formatting pages (FKPs) of a bin table: (page, its run count) each."""
        offset, size = self.fib.place(index)
        n = (size - 4) // 8
        if n <= 0:
            return
        for pn in struct.unpack_from(f"<{n}I", self.table, offset + 4 * (n + 1)):
            page = self.word[pn * 512 : pn * 512 + 512]
            if len(page) == 512:
                yield page, page[511]

    def _character_runs(self) -> list[tuple[int, int, bool, Callable[[str], str] | None]]:
        fonts = self._font_names()
        runs = []
        for page, crun in self._fkps(_PLCF_BTE_CHPX):
            fcs = struct.unpack_from(f"<{crun + 1}I", page, 0)
            for k in range(crun):
                o = 2 * page[4 * (crun + 1) + k]
                deleted, convert = False, None
                for sprm, operand in _sprms(page[o + 1 : o + 1 + page[o]] if o else b""):
                    if sprm == _DELETED:
                        deleted = operand[:1] == b"\x01"
                    elif sprm == _FONT and len(operand) == 2:
                        ftc = struct.unpack_from("<H", operand, 0)[0]
                        convert = legacy_font(fonts[ftc]) if ftc < len(fonts) else None
                if deleted or convert:
                    runs.append((fcs[k], fcs[k + 1], deleted, convert))
        return sorted(runs, key=lambda r: r[0])

    def _font_names(self) -> list[str]:
        """SttbfFfn: the document's fonts, by index."""
        offset, size = self.fib.place(_STTBF_FFN)
        data = self.table[offset : offset + size]
        if len(data) < 4:
            return []
        count, extra = struct.unpack_from("<HH", data, 0)
        names, pos = [], 4
        for _ in range(count):
            if pos >= len(data):
                break
            ffn = data[pos + 1 : pos + 1 + data[pos]]
            names.append(ffn[39:].decode("utf-16-le", errors="replace").split("\x00")[0])
            pos += 1 + data[pos] + extra
        return names

    def _character(self, cp: int) -> tuple[bool, Callable[[str], str] | None]:
        """(deleted, legacy-font converter) of the character at ``cp``."""
        fc = self._fc(cp)
        k = bisect_right(self.char_starts, fc) - 1 if fc is not None else -1
        if k < 0 or fc >= self.chars[k][1]:
            return False, None
        return self.chars[k][2], self.chars[k][3]

    def _properties(self, cp: int) -> _Paragraph | None:
        fc = self._fc(cp)
        if fc is None:
            return None
        k = bisect_right(self.run_starts, fc) - 1
        if k < 0 or fc >= self.runs[k][1]:
            return None
        return self.runs[k][2]

    # lists -------------------------------------------------------------------------------

    def _lists(self) -> ListNumbering:
        numbering = ListNumbering()
        offset, size = self.fib.place(_PLF_LST)
        if size < 2:
            return numbering
        # The lists' levels (LVLs) follow the PlfLst in the table stream, past its length.
        data = self.table[offset:]
        count = max(0, min(struct.unpack_from("<h", data, 0)[0], (size - 2) // 28))
        pos = 2 + 28 * count
        for k in range(count):
            lsid = struct.unpack_from("<i", data, 2 + 28 * k)[0]
            simple = data[2 + 28 * k + 26] & 0x01
            levels = {}
            for ilvl in range(1 if simple else MAX_LEVEL + 1):
                start, nfc, flags = struct.unpack_from("<iBB", data, pos)
                chpx, papx = data[pos + 24], data[pos + 25]
                pos += 28 + chpx + papx
                cch = struct.unpack_from("<H", data, pos)[0]
                xst = data[pos + 2 : pos + 2 + 2 * cch].decode("utf-16-le", errors="replace")
                pos += 2 + 2 * cch
                levels[ilvl] = {
                    "start": min(max(start, 0), MAX_LIST_NUMBER),
                    "fmt": _NFC.get(nfc, "decimal"),
                    # Placeholders are the characters 0..8, each a level's number.
                    "text": "".join(f"%{ord(c) + 1}" if ord(c) <= MAX_LEVEL else c for c in xst),
                    "legal": bool(flags & 0x04),
                    "style": None,
                }
            numbering.levels[str(lsid)] = levels
        offset, size = self.fib.place(_PLF_LFO)
        if size >= 4:
            lfos = struct.unpack_from("<i", self.table, offset)[0]
            for k in range(max(0, min(lfos, (size - 4) // 16))):
                lsid = struct.unpack_from("<i", self.table, offset + 4 + 16 * k)[0]
                numbering.nums[str(k + 1)] = (str(lsid), {})
        return numbering

    def _label(self, props: _Paragraph | None) -> str:
        if props is None or props.ilfo <= 0:
            return ""
        label = self.numbering.label(str(props.ilfo), min(props.ilvl, MAX_LEVEL))
        return f"{label} " if label else ""


def _paragraph(grpprl: bytes, extra: bytes) -> _Paragraph:
    """A paragraph's properties from its sprms (those this reader needs); a property list
    too long for its page is in the Data stream (``extra``)."""
    props = _Paragraph()
    sprms = list(_sprms(grpprl))
    for sprm, operand in sprms:
        if sprm == _HUGE_PAPX and len(operand) == 4:
            at = struct.unpack_from("<I", operand, 0)[0]
            size = struct.unpack_from("<H", extra, at)[0] if at + 2 <= len(extra) else 0
            sprms += list(_sprms(extra[at + 2 : at + 2 + size]))
    for sprm, operand in sprms:
        if sprm == _IN_TABLE:
            props.in_table = bool(operand[0])
        elif sprm == _TTP:
            props.ttp = bool(operand[0])
        elif sprm == _TABLE_HEADER:
            props.header = bool(operand[0])
        elif sprm == _ILVL:
            props.ilvl = operand[0]
        elif sprm == _ILFO:
            props.ilfo = struct.unpack_from("<h", operand, 0)[0]
        elif sprm == _DEF_TABLE and operand:
            cells = operand[0]
            centers = struct.unpack_from(f"<{cells + 1}h", operand, 1)
            props.edges = centers[1:]
            merged = []
            for i in range(cells):
                at = 1 + 2 * (cells + 1) + 20 * i
                flags = struct.unpack_from("<H", operand, at)[0] if at + 2 <= len(operand) else 0
                if flags & 0x0020 and not flags & 0x0040:  # fVertMerge, not fVertRestart
                    merged.append("down")
                elif flags & 0x0002:  # fMerged: the cells after a horizontally merged one
                    merged.append("left")
                else:
                    merged.append("")
            props.merged = tuple(merged)
    return props


_SIZES = {0: 1, 1: 1, 2: 2, 3: 4, 4: 2, 5: 2, 7: 3}


def _sprms(grpprl: bytes):
    """(sprm, operand) pairs of a property list."""
    i = 0
    while i + 2 <= len(grpprl):
        sprm = struct.unpack_from("<H", grpprl, i)[0]
        i += 2
        size = _SIZES.get(sprm >> 13)
        if size is None:  # variable length
            if sprm == _DEF_TABLE:
                size = struct.unpack_from("<H", grpprl, i)[0] - 1
                i += 2
            else:
                size = grpprl[i] if i < len(grpprl) else 0
                i += 1
        yield sprm, grpprl[i : i + size]
        i += size
