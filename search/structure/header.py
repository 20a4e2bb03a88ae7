"""The header block at the top of a document: issuing body, số/ký hiệu, place and date,
type and trích yếu, read from the first lines, with the columns a layout table, tabs or
runs of spaces set them in."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..text.normalize import clean_line, is_caps, is_rule
from ..text.words import CAPITAL
from .layout import (
    is_motto_words,
    is_properties_line,
    is_state_motto,
    is_structural,
    is_web_furniture,
    parse_appendix,
    parse_marker,
)
from .metadata import doc_type_of, fmt_date, norm_number

_NUMBER_HEAD = r"^(?:[A-ZĐ][\wà-ỹđ]*\s+)?[Ss]ố\s*[:.]?"  # "Số:", "Luật số:"
_PLACE = rf"{CAPITAL}[^,]{{1,40}}"  # "Cà Mau", before ", ngày"
_NUMBER = re.compile(rf"{_NUMBER_HEAD}\s*(\d[\w/.\- ]*[\wĐđ])\s*\|?$")
_PLACE_DATE = re.compile(
    rf"^({_PLACE}),\s*ngày\s+(\d{{1,2}})\s+tháng\s+(\d{{1,2}})\s+năm\s+(\d{{4}})"
)
# A copy not yet numbered or dated leaves the blanks: "Số:      /BC-SNNMT", "Sóc Trăng,
# ngày    tháng    năm 2025" (or "năm 20", or the month filled: "ngày   tháng 4 năm 2025").
# Header furniture all the same.
_BLANK_NUMBER = re.compile(rf"{_NUMBER_HEAD}[\s.…]*/\s*[A-ZĐ][\w.\-]*\s*\|?$")
_BLANK_DATE = re.compile(
    rf"^{_PLACE},\s*ngày[\s.…]*tháng[\s.…]*(?:\d{{1,2}}[\s.…]*)?năm[\s.…]*(?:\d{{2,4}})?\s*$"
)
# A two-column header that lost its column break (a Word paragraph laid out with tab stops,
# a PDF's text layer, a plain-text copy with the columns spaced apart): "ỦY BAN NHÂN DÂN
# CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" (or the older "CỘNG HOÀ"), "Số: 88/TB-VP Bạc Liêu,
# ngày 09 tháng 4 năm 2025".
_MOTTO_COLUMN = re.compile(
    r"\s+(?=(?:CỘNG H(?:ÒA|OÀ|OA) XÃ HỘI CHỦ NGHĨA VIỆT NAM|Độc lập\s*-\s*Tự do\s*-\s*Hạnh phúc|"
    r"ĐẢNG CỘNG SẢN VIỆT NAM)$)"
)
_NUMBER_THEN_DATE = re.compile(rf"^(Số\b.*?\S)\s+({_PLACE},\s*ngày\b.*năm\s+\d{{4}})$")
_SUBJECT = re.compile(r"^V/[vV]\s*:?\s*(.+)$")
HEAD_SEARCH = 60  # a portal's frame above a document is shorter than this
# Between a header's two columns: a tab (a layout table's cells), or the run of spaces a
# plain-text header is aligned with.
_CELL_GAP = re.compile(r"\t| {3,}")
# The blanks a copy leaves for its number and date ("Số:      /KH-UBND", "ngày     tháng
# năm 2025") are spaces too, but inside one cell.
_BLANK_BEFORE = re.compile(r"(?:\bSố\s*:?|\bngày|\btháng)$", re.IGNORECASE)
_BLANK_AFTER = re.compile(r"^(?:/|tháng\b|năm\b)")
# The rule under a title, drawn on its last line's baseline ("... thị xã Long Mỹ ______",
# an odd run of which cleaning leaves one "_" of): the title ends there.
_TRAILING_RULE = re.compile(r"\s+(?:_|[_=\-–]{5,})$")


@dataclass
class HeaderInfo:
    """What the top of a document says, plus the line range the title occupies."""

    fields: dict[str, object] = field(default_factory=dict)
    body_start: int = 0  # index of the first body line (after header and title)
    header_lines: set[int] = field(default_factory=set)  # indexes that are header furniture
    title_lines: list[int] = field(default_factory=list)


def _gap_cells(line: str) -> list[str]:
    """A header line's columns, split at tabs and wide runs of spaces, not at the blanks
    of a copy's number and date."""
    cells: list[str] = []
    for part in line.split("\t"):
        pieces = re.split(r" {3,}", part.strip())
        merged = [pieces[0]]
        for piece in pieces[1:]:
            if _BLANK_BEFORE.search(merged[-1]) or _BLANK_AFTER.match(piece):
                merged[-1] = f"{merged[-1]}   {piece}"
            else:
                merged.append(piece)
        cells.extend(merged)
    return cells


def _header_columns(line: str) -> list[str]:
    """A header line that ran its two columns together, split back into them."""
    if m := _NUMBER_THEN_DATE.match(line):
        return [m.group(1), m.group(2)]
    m = _MOTTO_COLUMN.search(line)
    if m is None or m.start() == 0:
        return [line]
    return [line[: m.start()], line[m.end() :]]


def page_head(lines: list[str]) -> int:
    """Where a document begins below the frame of the web page it was copied from: the
    issuing body's lines above the first line of the state motto or of the number ("Số:
    12/CT-UBND"), when that comes within HEAD_SEARCH lines and every line above the body
    is short and none is of a document's own structure (menus, "Trang chủ > ...", "Lượt
    xem: 1.284"). Else the first line holding text."""
    first = next((i for i, line in enumerate(lines) if line.strip()), 0)
    anchor = next(
        (
            i
            for i, line in enumerate(lines[:HEAD_SEARCH])
            if is_motto_words(line.strip()) or _NUMBER.match(line.strip())
        ),
        None,
    )
    if anchor is None:
        return first
    start = anchor
    while start > first and (
        not (t := lines[start - 1].strip()) or is_rule(t) or (is_caps(t) and len(t) < 80)
    ):
        start -= 1
    start = next((i for i in range(start, anchor + 1) if lines[i].strip()), anchor)
    above = [t for t in (line.strip() for line in lines[first:start]) if t]
    if any(len(t) > 200 or is_structural(t) or _names_type(t) for t in above):
        return first
    return start


def _names_type(t: str) -> bool:
    """A header's type line ("CHỈ THỊ", "QUYẾT ĐỊNH về ..."), not a portal's link to it."""
    return bool(doc_type_of(t)) and is_caps(t.split()[0])


# The addressee's line of a letter or report, which belongs under its title.
_ADDRESSEE = re.compile(r"kính gửi\b", re.IGNORECASE)


def read_header(lines: list[str], raw: list[str] | None = None) -> HeaderInfo:
    """Scan the first lines for issuing body, number, place/date, type and trích yếu.

    A header copied from a web page's layout table comes as tab-separated cells on one
    line ("QUỐC HỘI<TAB>CỘNG HÒA XÃ HỘI ..."; "Luật số: 43/2019/QH14<TAB>Hà Nội, ngày
    ..."): given the ``raw`` lines, each cell is read on its own.
    """
    info = HeaderInfo()
    orgs: list[str] = []
    # The header is within the first 40 lines of text; blank lines above (a saved page's or
    # an e-mail's frame, blanked line for line) do not count, nor does a portal's frame.
    top = page_head(lines)
    limit = min(len(lines), top + 40)
    cells: list[tuple[int, str]] = []
    for i in range(top, len(lines)):
        if raw is not None and i < limit and _CELL_GAP.search(raw[i].strip()):
            cells.extend((i, clean_line(part)) for part in _gap_cells(raw[i]))
        elif i < limit:
            cells.extend((i, part) for part in _header_columns(lines[i]))
        else:
            cells.append((i, lines[i]))
    type_at = None
    addressee: int | None = None
    k = 0
    while k < len(cells) and cells[k][0] < limit:
        i, t = cells[k]
        t = t.strip(" |*_").strip()  # "*An Giang, ngày ...*": Markdown emphasis
        k += 1
        if not t:
            continue
        if not orgs and not info.fields and is_properties_line(t if raw is None else raw[i]):
            continue  # a portal's table of the document's properties, above its header
        if (m := _NUMBER.match(t)) and "number" not in info.fields:
            info.fields["number"] = norm_number(m.group(1))
            info.header_lines.add(i)
            continue
        if _date_or_motto(info, i, t):
            continue
        if is_web_furniture(t) and not orgs and not info.fields:
            continue  # a web page's breadcrumb or date above the document
        if _ADDRESSEE.match(t) and addressee is None:
            addressee = i  # "Kính gửi: ...", which an export set above the type line
            continue
        if subject := _SUBJECT.match(t):
            # An official letter names no type: its "V/v ..." subject line says what it is.
            info.fields.setdefault("doc_type", "Công văn")
            title = [subject.group(0)]
            info.title_lines.append(i)
            while k < len(cells):
                j, s = cells[k][0], cells[k][1].strip()
                if s[:1].islower():
                    title.append(s)
                    info.title_lines.append(j)
                elif s and not (j < limit and _date_or_motto(info, j, s)):
                    break  # the right column's date may stand between the subject's lines
                k += 1
            info.fields["title"] = " ".join(title)
            type_at = i
            info.body_start = info.title_lines[-1] + 1
            # The right column flattened after the left one: the motto and "Trà Vinh, ngày
            # 12 tháng 5 năm 2025" below the subject are the header's still.
            while k < len(cells) and cells[k][0] < limit:
                j, s = cells[k][0], cells[k][1].strip(" |*_").strip()
                if s and not _date_or_motto(info, j, s):
                    break
                k += 1
            break
        dt = doc_type_of(t)
        if dt and _names_type(t):
            type_at = i
            info.fields["doc_type"] = dt[0]
            title = [dt[1]] if dt[1] else []
            info.title_lines.append(i)
            last = i
            bold = False  # the last title line opened a Markdown bold it did not close
            while k < len(cells):
                j, written = cells[k]
                s = written.strip(" |#*").strip()
                if not s:
                    k += 1
                    continue
                if is_rule(s):
                    break  # the rule under the title
                ruled = _TRAILING_RULE.search(s)
                s = s[: ruled.start()] if ruled else s
                # A title line ending in a comma goes on, whatever the next one starts with;
                # so does one inside a bold span that a line above opened ("**Tình hình
                # ... năm" / "2025; nhiệm vụ ...**").
                runs_on = bool(title) and (title[-1].endswith(",") or bold)
                runs_on = runs_on and not parse_marker(s)
                source = raw[j] if raw is not None and j < len(raw) else written
                bold = bool(source.count("**") % 2) != bold
                # A trích yếu of two parts may break after its semicolon ("Kết quả ... năm
                # 2026;" / "nhiệm vụ trọng tâm ..."): its second part opens in lower case.
                after = next((c.strip(" |#*") for _, c in cells[k + 1 : k + 3] if c.strip()), "")
                halves = not title and s.endswith(";") and after[:1].islower()
                if not (
                    runs_on
                    or _is_title_continuation(
                        s.removesuffix(";") if halves else s, has_title=bool(title)
                    )
                    or (title and _ruled_below(s, [c for _, c in cells[k + 1 : k + 3]]))
                ):
                    break
                title.append(s)
                if j not in info.title_lines:
                    info.title_lines.append(j)
                last = j
                k += 1
                if ruled:
                    break
            if title:
                info.fields["title"] = " ".join(title)
            info.body_start = last + 1
            break
        if parse_appendix(t):
            break  # an appendix kept as a file of its own: its caption names the document
        if is_caps(t) and len(t) < 80 and not parse_marker(t):
            if any(o.split()[:3] == t.split()[:3] for o in orgs):
                # The body named again: what came before was a gazette's section headings
                # ("VĂN BẢN KHÁC" / "ỦY BAN NHÂN DÂN TỈNH"), the header starts here.
                orgs.clear()
            orgs.append(t)
            info.header_lines.add(i)
            continue
        break  # body text before any type line: no header block
    if type_at is None:
        info.body_start = max(info.header_lines, default=-1) + 1
    elif addressee is not None:
        info.title_lines.insert(0, addressee)  # it goes with the title's passage, as it stood
    if orgs:
        info.fields["issuer_caps"] = orgs
    return info


def _date_or_motto(info: HeaderInfo, i: int, t: str) -> bool:
    """Take header line ``i`` into ``info`` when it is the place and date, the state motto
    or a copy's blank number or date."""
    if (m := _PLACE_DATE.match(t)) and "date" not in info.fields and len(t) < 80:
        info.fields["date"] = fmt_date(m.group(2), m.group(3), m.group(4))
    elif not (is_state_motto(t) or _BLANK_NUMBER.match(t) or _BLANK_DATE.match(t)):
        return False
    info.header_lines.add(i)
    return True


# The authority line a decision repeats before its legal bases ("ỦY BAN NHÂN DÂN TỈNH CÀ
# MAU", "BỘ TRƯỞNG BỘ TÀI CHÍNH") ends the title; so does the enacting "QUYẾT ĐỊNH:".
_AUTHORITY = re.compile(
    r"^(?:Ủ|U|Ù)Y BAN|^BỘ TRƯỞNG|^CHỦ TỊCH|^THỦ TƯỚNG|^HỘI ĐỒNG|^CHÍNH PHỦ$|^QUỐC HỘI$|"
    r"^BAN (?:THƯỜNG VỤ|CHẤP HÀNH)|^GIÁM ĐỐC|^TỔNG CỤC TRƯỞNG|^CỤC TRƯỞNG"
)
# A trích yếu in sentence case starts with what the document does.
_TITLE_VERB = re.compile(
    r"^(?:Về|V/v|Ban hành|Phê duyệt|Quy định|Sửa đổi|Bổ sung|Hướng dẫn|Thành lập|Giao|Công bố|"
    r"Bãi bỏ|Thực hiện|Triển khai|Tăng cường|Đẩy mạnh|Ủy quyền|Phân cấp|Điều chỉnh|Kiện toàn)\b"
)


def _ruled_below(s: str, below: list[str]) -> bool:
    """Whether ``s`` is a title line the rule under the title closes within two lines: a
    line wrapped where a name breaks ("... tỉnh Huỳnh Thanh" / "Sơn tại buổi kiểm tra ...,"
    / "bờ kênh ... Long Mỹ ______")."""
    if len(s) > 200 or parse_marker(s) or s.endswith(":") or _AUTHORITY.match(s):
        return False
    if s.lower().startswith("căn cứ"):
        return False
    for line in below:
        line = line.strip()
        if _TRAILING_RULE.search(line) or is_rule(line):
            return True
        if len(line) > 200 or parse_marker(line) or line.lower().startswith("căn cứ"):
            return False
    return False


def _is_title_continuation(s: str, *, has_title: bool) -> bool:
    if s.lower().startswith("căn cứ") or parse_marker(s) or parse_appendix(s):
        return False
    if s.startswith("(") and has_title:
        return False
    if s.endswith(":") or (has_title and _AUTHORITY.match(s)):
        return False
    if is_caps(s) and len(s) < 500:
        return True
    if not has_title and _TITLE_VERB.match(s) and len(s) < 300 and not s.endswith("."):
        return True
    if not has_title and s[:1].isupper() and len(s) < 250 and not s.endswith((".", ";")):
        return True  # a trích yếu naming what it is about: "Kết quả thực hiện nhiệm vụ ..."
    if s[:1].islower() and len(s) < 200 and not s.endswith("."):
        return True
    if s.startswith("Về ") and len(s) < 300:
        return True
    return False
