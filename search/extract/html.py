""".html pages saved from legal sites: decoded by their charset, page furniture removed,
the main content kept (trafilatura), tables as rows."""

from __future__ import annotations

import copy
import re
import unicodedata

from ..errors import DocumentError
from .common import (
    HEADER_LINES,
    MAX_REPEATED_CHARS,
    NUMBER_LINE,
    header_start,
    is_data_table,
    squash,
    tab_lines,
)
from .legacy import decode_bytes

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
# Inline formatting, which the text does not need: a header cell written "<b>ỦY BAN NHÂN
# DÂN<br>TỈNH HẬU GIANG</b><br>Số: 71/KH-UBND" is lines broken by <br> all the same.
_INLINE_TAGS = ("b", "strong", "i", "em", "u", "font", "span", "small", "big")
_BLOCK_TAGS = frozenset(("p", "div", "table", "ul", "ol", "dl", "h1", "h2", "h3", "h4", "h5",
                         "h6", "section", "article", "blockquote", "pre", "center",
                         "main"))  # fmt: skip


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


def read_mht(data: bytes, display: str) -> list[str]:
    """A web archive (.mht, Word's "Single File Web Page", a browser's .mhtml): its page,
    the first HTML part of the MIME message, read as a saved page is."""
    import email

    for part in email.message_from_bytes(data).walk():
        if part.get_content_type() == "text/html":
            page = part.get_payload(decode=True) or b""
            charset = part.get_content_charset()
            if charset:
                try:
                    page = b"\xef\xbb\xbf" + page.decode(charset).encode("utf-8")
                except (LookupError, UnicodeDecodeError):
                    pass  # a wrong declaration: the page's own, or its bytes, decide
            return read_html(page, display)
    raise DocumentError(display, "tệp .mht không chứa trang HTML")


def read_html(data: bytes, display: str) -> list[str]:
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
    _layout_tables(tree)
    _div_tables(tree)
    for table in tree.iter("table"):
        _fill_row_spans(table)
    _footnotes(tree)
    etree.strip_tags(tree, *_INLINE_TAGS)
    for anchor in list(tree.iter("a")):
        if anchor.get("href") is None:
            anchor.drop_tag()  # a link target ("<a name=loai_1>"): the extractor drops its text
    _break_paragraphs(tree)
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
                return _from_header(lines)
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


_NOTE_NUMBER = re.compile(r"^\[?(\d{1,3})\]?$")
_BACK_LINK = re.compile(r"^[\u21a9\ufe0e\ufe0f]+$")  # pandoc's "↩︎" at the end of a note


def _footnotes(tree) -> None:
    """Footnotes read as Word's are, "[1] text" after the text: a link on the page that
    marks a word with a note's number goes ("m²[1]", pandoc's "m²<sup>1</sup>"); Word's note
    keeps the number it opens with; a note found by its back-link ("↩") opens with its
    number, and pandoc's list of notes is no numbered list of the document's."""
    for anchor in list(tree.iter("a")):
        href = anchor.get("href") or ""
        if not href.startswith("#") or href == "#":  # a link within the page, to something
            continue
        text = anchor.text_content().strip()
        block = next((e for e in anchor.iterancestors() if e.tag in _BLOCK_TAGS), None)
        if _BACK_LINK.match(text):
            item = next(anchor.iterancestors("li"), None)
            _remove(anchor)
            if item is not None or block is not None:
                _label_note(block if item is None else item)
        elif (m := _NOTE_NUMBER.match(text)) and _is_note_link(anchor, text):
            if block is not None and block.text_content().lstrip().startswith(text):
                anchor.drop_tree()  # Word's note opens with its own number: "[1] text"
                block.text = f"[{m.group(1)}]{block.text or ''}"
            else:
                _remove(anchor)


def _is_note_link(anchor, text: str) -> bool:
    """A link to a note: its number bracketed ("[1]") or set as a superscript, or its target
    named as a note's ("#_ftn1", "#fn1"); not a number linked to an article ("Điều <a
    href='#dieu_5'>5</a>")."""
    if anchor.getparent() is None:
        return False
    sup = anchor.getparent().tag == "sup" or anchor.find(".//sup") is not None
    return text.startswith("[") or sup or bool(_NOTE_TARGET.match(anchor.get("href", "")))


_NOTE_TARGET = re.compile(r"#_?(?:ftn|fn|footnote|note|cite)", re.IGNORECASE)


def _label_note(note) -> None:
    """The note ``note`` opens with "[n]": its number as written ("<sup>1</sup> ..."), or
    for an item of pandoc's list of notes, its place in the list."""
    number = None
    if note.tag == "li" and note.getparent() is not None:
        number = note.getparent().index(note) + 1
        note.tag = note.getparent().tag = "div"
        note = next(note.iter("p"), note)
    first = note[0] if len(note) and not (note.text or "").strip() else None
    if first is not None and (m := _NOTE_NUMBER.match(first.text_content().strip())):
        number = m.group(1)
        _remove(first)
    if number is not None:
        note.text = f"[{number}] {(note.text or '').lstrip()}"


def _break_paragraphs(tree) -> None:
    """A block of lines broken by ``<br>`` (a portal's header column "ỦY BAN NHÂN DÂN<br>TỈNH
    HẬU GIANG<br>Số: 71/KH-UBND") as one paragraph per line: the extractor would drop the
    text before the first break."""
    from lxml import etree

    for el in list(tree.iter("div", "section", "article", "center")):
        if el.find("br") is None or any(c.tag in _BLOCK_TAGS for c in el):
            continue
        lines: list[list] = [[el.text or ""]]
        for child in list(el):
            el.remove(child)
            if child.tag == "br":
                lines.append([child.tail or ""])
            else:
                lines[-1].append(child)  # an inline element, its tail with it
        el.text = None
        for text, *inline in lines:
            p = etree.SubElement(el, "p")
            p.text = text
            p.extend(inline)


def _from_header(lines: list[str]) -> list[str]:
    """The lines from the document's header on: the page's title and frame above the
    issuing body ("ỦY BAN NHÂN DÂN / TỈNH HẬU GIANG / ------- / Số: 71/KH-UBND") are not
    the document's."""
    number = next(
        (i for i, line in enumerate(lines[:HEADER_LINES]) if NUMBER_LINE.match(line.strip())),
        None,
    )
    if number is None:
        return lines
    return lines[header_start(lines, number) :]


def _layout_tables(tree) -> None:
    """A table that lays a page out (its cells hold tables: a legal database's frame around
    a document, its sidebar and footer) made a box of its fullest cell, so the document
    reads in order; the extractor would read the inner tables after the text around them,
    the document's header last. The frame's other cells are the page's, not the document's."""
    for table in list(tree.iter("table")):
        if not table.xpath("ancestor::body"):
            continue  # inside a frame cell already dropped
        rows = table.xpath("./tr | ./*/tr")
        cells = [cell for row in rows for cell in row if cell.tag in ("td", "th")]
        if not any(cell.find(".//table") is not None for cell in cells):
            continue
        main = max(cells, key=lambda cell: len(cell.text_content()))
        for cell in cells:
            if cell is not main:
                _remove(cell)
        for el in [table, *table.xpath("./*[not(self::tr)]"), *rows, main]:
            el.tag = "div"


def _div_tables(tree) -> None:
    """A table laid out with ``<div>``s (a CSS grid or ``display: table``: a box of row
    boxes, each a few cell boxes of text) made a ``<table>``, so it is read as rows; the
    extractor would drop such cells as fragments. A cell's span is read from its class
    ("span4", "colspan-2") or its style ("grid-column: span 4")."""
    for box in list(tree.iter("div", "section")):
        rows = [child for child in box if isinstance(child.tag, str)]
        if len(rows) < 2 or any(r.tag != "div" for r in rows):
            continue
        cells = [[c for c in r if isinstance(c.tag, str)] for r in rows]
        if not all(cs and all(_is_cell(c) for c in cs) for cs in cells):
            continue
        widths = [sum(_grid_span(c) for c in cs) for cs in cells]
        if max(widths) < 3 or widths.count(max(widths)) < len(widths) / 2:
            continue
        box.tag = "table"
        box.attrib.clear()
        for row, cs in zip(rows, cells, strict=True):
            row.tag = "tr"
            row.attrib.clear()
            for cell in cs:
                span = _grid_span(cell)
                cell.tag = "td"
                cell.attrib.clear()
                if span > 1:
                    cell.set("colspan", str(span))


def _is_cell(el) -> bool:
    """A box holding text (inline elements, line breaks, paragraphs), no boxes of boxes."""
    return el.tag in ("div", "span", "p") and not any(
        d.tag in ("div", "table", "ul", "ol", "section") for d in el.iterdescendants()
    )


_SPAN_CLASS = re.compile(r"(?:^|\s)(?:col-?)?span-?(\d{1,2})(?:\s|$)")
_SPAN_STYLE = re.compile(r"grid-column\s*:\s*(?:span\s+(\d{1,2})|(\d{1,2})\s*/\s*(\d{1,2}))")


def _grid_span(cell) -> int:
    if m := _SPAN_CLASS.search(cell.get("class", "")):
        return max(1, int(m.group(1)))
    if m := _SPAN_STYLE.search(cell.get("style", "")):
        return max(1, int(m.group(1)) if m.group(1) else int(m.group(3)) - int(m.group(2)))
    return 1


def _fill_row_spans(table) -> None:
    """A body cell spanning rows (``rowspan``) copied into each row it spans, as Word's
    merged cells read: the lead agency of three tasks is named in all three rows. A header
    cell (the first row's, a ``th``) is not: a sub-header row starting empty reads as
    sub-columns of the one above."""
    rows = table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")
    pending: dict[int, tuple[object, int]] = {}  # column → (cell, rows it still spans)
    budget = MAX_REPEATED_CHARS
    for r, tr in enumerate(rows):
        col = 0
        for cell in [c for c in tr if c.tag in ("td", "th")]:
            while col in pending:
                col = _place_spanned(tr, cell, col, pending)
            span = _span(cell, "rowspan")
            header = r == 0 or cell.tag == "th" or tr.getparent().tag == "thead"
            size = len(cell.text_content())
            if span > 1 and not header and size * (span - 1) <= budget:
                budget -= size * (span - 1)
                del cell.attrib["rowspan"]
                pending[col] = (cell, min(span, len(rows)) - 1)
            col += _span(cell, "colspan")
        while pending and col <= max(pending):
            col = _place_spanned(tr, None, col, pending) if col in pending else col + 1


def _place_spanned(tr, before, col: int, pending: dict) -> int:
    """A copy of the cell spanning column ``col`` put before ``before`` (else last in
    ``tr``); returns the column after it."""
    cell, left = pending.pop(col)
    twin = copy.deepcopy(cell)
    twin.tail = None
    if before is None:
        tr.append(twin)
    else:
        before.addprevious(twin)
    if left > 1:
        pending[col] = (cell, left - 1)
    return col + _span(cell, "colspan")


def _span(cell, name: str) -> int:
    try:
        return max(1, int(cell.get(name, "1")))
    except ValueError:
        return 1


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
    return [squash(line) for line in text.splitlines() if line.strip()]


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
    rows = [[squash(_xml_text(cell)) for cell in row if cell.tag == "cell"]
            for row in table if row.tag == "row"]  # fmt: skip
    if is_data_table(rows):
        return tab_lines(rows)
    out: list[str] = []
    for row in table:
        for cell in row:
            out.extend(ln for ln in _xml_text(cell).split("\n"))
    return out
