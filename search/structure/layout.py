"""Line-level recognisers: section markers, appendix headings, boilerplate.

Vietnamese administrative documents number their sections in many styles (``I.``, ``II-``,
``A-``, ``1.``, ``1.1.``, ``(1)``, ``a)``, ``-``, ``+``, ``Chương I``, ``Điều 5.``). This module
only says what a single line *is*; the parser decides how markers nest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text.normalize import fold, strip_markup
from ..text.numerals import roman_value
from ..text.words import CAPITAL, SMALL


@dataclass(frozen=True)
class Marker:
    """A numbered or bulleted line: ``style`` orders nesting, ``label`` names it in paths."""

    # chapter, lawsection, article, roman, upper, num, subnum, paren, letter, ordinal, dash, plus
    style: str
    label: str  # "Chương I", "Điều 5", "II", "A", "1", "1.2", "(1)", "a)", "Thứ nhất", "-", "+"
    rest: str  # the text after the marker


# Styles that never appear in a section path (they are list bullets, not addresses).
BULLET_STYLES = frozenset({"dash", "plus"})
# Nesting strength of marker styles: a new marker closes every open marker weaker than it.
MARKER_RANK = {
    "chapter": 0,
    "lawsection": 1,
    "article": 2,
    "roman": 3,
    "upper": 3,
    "num": 5,
    "ordinal": 6,
    "subnum": 6,
    "paren": 7,
    "letter": 7,
    "dash": 9,
    "plus": 10,
}

_CHAPTER = re.compile(r"^(?:Chương|CHƯƠNG)\s+([IVXLC]+|\d+)\b\.?\s*[:.\-–]?\s*(.*)$")
_LAWSECTION = re.compile(r"^(?:Mục|MỤC)\s+(\d+)\s*[.:\-–]\s*(.*)$")
_ARTICLE = re.compile(r"^(?:Điều|ĐIỀU)\s+(\d+[a-zđ]?)\s*[.:]\s*(.*)$")
_ROMAN = re.compile(r"^([IVX]{1,6})\s*[.\-–:)]\s*(\S.*)$")
_UPPER = re.compile(r"^([A-ZĐ])\s*[.\-–)]\s+(\S.*)$")
_SUBNUM = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){1,3})\.?\s+(\S.*)$")
_NUM = re.compile(r"^(\d{1,2})\s*[.\-–)]\s*(\S.*)$")
_PAREN = re.compile(r"^(?:[-–]\s*)?\((\d{1,2})\)\s*(\S.*)$")
_LETTER = re.compile(r"^([a-zđ])\)\s*(\S.*)$")
# "Thứ nhất, ..."; not a weekday before its date ("Thứ Ba, 11/11/2025", "Thứ Hai, ngày 3/11").
_ORDINAL = re.compile(
    r"^(Thứ\s+(?:nhất|hai|ba|tư|năm|sáu|bảy|tám|chín|mười))\s*[,:.]"
    r"(?!\s*(?:ngày\s+)?\d{1,2}\s*[/-]\s*\d{1,2})\s*(.*)$",
    re.IGNORECASE,
)
_DASH = re.compile(r"^[-–—•]\s*(\S.*)$")
_PLUS = re.compile(r"^\+\s*(\S.*)$")


def parse_marker(text: str, *, prev_upper: str | None = None, prev_roman: int = 0) -> Marker | None:
    """Recognise a section marker at the start of a cleaned line.

    ``prev_upper`` / ``prev_roman`` resolve "I", "V", "X": after "H-" an "I-" is a letter,
    after "IV." a "V." is a roman numeral.
    """
    if m := _CHAPTER.match(text):
        return Marker("chapter", f"Chương {m.group(1)}", m.group(2))
    if m := _ARTICLE.match(text):
        return Marker("article", f"Điều {m.group(1)}", m.group(2))
    if m := _LAWSECTION.match(text):
        return Marker("lawsection", f"Mục {m.group(1)}", m.group(2))
    if m := _ROMAN.match(text):
        label, rest = m.group(1), m.group(2)
        value = roman_value(label)
        is_letter_next = (
            len(label) == 1 and prev_upper is not None and ord(label) == ord(prev_upper) + 1
        )
        continues_roman = prev_roman > 0 and value == prev_roman + 1
        if value is not None and (continues_roman or not is_letter_next):
            return Marker("roman", label, rest)
    if m := _UPPER.match(text):
        return Marker("upper", m.group(1), m.group(2))
    if m := _SUBNUM.match(text):
        return Marker("subnum", m.group(1), m.group(2))
    if m := _NUM.match(text):
        return Marker("num", m.group(1), m.group(2))
    if m := _PAREN.match(text):
        return Marker("paren", f"({m.group(1)})", m.group(2))
    if m := _LETTER.match(text):
        return Marker("letter", f"{m.group(1)})", m.group(2))
    if m := _ORDINAL.match(text):
        return Marker("ordinal", m.group(1)[0].upper() + m.group(1)[1:].lower(), m.group(2))
    if m := _PLUS.match(text):
        return Marker("plus", "+", m.group(1))
    if m := _DASH.match(text):
        return Marker("dash", "-", m.group(1))
    return None


def unmarked(text: str) -> str:
    """``text`` without its section marker ("- ", "b) ", "2. ", "Điều 5.")."""
    marker = parse_marker(text)
    return marker.rest if marker else text


def numbered_clauses(text: str) -> frozenset[str]:
    """Labels of the numbered clauses ("1.", "2.") that start lines of ``text``."""
    out = set()
    for line in text.split("\n"):
        m = parse_marker(line)
        if m is not None and m.style == "num":
            out.add(m.label)
    return frozenset(out)


_APPENDIX = re.compile(
    r"^(?:PHỤ LỤC|Phụ lục|PHỤ LỤC SỐ|Phụ lục số)\s*(?:số\s+)?"
    r"([IVXLC]+|\d+(?:\.\d+)*|[A-Z])?\b\s*([.:\-–]?)\s*(.*)$"
)


def parse_appendix(text: str) -> tuple[str, str] | None:
    """``PHỤ LỤC 2`` / ``Phụ lục I`` heading → (label, trailing title), else None.

    A body sentence such as "Phụ lục số I phân công kèm theo." is not a heading: lower-case
    "Phụ lục" counts when nothing but the number follows, or a title after a colon or a
    dash that is no sentence ("Phụ lục: Diện tích thực hiện Đề án theo địa phương").
    """
    m = _APPENDIX.match(text)
    if not m:
        return None
    ident, sep, rest = m.group(1), m.group(2), m.group(3).strip()
    if text.startswith("Phụ lục") and rest and not (sep in ":-–" and sep and rest[-1] != "."):
        return None
    if len(text) > 200:
        return None
    label = f"Phụ lục {ident}" if ident else "Phụ lục"
    return label, rest


# Documents issued *with* a decision or decree, after its signature: "QUY ĐỊNH / Quản lý
# bến thủy nội địa ... / (Ban hành kèm theo Quyết định số ...)". Their articles restart at
# Điều 1 and are cited as "Điều 3 Quy định quản lý ... ban hành kèm theo Quyết định ...".
ATTACHED_TYPES = ("Quy định", "Quy chế", "Điều lệ", "Hướng dẫn", "Nội quy", "Quy trình")
_ATTACHED = {t.upper(): t for t in ATTACHED_TYPES}


def parse_attached_type(text: str) -> str | None:
    """``QUY ĐỊNH`` / ``QUY CHẾ`` alone on a line → its type name, else None (the caller
    checks that a "(Ban hành kèm theo ...)" caption follows)."""
    return _ATTACHED.get(" ".join(text.strip(" *#").split()))


def is_part_label(label: str) -> bool:
    """A path's first label naming an appendix or an attached document, not a section."""
    return label.startswith("Phụ lục") or label.startswith(ATTACHED_TYPES)


_CAPTION = re.compile(r"^(?:\(?\s*(?:ban hành\s+)?|\(\s*(?:\w+\s+){1,2})kèm theo\b", re.IGNORECASE)


TERMINAL = re.compile(r"[.;:!?…”\")\]]$")  # a line ending so ends its sentence
# A text hard-wrapped at a width (a PDF page copied line by line, a mail wrapped at 72
# columns, a legal site's <pre>): most of its lines come near one width, and none is long.
WRAP_MAX = 120
WRAP_SHARE = 0.35  # the share of lines that come near the width
WRAP_FULL = 0.75  # a line this near the width was broken there, not ended
# A range broken at its dash ("mùa khô năm 2025" / "- 2026"): no bullet.
_DASH_NUMBER = re.compile(r"^[-–]\s*\d")


def wrap_width(lines: list[str]) -> int:
    """The width ``lines`` were hard-wrapped at; 0 when each paragraph is a line."""
    lengths = sorted(len(s) for s in lines if len(s) >= 20)
    if len(lengths) < 10:
        return 0
    width = lengths[int(0.9 * (len(lengths) - 1))]
    near = sum(n >= 0.8 * width for n in lengths)
    return width if width <= WRAP_MAX and near >= WRAP_SHARE * len(lengths) else 0


def margin(lines: list[str]) -> int:
    """How far a text's lines are set in at the least (a page copied with its margin)."""
    return min((indent(s) for s in lines if len(s.strip()) >= 20), default=0)


def indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def runs_on(prev: str, line: str, width: int) -> bool:
    """Whether ``line`` goes on with ``prev`` in a text hard-wrapped at ``width``: ``prev``
    ends mid-sentence and near the width, whatever ``line`` starts with ("Nguyễn Văn A",
    "38% khối lượng"), a dash only before a number."""
    if not width or TERMINAL.search(prev) or len(prev) < WRAP_FULL * width:
        return False
    return not _DASH.match(line) or bool(_DASH_NUMBER.match(line))


def is_caption(text: str) -> bool:
    """``(Kèm theo Chương trình hành động số 01/CTr-UBND ngày ...)``, and in parentheses
    ``(Phụ lục kèm theo Công văn số 152/STTTT-CĐS ngày ...)``."""
    return bool(_CAPTION.match(text)) and len(text) < 400


_CAPTION_AFTER = re.compile(
    r"\s+(?=\((?:\s*ban hành)?\s*kèm theo\b[^()]*\bsố\b[^()]*\d[^()]*\)\s*$)", re.IGNORECASE
)


def split_caption(text: str) -> tuple[str, str]:
    """A title line ending with its caption, as a PDF may join them ("DANH MỤC ... (Kèm
    theo Kế hoạch số 52/KH-UBND ngày ...)"): (the title, the caption); else (text, ""). The
    caption names a document by its number: "(kèm theo dự toán)" is the title's."""
    parts = _CAPTION_AFTER.split(text, maxsplit=1)
    return (parts[0], parts[1]) if len(parts) == 2 and is_caption(parts[1]) else (text, "")


_RECIPIENTS = re.compile(r"^Nơi nhận\s*:?", re.IGNORECASE)


def is_recipients_start(text: str) -> bool:
    return bool(_RECIPIENTS.match(text)) and len(text) < 120


_SIGN_PREFIX = re.compile(r"^(?:T\.?M|T/M|KT|TL|TUQ|Q)(?:\s*\.\s*|\s+)\S")
_ROLES = {
    "CHỦ TỊCH",
    "PHÓ CHỦ TỊCH",
    "BÍ THƯ",
    "PHÓ BÍ THƯ",
    "PHÓ BÍ THƯ THƯỜNG TRỰC",
    "GIÁM ĐỐC",
    "PHÓ GIÁM ĐỐC",
    "THỦ TƯỚNG",
    "PHÓ THỦ TƯỚNG",
    "BỘ TRƯỞNG",
    "THỨ TRƯỞNG",
    "CHỦ TỊCH QUỐC HỘI",
    "CHÁNH VĂN PHÒNG",
    "TRƯỞNG BAN",
    "PHÓ TRƯỞNG BAN",
    "CHỦ NHIỆM",
    "TỔNG BÍ THƯ",
    "CHỦ TỊCH NƯỚC",
}


# What a copy writes where the signature was: "(Đã ký)", "(Ký tên, đóng dấu)".
_SIGNED = re.compile(r"^\(?\s*(?:đã ký|ký tên,?\s*đóng dấu|ký,?\s*ghi rõ họ tên)\s*\)?$", re.I)


def is_signature_line(text: str) -> bool:
    """``TM. ỦY BAN NHÂN DÂN``, ``KT. CHỦ TỊCH``, ``PHÓ CHỦ TỊCH``, ``(Đã ký)`` ..."""
    t = text.strip(" |*_").strip()
    if not t:
        return False
    if _SIGNED.match(t):
        return True
    if t.upper() == t and t.rstrip(".") in _ROLES:
        return True
    return bool(_SIGN_PREFIX.match(t)) and t.upper() == t and len(t) < 80


_ENACTMENT = re.compile(
    r"^(?:Luật|Bộ luật|Pháp lệnh|Nghị quyết|Hiến pháp) này (?:đã )?được .{0,200}thông qua"
)


def is_enactment_line(text: str) -> bool:
    """The closing formula of a law ("Luật này được Quốc hội ... thông qua ngày ..."): it
    belongs to the whole law, not to the last article above it."""
    return bool(_ENACTMENT.match(text.strip(" *_")))


_CLOSING = re.compile(r"^Trên đây là\b", re.IGNORECASE)


def is_closing_formula(text: str) -> bool:
    """The sentence closing a document's body ("Trên đây là báo cáo kết quả ... của Ủy ban
    nhân dân phường An Xuyên./."): it restates the title and answers nothing."""
    return bool(_CLOSING.match(text.strip(" *_")))


def signature_org(text: str) -> str | None:
    """The body a signature speaks for: ``TM. ỦY BAN NHÂN DÂN`` → ``ỦY BAN NHÂN DÂN``."""
    t = text.strip(" |*").strip()
    m = re.match(r"^(?:T\.?M|T/M)(?:\s*\.\s*|\s+)(.+)$", t)
    return m.group(1).strip() if m else None


_NAME_WORD = re.compile(rf"^{CAPITAL}{SMALL}+$")


def is_person_name(text: str) -> bool:
    """A signer's name line: 2-5 capitalised words, nothing else."""
    words = text.strip(" *|").split()
    if not 2 <= len(words) <= 5:
        return False
    return all(_NAME_WORD.match(w) for w in words)


# Page furniture saved along with a document from a website: a label alone on its line, or
# followed by a separator, a count or a source ("Chia sẻ", "Lượt xem: 1.234", "Nguồn:
# https://...", "Bình luận (0)", "Trang chủ > Văn bản", "Cập nhật lúc: 09:42"), never by
# ordinary words ("Chia sẻ dữ liệu giữa các sở").
_FURNITURE = re.compile(
    r"^(?:Ý kiến bạn đọc|Gửi ý kiến|Viết bình luận|Bình luận|Tin liên quan|Tin cùng chuyên mục|"
    r"Tin khác|Bài viết liên quan|Văn bản liên quan|Tags?|Từ khóa|Nguồn tra cứu|Nguồn|Chia sẻ|"
    r"In trang|In bài|Bản in|Lượt xem|Lượt truy cập|Tải về|Tải văn bản|Quay lại|Về đầu trang|"
    r"Lên đầu trang|Đọc thêm|Xem thêm|Theo dõi chúng tôi|Trang chủ|Cập nhật lúc|Cập nhật ngày|"
    r"Ngày cập nhật|Ngày đăng)"
    r"(?:\s+(?:bài viết|văn bản|trang này|lên \w+|qua \w+))?"
    r"\s*(?:$|[:(|»›>\-–]|\d)",
    re.IGNORECASE,
)
# A website's instructions to its reader ("Nhấp vào nút micro ...", "Bấm vào đây để ...").
_INSTRUCTION = re.compile(
    r"\b(?:nhấp|bấm|nhấn|click)\s+(?:chuột\s+)?(?:vào\s+)?(?:nút|biểu tượng|đây|liên kết|micro)",
    re.IGNORECASE,
)


# A legal portal's table of a document's properties, above the document: a label, then its
# value in the next cell ("Số/Ký hiệu | 2145/QĐ-UBND | Ngày ban hành | 17/11/2025").
_PROPERTY = re.compile(
    r"^(?:Số\s*/\s*Ký hiệu|Số ký hiệu|Số hiệu|Ký hiệu|Loại văn bản|Cơ quan ban hành|Nơi ban hành|"
    r"Cấp ban hành|Người ký|Ngày ban hành|Ngày (?:có )?hiệu lực|Ngày hết hiệu lực|Lĩnh vực|"
    r"Tình trạng(?: hiệu lực)?)\s*:?$",
    re.IGNORECASE,
)


def is_properties_line(line: str) -> bool:
    """A row of a portal's table of the document's properties, its cells tab-separated
    ("Số ký hiệu<TAB>12/CT-UBND"), or the properties run on in one line, as a legal site's
    page quotes them ("> **Lĩnh vực:** Thương mại · **Loại văn bản:** Nghị quyết")."""
    cells = [c.strip() for c in line.split("\t") if c.strip()]
    if len(cells) >= 2 and _PROPERTY.match(cells[0]):
        return True
    said = [part.partition(":") for part in re.split(r"[·•|]", strip_markup(line).lstrip("> "))]
    named = [bool(c and v.strip() and _PROPERTY.match(k.strip())) for k, c, v in said]
    return named[0] and sum(named) >= 2


def is_web_furniture(text: str) -> bool:
    """A line of a web page's frame (sharing, comments, related links, reader help), not of
    the document. The parser only trusts it at the top or the bottom of a document."""
    return len(text) < 300 and bool(_FURNITURE.match(text) or _INSTRUCTION.search(text))


def is_structural(text: str) -> bool:
    """A line that only a document's own body has: a section marker (not a bullet), an
    appendix heading, or a signature line. Web furniture never comes before one of these."""
    marker = parse_marker(text)
    if marker is not None and marker.style not in BULLET_STYLES:
        return True
    return parse_appendix(text) is not None or is_signature_line(text)


_STATE_MOTTO = re.compile(
    r"^(?:CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM|CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM|CỘNG HÒA XÃ HỘI|"
    r"CỘNG HOÀ XÃ HỘI|CHỦ NGHĨA VIỆT NAM|Độc lập\s*-\s*Tự do\s*-\s*Hạnh phúc|"
    r"ĐẢNG CỘNG SẢN VIỆT NAM|[-_=*\s]+)$",
    re.IGNORECASE,
)


# Matched without diacritics too: a scan's text layer drops some ("Tư do - Hanh phúc").
_FOLDED_MOTTO = re.compile(fold(_STATE_MOTTO.pattern), re.IGNORECASE)


def is_state_motto(text: str) -> bool:
    return bool(_FOLDED_MOTTO.match(fold(text.strip(" |*"))))


def is_motto_words(text: str) -> bool:
    """The state motto's words (not a rule of dashes): the header of a document issued with
    another one, after the first one's signature, is no passage of either."""
    return is_state_motto(text) and any(c.isalpha() for c in text)


def page_tail(clean: list[str]) -> int:
    """Where the web page saved around a document begins at the bottom: the first furniture
    line ("Chia sẻ", "Ý kiến bạn đọc") after which no line of the document's own structure
    comes. ``len(clean)`` when there is none: furniture mid-body is ordinary text."""
    tail = len(clean)
    for i in range(len(clean) - 1, -1, -1):
        t = clean[i]
        if not t:
            continue
        if is_structural(t):
            break
        if is_web_furniture(t):
            tail = i
    return tail
