from search.index.citation import document_ref, row_citation, section_phrase, text_citation
from search.records import DocMeta

UBND = DocMeta(
    doc="a.txt",
    doc_type="Chương trình hành động",
    number="01/CTr-UBND",
    date="19/01/2025",
    issuer="Ủy ban nhân dân tỉnh Cà Mau",
    year=2025,
)
LAW = DocMeta(
    doc="l.txt", doc_type="Luật", number="43/2019/QH14", title="GIÁO DỤC", issuer="Quốc hội"
)


def test_section_phrase_innermost_first():
    assert section_phrase(("II", "1", "a)")) == "điểm a khoản 1 Mục II"
    assert section_phrase(("III", "1", "1.3", "a)")) == "điểm a khoản 1.3 Mục III"
    assert section_phrase(("Chương II", "Mục 1", "Điều 47", "2")) == "khoản 2 Điều 47"


def test_text_citation_program():
    assert text_citation(UBND, ("II", "1", "a)")) == (
        "điểm a khoản 1 Mục II Chương trình hành động số 01/CTr-UBND ngày 19/01/2025 "
        "của Ủy ban nhân dân tỉnh Cà Mau"
    )


def test_law_citation():
    assert text_citation(LAW, ("Chương V", "Điều 47", "2")) == (
        "khoản 2 Điều 47 Luật Giáo dục số 43/2019/QH14"
    )


def test_row_citation_uses_appendix_caption():
    cite = row_citation(
        UBND,
        ("Phụ lục 2", "A", "II", "2"),
        "Đầu tư xây dựng Cảng nước sâu",
        "Chương trình hành động số 01-CT/TU ngày 24/10/2025 của Ban Chấp hành",
    )
    assert cite == (
        "Phụ lục 2, mục A.II.2 (Đầu tư xây dựng Cảng nước sâu) kèm theo Chương "
        "trình hành động số 01-CT/TU ngày 24/10/2025 của Ban Chấp hành"
    )

    # A sub-row with no number of its own: its parent's number, its name without the bullet.
    assert row_citation(UBND, ("Phụ lục", "1"), "- Khối nhà điều trị nội trú 5 tầng", None) == (
        f"Phụ lục, mục 1 (Khối nhà điều trị nội trú 5 tầng) kèm theo {document_ref(UBND)}"
    )


def test_unknown_fields_left_out():
    meta = DocMeta(
        doc="x.txt",
        doc_type="Chương trình",
        title="công tác 6 tháng đầu năm 2026",
        issuer="Tỉnh ủy Cà Mau",
    )
    assert document_ref(meta) == "Chương trình công tác 6 tháng đầu năm 2026 của Tỉnh ủy Cà Mau"
    assert "None" not in text_citation(DocMeta(doc="y.txt"), ("1",))
