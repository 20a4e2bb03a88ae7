"""Recover a document's structure: metadata, nested sections, appendix table rows.

The parser turns source lines into *units*: paragraphs with their section path and the
headings above them, and table rows with their table title, header and group rows.
Boilerplate (state motto, recipients, signatures, web-page leftovers) produces no unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..records import DocMeta
from ..text.normalize import clean_line, nfc
from . import tables
from .layout import (
    BULLET_STYLES,
    Marker,
    is_caption,
    is_enactment_line,
    is_person_name,
    is_recipients_start,
    is_signature_line,
    is_web_leftover,
    parse_appendix,
    parse_attached_type,
    parse_footnote,
    parse_marker,
    roman_value,
    signature_org,
)
from .metadata import HeaderInfo, build_meta, doc_reference, parse_caption, read_header

# Nesting strength of marker styles: a new marker pops every open marker weaker than it.
_RANK = {
    "chapter": 0,
    "lawsection": 1,
    "article": 2,
    "roman": 3,
    "upper": 3,
    "ordinal": 6,
    "num": 5,
    "subnum": 6,
    "paren": 7,
    "letter": 7,
    "dash": 9,
    "plus": 10,
}


@dataclass
class Unit:
    """A paragraph or a table row, before chunking."""

    kind: str  # "text" | "table_row"
    path: tuple[str, ...]
    context: tuple[str, ...]  # heading texts above the unit, outermost first
    lines: list[tuple[int, str]]  # (1-based line number, cleaned text)
    table_title: str | None = None
    header: tuple[str, ...] = ()
    cells: tuple[tuple[str, str], ...] = ()  # (header or "", value)
    appendix_ref: str | None = None
    row_name: str | None = None  # a table row's name cell, for citations

    @property
    def line_start(self) -> int:
        return self.lines[0][0]

    @property
    def line_end(self) -> int:
        return self.lines[-1][0]

    @property
    def text(self) -> str:
        return "\n".join(t for _, t in self.lines)


@dataclass
class ParsedDocument:
    meta: DocMeta
    units: list[Unit]


@dataclass
class _Open:
    style: str
    label: str
    text: str


@dataclass
class _Appendix:
    label: str
    title: str = ""
    ref: str | None = None


@dataclass
class _State:
    stack: list[_Open] = field(default_factory=list)
    appendix: _Appendix | None = None
    prev_upper: str | None = None
    prev_roman: int = 0


_MD_HEADING = re.compile(r"^\s*#{1,6}\s+")
_TERMINAL = re.compile(r"[.;:!?…”\")\]]$")


_FOOTNOTE_START = re.compile(r"^\s*(\[\d{1,3}\])\s*")


def _clean(raw: str) -> str:
    s = _MD_HEADING.sub("", raw)
    # A footnote body starts with its own mark, which must survive mark stripping.
    fn = _FOOTNOTE_START.match(s)
    if fn:
        return f"{fn.group(1)} {clean_line(s[fn.end() :])}"
    s = clean_line(s.replace("\t", " "))
    # Cells of a two-column page layout come through as "ỦY BAN NHÂN DÂN |".
    if s.endswith("|") and s.count("|") == 1:
        s = s[:-1].rstrip()
    return s


def parse_text(
    text: str, *, doc: str, sha256: str = "", sidecar: dict[str, object] | None = None
) -> ParsedDocument:
    """Parse a whole document given as text (any line endings)."""
    text = nfc(text).replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    raw_lines = text.split("\n")
    clean = [_clean(r) for r in raw_lines]
    header = read_header(clean, raw_lines)
    walker = _Walker(raw_lines, clean, header)
    walker.run()
    meta = build_meta(
        clean,
        doc=doc,
        sha256=sha256,
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
        self.units: list[Unit] = []
        self.captions: list[dict[str, str]] = []
        self.signature_orgs: list[str] = []
        self.signer: str | None = None
        self.state = _State()
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
        ctx = [_short(o.text) for o in stack]
        if self.state.appendix:
            ap = self.state.appendix
            ctx.insert(0, _short(f"{ap.label} {ap.title}".strip()))
        return tuple(ctx)

    def _flush(self) -> None:
        if self.para is not None:
            self.units.append(self.para)
        self.para = None
        self.para_closed = False

    def _push_marker(self, m: Marker, text: str) -> None:
        stack = self.state.stack
        rank = _RANK[m.style]
        same = [k for k, o in enumerate(stack) if o.style == m.style]
        if same:
            del stack[same[-1] :]
        else:
            while stack and _RANK[stack[-1].style] > rank:
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
            self.units.append(
                Unit(
                    kind="text",
                    path=(),
                    context=(),
                    lines=[(k + 1, self.clean[k]) for k in h.title_lines if self.clean[k]],
                )
            )
        i = h.body_start
        n = len(self.raw)
        mode = "body"
        while i < n:
            t = self.clean[i]
            if i in h.header_lines:
                i += 1
                continue
            if not t:
                if self.para is not None:
                    self.para_closed = True
                i += 1
                continue
            ap = parse_appendix(t)
            attached = None if ap else self._attached_at(i)
            if attached:
                self._flush()
                i = self._start_appendix(i, (attached, ""), attached=True)
                mode = "body"
                continue
            if mode == "leftover" and not ap:
                i += 1
                continue
            if ap:
                self._flush()
                i = self._start_appendix(i, ap)
                mode = "body"
                continue
            if is_web_leftover(t):
                self._flush()
                mode = "leftover"
                i += 1
                continue
            if is_recipients_start(t):
                self._flush()
                mode = "recipients"
                i += 1
                continue
            if mode == "recipients":
                if t[:1] in "-+–}•" or t.startswith("Lưu"):
                    i += 1
                    continue
                mode = "body"
            if is_signature_line(t) or t.strip() == "|":
                self._flush()
                if org := signature_org(t):
                    self.signature_orgs.append(org)
                mode = "signature"
                i += 1
                continue
            if mode == "signature":
                if is_person_name(t):
                    self.signer = self.signer or t.strip(" *|")
                    i += 1
                    continue
                # Whatever follows a signature (notes, annexes) is outside the body sections.
                self.state.stack.clear()
                mode = "body"
            if is_enactment_line(t):
                self._flush()
                self.state.stack.clear()
            table_end = self._maybe_table(i)
            if table_end is not None:
                i = table_end
                continue
            fn = parse_footnote(t)
            if fn:
                self._flush()
                self.units.append(
                    Unit(kind="text", path=("Chú thích",), context=(), lines=[(i + 1, t)])
                )
                i += 1
                continue
            self._line(i, t)
            i += 1
        self._flush()

    def _line(self, i: int, t: str) -> None:
        if self._heading_title(i, t):
            return
        m = parse_marker(t, prev_upper=self.state.prev_upper, prev_roman=self.state.prev_roman)
        if m is not None:
            self._flush()
            self._push_marker(m, t)
            self.para = Unit(
                kind="text", path=self._path(), context=self._context(True), lines=[(i + 1, t)]
            )
            return
        if self.para is not None:
            last = self.para.lines[-1][1]
            continues = not _TERMINAL.search(last) and t[:1].islower()
            if continues:
                # A sentence broken across a page break: one paragraph.
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
            or not _is_caps(t)
            or len(t) > 200
        ):
            return False
        para.lines.append((i + 1, t))
        stack[-1].text = f"{stack[-1].text} {t}"
        return True

    # -- appendices and tables -----------------------------------------------------------
    def _attached_at(self, i: int) -> str | None:
        """The type of a document issued with this one starting at line ``i``: a bare
        ``QUY ĐỊNH`` heading with a "(Ban hành kèm theo ...)" caption in the next lines."""
        kind = parse_attached_type(self.clean[i])
        if kind is None:
            return None
        following = [t for t in self.clean[i + 1 : i + 8] if t][:4]
        return kind if any(is_caption(t) for t in following) else None

    def _start_appendix(self, i: int, ap: tuple[str, str], *, attached: bool = False) -> int:
        label, rest = ap
        appendix = _Appendix(label=label if attached else _appendix_label(label))
        title = [rest] if rest else []
        j = i + 1
        while j < len(self.raw):
            t = self.clean[j]
            if not t:
                j += 1
                continue
            if is_caption(t):
                cap = parse_caption(t)
                if cap:
                    self.captions.append(cap)
                    appendix.ref = doc_reference(
                        cap.get("doc_type"), cap.get("number"), cap.get("date"), cap.get("issuer")
                    )
                j += 1
                continue
            if t.lower().startswith("đơn vị") and len(t) < 60:
                title.append(f"({t.rstrip('.')})")
                j += 1
                continue
            if (
                len(title) < 3
                and not tables.is_tab_row(self.raw[j])
                and not tables.is_pipe_row(self.raw[j])
                and not tables.is_cell_table_start(t)
                and not parse_marker(t)
                and len(t) < 300
                and (not title or not any(is_caption(self.clean[k]) for k in range(i, j)))
            ):
                title.append(t)
                j += 1
                continue
            break
        appendix.title = " ".join(title)
        if attached and title:
            # "Quy định quản lý bến thủy nội địa ...": the name it is cited by.
            name = appendix.title
            name = name.lower() if _is_caps(name) else name[:1].lower() + name[1:]
            appendix.label = _short(f"{label} {name}", 150)
            appendix.title = ""
        self.state = _State(appendix=appendix)
        return j

    def _maybe_table(self, i: int) -> int | None:
        raw, t = self.raw[i], self.clean[i]
        if tables.is_tab_row(raw):
            table = tables.parse_split_table(self._raw_from(0), i, sep="\t")
        elif tables.is_pipe_row(raw) and self._next_nonblank_is(i, tables.is_pipe_row):
            table = tables.parse_split_table(self._raw_from(0), i, sep="|")
        elif tables.is_cell_table_start(t):
            table = tables.parse_cell_table(self._clean_from(0), i, self._table_stop)
        else:
            return None
        self._flush()
        self._emit_table(table, i)
        return max(table.end, i + 1)

    def _raw_from(self, _start: int) -> list[tuple[int, str]]:
        return [(k + 1, r) for k, r in enumerate(self.raw)]

    def _clean_from(self, _start: int) -> list[tuple[int, str]]:
        return [(k + 1, c) for k, c in enumerate(self.clean)]

    def _next_nonblank_is(self, i: int, pred) -> bool:
        for k in range(i + 1, min(i + 4, len(self.raw))):
            if self.raw[k].strip():
                return pred(self.raw[k])
        return False

    @staticmethod
    def _table_stop(t: str) -> bool:
        return bool(
            parse_appendix(t) or parse_footnote(t) or is_web_leftover(t) or is_recipients_start(t)
        )

    def _emit_table(self, table: tables.Table, start: int) -> None:
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
        header = tuple(h for h in table.header)
        groups: list[tuple[str, str, str]] = []  # (kind, label, title)
        parent_row: tables.Row | None = None
        for row in table.rows:
            if row.label:
                kind = tables._index_kind(row.label)
            elif any(tables._TOTAL.match(v) for _, v in row.cells):
                kind = "total"
            else:
                kind = "plain"
            if row.is_group:
                gtitle = row.cells[0][1] if row.cells else ""
                gkind = kind if kind != "total" else "star"
                same = [k for k, g in enumerate(groups) if g[0] == gkind]
                if same:
                    del groups[same[0] :]
                groups.append((gkind, row.label, gtitle))
                parent_row = None
                continue
            if not row.cells:
                continue
            labels = [g[1] for g in groups if g[1] and g[1] not in {"*"}]
            ctx = list(base_ctx) + [_short(f"{g[1]} {g[2]}".strip()) for g in groups]
            if kind == "bullet" and parent_row is not None:
                labels.append(parent_row.label)
                ctx.append(_short(f"{parent_row.label}. {parent_row.cells[0][1]}"))
            if kind == "total":
                labels.append("Tổng số")
            elif kind != "plain" and (kind != "bullet" or parent_row is None):
                labels.append(row.label)
            if kind == "num":
                parent_row = row
            cells = tuple(
                (h, v)
                for h, (_, v) in zip(row.header or [""] * len(row.cells), row.cells, strict=False)
            )
            name = row.cells[0][1]
            lines = (
                sorted({(n, v) for n, v in row.cells})
                if table_is_multiline(row)
                else [(row.line_start, " | ".join(v for _, v in row.cells))]
            )
            self.units.append(
                Unit(
                    kind="table_row",
                    path=base_path + tuple(labels),
                    context=tuple(ctx),
                    lines=lines,
                    table_title=title,
                    header=header,
                    cells=cells,
                    appendix_ref=ap.ref if ap else None,
                    row_name=name,
                )
            )


def _is_caps(t: str) -> bool:
    letters = [c for c in t if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def table_is_multiline(row: tables.Row) -> bool:
    return row.line_start != row.line_end


def _appendix_label(label: str) -> str:
    ident = label.removeprefix("Phụ lục").strip()
    return f"Phụ lục {ident}".strip()


def _short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
