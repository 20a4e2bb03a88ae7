"""Vietnamese words: the tokenizer every module starts from, and every word list.

Lists are written with diacritics, as users type them; modules that compare folded text use
``folded(...)`` of the same list, so a list is kept once.
"""

from __future__ import annotations

import re

from .normalize import fold, fold_word

# A word: the unit every tokenizer in the package starts from. A few capitals glued to a
# number are two words, as they are read: "QL1A" is quốc lộ 1A, "ĐT883" đường tỉnh 883.
WORD = re.compile(r"[A-ZĐ]{1,5}(?=\d)|\w+", re.UNICODE)
# A capital letter, with or without diacritics ("Đ", "Ấ"). A range such as "À-Ỹ" is no such
# class: it holds the small letters between ("đ", "ấ"), so "tỉnh đăng tải" read as a place.
_LETTERS = [c for c in map(chr, range(0xC0, 0x1EFA)) if fold(c.lower()).isascii() and c.isalpha()]
CAPITAL = "[A-Z" + "".join(c for c in _LETTERS if c.isupper()) + "]"
SMALL = "[a-z" + "".join(c for c in _LETTERS if c.islower()) + "]"
# The vowel groups of Vietnamese syllables, diacritics folded ("uyê" → "uye", "ươi" → "uoi").
_VOWELS = (
    "ieu|yeu|oai|oao|oay|oeo|uay|uoi|uou|uya|uye|uyu|"
    "ai|ao|au|ay|eo|eu|ia|ie|iu|oa|oe|oi|oo|ua|ue|ui|uo|uu|uy|ya|ye|"
    "a|e|i|o|u|y"
)
_SYLLABLE = re.compile(
    r"^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?"
    rf"(?:{_VOWELS})(?:ng|nh|ch|[cmnpt])?$"
)


def words(text: str) -> list[str]:
    return WORD.findall(text)


def folded_words(text: str) -> set[str]:
    """The folded, lower-case words of ``text``: "Tên dự kiến" → {"ten", "du", "kien"}."""
    return set(WORD.findall(fold(text.lower())))


def could_be_syllable(folded_word: str) -> bool:
    """Whether a folded token could be a Vietnamese syllable ('tu' yes, 'gpmb' no)."""
    return bool(_SYLLABLE.match(folded_word))


def folded(phrases: tuple[str, ...] | frozenset[str]) -> frozenset[str]:
    return frozenset(fold(p) for p in phrases)


def alternation(phrases, suffix: str = r"(?!\w)") -> str:
    """A regular expression matching any of ``phrases``, the longest first."""
    return "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True)) + suffix


def _split(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Words that ask rather than describe; they never appear in the answer passage.
QUESTION_WORDS = _split("bao nhiêu mấy nào gì ai đâu khi nào bao giờ chưa phải là hay hoặc thế nào")
FUNCTION_WORDS = _split("như ra sao những các của và về cho được đã sẽ đang thì mà với")
# Prepositions that join a subject to its setting ("dự án tại xã Tam Giang").
PREPOSITIONS = _split("theo tại trong")
# Query words lexical search ignores, folded (is_query_stop says how a typed word compares).
QUERY_STOP = folded(QUESTION_WORDS + FUNCTION_WORDS)
_QUERY_STOP_MARKED = frozenset(QUESTION_WORDS + FUNCTION_WORDS)


def is_query_stop(word: str) -> bool:
    """Whether a lower-cased query word only asks or links. Compared as typed when it carries
    diacritics: "đầu" (đầu tư), "Đảng", "máy", "thị", "cửa" are not "đâu", "đang", "mấy",
    "thì", "của". Compared folded when typed without: "dau" may be either, and asks more often."""
    f = fold_word(word)
    return word in _QUERY_STOP_MARKED if word != f else f in QUERY_STOP


# Question and function words, never part of a query's subject (timeline).
SUBJECT_STOP = frozenset(QUESTION_WORDS + FUNCTION_WORDS + PREPOSITIONS) - {"như", "ra", "sao"}

# Words of asking and of conversation ("bao lâu", "vì sao", "giúp tôi") that documents do
# not use: their absence from the corpus says nothing about whether it can answer.
# Compared with diacritics only: folded, "nhỉ" would be "nhi" as in "sản nhi".
CONVERSATIONAL = frozenset(
    _split(
        "lâu xa sao vì tại gồm nhỉ vậy ạ hả à ư nhé xin biết hỏi muốn giúp tôi em anh chị "
        "mình ơi cho hãy nên cần"
    )
)

# Shorthands of typed chat, spelled out before a query is read: "có phải tự chịu phí ko"
# asks "không", "đc" is "được". Only forms no document and no other word writes, in lower
# case ("MN" is "mầm non").
SHORTHANDS = {
    "ko": "không", "k0": "không", "hok": "không", "khum": "không",
    "dc": "được", "đc": "được", "j": "gì", "ntn": "như thế nào", "bnhiu": "bao nhiêu",
    "bao nhiu": "bao nhiêu",
    "vs": "với", "ng": "người", "trc": "trước", "cx": "cũng", "lm": "làm", "mn": "mọi người",
}  # fmt: skip

# What a question dates ("tháng mấy", "ngày nào"): asked of a time, answered by a number beside it.
DATE_CUES = ("mấy", "nào")
# The time of day asked: "trước mấy giờ", "từ mấy giờ đến mấy giờ" ("mấy tháng" counts months).
CLOCK = "mấy giờ"
DATE_UNITS = ("ngày", "tháng", "quý", "năm", "tuần", "giờ")
# Words opening with a cue that ask nothing: a limit, a drought, a quota ("hạn").
NOT_ASKING = ("hạn chế", "hạn hán", "hạn mức", "hạn ngạch")
# What a question asks about: the phrases that ask it, and the words that head the table
# column holding the answer ("ai chủ trì" → the "Cơ quan chủ trì" cell).
ASKS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "when": (
        ("tiến độ", "khi nào", "bao giờ", "bao lâu", "thời hạn", "hạn", "thời gian", "lúc nào",
         "hoàn thành", CLOCK, *(f"{u} {c}" for u in DATE_UNITS for c in DATE_CUES)),
        ("tiến độ", "thời hạn", "thời gian", "hoàn thành", "dự kiến"),
    ),
    "who": (
        ("ai", "cơ quan nào", "đơn vị nào", "sở nào", "chủ trì", "giao cho", "được giao",
         "phụ trách", "theo dõi"),
        ("chủ trì", "chủ đầu tư", "phụ trách", "cơ quan", "đơn vị"),
    ),
    # Which firm: answered by a company's name, not by the body that leads the task. ("doanh
    # nghiệp nào", "nhà đầu tư nào" may ask for a class: "doanh nghiệp nhỏ và vừa"; "... là
    # doanh nghiệp nào" asks who one is.)
    "firm": (
        ("công ty nào", "nhà thầu nào", "liên danh nào", "là doanh nghiệp nào",
         "là nhà đầu tư nào"),
        ("nhà thầu", "đơn vị thi công", "công ty"),
    ),
    # Where: a place by unit and name ("Xã Tham Đôn, huyện Mỹ Xuyên"), a row's location cell.
    "where": (
        ("ở đâu", "tại đâu", "nơi nào", "chỗ nào", "địa điểm", "xã nào", "phường nào",
         "huyện nào", "thị trấn nào", "địa bàn nào", "khu vực nào"),
        ("địa điểm", "vị trí", "địa bàn"),
    ),
    "amount": (
        ("bao nhiêu", "tổng mức", "vốn", "kinh phí", "tiền", "quy mô", "công suất",
         "chiều dài", "diện tích"),
        ("tổng", "vốn", "kinh phí", "số tiền", "mức", "quy mô", "kế hoạch vốn"),
    ),
    "result": (("kết quả", "sản phẩm", "chỉ tiêu", "đạt"), ("kết quả", "sản phẩm", "ghi chú")),
    # Why: a cause ("do sét đánh"), a table's note or cause column.
    "why": (("vì sao", "tại sao", "lý do", "nguyên nhân", "vì đâu", "do đâu"),
            ("nguyên nhân", "lý do", "ghi chú")),
    "progress": (
        ("tiến độ", "đến đâu", "tình hình", "tới đâu", "đã xong chưa", "thực hiện chưa",
         "bước nào"),
        ("tiến độ", "kết quả", "tình hình", "ghi chú"),
    ),
}  # fmt: skip
# What an answer of each kind looks like, to prefer spans that hold one: the bodies that
# lead a task and the verbs that say so, words of time, units of amounts, words of progress.
AGENCIES = (
    "Sở",
    "Ban",
    "Ủy ban",
    "UBND",
    "Cục",
    "Chi cục",
    "Văn phòng",
    "Liên minh",
    "Tập đoàn",
    "Tổng công ty",
    "Công ty",
    "Công an",
    "Bộ Chỉ huy",
    "Bộ",
    "Đài",
    "Báo",
    "Hội",
    "Trường",
    "Thanh tra",
    "Kho bạc",
    "Ngân hàng",
    "Bảo hiểm xã hội",
    "Đảng ủy",
    "Tỉnh ủy",
    "Tỉnh đoàn",
    "Hội đồng",
    "Trung tâm",
    "Viện",
    "Quỹ",
    "Chủ tịch",
    "Thủ trưởng",
    "Giám đốc",
)
# Firms, named by their kind and a proper name ("Công ty Cổ phần Xây dựng 2", "Liên danh
# Cienco 4 - Vinaconex"); and the nouns that make a "who" question ask for one ("nhà thầu
# thi công cầu X là đơn vị nào").
FIRMS = ("Công ty", "Tổng công ty", "Liên danh", "Doanh nghiệp", "Tập đoàn", "Hợp tác xã",
         "HTX", "Nhà thầu")  # fmt: skip
# Administrative units, before the name of a place ("huyện Kế Sách", "TP. Cà Mau").
PLACE_UNITS = ("huyện", "xã", "quận", "phường", "thị trấn", "thị xã", "thành phố", "TP", "tỉnh",
               "ấp", "khóm")  # fmt: skip
FIRM_NOUNS = ("nhà thầu", "trúng thầu", "công ty", "liên danh")
# What an administrative procedure is asked by ("thủ tục cấp hộ chiếu", "hồ sơ ... gồm những
# gì", "cần giấy tờ gì", "điều kiện được hưởng ...").
PROCEDURE_NOUNS = ("thủ tục", "hồ sơ", "điều kiện", "quy trình", "trình tự", "giấy tờ")
# Bodies named by their level rather than a proper name: "UBND tỉnh", "Công an cấp xã",
# "Cơ quan quản lý nhà nước về thủy sản cấp tỉnh".
LOCAL_BODIES = ("Ủy ban nhân dân", "UBND", "Hội đồng nhân dân", "HĐND", "Công an", "Cơ quan")
LEVELS = ("cấp", "tỉnh", "huyện", "xã", "phường", "thị xã", "thành phố", "quận", "các")
LEAD_VERBS = ("chủ trì", "phụ trách", "chịu trách nhiệm", "tham mưu", "được giao", "chủ đầu tư",
              "thường trực")  # fmt: skip
# Words dating what follows them ("tháng 7", "quý II"); not "giai đoạn": "giai đoạn 2" of a
# project is a phase, "giai đoạn 2021 - 2025" is dated by its years.
TIME_WORDS = (
    "tháng",
    "quý",
    "năm",
    "ngày",
    "trước ngày",
    "chậm nhất",
    "hằng năm",
    "hằng quý",
    "hằng tháng",
    "thường xuyên",
    "trước",
    "từ",
    "đến",
)
# Times that recur by the week or the day: "Tối thứ Bảy hằng tuần" dates an event. A day
# of the week is capitalised: "xếp thứ ba" is a rank.
WEEKDAYS = ("Hai", "Ba", "Tư", "Năm", "Sáu", "Bảy")
WEEKLY = ("chủ nhật", "hằng tuần", "hằng ngày", "mỗi tuần")
# Units of measure: four digits before one are a quantity, not a year ("2000 MW").
UNITS_OF_MEASURE = ("%", "phần trăm", "tỷ", "triệu", "nghìn", "đồng", "USD", "ha", "km", "m2",
                    "m²", "m3", "m³", "MW", "MWp", "kW", "kWh", "MVA", "kV", "tấn", "kg",
                    "lít")  # fmt: skip
# Words opening with a unit as spelled that name something else: "4.200 đồng hồ nước" are
# meters, "05 đồng chí" people, "năm 2025 tỷ lệ hộ nghèo" no sum.
UNIT_LOOKALIKES = ("đồng hồ", "đồng chí", "đồng bào", "đồng bộ", "đồng thời", "tỷ lệ",
                   "tấn công", "triệu tập")  # fmt: skip
# Nouns that count people by their role, and the classifier children are counted by
# ("bao nhiêu đứa nhỏ").
PEOPLE = ("cán bộ", "chiến sĩ", "công chức", "viên chức", "lao động", "công nhân", "nhân viên",
          "học sinh", "sinh viên", "học viên", "giáo viên", "bệnh nhân", "hội viên",
          "thành viên", "đoàn viên", "đảng viên", "khách", "công dân", "thanh niên",
          "tân binh", "trẻ em", "trẻ", "ngư dân", "nông dân", "đối tượng", "đứa", "em")  # fmt: skip
PERSON = "người"
# What an amount is stated in: a unit of measure, or what is counted ("12 xã").
UNITS = (*UNITS_OF_MEASURE, PERSON, *PEOPLE, "hộ", "căn", "giường", "hành khách", "lượt",
         "trạm", "chiếc", "công trình", "dự án", "xã", "lần", "tuổi", "ngày", "vụ",
         "doanh nghiệp")  # fmt: skip
# Words opening a condition: after a semicolon, the clause is the exception to the rule
# before it ("...; trường hợp người đến lưu trú sau 23 giờ thì ...").
CONDITIONS = ("trường hợp", "nếu", "riêng")
# Words asking for a whole, not a part: "tổng số lượt tiếp công dân" is answered by the
# sentence stating the total, not by an item of its breakdown ("- Trụ sở ... tiếp 214 lượt").
TOTALS = ("tổng số", "tổng cộng", "toàn tỉnh", "cả tỉnh", "toàn bộ", "tất cả")
WHOLES = ("tổng", "toàn", "cả tỉnh", "cộng")  # an item naming one states a whole too
# What a question counts ("bao nhiêu km", "mấy nút giao") or dates ("tháng mấy", "ngày
# nào"): its answer holds a number beside that word, or beside a unit that measures it.
COUNT_CUES = ("bao nhiêu", "mấy")
# A classifier between the cue and the noun ("mấy cái chòi canh"): the noun is what is
# counted, however the text writes it ("06 chòi canh").
CLASSIFIERS = ("cái",)
# "mấy tháng đầu năm", "mấy năm qua": a few months or years, when something is, not what
# the question counts.
TIME_SPANS = ("đầu", "cuối", "qua", "gần đây", "trước", "nay", "tới")
# After "một" these say how much, not per what: "một số xã", "một phần kinh phí".
QUANTIFIERS = ("số", "phần", "cách", "ít", "chút", "vài", "nửa")
# Words that link what comes before to what follows: after "bao nhiêu" they start the next
# phrase ("bao nhiêu để ...", "vượt bao nhiêu so với dự toán"), not name what is counted.
LINK_WORDS = _split("để nếu khi vì nên thì mà và hay hoặc so với từ đến một mỗi")
_MONEY = ("đồng", "triệu", "tỷ", "nghìn", "USD")
# What a payment question measures ("mức phạt", "lệ phí"): a sum, or a share beside what is
# paid (measures._SHARE_PAID). It is stated only by its units: "05 mức" counts levels.
PAYMENT = "mức"
FINE = "mức phạt"  # a fine is a sum: "100% tàu cá" states none
# What "bao lâu" asks: a duration, stated only by its units ("07 ngày làm việc", "06 tháng").
DURATION = "bao lâu"
# What a price asks ("giá vé tham quan bao nhiêu", "đơn giá bồi thường ..."): a sum of money,
# stated only by its units; a share ("đạt 68,8%") or a count ("41.300 liều") is no price.
PRICE = "giá"
# Words before "giá" that make it no price asked: an assessment ("đánh giá"), an auction
# ("đấu giá"), a policy on prices ("bình ổn giá"), a change in one, stated as a share
# ("giảm giá 10%"), and a table of them, asked as a document ("bảng giá đất").
NOT_PRICES = ("đánh", "đấu", "bình ổn", "giảm", "tăng", "bảng", "thẩm định", "trượt")
# What a contact question asks ("số điện thoại đường dây nóng", "tổng đài ... là số mấy"): a
# telephone number, which no count, sum or date states.
PHONE = "số điện thoại"
PHONE_LINES = ("điện thoại", "tổng đài", "đường dây nóng", "hotline")
# Rates a question names ("lãi suất vay ... bao nhiêu"): a share stated beside the rate's
# name ("lãi suất cho vay 4,8%/năm", "hỗ trợ 50% lãi suất"); a works' progress ("đạt 65%")
# states no interest or tax rate.
RATES = ("lãi suất", "thuế suất")
# Nouns that take a number of their own: "mẫu số mấy" asks a form's number, not that of
# the document a question names before it.
NUMBERED_NOUNS = ("mẫu", "biểu", "phụ lục", "điều", "khoản", "tuyến", "xe", "tàu", "phòng",
                  "lô", "tờ", "trang", "đường", "quốc lộ", "tỉnh lộ", "cổng", "khu")  # fmt: skip
# What "thứ mấy" / "hạng mấy" asks: a rank, stated as "thứ 12", "hạng 20", "vị trí 5".
ORDINAL = "thứ hạng"
# Nouns naming a quantity, and the units stating it: a question that names one asks for
# that number though it says no "bao nhiêu" ("diện tích rừng ngập mặn", "sản lượng lúa năm
# 2025"); its answer holds a number in one of the quantity's units.
QUANTITIES = {
    "diện tích": ("ha", "hecta", "héc ta", "m2", "m²", "km2", "km²"),
    "chiều dài": ("m", "mét", "km"),
    "chiều rộng": ("m", "mét", "km"),
    "bề rộng": ("m", "mét", "km"),
    "chiều cao": ("m", "mét", "cm"),
    "độ sâu": ("m", "mét"),
    "vận tốc": ("km/h",),
    "tốc độ thiết kế": ("km/h",),
    "tuổi thọ": ("tuổi",),
    "dung tích": ("m3", "m³", "lít"),
    "trọng tải": ("tấn", "DWT"),
    "sản lượng": ("tấn",),
    "công suất": ("MW", "kW", "MWp", "GW", "MVA", "m3", "m³", "tấn"),
    "tỷ lệ": ("%", "phần trăm"),
    **dict.fromkeys(RATES, ("%", "phần trăm")),
    "tăng trưởng": ("%", "phần trăm"),
    "tổng mức đầu tư": _MONEY,
    "kinh phí": _MONEY,  # "kinh phí xây dựng Khoa Nội": a sum, not where it comes from
    "tổng vốn": _MONEY,
    "doanh thu": _MONEY,
    "kim ngạch": _MONEY,
    "thu nhập": _MONEY,
}
QUANTITY_NOUNS = tuple(QUANTITIES)
# A map's scale ("tỷ lệ 1/2.000", "tỉ lệ 1:500"), in lower case with or without diacritics:
# no share, so a query naming one asks for no "tỷ lệ" and a passage holding one states none.
MAP_SCALE = re.compile(r"(?<!\w)t[ỷỉyi]\s+l[ệe]\s+1\s*[/:]\s*\d[\d.,]*")
# Sums of money a question names: "bao nhiêu kinh phí", "kinh phí ... là bao nhiêu".
SUMS = ("tiền", "vốn", "kinh phí")  # "giải ngân được bao nhiêu vốn"
MEASURE_UNITS = {
    **dict.fromkeys(SUMS, _MONEY),
    "phần": ("%",),  # "phần trăm"
    "%": ("phần trăm",),
    "mét": ("m", "km"),
    "mét vuông": ("m2", "m²"),
    # "bao nhiêu người" đến: "512.300 lượt khách"; people are counted by their role too
    # ("350 cán bộ, chiến sĩ", "1.200 lao động").
    PERSON: ("lượt", *PEOPLE),
    "ha": ("hecta", "héc ta"),
    # Counted as everyday speech counts: animals as individuals ("bao nhiêu con" → "30 cá
    # thể"), homes as households ("bao nhiêu nhà được dùng nước" → "11.850 hộ"), factories
    # and firms as establishments ("mấy nhà máy đã lắp" → "29 cơ sở lắp đặt").
    "con": ("cá thể",),
    "nhà": ("hộ", "căn"),
    "nhà máy": ("cơ sở", "doanh nghiệp"),
    "công ty": ("doanh nghiệp",),
    PAYMENT: _MONEY,  # or a share beside what is paid: "giảm 50% lệ phí"
    FINE: _MONEY,
    PRICE: _MONEY,
    ORDINAL: ("thứ", "hạng", "vị trí"),
    DURATION: (*DATE_UNITS, "phút"),
    **QUANTITIES,
}
# Measures no text writes as a noun beside the number: only their units state them.
STATED_BY_UNITS = (PAYMENT, FINE, PRICE, DURATION, ORDINAL)
# Words that make "số" part of a name, not a count: "số đăng ký", "số hóa", "số liệu"; or
# of a sum ("số thu tiền thuê đất", "số chi"). After any other word, a query opening with
# "số" counts it ("số khách du lịch", "số hội viên").
NAMED_NUMBERS = _split("hóa hoá liệu hiệu nhà máy khung học phận đông ít thu chi") + (
    "đăng ký", "ký hiệu", "điện thoại", "tổng đài", "tài khoản", "định danh", "thứ tự",
    "văn bản", "quyết định",
)  # fmt: skip
# What is paid or received: a query opening with "mức" and one of them ("mức phạt", "mức lệ
# phí", "mức hỗ trợ"), or with what is paid named as a noun ("lệ phí cấp ...", "phụ cấp cho
# giáo viên ... bao nhiêu"), asks for a sum (MEASURE_UNITS[PAYMENT]).
PAYMENTS = ("phạt", "xử phạt", "phí", "lệ phí", "học phí", "thu", "chi", "hỗ trợ", "lương",
            "tiền", "đóng", "bồi thường", "trợ cấp", "phụ cấp", "thưởng", "giá")  # fmt: skip
FEES = ("lệ phí", "học phí", "phí", "phụ cấp", "trợ cấp", "tiền lương", "tiền")
PROGRESS_WORDS = (
    "đã", "đang", "hoàn thành", "chưa", "đạt", "lập dự án", "trình", "khởi công", "triển khai",
    "thi công", "đưa vào", "phê duyệt",
)  # fmt: skip
# Without a question word, a row's status is what staff want: progress, deadline, lead.
STATUS_HEADS = ("tiến độ", "thời hạn", "thời gian", "hoàn thành", "chủ trì", "kết quả")
# Table columns worth quoting in a timeline.
PROGRESS_HEADS = ("tiến độ", "thời hạn", "hoàn thành", "thời gian", "chủ trì", "phụ trách",
                  "ghi chú")  # fmt: skip

# Closed sets of alternatives, each alternative as written: a passage naming only others of
# a set than the query names does not answer it ("tỷ lệ học sinh THCS biết bơi" is not
# "tỷ lệ học sinh tiểu học biết bơi đạt 45%"). Only where the words name nothing else: a
# training level with its cue ("trình độ sơ cấp": bare, "sơ cấp" is also "hồ sơ cấp ...",
# "đại học" a university), no "nông thôn" ("Sở ... Phát triển nông thôn"), and no levels of
# government ("cấp huyện" is as often written "các huyện, thị xã", with no level named).
ALTERNATIVES = (
    (("nam giới",), ("nữ giới",)),
    (("mầm non",), ("tiểu học",), ("trung học cơ sở", "THCS"), ("trung học phổ thông", "THPT")),
    (("trình độ sơ cấp", "sơ cấp nghề", "đào tạo sơ cấp"),
     ("trình độ trung cấp", "trung cấp nghề", "đào tạo trung cấp"),
     ("trình độ cao đẳng", "cao đẳng nghề", "đào tạo cao đẳng"),
     ("trình độ đại học", "đào tạo đại học")),
    (("Đông Xuân",), ("Hè Thu",), ("Thu Đông",), ("Xuân Hè",)),
    (("ô tô",), ("xe máy", "mô tô", "xe gắn máy"), ("xe đạp",), ("xe đạp điện", "xe máy điện")),
    (("giải nhất",), ("giải nhì",), ("giải ba",), ("giải khuyến khích",)),
    (("tôm sú",), ("tôm thẻ chân trắng", "tôm thẻ"), ("tôm càng xanh",), ("tôm hùm",)),
    (("PCI", "năng lực cạnh tranh cấp tỉnh"), ("PAPI",),
     ("PAR INDEX", "chỉ số cải cách hành chính"), ("SIPAS", "chỉ số hài lòng"),
     ("DTI", "chỉ số chuyển đổi số")),
    (("điện gió",), ("điện mặt trời",), ("điện khí",), ("nhiệt điện",), ("thủy điện",),
     ("điện sinh khối",), ("điện rác",)),
    (("đường bộ",), ("đường thủy",), ("đường sắt",), ("hàng không",), ("hàng hải",)),
    (("khai mạc",), ("bế mạc",)),
    (("công chức",), ("viên chức",)),
)  # fmt: skip

# Words that say what is asked about a subject, not what the subject is ("Hòn Khoai tiến
# độ" → subject "Hòn Khoai").
ASPECTS = (
    "tiến độ", "thời hạn", "thời gian", "hoàn thành", "dự kiến", "chủ trì", "phối hợp",
    "phụ trách", "kết quả", "tình hình", "thực hiện", "triển khai", "đến đâu", "bao giờ",
    "khi nào", "lúc nào", "năm nào", "cơ quan nào", "đơn vị nào", "sở nào", "ai",
    "như thế nào", "thế nào", "ra sao", "hiện nay", "mới nhất", "qua các năm", "qua các văn bản",
)  # fmt: skip

# Queries ask questions documents rarely do ("bao nhiêu căn", "khi nào"): their phrases seed
# the diacritic restorer's counts so these words come back right.
ASKING_PHRASES = (
    "bao nhiêu", "bao giờ", "bao lâu", "khi nào", "lúc nào", "ở đâu", "là gì", "như thế nào",
    "thế nào", "ra sao", "vì sao", "tại sao", "tháng mấy", "năm nào", "mấy giờ", "mấy",
    "ai chủ trì", "cơ quan nào", "đơn vị nào", "có", "không", "phải", "hoàn thành", FINE,
) + FUNCTION_WORDS + PREPOSITIONS  # fmt: skip
