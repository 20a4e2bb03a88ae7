"""Recover a document's structure: metadata, nested sections, appendix table rows.

The parser turns source lines into *units* (units.py): paragraphs with their section path
and the headings above them, and table rows with their table title, header and group rows
(rows.py). Boilerplate (state motto, recipients, signatures, web-page furniture at the top
or bottom of a saved page) produces no unit.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field

from ..text.normalize import (
    RAISED_NUMBER,
    clean_line,
    clip,
    is_caps,
    is_page_label,
    is_rule,
    nfc,
    unraised,
)
from ..text.numerals import roman_value
from . import tables
from .appendix import Appendix, attached_type_at, read_appendix_head
from .cell_table import parse_cell_table
from .footnotes import footnote_label, footnote_lines, typed_notes
from .header import HeaderInfo, read_header
from .layout import (
    BULLET_STYLES,
    MARKER_RANK,
    TERMINAL,
    Marker,
    indent,
    is_enactment_line,
    is_motto_words,
    is_person_name,
    is_recipients_start,
    is_signature_line,
    is_web_furniture,
    margin,
    page_tail,
    parse_appendix,
    parse_marker,
    runs_on,
    signature_org,
    wrap_width,
)
from .metadata import build_meta
from .rows import table_units
from .split_table import parse_split_table
from .units import ParsedDocument, Unit


class Mode(enum.Enum):
    """What the walker is inside of."""

    BODY = "body"
    RECIPIENTS = "recipients"  # "Nơi nhận:" and its list
    SIGNATURE = "signature"  # "TM. ỦY BAN NHÂN DÂN" / "CHỦ TỊCH" / the signer's name


@dataclass
class _Open:
    style: str
    label: str
    text: str


@dataclass
class _State:
    stack: list[_Open] = field(default_factory=list)
    appendix: Appendix | None = None
    prev_upper: str | None = None
    prev_roman: int = 0


_MD_HEADING = re.compile(r"^\s*#{1,6}\s+")
# A footnote's body opens with its mark: "[2]", or its number raised ("² Quyết định ...").
_FOOTNOTE_START = re.compile(rf"^\s*(?:\[(\d{{1,3}})\]|({RAISED_NUMBER})(?=\s))\s*")
# Columns a plain text aligns with spaces: a run of five or more, or a tab.
_BESIDE = re.compile(r"\t| {5,}")


def _clean(raw: str) -> str:
    s = _MD_HEADING.sub("", raw)
    # A footnote body starts with its own mark, which must survive mark stripping.
    fn = _FOOTNOTE_START.match(s)
    if fn:
        mark = fn.group(1) or unraised(fn.group(2))
        return f"[{mark}] {clean_line(s[fn.end() :])}"
    s = clean_line(s.replace("\t", " "))
    # Cells of a two-column page layout come through as "ỦY BAN NHÂN DÂN |".
    if s.endswith("|") and s.count("|") == 1:
        s = s[:-1].rstrip()
    return s


def parse_text(
    text: str, *, doc: str, fingerprint: str = "", sidecar: dict[str, object] | None = None
) -> ParsedDocument:
    """Parse a whole document given as text (any line endings)."""
    text = nfc(text).replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    raw_lines = text.split("\n")
    clean = typed_notes([_clean(r) for r in raw_lines], raw_lines)
    header = read_header(clean, raw_lines)
    walker = _Walker(raw_lines, clean, header)
    walker.run()
    meta = build_meta(
        clean,
        doc=doc,
        fingerprint=fingerprint,
        captions=walker.captions,
        signature_orgs=walker.signature_orgs,
        signer=walker.signer,
        header=header,
        sidecar=sidecar,
    )
    return ParsedDocument(meta=meta, units=walker.units)


class _Walker:
    def __init__(self, raw: list[str], clean: list[str], header: HeaderInfo):
        self.raw = raw
        self.clean = clean
        self.header = header
        # Numbered lines for the table parsers, built once.
        self.numbered_raw = list(enumerate(raw, start=1))
        self.numbered_clean = list(enumerate(clean, start=1))
        self.tail = page_tail(clean)
        self.width = wrap_width(clean)  # 0 unless the text is hard-wrapped
        self.margin = margin(raw)
        self.units: list[Unit] = []
        self.captions: list[dict[str, str]] = []
        self.signature_orgs: list[str] = []
        self.signer: str | None = None
        self.signing_beside = False  # a signature set beside the recipients has begun
        self.listing = False  # the recipients' list has begun
        self.state = _State()
        self.mode = Mode.BODY
        self.para: Unit | None = None
        self.para_closed = False  # a blank line ended the last paragraph

    # -- helpers -------------------------------------------------------------------------
    def _path(self) -> tuple[str, ...]:
        labels = [o.label for o in self.state.stack if o.style not in BULLET_STYLES]
        if self.state.appendix:
            labels.insert(0, self.state.appendix.label)
        return tuple(labels)

    def _context(self, exclude_last: bool = False) -> tuple[str, ...]:
        stack = self.state.stack[:-1] if exclude_last else self.state.stack
        ctx = [clip(o.text, 200) for o in stack]
        if self.state.appendix:
            ap = self.state.appendix
            ctx.insert(0, clip(f"{ap.label} {ap.title}".strip(), 200))
        return tuple(ctx)

    def _flush(self) -> None:
        if self.para is not None:
            self.units.append(self.para)
        self.para = None
        self.para_closed = False

    def _push_marker(self, m: Marker, text: str) -> None:
        stack = self.state.stack
        rank = MARKER_RANK[m.style]
        same = [k for k, o in enumerate(stack) if o.style == m.style]
        if same:
            del stack[same[-1] :]
        else:
            while stack and MARKER_RANK[stack[-1].style] > rank:
                stack.pop()
        stack.append(_Open(m.style, m.label, text))
        if m.style == "upper":
            self.state.prev_upper = m.label
        elif m.style == "roman":
            self.state.prev_roman = roman_value(m.label) or 0

    # -- main loop -----------------------------------------------------------------------
    def run(self) -> None:
        h = self.header
        if h.title_lines:
            lines = [(k + 1, self.clean[k]) for k in h.title_lines if self.clean[k]]
            if h.header_lines & set(h.title_lines) and h.fields.get("title"):
                # A layout table read as one line holds the title among the header's other
                # cells: the passage is the title alone.
                lines = [(h.title_lines[0] + 1, h.fields["title"])]
            self.units.append(Unit(kind="text", path=(), context=(), lines=lines))
        i = h.body_start
        while i < self.tail:
            i = self._step(i)
        self._flush()

    def _step(self, i: int) -> int:
        """Handle the line at ``i``; the index of the next line to look at."""
        t = self.clean[i]
        if i in self.header.header_lines:
            return i + 1
        if not t:
            return self._blank(i)
        if is_page_label(t):
            return i + 1  # a page's foot inside a paragraph copied out of a PDF
        if is_web_furniture(t) and not self.units[1:] and self.para is None:
            return i + 1  # the page's frame above the document
        if is_motto_words(t) or (is_caps(t) and is_motto_words(self._next_text(i))):
            return i + 1  # a header after the first one's signature, and the body it names
        ap = parse_appendix(t)
        if not ap and is_caps(t) and not parse_marker(t) and self._heads_attached(i):
            return i + 1  # "ỦY BAN NHÂN DÂN TỈNH CÀ MAU" above a Quy định issued with it
        attached = None if ap else attached_type_at(self.clean, i)
        if attached or ap:
            self._flush()
            self.mode = Mode.BODY
            if attached:
                return self._start_appendix(i, (attached, ""), attached=True)
            return self._start_appendix(i, ap)
        if is_recipients_start(t) or is_recipients_start(self._first_cell(i)):
            self._flush()
            self.mode = Mode.RECIPIENTS
            self.listing = True
            self._beside_recipients(i)
            return i + 1
        # A PDF read a column at a time sets the signature's lines amid the recipients
        # ("- Bộ Xây dựng;" / "TM. ỦY BAN NHÂN DÂN" / "- Bộ Tư pháp;"): the list goes on.
        listed = t[:1] in "-+–}•" or t.startswith("Lưu")
        if self.mode is Mode.SIGNATURE and self.listing and listed and not is_person_name(t):
            self.mode = Mode.RECIPIENTS
        if self.mode is Mode.RECIPIENTS:
            # A recipient wrapped to the next line ("- Các ban, đảng đoàn, ban cán sự" /
            # "đảng, các đảng bộ trực thuộc,") is still the list.
            previous = self._first_cell(i - 1)
            wrapped = bool(previous) and not TERMINAL.search(previous)
            wrapped = wrapped and not (is_person_name(t) or is_signature_line(t))
            if listed or wrapped:
                self._beside_recipients(i)
                return i + 1
            # The signature set beside the recipients goes on below them ("Trần Quốc Bảo"),
            # as does a signer's name alone after the list (a PDF copied line by line).
            beside = self.signing_beside or is_person_name(t)
            self.mode = Mode.SIGNATURE if beside else Mode.BODY
        if is_signature_line(t) or t.strip() == "|":
            self._flush()
            if org := signature_org(t):
                self.signature_orgs.append(org)
            self.mode = Mode.SIGNATURE
            return i + 1
        if self.mode is Mode.SIGNATURE:
            if is_person_name(t):
                self.signer = self.signer or t.strip(" *|")
                return i + 1
            # Whatever follows a signature (notes, annexes) is outside the body sections.
            self.state.stack.clear()
            self.mode = Mode.BODY
        if is_enactment_line(t):
            self._flush()
            self.state.stack.clear()
        table_end = self._maybe_table(i)
        if table_end is not None:
            return table_end
        if is_rule(t):
            # A rule ("_____", "-----", "***") says nothing: a blank line (tables read above).
            return self._blank(i)
        if note := footnote_label(t):
            # Each footnote is a passage of its own, cited by its mark: notes state unrelated facts.
            self._flush()
            lines = footnote_lines(self.clean, self.raw, i, self.width)
            self.units.append(Unit(kind="text", path=(note,), context=(), lines=lines))
            return lines[-1][0]
        self._line(i, t)
        return i + 1

    def _blank(self, i: int) -> int:
        """A blank line at ``i`` closes the open paragraph."""
        if self.para is not None:
            self.para_closed = True
        return i + 1

    def _line(self, i: int, t: str) -> None:
        if self._heading_title(i, t):
            return
        m = parse_marker(t, prev_upper=self.state.prev_upper, prev_roman=self.state.prev_roman)
        para = None if self.para_closed else self.para
        runs = para is not None and runs_on(para.lines[-1][1], t, self.width)
        runs = runs and not self._set_in_as(para, i)
        if m is not None and not (runs and m.style == "dash"):
            self._flush()
            self._push_marker(m, t)
            self.para = Unit(
                kind="text", path=self._path(), context=self._context(True), lines=[(i + 1, t)]
            )
            return
        if self.para is not None:
            last = self.para.lines[-1][1]
            if runs or (not TERMINAL.search(last.removesuffix(";")) and t[:1].islower()):
                # A sentence broken across a page break, or a clause going on in small
                # letters after a semicolon: one paragraph.
                self.para.lines.append((i + 1, t))
                self.para_closed = False
                return
        self._flush()
        # An unnumbered paragraph after bullet items belongs to the enclosing section.
        while self.state.stack and self.state.stack[-1].style in BULLET_STYLES:
            self.state.stack.pop()
        self.para = Unit(
            kind="text", path=self._path(), context=self._context(), lines=[(i + 1, t)]
        )

    def _set_in_as(self, para: Unit, i: int) -> bool:
        """Whether line ``i`` is set in as far as ``para``'s first line, past the margin: a
        typed text sets in each paragraph's first line, its other lines at the margin, so
        such a line opens a paragraph after a title the width ran up to ("1. Kết quả thu gom
        ... 8 tháng đầu năm 2025" / "Qua tổng hợp, đến ngày ...")."""
        first = indent(self.raw[para.lines[0][0] - 1])
        return first > self.margin and indent(self.raw[i]) == first

    def _heading_title(self, i: int, t: str) -> bool:
        """``Chương I`` / ``QUY ĐỊNH CHUNG`` on two lines are one heading."""
        para, stack = self.para, self.state.stack
        if (
            para is None
            or len(para.lines) != 1
            or not stack
            or stack[-1].style not in {"chapter", "lawsection", "roman"}
            or stack[-1].text != para.lines[0][1]
            or parse_marker(stack[-1].text) is None
            or parse_marker(stack[-1].text).rest  # type: ignore[union-attr]
            or not is_caps(t)
            or len(t) > 200
        ):
            return False
        para.lines.append((i + 1, t))
        stack[-1].text = f"{stack[-1].text} {t}"
        return True

    def _first_cell(self, i: int) -> str:
        """The left column of line ``i`` set beside another with a tab or spaces."""
        return clean_line(_BESIDE.split(self.raw[i].strip(), maxsplit=1)[0])

    def _beside_recipients(self, i: int) -> None:
        """A plain text sets the signature beside the recipients with spaces ("- Như
        trên;        PHÓ CHỦ TỊCH"): the right column is read as the signature's lines."""
        # A layout table read as one line gives the right column's lines as its cells.
        for right in map(clean_line, _BESIDE.split(self.raw[i].strip())[1:]):
            if is_signature_line(right):
                if org := signature_org(right):
                    self.signature_orgs.append(org)
                self.signing_beside = True
            elif self.signing_beside and is_person_name(right):
                self.signer = self.signer or right

    # -- appendices and tables -----------------------------------------------------------
    def _heads_attached(self, i: int) -> bool:
        """Whether the next line opens a document issued with this one (its issuer's line
        is at ``i``)."""
        k = self._next_index(i)
        return k is not None and attached_type_at(self.clean, k) is not None

    def _next_index(self, i: int) -> int | None:
        """The next non-blank line within three after ``i``."""
        return next((k for k in range(i + 1, min(i + 4, len(self.clean))) if self.clean[k]), None)

    def _next_text(self, i: int) -> str:
        """The next non-blank line after ``i`` ("" if none)."""
        k = self._next_index(i)
        return "" if k is None else self.clean[k]

    def _start_appendix(self, i: int, ap: tuple[str, str], *, attached: bool = False) -> int:
        appendix, j = read_appendix_head(self.raw, self.clean, i, *ap, attached=attached)
        self.captions.extend(appendix.captions)
        self.state = _State(appendix=appendix)
        if appendix.caption_lines:
            # The caption is a passage of its own: the line a document's number and date
            # are read from, when its header lacks them, and the one staff quote.
            self._flush()
            lines = appendix.caption_lines
            self.units.append(
                Unit(kind="text", path=self._path(), context=self._context(), lines=lines)
            )
        return j

    def _maybe_table(self, i: int) -> int | None:
        raw, t = self.raw[i], self.clean[i]
        if tables.is_tab_row(raw):
            table = parse_split_table(self.numbered_raw, i, sep="\t")
        elif tables.is_pipe_row(raw) and self._next_nonblank_is(i, tables.is_pipe_row):
            table = parse_split_table(self.numbered_raw, i, sep="|")
        elif tables.is_cell_table_start(t):
            table = parse_cell_table(self.numbered_clean, i, self._table_stop)
        else:
            return None
        self._flush()
        self._emit_table(table)
        return min(max(table.end, i + 1), max(self.tail, i + 1))

    def _next_nonblank_is(self, i: int, pred) -> bool:
        for k in range(i + 1, min(i + 4, len(self.raw))):
            if self.raw[k].strip():
                return pred(self.raw[k])
        return False

    @staticmethod
    def _table_stop(t: str) -> bool:
        return bool(
            parse_appendix(t)
            or footnote_label(t)
            or is_web_furniture(t)
            or is_recipients_start(t)
            or tables.is_note(t)
        )

    def _emit_table(self, table: tables.Table) -> None:
        ap = self.state.appendix
        if ap is not None:
            title = ap.title or None
            base_path: tuple[str, ...] = (ap.label,)
            base_ctx: tuple[str, ...] = ((f"{ap.label} {ap.title}").strip(),)
        else:
            prev = next((u for u in reversed(self.units) if u.kind == "text"), None)
            title = prev.text if prev is not None and len(prev.text) < 200 else None
            base_path = self._path()
            base_ctx = self._context()
        self.units.extend(
            table_units(
                table,
                base_path=base_path,
                base_ctx=base_ctx,
                title=title,
                appendix_ref=ap.ref if ap else None,
            )
        )
