"""Issuing bodies as a citation writes them, from the capitals a header prints them in:
``SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG`` → ``Sở Nông nghiệp và Môi trường``, and of which province."""

from __future__ import annotations

import re
from collections import Counter

# Bodies whose capitalisation cannot be derived by lower-casing their all-caps header line.
_ORGS = {
    "ỦY BAN NHÂN DÂN": "Ủy ban nhân dân",
    "UỶ BAN NHÂN DÂN": "Ủy ban nhân dân",
    "HỘI ĐỒNG NHÂN DÂN": "Hội đồng nhân dân",
    "TỈNH ỦY": "Tỉnh ủy",
    "TỈNH UỶ": "Tỉnh ủy",
    "BAN CHẤP HÀNH ĐẢNG BỘ TỈNH": "Ban Chấp hành Đảng bộ tỉnh",
    "BAN THƯỜNG VỤ TỈNH ỦY": "Ban Thường vụ Tỉnh ủy",
    "QUỐC HỘI": "Quốc hội",
    "CHÍNH PHỦ": "Chính phủ",
    "THỦ TƯỚNG CHÍNH PHỦ": "Thủ tướng Chính phủ",
    "ỦY BAN THƯỜNG VỤ QUỐC HỘI": "Ủy ban Thường vụ Quốc hội",
    "BỘ CHÍNH TRỊ": "Bộ Chính trị",
    "BAN CHẤP HÀNH TRUNG ƯƠNG": "Ban Chấp hành Trung ương",
    "UBND": "Ủy ban nhân dân",
    "HĐND": "Hội đồng nhân dân",
    # The Front and the mass organisations it unites, as their charters write them (the
    # country after them is a place: "HỘI NÔNG DÂN VIỆT NAM", see _place).
    "ỦY BAN MẶT TRẬN TỔ QUỐC": "Ủy ban Mặt trận Tổ quốc",
    "MẶT TRẬN TỔ QUỐC": "Mặt trận Tổ quốc",
    "TRUNG ƯƠNG HỘI CHỮ THẬP ĐỎ": "Trung ương Hội Chữ thập đỏ",
    "HỘI CHỮ THẬP ĐỎ": "Hội Chữ thập đỏ",
    "HỘI NÔNG DÂN": "Hội Nông dân",
    "HỘI LIÊN HIỆP PHỤ NỮ": "Hội Liên hiệp Phụ nữ",
    "HỘI CỰU CHIẾN BINH": "Hội Cựu chiến binh",
    "TỔNG LIÊN ĐOÀN LAO ĐỘNG": "Tổng Liên đoàn Lao động",
    "LIÊN ĐOÀN LAO ĐỘNG": "Liên đoàn Lao động",
    "ĐOÀN THANH NIÊN CỘNG SẢN HỒ CHÍ MINH": "Đoàn Thanh niên Cộng sản Hồ Chí Minh",
    "ĐOÀN TNCS HỒ CHÍ MINH": "Đoàn TNCS Hồ Chí Minh",
    "TỈNH ĐOÀN": "Tỉnh đoàn",
}
# An agency is written with its kind and the first word of each field it covers capitalised:
# "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG" → "Sở Nông nghiệp và Môi trường", "BỘ VĂN HÓA, THỂ THAO VÀ
# DU LỊCH" → "Bộ Văn hóa, Thể thao và Du lịch". Longest kinds first.
_AGENCY_KINDS = (
    "CHI CỤC",
    "TỔNG CỤC",
    "VĂN PHÒNG",
    "TRUNG TÂM",
    "THANH TRA",
    "CÔNG AN",
    "KHO BẠC",
    "SỞ",
    "BỘ",
    "CỤC",
    "BAN",
    "VỤ",
    "VIỆN",
)
# Fields whose official names capitalise more than their first word: two fields merged
# ("Công Thương", industry and trade) and a command's branch ("Chỉ huy Quân sự").
_FIELDS = {
    "CÔNG THƯƠNG": "Công Thương",
    "CHỈ HUY QUÂN SỰ": "Chỉ huy Quân sự",
    "CHỈ HUY BỘ ĐỘI BIÊN PHÒNG": "Chỉ huy Bộ đội Biên phòng",
}
# Units of government, a province's and since July 2025 its communes' ("PHƯỜNG BẠC LIÊU");
# "xã hội" is no commune.
_UNITS = ("tỉnh", "thành phố", "huyện", "quận", "thị xã", "thị trấn", "phường", "xã")
_UNIT = "|".join("xã(?! hội)" if u == "xã" else u for u in _UNITS)
_PLACE_HEADS = tuple(f"{u.upper()} " for u in _UNITS)
_INNER_PLACE = re.compile(rf" (?=(?:{_UNIT.upper()})(?: |$))")
# The place a body's name ends with, in small letters: "Sở Tư pháp tỉnh Cà Mau".
_PLACE_OF = re.compile(rf" (?:{_UNIT}) ")
_COUNTRY = "VIỆT NAM"
_COMMITTEE = re.compile(r"(Ban Chấp hành|Ban Thường vụ)\s*(.*)")
# Bodies a province, district or city has one of: named with their place.
_LOCAL_BODIES = {"Ủy ban nhân dân", "Hội đồng nhân dân"}
_HAS_PLACE = re.compile(rf"\b(?:{_UNIT})\b", re.IGNORECASE)
_PROVINCE = re.compile(r"\btỉnh ([A-ZĐ][a-zà-ỹđ]+(?: [A-ZĐ][a-zà-ỹđ]+){0,2})")


def org_name(caps: str) -> str:
    """Sentence-case an all-caps body name: ``TỈNH ỦY CÀ MAU`` → ``Tỉnh ủy Cà Mau``."""
    caps = re.sub(r"\s+", " ", caps.strip(" |*")).upper()
    for key, value in sorted(_ORGS.items(), key=lambda kv: -len(kv[0])):
        if caps == key:
            return value
        if caps.startswith(key + " "):
            return f"{value} {_place(caps[len(key) + 1 :])}"
    if caps.startswith(_PLACE_HEADS):
        head = next(h for h in _PLACE_HEADS if caps.startswith(h))
        return f"{head.lower()}{_place(caps[len(head) :])}"
    if caps == "TỈNH":
        return "tỉnh"
    if at := _INNER_PLACE.search(caps):  # "ĐẢNG BỘ TỈNH CÀ MAU", "ĐẢNG ỦY XÃ VĨNH LỢI"
        return f"{org_name(caps[: at.start()])} {org_name(caps[at.end() :])}"
    for kind in _AGENCY_KINDS:
        if caps.startswith(kind + " "):
            return f"{kind.capitalize()} {_agency_fields(caps[len(kind) + 1 :])}"
    return caps[:1] + caps[1:].lower()


def _agency_fields(caps: str) -> str:
    """The fields of an agency: NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN → Nông nghiệp và Phát
    triển nông thôn, LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI → Lao động - Thương binh và Xã hội."""
    if caps in _FIELDS:
        return _FIELDS[caps]
    words = caps.split()
    out: list[str] = []
    for i, w in enumerate(words):
        if w in _ORGS:  # an abbreviation: "VĂN PHÒNG UBND"
            out.append(w)
        elif i == 0 or words[i - 1] in ("VÀ", "-", "–") or words[i - 1].endswith(","):
            out.append(w.capitalize())
        else:
            out.append(w.lower())
    return " ".join(out)


def _place(caps: str) -> str:
    if caps == _COUNTRY or caps.startswith(_COUNTRY + " "):  # "VIỆT NAM TỈNH CÀ MAU"
        rest = caps[len(_COUNTRY) :].strip()
        return f"Việt Nam {_place(rest)}" if rest else "Việt Nam"
    if caps.startswith(_PLACE_HEADS):
        return org_name(caps)  # "TỈNH CÀ MAU" → "tỉnh Cà Mau", "HUYỆN TRẦN ĐỀ" → "huyện Trần Đề"
    return caps.title()


def issuer_from_caps(caps: list[str], province: str | None) -> str:
    """The issuing body named by a header's capital lines (``province``: the one the
    document is most about, for a body whose lines name none)."""
    bodies: list[str] = []
    caps_of: list[str] = []  # each body's capitals, as printed
    for line in _names(caps):
        up = line.upper()
        if bodies and up.startswith(_PLACE_HEADS) and up not in _ORGS:
            # "ỦY BAN NHÂN DÂN" + "TỈNH CÀ MAU" on two lines is one body.
            bodies[-1] = f"{bodies[-1]} {org_name(line)}"
        elif bodies and (up == _COUNTRY or up.startswith(_COUNTRY + " ")):
            # So is a name broken before the country's: "TRUNG ƯƠNG HỘI CHỮ THẬP ĐỎ" +
            # "VIỆT NAM", "ỦY BAN MẶT TRẬN TỔ QUỐC" + "VIỆT NAM TỈNH CÀ MAU".
            caps_of[-1] = f"{caps_of[-1]} {up}"
            bodies[-1] = org_name(caps_of[-1])
        else:
            bodies.append(org_name(line))
            caps_of.append(up)
    if len(bodies) == 1:
        return placed(bodies[0], province)
    # The body that issues comes under the one it reports to ("UBND TỈNH SÓC TRĂNG" /
    # "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG"), and is of that one's province; an office is that
    # one's own ("UBND TỈNH AN GIANG" / "VĂN PHÒNG": "Văn phòng Ủy ban nhân dân tỉnh").
    superior, body = bodies[0], bodies[1]
    if body == "Văn phòng":
        return f"{body} {superior}"
    # A committee of a national organisation's provincial branch ("HỘI NÔNG DÂN VIỆT NAM" /
    # "BAN CHẤP HÀNH TỈNH CÀ MAU"): "Ban Chấp hành Hội Nông dân tỉnh Cà Mau".
    # A committee named alone is the one of the body above it: "TỈNH ỦY CÀ MAU" / "BAN
    # THƯỜNG VỤ" is the Ban Thường vụ Tỉnh ủy Cà Mau.
    committee = _COMMITTEE.match(body)
    if committee and superior.endswith(" Việt Nam"):
        return f"{committee[1]} {superior.removesuffix(' Việt Nam')} {committee[2]}".strip()
    if committee and not committee[2]:
        return f"{body} {superior}"
    above = _PROVINCE.search(superior)
    return placed(body, above and above.group(0), agency=True)


def _names(caps: list[str]) -> list[str]:
    """The header's capital lines, a name broken over two joined again ("SỞ NÔNG NGHIỆP"
    / "VÀ MÔI TRƯỜNG")."""
    out: list[str] = []
    for c in caps:
        line = c.strip(" |*")
        if out and line.upper().startswith(("VÀ ", "& ")):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def placed(name: str, province: str | None, *, agency: bool = False) -> str:
    """``name`` of ``province`` ("tỉnh Cà Mau") when it names no place of its own: "Tỉnh ủy
    Cà Mau", "Ủy ban nhân dân tỉnh Cà Mau"; any other body too when ``agency``."""
    if not province:
        return name
    if name == "Tỉnh ủy":
        return f"Tỉnh ủy {province.removeprefix('tỉnh ')}"
    if _HAS_PLACE.search(name):
        return name
    return f"{name} {province}" if agency or name in _LOCAL_BODIES else name


def unplaced(name: str) -> str:
    """A body's name without the place it is of: "Sở Tư pháp tỉnh Cà Mau" → "Sở Tư pháp"
    ("Tỉnh ủy Cà Mau" is a name of its own)."""
    at = _PLACE_OF.search(name)
    return name[: at.start()] if at else name


def province_of(lines: list[str]) -> str | None:
    """The province a document is about: its most frequent "tỉnh X" mention."""
    counts = Counter()
    for line in lines:
        for m in _PROVINCE.finditer(line):
            counts[m.group(1)] += 1
    if not counts:
        return None
    name, n = counts.most_common(1)[0]
    return f"tỉnh {name}" if n >= 2 else None
