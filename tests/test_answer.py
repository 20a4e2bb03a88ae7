import dataclasses
import math
from functools import partial

import numpy as np
import pytest
from fakes import HashingEncoder

from search import Searcher
from search.index.analyzer import Analyzer
from search.index.ingest import build
from search.query.answer import extract_answer
from search.query.intent import DocumentNames
from search.query.query import read_query
from search.query.ranges import Amount, fit, other_amounts, ranges, stated_amounts
from search.query.reorder import (
    asked_parts_first,
    headed_year_first,
    sources_first,
    spread_items,
)
from search.query.spans import has_shape, holds_asked_cell, row_spans, text_spans
from search.query.units import counts_table_unit, units_placed
from search.records import Chunk, DocMeta, Hit


def _passage(meta: DocMeta, chunk_id: str, kind: str, text: str, cells=()) -> Chunk:
    return Chunk(chunk_id, meta, kind, (), 1, 1, text, cells=cells, embed_text=text)


def _row(doc: str, section: tuple[str, ...], line: int, cells, **fields) -> Chunk:
    """A table row's passage as the chunker writes it: a "heading: cell" line per cell."""
    text = "\n".join(f"{h}: {v}" for h, v in cells)
    return Chunk("r", DocMeta(doc=doc), "table_row", section, line, line, text, cells=cells,
                 embed_text=text, **fields)  # fmt: skip


def test_answer_is_a_copied_sentence_with_lines(fixture_index):
    s = Searcher(fixture_index, encoder=HashingEncoder())
    r = s.ask("giờ phát bản tin dự báo cháy rừng", k=5)
    assert not r.no_answer and r.answer is not None
    a = r.answer
    assert "18 giờ 30 phút" in a.text
    assert a.doc == "chithi_markdown.txt" and a.line_start == a.line_end == 47
    source = (fixture_index.parent / "corpus" / a.doc).read_text(encoding="utf-8").split("\n")
    assert a.text.replace("**", "") in source[a.line_start - 1].replace("**", "")
    assert "07/CT-UBND" in a.citation


def test_table_answer_picks_the_asked_cells(fixture_index):
    s = Searcher(fixture_index, encoder=HashingEncoder())
    a = s.ask("Trạm quan trắc chất lượng nước Rạch Gốc 2 thời hạn hoàn thành", k=5).answer
    assert a.text.startswith("Trạm quan trắc chất lượng nước tự động Rạch Gốc 2")
    assert "Thời hạn hoàn thành: Quý III" in a.text
    assert "Cơ quan phối hợp" not in a.text


def test_unknown_content_word_means_no_answer(fixture_index):
    s = Searcher(fixture_index, encoder=HashingEncoder())
    r = s.ask("tuyến đường sắt ra cảng cá", k=3)
    assert r.no_answer and r.answer is None and r.unknown_terms == ["sắt"] and len(r.hits) == 3
    # Question words and abbreviations are not evidence of a missing topic.
    r = s.ask("bao giờ hoàn thành khảo sát hiện trạng rác thải nhựa", k=3)
    assert not r.no_answer


def test_an_addressed_clause_ranks_first_and_is_the_answer(fixture_index):
    s = Searcher(fixture_index, encoder=HashingEncoder())
    r = s.ask("khoản 2 Điều 9 Luật Trạm đọc sách cộng đồng", k=5)
    assert r.hits[0].chunk.section[-1] == "Điều 9" and r.hits[0].doc == "luat_mau.txt"
    a = r.answer
    assert a.text.startswith("2. Người phụ trách trạm có nghĩa vụ báo cáo")
    assert a.line_start == a.line_end == 71
    assert a.citation.startswith("khoản 2 Điều 9 Luật Trạm đọc sách cộng đồng")
    # Điều 12 cross-references "khoản 1 Điều 9" and matches every word; the address wins.
    r = s.ask("khoản 2 Điều 9", k=5)
    assert r.hits[0].chunk.section[-1] == "Điều 9" and r.hits[0].doc == "luat_mau.txt"
    # Typed without diacritics and point first, inside the decree.
    r = s.ask("diem c khoan 1 dieu 4 nghi dinh 15/2025", k=5)
    assert r.hits[0].doc == "nghidinh_mau.txt" and r.hits[0].chunk.section[-1] == "Điều 4"
    assert r.answer.text.startswith("c) Báo cáo số lượt người đọc")
    assert r.answer.citation.startswith("điểm c khoản 1 Điều 4 Nghị định số 15/2025/NĐ-CP")
    # Điều 6 opens its chapter: its passage starts with "Chương II" and "Mục 1" headings,
    # which are not clauses of the article.
    r = s.ask("điểm b khoản 1 Điều 6 Luật Trạm đọc sách cộng đồng", k=5)
    assert r.answer.text.startswith("b) Có không gian đọc diện tích tối thiểu 15 m²")
    assert r.answer.citation.startswith("điểm b khoản 1 Điều 6 Luật Trạm đọc sách cộng đồng")


def test_answer_inside_an_article_is_cited_by_its_clause_and_point(fixture_index):
    s = Searcher(fixture_index, encoder=HashingEncoder())
    a = s.ask("hỗ trợ kết nối internet cho trạm bao nhiêu tiền mỗi tháng", k=5).answer
    assert a.text.startswith("d) Hỗ trợ kết nối internet: 200.000 đồng/trạm/tháng")
    assert a.citation.startswith("điểm d khoản 1 Điều 3 Nghị định số 15/2025/NĐ-CP")


def test_headings_are_never_the_answer(fixture_index):
    s = Searcher(fixture_index, encoder=HashingEncoder())
    a = s.ask("các hành vi bị nghiêm cấm đối với trạm đọc sách", k=5).answer
    assert a.text != "Các hành vi bị nghiêm cấm" and not a.text.startswith("Điều 5.")
    assert a.citation.startswith("khoản ")


def test_query_vectors_are_cached_unless_turned_off(fixture_index):
    calls = []

    class Counting(HashingEncoder):
        def encode_queries(self, texts):
            calls.extend(texts)
            return super().encode_queries(texts)

    s = Searcher(fixture_index, encoder=Counting())
    s.search("bến phà", k=3)
    s.search("bến phà", k=3)
    assert len(calls) == 1
    s = Searcher(fixture_index, encoder=Counting(), query_cache=0)
    s.search("bến phà", k=3)
    s.search("bến phà", k=3)
    assert len(calls) == 3


def test_an_addressed_clause_comes_from_the_named_document():
    """The first passage is khoản 3 itself; another law's whole Điều 5 also holds a "3."."""
    decree = DocMeta(doc="nd.txt", doc_type="Nghị định", number="15/2024/NĐ-CP", year=2024)
    law = DocMeta(doc="luat.txt", doc_type="Luật", number="27/2023/QH15", year=2023)
    clause = "3. Phạt tiền từ 18.000.000 đồng đối với người lái xe.\na) Vượt đèn đỏ."
    article = "Điều 5. Hành vi bị cấm\n1. Lừa dối người tiêu dùng.\n3. Ép buộc người tiêu dùng."

    def hit(rank, chunk_id, meta, section, line, text):
        chunk = Chunk(chunk_id, meta, "text", section, line, line + text.count("\n"), text,
                      embed_text=text)  # fmt: skip
        return Hit(rank, 1.0 / rank, chunk)

    hits = [hit(1, "nd#1", decree, ("Điều 5", "3"), 40, clause),
            hit(2, "lu#1", law, ("Điều 5",), 10, article)]  # fmt: skip
    analyzer = Analyzer()
    q = read_query("khoản 3 Điều 5 Nghị định 15/2024/NĐ-CP", analyzer=analyzer)
    a = extract_answer(q, hits, analyzer, lambda t: 1.0)
    assert a.doc == "nd.txt" and a.line_start == 40 and a.line_end == 41
    assert a.text == "3. Phạt tiền từ 18.000.000 đồng đối với người lái xe. a) Vượt đèn đỏ."
    # Naming no document, the same clause still answers from the first passage.
    q = read_query("khoản 3 Điều 5", analyzer=analyzer)
    assert extract_answer(q, hits, analyzer, lambda t: 1.0).doc == "nd.txt"


def test_the_part_of_a_long_row_holding_the_asked_column_ranks_first():
    """A row too long for one passage is split in parts that repeat its name; asked for its
    progress, the part holding the TIẾN ĐỘ cell takes the row's first place."""
    meta = DocMeta(doc="ct.txt", doc_type="Chương trình", number="01-CTr/TU", year=2025)
    name = "DANH MỤC: Dự án tuyến đường ven biển"
    cells = (("DANH MỤC", "Dự án tuyến đường ven biển"), ("QUY MÔ", "Dài 85,4 km ..."),
             ("TIẾN ĐỘ THỰC HIỆN", "Đã trình Bộ Tài chính"))  # fmt: skip

    def part(chunk_id, section, text):
        return Chunk(chunk_id, meta, "table_row", section, 12, 12, text, cells=cells)

    progress = f"{name}\nTIẾN ĐỘ THỰC HIỆN: Đã trình Bộ Tài chính"
    chunks = [part("a", ("Phụ lục II", "4"), f"{name}\nQUY MÔ: Dài 85,4 km ..."),
              part("o", ("Phụ lục II", "5"), "DANH MỤC: Cảng cá\nTIẾN ĐỘ THỰC HIỆN: Đang lập"),
              part("b", ("Phụ lục II", "4"), progress)]  # fmt: skip
    fused = np.array([0.9, 0.8, 0.7])
    order, ranked, scores = asked_parts_first(("progress",), np.arange(3), chunks, fused)
    assert [c.id for c in ranked] == ["b", "o", "a"]
    assert list(scores[order]) == [0.9, 0.8, 0.7]  # the scores stay with the places
    # Asked for its size, the QUY MÔ part stays first.
    assert [c.id for c in asked_parts_first(("amount",), np.arange(3), chunks, fused)[1]] == [
        "a", "o", "b"]  # fmt: skip
    assert holds_asked_cell(("progress",), chunks[2]) and not holds_asked_cell(
        ("progress",), chunks[0]
    )


def test_a_document_reference_dates_no_task():
    cited = "[2] Quyết định số 1420/QĐ-UBND ngày 20/5/2024 của UBND tỉnh ban hành Phương án"
    assert not has_shape(cited, ("when",))
    assert not has_shape("Thực hiện Nghị định 15/2024/NĐ-CP của Chính phủ", ("when",))
    assert has_shape("UBND các huyện ban hành phương án trước ngày 15/12/2024", ("when",))
    assert has_shape(cited + ", hoàn thành trong tháng 6", ("when",))


def test_an_amount_is_a_number_with_its_unit_not_a_number_before_a_comma():
    assert has_shape("QUY MÔ: 3200MW", ("amount",))
    assert has_shape("hoàn thành trong 30 ngày", ("amount",))
    assert has_shape("tổng vốn 1.568.789 triệu đồng", ("amount",))
    # "...-P4, ngày 14/8/2023": a document number's last digit, then a date.
    assert not has_shape("có văn bản số 2301/PCCC&CNCH-P4, ngày 14/8/2023 chấp thuận", ("amount",))


def test_a_duration_answers_how_long():
    assert has_shape("Tàu cá được coi là mất tích khi đã quá 06 tháng", ("when",))
    assert has_shape("Trong thời hạn 15 ngày kể từ ngày nhận được thông báo", ("when",))
    assert has_shape("hoàn thành trong Quý III", ("when",))
    assert not has_shape("Tàu cá bị chìm đắm, bị phá hủy hoặc mất tích", ("when",))
    assert has_shape("Kế hoạch triển khai trong năm 2025", ("when",))
    # four digits of a project code or of a sum are no year
    assert not has_shape("Bệnh viện 1.200 giường / 7982640 / 2.229.382", ("when",))


def test_a_body_named_by_its_level_leads_the_tasks_below_it():
    """ "UBND tỉnh chủ trì ...:" assigns the items below it as "Sở Tài chính chủ trì" does."""
    meta = DocMeta(doc="ct.txt")
    text = (
        "UBND tỉnh chủ trì, phối hợp với các sở, ngành:\n"
        "- Xây dựng đề án sắp xếp đơn vị hành chính cấp xã giai đoạn 2026 - 2030."
    )
    chunk = Chunk("ct#1", meta, "text", ("II", "3"), 10, 11, text, embed_text=text)
    analyzer = Analyzer()
    q = read_query("ai chủ trì đề án sắp xếp đơn vị hành chính cấp xã", analyzer=analyzer)
    a = extract_answer(q, [Hit(1, 1.0, chunk)], analyzer, lambda t: 1.0)
    assert a.text.startswith("UBND tỉnh chủ trì") and "đề án sắp xếp" in a.text
    assert has_shape("Công an cấp xã chịu trách nhiệm", ("who",))
    assert not has_shape("Trường hợp cơ quan chủ trì vắng mặt", ("who",))  # no body named


def _answer(query: str, text: str, section=("Điều 5",)):
    chunk = Chunk("nd#1", DocMeta(doc="nd.txt"), "text", section, 40, 40 + text.count("\n"),
                  text, embed_text=text)  # fmt: skip
    analyzer = Analyzer()
    return extract_answer(read_query(query, analyzer=analyzer), [Hit(1, 1.0, chunk)], analyzer,
                          lambda t: 1.0)  # fmt: skip


FINES = (
    "1. Phạt tiền từ 400.000 đồng đến 600.000 đồng đối với một trong các hành vi sau đây:\n"
    "a) Không đội mũ bảo hiểm khi điều khiển xe mô tô trên đường;\n"
    "b) Chở người không đội mũ bảo hiểm.\n"
    "2. Tước quyền sử dụng giấy phép lái xe khi điều khiển xe mô tô không đội mũ bảo hiểm "
    "lần thứ hai trong năm."
)


def test_an_item_answers_an_amount_with_the_lead_in_stating_it():
    """The fine is stated once above the items it applies to; the answer carries it."""
    a = _answer("không đội mũ bảo hiểm khi điều khiển xe mô tô phạt bao nhiêu", FINES)
    assert a.text.startswith("1. Phạt tiền từ 400.000 đồng đến 600.000 đồng")
    assert a.text.endswith("a) Không đội mũ bảo hiểm khi điều khiển xe mô tô trên đường;")
    assert (a.line_start, a.line_end) == (40, 41)
    # "mức phạt" asks for a sum as "bao nhiêu" does.
    a = _answer("mức phạt không đội mũ bảo hiểm khi điều khiển xe mô tô", FINES)
    assert "400.000 đồng" in a.text and "a) Không đội" in a.text
    # A clause as strong as the lead-in ends its list: khoản 1's fine is not khoản 2's.
    q = read_query("tước giấy phép lái xe phạt bao nhiêu", analyzer=Analyzer())
    chunk = Chunk("nd#1", DocMeta(doc="nd.txt"), "text", ("Điều 5",), 40, 43, FINES,
                  embed_text=FINES)  # fmt: skip
    spans = [s for s, _, _, _, _ in text_spans(q, chunk)]
    assert "2. Tước quyền" in spans[-1] and not [s for s in spans if "… 2. Tước" in s]
    assert spans[0].startswith("1. Phạt tiền")  # a list marker stays with its sentence
    # A question asking no amount gets the item alone.
    a = _answer("không đội mũ bảo hiểm khi điều khiển xe mô tô trên đường", FINES)
    assert a.text == "a) Không đội mũ bảo hiểm khi điều khiển xe mô tô trên đường;"


def test_the_name_of_a_named_document_does_not_choose_the_sentence():
    """ "Luật X có hiệu lực từ ngày nào": the sentence naming another law X does not win."""
    meta = DocMeta(doc="luat.txt", doc_type="Luật", title="Bảo vệ quyền lợi người tiêu dùng")
    text = (
        "1. Luật này có hiệu lực thi hành từ ngày 01 tháng 7 năm 2024.\n"
        "2. Luật Bảo vệ quyền lợi người tiêu dùng số 59/2010/QH12 hết hiệu lực kể từ ngày "
        "Luật này có hiệu lực thi hành."
    )
    chunk = Chunk("l#1", meta, "text", ("Điều 18",), 122, 123, text, embed_text=text)
    analyzer = Analyzer()
    query = "luat bao ve quyen loi nguoi tieu dung co hieu luc tu ngay nao"
    named = read_query(query, analyzer=analyzer, names=DocumentNames({"luat.txt": meta}))
    assert named.intent.named == {"luat.txt"}
    a = extract_answer(named, [Hit(1, 1.0, chunk)], analyzer, lambda t: 1.0)
    assert a.text.startswith("1. Luật này có hiệu lực thi hành từ ngày 01 tháng 7")
    # "Luật này" names the document itself: the query need not be read as naming it.
    plain = read_query(query, analyzer=analyzer)
    assert extract_answer(plain, [Hit(1, 1.0, chunk)], analyzer, lambda t: 1.0).line_start == 122
    # A sentence that does not say so holds no name: the words are the other sentence's own.
    unsaid = text.replace("1. Luật này có", "1. Văn bản có")
    chunk = Chunk("l#1", meta, "text", ("Điều 18",), 122, 123, unsaid, embed_text=unsaid)
    assert extract_answer(plain, [Hit(1, 1.0, chunk)], analyzer, lambda t: 1.0).line_start == 123


def test_a_total_asked_is_the_sentence_stating_it_not_a_part():
    """ "tổng kinh phí" asks the whole: the lead-in stating it answers, not an item of its
    list, and the list ends where the next numbered item starts."""
    text = (
        "2. Kinh phí và nguồn vốn\n"
        "Tổng kinh phí dự kiến là 19.870 triệu đồng, trong đó:\n"
        "- Ngân sách tỉnh năm 2026: 16.370 triệu đồng;\n"
        "- Nguồn thu sự nghiệp: 3.500 triệu đồng.\n"
        "3. Hình thức lựa chọn nhà thầu\n"
        "- Thời gian thực hiện: quý II - quý III năm 2026;"
    )
    q = "mua sắm xe cứu thương năm 2026 tổng kinh phí dự kiến bao nhiêu"
    assert read_query(q, analyzer=Analyzer()).total
    assert not read_query("tổng điều tra có bao nhiêu điều tra viên", analyzer=Analyzer()).total
    a = _answer(q, text, section=("II",))
    assert a.text == "Tổng kinh phí dự kiến là 19.870 triệu đồng, trong đó:"


def test_the_sentence_closing_a_document_is_no_answer():
    """ "Trên đây là báo cáo ..." restates the title: it answers nothing, however like."""
    text = (
        "IV. ĐỀ XUẤT, KIẾN NGHỊ\n"
        "1. Đề nghị Sở Xây dựng tập huấn nghiệp vụ cấp giấy phép xây dựng trong quý I năm 2026.\n"
        "Trên đây là báo cáo kết quả công tác quản lý trật tự xây dựng năm 2025 của Ủy ban "
        "nhân dân phường An Xuyên./."
    )
    a = _answer("báo cáo quản lý trật tự xây dựng năm 2025 phường An Xuyên", text, ("IV",))
    assert a.text.startswith("1. Đề nghị Sở Xây dựng")
    # The sentence after it, in the same line, still answers.
    text += " Trong quá trình thực hiện, nếu có vướng mắc, báo cáo về Sở Xây dựng để tổng hợp."
    a = _answer("vướng mắc trong quá trình thực hiện báo cáo về đâu", text, ("IV",))
    assert a.text.startswith("Trong quá trình thực hiện")


def test_a_list_item_is_read_with_its_lead_in():
    """ "Kinh phí ... gồm:" says what the items below it are sums of."""
    text = (
        "Năm 2024, huyện đã tập huấn cán bộ cơ sở cho 120 người.\n"
        "Kinh phí thực hiện năm 2025 gồm:\n"
        "- Tập huấn cán bộ cơ sở: 20 triệu đồng;\n"
        "- In tài liệu: 5 triệu đồng.\n"
        "Ủy ban nhân dân xã tập huấn cán bộ cơ sở hằng quý."
    )
    chunk = Chunk("kh#1", DocMeta(doc="kh.txt"), "text", ("3",), 10, 14, text, embed_text=text)
    analyzer = Analyzer()
    query = read_query("kinh phí tập huấn cán bộ cơ sở là bao nhiêu", analyzer=analyzer)
    a = extract_answer(query, [Hit(1, 1.0, chunk)], analyzer, lambda t: 1.0)
    assert a.text == "- Tập huấn cán bộ cơ sở: 20 triệu đồng;"
    # The items have it; the lead-in itself and the line after the list do not.
    lead_in = "Kinh phí thực hiện năm 2025 gồm:"
    leads = [lead for _, _, _, lead, _ in text_spans(query, chunk)]
    assert leads == ["", "", lead_in, lead_in, ""]


def test_a_sentence_under_a_numbered_title_is_about_it():
    """ "2. Dự án Khối nhà truyền nhiễm ..." on a line of its own titles the paragraph below
    it, up to the next item: asked when that project ends, the answer is the sentence dating
    it, shown with its title, not one elsewhere naming the project with a phase of another
    ("giai đoạn 2" is a phase, no time)."""
    text = (
        "II- TIẾN ĐỘ THỰC HIỆN TỪNG DỰ ÁN\n"
        "1. Dự án Trung tâm Y tế khu vực Đầm Dơi (khối điều trị nội trú 150 giường)\n"
        "Dự án khởi công ngày 18/8/2025. Mục tiêu bàn giao trước ngày 30/9/2026.\n"
        "2. Dự án Khối nhà truyền nhiễm Bệnh viện Đa khoa Bạc Liêu\n"
        "Khối lượng thực hiện đạt 72%. Dự kiến hoàn thành toàn bộ công trình trong tháng 7/2026.\n"
        "3. Đề nghị điều chuyển 24.000 triệu đồng vốn của dự án Trung tâm Y tế khu vực Năm Căn "
        "(giai đoạn 2) sang dự án Khối nhà truyền nhiễm Bệnh viện Đa khoa Bạc Liêu."
    )
    a = _answer(
        "khi nao hoan thanh khoi nha truyen nhiem benh vien da khoa bac lieu", text, ("II",)
    )
    assert a.text == (
        "2. Dự án Khối nhà truyền nhiễm Bệnh viện Đa khoa Bạc Liêu … Dự kiến hoàn thành toàn bộ "
        "công trình trong tháng 7/2026."
    )
    assert a.line_start == 44  # the sentence's own line, under item 2
    assert not has_shape("vốn của dự án Trung tâm Y tế khu vực Năm Căn (giai đoạn 2)", ("when",))
    chunk = Chunk("bc#1", DocMeta(doc="bc.txt"), "text", ("II",), 40, 45, text, embed_text=text)
    query = read_query("tiến độ dự án", analyzer=Analyzer())
    titles = {span: title for span, _, _, _, title in text_spans(query, chunk)}
    assert titles["Mục tiêu bàn giao trước ngày 30/9/2026."].startswith("1. Dự án Trung tâm Y tế")
    assert titles["Khối lượng thực hiện đạt 72%."].startswith("2. Dự án Khối nhà truyền nhiễm")
    assert not any(span.startswith("3. Đề nghị") and title for span, title in titles.items())


def test_a_later_sentence_of_a_numbered_item_is_about_its_label():
    """ "5. Giải quyết chế độ đối với người ... dôi dư: ...; ... . Kinh phí dự kiến 2.184
    triệu đồng ..." : the sum is of what the item's label names, so asked it, the answer is
    that sentence shown with the label, not the clause naming the people without a sum."""
    text = (
        "Điều 1. Phê duyệt Phương án sắp xếp ấp, khóm\n"
        "5. Giải quyết chế độ đối với người hoạt động không chuyên trách ở ấp, khóm dôi dư: "
        "toàn tỉnh dôi dư 252 người; mỗi người được hỗ trợ một lần bằng 1,5 tháng mức phụ cấp "
        "hiện hưởng cho mỗi năm công tác. Kinh phí dự kiến 2.184 triệu đồng từ ngân sách tỉnh.\n"
        "6. Nhà văn hóa của ấp, khóm: ưu tiên sử dụng nhà văn hóa có diện tích lớn."
    )
    a = _answer(
        "kinh phí hỗ trợ người hoạt động không chuyên trách ở ấp, khóm dôi dư bao nhiêu",
        text,
        ("Điều 1",),
    )
    assert a.text == (
        "5. Giải quyết chế độ đối với người hoạt động không chuyên trách ở ấp, khóm dôi dư: … "
        "Kinh phí dự kiến 2.184 triệu đồng từ ngân sách tỉnh."
    )
    chunk = Chunk("qd#1", DocMeta(doc="qd.txt"), "text", ("Điều 1",), 1, 3, text, embed_text=text)
    query = read_query("nhà văn hóa", analyzer=Analyzer())
    about = {span: title for span, _, _, _, title in text_spans(query, chunk)}
    label = "5. Giải quyết chế độ đối với người hoạt động không chuyên trách ở ấp, khóm dôi dư:"
    assert about["Kinh phí dự kiến 2.184 triệu đồng từ ngân sách tỉnh."] == label
    assert about[f"{label} toàn tỉnh dôi dư 252 người;"] == ""  # the label's own sentence
    assert about["6. Nhà văn hóa của ấp, khóm: ưu tiên sử dụng nhà văn hóa có diện tích lớn."] == ""


def test_the_issuer_named_by_a_question_speaks_every_sentence():
    """ "Hội Chữ thập đỏ phấn đấu ... bao nhiêu" names the plan's issuer: the target it sets
    answers, not the sentence that happens to name "chi hội Chữ thập đỏ"."""
    text = (
        "II. CHỈ TIÊU NĂM 2026\n"
        "- Kết nối giúp đỡ ít nhất 5.200 địa chỉ nhân đạo, trong đó có 1.300 địa chỉ được hỗ "
        "trợ thường xuyên.\n"
        "- Mỗi chi hội Chữ thập đỏ ở ấp, khóm giúp đỡ ít nhất 03 địa chỉ nhân đạo;"
    )
    meta = DocMeta(doc="kh.pdf", issuer="Hội Chữ thập đỏ tỉnh Cà Mau")
    chunk = Chunk("kh#2", meta, "text", ("II",), 20, 22, text, embed_text=text)
    analyzer = Analyzer()

    def answer(query: str, c: Chunk = chunk) -> str:
        q = read_query(query, analyzer=analyzer)
        return extract_answer(q, [Hit(1, 1.0, c)], analyzer, lambda t: 1.0).text

    asked = "Năm 2026 Hội Chữ thập đỏ phấn đấu kết nối giúp đỡ bao nhiêu địa chỉ nhân đạo?"
    assert answer(asked).startswith("- Kết nối giúp đỡ ít nhất 5.200")
    # The words alone choose otherwise.
    assert answer(asked, dataclasses.replace(chunk, meta=DocMeta(doc="kh.pdf"))).startswith(
        "- Mỗi chi hội"
    )
    # Named in part ("Chữ thập đỏ", not "Hội Chữ thập đỏ"), the issuer speaks no sentence.
    assert answer("Chữ thập đỏ kết nối giúp đỡ bao nhiêu địa chỉ nhân đạo").startswith("- Mỗi")


def test_a_list_item_opens_its_own_paragraph():
    """ "a) ..." under "1. Trung tâm ..." is no line of its heading's sentence (a line
    without a full stop goes on on the next only when that is no list item)."""
    text = (
        "1. Trung tâm Kiểm soát bệnh tật tỉnh\n"
        "a) Tổ chức chiến dịch tiêm bù, tiêm vét vắc xin sởi cho trẻ chưa tiêm đủ mũi;\n"
        "b) Tổng hợp, báo cáo kết quả chiến dịch về Sở Y tế trước ngày 10/5/2026, tổng hợp\n"
        "số trẻ đã tiêm."
    )
    chunk = Chunk("d#1", DocMeta(doc="d.txt"), "text", ("1",), 10, 13, text, embed_text=text)
    query = read_query("chiến dịch tiêm bù báo cáo trước ngày nào", analyzer=Analyzer())
    spans = [(span, first, last) for span, first, last, _, _ in text_spans(query, chunk)]
    assert ("a) Tổ chức chiến dịch tiêm bù, tiêm vét vắc xin sởi cho trẻ chưa tiêm đủ mũi;",
            11, 11) in spans  # fmt: skip
    assert spans[-1] == (text.split("\n", 2)[2].replace("\n", " "), 12, 13)


def test_a_question_asking_two_things_takes_the_clauses_together():
    text = (
        "2. Sở Xây dựng chủ trì các nhiệm vụ sau:\n"
        "a) Chủ trì rà soát toàn bộ 214 bến khách ngang sông; đình chỉ hoạt động đối với bến "
        "không có giấy phép; hoàn thành trước ngày 30/9/2025."
    )
    both = _answer("Cơ quan nào chủ trì rà soát 214 bến khách ngang sông, khi nào xong?", text).text
    assert "rà soát toàn bộ 214 bến" in both and both.endswith("trước ngày 30/9/2025.")
    one = _answer("rà soát 214 bến khách ngang sông", text).text
    assert one == "a) Chủ trì rà soát toàn bộ 214 bến khách ngang sông;"


def test_a_lead_in_stating_the_number_asked_answers():
    """A sentence opening a list holds the total asked; the items hold its parts."""
    text = (
        "1. Tổng số khu đất thực hiện đấu giá: 12 khu đất, với tổng diện tích 58.734,6 m², gồm:\n"
        "a) 05 khu đất tại các phường, diện tích 21.486,2 m²;\n"
        "b) 07 khu đất tại các xã, diện tích 37.248,4 m²."
    )
    assert "58.734,6 m²" in _answer("tổng diện tích khu đất bao nhiêu", text).text
    parts = "diện tích khu đất đấu giá tại các phường là bao nhiêu"
    assert "21.486,2" in _answer(parts, text).text


def test_of_a_row_s_items_the_one_naming_the_query_answers():
    """Every span of a row opens with its name, which names both dykes: the item naming
    "Tây" itself answers "đê biển Tây dài bao nhiêu km"."""
    scale = ("- Đê đông: dài 138km, rộng 7,5m, cao trình +4 và các cống trên đê; Địa điểm: xã "
             "Tân Thuận, Tân Tiến, Tam Giang, Tân Ân, Phan Ngọc Hiển, Đất Mũi; vốn đầu tư: "
             "6.189 tỷ đồng. - Đê Tây: dài 34km, rộng 7,5m, cao trình +3; Địa điểm: xã Cái "
             "Đôi Vàm, Phú Tân, Trần Văn Thời, Khánh Lâm, U Minh; vốn đầu tư: 1.233 tỷ "
             "đồng.")  # fmt: skip
    cells = (("DANH MỤC", "Dự án nâng cấp, hoàn thiện đê biển Đông, đê biển Tây"),
             ("QUY MÔ", scale), ("TỔNG MỨC ĐẦU TƯ", "7,422,000"),
             ("DỰ KIẾN HOÀN THÀNH", "Trước năm 2030"))  # fmt: skip
    row = _row("ct.txt", ("Phụ lục", "10"), 40, cells)
    analyzer = Analyzer()
    query = read_query("đê biển Tây dài bao nhiêu km", analyzer=analyzer)
    answer = extract_answer(query, [Hit(1, 1.0, row)], analyzer, lambda t: 1.0)
    assert "Đê Tây: dài 34km" in answer.text and "138km" not in answer.text


def test_a_short_figure_cell_is_a_span_of_its_row():
    """ "87,6" under "Tỷ lệ (%)" is shorter than a sentence, and the answer to a rate."""
    cells = (("STT", "Tổng cộng"), ("Giải ngân", "536.913"), ("Tỷ lệ (%)", "87,6"))
    row = _row("bc.txt", ("Phụ lục", "Tổng số"), 40, cells)
    query = read_query("tỷ lệ giải ngân đạt bao nhiêu", analyzer=Analyzer())
    assert "Tổng cộng; Tỷ lệ: 87,6 %" in list(row_spans(query, row))
    assert "Tổng cộng; Giải ngân: 536.913" in list(row_spans(query, row))


def test_a_question_counting_asks_the_cell_stating_the_count():
    """Asked how many fry are released, a row answers by its "Số lượng (con)" cell, though
    no word of that heading is in the question, not by its first cells."""
    cells = (("Điểm thả", "Sông Ông Đốc, đoạn chợ Sông Đốc"), ("Xã, phường", "xã Sông Đốc"),
             ("Loài thả", "Cá thát lát"), ("Kích cỡ giống", "3 - 5 cm"),
             ("Số lượng (con)", "500.000"), ("Thời gian thả", "Tháng 6/2026"))  # fmt: skip
    row = _row("kh.md", ("Phụ lục I", "2"), 70, cells)
    query = read_query("có bao nhiêu cá thát lát được thả ở sông Ông Đốc", analyzer=Analyzer())
    first = next(row_spans(query, row))
    assert "Số lượng: 500.000 con" in first and "Kích cỡ giống" not in first


def test_a_figure_cell_carries_the_unit_its_table_states():
    cells = (("STT", "TỔNG CỘNG"), ("Kinh phí - Tổng số", "82.140"), ("Số hộ hưởng lợi", "1.650"),
             ("Tỷ lệ (%)", "87,6"), ("Quy mô", "14,2 km"))  # fmt: skip
    unit = "Phụ lục DANH MỤC CÔNG TRÌNH (Đơn vị tính: triệu đồng)"
    row = _row("qd.doc", ("Phụ lục", "Tổng số"), 83, cells, context=unit)
    query = read_query("tổng kinh phí danh mục công trình là bao nhiêu", analyzer=Analyzer())
    spans = list(row_spans(query, row))
    assert "TỔNG CỘNG; Kinh phí - Tổng số: 82.140 triệu đồng" in spans
    # A column counting is not in the table's unit; one naming its own has it after the figure.
    assert "TỔNG CỘNG; Số hộ hưởng lợi: 1.650" in spans
    assert "TỔNG CỘNG; Tỷ lệ: 87,6 %" in spans and "TỔNG CỘNG; Quy mô: 14,2 km" in spans
    # A row's own unit is placed after its figures for a question counting it; not after
    # a year, nor in a column naming its own.
    own = "Tên: Kè Gành Hào\nĐơn vị tính: Ha\nNăm hoàn thành: 2026\nDiện tích: 5,2\nTỷ lệ (%): 40"
    assert units_placed(own).split("\n")[2:] == [
        "Năm hoàn thành: 2026", "Diện tích: 5,2 Ha", "Tỷ lệ: 40 %"
    ]  # fmt: skip
    # The unit ends where an aside on it starts, and a question counting in it reads it.
    row = dataclasses.replace(row, context="Phụ lục I (Đơn vị tính: đơn vị máu (quy đổi 250 ml))")
    assert "TỔNG CỘNG; Kinh phí - Tổng số: 82.140 đơn vị máu" in list(row_spans(query, row))
    assert counts_table_unit(row, "don") and not counts_table_unit(row, "ty")


def test_a_row_asked_who_or_when_answers_by_its_column():
    cells = (("Tên cơ sở nhà, đất", "Trụ sở Ủy ban nhân dân thị trấn Sông Đốc (cũ)"),
             ("Phương án xử lý", "Giao Ủy ban nhân dân xã làm Điểm phục vụ hành chính công"),
             ("Thời gian hoàn thành", "30/11/2025"))  # fmt: skip
    row = _row("kh.docx", ("Phụ lục", "4"), 93, cells)
    analyzer = Analyzer()
    asked = "trụ sở thị trấn Sông Đốc cũ giao làm điểm phục vụ hành chính công bao giờ xong"
    a = extract_answer(read_query(asked, analyzer=analyzer), [Hit(1, 1.0, row)], analyzer,
                       lambda t: 1.0)  # fmt: skip
    assert a.text.endswith("Thời gian hoàn thành: 30/11/2025")
    # Asked what else, its other cells answer.
    asked = "trụ sở thị trấn Sông Đốc cũ xử lý theo phương án nào"
    assert any(
        "Phương án xử lý" in sp for sp in row_spans(read_query(asked, analyzer=analyzer), row)
    )


def test_a_column_the_question_names_is_asked_with_the_amount():
    """ "được hỗ trợ hạng mục gì, bao nhiêu tiền" asks the support ("Nội dung hỗ trợ") and
    its sum; a column sharing one word with the question ("Địa bàn") is not asked."""
    cells = (("Hợp tác xã", "HTX Tôm - lúa Phước Long"), ("Địa bàn", "Xã Phước Long"),
             ("Nội dung hỗ trợ", "Đường dây điện ba pha 3,2 km"),
             ("Cơ quan chủ trì", "Sở Công Thương"),
             ("Kinh phí hỗ trợ (triệu đồng)", "1.640"))  # fmt: skip
    row = _row("qd.odt", ("Phụ lục", "3"), 89, cells)
    query = read_query(
        "HTX Phước Long được hỗ trợ hạng mục gì, bao nhiêu tiền", analyzer=Analyzer()
    )
    assert next(row_spans(query, row)) == (
        "HTX Tôm - lúa Phước Long; Nội dung hỗ trợ: Đường dây điện ba pha 3,2 km; "
        "Kinh phí hỗ trợ: 1.640 triệu đồng"
    )


def test_a_column_named_by_every_word_of_its_heading_is_asked():
    """ "dự kiến được đặt tên là gì" names the column "Tên dự kiến" by all its words, in
    another order; "Chiều dài (m)", one of whose words the question lacks, is not asked."""
    cells = (("Phường", "Phường Tân Thành"), ("Điểm đầu", "Chợ Tân Thành"),
             ("Điểm cuối", "Cầu Gành Hào"), ("Chiều dài (m)", "850"),
             ("Tên dự kiến", "Lê Duẩn"))  # fmt: skip
    row = _row("tb.html", ("Phụ lục", "2"), 40, cells)
    asked = "đoạn từ chợ Tân Thành đến cầu Gành Hào dự kiến được đặt tên là gì"
    span = next(row_spans(read_query(asked, analyzer=Analyzer()), row))
    assert span == "Phường Tân Thành; Tên dự kiến: Lê Duẩn"


def test_a_figure_is_given_in_the_unit_its_row_states():
    cells = (("Chỉ tiêu", "Chỉ số SIPAS"), ("Đơn vị tính", "%"), ("Năm 2023", "80,14"),
             ("Năm 2024", "82,95"))  # fmt: skip
    row = _row("bc.docx", ("Phụ lục",), 12, cells)
    query = read_query("chỉ số SIPAS năm 2023 đạt bao nhiêu", analyzer=Analyzer())
    assert next(row_spans(query, row)) == "Chỉ số SIPAS; Năm 2023: 80,14 %"


def test_a_row_asked_why_answers_by_its_note():
    """ "vì sao ... bị hư" asks a cause: the row's note stating it, not its count of the
    broken ones, which shares more of the question's words."""
    cells = (("Xã, phường", "Xã Hồng Dân"), ("Loại đài", "FM"), ("Cụm loa hư hỏng", "7"),
             ("Ghi chú", "07 cụm loa hư hỏng do sét đánh tháng 8/2025"))  # fmt: skip
    row = _row("bc.docx", ("Phụ lục", "10"), 60, cells)
    analyzer = Analyzer()
    query = read_query("Vì sao loa truyền thanh ở xã Hồng Dân bị hư?", analyzer=analyzer)
    assert query.asks == ("why",)
    a = extract_answer(query, [Hit(1, 1.0, row)], analyzer, lambda t: 1.0)
    assert a.text == "Xã Hồng Dân; Ghi chú: 07 cụm loa hư hỏng do sét đánh tháng 8/2025"


def test_a_clause_after_a_semicolon_is_read_with_the_one_before_it():
    """ "...; thời hạn gửi trước ngày 30/6" says whose deadline it is with the clause before."""
    text = (
        "6. Ủy ban nhân dân các huyện:\n"
        "- Rà soát quỹ đất sạch, phối hợp bồi thường khi có chủ trương đầu tư;\n"
        "- Đề xuất bổ sung dự án vào Danh mục, gửi Sở Tài chính tổng hợp; thời hạn gửi "
        "trước ngày 30 tháng 6 năm 2025."
    )
    a = _answer("thời hạn các huyện gửi đề xuất bổ sung dự án vào danh mục", text)
    assert a.text == (
        "- Đề xuất bổ sung dự án vào Danh mục, gửi Sở Tài chính tổng hợp; thời hạn gửi "
        "trước ngày 30 tháng 6 năm 2025."
    )


def test_an_item_of_a_list_run_on_in_one_sentence_is_read_with_the_lists_label():
    """ "Chỉ tiêu theo từng năm: năm 2026 là 850 căn; ...; năm 2028 là 1.450 căn;": the item
    of the year asked, with the words saying what each item is; a total's breakdown is not."""
    text = (
        "2. Mục tiêu cụ thể\n- Chỉ tiêu hoàn thành theo từng năm: năm 2026 là 850 căn; năm 2027 "
        "là 1.300 căn; năm 2028 là 1.450 căn; năm 2029 là 1.550 căn."
    )
    a = _answer("chỉ tiêu hoàn thành nhà ở xã hội năm 2028", text)
    assert a.text == "- Chỉ tiêu hoàn thành theo từng năm: … năm 2028 là 1.450 căn;"
    total = (
        "V. KINH PHÍ\n- Tổng kinh phí thực hiện Kế hoạch là 9.460 triệu đồng, trong đó: lấy mẫu "
        "xét nghiệm 4.680 triệu đồng; tập huấn 1.200 triệu đồng; vận hành cơ sở dữ liệu vùng "
        "nuôi 850 triệu đồng."
    )
    a = _answer("tổng kinh phí kế hoạch phòng chống dịch bệnh thủy sản nuôi", total)
    assert "9.460" in a.text and "…" not in a.text


def test_an_item_of_a_list_run_on_in_one_sentence_is_about_the_words_leading_it():
    """ "Trao 3.200 suất học bổng ..., gồm: ...; ...; 200 suất cho tân sinh viên ...": the item
    the question names is about the scholarship its lead-in names, as the first item is."""
    text = (
        "II. CHỈ TIÊU\n1. Trao 3.200 suất học bổng cho học sinh, sinh viên có hoàn cảnh khó "
        "khăn, gồm: 1.100 suất cho học sinh tiểu học, mức 1.500.000 đồng/suất; 1.200 suất cho "
        "học sinh trung học cơ sở, mức 2.000.000 đồng/suất; 200 suất cho tân sinh viên trúng "
        "tuyển đại học, mức 5.000.000 đồng/suất."
    )
    a = _answer("sinh viên mới đậu đại học được học bổng bao nhiêu tiền", text)
    assert a.text == "200 suất cho tân sinh viên trúng tuyển đại học, mức 5.000.000 đồng/suất."


def test_a_clause_opening_with_a_condition_answers_a_question_stating_one():
    text = (
        "2. Việc thông báo lưu trú được thực hiện trước 23 giờ của ngày bắt đầu lưu trú; "
        "trường hợp người đến lưu trú sau 23 giờ thì thông báo lưu trú trước 08 giờ ngày hôm sau."
    )
    rule = _answer("khách đến ở nhờ thì phải thông báo lưu trú trước mấy giờ", text)
    assert rule.text.startswith("2. Việc thông báo lưu trú")
    exception = _answer("nếu khách đến sau 23 giờ thì thông báo lưu trú trước mấy giờ", text)
    assert exception.text.startswith("trường hợp người đến")


SPEEDS = (
    "2. Đối với người điều khiển xe mô tô, xe gắn máy chạy quá tốc độ quy định:\n"
    "a) Từ 05 km/h đến dưới 10 km/h: phạt tiền từ 300.000 đồng đến 400.000 đồng;\n"
    "b) Từ 10 km/h đến 20 km/h: phạt tiền từ 800.000 đồng đến 1.000.000 đồng;\n"
    "c) Trên 20 km/h: phạt tiền từ 4.000.000 đồng đến 5.000.000 đồng.\n"
    "3. Đối với người điều khiển xe mô tô có nồng độ cồn:\n"
    "a) Chưa vượt quá 50 miligam/100 mililít máu: phạt tiền từ 2.000.000 đồng đến 3.000.000 đồng;\n"
    "b) Vượt quá 50 miligam đến 80 miligam/100 mililít máu: phạt tiền từ 6.000.000 đồng;\n"
    "c) Vượt quá 80 miligam/100 mililít máu: phạt tiền từ 8.000.000 đồng đến 10.000.000 đồng."
)


@pytest.mark.parametrize(
    ("query", "point"),
    [
        ("xe máy chạy quá tốc độ 15 km/h bị phạt", "b) Từ 10 km/h"),
        ("xe máy chạy quá tốc độ 9 km/h bị phạt bao nhiêu", "a) Từ 05 km/h"),
        ("xe máy vượt tốc độ 25km/h phạt bao nhiêu", "c) Trên 20 km/h"),
        ("mức phạt xe máy nồng độ cồn trên 80mg/100ml máu", "c) Vượt quá 80 miligam"),
        ("xe máy nồng độ cồn 60 mg/100ml máu bị phạt", "b) Vượt quá 50 miligam"),
    ],
)
def test_an_amount_the_question_states_picks_the_point_whose_range_holds_it(query, point):
    assert _answer(query, SPEEDS).text.startswith(point)


def test_ranges_a_provision_sets():
    assert stated_amounts("nồng độ cồn trên 80mg/100ml máu") == [
        Amount(math.nextafter(80, 100), "mg", "80mg")  # per 100 ml: no amount of its own
    ]
    assert stated_amounts("năm 2025 xã có 12 thôn") == []  # no unit an amount is compared in
    assert ranges("Từ 05 km/h đến dưới 10 km/h") == [(5.0, math.nextafter(10, 0), "km/h")]
    assert ranges("chưa vượt quá 0,25 miligam/1 lít khí thở") == [(-math.inf, 0.25, "mg")]
    assert ranges("vắng mặt liên tục từ 12 tháng trở lên") == [(12.0, math.inf, "thang")]
    assert fit(stated_amounts("15 km/h"), "phạt tiền từ 800.000 đồng đến 1.000.000 đồng") == 0


def test_an_amount_stated_is_of_what_is_asked_about():
    box = stated_amounts("Giá tối đa hộp sữa 110 ml là bao nhiêu?")
    assert other_amounts(box, "Giá sữa tối đa là 8.200 đồng/hộp 180 ml") == box
    assert other_amounts(box, "Giá sữa tối đa là 7.000 đồng/hộp 110 ml") == []
    assert other_amounts(box, "Giá sữa tối đa là 8.200 đồng/hộp") == []  # says no size
    stars = stated_amounts("bao nhiêu sản phẩm OCOP 4 sao")
    assert other_amounts(stars, "100% sản phẩm OCOP đạt 3 sao trở lên (168 sản phẩm)")
    assert other_amounts(stars, "hỗ trợ sản phẩm đạt từ 4 sao trở lên") == []  # a range
    # When and per what: "6 tháng đầu năm" and "1 ha" are no amount of what is asked.
    assert other_amounts(stated_amounts("6 tháng đầu năm 2026 thu bao nhiêu"), "9 tháng") == []
    assert other_amounts(stated_amounts("bao nhiêu tiền 1 ha"), "hỗ trợ 2 ha đầu") == []


def test_a_whole_number_asked_is_the_figure_with_decimals_it_rounds():
    race = stated_amounts("cự ly 42km có yêu cầu giấy chứng nhận sức khỏe không")
    assert other_amounts(race, "Cự ly: 42,195 km; Ghi chú: bắt buộc nộp giấy chứng nhận") == []
    assert other_amounts(race, "Cự ly: 21,0975 km; Ghi chú: cam kết sức khỏe") == race
    # A figure with decimals asked is that figure, not the whole number beside it.
    assert other_amounts(stated_amounts("tỷ lệ 41,5%"), "tỷ lệ đạt 41%") != []


def test_a_whole_asked_is_answered_by_the_total_not_an_item_of_its_breakdown():
    # The item holds one more word of the question ("quý") than the total.
    text = (
        "Trong kỳ, các cơ quan nhà nước đã tiếp công dân 1.146 lượt với 1.032 người.\n"
        "- Trong quý, Trụ sở Tiếp công dân tỉnh tiếp 214 lượt, 83 vụ việc;\n"
        "- Ủy ban nhân dân các xã, phường tiếp 702 lượt, 250 vụ việc."
    )
    assert "1.146 lượt" in _answer("tong so luot tiep cong dan quy 1 nam 2026", text).text
    assert "214 lượt" in _answer("trụ sở tiếp công dân tỉnh tiếp bao nhiêu lượt", text).text


def test_asked_who_a_body_after_a_semicolon_is_read_with_the_task_before_it():
    """ "...Lung Ngọc Hoàng trước ngày 31/7/2025; Ủy ban nhân dân huyện Phụng Hiệp hoàn thành
    bàn giao mặt bằng ...": the second body's task is of the project the first clause names."""
    first = (
        "3. Sở Tài chính chủ trì hướng dẫn Công ty Phương Bình hoàn thành thủ tục điều chỉnh "
        "chủ trương đầu tư Dự án Khu du lịch sinh thái Lung Ngọc Hoàng trước ngày 31/7/2025;"
    )
    second = (
        "Ủy ban nhân dân huyện Phụng Hiệp hoàn thành bàn giao mặt bằng cho nhà đầu tư "
        "trước ngày 15/9/2025."
    )
    text = f"III. NHIỆM VỤ\n{first} {second}"
    asked = "ai bàn giao mặt bằng cho nhà đầu tư khu du lịch sinh thái Lung Ngọc Hoàng"
    assert _answer(asked, text).text == f"{first} {second}"
    # Not asked who, the clauses stay apart.
    assert _answer("bàn giao mặt bằng cho nhà đầu tư trước ngày nào", text).text == second


def test_asked_who_a_clause_is_read_with_the_body_opening_its_sentence():
    """ "2. Sở Công Thương chủ trì ...; theo dõi ...; đề xuất ...": the third clause's task
    is the body's that opens the sentence, two clauses back."""
    text = (
        "Điều 2. Tổ chức thực hiện\n"
        "2. Sở Công Thương chủ trì xúc tiến thương mại, kết nối tiêu thụ muối; theo dõi giá "
        "muối hằng tháng; đề xuất phương án tạm trữ muối khi giá muối tại ruộng xuống dưới "
        "800 đồng/kg kéo dài trên 30 ngày."
    )
    asked = "Cơ quan nào đề xuất phương án tạm trữ muối khi giá muối xuống thấp"
    assert _answer(asked, text).text == text.split("\n")[1]
    # Not asked who, the clause answers alone.
    assert _answer("tạm trữ muối khi giá muối xuống dưới bao nhiêu", text).text.startswith(
        "đề xuất phương án"
    )


def test_a_body_in_the_rows_name_does_not_answer_who():
    """ "Dự án nâng cấp Trung tâm Giám sát ..." names a body in every span of its row; asked
    which body leads, the cell naming one answers, not the cell sharing the most words."""
    cells = (
        ("DANH MỤC", "Dự án Nâng cấp Trung tâm Giám sát"),
        ("QUY MÔ", "Nâng cấp phần mềm IOC và máy chủ"),
        ("CƠ QUAN CHỦ TRÌ", "Sở Khoa học và Công nghệ"),
    )
    chunk = _row("ct.txt", ("Phụ lục II", "21"), 12, cells)
    analyzer = Analyzer()
    q = read_query("sở nào làm dự án nâng cấp trung tâm giám sát IOC máy chủ", analyzer=analyzer)
    a = extract_answer(q, [Hit(1, 1.0, chunk)], analyzer, lambda t: 1.0)
    assert a.text.endswith("CƠ QUAN CHỦ TRÌ: Sở Khoa học và Công nghệ")


def test_a_body_sentence_a_row_restates_takes_the_rows_place():
    """An appendix row restating a sentence of its document's body gives way to it; not
    when the row's own column answers what is asked and the sentence does not say it."""
    meta = DocMeta(doc="tb.txt", doc_type="Thông báo", number="131/TB-VP", year=2025)
    name = "Chứng nhận 650 ha vùng trồng dừa hữu cơ tại cồn Ốc, cồn Phú Đa"
    cells = (("Tên nhiệm vụ", name), ("Kinh phí (triệu đồng)", "2.800"),
             ("Thời hạn", "Quý IV/2025"))  # fmt: skip
    chunk = partial(_passage, meta)

    row = chunk("r", "table_row", "\n".join(f"{h}: {v}" for h, v in cells), cells)
    sentence = "- Hỗ trợ chứng nhận 650 ha vùng trồng dừa hữu cơ tại cồn Ốc và cồn Phú Đa."
    body = chunk("b", "text", f"c) Sở Nông nghiệp và Môi trường\n{sentence}")
    other = chunk("o", "text", "1. Đánh giá chung\nCác cồn đón khách.")
    analyzer = Analyzer()
    chunks, fused = [row, other, body], np.array([0.9, 0.8, 0.7])

    def first(query: str) -> list[str]:
        q = read_query(query, analyzer=analyzer)
        order, ranked, scores = sources_first(q, analyzer, np.arange(3), chunks, fused)
        assert list(scores[order]) == [0.9, 0.8, 0.7]  # the scores stay with the places
        return [c.id for c in ranked]

    assert first("chứng nhận vùng trồng dừa hữu cơ cồn Ốc cồn Phú Đa bao nhiêu ha") == [
        "b", "r", "o"]  # fmt: skip
    # Asked what it costs, the row's Kinh phí cell answers and the sentence does not.
    assert first("kinh phí chứng nhận vùng trồng dừa hữu cơ cồn Ốc bao nhiêu tiền") == [
        "r", "o", "b"]  # fmt: skip
    # A word only the row holds ("quý") keeps it first; so does asking how far it has come.
    assert first("chứng nhận dừa hữu cơ cồn Ốc quý mấy") == ["r", "o", "b"]
    assert first("chứng nhận dừa hữu cơ cồn Ốc tiến độ đến đâu") == ["r", "o", "b"]
    # A row named in a few words is a label, not a task a sentence restates.
    short = chunk("s", "table_row", "Đơn vị: Cồn Ốc", (("Đơn vị", "Cồn Ốc"),))
    q = read_query("cồn Ốc dừa hữu cơ", analyzer=analyzer)
    ranked = sources_first(q, analyzer, np.arange(2), [short, body], fused[:2])[1]
    assert [c.id for c in ranked] == ["s", "b"]


def test_the_passage_the_answer_is_taken_from_is_the_first_result(tmp_path):
    """Asked "khi nào", the difficulty that repeats the query's words ranks above the task
    that gives the date; the answer is the task's sentence, so the task comes first, where
    the user reads the answer's citation. Scores stay with the places."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "bc.txt").write_text(
        "SỞ TƯ PHÁP TỈNH CÀ MAU\nSố: 19/BC-STP\nCà Mau, ngày 20 tháng 01 năm 2026\n\nBÁO CÁO\n"
        "Kết quả công tác công chứng năm 2025\n\nI. KẾT QUẢ\nNăm 2025, các tổ chức hành nghề "
        "công chứng đã công chứng 86.215 hợp đồng, giao dịch.\n\nII. KHÓ KHĂN, VƯỚNG MẮC\n"
        "- Cơ sở dữ liệu công chứng của tỉnh Cà Mau và tỉnh Bạc Liêu (cũ) chưa được hợp nhất; "
        "việc hợp nhất cơ sở dữ liệu công chứng chưa hoàn thành, công chứng viên phải tra cứu "
        "trên hai phần mềm.\n\nIII. NHIỆM VỤ NĂM 2026\n1. Hợp nhất cơ sở dữ liệu công chứng, "
        "hoàn thành trong quý II năm 2026.\n2. Xây dựng Đề án phát triển tổ chức hành nghề "
        "công chứng, trình Ủy ban nhân dân tỉnh trong tháng 9 năm 2026.\n",
        encoding="utf-8",
    )
    build(corpus, tmp_path / "index", HashingEncoder())
    s = Searcher(tmp_path / "index", encoder=HashingEncoder())
    r = s.ask("khi nào hoàn thành hợp nhất cơ sở dữ liệu công chứng", k=5)
    assert r.answer.text.endswith("hoàn thành trong quý II năm 2026.")
    first = r.hits[0].chunk
    assert first.line_start <= r.answer.line_start <= first.line_end
    assert first.section == ("III",) and r.hits[1].chunk.section == ("II",)
    assert [h.rank for h in r.hits] == list(range(1, len(r.hits) + 1))
    assert [h.score for h in r.hits] == sorted((h.score for h in r.hits), reverse=True)
    # Ranked by relevance alone, the difficulty is first.
    assert s.search(r.query.text, k=5)[0].chunk.section == ("II",)


def test_a_passage_headed_by_the_year_asked_takes_the_place_of_one_headed_by_another():
    """A plan reports last year and sets this year's targets in the same words: asked of
    2026, the passage under "MỤC TIÊU NĂM 2026" goes first, not the one under 2025."""
    meta = DocMeta(doc="kh.txt", doc_type="Kế hoạch", number="29/KH-SYT", year=2026)
    done = Chunk("d", meta, "text", ("I", "4"), 20, 20, "4. Đã phun hóa chất cho 1.240 hộ.",
                 context="I. TÌNH HÌNH VÀ KẾT QUẢ NĂM 2025")  # fmt: skip
    other = Chunk("o", DocMeta(doc="bc.txt"), "text", ("II",), 5, 5, "Phun hóa chất 2026.",
                  context="II. NHIỆM VỤ NĂM 2026")  # fmt: skip
    target = Chunk("t", meta, "text", ("II", "2", "d)"), 29, 29, "d) Phun hóa chất cho 1.500 hộ.",
                   context="II. MỤC TIÊU NĂM 2026\n2. Chỉ tiêu cụ thể:")  # fmt: skip
    chunks, fused = [done, other, target], np.array([0.9, 0.8, 0.7])

    def first(years: set[int]) -> list[str]:
        order, ranked, scores = headed_year_first(years, np.arange(3), chunks, fused)
        assert list(scores[order]) == [0.9, 0.8, 0.7]
        return [c.id for c in ranked]

    assert first({2026}) == ["t", "d", "o"]  # of its own document, not another's
    assert first({2025}) == ["d", "o", "t"]
    assert first(set()) == ["d", "o", "t"]
    # A passage naming the year asked in its text keeps its place ("so với năm 2026").
    chunks[0] = dataclasses.replace(done, text="4. Đã phun cho 1.240 hộ (kế hoạch năm 2026).")
    assert first({2026}) == ["d", "o", "t"]


def test_a_row_matched_by_its_columns_names_alone_gives_way_to_a_sentence():
    """Every row of a table holds its columns' names ("Quầy cân đối chứng lắp mới"): a
    query naming no row matches them all alike, and the body's sentence holding the same
    words is the one to cite. A query naming the row keeps it first."""
    meta = DocMeta(doc="kh.docx", doc_type="Kế hoạch", number="31/KH-SKHCN", year=2026)
    chunk = partial(_passage, meta)

    def row(chunk_id: str, place: str) -> Chunk:
        cells = (("Địa bàn", place), ("Số chợ kiểm tra", "5"), ("Quầy cân đối chứng lắp mới", "1"))
        return chunk(chunk_id, "table_row", "\n".join(f"{h}: {v}" for h, v in cells), cells)

    body = chunk(
        "b", "text", "V. TỔ CHỨC THỰC HIỆN\n2. Lắp đặt mới 12 quầy cân đối chứng tại các chợ."
    )
    chunks = [row("r1", "Phường An Xuyên"), row("r2", "Xã Năm Căn"), body]
    fused = np.array([0.9, 0.8, 0.7])
    analyzer = Analyzer()

    def first(query: str) -> list[str]:
        q = read_query(query, analyzer=analyzer)
        return [c.id for c in sources_first(q, analyzer, np.arange(3), chunks, fused)[1]]

    assert first("quầy cân đối chứng lắp mới tại chợ") == ["b", "r1", "r2"]
    assert first("quầy cân đối chứng lắp mới tại chợ phường An Xuyên") == ["r1", "r2", "b"]
    # A sentence lacking a word the row holds ("kiểm tra") does not take its place.
    assert first("số chợ kiểm tra quầy cân đối chứng") == ["r1", "r2", "b"]
    # Nor does a note under the table: it is no provision of the body.
    placed = [dataclasses.replace(c, section=("Phụ lục", str(i))) for i, c in enumerate(chunks)]
    placed[2] = dataclasses.replace(body, section=("Phụ lục",))
    q = read_query("quầy cân đối chứng lắp mới tại chợ", analyzer=analyzer)
    ranked = sources_first(q, analyzer, np.arange(3), placed, fused)[1]
    assert [c.id for c in ranked] == ["r1", "r2", "b"]


def test_a_sentence_stating_a_total_takes_the_total_rows_place():
    """A table's total row ("Tổng cộng") is restated by the body's sentence stating that
    total: asked the total, the sentence is the provision to cite; another sentence on the
    topic, not stating the figure asked, is not."""
    meta = DocMeta(doc="kh.pdf", doc_type="Kế hoạch", number="45/KH-SNNMT", year=2026)
    cells = (("Nhiệm vụ", "Tổng cộng"), ("Kinh phí", "6.480"))
    chunk = partial(_passage, meta)

    row = chunk("r", "table_row", "\n".join(f"{h}: {v}" for h, v in cells), cells)
    other = chunk("o", "text", "III. NHIỆM VỤ\nTổ chức 40 lớp tập huấn kỹ thuật nuôi cua.")
    body = chunk("b", "text", "IV. KINH PHÍ\nTổng kinh phí thực hiện là 6.480 triệu đồng.")
    fused = np.array([0.9, 0.8, 0.7])
    analyzer = Analyzer()
    q = read_query("kế hoạch nuôi cua cần tổng kinh phí bao nhiêu", analyzer=analyzer)
    ranked = sources_first(q, analyzer, np.arange(3), [row, other, body], fused)[1]
    assert [c.id for c in ranked] == ["b", "r", "o"]
    stated = chunk("b", "text", "IV. KINH PHÍ\nTổng kinh phí do ngân sách tỉnh bảo đảm.")
    ranked = sources_first(q, analyzer, np.arange(3), [row, other, stated], fused)[1]
    assert [c.id for c in ranked] == ["r", "o", "b"]


def test_rows_of_one_item_or_table_take_a_share_of_the_first_places():
    """An item and its sub-rows (a row per xã) rank together on the item's name; two of
    them keep their places among the first five, the others follow the fifth. Rows of one
    table share its columns' names and take three."""
    meta = DocMeta(doc="kh.txt", doc_type="Kế hoạch", number="198/KH-UBND", year=2025)

    def chunk(chunk_id, kind, section):
        return Chunk(chunk_id, meta, kind, section, 1, 1, chunk_id)

    item = ("Phụ lục", "II", "9")
    chunks = [chunk("row", "table_row", item), chunk("xa1", "table_row", item),
              chunk("xa2", "table_row", item), chunk("xa3", "table_row", item),
              chunk("other", "table_row", ("Phụ lục", "II", "10")), chunk("body", "text", ("III",)),
              chunk("tail", "text", ("IV",))]  # fmt: skip
    fused = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3])
    order, ranked, scores = spread_items(np.arange(7), chunks, fused)
    assert [c.id for c in ranked] == ["row", "xa1", "other", "body", "tail", "xa2", "xa3"]
    assert list(scores[order]) == list(fused)  # the scores stay with the places
    # Rows of one table's items take three of the first places; rows of another table and
    # the body follow them.
    rows = [chunk(f"r{i}", "table_row", ("Phụ lục", str(i))) for i in range(5)]
    other = [chunk("t2", "table_row", ("Phụ lục 2", "1")), chunk("body", "text", ("III",))]
    ranked = spread_items(np.arange(7), rows + other, fused)[1]
    assert [c.id for c in ranked] == ["r0", "r1", "r2", "t2", "body", "r3", "r4"]
    # With nothing else to show, they keep their places.
    assert [c.id for c in spread_items(np.arange(5), rows, fused[:5])[1]] == [c.id for c in rows]


def test_a_span_of_another_stage_gives_way_to_one_of_the_stage_asked():
    # The sentence on đợt 2 holds more words of the question than the result of đợt 1,
    # whose stage only its heading names (as a passage's headings go around its text).
    heading = "3. Kết quả Chiến dịch diệt lăng quăng đợt 1"
    text = (
        "Các đội xung kích đã kiểm tra, hướng dẫn diệt lăng quăng tại 287.450 hộ gia đình;\n"
        "- Chiến dịch diệt lăng quăng đợt 2 từ ngày 15/7/2026 sẽ kiểm tra trên 95% số hộ."
    )
    chunk = Chunk("bc#3", DocMeta(doc="bc.txt"), "text", ("I", "3"), 20, 21, text,
                  embed_text=f"{heading}\n{text}")  # fmt: skip
    analyzer = Analyzer()

    def answer(query: str) -> str:
        found = extract_answer(read_query(query, analyzer=analyzer), [Hit(1, 1.0, chunk)],
                               analyzer, lambda t: 1.0)  # fmt: skip
        return found.text

    assert "287.450 hộ" in answer("chiến dịch diệt lăng quăng đợt 1 kiểm tra bao nhiêu hộ")
    assert "15/7/2026" in answer("chiến dịch diệt lăng quăng đợt 2 bắt đầu từ ngày nào")


def test_a_sum_asked_is_answered_by_the_sentence_stating_it():
    """The plan's title names the topic; of its sentences, the one stating what is counted
    with its number answers "kinh phí ... bao nhiêu", not one naming the topic and the
    word without a number."""
    text = (
        "IV. KINH PHÍ\n"
        "Kinh phí thực hiện năm 2026 là 2.850 triệu đồng từ nguồn ngân sách tỉnh.\n"
        "Các cơ sở kinh doanh xăng dầu tự bảo đảm kinh phí ứng phó sự cố tràn dầu tại cơ sở."
    )
    embed = f"Kế hoạch Ứng phó sự cố tràn dầu năm 2026\n{text}"
    chunk = Chunk("kh#4", DocMeta(doc="kh.txt"), "text", ("IV",), 30, 32, text, embed_text=embed)
    analyzer = Analyzer()
    q = read_query("kinh phí ứng phó sự cố tràn dầu năm 2026 bao nhiêu", analyzer=analyzer)
    a = extract_answer(q, [Hit(1, 1.0, chunk)], analyzer, lambda t: 1.0)
    assert a.text.startswith("Kinh phí thực hiện năm 2026 là 2.850 triệu đồng")
