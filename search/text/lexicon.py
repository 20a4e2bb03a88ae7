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
BC | báo cáo
CV | công văn
TTr | tờ trình
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
GTNT | giao thông nông thôn
NTTS | nuôi trồng thủy sản
CSHT | cơ sở hạ tầng
HTKT | hạ tầng kỹ thuật
XNK | xuất nhập khẩu
PCTN | phòng, chống tham nhũng
KNTC | khiếu nại, tố cáo
THADS | thi hành án dân sự
HLHPN | hội liên hiệp phụ nữ
LĐLĐ | liên đoàn lao động
ATGT | an toàn giao thông
TNGT | tai nạn giao thông
TTATGT | trật tự, an toàn giao thông
ANTT | an ninh trật tự
ANCT | an ninh chính trị
QP-AN / QPAN / QP&AN | quốc phòng - an ninh
LLVT | lực lượng vũ trang
CAND | công an nhân dân
CA | công an
QĐND | quân đội nhân dân
NVQS | nghĩa vụ quân sự
CNCH | cứu nạn, cứu hộ
PCTT | phòng, chống thiên tai
TKCN | tìm kiếm cứu nạn
BĐKH | biến đổi khí hậu
PCCC | phòng cháy, chữa cháy
CNTT | công nghệ thông tin
BHYT | bảo hiểm y tế
KCB | khám chữa bệnh / khám bệnh, chữa bệnh
TYT | trạm y tế
SXH | sốt xuất huyết
TCM | tay chân miệng
VSATTP / ATVSTP | vệ sinh an toàn thực phẩm / an toàn vệ sinh thực phẩm
NCC | người có công
BTXH | bảo trợ xã hội
ASXH | an sinh xã hội
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

# Same thing in everyday and in official words: people ask about "bằng lái" and "sổ đỏ",
# the documents say "giấy phép lái xe" and "giấy chứng nhận quyền sử dụng đất". Everyday
# forms | official forms ("/" separates alternatives). Only true equivalences, of at least
# two syllables or an unmistakable shortening ("cty"): a loose pair finds wrong passages.
# Written from general usage, apart from every query set.
_SYNONYMS = """
sân bay | cảng hàng không
xe máy | xe mô tô / xe gắn máy
bằng lái / bằng lái xe | giấy phép lái xe
thi bằng lái / thi bằng lái xe | sát hạch lái xe
học lái xe | đào tạo lái xe
trường dạy lái xe / trung tâm dạy lái xe | cơ sở đào tạo lái xe
tước bằng lái / tước bằng | tước quyền sử dụng giấy phép lái xe
giam xe | tạm giữ phương tiện
cà vẹt / cà vẹt xe | giấy chứng nhận đăng ký xe / giấy đăng ký xe
biển số xe | biển kiểm soát
đèn xanh đèn đỏ | đèn tín hiệu giao thông
vượt đèn đỏ | không chấp hành hiệu lệnh của đèn tín hiệu giao thông
lấn làn / đi sai làn | đi không đúng phần đường hoặc làn đường quy định
uống rượu lái xe / lái xe say rượu | máu hoặc hơi thở có nồng độ cồn
đậu xe | đỗ xe
kẹt xe / tắc đường | ùn tắc giao thông
bảo hiểm xe máy | bảo hiểm bắt buộc trách nhiệm dân sự của chủ xe cơ giới
phí bảo trì đường bộ | phí sử dụng đường bộ
hộ khẩu | thường trú / đăng ký thường trú
nhập hộ khẩu / chuyển hộ khẩu | đăng ký thường trú
cắt hộ khẩu / cắt khẩu | xóa đăng ký thường trú
khai báo tạm trú | đăng ký tạm trú
giấy xác nhận cư trú / giấy xác nhận nơi cư trú | xác nhận thông tin về cư trú
mã định danh / mã định danh cá nhân | số định danh cá nhân
làm giấy khai sinh / làm khai sinh | đăng ký khai sinh
sửa giấy khai sinh | cải chính hộ tịch
giấy chứng tử | trích lục khai tử
giấy kết hôn / giấy đăng ký kết hôn | giấy chứng nhận kết hôn
giấy xác nhận độc thân | giấy xác nhận tình trạng hôn nhân
ly dị | ly hôn
nhận cha con | nhận cha mẹ con
xin con nuôi / nhận con nuôi | nuôi con nuôi / đăng ký nuôi con nuôi
passport | hộ chiếu
visa | thị thực
photo công chứng / sao y công chứng / sao y bản chính | chứng thực bản sao / bản sao có chứng thực
việt kiều | người việt nam định cư ở nước ngoài
sổ đỏ / bìa đỏ | giấy chứng nhận quyền sử dụng đất
sổ hồng | giấy chứng nhận quyền sở hữu nhà ở / giấy chứng nhận quyền sử dụng đất
đất thổ cư | đất ở
lên thổ cư / chuyển lên thổ cư | chuyển mục đích sử dụng đất
đất ruộng / ruộng lúa | đất trồng lúa
mua bán đất | chuyển nhượng quyền sử dụng đất
tách sổ / tách sổ đỏ | tách thửa / tách thửa đất
đền bù | bồi thường
đền bù giải tỏa | bồi thường giải phóng mặt bằng / bồi thường hỗ trợ tái định cư
thuế trước bạ | lệ phí trước bạ
chung cư mini | nhà ở nhiều tầng nhiều căn hộ của cá nhân
giấy phép xây nhà / xin phép xây nhà | giấy phép xây dựng / cấp giấy phép xây dựng nhà ở riêng lẻ
sửa nhà | sửa chữa cải tạo nhà ở
vỉa hè | hè phố
tăng ca | làm thêm giờ
nghỉ phép năm / nghỉ phép | nghỉ hằng năm
nghỉ đẻ / nghỉ sinh | nghỉ thai sản / chế độ thai sản
nghỉ ốm | chế độ ốm đau
về hưu | nghỉ hưu
đuổi việc | sa thải
đơn phương nghỉ việc | đơn phương chấm dứt hợp đồng lao động
chủ lao động / ông chủ | người sử dụng lao động
giúp việc nhà / ô sin | người giúp việc gia đình / lao động là người giúp việc gia đình
xuất khẩu lao động | người lao động việt nam đi làm việc ở nước ngoài theo hợp đồng
mất sức lao động | suy giảm khả năng lao động
rút bảo hiểm một lần | hưởng bảo hiểm xã hội một lần / bảo hiểm xã hội một lần
chốt sổ bảo hiểm | xác nhận thời gian đóng bảo hiểm xã hội
khám trái tuyến / trái tuyến | khám chữa bệnh không đúng tuyến / không đúng tuyến
chuyển viện | chuyển tuyến / chuyển cơ sở khám bệnh chữa bệnh
bệnh nhân | người bệnh
tiêm phòng / chích ngừa | tiêm chủng
trạm xá | trạm y tế
bà bầu / mẹ bầu | phụ nữ mang thai
thực phẩm bẩn | thực phẩm không bảo đảm an toàn
người già | người cao tuổi
người tàn tật | người khuyết tật
đóng thuế | nộp thuế
nợ thuế | tiền thuế nợ
thuế môn bài | lệ phí môn bài
hóa đơn đỏ | hóa đơn giá trị gia tăng
giấy phép kinh doanh | giấy chứng nhận đăng ký doanh nghiệp / giấy chứng nhận đăng ký hộ kinh doanh
mở công ty / thành lập công ty | thành lập doanh nghiệp / đăng ký thành lập doanh nghiệp
đóng cửa công ty | giải thể doanh nghiệp
cty | công ty
sdt / sđt | số điện thoại
online / qua mạng | trực tuyến
ship / ship hàng | giao hàng
phí ship | phí giao hàng / phí vận chuyển
shipper | người giao hàng / nhân viên giao hàng
shop | cửa hàng
shop online | gian hàng trực tuyến / cửa hàng trực tuyến
website / trang web | trang thông tin điện tử
khuyến mãi | khuyến mại
người mua hàng | người tiêu dùng
hàng nhái | hàng hóa giả mạo về sở hữu trí tuệ
hàng lậu | hàng nhập lậu
quảng cáo sai sự thật | quảng cáo gian dối
lừa đảo qua mạng | lừa đảo trên không gian mạng / lừa đảo trực tuyến
vay nặng lãi | cho vay lãi nặng
tù treo | án treo
đi bộ đội / đi lính | nhập ngũ / thực hiện nghĩa vụ quân sự
trường cấp 1 | trường tiểu học
trường cấp 2 | trường trung học cơ sở
trường cấp 3 | trường trung học phổ thông
thi tốt nghiệp cấp 3 | kỳ thi tốt nghiệp trung học phổ thông
học nghề | giáo dục nghề nghiệp / đào tạo nghề
rác sinh hoạt / rác thải sinh hoạt | chất thải rắn sinh hoạt
bãi rác | bãi chôn lấp chất thải rắn / khu xử lý chất thải rắn
xả rác bừa bãi / vứt rác bừa bãi | vứt rác không đúng nơi quy định
cúp điện / cắt điện | ngừng cung cấp điện / ngừng giảm mức cung cấp điện
thuốc trừ sâu / thuốc sâu | thuốc bảo vệ thực vật
phân hóa học | phân bón vô cơ
cây giống | giống cây trồng
cúm gà | cúm gia cầm
thịt heo | thịt lợn
dịch tả heo châu phi | dịch tả lợn châu phi
đánh bắt cá / đánh cá | khai thác thủy sản
dự án treo | dự án chậm triển khai / dự án chậm tiến độ
bộ phận một cửa | bộ phận tiếp nhận và trả kết quả
giấy hẹn | giấy tiếp nhận hồ sơ và hẹn trả kết quả
tiếp dân | tiếp công dân
ủy ban xã | ủy ban nhân dân xã
ủy ban tỉnh | ủy ban nhân dân tỉnh
chủ tịch tỉnh | chủ tịch ủy ban nhân dân tỉnh
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
            lex.add([], [p.strip() for side in line.split("|") for p in side.split("/")])
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

    def abbreviations(self) -> frozenset[str]:
        """The one-word abbreviations no syllable is spelled like ("ntm", "gpmb"), folded:
        typed in lower case, they are abbreviations still, not typos of a syllable."""
        return frozenset(
            a[0]
            for c in self.concepts.values()
            for a in c.abbrevs
            if len(a) == 1 and not could_be_syllable(a[0])
        )

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
        """(start, end, concept key) for every match, longest first at each word: "giấy
        chứng nhận quyền sử dụng đất" is GCNQSDĐ, GCN and "sổ đỏ" at once. Abbreviations
        that could be ordinary syllables ("TU", "CT") only count when written in capitals."""
        out = []
        for i, tok in enumerate(folded):
            found = set()
            for seq, key, is_abbr in self.by_first.get(tok, ()):
                n = len(seq)
                if key in found or tuple(folded[i : i + n]) != seq:
                    continue
                if is_abbr and n == 1 and could_be_syllable(tok) and not raw[i].isupper():
                    continue
                if is_abbr and n == 1 and len(tok) <= 2 and not raw[i].isupper():
                    continue
                out.append((i, i + n, key))
                found.add(key)
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
