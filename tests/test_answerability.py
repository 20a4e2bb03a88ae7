"""The answerability decision: signals gathered by hand-checkable rules, a fitted model."""

import dataclasses

import numpy as np
import pytest
from fakes import HashingEncoder

from search import Searcher
from search.index.analyzer import Analyzer
from search.index.ingest import build
from search.query.answerability import gather
from search.query.asks import asks_of, procedures_of, read_numbered
from search.query.decision import DENSE_FEATURES, Evidence, Model, model
from search.query.intent import (
    alternatives_of,
    read_intent,
    seasons_of,
)
from search.query.measures import holds_measure, holds_rate
from search.query.names import duty_body
from search.query.periods import periods_of, phases_of
from search.query.query import read_counted, read_measure, read_per, read_query
from search.query.spans import SHAPES, has_shape
from search.records import Chunk, DocMeta, Hit
from search.settings import RankingSettings
from search.text.numerals import read_numerals

EVIDENCE = dict(
    dense_top=0.9, dense_best=0.9, dense_span=0.9, coverage=1.0, first_coverage=1.0,
    pair_coverage=1.0,
    focus=1.0, agreement=1.0, missing=0.0, shape=0.5, measure=0.5, span_coverage=1.0,
    span_pairs=1.0, addressed=0.0, dated=0.5, period=0.5, phase=0.5, amount=0.5, placed=0.5,
    sourced=1.0, alternative=0.5, procedure=0.5,
)  # fmt: skip


def test_model_by_hand():
    m = Model(bias=-1.0, weights={"coverage": 2.0}, threshold=0.5)
    full = Evidence(**EVIDENCE)
    assert m.probability(full) == pytest.approx(1 / (1 + np.exp(-1.0)))
    assert m.answers(full)
    assert not m.answers(Evidence(**{**EVIDENCE, "coverage": 0.25}))  # z = -0.5


def test_the_encoders_own_model_only_for_its_encoder():
    dense, lexical = model("intfloat/multilingual-e5-small"), model("py:tests.fakes:HashingEncoder")
    assert set(dense.weights) & set(DENSE_FEATURES)
    assert not set(lexical.weights) & set(DENSE_FEATURES)


def test_the_answer_spans_own_cosine_with_the_query_is_a_signal(fixture_index):
    """The encoder reads the answer span itself, not only the passage around it: a passage
    on the topic need not say what is asked."""
    encoder = HashingEncoder()
    s = Searcher(fixture_index, encoder=encoder)
    r = s.ask("tổ xung kích phòng cháy", k=3)
    span = r.answer.text
    assert span != r.hits[0].chunk.text  # the span is a part of its passage
    query = encoder.encode_queries([r.query.dense_text])[0]
    expected = float(query @ encoder.encode_documents([span])[0])
    assert r.evidence.dense_span == pytest.approx(expected, abs=1e-6)
    assert r.evidence.dense_span != pytest.approx(r.evidence.dense_top, abs=1e-3)


def test_rules_stand_above_the_model():
    sure = Model(bias=10.0, weights={}, threshold=0.5)
    never = Model(bias=-10.0, weights={}, threshold=0.5)
    assert sure.answers(Evidence(**EVIDENCE)) and not never.answers(Evidence(**EVIDENCE))
    # Asked "bao nhiêu km" and no top passage holds a number of km: not answered.
    assert not sure.answers(Evidence(**{**EVIDENCE, "measure": 0.0}))
    assert sure.answers(Evidence(**{**EVIDENCE, "measure": 1.0}))
    assert not sure.answers(Evidence(**{**EVIDENCE, "missing": 0.7}))
    # The query names a year the first passage is not of: not answered.
    assert not sure.answers(Evidence(**{**EVIDENCE, "dated": 0.0}))
    assert sure.answers(Evidence(**{**EVIDENCE, "dated": 1.0}))
    assert not sure.answers(Evidence(**{**EVIDENCE, "placed": 0.0}))
    assert not sure.answers(Evidence(**{**EVIDENCE, "procedure": 0.0}))
    assert not sure.answers(Evidence(**{**EVIDENCE, "period": 0.0}))
    assert not sure.answers(Evidence(**{**EVIDENCE, "phase": 0.0}))
    assert not sure.answers(Evidence(**{**EVIDENCE, "amount": 0.0}))
    assert sure.answers(Evidence(**{**EVIDENCE, "placed": 1.0}))
    # The first passage is the provision the query addresses: answered.
    assert never.answers(Evidence(**{**EVIDENCE, "addressed": 1.0}))


@pytest.mark.parametrize(
    "query, measure",
    [
        ("cầu Gành Hào dài bao nhiêu mét", "met"),
        ("cao tốc có mấy nút giao", "nut"),
        ("Hội thi gạo ngon tổ chức vào tháng mấy", "thang"),
        ("thông xe ngày nào", "ngay"),
        ("giảm bao nhiêu % biên chế", "%"),
        # "để" counts nothing; the quantity the question names does
        ("diện tích tối thiểu bao nhiêu để nhập hộ khẩu", "dien tich"),
        ("nhà máy xử lý rác ở đâu", ""),  # "máy" is not "mấy"
        ("nhà máy xử lý rác công suất", "cong suat"),  # a quantity named, no "bao nhiêu"
        ("diện tích rừng ngập mặn hiện có", "dien tich"),
        ("chiều dài tuyến đường U Minh - Khánh Hội", "chieu dai"),
        # what is paid: "mức" and a payment, a fee, or "phạt bao nhiêu"
        ("mức phạt người đi bộ qua đường", "muc phat"),  # a fine: a sum
        ("lệ phí cấp giấy chứng nhận đăng ký tàu cá", "muc"),
        ("xe máy chở 3 người bị phạt bao nhiêu", "muc phat"),
        ("lấn chiếm vỉa hè bị phạt tiền bao nhiêu theo Chỉ thị", "muc phat"),
        ("thanh tra được phạt tối đa bao nhiêu", "muc phat"),
        ("cao tốc Cà Mau Đất Mũi tổng mức đầu tư", "tong muc dau tu"),  # no payment "mức"
        ("Tỷ lệ kết nạp đảng viên mới phải đạt mức nào?", "ty le"),  # a share, not a sum
        ("tỷ lệ người dân tham gia bảo hiểm y tế năm 2025", "ty le"),
        ("doanh thu du lịch năm 2024", "doanh thu"),
        ("kinh phí xây dựng Khoa Nội tổng hợp", "kinh phi"),  # a sum, named without "bao nhiêu"
        ("những ai được miễn lệ phí đăng ký cư trú", ""),  # who, not how much
        ("số vụ tai nạn giao thông năm 2024", "vu"),  # a query that opens by counting
        ("tổng số lượng xã sau sắp xếp", "xa"),
        ("Cà Mau xếp hạng PCI năm 2024 thứ mấy", "thu hang"),  # a rank
        ("kiểm tra cư trú định kỳ bao lâu một lần", "bao lau"),  # a duration
        ("số hóa tài liệu lưu trữ", ""),  # "số" that counts nothing
        ("số tàu cá đăng ký mới năm 2025", "tau"),  # any noun after "số" is counted
        ("số khách du lịch đến Cà Mau năm 2025", "nguoi"),  # people by any name are people
        ("số hội viên tối thiểu để thành lập hội", "nguoi"),  # people by their role
        ("số đăng ký tàu cá gồm mấy nhóm ký tự", "nhom"),  # "số đăng ký" is a name
        ("chuyển đổi số cấp xã", ""),
        ("cau dai bao nhieu met", ""),  # unaccented: read after diacritics are restored
        ("kinh phí là bao nhiêu?", "kinh phi"),  # nothing after "bao nhiêu": the sum named
        ("mức xử phạt chặt phá rừng phòng hộ", "muc phat"),  # a fine, as "mức phạt"
        ("thu ngân sách vượt bao nhiêu so với dự toán", ""),
        # Compared as typed: "nền" is counted though "nên" only links.
        ("khu tái định cư có bao nhiêu nền", "nen"),
        ("bao nhiêu nên được hỗ trợ", ""),
        ("vốn đầu tư chiếm bao nhiêu GRDP", "grdp"),
        ("giải ngân được bao nhiêu vốn đầu tư công", "von"),  # a sum of money
        ("cần bao nhiêu kinh phí để xây cầu", "kinh phi"),  # a measure named in two words
        ("quy hoạch phân khu KCN Tắc Thủ tỷ lệ 1/2.000", ""),  # a map's scale, not a share
        ("khu công nghiệp Khánh An tỷ lệ lấp đầy", "ty le"),
        ("mục tiêu tăng trưởng kinh tế năm 2025", "tang truong"),  # a rate, said in %
        ("vận tốc thiết kế tuyến đường", "van toc"),  # a physical quantity, in km/h
        ("chiều cao chữ số đăng ký trên mạn tàu", "chieu cao"),
        ("mùa khô dựng mấy cái chòi canh lửa", "choi"),  # a classifier, then what is counted
        # "mấy tháng đầu năm" says when; the people are counted.
        ("mấy tháng đầu năm nay khách quốc tế được bao nhiêu người", "nguoi"),
        ("dự án kéo dài mấy tháng", "thang"),
        # People counted by any name are people: "1.880 công dân" answers "thanh niên".
        ("năm 2026 tỉnh giao bao nhiêu thanh niên nhập ngũ", "nguoi"),
        ("có mấy cán bộ chiến sĩ tham gia", "nguoi"),
        ("hè này dạy bơi cho bao nhiêu đứa nhỏ", "nguoi"),  # children by their classifier
        ("số trẻ em học sinh ăn bán trú 9 tháng năm 2025", "nguoi"),  # "số" + people
        ("có bao nhiêu trẻ dưới 5 tuổi suy dinh dưỡng", "nguoi"),
        # A price is a sum; "giá" of an auction, a policy, a table or a name asks none.
        ("giá vé tham quan cù lao Thới Sơn bao nhiêu", "gia"),
        ("Giá đất ở mặt tiền đường Trần Hưng Đạo", "gia"),  # a query opening with it
        ("đơn giá bồi thường đất nông nghiệp", "gia"),
        ("bảng giá các loại đất năm 2026", ""),
        ("bình ổn giá dịp Tết", ""),
        ("đấu giá quyền khai thác mỏ cát được bao nhiêu", ""),
        ("tổng giá trị hàng dự trữ", ""),
        ("đường Giá Rai - Gành Hào dài bao nhiêu", ""),  # a name
        # A telephone number, however the line is named; "cầm điện thoại" asks none.
        ("số tổng đài đường dây nóng bảo vệ người tiêu dùng", "so dien thoai"),
        ("đường dây nóng báo tin lừa đảo là số nào", "so dien thoai"),
        ("so dien thoai duong day nong", "so dien thoai"),  # unambiguous without diacritics
        ("vừa lái ô tô vừa cầm điện thoại", ""),
        ("số thu tiền thuê đất năm 2026 tăng bao nhiêu", ""),  # a sum, not a count of "thu"
        # A count asked as a target counts what follows ("số lượt" khách), not the target.
        ("mục tiêu số lượt khách du lịch ban đêm đến năm 2030", "luot"),
        ("chỉ tiêu số hộ nghèo giảm năm 2026", "ho"),
        ("mục tiêu số hóa hồ sơ", ""),
        # What is paid, named as a noun first, asks a sum (or a share of it).
        ("phụ cấp cho giáo viên dạy liên trường bao nhiêu", "muc"),
        ("tiền đặt cọc khi ký hợp đồng thuê nhà", "muc"),
        ("mức phụ cấp trách nhiệm", "muc"),
        ("tiến độ cấp phụ cấp", ""),
    ],
)
def test_what_a_question_counts(query, measure):
    assert read_measure(query)[0] == measure


def test_a_price_is_a_sum_per_something_or_stated_as_one():
    assert holds_measure("Giá vé: 50.000 đồng/người/lượt", "gia")
    assert holds_measure("Đơn giá (đồng/m2): 1.200.000", "gia")  # a column
    assert holds_measure("giá khởi điểm 15 tỷ đồng", "gia")
    assert not holds_measure("kinh phí thực hiện 2 tỷ đồng", "gia")  # a budget
    assert not holds_measure("đã tiêm 41.300 liều, đạt 68,8% kế hoạch", "gia")
    assert not holds_measure("đấu giá 03 mỏ cát, trữ lượng 0,9 triệu m3", "gia")
    assert not holds_measure("hộ tham gia 2 triệu đồng", "gia")  # "gia" folded is no "giá"


def test_a_list_item_labelled_by_what_is_counted_states_it():
    assert holds_measure("b) Giáo viên tiểu học: 438 chỉ tiêu;", "nguoi")  # people by role
    assert holds_measure("- Số điểm bán: 24", "diem")
    assert not holds_measure("b) Giáo viên tiểu học: trình độ đại học", "nguoi")
    # Pupils are counted in "em": a row whose unit is "em" states how many.
    assert holds_measure(
        "Chỉ tiêu: Học sinh ăn bán trú\nĐơn vị tính: em\nNăm 2025: 90.395", "nguoi"
    )
    # Beneficiaries are people counted: a column "Số đối tượng" states how many.
    assert holds_measure("Số đối tượng 31/12/2025: 862", "nguoi")
    assert holds_measure("chi trả cho 3.486 đối tượng", "nguoi")
    # A column naming whom a row is for counts nobody, whatever number its text holds.
    assert not holds_measure("Đối tượng học sinh: Học sinh lớp 9 ôn thi", "nguoi")


def test_a_column_of_how_many_states_the_count_of_what_its_row_names():
    """A table counts in a column "Số lượng (con)" what its row names ("Loài thả: Tôm càng
    xanh"): asked "số lượng tôm càng xanh", the row states it; another row's count, or a
    total, is not of it. Such a column states no length, date or sum."""
    row = "Điểm thả: Sông Bảy Háp\nLoài thả: Tôm càng xanh\nSố lượng (con): 200.000"
    assert holds_measure(row, "tom")
    assert holds_measure("Thả cá giống:\n- Số lượng: 2,6 triệu con giống", "ca")
    assert not holds_measure(row, "cua") and not holds_measure("Tổng cộng\nSố lượng: 9", "tom")
    assert holds_measure("Số lượng (con): 200.000", "tom", within=row)  # a cell of the row
    assert not holds_measure(row, "km") and not holds_measure(row, "thang")
    assert not holds_measure(row, "kinh phi")
    assert not holds_measure("Loài thả: Tôm càng xanh\nSố lượng (con): chưa xác định", "tom")


def test_a_share_pays_only_beside_what_is_paid():
    """A payment asked ("phí cấp giấy phép lao động", "mức hỗ trợ") is stated by a sum, or by
    a share of what is paid ("giảm 50% lệ phí"); "100% hồ sơ ... trước hạn" pays nothing."""
    assert not holds_measure("giải quyết 100% hồ sơ cấp giấy phép lao động trước hạn", "muc")
    assert holds_measure("giảm 50% lệ phí trước bạ", "muc")
    assert holds_measure("mức hỗ trợ 70% kinh phí xây dựng", "muc")
    assert holds_measure("lệ phí 50.000 đồng/hồ sơ", "muc")
    assert not holds_measure("chiếm 50% tổng số hồ sơ", "muc")  # "chi" is a whole word


def test_a_word_folding_to_a_unit_is_not_that_unit():
    """Folded, "hoạt động" is "hoat dong", "xã Tân Thành" "xa tan", "hạ tầng" "ha tang":
    spelled with other marks than "đồng", "tấn", "ha", they state no sum, weight or area.
    A text without diacritics, a unit of two words ("lao động") and what the question counts
    are read as before."""
    assert not holds_measure("100% xã tổ chức ít nhất 01 hoạt động tuyên truyền", "kinh phi")
    assert holds_measure("tổ chức 01 hội nghị, kinh phí 2.850 triệu đồng", "kinh phi")
    assert not holds_measure("05 xã Tân Thành, Tân Ân thả giống", "san luong")
    assert holds_measure("sản lượng đạt 12 tấn", "san luong")
    assert not holds_measure("xây dựng 12 công trình hạ tầng", "dien tich")
    assert holds_measure("diện tích 30 ha", "dien tich")
    assert holds_measure("kinh phi 2.850 trieu dong", "kinh phi")
    assert holds_measure("sử dụng 40 lao động", "lao dong")
    # What is counted is compared folded: "bao nhiêu hồ sơ" counts "ho", which "hồ" is.
    assert holds_measure("tiếp nhận 1.250 hồ sơ", "ho")
    assert not holds_measure("tiếp nhận 1.250 hồ sơ", "dien tich")
    # A word opening with a unit may name something else: meters, a rate.
    assert not holds_measure("thay thế 4.200 đồng hồ nước quá hạn kiểm định", "kinh phi")
    assert not holds_measure("năm 2025 tỷ lệ hộ nghèo giảm còn 1,2%", "kinh phi")
    assert holds_measure("lắp đặt 4.200 đồng hồ nước", "dong ho")  # what is counted
    # Nor is a function word as spelled what is counted: "của" is no "cua" (crabs).
    assert not holds_measure("Quyết định ngày 18/12/2025 của Ủy ban nhân dân tỉnh", "cua")
    assert holds_measure("thả 500.000 con cua giống", "cua")


def test_a_unit_is_a_whole_word_after_its_number():
    """A unit is no tail of the word after a number: "14 tháng" states no rank ("hạng"),
    "15 năm" no length in metres; written close up, "15km" is a length."""
    assert not holds_measure("ngày 14 tháng 02 năm 2025", "thu hang")
    assert holds_measure("xếp thứ 12 cả nước", "thu hang")
    assert not holds_measure("trong 15 năm tới", "m")
    assert holds_measure("dài 120 m", "m") and holds_measure("đạt 15km", "km")


def test_what_everyday_speech_counts_is_counted_as_documents_count_it():
    assert read_measure("đo chiều dài tôm giống thì lấy bao nhiêu con mỗi lô")[0] == "con"
    assert holds_measure("Đo ngẫu nhiên 30 cá thể trong mỗi lô", "con")
    assert holds_measure("thả nuôi 300 con/m2", "con")
    assert not holds_measure("lưu mẫu trong 30 ngày", "con")
    # Homes are counted as households.
    assert read_measure("có thêm bao nhiêu nhà được dùng nước sạch")[0] == "nha"
    assert holds_measure("số hộ dân được hưởng lợi tăng thêm khoảng 11.850 hộ", "nha")
    # Factories as establishments; not as homes.
    assert read_measure("mấy nhà máy chế biến thủy sản đã gắn máy đo")[0] == "nha may"
    assert holds_measure("Đã có 29 cơ sở lắp đặt hệ thống quan trắc", "nha may")
    assert not holds_measure("Đã hỗ trợ 29 hộ lắp đặt", "nha may")


def test_a_quantity_named_is_stated_in_its_units():
    assert holds_measure("tốc độ thiết kế 80 km/h", "van toc")
    assert holds_measure("chiều cao chữ số tối thiểu 30 cm", "chieu cao")
    assert not holds_measure("Dân số trung bình năm 2025 đạt 2.142.300 người", "tuoi tho")


def test_a_rate_is_a_share_stated_beside_its_name():
    assert read_measure("lãi suất vay mua nhà ở xã hội bao nhiêu")[0] == "lai suat"
    assert holds_measure("cho vay với lãi suất 4,8%/năm", "lai suat")
    assert holds_measure("hỗ trợ 50% lãi suất vay", "lai suat")
    assert holds_measure("Thuế suất: 10 phần trăm", "thue suat")
    assert not holds_measure("Tiến độ: đạt 65% khối lượng", "lai suat")  # no rate
    assert not holds_measure("vay 150 tỷ đồng, lãi suất ưu đãi", "lai suat")


def test_a_telephone_number_is_no_count_sum_or_date():
    for stated in ("gọi số 113", "Đường dây nóng: 0290.3831.234", "(0290) 3 831 234"):
        assert holds_measure(stated, "so dien thoai")
    assert holds_measure("tổng đài 1900 6789 hoạt động 24/7", "so dien thoai")
    for other in ("đạt 0,5%", "trước ngày 01/4/2026", "2.950 triệu đồng", "duy trì 24/7"):
        assert not holds_measure(other, "so dien thoai")


def test_a_number_written_in_words_is_held_by_its_digits():
    assert read_numerals("Sáu hộ dân ở Long Mỹ phải dời nhà") == {
        "sáu": frozenset({"~6"}), "~sau": frozenset({"~6"})}  # fmt: skip
    # Not a name ("ấp Sáu Đông"), nor a word of another ("đầu tư"), nor unaccented ("sau").
    assert read_numerals("ấp Sáu Đông đầu tư công") == {} and read_numerals("sau ho dan") == {}
    asked = "sáu hộ dân di dời"
    assert _signals(asked, [_hit("Di dời khẩn cấp 06 hộ dân.")]).coverage == 1.0


def test_the_time_of_day_asked():
    asked = "màn hình quảng cáo được phát từ mấy giờ đến mấy giờ"
    assert read_measure(asked)[0] == "gio" and asks_of(asked) == ("when",)
    assert read_measure("thông báo lưu trú trước mấy giờ")[0] == "gio"
    assert holds_measure("Thời gian phát từ 06 giờ 00 đến 22 giờ 00 hằng ngày", "gio")
    assert read_measure("mấy tháng đầu năm đón bao nhiêu khách")[0] == "nguoi"  # months


def test_every_number_a_question_counts():
    assert read_counted("công ty A dự trữ bao nhiêu hàng bình ổn, mấy điểm bán") == (
        "hang",
        "diem",
    )
    assert read_counted("cau dai bao nhieu met") == ()  # read after diacritics are restored


def test_what_an_amount_is_per():
    assert read_per("tour trên sông Tiền giá bao nhiêu tiền một khách") == "khach"
    assert read_per("đền bù bao nhiêu tiền một mét vuông") == "met vuong"
    assert read_per("mỗi hộ được hỗ trợ bao nhiêu") == "ho"
    assert read_per("giá bán bao nhiêu tiền 1 m2") == "m2"  # "1" typed for "một"
    assert read_per("có bao nhiêu hộ") == "" and read_per("bao nhiêu một số xã") == ""
    assert read_per("giá điện tạm thanh toán là bao nhiêu đồng/kWh") == "kwh"  # a slash
    # A letter standing for a word ("P." for phường) is nothing to count per; "m" is a unit.
    assert read_per("P. An Xuyên, P. Bạc Liêu mỗi p phải làm mấy tuyến đường") == ""
    assert read_per("đền bù bao nhiêu tiền một m") == "m"
    assert holds_rate("giá mua điện 1.940 đồng/kWh", "kwh")
    assert not holds_rate("tạm thanh toán bằng 50% giá trần của khung giá phát điện", "kwh")
    assert holds_rate("đơn giá 1.200.000 đồng/m2", "met vuong")
    assert holds_rate("tối đa 15.000.000 đồng/ha", "hecta")  # a unit as it is written
    assert holds_rate("hỗ trợ 3.000.000 đồng/ghe/tháng", "thang")
    assert holds_rate("hỗ trợ 30 triệu đồng mỗi hộ", "ho")
    assert not holds_rate("kinh phí xây dựng tour 300 triệu đồng", "khach")
    # How often in a time: "trong năm", "hằng tháng"; "trong năm 2025" names a year.
    assert holds_rate("đối thoại với Nhân dân ít nhất 02 lần trong năm", "nam")
    assert holds_rate("họp giao ban hằng tháng", "thang")
    assert not holds_rate("trong năm 2025 tổ chức 5 lần đối thoại", "nam")
    assert not holds_rate("số người trong hộ", "ho")


def test_an_abbreviation_counted_is_counted_as_written_out():
    measure = read_query("tổng hợp từ bao nhiêu DN", analyzer=Analyzer()).measure
    assert measure == "doanh"
    assert holds_measure("tổng hợp từ báo cáo nhanh của 64 doanh nghiệp", measure)
    assert read_query("có bao nhiêu HTX tham gia", analyzer=Analyzer()).measure == "hop"


@pytest.mark.parametrize(
    "query, words",
    [
        ("mức phạt người đi bộ qua đường", {"muc", "phat"}),
        ("cầu Gành Hào dài bao nhiêu mét", {"bao", "nhieu", "met"}),
        ("kiểm tra cư trú định kỳ bao lâu một lần", {"bao", "lau"}),
        ("diện tích rừng ngập mặn hiện có", {"dien", "tich"}),
        ("Hội thi gạo ngon tổ chức vào tháng mấy", {"thang", "may"}),
        ("nhà máy xử lý rác ở đâu", set()),
    ],
)
def test_the_words_asking_what_is_counted(query, words):
    assert read_measure(query)[1] == frozenset(words)


def test_how_long_asks_when():
    assert "when" in asks_of("phạt nguội gửi thông báo cho chủ xe trong bao lâu")
    assert "when" not in asks_of("bao nhiêu xã đạt chuẩn")
    # "giao" asks who only as "giao cho" / "được giao", not in "giao thông"
    assert "who" not in asks_of("6 tháng đầu năm 2026 khởi công dự án giao thông tuyến tỉnh")
    assert "who" in asks_of("GPMB cảng Hòn Khoai được giao cho đơn vị nào")
    # a time unit with "nào" / "mấy" asks for a date as "khi nào" does
    assert "when" in asks_of("cao tốc Cần Thơ - Cà Mau thông xe ngày nào")
    assert "when" in asks_of("hoi thi gao ngon to chuc vao thang may")
    # The chat spelling of "bao nhiêu" asks it too, with or without diacritics.
    assert read_query("còn bao nhiu hộ chưa bàn giao", analyzer=Analyzer()).asks == ("amount",)
    assert read_query("con bao nhiu ho chua ban giao", analyzer=Analyzer()).asks == ("amount",)
    # "hạn" asks a deadline ("hạn chót", "hạn nộp"), not as a limit, a drought or a quota.
    assert asks_of("hạn nộp hồ sơ ứng cử") == asks_of("han chot nop ho so") == ("when",)
    assert asks_of("giá long môn hạn chế chiều cao cầu yếu") == ()
    assert asks_of("ứng phó hạn hán xâm nhập mặn") == asks_of("hạn mức giao đất") == ()


def test_a_word_of_a_name_asks_nothing():
    """ "Tiền Giang", "Han Quoc", "Dat Mui": a cue ("tiền", "hạn", "đạt") opening a
    capitalised word inside a sentence is part of a name; at a sentence's start it asks."""
    assert asks_of("sầu riêng Tiền Giang bị trả về") == ()
    assert asks_of("xa Dat Mui dang ky khai sinh luu dong") == ()
    assert asks_of("dua lao dong di lam viec o Han Quoc") == ()
    assert asks_of("Tiền thuê đất bao nhiêu") == ("amount",)
    assert asks_of("Cảng Hòn Khoai. Khi nào xong") == ("when",)


def test_a_day_of_the_week_is_a_time():
    assert SHAPES["when"]("Thời gian: Tối thứ Bảy hằng tuần")
    assert SHAPES["when"]("mở cửa các ngày Chủ nhật") and SHAPES["when"]("vào Thứ Năm")
    assert not SHAPES["when"]("Chỉ số PCI xếp thứ ba khu vực")  # a rank


def test_which_step_asks_how_far_it_has_come():
    assert asks_of("đề án chống sạt lở bờ biển giờ tới bước nào rồi") == ("progress",)
    assert "progress" in asks_of("cao toc Ha Tien Rach Gia dang o buoc nao")


def test_which_firm_is_asked_apart_from_which_body():
    assert asks_of("Công ty nào thi công đường huyện ĐH.03?") == ("firm",)
    assert "firm" in asks_of("cong ty nao trung thau thi cong ke Long Dien A")
    # A "who" question whose subject is a firm asks for one; one naming it as an object not.
    assert asks_of("nhà thầu thi công cầu Hòa Trung là đơn vị nào") == ("who", "firm")
    assert asks_of("ai chủ trì lựa chọn nhà thầu thi công cầu Hòa Trung") == ("who",)
    # A class of businesses is no firm to name: "doanh nghiệp nhỏ và vừa".
    assert "firm" not in asks_of("doanh nghiệp nào được hỗ trợ chuyển đổi số")
    # Who one is: "nhà đầu tư dự án X là doanh nghiệp nào" (an investor asks no amount).
    assert asks_of("nhà đầu tư dự án khu du lịch Cù Lao Dung là doanh nghiệp nào") == ("firm",)


def test_where_is_asked_and_answered_by_a_place():
    assert asks_of("nhà máy chế biến gạo ST đặt ở xã nào") == ("where",)
    assert asks_of("trung tam logistics o dau") == ("where",)
    assert has_shape("Địa điểm: Xã Tham Đôn, huyện Mỹ Xuyên", ("where",))
    assert has_shape("trên địa bàn TP. Sóc Trăng", ("where",))
    assert not has_shape("hỗ trợ các xã vùng sâu, vùng xa", ("where",))
    # A name starts with a capital, with diacritics or not; a small "đ" or "ấ" starts none.
    assert has_shape("tại xã Đông Hải", ("where",))
    assert not has_shape("Cổng Thông tin điện tử tỉnh đăng tải chuyên mục", ("where",))


def test_an_amount_is_stated_in_any_unit_of_measure():
    # Volumes, weights and energy state amounts as areas and sums do.
    for text in ("không vượt quá 10 m³/ngày đêm", "giếng khai thác 200 m3/ngày",
                 "thu gom 1.250 kg", "điện năng 920 kWh", "điện mặt trời 4,5 MWp",
                 "bồn chứa 500 lít"):  # fmt: skip
        assert has_shape(text, ("amount",)), text
    assert not has_shape("giếng khoan đang khai thác cùng tầng chứa nước", ("amount",))


def test_who_is_answered_by_a_named_body_that_leads():
    assert not has_shape("Sở đã chủ trì, phối hợp với các đơn vị", ("who",))  # a small "đ"
    # The standing body of a steering board leads it, as "chủ trì" does.
    assert has_shape("1. Ban Chỉ đạo 389 tỉnh (Cơ quan Thường trực là Công an tỉnh)", ("who",))
    # A body opening a task does it; one the task serves does not.
    assert has_shape("- Ban Tuyên giáo và Dân vận Tỉnh ủy xây dựng cơ sở dữ liệu", ("who",))
    assert not has_shape("- Tổ chức 40 lớp tập huấn cho cán bộ Sở Y tế", ("who",))


def test_a_number_beside_what_is_counted():
    assert holds_measure("Nhà ga đạt công suất 1,2 triệu lượt khách/năm.", "khach")
    # A date written out states a day (a deadline column's cell); a fraction does not.
    assert holds_measure("Thời gian hoàn thành: 30/6/2025", "ngay")
    assert not holds_measure("đã bàn giao 30/60 hộ", "ngay")
    # People are counted by their role too.
    assert holds_measure("sẵn sàng lực lượng 350 cán bộ, chiến sĩ và 12 xuồng", "nguoi")
    assert has_shape("sẵn sàng lực lượng 350 cán bộ, chiến sĩ", ("amount",))
    assert holds_measure("Tuyến dài 15,5 km, rộng 17 m.", "met")
    assert holds_measure("Tổ chức vào tháng 10/2025.", "thang")
    assert holds_measure("Vốn đầu tư từ 40% GRDP trở lên.", "grdp")
    assert holds_measure("Tỷ lệ đạt 95%.", "phan") and holds_measure("hỗ trợ 60 triệu đồng", "tien")
    assert holds_measure("Diện tích rừng đạt 1.200 ha.", "dien tich")
    assert holds_measure("Nhà máy công suất 1.500 MW.", "cong suat")
    assert holds_measure("Quy mô chiều dài 130km", "chieu dai")
    assert holds_measure("Phạt tiền từ 400.000 đồng đến 600.000 đồng", "muc")
    assert holds_measure("hỗ trợ 50% học phí", "muc")
    assert not holds_measure("Công dân phải nộp lệ phí theo quy định của pháp luật.", "muc")
    assert not holds_measure("Năm 2025 quy định 03 mức hỗ trợ", "muc")  # levels, not a sum
    # A fine is a sum of money; a share states none.
    assert holds_measure("Phạt tiền từ 400.000 đồng đến 600.000 đồng", "muc phat")
    assert not holds_measure("Bảo đảm 100% tàu cá lắp thiết bị giám sát hành trình", "muc phat")
    assert holds_measure("Tổng chiều dài tuyến 81,1 km.", "chieu dai")
    assert not holds_measure("Nâng cấp, mở rộng toàn tuyến (đoạn 2).", "chieu dai")
    assert holds_measure("Xảy ra 12 vụ tai nạn.", "vu")
    assert holds_measure("khách quốc tế 9.870 lượt", "nguoi")  # visitors are counted in lượt
    # A table row names the unit in a column, or in a column's name.
    row = "Chỉ tiêu: Diện tích lúa\nĐơn vị tính: Ha\nƯớc thực hiện: 30.500 (đạt 87,1%)"
    assert holds_measure(row, "dien tich")
    assert not holds_measure(row.replace("Ha", "Tấn"), "dien tich")
    assert holds_measure("Xã: Kiến An\nChiều dài (m): 350\nSố hộ: 35", "chieu dai")
    # ... or in the name of a column group over its parts; a column "Số X" counts X.
    row = "Doanh nghiệp: Công ty A\nGiá trị hàng dự trữ (tỷ đồng) - Tổng: 68\nSố điểm bán: 24"
    assert holds_measure(row, "tien") and holds_measure(row, "diem")
    assert has_shape(row, ("amount",), row=True)
    assert not has_shape(row.replace(" (tỷ đồng)", ""), ("amount",), row=True)
    assert not holds_measure(row, "ho")
    # What a rate is per counts nothing: "đồng/tàu/năm" is no number of boats.
    # A column named by the measure, its cell holding a figure.
    row = "DANH MỤC: Cao tốc\nTỔNG MỨC ĐẦU TƯ: - Phần xây dựng: 57.836.000\nTIẾN ĐỘ: 2026"
    assert holds_measure(row, "tong muc dau tu")
    assert not holds_measure(row.replace("57.836.000", "chưa xác định"), "tong muc dau tu")
    assert holds_measure("Tổng mức đầu tư 1.250 tỷ đồng", "tong muc dau tu")
    # Any column of a sum answers a question asking one, however it names the sum.
    assert holds_measure("DANH MỤC: Số hóa tài liệu\nTỔNG MỨC ĐẦU TƯ: 30,000", "kinh phi")
    assert not holds_measure("DANH MỤC: Số hóa tài liệu\nQUY MÔ: 150 giường", "kinh phi")
    # A figure ends its cell: the next cell's "Tỷ lệ" is no "tỷ" đồng after it.
    plan = "Tên dự án: Cơ sở dữ liệu đất đai\nKế hoạch vốn: 28.500\nTỷ lệ giải ngân (%): 40,0"
    assert not holds_measure(plan, "tong muc dau tu")
    assert not holds_measure("hỗ trợ tối đa 3.000.000 đồng/tàu/năm", "tau")
    assert holds_measure("quản lý 120 tàu cá", "tau")
    assert holds_measure("PCI năm 2024 xếp thứ 12/63 tỉnh", "thu hang")
    assert not holds_measure("Cải thiện thứ hạng chỉ số PCI", "thu hang")
    assert holds_measure("Trong thời hạn 07 ngày làm việc kể từ ngày nhận", "bao lau")
    assert not holds_measure("Kiểm tra cư trú 02 lần, đột xuất", "bao lau")  # no duration
    assert holds_measure("Tỷ lệ kết nạp đảng viên mới đạt từ 3% - 4% trở lên", "ty le")
    assert not holds_measure("Vận động Nhân dân tham gia bảo hiểm y tế tự nguyện", "ty le")
    # A map's scale is no share: "tỷ lệ lấp đầy" is not stated by a zoning plan's scale.
    assert not holds_measure("Quy hoạch phân khu Khu công nghiệp Khánh An, tỷ lệ 1/2.000", "ty le")
    assert holds_measure("Quy hoạch tỷ lệ 1/2.000; tỷ lệ lấp đầy đạt 60%", "ty le")
    assert holds_measure("phấn đấu tăng trưởng kinh tế 8 - 10%", "tang truong")
    assert not holds_measure("Xây dựng mô hình tăng trưởng mới năm 2025", "tang truong")
    assert holds_measure("Doanh thu du lịch đạt 2.500 tỷ đồng", "doanh thu")
    assert not holds_measure("Doanh thu du lịch tăng 15 bậc", "doanh thu")  # no sum of money
    assert not holds_measure("Nâng cao công suất nhà máy điện.", "cong suat")
    assert holds_measure("đến ngày 20/6/2025 giải ngân 845 tỷ đồng", "von")
    assert not holds_measure("Giao kế hoạch vốn năm 2025 cho 12 dự án", "von")
    assert not holds_measure("Đầu tư nút giao thông tại Km 0.", "nut")
    assert not holds_measure("Xây dựng cầu Gành Hào trong năm 2025.", "met")
    # A number ends at its last digit: "Quốc lộ 1, đường Hồ Chí Minh" counts no "hộ".
    assert not holds_measure("nâng cấp Quốc lộ 1, đường Hồ Chí Minh", "ho")


def _hit(
    text: str, rank: int = 1, section: tuple[str, ...] = (), meta: DocMeta | None = None
) -> Hit:
    meta = meta or DocMeta(doc="a.txt")
    chunk = Chunk(id=f"x#{rank}", meta=meta, kind="text", section=section, line_start=1,
                  line_end=1, text=text, embed_text=text)  # fmt: skip
    return Hit(rank=rank, score=1.0, chunk=chunk)


def _signals(
    query: str, hits: list[Hit], known=lambda t: True, span: str = "", relevant=None
) -> Evidence:
    analyzer = Analyzer()
    q = read_query(query, analyzer=analyzer, known=known)
    return gather(
        q, hits, analyzer=analyzer, idf=lambda t: 1.0, known=known,
        dense=np.array([0.8, 0.7]), lexical=np.array([2.0, 3.0]), top=0, span=span,
        relevant=relevant,
    )  # fmt: skip


def test_measure_and_address_signals():
    asked = "cầu Gành Hào dài bao nhiêu mét"
    assert _signals(asked, [_hit("Khởi công cầu Gành Hào năm 2025.")]).measure == 0.0
    assert _signals(asked, [_hit("Cầu Gành Hào dài 1.200 m.")]).measure == 1.0
    assert _signals("cầu Gành Hào", [_hit("Cầu Gành Hào.")]).measure == 0.5
    # The number counts only where the query is: a month in another row dates nothing.
    dated = "Hội thi gạo ngon tổ chức vào tháng mấy"
    topic, other = _hit("Tổ chức Hội thi gạo ngon."), _hit("Thời hạn hoàn thành: Tháng 6", 2)
    assert _signals(dated, [topic, other]).measure == 0.0
    # (Every word weighs the same here: the row must hold half of the query's words other
    # than the "tháng mấy" asking the number.)
    row = _hit("Tổ chức Hội thi gạo ngon: Tháng 6", 2)
    assert _signals(dated, [topic, row]).measure == 1.0
    assert _signals(dated, [topic, _hit("Hội thi: Tháng 6", 2)]).measure == 0.0
    # So does the shape of the answer asked for ("khi nào": a date).
    when = "Hội thi gạo ngon tổ chức khi nào"
    assert _signals(when, [topic, other]).shape == 0.0
    assert _signals(when, [topic, _hit("Hội thi gạo ngon: Tháng 6", 2)]).shape == 1.0
    # Asked for a time only, the answer itself must state one: the passage's date is
    # another item's.
    due = "hạn chót Sở Giáo dục trả lời đề nghị tuyển sinh lớp 6 là khi nào"
    items = _hit("a) Nhà công vụ: xong trước 30/9/2026.\nb) Đề nghị tuyển sinh lớp 6: giao Sở "
                 "Giáo dục xem xét.")  # fmt: skip
    unanswered = "b) Đề nghị tuyển sinh lớp 6: giao Sở Giáo dục xem xét."
    assert _signals(due, [items], span=unanswered).measure == 0.0
    assert _signals(due, [items], span="Đề nghị tuyển sinh lớp 6: trước 30/9/2026.").measure == 1
    # "khi nào" dates too: a time stated where the query is, or whatever else it asks.
    opened = "Bệnh viện Sản Nhi đưa vào sử dụng khi nào"
    assert _signals(opened, [_hit("Đầu tư Bệnh viện Sản Nhi 300 giường.")]).measure == 0.0
    assert _signals(opened, [_hit("Bệnh viện Sản Nhi đưa vào sử dụng năm 2026.")]).measure == 1.0
    assert (
        _signals("tiến độ Bệnh viện Sản Nhi", [_hit("Bệnh viện Sản Nhi đang thi công.")]).measure
        == 1.0
    )
    # What the question counts is no part of its topic: an article fining something else
    # holds "mức phạt" and a sum, not who is fined for what.
    fined = "mức phạt người đi bộ qua đường"
    helmet = _hit("Mức phạt tiền từ 400.000 đồng đối với người không đội mũ bảo hiểm.")
    assert _signals(fined, [helmet]).measure == 0.0
    walker = _hit("Mức phạt tiền từ 150.000 đồng đối với người đi bộ qua đường sai quy định.")
    assert _signals(fined, [walker]).measure == 1.0
    # Nor is the year it names ("dated" checks that): a plan's row under the plan's year
    # counts the kilometres without saying the year again, and a passage of the year
    # holding a number is not on the topic for that.
    roads = "chỉ tiêu làm đường nông thôn năm 2025 bao nhiêu km"
    assert _signals(roads, [_hit("Xây dựng 200 km đường nông thôn")]).measure == 1.0
    assert _signals(roads, [_hit("Năm 2025 làm 200 km kè ấp, thôn")]).measure == 0.0
    # Nor is a passage about another road, however like, for the capitals naming it.
    named = "chiều dài tuyến đường U Minh - Khánh Hội"
    other = _hit("Tuyến đường U Minh Thượng - Khánh An dài 40 km")
    assert _signals(named, [other]).measure == 0.0
    assert _signals(named, [_hit("Tuyến U Minh - Khánh Hội dài 26 km")]).measure == 1.0
    # The passage shown first, moved up for stating the number, answers where the query
    # is; the first ones by relevance alone are read too, and a number moved up from
    # another topic answers nothing.
    listed = "danh mục nghề đào tạo năm 2026 bao nhiêu nghề"
    rows = [_hit("Tên nghề: Trồng hoa; Trình độ: Sơ cấp", n).chunk for n in (2, 3, 4)]
    count = _hit("1. Danh mục nghề đào tạo năm 2026 gồm 24 nghề.")
    assert _signals(listed, [count], relevant=rows).measure == 1.0
    trades = _hit("Hội chợ năm 2026 có 24 gian hàng nghề thủ công.")
    assert _signals(listed, [trades], relevant=rows).measure == 0.0
    # "công ty nào": a firm named where the query is, not the body leading the works.
    firm = "Công ty nào thi công đường huyện ĐH.03"
    lead = _hit("Đường huyện ĐH.03, 6,8 km; Đơn vị chủ trì: Ban QLDA ĐTXD huyện")
    assert _signals(firm, [lead]).measure == 0.0
    built = _hit("Đường huyện ĐH.03 do Công ty TNHH Minh Phát thi công, dài 6,8 km.")
    assert _signals(firm, [built]).measure > 0.0
    assert _signals(firm, [_hit("Đường huyện ĐH.03 đang lựa chọn nhà thầu thi công.")]).shape == 0
    clause = _hit("3. Người lái xe phải mang theo giấy phép lái xe.", section=("Điều 5", "3"))
    assert _signals("khoản 3 Điều 5", [clause]).addressed == 1.0
    assert _signals("khoản 2 Điều 5", [clause]).addressed == 0.0


def test_the_first_passage_must_be_of_the_year_asked():
    asked = "kim ngạch xuất khẩu năm 2024 đạt bao nhiêu"
    aim = "Tổng kim ngạch xuất khẩu 5 năm khoảng 17 tỷ USD."
    # A passage of a 2025 - 2030 programme states a sum for another period.
    assert (
        _signals(
            asked, [_hit(aim, meta=DocMeta("b.txt", year=2025, title="Giai đoạn 2025 - 2030"))]
        ).dated
        == 0.0
    )
    # The year stated in the passage, or its document being of that year, answers.
    assert (
        _signals(
            asked, [_hit(aim + " Năm 2024 đạt 2 tỷ USD.", meta=DocMeta("b.txt", year=2025))]
        ).dated
        == 1.0
    )
    assert _signals(asked, [_hit(aim, meta=DocMeta("c.txt", year=2024))]).dated == 1.0
    assert _signals(asked, [_hit(aim)]).dated == 1.0  # the document's year is unknown
    assert _signals("kim ngạch xuất khẩu", [_hit(aim)]).dated == 0.5  # no year asked


def test_the_answer_must_not_say_it_is_of_another_year():
    asked = "tỷ trọng kinh tế số trong GRDP năm 2023"
    passage = "DTI năm 2023 xếp hạng 41/63. Tỷ trọng kinh tế số trong GRDP năm 2024 đạt 7,9%."
    lead = [_hit(passage)]
    assert _signals(asked, lead, span="Tỷ trọng kinh tế số năm 2024 đạt 7,9%.").dated == 0.0
    assert _signals(asked, lead, span="Tỷ trọng kinh tế số năm 2023 đạt 6,5%.").dated == 1.0
    assert _signals(asked, lead, span="Tỷ trọng kinh tế số đạt 6,5%.").dated == 1.0
    # A horizon is not the year a sentence is of; a period is each of its years.
    assert _signals(asked, lead, span="Phấn đấu đến năm 2030 đạt 30%.").dated == 1.0
    assert _signals(asked, lead, span="Giai đoạn 2021 - 2025 đạt 6%.").dated == 1.0
    # The year a figure is compared with is not the year it is of.
    compared = "Năm 2023 đạt 6,5%, so với cùng kỳ năm 2022 tăng 1,2%."
    assert _signals(asked, lead, span=compared).dated == 1.0
    assert _signals(asked, lead, span="So với năm 2024, giảm 04 người (-12,1%).").dated == 1.0
    # ... unless its own figure follows it.
    stated = "Năm 2024 đạt 7,9%, tăng 1,4 so với năm 2023 (6,5%)."
    assert _signals(asked, [_hit(stated)], span=stated).dated == 1.0
    unstated = "Năm 2024 đạt 7,9%, tăng 1,4 so với năm 2023."
    assert _signals(asked, [_hit(unstated)], span=unstated).dated == 0.0
    # An aside opening with another year compares; a label closing at once dates.
    target = "Tỷ trọng kinh tế số năm 2023. Kinh tế số đạt 6,5% (năm 2022 đạt 5,1%)."
    assert _signals(asked, [_hit(target)], span=target.split(". ")[1]).dated == 1.0
    assert _signals("kinh tế số năm 2022", [_hit(target)], span=target.split(". ")[1]).dated == 1.0
    labelled = "Tỷ trọng kinh tế số (năm 2022): 5,1%."
    assert _signals(asked, [_hit(labelled)], span=labelled).dated == 0.0
    # A deadline dated in the year asked answers, whatever year the report is for.
    due = "năm 2023 hạn gửi báo cáo"
    span = "Báo cáo kết quả năm 2024, gửi trước ngày 10/12/2023."
    assert _signals(due, [_hit("Báo cáo năm 2023. " + span)], span=span).dated == 1.0
    # The year of a document number dates nothing.
    cited = "Báo cáo kết quả năm 2024 theo Quyết định số 12/2023/QĐ-UBND."
    assert _signals(due, [_hit("Báo cáo năm 2023. " + cited)], span=cited).dated == 0.0
    # A table row's time column says when a task runs, not what year the row is of.
    row = _hit(passage)
    row = Hit(rank=1, score=1.0, chunk=dataclasses.replace(row.chunk, kind="table_row"))
    assert _signals(asked, [row], span="Thời gian thực hiện: năm 2024").dated == 1.0
    # Its name says the year of what it is: the festival of 2026 is not the one of 2025.
    fest = _row(("Sự kiện", "Lễ hội Đua ghe Ngo năm 2026"), ("Thời gian", "22 - 24/11/2026"))
    assert _signals("lễ hội đua ghe Ngo năm 2025 tổ chức ngày nào", [fest]).dated == 0.0
    assert _signals("lễ hội đua ghe Ngo năm 2026 tổ chức ngày nào", [fest]).dated == 1.0
    # Its columns may say the year of their figures: asked a sum of 2025, the row's sums
    # for 2026 do not answer; its column for 2025 does.
    fees = _row(("Đơn vị", "Bệnh viện Đa khoa Cà Mau"), ("Thu năm 2025", "2.100"),
                ("Dự kiến thu năm 2026", "2.350"))  # fmt: skip
    asked = "dự kiến số thu năm 2025 của Bệnh viện Đa khoa Cà Mau là bao nhiêu"
    later = "Bệnh viện Đa khoa Cà Mau; Dự kiến thu năm 2026: 2.350"
    assert _signals(asked, [fees], span=later).dated == 0.0
    assert (
        _signals(asked, [fees], span="Bệnh viện Đa khoa Cà Mau; Thu năm 2025: 2.100").dated == 1.0
    )
    assert _signals(asked.replace("2025", "2026"), [fees], span=later).dated == 1.0


def test_a_year_named_as_the_title_names_it_names_the_document():
    meta = DocMeta("tt.txt", title="Về việc ban hành Hệ số điều chỉnh giá đất năm 2026")
    survey = "Đã khảo sát 2.184 phiếu giá đất thị trường từ tháng 8 đến tháng 10 năm 2025."
    lead = [_hit(survey, meta=meta)]
    titled = "tờ trình hệ số điều chỉnh giá đất 2026 khảo sát bao nhiêu phiếu"
    assert _signals(titled, lead, span=survey).dated == 1.0
    # The year of what is asked, not of the document's name, must be the answer's.
    assert _signals("năm 2026 khảo sát bao nhiêu phiếu giá đất", lead, span=survey).dated == 0.0


def test_a_sentence_naming_no_year_is_of_the_year_its_headings_say():
    """Under "A- KẾT QUẢ NĂM 2025", "đã đề nghị kỷ luật 09 đảng viên" reports 2025: asked
    for 2026, it does not answer; a sentence naming its own year, or a horizon, is read as
    it says."""
    span = "Ủy ban Kiểm tra đã đề nghị thi hành kỷ luật 09 đảng viên."
    lead = [_hit(f"A- KẾT QUẢ NĂM 2025\n{span}", meta=DocMeta("ct.txt", year=2026))]
    asked = "năm 2026 Ủy ban Kiểm tra kỷ luật bao nhiêu đảng viên"
    assert _signals(asked, lead, span=span).dated == 0.0
    assert _signals(asked.replace("2026", "2025"), lead, span=span).dated == 1.0
    # An answer taken from another passage is not of the first passage's headings.
    elsewhere = "Ủy ban Kiểm tra đề nghị kỷ luật 04 đảng viên vi phạm trong quý I."
    assert _signals(asked, lead, span=elsewhere).dated == 1.0
    under = [_hit(span, section=("B- NHIỆM VỤ NĂM 2026",), meta=DocMeta("ct.txt", year=2026))]
    under[0] = Hit(1, 1.0, dataclasses.replace(under[0].chunk, context="B- NHIỆM VỤ NĂM 2026"))
    assert _signals(asked, under, span=span).dated == 1.0
    horizon = "Phấn đấu đến năm 2030 không còn đảng viên vi phạm."
    aim = [_hit(f"A- KẾT QUẢ NĂM 2025\n{horizon}", meta=DocMeta("ct.txt", year=2026))]
    assert _signals("mục tiêu năm 2030 đảng viên vi phạm", aim, span=horizon).dated == 1.0


def _row(*cells: tuple[str, str]) -> Hit:
    text = "\n".join(f"{h}: {v}" for h, v in cells)
    chunk = Chunk(id="r#1", meta=DocMeta(doc="a.txt"), kind="table_row", section=(),
                  line_start=1, line_end=1, text=text, embed_text=text, cells=cells)  # fmt: skip
    return Hit(rank=1, score=1.0, chunk=chunk)


def test_a_row_counts_in_the_unit_its_table_states_for_a_question_counting_in_it():
    row = _row(("Đơn vị", "Thuế cơ sở 5"), ("Ước thực hiện năm 2025", "487.600"),
               ("Dự toán năm 2026", "520.000"))  # fmt: skip
    row = Hit(
        1,
        1.0,
        dataclasses.replace(row.chunk, context="Phụ lục DỰ TOÁN THU (Đơn vị tính: triệu đồng)"),
    )
    asked = "Thuế cơ sở 5 được giao dự toán thu năm 2026 bao nhiêu triệu"
    assert _signals(asked, [row]).measure == 1.0
    assert _signals(asked, [_row(*row.chunk.cells)]).measure == 0.0  # no unit stated
    # A question naming a kind of figure is answered by a column of that kind only.
    assert _signals("tổng mức đầu tư của Thuế cơ sở 5", [row]).measure == 0.0


def test_the_answer_must_not_say_it_is_of_another_part_of_the_year():
    asked = "6 tháng đầu năm 2025 xảy ra bao nhiêu vụ tai nạn giao thông"
    report = "Quý I năm 2025, trên địa bàn tỉnh xảy ra 38 vụ tai nạn giao thông."
    lead = [_hit("Tình hình tai nạn giao thông. " + report)]
    assert _signals(asked, lead, span=report).period == 0.0
    half = "6 tháng đầu năm 2025 xảy ra 71 vụ tai nạn giao thông."
    assert _signals(asked, lead, span=half).period == 1.0
    assert _signals(asked, lead, span="Xảy ra 71 vụ tai nạn giao thông.").period == 1.0
    assert _signals("số vụ tai nạn năm 2025", lead, span=report).period == 0.5
    # A length is no part of a year.
    assert _signals("GPLX hết hạn dưới 6 tháng phạt bao nhiêu", lead, span=report).period == 0.5
    # "3 tháng đầu năm" is quý I; a target for the whole year is of neither.
    assert _signals("3 tháng đầu năm 2025 xảy ra bao nhiêu vụ", lead, span=report).period == 1.0
    target = "Phấn đấu cả năm 2025 đón 1.250.000 lượt khách."
    assert _signals("quý I năm 2025 đón bao nhiêu lượt khách", lead, span=target).period == 0.0
    five = "5 tháng đầu năm 2025 đón 512.300 lượt khách."
    assert _signals("quý I năm 2025 đón bao nhiêu lượt khách", lead, span=five).period == 0.0
    # Typed without diacritics, the part of the year is read all the same.
    assert _signals("quy I nam 2025 don bao nhieu luot khach", lead, span=five).period == 0.0
    assert _signals("sau thang dau nam 2025 xay ra bao nhieu vu", lead, span=half).period == 1.0
    assert _signals("ca nam hoc 2025 xay ra bao nhieu vu", lead, span=report).period == 0.5


def test_a_reports_months_and_its_headings_say_its_part_of_the_year():
    """ "10 tháng năm 2025" is the first ten months; a heading above the passage says it
    for the sentence under it."""
    ten = _hit("I. KẾT QUẢ THỰC HIỆN 10 THÁNG NĂM 2025\n1. Trồng trọt\nSản lượng lúa ước đạt "
               "1.512.300 tấn.")  # fmt: skip
    span = "Sản lượng lúa ước đạt 1.512.300 tấn."
    assert _signals("sản lượng lúa cả năm 2025 bao nhiêu tấn", [ten], span=span).period == 0.0
    assert _signals("san luong lua 10 thang nam 2025", [ten], span=span).period == 1.0
    assert _signals("sản lượng lúa năm 2025", [ten], span=span).period == 0.5
    assert periods_of("Kết quả 6 tháng năm 2025") == {"6 tháng đầu": "6 tháng"}
    # So does a report's title, for the sentences under it.
    report = DocMeta("bc.txt", title="Kết quả công tác y tế 9 tháng đầu năm 2026")
    covered = "Đến ngày 30/9/2026, tỷ lệ bao phủ bảo hiểm y tế đạt 93,7%."
    lead = [_hit(covered, meta=report)]
    assert _signals("tỷ lệ bao phủ BHYT 6 tháng đầu năm 2026", lead, span=covered).period == 0
    assert _signals("tỷ lệ bao phủ BHYT 9 tháng năm 2026", lead, span=covered).period == 1.0
    # A table row's columns say the parts of the year its figures are of.
    rate = _row(("Chỉ tiêu", "Tỷ lệ bao phủ bảo hiểm y tế"), ("Kế hoạch năm 2026", "95,0"),
                ("Thực hiện 9 tháng năm 2026", "93,7"))  # fmt: skip
    assert _signals("tỷ lệ bao phủ BHYT 6 tháng đầu năm 2026", [rate]).period == 0.0
    assert _signals("tỷ lệ bao phủ BHYT 9 tháng đầu năm 2026", [rate]).period == 1.0
    assert periods_of("thời hạn 6 tháng kể từ ngày ký") == {}


def test_a_season_is_one_period_not_two_years():
    fires = "Mùa khô năm 2024 - 2025, trên địa bàn tỉnh xảy ra 04 vụ cháy rừng."
    lead = [_hit(fires)]
    assert _signals("số vụ cháy rừng mùa khô năm 2023 - 2024", lead, span=fires).dated == 0.0
    assert _signals("so vu chay rung mua kho 2024-2025", lead, span=fires).dated == 1.0
    # A span of years longer than a season is not one period: its years are read.
    plan = "Giai đoạn 2021 - 2025, trồng mới 1.200 ha rừng."
    assert _signals("trồng rừng mùa mưa 2023 - 2024", [_hit(plan)], span=plan).dated == 1.0
    assert seasons_of("năm học 2025-2026, giai đoạn 2021 - 2025") == {(2025, 2026)}
    # An answer naming no season is of its document's: the plan for one school year does
    # not give the next one's budget.
    plan = DocMeta(doc="kh.pdf", title="Bảo đảm an toàn thực phẩm năm học 2026 - 2027", year=2026)
    budget = "Tổng kinh phí thực hiện Kế hoạch là 1.486 triệu đồng."
    asked = "kinh phí an toàn thực phẩm năm học 2025-2026"
    assert _signals(asked, [_hit(budget, meta=plan)], span=budget).dated == 0.0
    assert _signals(asked.replace("2025-2026", "2026-2027"), [_hit(budget, meta=plan)],
                    span=budget).dated == 1.0  # fmt: skip
    asked = read_query("số vụ cháy rừng mùa khô năm 2023 - 2024", analyzer=Analyzer())
    assert asked.seasons == {(2023, 2024)}
    # The plan for a school year sets its criteria on the year before: what it asks of its
    # own season, unless a figure is asked of the other.
    plan = DocMeta(doc="kh.html", title="Trao học bổng năm học 2025 - 2026", year=2025)
    rule = "b) Kết quả học tập năm học 2024 - 2025 đạt mức Khá trở lên;"
    asked = "tiêu chí xét học bổng học lực khá năm học 2025-2026"
    assert _signals(asked, [_hit(rule, meta=plan)], span=rule).dated == 1.0
    count = "Năm học 2024 - 2025 trao 2.900 suất học bổng."
    asked = "năm học 2025-2026 trao bao nhiêu suất học bổng"
    assert _signals(asked, [_hit(count, meta=plan)], span=count).dated == 0.0


def test_a_bodys_duties_are_answered_where_that_body_is_named():
    assert duty_body("Sở Giáo dục và Đào tạo được giao nhiệm vụ gì") == "so giao duc va dao tao"
    assert duty_body("So Y te tinh co nhiem vu gi trong chi thi") == "so y te"
    assert duty_body("Theo công văn, Kho bạc Nhà nước phải làm gì") == "kho bac nha nuoc"
    assert duty_body("UBND tỉnh giao Sở Tài chính làm gì") == "so tai chinh"
    assert duty_body("Chi cục Thủy sản có trách nhiệm gì") == "chi cuc thuy san"
    # A body's kind alone names none; "số" is no "Sở".
    assert duty_body("Tỉnh ủy yêu cầu làm gì với các khu công nghiệp") == ""
    assert duty_body("chuyển đổi số có nhiệm vụ gì") == ""
    assert duty_body("doanh nghiệp phải làm gì") == ""
    asked = "chỉ thị phòng chống dịch tả lợn giao Sở Xây dựng làm gì"
    other = _hit("4. Sở Tài chính tham mưu bố trí kinh phí phòng, chống dịch tả lợn.")
    assert _signals(asked, [other]).measure == 0.0
    own = _hit("5. Sở Xây dựng hướng dẫn xây dựng chuồng trại phòng, chống dịch tả lợn.")
    assert _signals(asked, [own]).measure > 0.0
    # Named by a passage next to the first one, on the topic: the body's duties are there.
    unnamed = _hit("- Hướng dẫn tiêu độc, khử trùng phòng, chống dịch tả lợn.")
    assert _signals(asked, [unnamed, own]).measure > 0.0
    assert _signals(asked, [unnamed, other]).measure == 0.0
    # Or by the document issuing it.
    issued = DocMeta(doc="cv.txt", issuer="Sở Xây dựng tỉnh Cà Mau")
    task = _hit("Hướng dẫn xây dựng chuồng trại phòng, chống dịch tả lợn.", meta=issued)
    assert _signals(asked, [task]).measure > 0.0


def test_the_answer_must_be_of_the_amount_the_query_states():
    box = _hit("1. Giá sữa tối đa là 8.200 đồng/hộp 180 ml, đã bao gồm thuế")
    asked = "giá tối đa hộp sữa 110 ml là bao nhiêu"
    assert _signals(asked, [box], span=box.chunk.text).amount == 0.0
    assert _signals("giá tối đa hộp sữa 180 ml", [box], span=box.chunk.text).amount == 1.0
    assert _signals("giá tối đa hộp sữa", [box], span=box.chunk.text).amount == 0.5
    # Only the answer counts: another line of the passage may state other sizes.
    assert _signals(asked, [box], span="Giá sữa tối đa là 8.200 đồng/hộp").amount == 1.0
    # A range holding the amount states it, but counts others too: things of that amount
    # are not counted by it.
    stars = _hit("Nâng tổng số sản phẩm OCOP đạt từ 3 sao trở lên của tỉnh lên 182 sản phẩm.")
    said = stars.chunk.text
    assert _signals("tỉnh có bao nhiêu sản phẩm OCOP 4 sao", [stars], span=said).amount == 0.0
    assert _signals("số sản phẩm OCOP 4 sao của tỉnh", [stars], span=said).amount == 0.0  # counts
    assert _signals("sản phẩm OCOP 4 sao được hỗ trợ gì", [stars], span=said).amount == 1.0
    assert _signals("có bao nhiêu sản phẩm OCOP trên 3 sao", [stars], span=said).amount == 1.0


def test_the_first_passage_must_be_of_the_stage_the_query_names():
    row = _hit("Công trình: Kè sông Cái Lớn đoạn Vĩnh Viễn (giai đoạn 2)\nTổng mức đầu tư: 98,5")
    assert _signals("kè sông Cái Lớn giai đoạn 3 tổng mức đầu tư", [row]).phase == 0.0
    assert _signals("ke song Cai Lon giai doan 2 tong muc dau tu", [row]).phase == 1.0
    assert _signals("kè sông Cái Lớn tổng mức đầu tư", [row]).phase == 0.5
    # A span of years is no stage; a passage naming none may be of any.
    assert _signals("kè sông Cái Lớn giai đoạn 2021 - 2025", [row]).phase == 0.5
    plain = _hit("Kè sông Cái Lớn tổng mức đầu tư 98,5 tỷ đồng")
    assert _signals("kè sông Cái Lớn đợt 3", [plain]).phase == 1.0
    assert phases_of("Đợt II chiến dịch, giai đoạn 2021 - 2025") == {2: "Đợt II"}
    # A stage counted in words: "đợt cao điểm thứ 3", "đợt thứ 2".
    assert phases_of("Đợt cao điểm thứ 3 chống buôn lậu") == {3: "Đợt cao điểm thứ 3"}
    assert phases_of("dot thu 2 tiem vac xin") == {2: "dot thu 2"}
    # A class is named by its number too; goods and species are none.
    assert phases_of("xây mới chợ hạng 1, đô thị loại II") == {1: "hạng 1", 2: "loại II"}
    assert phases_of("mặt hàng 1 triệu đồng; loài 1") == {}
    market = _hit("1. Hỗ trợ đầu tư xây dựng mới chợ hạng 3 tại các xã: 2.000 triệu đồng/chợ.")
    assert _signals("xây mới chợ hạng 1 được hỗ trợ bao nhiêu", [market]).phase == 0.0
    assert _signals("xay moi cho hang 3 duoc ho tro bao nhieu", [market]).phase == 1.0
    peaks = _hit("Đợt cao điểm 1 từ 01/4 đến 30/6/2026; đợt cao điểm 2 từ 01/10 đến 31/12/2026.")
    assert _signals("đợt cao điểm thứ 3 chống buôn lậu từ ngày nào", [peaks]).phase == 0.0
    # A school year's terms are its stages.
    report = _hit("Sở Y tế báo cáo sơ kết học kỳ I trước ngày 15/01/2027.")
    assert _signals("hạn Sở Y tế báo cáo sơ kết học kỳ II", [report]).phase == 0.0
    assert _signals("han So Y te bao cao so ket hoc ky 1", [report]).phase == 1.0
    # A first passage naming no stage, the next ones naming only others: not the stage.
    asked = "kè sông Cái Lớn giai đoạn 3 tổng mức đầu tư"
    assert _signals(asked, [plain, row]).phase == 0.0
    third = _hit("Kè sông Cái Lớn giai đoạn 3 khởi công năm 2027")
    assert _signals(asked, [plain, row, third]).phase == 1.0
    assert _signals(asked, [plain]).phase == 1.0
    # The first passage's own stage decides, whatever the next ones name.
    assert _signals(asked, [row, third]).phase == 0.0


def test_the_first_passage_must_be_where_the_query_is():
    asked = "bệnh viện 200 giường ở huyện Kế Sách vốn đầu tư dự kiến"
    other = _hit("Bệnh viện 200 giường; Địa điểm: Phường 5, thành phố Sóc Trăng; Vốn: 520")
    there = _hit("Bệnh viện 200 giường; Địa điểm: Thị trấn Kế Sách, huyện Kế Sách; Vốn: 520")
    assert _signals(asked, [other]).placed == 0.0
    assert _signals(asked, [there]).placed == 1.0
    # A district's own document is where it is, whatever its passages say.
    own = DocMeta("kh.txt", issuer="Ủy ban nhân dân huyện Kế Sách")
    assert _signals(asked, [_hit("Bệnh viện 200 giường: 520 tỷ đồng", meta=own)]).placed == 1.0
    # A province is named by the documents' headers: one the corpus never names is absent.
    fleet = "ký hiệu tỉnh Bến Tre trên số đăng ký tàu cá"
    marks = [_hit("Ký hiệu viết tắt tên tỉnh: Cà Mau là CM, Bạc Liêu là BL")]
    assert _signals(fleet, marks, known=lambda t: t != "~ben_tre").placed == 0.0
    assert _signals(fleet, marks).placed == 1.0
    assert _signals("ký hiệu tỉnh trên số đăng ký tàu cá", marks).placed == 0.5


def test_a_procedure_asked_is_stated_where_it_is_named_or_by_an_article():
    assert procedures_of("Thủ tục cấp hộ chiếu phổ thông lần đầu") == {"thu tuc"}
    assert procedures_of("ho so xin cap phieu ly lich tu phap gom nhung gi") == {"ho so"}
    assert procedures_of("đăng ký kết hôn tại UBND xã cần những giấy tờ gì") == {"giay to"}
    # Named in passing, it is not what is asked: a body, a share.
    assert procedures_of("cơ quan làm thủ tục đăng ký tàu cá") == set()
    assert procedures_of("tỷ lệ hồ sơ trực tuyến toàn trình năm 2025") == set()
    asked = "thủ tục cấp lại giấy chứng nhận quyền sử dụng đất bị mất"
    task = _hit("Rà soát việc cấp lại giấy chứng nhận quyền sử dụng đất cho người dân.")
    assert _signals(asked, [task]).procedure == 0.0
    steps = _hit("Thủ tục cấp lại giấy chứng nhận quyền sử dụng đất gồm các bước sau: ...")
    assert _signals(asked, [steps]).procedure == 1.0
    # An article states it in its own words: "được cấp lại khi ...", "Hồ sơ ... gồm".
    article = _hit(task.chunk.text, section=("Chương II", "Điều 9"))
    assert _signals(asked, [article]).procedure == 1.0
    assert _signals("ai thực hiện thủ tục cấp lại giấy chứng nhận", [task]).procedure == 0.5
    assert _signals("cấp lại giấy chứng nhận bị mất", [task]).procedure == 0.5


def test_the_answer_must_name_the_alternative_the_query_names():
    swim = _hit("Phấn đấu đến cuối năm 2026 tỷ lệ học sinh tiểu học biết bơi an toàn đạt 45%.")
    assert _signals("tỷ lệ học sinh THCS biết bơi năm 2026", [swim]).alternative == 0.0
    assert _signals("ty le hoc sinh tieu hoc biet boi", [swim]).alternative == 1.0
    assert _signals("tỷ lệ học sinh biết bơi năm 2026", [swim]).alternative == 0.5
    # The answer names the alternative, or, naming none, the first passage does.
    smokers = _hit("Giảm tỷ lệ hút thuốc lá ở nam giới xuống còn 38,5%.\nTổ chức truyền thông.")
    women = "tỷ lệ hút thuốc lá ở nữ giới"
    assert _signals(women, [smokers], span="Tổ chức truyền thông.").alternative == 0.0
    assert _signals(women, [_hit("Tỷ lệ hút thuốc lá chung: 20%")]).alternative == 1.0
    # The answer's own line says what it is of, before its passage does.
    rice = _hit(
        "- Vụ Đông Xuân 2024 - 2025 xuống giống 139.480 ha; sản lượng đạt 1.001.450 tấn.\n"
        "- Vụ Hè Thu 2025 đã xuống giống 120.000 ha."
    )
    harvest = "sản lượng đạt 1.001.450 tấn."
    assert _signals("sản lượng lúa vụ Hè Thu 2025", [rice], span=harvest).alternative == 0.0
    assert _signals("san luong lua dong xuan", [rice], span=harvest).alternative == 1.0
    # One alternative may be written several ways: "xe máy" is "xe mô tô, xe gắn máy".
    helmet = _hit("Phạt tiền người điều khiển xe mô tô, xe gắn máy không đội mũ bảo hiểm.")
    assert _signals("xe đạp điện không đội mũ bảo hiểm phạt", [helmet]).alternative == 0.0
    assert _signals("xe may khong doi mu bao hiem phat", [helmet]).alternative == 1.0
    # Typed without marks, but not with other marks; a level only with its cue.
    assert alternatives_of("lua he thu 2025, Lúa Hè Thu") == {(3, 1): "he thu"}
    assert alternatives_of("hệ thu gom nước thải; hồ sơ cấp giấy; Đại học Cần Thơ") == {}
    assert alternatives_of("trình độ trung cấp, cao đẳng") == {(2, 1): "trình độ trung cấp"}
    # Either tone placement: "thuỷ" is "thủy".
    assert alternatives_of("đường thuỷ nội địa").keys() == alternatives_of("đường thủy").keys()
    assert alternatives_of("đường thuỷ nội địa") == {(9, 1): "đường thuỷ"}


@pytest.mark.parametrize(
    ("asked", "said"),
    [
        ("chỉ số PAPI năm 2024 xếp thứ mấy", "Chỉ số năng lực cạnh tranh cấp tỉnh xếp thứ 32/63."),
        ("mật độ thả nuôi tôm càng xanh", "Mật độ thả nuôi tôm thẻ không quá 300 con/m2."),
        ("tổng công suất điện gió đã vận hành", "Điện mặt trời mái nhà đạt 187,3 MWp."),
        ("số vụ tai nạn giao thông đường thủy", "Xảy ra 61 vụ tai nạn giao thông đường bộ."),
        ("lễ bế mạc tổ chức ở đâu", "Lễ khai mạc tổ chức tại Quảng trường Hùng Vương."),
        ("bồi dưỡng viên chức mỗi năm bao nhiêu tiết", "Công chức bồi dưỡng tối thiểu 40 tiết."),
    ],
)
def test_an_answer_naming_another_of_a_closed_set_does_not_answer(asked, said):
    assert _signals(asked, [_hit(said)]).alternative == 0.0
    assert _signals(asked, [_hit(f"{said} {asked}")]).alternative == 1.0


def test_a_document_named_by_number_is_answered_by_it_or_where_it_is_cited():
    new = DocMeta("qc.txt", number="41/2025/QĐ-UBND")
    limit = _hit("Điều 6. Bảng quảng cáo tấm lớn có diện tích tối đa 60 m2.", meta=new)
    asked = "Quyết định 23/2019/QĐ-UBND quy định diện tích bảng quảng cáo tấm lớn tối đa"
    assert _signals(asked, [limit]).sourced == 0.0
    cited = _hit("Quyết định này thay thế Quyết định số 23/2019/QĐ-UBND.", meta=new)
    assert _signals(asked, [cited]).sourced == 1.0
    old = DocMeta("cu.txt", number="23/2019/QĐ-UBND")
    assert _signals(asked, [_hit(limit.chunk.text, meta=old)]).sourced == 1.0
    # A document with no number to tell by, a month and a unit name no document.
    assert _signals(asked, [_hit(limit.chunk.text)]).sourced == 1.0
    assert _signals("diện tích bảng quảng cáo tháng 12/2024", [limit]).sourced == 1.0
    assert read_intent("công suất 1.000 m3/ngày").numbers == set()


def test_a_sum_asked_is_answered_by_a_sum_not_another_number():
    term = "2. Thời hạn hòa giải tranh chấp người tiêu dùng không quá 30 ngày."
    fee = "3. Phí hòa giải tranh chấp người tiêu dùng tối đa 500.000 đồng mỗi vụ."
    passage = _hit(f"{term}\n{fee}")
    asked = "phí hòa giải tranh chấp người tiêu dùng bao nhiêu"
    assert _signals(asked, [passage], span=term).measure == 0.0
    assert _signals(asked, [passage], span=fee).measure == 1.0
    assert _signals("hòa giải trong bao nhiêu ngày", [passage], span=term).measure == 1.0


def test_an_abbreviation_written_out_is_not_missing():
    # No passage spells "KHCN", but "khoa học và công nghệ" is the concept it names.
    hits = [_hit("Đột phá khoa học và công nghệ.")]
    e = _signals("đột phá KHCN", hits, lambda t: "khcn" not in t)
    assert e.missing == 0.0
    # A word no passage uses is missing: "sắt" and "~sat", two of the six word tokens.
    e = _signals("đột phá sắt", [_hit("Đột phá.")], lambda t: t not in {"sắt", "~sat"})
    assert e.missing == pytest.approx(2 / 6)


def test_a_term_no_document_uses_is_missing_though_its_words_are_known():
    # "chuyển đổi số" (a term of the lexicon) is in no document; "chuyển đổi nghề" is.
    hits = [_hit("Hỗ trợ chuyển đổi nghề cho 615 hộ cấp xã.")]
    query = "chuyển đổi số cấp xã"
    used = _signals(query, hits)
    unused = _signals(query, hits, lambda t: t != "ab:chuyen_doi_so")
    assert used.missing == 0.0 and unused.missing == pytest.approx(6 / 10)
    # Of the ten word tokens the passage held eight ("số" aside); now only "cấp", "xã".
    assert (used.coverage, unused.coverage) == (pytest.approx(0.8), pytest.approx(0.4))


def test_a_passage_spelling_out_an_abbreviation_covers_it():
    # Some passage writes "NTM", so "~ntm" is a known word; this one says "nông thôn mới".
    e = _signals("xã đạt chuẩn NTM", [_hit("Có 12 xã đạt chuẩn nông thôn mới.")])
    assert e.coverage == 1.0 and e.first_coverage == 1.0 and e.focus == 1.0
    e = _signals("xã đạt chuẩn NTM", [_hit("Có 12 xã đạt chuẩn văn hóa.")])
    assert e.coverage < 1.0


def test_an_everyday_word_is_held_by_the_official_term_only_where_it_stands():
    # "bằng lái" is "giấy phép lái xe" in the decree: the passage holds the whole query.
    fine = _hit("Phạt tiền người điều khiển xe không mang theo giấy phép lái xe.")
    assert _signals("không mang bằng lái", [fine]).coverage == 1.0
    # "người tiêu dùng" is held by "người mua hàng", but the "mua" of "ngày mua" is a word of
    # its own, not part of the synonym: a passage about buyers does not hold it.
    e = _signals("người tiêu dùng khiếu nại kể từ ngày mua", [_hit("Người mua hàng khiếu nại.")])
    assert 0.0 < e.coverage < 1.0
    assert (
        _signals("người tiêu dùng khiếu nại", [_hit("Người mua hàng khiếu nại.")]).coverage == 1.0
    )


def test_signals_by_hand():
    analyzer = Analyzer()
    q = read_query("học phí trường mầm non", analyzer=analyzer)
    hits = [_hit("Xây dựng trường mầm non đạt chuẩn quốc gia.")]
    e = gather(
        q, hits, analyzer=analyzer, idf=lambda t: 1.0, known=lambda t: True,
        dense=np.array([0.8, 0.7]), lexical=np.array([2.0, 3.0]), top=0,
        span="Xây dựng trường mầm non đạt chuẩn quốc gia.", dense_span=0.75,
    )  # fmt: skip
    # Tokens: học ~hoc phí ~phi trường ~truong mầm ~mam ~non ("non" has no marks to keep);
    # the passage holds the last five.
    assert e.coverage == pytest.approx(5 / 9) and e.first_coverage == pytest.approx(5 / 9)
    # Pairs "học phí", "phí trường", "trường mầm", "mầm non": two held.
    assert e.pair_coverage == pytest.approx(0.5) and e.span_pairs == pytest.approx(0.5)
    assert e.dense_top == pytest.approx(0.8) and e.agreement == 1.0  # top 5 of both lists
    assert e.dense_span == 0.75  # the searcher's cosine of the query with the span
    assert e.missing == 0.0 and e.shape == 0.5  # the query asks for nothing in particular


def test_a_topic_the_documents_do_not_cover_is_not_answered(fixture_index):
    s = Searcher(fixture_index, encoder=HashingEncoder())
    assert s.ask("học phí đại học", k=3).no_answer
    r = s.ask("tổ xung kích phòng cháy", k=3)
    assert not r.no_answer and "tổ xung kích" in r.answer.text


def two_documents(tmp_path, encoder, a: str, b: str):
    """An index of a.txt and b.txt holding ``a`` and ``b``; its folder."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(a + "\n", encoding="utf-8")
    (corpus / "b.txt").write_text(b + "\n", encoding="utf-8")
    build(corpus, tmp_path / "index", encoder)
    return tmp_path / "index"


def test_a_counting_question_ranks_the_passage_stating_the_number_first(tmp_path, encoder):
    two_documents(
        tmp_path,
        encoder,
        "Cải thiện chỉ số cải cách hành chính; tăng cường cải cách hành chính, nâng cao chỉ số"
        " cải cách hành chính của tỉnh.",
        "Chỉ số hành chính: phấn đấu tăng ít nhất 05 bậc vị trí xếp hạng.",
    )
    query = "chỉ số cải cách hành chính tăng mấy bậc"
    plain = Searcher(
        tmp_path / "index", encoder=encoder, settings=RankingSettings(measure_weight=0)
    )
    assert "05 bậc" not in plain.search(query, k=2)[0].chunk.text
    # A weight that outweighs any gap of two min-max scaled candidates (the default is tuned).
    counting = RankingSettings(measure_weight=2.0)
    r = Searcher(tmp_path / "index", encoder=encoder, settings=counting).ask(query, k=2)
    assert "05 bậc" in r.hits[0].chunk.text
    # The not-found rule reads the passages as relevance alone ranked them.
    assert r.evidence.measure == 1.0


@pytest.mark.parametrize(
    "first, second, query, plain_query",
    [
        (  # "cơ quan nào": the passage naming a body that leads
            "Điều 1. Ban hành kèm theo Quyết định này Quy chế phối hợp kiểm soát tàu cá ra,"
            " vào cảng trên địa bàn tỉnh.",
            "Điều 6. Sở Nông nghiệp và Phát triển nông thôn chủ trì thực hiện Quy chế.",
            "cơ quan nào thực hiện Quy chế phối hợp kiểm soát tàu cá ra, vào cảng",
            "Quy chế phối hợp kiểm soát tàu cá ra, vào cảng",
        ),
        (  # "thời hạn": the passage stating a time
            "Tên công trình: Đập tạm ngăn mặn kênh Bắc Trang do Ủy ban nhân dân huyện Trà Cú đắp.",
            "Ủy ban nhân dân huyện hoàn thành đắp đập tạm trước ngày 20 tháng 01 năm 2025.",
            "thời hạn Ủy ban nhân dân huyện đắp đập tạm ngăn mặn kênh Bắc Trang",
            "Ủy ban nhân dân huyện đắp đập tạm kênh Bắc Trang",
        ),
    ],
)
def test_a_who_or_when_question_ranks_the_passage_holding_that_first(
    tmp_path, encoder, first, second, query, plain_query
):
    two_documents(tmp_path, encoder, first, second)
    plain = Searcher(tmp_path / "index", encoder=encoder, settings=RankingSettings(shape_weight=0))
    assert plain.search(query, k=2)[0].doc == "a.txt"
    # A weight that outweighs any gap of two min-max scaled candidates (the default is tuned).
    shaped = Searcher(tmp_path / "index", encoder=encoder, settings=RankingSettings(shape_weight=2))
    assert shaped.search(query, k=2)[0].doc == "b.txt"
    # A question asking neither leaves the order to relevance.
    assert shaped.search(plain_query, k=2)[0].doc == "a.txt"


def test_which_number_a_document_has_is_answered_by_its_number():
    """ "quyết định số mấy" asks a decision's number: a passage on the topic citing one, or
    the first passage's own document being one, answers; a plan asking for one does not."""
    asked = "Phương án chữa cháy rừng mùa khô đã được phê duyệt bằng quyết định số mấy?"
    assert read_numbered(asked) == "quyet dinh"
    assert read_numbered("ke hoach han man nam 2025 la ke hoach so nao") == "ke hoach"
    assert read_numbered("xóa đăng ký tàu cá dùng tờ khai mẫu số mấy") == ""
    # Asked after the document's name, however long ("có số hiệu là gì", "... số mấy").
    long_name = "Kế hoạch tổ chức Kỳ thi tốt nghiệp THPT năm 2026 của Sở có số hiệu là gì"
    assert read_numbered(long_name) == "ke hoach"
    assert read_numbered("nghị quyết hỗ trợ đầu tư chợ của HĐND tỉnh số mấy") == "nghi quyet"
    assert read_numbered("thông tư đăng ký tàu cá dùng tờ khai mẫu số mấy") == ""
    # "sở nào" asks which department; typed without diacritics, only right after the type.
    assert read_numbered("kế hoạch nâng PCI 2025 sở nào chủ trì") == ""
    assert read_numbered("ke hoach nang PCI 2025 so nao chu tri") == ""
    plan = "Sở Nông nghiệp và Môi trường trình Phương án chữa cháy rừng mùa khô trước 15/11."
    assert _signals(asked, [_hit(plan)]).measure == 0.0
    cited = "Phương án chữa cháy rừng mùa khô được phê duyệt tại Quyết định số 1420/QĐ-UBND."
    assert _signals(asked, [_hit(cited)]).measure > 0.0
    own = DocMeta("kh.txt", doc_type="Kế hoạch", number="52/KH-UBND")
    caption = _hit("Danh mục nhiệm vụ phòng, chống hạn hán năm 2025", meta=own)
    drought = "kế hoạch phòng chống hạn hán năm 2025 là kế hoạch số mấy"
    assert _signals(drought, [caption]).measure > 0.0
    assert _signals(drought, [_hit("Danh mục nhiệm vụ phòng, chống hạn hán")]).measure == 0.0


@pytest.mark.parametrize(
    "first, second, asked, reason, answered, answer",
    [
        (  # a document named by number the passages neither are of nor cite
            "ỦY BAN NHÂN DÂN TỈNH CÀ MAU\nSố: 41/2025/QĐ-UBND\nCà Mau, ngày 12 tháng 5 năm 2025\n"
            "QUYẾT ĐỊNH\nBan hành Quy chế quản lý quảng cáo\n"
            "Điều 6. Bảng quảng cáo tấm lớn có diện tích tối đa 60 m2.",
            "ỦY BAN NHÂN DÂN TỈNH CÀ MAU\nSố: 12/KH-UBND\nCà Mau, ngày 02 tháng 6 năm 2025\n"
            "KẾ HOẠCH\nKiểm tra biển hiệu, bảng quảng cáo trên các tuyến phố năm 2025",
            "Quyết định 23/2019/QĐ-UBND quy định diện tích bảng quảng cáo tấm lớn tối đa",
            "không thuộc, cũng không dẫn văn bản có số hiệu đã nêu",
            "Quyết định 41/2025/QĐ-UBND quy định diện tích bảng quảng cáo tấm lớn tối đa",
            "60 m2",
        ),
        (  # an alternative of a closed set the answer names others of
            "Phấn đấu đến cuối năm 2026 tỷ lệ học sinh tiểu học biết bơi an toàn đạt 45%.",
            "Tổ chức hội thi bơi lội cho đoàn viên thanh niên các xã, phường.",
            "tỷ lệ học sinh THCS biết bơi an toàn cuối năm 2026",
            "nói về đối tượng khác, không phải THCS",
            "tỷ lệ học sinh tiểu học biết bơi an toàn cuối năm 2026",
            "45%",
        ),
        (  # a procedure a plan's task names the subject of, not the procedure
            "ỦY BAN NHÂN DÂN TỈNH CÀ MAU\nSố: 15/KH-UBND\nCà Mau, ngày 02 tháng 6 năm 2025\n"
            "KẾ HOẠCH\nCải cách hành chính năm 2025\n1. Sở Nông nghiệp và Môi trường chủ trì rà "
            "soát việc cấp lại giấy chứng nhận quyền sử dụng đất bị mất, xong trước 30/9/2025.",
            "ỦY BAN NHÂN DÂN TỈNH CÀ MAU\nSố: 20/KH-UBND\nCà Mau, ngày 05 tháng 6 năm 2025\n"
            "KẾ HOẠCH\nTuyên truyền pháp luật năm 2025\n1. Tổ chức 20 hội nghị tuyên truyền.",
            "thủ tục cấp lại giấy chứng nhận quyền sử dụng đất bị mất",
            "không nêu thủ tục, hồ sơ hay điều kiện được hỏi",
            "ai chủ trì rà soát việc cấp lại giấy chứng nhận quyền sử dụng đất bị mất",
            "Sở Nông nghiệp và Môi trường",
        ),
    ],
)
def test_a_rule_refusing_says_why_and_refuses_nothing_else(
    tmp_path, encoder, first, second, asked, reason, answered, answer
):
    two_documents(tmp_path, encoder, first, second)
    s = Searcher(tmp_path / "index", encoder=encoder)
    r = s.ask(asked, k=2)
    assert r.no_answer and r.reason == f"Các đoạn gần nhất {reason}."
    r = s.ask(answered, k=2)
    assert not r.no_answer and answer in r.answer.text


def test_a_documents_number_asked_is_answered_by_the_caption_stating_it(tmp_path, encoder):
    """A plan whose header lost its number states it only in its appendix caption: asked
    "... số mấy, ban hành ngày nào", the caption is the first passage and the answer, and
    its date of issue is no year the question's "2026 - 2030" rules out."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "kh.md").write_text(
        "# KẾ HOẠCH\n\nHỗ trợ đầu tư xây dựng chợ giai đoạn 2026 - 2030\n\n"
        "I. MỤC ĐÍCH\n\n1. Hỗ trợ đầu tư xây dựng, nâng cấp chợ giai đoạn 2026 - 2030 "
        "trên địa bàn tỉnh.\n\n2. Chợ hạng 3 được hỗ trợ xây dựng mới trong năm 2026.\n\n"
        "PHỤ LỤC\n\nDANH MỤC CHỢ ĐƯỢC HỖ TRỢ ĐẦU TƯ\n\n"
        "(Kèm theo Kế hoạch số 21/KH-UBND ngày 09/12/2025 của Ủy ban nhân dân tỉnh Cà Mau)\n\n"
        "| STT | Tên chợ | Nội dung hỗ trợ |\n|---|---|---|\n"
        "| 1 | Chợ Năm Căn | Hỗ trợ đầu tư xây dựng chợ mới |\n",
        encoding="utf-8",
    )
    build(corpus, tmp_path / "index", encoder)
    r = Searcher(tmp_path / "index", encoder=encoder).ask(
        "kế hoạch hỗ trợ đầu tư xây dựng chợ 2026 - 2030 số mấy, ban hành ngày nào", k=5
    )
    caption = "(Kèm theo Kế hoạch số 21/KH-UBND ngày 09/12/2025 của Ủy ban nhân dân tỉnh Cà Mau)"
    assert r.hits[0].chunk.text == caption
    assert r.answer is not None and r.answer.text == caption
    assert not r.no_answer
