from search.intent import doc_prior, doc_years, read_intent
from search.records import DocMeta

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


def test_document_type_number_and_body():
    i = read_intent("Chỉ thị 04 về nâng cao hiệu lực")
    assert i.doc_types == {"Chỉ thị"} and "04" in i.numbers
    assert read_intent("chương trình của Tỉnh ủy").bodies == {"party"}
    assert "04/ct-ubnd" in read_intent("theo 04/CT-UBND").numbers


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
