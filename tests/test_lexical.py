import bm25s
import numpy as np
import pytest

from search.index.analyzer import Analyzer, defined_pairs, lexicon_with
from search.index.lexical import Bm25, LexicalSegment, collection, merge
from search.query.query import read_query
from search.text.lexicon import defined_abbreviations
from search.text.words import could_be_syllable


def test_tokens_exact_folded_and_bigrams():
    toks = Analyzer().document_tokens("Hòn Khoai")
    assert {"hòn", "~hon", "~khoai", "~hon_khoai"} <= set(toks)


def test_a_number_is_one_token_however_many_zeros_pad_it():
    a = Analyzer()
    assert {"~6", "~6_ho"} <= a.token_set("di dời ngay 06 hộ dân")
    assert {"~6", "~6_ho"} <= set(a.query_tokens("6 hộ dân di dời"))
    assert "~0" in a.token_set("0 đồng") and "~2025" in a.token_set("năm 2025")


def test_token_sets_are_the_distinct_document_tokens_and_remembered():
    a = Analyzer()
    text = "Tiến độ GPMB cảng Hòn Khoai; tiến độ cao tốc."
    assert a.token_set(text) == frozenset(a.document_tokens(text))
    assert "~tien_do" in a.token_set(text) and "ab:giai_phong_mat_bang" in a.token_set(text)
    assert a.token_set(text) is a.token_set(text)
    assert a.token_set("đường sắt") != a.token_set("đường")


def test_query_without_diacritics_uses_folded_tokens_only():
    toks = Analyzer().query_tokens("hon khoai tien do")
    assert toks and all(t.startswith(("~", "^~")) for t in toks)


def test_query_question_words_dropped():
    toks = Analyzer().query_tokens("Hòn Khoai bao nhiêu")
    assert "~bao" not in toks and "~nhieu" not in toks


def test_words_that_only_look_like_question_words_are_kept():
    # Folded, "đầu", "Đảng", "máy" are "đâu", "đang", "mấy"; typed with marks they are not.
    toks = Analyzer().query_tokens("đầu tư Đảng bộ nhà máy ở đâu, đang làm gì")
    assert {"~dau_tu", "~dang_bo", "~nha_may"} <= set(toks)
    assert "đâu" not in toks and "đang" not in toks and "~gi" not in toks
    # Typed without, the folded forms stay ambiguous: the reading decides (test_restore).
    assert "~dau" not in Analyzer().query_tokens("dau tu")
    # After a count, such a word is what is counted: "4 sao" (stars), not "ra sao".
    assert {"~sao", "~4_sao"} <= set(Analyzer().query_tokens("mức hỗ trợ sản phẩm đạt 4 sao"))
    assert "~sao" not in Analyzer().query_tokens("tiến độ năm 2025 ra sao")


def test_old_and_new_tone_placement_match():
    a = Analyzer()
    assert "hòa" in a.document_tokens("hoà bình") and "hòa" in a.query_tokens("hòa bình")


def test_abbreviation_and_expansion_share_a_concept():
    a = Analyzer()
    key = "ab:giai_phong_mat_bang"
    assert key in a.document_tokens("công tác giải phóng mặt bằng")
    assert key in a.query_tokens("GPMB cảng hàng không")
    assert "ab:kinh_te_xa_hoi" in a.query_tokens("KT-XH 2025")


def test_an_abbreviation_glued_to_a_number_is_read_apart():
    a = Analyzer()
    typed = a.query_tokens("GPMB ĐT883")
    assert "ab:duong_tinh" in typed and "~883" in typed
    assert {"ab:quoc_lo", "~1a"} <= set(a.document_tokens("mở rộng QL1A"))
    assert "~covid19" not in a.document_tokens("COVID19") and "~xql1" in a.query_tokens("xQL1")


def test_legal_abbreviations_share_a_concept():
    a = Analyzer()
    assert "ab:quyen_su_dung_dat" in a.query_tokens("cấp GCN QSDĐ lần đầu")
    assert "ab:quyen_su_dung_dat" in a.document_tokens("chuyển nhượng quyền sử dụng đất")
    assert "ab:nguoi_su_dung_lao_dong" in a.query_tokens("NSDLĐ đơn phương chấm dứt HĐLĐ")
    assert "ab:nghi_dinh" in a.document_tokens("Số: 15/2025/NĐ-CP")


def test_sector_abbreviations_share_a_concept():
    # Traffic, health, social policy and security reports abbreviate their own terms.
    a = Analyzer()
    pairs = [
        ("TNGT quý I", "61 vụ tai nạn giao thông đường bộ", "ab:tai_nan_giao_thong"),
        ("quà Tết NCC", "thăm, tặng quà người có công", "ab:nguoi_co_cong"),
        ("cơ sở KCB", "cơ sở khám bệnh, chữa bệnh", "ab:kham_chua_benh"),
        ("ca mắc SXH", "bệnh sốt xuất huyết", "ab:sot_xuat_huyet"),
        ("kế hoạch PCTT", "phòng, chống thiên tai", "ab:phong_chong_thien_tai"),
        ("đảm bảo TTATGT", "trật tự, an toàn giao thông", "ab:trat_tu_an_toan_giao_thong"),
        # A document is named by its kind's abbreviation too, as its number does ("45/BC-STP").
        ("BC kết quả 6 tháng", "báo cáo kết quả 6 tháng", "ab:bao_cao"),
        ("CV 1845 GPMB", "công văn số 1845", "ab:cong_van"),
        ("TTr SYT mua xe", "Tờ trình về việc mua sắm", "ab:to_trinh"),
        # The police, as staff write them ("CA tỉnh", "CA xã").
        ("CA xã báo cáo kết quả", "Công an các xã, phường báo cáo", "ab:cong_an"),
    ]
    for typed, written, key in pairs:
        assert key in a.query_tokens(typed) and key in a.document_tokens(written), key
    # Two letters count in capitals only: "số ca mắc" is no police.
    assert "ab:cong_an" not in a.query_tokens("số ca mắc sốt xuất huyết")


def test_terms_written_with_commas_share_a_concept():
    # Names of bodies and terms are listed with commas; the pairs still stop at a comma.
    a = Analyzer()
    tokens = a.document_tokens("Sở Văn hóa, Thể thao và Du lịch chủ trì")
    assert "ab:van_hoa_the_thao_va_du_lich" in tokens
    assert "ab:van_hoa_the_thao_va_du_lich" in a.query_tokens("Sở VHTTDL")
    assert "~hoa_the" not in tokens
    assert "ab:khoa_hoc_va_cong_nghe" in a.query_tokens("đột phá khoa học, công nghệ")
    assert "~26_3" not in a.document_tokens("tăng 26,3%")


def test_everyday_words_share_a_concept_with_the_official_terms():
    a = Analyzer()
    for everyday, official in [
        ("quên mang bằng lái", "không mang theo giấy phép lái xe"),
        ("xe máy chở 3 người", "xe mô tô, xe gắn máy chở theo 02 người"),
        ("làm sổ đỏ", "cấp giấy chứng nhận quyền sử dụng đất"),
        ("mua hàng online", "giao dịch trực tuyến"),
    ]:
        shared = {t for t in a.query_tokens(everyday) if t.startswith("ab:")}
        assert shared & set(a.document_tokens(official)), (everyday, official)
    assert not {t for t in a.document_tokens("bằng khen") if t.startswith("ab:")}


def test_concepts_starting_at_one_word_are_all_found():
    # The longer synonym does not hide the abbreviations inside it.
    tokens = Analyzer().document_tokens("giấy chứng nhận quyền sử dụng đất")
    assert {"ab:giay_chung_nhan", "ab:giay_chung_nhan_quyen_su_dung_dat", "ab:so_do"} <= set(tokens)
    tokens = Analyzer().document_tokens("Ủy ban nhân dân tỉnh")
    assert {"ab:uy_ban_nhan_dan", "ab:uy_ban_tinh"} <= set(tokens)


def test_concept_words_are_the_words_inside_a_match():
    spelled = Analyzer().concept_words("NTM và người tiêu dùng, kể từ ngày mua")
    assert spelled["~ntm"] == {"ab:nong_thon_moi"}
    assert spelled["tiêu"] == spelled["~tieu"] == {"ab:nguoi_mua_hang"}
    assert "~mua" not in spelled and "~ngay" not in spelled


def test_short_abbreviations_need_capitals():
    a = Analyzer()
    assert "ab:tinh_uy" in a.document_tokens("Nghị quyết số 18-NQ/TU")
    assert "ab:tinh_uy" not in a.document_tokens("tư duy, tự chủ")


def test_syllable_check():
    assert could_be_syllable("khoai") and could_be_syllable("tu")
    assert not could_be_syllable("gpmb") and not could_be_syllable("nstw")


def test_document_defined_abbreviations():
    pairs = defined_abbreviations(
        "tăng cường công tác giải phóng mặt bằng (viết tắt là GPMB) và "
        "Trung tâm Điều hành thông minh (TTĐHTM); năng lực cạnh tranh (PCI)"
    )
    assert ("GPMB", "giải phóng mặt bằng") in pairs
    assert ("TTĐHTM", "Trung tâm Điều hành thông minh") in pairs
    assert all(a != "PCI" for a, _ in pairs)  # initials do not spell it: not a definition


def test_defined_abbreviation_joins_lexicon():
    lex = lexicon_with(defined_pairs(["Hệ thống quan trắc tự động (HTQTTĐ) được lắp đặt."]))
    toks = Analyzer(lex).query_tokens("HTQTTĐ ở đâu")
    assert any(t.startswith("ab:he_thong_quan_trac") for t in toks)


def test_abbreviations_written_out_in_place_for_the_encoder():
    a = Analyzer()
    assert a.expand_inline("GPMB cảng") == "giải phóng mặt bằng cảng"
    assert (
        a.expand_inline("NQ KH ĐTC trình HĐND")
        == "nghị quyết kế hoạch đầu tư công trình hội đồng nhân dân"
    )
    assert a.expand_inline("quy chế CCN Sở CT") == "quy chế cụm công nghiệp sở công thương"
    assert a.expand_inline("tư duy, tự chủ") == "tư duy, tự chủ"  # "tu" is not TU


def test_abbreviations_join_their_neighbours_once_written_out():
    a = Analyzer()
    # "NQ BCH Đảng bộ" spelled out is "nghị quyết ban chấp hành Đảng bộ": the pairs across
    # the abbreviations' edges, not those inside one (its concept token holds them).
    assert a.joining_pairs("NQ BCH Đảng bộ tỉnh") == ["~hanh_dang", "~quyet_ban"]
    assert a.joining_pairs("NQ, BCH") == []  # a comma breaks the phrase
    assert a.joining_pairs("Hòn Khoai tiến độ") == []


def test_an_abbreviation_counts_once_for_ranking():
    # "NQ" ranks a passage writing "NQ" and one writing "Nghị quyết" alike: its concept
    # token stands for it, its own letters do not count a second time.
    a = Analyzer()
    texts = ["Triển khai NQ về đột phá", "Triển khai Nghị quyết về đột phá", "Báo cáo kinh tế"]
    seg = LexicalSegment.build(a.document_tokens(t) for t in texts)
    q = read_query("NQ đột phá", analyzer=a)
    assert {"~nq", "ab:nghi_quyet"} <= set(q.tokens)
    assert "~nq" not in q.ranking_tokens and "ab:nghi_quyet" in q.ranking_tokens
    rows, scores = Bm25([seg], list(q.ranking_tokens), collection([seg], [None])).search()[0]
    by_row = dict(zip(rows.tolist(), scores.tolist(), strict=True))
    # Only length sets them apart now ("Nghị quyết" is two words): 0.91, where the letters
    # counted twice gave 0.71.
    assert by_row[1] > 0.85 * by_row[0]
    assert a.abbreviation_tokens("GPMB cảng, tiến độ") == {"gpmb", "~gpmb"}


def _scores(segments, query, analyzer=None):
    """BM25 of every row of ``segments`` (rows numbered across segments in order)."""
    analyzer = analyzer or Analyzer()
    live = [None] * len(segments)
    per = Bm25(segments, analyzer.query_tokens(query), collection(segments, live)).search()
    out, offset = np.zeros(sum(s.n for s in segments)), 0
    for seg, (rows, scores) in zip(segments, per, strict=True):
        out[rows + offset] = scores
        offset += seg.n
    return out


def test_bm25_prefers_exact_diacritics_and_round_trips(tmp_path):
    a = Analyzer()
    texts = ["Cảng Hòn Khoai tiến độ", "Cảng Hồn khoái tiền đồ", "Đường ven biển"]
    seg = LexicalSegment.build(a.document_tokens(t) for t in texts)
    s = _scores([seg], "Hòn Khoai tiến độ")
    assert s[0] > s[1] > s[2] == 0
    folded = _scores([seg], "hon khoai tien do")
    # Without marks both spellings match every token (lengths differ slightly).
    assert folded[1] > 0 and abs(folded[0] - folded[1]) < 0.1 * folded[0]
    seg.save(tmp_path / "lex")
    assert np.allclose(_scores([LexicalSegment.load(tmp_path / "lex")], "Hòn Khoai tiến độ"), s)


DOCS = [
    "Đầu tư xây dựng cảng Hòn Khoai, tiến độ năm 2025.",
    "Giải phóng mặt bằng cảng hàng không Cà Mau.",
    "",
    "Cảng cá Khánh Hội: kho lạnh 7.300 tấn; cảng cá Sông Đốc.",
    "Trạm đọc sách cộng đồng ở xã đặc biệt khó khăn được hỗ trợ kinh phí mua sách.",
    "Cảng, cảng, cảng: một đoạn chỉ nói về cảng.",
]


def test_bm25_equals_bm25s_whole_split_and_merged():
    """Segments score with the collection's statistics: split or merged, every passage gets
    the score bm25s (Lucene variant) gives it in one index over all passages."""
    a = Analyzer()
    tokens = [a.document_tokens(t) for t in DOCS]
    ref = bm25s.BM25(k1=1.2, b=0.75)
    ref.index([t or [""] for t in tokens], show_progress=False)
    query = a.query_tokens("cảng Hòn Khoai tiến độ kho lạnh")
    expect = ref.get_scores([t for t in query if t in ref.vocab_dict])
    whole = LexicalSegment.build(tokens)
    parts = [LexicalSegment.build(tokens[:2]), LexicalSegment.build(tokens[2:])]
    merged = merge(parts, [None, None])
    for segments in ([whole], parts, [merged]):
        assert np.allclose(
            _scores(segments, "cảng Hòn Khoai tiến độ kho lạnh", a), expect, atol=1e-5
        )
    assert (merged.terms == whole.terms).all() and (merged.rows == whole.rows).all()


def test_merge_drops_dead_rows():
    a = Analyzer()
    tokens = [a.document_tokens(t) for t in DOCS]
    parts = [LexicalSegment.build(tokens[:3]), LexicalSegment.build(tokens[3:])]
    live = np.array([True, False, True])  # the second passage was replaced
    merged = merge(parts, [live, None])
    expect = LexicalSegment.build([t for i, t in enumerate(tokens) if i != 1])
    assert merged.n == 5 and (merged.lengths == expect.lengths).all()
    assert (merged.terms == expect.terms).all() and (merged.tfs == expect.tfs).all()


def test_postings_built_in_worker_chunks_equal_one_build(monkeypatch):
    """Large segments are tokenized in worker processes, chunk by chunk, and the chunks'
    postings merged: the segment is the one a single build over every passage gives."""
    from search.index import tokenize
    from search.text.lexicon import Lexicon

    monkeypatch.setattr(tokenize, "_MIN_PARALLEL", 4)
    monkeypatch.setattr(tokenize, "_PER_TASK", 3)
    fields = [(t, "Điều 1. Phạm vi" if i % 2 else "") for i, t in enumerate(DOCS)]
    chunked = tokenize.document_postings(Lexicon.curated(), fields, workers=2)
    a = Analyzer(Lexicon.curated())
    whole = LexicalSegment.build(a.document_tokens(t, h) for t, h in fields)
    for name in ("terms", "indptr", "rows", "tfs", "lengths"):
        assert np.array_equal(getattr(chunked, name), getattr(whole, name)), name


def test_common_tokens_only_add_to_rows_rarer_tokens_found():
    """Past ``common`` passages a token no longer decides the candidates (MaxScore): rows
    holding a rarer query token keep their exact score, rows with only common ones drop."""
    a = Analyzer()
    tokens = [a.document_tokens(t) for t in DOCS]
    seg = LexicalSegment.build(tokens)
    stats = collection([seg], [None])
    query = a.query_tokens("cảng Hòn Khoai")  # "cảng" is in 4 passages, "Hòn Khoai" in 1
    ((all_rows, all_scores),) = Bm25([seg], query, stats).search()
    ((rows, scores),) = Bm25([seg], query, stats, common=3).search()
    assert rows.tolist() == [0]
    assert scores[0] == pytest.approx(all_scores[all_rows.tolist().index(0)])
    # With no rarer token to lead, the common ones score every passage that has them.
    ((rows, _),) = Bm25([seg], a.query_tokens("cảng"), stats, common=3).search()
    assert rows.tolist() == [0, 1, 3, 5]


def _random_segments(seed: int, sizes=(300, 260)) -> list[LexicalSegment]:
    """Rows holding common tokens ("c0" all, "c1".."c3" most) and rare ones ("r0".."r29")."""
    rng = np.random.default_rng(seed)
    segments = []
    for n in sizes:
        rows = []
        for _ in range(n):
            tokens = ["c0"] + [f"c{i}" for i in range(1, 4) if rng.random() < 0.8]
            tokens += [f"r{i}" for i in range(30) if rng.random() < 0.06] * int(rng.integers(1, 3))
            rows.append(tokens + ["x"] * int(rng.integers(0, 40)))
        segments.append(LexicalSegment.build(rows))
    return segments


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_top_n_search_looks_common_tokens_up_for_rows_that_can_rank_only(seed):
    segments = _random_segments(seed)
    allowed = [np.random.default_rng(seed).random(s.n) < 0.9 for s in segments]
    # Rows of replaced documents count in a token's frequency, not in the passage count:
    # "c0", in every row, is then in more passages than there are, and must add nothing.
    stats = collection(segments, allowed)
    query = ["c0", "c1", "c1", "c2", "r1", "r2", "r3", "r5"]
    bm25 = Bm25(segments, query, stats, common=100)
    assert sorted(bm25.common.tolist()) == [0, 1, 2]  # the "c" tokens
    full = bm25.search(allowed)
    pruned = bm25.search(allowed, top=10)

    def best(per_segment, n=10):
        scored = [(float(v), s, int(r)) for s, (rows, sc) in enumerate(per_segment)
                  for r, v in zip(rows, sc, strict=True)]  # fmt: skip
        return sorted(scored, reverse=True)[:n]

    assert best(pruned) == best(full)  # the ten best rows and scores are exact
    lower = sum(int((a[1] < b[1]).sum()) for a, b in zip(pruned, full, strict=True))
    assert lower > 0  # rows that cannot rank were not completed
    for s, ((rows, scores), (rows_p, scores_p)) in enumerate(zip(full, pruned, strict=True)):
        assert np.array_equal(rows, rows_p) and np.all(scores_p <= scores)
        assert not allowed[s][rows].size or allowed[s][rows].all()
        assert np.array_equal(bm25.score(s, rows), scores)  # exact, as the full search
        holding = bm25.search()[s][0]  # every row holding a rarer token, allowed or not
        assert not bm25.score(s, np.setdiff1d(np.arange(segments[s].n), holding)).any()


def test_a_query_stating_a_title_finds_the_passage_it_heads():
    a = Analyzer()
    texts = [
        (
            "Điều 7. Thời hạn cấp giấy chứng nhận\n1. Cơ quan đăng ký cấp giấy trong 15 ngày.",
            "Thời hạn cấp giấy chứng nhận",
        ),
        (
            "Điều 9. Lệ phí\nThời hạn nộp lệ phí cấp giấy chứng nhận là 30 ngày; "
            "giấy chứng nhận được cấp lại khi mất.",
            "Lệ phí",
        ),
    ]
    seg = LexicalSegment.build(a.document_tokens(t, h) for t, h in texts)
    stats = collection([seg], [None])
    query = a.query_tokens("thời hạn cấp giấy chứng nhận")
    assert any(t.startswith("^") for t in query)
    ((rows, scores),) = Bm25([seg], query, stats, heading_weight=0.0).search()
    ((rows_h, scores_h),) = Bm25([seg], query, stats, heading_weight=1.0).search()
    assert scores_h[0] - scores_h[1] > scores[0] - scores[1]  # the heading field decides
