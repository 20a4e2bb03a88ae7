""".html pages saved from legal sites: decoded by their charset, page furniture removed,
the main content kept (trafilatura), tables as rows."""

from __future__ import annotations

import re
import unicodedata

from ..errors import DocumentError
from .common import is_data_table, squash, tab_lines
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
