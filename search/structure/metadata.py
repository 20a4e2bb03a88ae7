"""Document metadata for citations: type, số/ký hiệu, date, issuing body, trích yếu, year.

Taken from the header block where present, else from appendix captions ("(Kèm theo Chương
trình hành động số 01/CTr-UBND ngày 19/01/2025 của Ủy ban nhân dân tỉnh Cà Mau)"), else from
the signature block. A field nothing in the document states stays None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..records import DocMeta
from ..text.normalize import clean_line, clip, is_caps, is_rule, sentence_case
from .bodies import issuer_from_caps, org_name, placed, province_of
from .layout import is_state_motto, is_web_furniture, parse_appendix, parse_marker
from .sidecar import apply_sidecar

# Document types, longest first so "CHƯƠNG TRÌNH HÀNH ĐỘNG" wins over "CHƯƠNG TRÌNH".
DOC_TYPES = [
    "Chương trình hành động",
    "Chương trình công tác",
    "Chương trình",
    "Chỉ thị",
    "Kế hoạch",
    "Luật",
    "Bộ luật",
    "Pháp lệnh",
    "Nghị định",
    "Nghị quyết",
    "Quyết định",
    "Thông tư liên tịch",
    "Thông tư",
    "Thông báo",
    "Kết luận",
    "Báo cáo",
    "Công văn",
    "Đề án",
    "Quy định",
    "Quy chế",
    "Hướng dẫn",
    "Tờ trình",
    "Phương án",
    "Hiến pháp",
]
DOC_TYPES.sort(key=len, reverse=True)

# Ký hiệu codes → document type, for documents whose header lost its type line.
TYPE_CODES = {
    "CTr": "Chương trình",
    "CT": "Chỉ thị",
    "KH": "Kế hoạch",
    "NQ": "Nghị quyết",
    "QĐ": "Quyết định",
    "NĐ": "Nghị định",
    "TT": "Thông tư",
    "TB": "Thông báo",
    "KL": "Kết luận",
    "BC": "Báo cáo",
    "QH": "Luật",
    "HD": "Hướng dẫn",
    "TTr": "Tờ trình",
}

_NUMBER_HEAD = r"^(?:[A-ZĐ][\wà-ỹđ]*\s+)?[Ss]ố\s*[:.]?"  # "Số:", "Luật số:"
_PLACE = r"[A-ZĐÀ-Ỹ][^,]{1,40}"  # "Cà Mau", before ", ngày"
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
_CAPTION_REF = re.compile(
    r"kèm theo\s+(?P<type>.+?)\s+số\s*:?\s*(?P<number>\d[\w/.\-]*[\wĐđ])\s*,?\s*"
    r"(?:ngày\s+(?P<d>\d{1,2})\s*[/.\-]\s*(?P<m>\d{1,2})\s*[/.\-]\s*(?P<y>\d{4})"
    r"|ngày\s+(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})\s+năm\s+(?P<y2>\d{4}))?"
    r"\s*(?:của\s+(?P<issuer>[^)]+?))?\s*\)?\s*$",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-9]\d)\b")


def _fmt_date(d: str, m: str, y: str) -> str:
    return f"{int(d):02d}/{int(m):02d}/{y}"


def _norm_number(s: str) -> str:
    return re.sub(r"\s+", "", s.strip(" |.,;"))


def doc_type_of(text: str) -> tuple[str, str] | None:
    """Split a type line: ``CHƯƠNG TRÌNH HÀNH ĐỘNG`` → ("Chương trình hành động", "")."""
    t = text.strip(" #*|").strip()
    upper = t.upper()
    for name in DOC_TYPES:
        key = name.upper()
        if upper.startswith(key) and t[: len(key)] == key:
            rest = t[len(key) :].strip(" :.-")
            if rest and not rest[0].isspace() and t[len(key) : len(key) + 1].isalpha():
                continue  # "KẾ HOẠCHXYZ": not a type line
            return name, rest
    return None


def parse_caption(text: str) -> dict[str, str] | None:
    """Fields of an appendix caption; None when the line names no document number."""
    m = _CAPTION_REF.search(text)
    if not m:
        return None
    out = {"number": _norm_number(m.group("number"))}
    type_name = m.group("type").strip()
    for name in DOC_TYPES:
        if type_name.lower() == name.lower():
            out["doc_type"] = name
            break
    if m.group("y"):
        out["date"] = _fmt_date(m.group("d"), m.group("m"), m.group("y"))
    elif m.group("y2"):
        out["date"] = _fmt_date(m.group("d2"), m.group("m2"), m.group("y2"))
    if m.group("issuer"):
        out["issuer"] = m.group("issuer").strip(" .,;")
    return out


def doc_reference(
    doc_type: str | None,
    number: str | None,
    date: str | None,
    issuer: str | None,
    title: str | None = None,
) -> str:
    """``Chương trình hành động số 01/CTr-UBND ngày 19/01/2025 của Ủy ban nhân dân tỉnh Cà Mau``.

    Without a number the trích yếu identifies the document instead.
    """
    parts = [doc_type or "Văn bản"]
    if number:
        parts.append(f"số {number}")
    elif title:
        parts.append(clip(sentence_case(title), 120))
    if date:
        parts.append(f"ngày {date}")
    if issuer:
        parts.append(f"của {issuer}")
    return " ".join(parts)


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


def read_header(lines: list[str], raw: list[str] | None = None) -> HeaderInfo:
    """Scan the first lines for issuing body, number, place/date, type and trích yếu.

    A header copied from a web page's layout table comes as tab-separated cells on one
    line ("QUỐC HỘI<TAB>CỘNG HÒA XÃ HỘI ..."; "Luật số: 43/2019/QH14<TAB>Hà Nội, ngày
    ..."): given the ``raw`` lines, each cell is read on its own.
    """
    info = HeaderInfo()
    orgs: list[str] = []
    # The header is within the first 40 lines of text; blank lines above (a saved page's or
    # an e-mail's frame, blanked line for line) do not count.
    top = next((i for i, line in enumerate(lines) if line.strip()), 0)
    limit = min(len(lines), top + 40)
    cells: list[tuple[int, str]] = []
    for i in range(len(lines)):
        if raw is not None and i < limit and _CELL_GAP.search(raw[i].strip()):
            cells.extend((i, clean_line(part)) for part in _gap_cells(raw[i]))
        elif i < limit:
            cells.extend((i, part) for part in _header_columns(lines[i]))
        else:
            cells.append((i, lines[i]))
    type_at = None
    k = 0
    while k < len(cells) and cells[k][0] < limit:
        i, t = cells[k]
        t = t.strip(" |*_").strip()  # "*An Giang, ngày ...*": Markdown emphasis
        k += 1
        if not t:
            continue
        if (m := _NUMBER.match(t)) and "number" not in info.fields:
            info.fields["number"] = _norm_number(m.group(1))
            info.header_lines.add(i)
            continue
        if _date_or_motto(info, i, t):
            continue
        if is_web_furniture(t) and not orgs and not info.fields:
            continue  # a web page's breadcrumb or date above the document
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
        if dt and is_caps(t.split()[0]):
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
                if not (
                    runs_on
                    or _is_title_continuation(s, has_title=bool(title))
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
    if orgs:
        info.fields["issuer_caps"] = orgs
    return info


def _date_or_motto(info: HeaderInfo, i: int, t: str) -> bool:
    """Take header line ``i`` into ``info`` when it is the place and date, the state motto
    or a copy's blank number or date."""
    if (m := _PLACE_DATE.match(t)) and "date" not in info.fields and len(t) < 80:
        info.fields["date"] = _fmt_date(m.group(2), m.group(3), m.group(4))
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


def _title_issuer(title: str) -> tuple[str, str] | None:
    """("BAN CHẤP HÀNH ĐẢNG BỘ TỈNH", "Thực hiện ...") from "CỦA BAN ... TỈNH thực hiện ...";
    None when the title does not open with the issuing body."""
    words = title.split()
    if len(words) < 2 or words[0] != "CỦA":
        return None
    caps = 1
    while caps < len(words) and is_caps(words[caps]) and words[caps] not in ("THỰC", "VỀ"):
        caps += 1
    rest = " ".join(words[caps:])
    if caps == 1 or not rest:
        return None
    return " ".join(words[1:caps]), rest[:1].upper() + rest[1:]


def build_meta(
    lines: list[str],
    *,
    doc: str,
    fingerprint: str,
    captions: list[dict[str, str]],
    signature_orgs: list[str],
    signer: str | None,
    header: HeaderInfo,
    sidecar: dict[str, object] | None = None,
) -> DocMeta:
    """Combine header, captions and signature into one DocMeta; the sidecar (see sidecar.py)
    has the last word."""
    f = dict(header.fields)
    cap = captions[0] if captions else {}
    number = f.get("number") or cap.get("number")
    date = f.get("date") or cap.get("date")
    doc_type = f.get("doc_type") or cap.get("doc_type")
    if not doc_type and isinstance(number, str):
        code = re.split(r"[/\-]", number.split("/", 1)[-1])[0] if "/" in number else None
        doc_type = TYPE_CODES.get(code or "")
    province = province_of(lines)
    issuer = None
    caps = f.get("issuer_caps") or []
    if caps:
        issuer = issuer_from_caps(caps, province)
    if not issuer and cap.get("issuer"):
        issuer = cap["issuer"]
    title = f.get("title")
    if isinstance(title, str) and (split := _title_issuer(title)):
        # "CHƯƠNG TRÌNH HÀNH ĐỘNG / CỦA BAN CHẤP HÀNH ĐẢNG BỘ TỈNH / thực hiện ...": the
        # capitals name who issues it; the trích yếu is what follows.
        body, title = split
        issuer = issuer or org_name(body)
    if not issuer and signature_orgs:
        issuer = placed(org_name(signature_orgs[0]), province)
    year = None
    if isinstance(date, str):
        year = int(date[-4:])
    elif isinstance(title, str) and (ys := _YEAR.findall(title)):
        year = int(ys[-1])
    meta = DocMeta(
        doc=doc,
        doc_type=doc_type,
        number=number,
        date=date,
        issuer=issuer,
        title=title if isinstance(title, str) else None,
        year=year,
        signer=signer,
        fingerprint=fingerprint,
    )
    return apply_sidecar(meta, sidecar)
