from search.query.intent import (
    DocumentNames,
    SectionRef,
    doc_prior,
    doc_years,
    read_intent,
    read_section_refs,
    section_match,
)
from search.query.names import named_places, names_in, proper_names
from search.records import Chunk, DocMeta
from search.structure.layout import numbered_clauses

P2024 = DocMeta(
    doc="a",
    doc_type="Chương trình hành động",
    number="01/CTr-UBND",
    year=2024,
    issuer="Ủy ban nhân dân tỉnh Cà Mau",
    title="THỰC HIỆN ... NĂM 2024",
)
TU = DocMeta(
    doc="b",
    doc_type="Chương trình hành động",
    number="01-CTr/TU",
    year=2025,
    issuer="Ban Chấp hành Đảng bộ tỉnh",
    title="nhiệm kỳ 2025 - 2030",
)
CT = DocMeta(
    doc="c",
    doc_type="Chỉ thị",
    number="04/CT-UBND",
    year=2023,
    issuer="Ủy ban nhân dân tỉnh Cà Mau",
)
WORK = DocMeta(
    doc="d",
    doc_type="Chương trình",
    title="công tác 6 tháng đầu năm 2026",
    year=2026,
    issuer="Tỉnh ủy Cà Mau",
)


def test_years_and_targets():
    assert read_intent("phương châm hành động năm 2024").years == {2024}
    assert read_intent("Đến năm 2030 mỗi vạn dân có bao nhiêu giường bệnh").years == set()
    assert read_intent("tầm nhìn đến năm 2050").years == set()
    # The year of a document number names that document, not the year asked about.
    assert read_intent("QĐ dạy thêm thay thế QĐ 23/2020").years == set()
    assert read_intent("khoản 3 Điều 5 Nghị định 15/2024/NĐ-CP năm 2025").years == {2025}
    assert read_intent("hết ngày 31/12/2024").years == {2024}  # a date's year is asked
    # Four digits counting or scaling something are no year; after "năm" they are.
    assert read_intent("nhà máy điện khí công suất 2000 MW").years == set()
    assert read_intent("quy hoạch phân khu tỷ lệ 1/2000").years == set()
    assert read_intent("năm 2024 xã Tân Thành").years == {2024}
    # A rate or a share after a year counts no money ("tỷ lệ", not "tỷ" đồng).
    assert read_intent("KH CĐS 2026 tỷ lệ hồ sơ trực tuyến").years == {2026}
    assert read_intent("kh 2026 ty trong kinh te so").years == {2026}
    assert read_intent("dự án 2000 tỷ đồng").years == set()


def test_document_type_number_and_body():
    i = read_intent("Chỉ thị 04 về nâng cao hiệu lực")
    assert i.doc_types == {"Chỉ thị"} and "04" in i.numbers
    assert read_intent("chương trình của Tỉnh ủy").bodies == {"party"}
    assert "04/ct-ubnd" in read_intent("theo 04/CT-UBND").numbers


def test_a_type_word_asked_about_is_a_verb_not_a_document():
    """ "khoản 2 Điều 5 quy định gì" asks what a clause stipulates: no "Quy định" is named,
    so the clause of a Quyết định's attached rules is still the one addressed."""
    assert read_intent("khoản 2 Điều 5 quy định gì về thời hạn").doc_types == set()
    assert read_intent("điều 3 quy dinh nhu the nao").doc_types == set()
    assert read_intent("sở báo cáo những gì").doc_types == set()
    assert read_intent("Quy định về thi đua khen thưởng").doc_types == {"Quy định"}
    assert read_intent("báo cáo 38 tiến độ").doc_types == {"Báo cáo"}


def test_a_document_named_by_its_type_code_and_number():
    i = read_intent("QĐ 845 UBND h. Tân Hồng bàn giao mặt bằng")
    assert i.doc_types == {"Quyết định"} and i.numbers == {"845"}
    assert read_intent("KH số 118 lúa phát thải thấp").numbers == {"118"}
    assert read_intent("CTr 01 năm 2025").doc_types == {"Chương trình"}
    assert read_intent("QĐ 845 ngày 26/5/2025").numbers == {"845"}
    # A quantity after the code is no number of a document; "QH" numbers a legislature.
    assert read_intent("BC 6 tháng đầu năm").numbers == set()
    assert read_intent("QH 15").doc_types == set()
    decision = DocMeta(doc="qd", doc_type="Quyết định", number="845/QĐ-UBND", year=2025)
    notice = DocMeta(doc="tb", doc_type="Thông báo", number="236/TB-VPUBND", year=2025)
    intent = read_intent("QĐ 845 hạn chót bàn giao mặt bằng")
    assert doc_prior(intent, decision) == 1.0 and doc_prior(intent, notice) == 0.0


def test_full_numbers_of_laws_decrees_and_party_documents():
    assert read_intent("Nghị định 15/2025/NĐ-CP").numbers == {"15/2025/nd-cp"}
    assert read_intent("luat so 43/2019/QH14").numbers == {"43/2019/qh14"}
    assert read_intent("nghị định 15/2025 hỗ trợ").numbers == {"15/2025"}
    assert read_intent("chỉ thị 01-CT/TU").numbers >= {"01-ct/tu"}
    assert read_intent("ban hành ngày 19/01/2025").numbers == set()  # a date
    decree = DocMeta(doc="nd", doc_type="Nghị định", number="15/2025/NĐ-CP", year=2025)
    other = DocMeta(doc="x", doc_type="Nghị định", number="16/2025/NĐ-CP", year=2025)
    for q in ("nghị định 15/2025", "ND 15/2025/ND-CP"):
        intent = read_intent(q)
        assert doc_prior(intent, decree) == 1.0 and doc_prior(intent, other) < 1.0, q


def test_doc_years_cover_periods():
    assert doc_years(TU) >= {2025, 2026, 2030}
    assert doc_years(WORK) == {2026}


def test_doc_prior_by_hand():
    assert doc_prior(read_intent("năm 2024"), P2024) == 1.0
    assert doc_prior(read_intent("năm 2024"), CT) == 0.0
    both = read_intent("Chỉ thị 04 năm 2024")  # type+number match CT, year does not
    assert doc_prior(both, CT) == 2 / 3
    assert doc_prior(read_intent("chương trình hành động của Tỉnh ủy"), TU) == 1.0
    assert doc_prior(read_intent("chương trình hành động của Tỉnh ủy"), CT) == 0.0
    assert doc_prior(read_intent("chương trình công tác 6 tháng đầu năm 2026"), WORK) == 1.0
    assert doc_prior(read_intent("Hòn Khoai tiến độ"), P2024) == 0.0


def test_section_refs_in_any_order_and_without_diacritics():
    assert read_section_refs("điểm b khoản 1 Điều 6 Luật Trạm đọc sách") == [
        SectionRef("6", "1", "b")
    ]
    assert read_section_refs("dieu 9 khoan 2") == [SectionRef("9", "2", None)]
    assert read_section_refs("Điều 47 luật giáo dục") == [SectionRef("47", None, None)]
    # Words that merely start with "điều" are not addresses.
    assert read_section_refs("điều kiện thành lập trạm, điều chỉnh 2025") == []


def test_section_match_by_hand():
    art9 = ("Chương II", "Mục 2", "Điều 9")
    clause2 = art9 + ("2",)
    clause1 = art9 + ("1",)
    point_b = art9 + ("1", "b)")
    assert section_match([SectionRef("9")], art9) == 1.0
    assert section_match([SectionRef("9")], clause1) == 1.0
    assert section_match([SectionRef("9", "2")], clause2) == 1.0
    assert section_match([SectionRef("9", "2")], art9) == 0.6  # a part of the article
    whole = numbered_clauses(
        "Điều 9. Quyền\n1. Người phụ trách trạm có quyền\n2. Người phụ trách trạm báo cáo"
    )
    assert whole == {"1", "2"}
    assert section_match([SectionRef("9", "2")], art9, whole) == 1.0  # it holds clause 2
    assert section_match([SectionRef("9", "3")], art9, whole) == 0.6
    assert section_match([SectionRef("9", "2")], clause1) == 0.3
    assert section_match([SectionRef("9", "1", "b")], point_b) == 1.0
    assert section_match([SectionRef("9", "1", "a")], point_b) == 0.6
    assert section_match([SectionRef("19")], art9) == 0.0
    assert section_match([SectionRef("9")], ("II", "9")) == 0.0  # a program's item 9


def test_documents_named_by_type_and_title():
    law = DocMeta(doc="gd", doc_type="Luật", title="GIÁO DỤC")
    land = DocMeta(doc="dd", doc_type="Luật", title="Đất đai")
    names = DocumentNames({"gd": law, "dd": land, "a": P2024})
    assert names.named_in("Điều 47 Luật Giáo dục") == {"gd"}
    assert names.named_in("thu hoi dat theo luat dat dai.") == {"dd"}
    assert names.named_in("luật đất đai, luật giáo dục") == {"dd", "gd"}
    assert names.named_in("giáo dục nghề nghiệp") == set()
    assert names.named_in("luật đất đai năm") == {"dd"}
    assert names.named_in("luật đất đaix") == set()
    intent = read_intent("Điều 47 Luật Giáo dục")
    intent.named = {"gd"}
    assert doc_prior(intent, law) == 1.0 and doc_prior(intent, land) == 0.5


def test_a_range_after_a_horizon_word_is_not_the_documents_year():
    assert read_intent("kế hoạch đầu tư công giai đoạn 2026-2030").years == set()
    assert read_intent("nhiệm kỳ 2025 - 2030").years == {2025, 2030}


def test_a_body_is_the_issuer_only_when_the_query_says_so():
    assert read_intent("chương trình của Tỉnh ủy").bodies == {"party"}
    assert read_intent("Tỉnh ủy ban hành chương trình gì").bodies == {"party"}
    assert read_intent("chỉ thị UBND tỉnh về cải cách hành chính").bodies == {"gov"}
    assert read_intent("trụ sở Tỉnh ủy Cà Mau kế hoạch vốn").bodies == set()


def test_issuer_of_any_province_or_city():
    """No province is written into the code: "UBND tỉnh Bạc Liêu giao" names the issuer."""
    assert read_intent("UBND tỉnh Bạc Liêu giao nhiệm vụ gì").bodies == {"gov"}
    assert read_intent("nhiệm vụ UBND thành phố Cần Thơ chỉ đạo").bodies == {"gov"}
    assert read_intent("dự án gần trụ sở UBND tỉnh Bạc Liêu").bodies == set()


def test_places_a_query_names_by_unit_and_name():
    def named(query):
        return {(p.unit, p.name, p.typed) for p in named_places(query)}

    assert named("bệnh viện ở huyện Kế Sách có vốn") == {("huyen", "ke sach", "huyện Kế Sách")}
    assert named("UBND TP. Cà Mau, huyện Phú Tân") == {
        ("tp", "ca mau", "TP. Cà Mau"),
        ("huyen", "phu tan", "huyện Phú Tân"),
    }
    assert named("ký hiệu tinh Ben Tre") == {("tinh", "ben tre", "tinh Ben Tre")}
    # No name: lower case, an abbreviation, a comma between, a level ("cấp huyện").
    assert not named_places("thi diem tp ca mau")
    assert not named_places("phân hiệu đại học TP HCM")
    assert not named_places("tỉnh, Cà Mau") and not named_places("UBND cấp huyện chủ trì")


def test_names_a_query_spells_with_capitals():
    assert proper_names("chiều dài tuyến đường U Minh - Khánh Hội") == {"u minh", "khanh hoi"}
    assert proper_names("diện tích KCN Khánh An mở rộng") == {"khanh an"}
    # The first word's capital opens a sentence, not a name; one capital is no name.
    assert proper_names("Huyện Tân Thạnh trồng bao nhiêu ha") == {"tan thanh"}
    assert not proper_names("Hòn Khoai tiến độ") and not proper_names("hon khoai tien do")
    # Names run together: the last capital starts the next name, whose words go on in
    # lower case ("Bệnh viện").
    assert proper_names("quy mô Khoa Dược Bệnh viện Trần Văn Thời") == {
        "khoa duoc",
        "tran van thoi",
    }
    assert not proper_names("sản lượng điện LNG Green Amber")  # an abbreviation, English


def test_a_passage_is_where_it_or_its_document_names_the_place():
    meta = DocMeta("kh.txt", issuer="Ủy ban nhân dân tỉnh Sóc Trăng", title="Kế hoạch năm 2025")

    def row(text, context=""):
        return Chunk("kh#1", meta, "table_row", ("Phụ lục",), 5, 5, text, context=context)

    hospital = row("Bệnh viện đa khoa 200 giường; Địa điểm: Phường 5, thành phố Sóc Trăng")
    assert not names_in({"ke sach"}, hospital)
    assert names_in({"soc trang"}, row("Khu dân cư thương mại"))  # the issuer's province
    assert names_in({"ke sach"}, row("Xây 40 căn nhà", context="II. Huyện Kế Sách"))
    assert not names_in({"tran van thoi"}, row("Huyện Trần Đề"))
    # Two communes typed without their comma ("xã Tân Thành Kiểng Phước"): each is named.
    docked = row("neo đậu tại các bến sông thuộc xã Tân Thành, xã Kiểng Phước")
    assert names_in({"tan thanh kieng phuoc"}, docked)
    assert not names_in({"tan thanh long hoa"}, docked)
    assert not names_in({"tan phu dong"}, row("xã Tân Phú, huyện Gò Công Đông"))
