"""Document metadata for citations: type, số/ký hiệu, date, issuing body, trích yếu, year.

Taken from the header block where present, else from appendix captions ("(Kèm theo Chương
trình hành động số 01/CTr-UBND ngày 19/01/2025 của Ủy ban nhân dân tỉnh Cà Mau)"), else from
the signature block (the header itself is read by header.py). A field nothing in the
document states stays None.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..records import DocMeta
from ..text.normalize import clip, is_caps, sentence_case
from .bodies import issuer_from_caps, org_name, placed, province_of
from .sidecar import apply_sidecar

if TYPE_CHECKING:
    from .header import HeaderInfo

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

_CAPTION_REF = re.compile(
    r"kèm theo\s+(?P<type>.+?)\s+số\s*:?\s*(?P<number>\d[\w/.\-]*[\wĐđ])\s*,?\s*"
    r"(?:ngày\s+(?P<d>\d{1,2})\s*[/.\-]\s*(?P<m>\d{1,2})\s*[/.\-]\s*(?P<y>\d{4})"
    r"|ngày\s+(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})\s+năm\s+(?P<y2>\d{4}))?"
    r"\s*(?:của\s+(?P<issuer>[^)]+?))?\s*\)?\s*$",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-9]\d)\b")


def fmt_date(d: str, m: str, y: str) -> str:
    return f"{int(d):02d}/{int(m):02d}/{y}"


def norm_number(s: str) -> str:
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
    out = {"number": norm_number(m.group("number"))}
    type_name = m.group("type").strip()
    for name in DOC_TYPES:
        if type_name.lower() == name.lower():
            out["doc_type"] = name
            break
    if m.group("y"):
        out["date"] = fmt_date(m.group("d"), m.group("m"), m.group("y"))
    elif m.group("y2"):
        out["date"] = fmt_date(m.group("d2"), m.group("m2"), m.group("y2"))
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
