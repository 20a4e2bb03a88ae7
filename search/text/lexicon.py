"""Administrative abbreviations and a few fixed synonyms, curated plus document-defined.

Every occurrence of an abbreviation ("GPMB", "KT-XH") or of what it stands for ("giải phóng
mặt bằng", "kinh tế - xã hội") yields the same concept token, in documents and in queries,
so either spelling finds the other. Documents also define their own abbreviations: "giải
phóng mặt bằng (viết tắt là GPMB)", or an acronym in parentheses whose letters are the
initials of the words before it: "Trung tâm Điều hành thông minh (TTĐHTM)".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .normalize import fold
from .words import could_be_syllable, words

# abbreviation forms | expansions ("/" separates alternatives)
_CURATED = """
UBND | ủy ban nhân dân
HĐND | hội đồng nhân dân
UBMTTQ / MTTQ | ủy ban mặt trận tổ quốc / mặt trận tổ quốc
NSTW | ngân sách trung ương
NSĐP | ngân sách địa phương
NSNN | ngân sách nhà nước
GPMB | giải phóng mặt bằng
KT-XH / KTXH | kinh tế - xã hội
CCHC | cải cách hành chính
ĐTC | đầu tư công
CTMTQG / MTQG | chương trình mục tiêu quốc gia / mục tiêu quốc gia
KHV | kế hoạch vốn
TMĐT | tổng mức đầu tư
ĐTPT | đầu tư phát triển
KCN | khu công nghiệp
CCN | cụm công nghiệp
KKT | khu kinh tế
QL | quốc lộ
ĐT | đường tỉnh
TP | thành phố
TP.HCM / TPHCM / TP HCM | thành phố hồ chí minh
BCH | ban chấp hành
BTV | ban thường vụ
TU | tỉnh ủy
CTr | chương trình
KH | kế hoạch
NQ | nghị quyết
QĐ | quyết định
CT | chỉ thị
Sở CT / SCT | sở công thương
Bộ CT / BCT | bộ công thương
TTg | thủ tướng
BQL | ban quản lý
BQLDA | ban quản lý dự án
ĐBSCL | đồng bằng sông cửu long
PTNT | phát triển nông thôn
NN&PTNT / NNPTNT / NN-PTNT | nông nghiệp và phát triển nông thôn
TN&MT / TNMT | tài nguyên và môi trường
NN&MT / NNMT | nông nghiệp và môi trường
VH-TT&DL / VHTTDL | văn hóa, thể thao và du lịch
LĐ-TB&XH / LĐTBXH | lao động - thương binh và xã hội
GD&ĐT / GDĐT | giáo dục và đào tạo
KH&CN / KHCN | khoa học và công nghệ / khoa học, công nghệ
ĐMST | đổi mới sáng tạo
CĐS | chuyển đổi số
KH&ĐT / KHĐT | kế hoạch và đầu tư
TT&TT / TTTT | thông tin và truyền thông
GTVT | giao thông vận tải
XDCB | xây dựng cơ bản
ĐTM | đánh giá tác động môi trường
ĐVSN | đơn vị sự nghiệp
CBCCVC | cán bộ, công chức, viên chức
DTTS | dân tộc thiểu số
NTM | nông thôn mới
ATGT | an toàn giao thông
PCCC | phòng cháy, chữa cháy
CNTT | công nghệ thông tin
BHYT | bảo hiểm y tế
BHXH | bảo hiểm xã hội
THPT | trung học phổ thông
THCS | trung học cơ sở
GDPT | giáo dục phổ thông
TTHC | thủ tục hành chính
DVC | dịch vụ công
SXKD | sản xuất kinh doanh
DNNVV | doanh nghiệp nhỏ và vừa
PCI | năng lực cạnh tranh cấp tỉnh
PAR INDEX / PAR | chỉ số cải cách hành chính
OCOP | mỗi xã một sản phẩm
LNG | khí hóa lỏng / khí thiên nhiên hóa lỏng
ODA | vốn hỗ trợ phát triển chính thức
BV | bệnh viện
CSGT | cảnh sát giao thông
VPCP | văn phòng chính phủ
QH | quốc hội
UBTVQH | ủy ban thường vụ quốc hội
NĐ | nghị định
CP | chính phủ
VBQPPL | văn bản quy phạm pháp luật
QPPL | quy phạm pháp luật
CQNN | cơ quan nhà nước
TAND | tòa án nhân dân
VKSND | viện kiểm sát nhân dân
QSDĐ / QSD đất | quyền sử dụng đất
GCN | giấy chứng nhận
GCNQSDĐ | giấy chứng nhận quyền sử dụng đất
GPXD | giấy phép xây dựng
NLĐ | người lao động
NSDLĐ | người sử dụng lao động
HĐLĐ | hợp đồng lao động
BHTN | bảo hiểm thất nghiệp
DN | doanh nghiệp
HTX | hợp tác xã
GTGT | giá trị gia tăng
TNDN | thu nhập doanh nghiệp
TNCN | thu nhập cá nhân
TTĐB | tiêu thụ đặc biệt
VPHC | vi phạm hành chính
XLVPHC | xử lý vi phạm hành chính
BVMT | bảo vệ môi trường
ATTP | an toàn thực phẩm
CSDL | cơ sở dữ liệu
CCCD | căn cước công dân
CMND | chứng minh nhân dân
GDNN | giáo dục nghề nghiệp
TCVN | tiêu chuẩn việt nam
QCVN | quy chuẩn kỹ thuật quốc gia
""".strip()

# Same thing in everyday and in official words, both directions: airports are formally
# "cảng hàng không" in every administrative text.
_SYNONYMS = """
sân bay | cảng hàng không
""".strip()


@dataclass
class Concept:
    key: str
    abbrevs: list[tuple[str, ...]] = field(default_factory=list)  # folded token sequences
    phrases: list[tuple[str, ...]] = field(default_factory=list)
    display: str = ""  # the expansion shown to the dense encoder


@dataclass
class Lexicon:
    concepts: dict[str, Concept] = field(default_factory=dict)

    @classmethod
    def curated(cls) -> Lexicon:
        lex = cls()
        for line in _CURATED.splitlines():
            abbrs, phrases = (part.strip() for part in line.split("|"))
            lex.add([a.strip() for a in abbrs.split("/")], [p.strip() for p in phrases.split("/")])
        for line in _SYNONYMS.splitlines():
            lex.add([], [part.strip() for part in line.split("|")])
        return lex

    def add(self, abbrevs: list[str], phrases: list[str]) -> None:
        abbr_tokens = [tuple(fold(w.lower()) for w in words(a)) for a in abbrevs if words(a)]
        phrase_tokens = [tuple(fold(w.lower()) for w in words(p)) for p in phrases if words(p)]
        if not phrase_tokens:
            return
        key = "ab:" + "_".join(phrase_tokens[0])
        concept = self.concepts.setdefault(key, Concept(key, display=phrases[0]))
        for t in abbr_tokens:
            if t not in concept.abbrevs:
                concept.abbrevs.append(t)
        for t in phrase_tokens:
            if t not in concept.phrases:
                concept.phrases.append(t)

    def to_json(self) -> list[dict[str, object]]:
        return [
            {
                "abbrevs": [" ".join(a) for a in c.abbrevs],
                "phrases": [" ".join(p) for p in c.phrases],
                "display": c.display,
            }
            for c in self.concepts.values()
        ]

    @classmethod
    def from_json(cls, data: list[dict[str, object]]) -> Lexicon:
        lex = cls()
        for item in data:
            phrases = [str(p) for p in item["phrases"]]  # type: ignore[union-attr]
            key = "ab:" + "_".join(phrases[0].split())
            lex.concepts[key] = Concept(
                key,
                abbrevs=[tuple(str(a).split()) for a in item["abbrevs"]],  # type: ignore[union-attr]
                phrases=[tuple(p.split()) for p in phrases],
                display=str(item.get("display", phrases[0])),
            )
        return lex

    def matcher(self) -> _Matcher:
        return _Matcher(self)


class _Matcher:
    """Finds concept occurrences in a token sequence (folded, with original casing kept)."""

    def __init__(self, lex: Lexicon):
        self.by_first: dict[str, list[tuple[tuple[str, ...], str, bool]]] = {}
        for c in lex.concepts.values():
            for seq in c.abbrevs:
                self.by_first.setdefault(seq[0], []).append((seq, c.key, True))
            for seq in c.phrases:
                self.by_first.setdefault(seq[0], []).append((seq, c.key, False))
        for entries in self.by_first.values():
            entries.sort(key=lambda e: -len(e[0]))
        self.lex = lex

    def concepts(self, raw: list[str], folded: list[str]) -> list[tuple[int, int, str]]:
        """(start, end, concept key) for every match; abbreviations that could be ordinary
        syllables ("TU", "CT") only count when written in capitals."""
        out = []
        for i, tok in enumerate(folded):
            for seq, key, is_abbr in self.by_first.get(tok, ()):
                n = len(seq)
                if tuple(folded[i : i + n]) != seq:
                    continue
                if is_abbr and n == 1 and could_be_syllable(tok) and not raw[i].isupper():
                    continue
                if is_abbr and n == 1 and len(tok) <= 2 and not raw[i].isupper():
                    continue
                out.append((i, i + n, key))
                break
        return out


_DEFINED = re.compile(
    r"\((?:sau đây\s+)?(?:gọi|viết)\s+(?:tắt\s+)?(?:là\s+)?[*“\"']*([^()*”\"']{2,40}?)[*”\"']*\)",
    re.IGNORECASE,
)
_PAREN_ACRONYM = re.compile(r"\(([A-ZĐ][A-ZĐ&\-.]{1,10})\)")


def defined_abbreviations(text: str) -> list[tuple[str, str]]:
    """(abbreviation, expansion) pairs a document defines for itself."""
    out = []
    for m in list(_DEFINED.finditer(text)) + list(_PAREN_ACRONYM.finditer(text)):
        abbr = m.group(1).strip()
        letters = [fold(ch.lower()) for ch in abbr if ch.isalpha()]
        if not 2 <= len(letters) <= 10 or not abbr.replace(" ", "").isupper():
            continue
        before = words(text[max(0, m.start() - 200) : m.start()])
        phrase = _initials_match(before, letters)
        if phrase:
            out.append((abbr, phrase))
    return out


def _initials_match(before: list[str], letters: list[str]) -> str | None:
    """The shortest run of words ending at ``before[-1]`` whose initials spell ``letters``.

    Vietnamese acronyms take the first letter of each syllable ("giải phóng mặt bằng" →
    GPMB), but digraph onsets may keep two letters ("Thông tin" → TT, "Nghị quyết" → NQ).
    """
    target = "".join(letters)
    for n in range(2, min(len(before), 12) + 1):
        run = before[-n:]
        initials = "".join(fold(w[0].lower()) for w in run)
        if initials == target:
            return " ".join(run)
    return None
