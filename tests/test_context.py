"""The context view: a passage among its section's paragraphs, a row within its table."""

from dataclasses import replace

import pytest
from conftest import parse_fixture

from search.index.chunker import Chunker, ChunkerSettings
from search.query.context import aligned_cells, find_chunk, meta_fields, passage_context
from search.records import Chunk, DocMeta


@pytest.fixture(scope="module")
def chunks() -> list[Chunk]:
    out: list[Chunk] = []
    for name in ("luat_mau.txt", "nghidinh_mau.txt", "tinhuy_program_tabtable.txt"):
        out += Chunker().chunks(parse_fixture(name))
    return out


def test_lone_point_is_shown_within_its_article():
    # Small passages put "b) Danh mục sách hiện có của trạm;" alone in point b): the view
    # shows the whole clause 1 around it.
    chunks = Chunker(ChunkerSettings(target_chars=60, overlap_chars=20)).chunks(
        parse_fixture("nghidinh_mau.txt")
    )
    target = next(c for c in chunks if c.text.startswith("b) Danh mục sách"))
    assert target.section[-1] == "b)"
    view = passage_context(target, chunks)
    texts = [c.text for c in view.paragraphs]
    assert target in view.paragraphs and not view.is_table
    # (point a) opens its passage after the headings above it: "Điều 4. ...", "1. ...")
    assert any("\na) Văn bản đề nghị theo Mẫu số 01" in t for t in texts)
    assert any(t.startswith("c) Báo cáo số lượt") for t in texts)
    assert all(c.doc == "nghidinh_mau.txt" for c in view.paragraphs)
    # The article's title is above the view, or opens its first passage.
    assert "Điều 4" in view.heading or texts[0].startswith("Điều 4.")
    assert view.meta.number == "15/2025/NĐ-CP"


def test_window_limits_neighbours_and_counts_the_rest(chunks):
    law = [c for c in chunks if c.doc == "luat_mau.txt"]
    target = law[6]
    view = passage_context(target, chunks, window=1, min_group=100)
    assert len(view.paragraphs) == 3 and view.paragraphs[1] is target
    assert view.skipped_before + view.skipped_after == len(law) - 3


def test_table_row_comes_with_its_table_and_header(chunks):
    target = next(
        c
        for c in chunks
        if c.kind == "table_row" and "Hiện đại hóa hệ thống giám sát hành trình" in c.text
    )
    view = passage_context(target, chunks, window=2)
    assert view.is_table and view.table_title == target.table_title
    assert "Tên công việc" in view.columns and "Cơ quan chủ trì" in view.columns
    rows = [r.chunk for r in view.rows]
    assert target in rows and len(rows) == 3  # two rows before it, none left after
    assert all(r.table_header == target.table_header for r in rows)
    # Every row has one value per shown column, the target's name in the name column.
    name_col = view.columns.index("Tên công việc")
    row = next(r for r in view.rows if r.chunk is target)
    assert all(len(r.values) == len(view.columns) for r in view.rows)
    assert row.values[name_col].startswith("Hiện đại hóa")
    assert any(r.group for r in view.rows)  # the "B ..." group heading is shown


def test_blank_headers_are_aligned_to_the_next_column():
    meta = DocMeta(doc="x.txt")
    row = Chunk(
        id="x#1",
        meta=meta,
        kind="table_row",
        section=("Phụ lục 2", "A", "II", "2"),
        line_start=1,
        line_end=4,
        text="",
        table_header=("STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn"),
        cells=(
            ("Nhiệm vụ", "Cảng Hòn Khoai"),
            ("", "Bộ Quốc phòng"),
            ("", "Sở GTVT"),
            ("", "2025"),
        ),
    )
    assert aligned_cells(row) == [
        ("Nhiệm vụ", "Cảng Hòn Khoai"),
        ("Cơ quan chủ trì", "Bộ Quốc phòng"),
        ("Cơ quan phối hợp", "Sở GTVT"),
        ("Thời hạn", "2025"),
    ]
    view = passage_context(row, [row])
    assert view.rows[0].values[0] == "2"  # the row number, from the section path
    surplus = replace(row, cells=row.cells + (("", "thừa"),))
    assert aligned_cells(surplus)[-1] == ("Thời hạn", "2025; thừa")


def test_metadata_fields_in_vietnamese(chunks):
    meta = next(c.meta for c in chunks if c.doc == "luat_mau.txt")
    fields = dict(meta_fields(meta))
    assert fields["Loại văn bản"] == "Luật" and fields["Số, ký hiệu"] == "99/2024/QH15"
    assert fields["Ngày ban hành"] == "27/06/2024" and fields["Tệp"] == "luat_mau.txt"
    assert dict(meta_fields(DocMeta(doc="a.txt", year=2026))) == {"Năm": "2026", "Tệp": "a.txt"}


def test_find_chunk(chunks):
    assert find_chunk(chunks, chunks[3].id) is chunks[3]
    assert find_chunk(chunks, "nope#0") is None
