import numpy as np

from search.index.lexical import Analyzer, LexicalIndex, build_lexicon
from search.text.lexicon import Lexicon, could_be_syllable, defined_abbreviations


def test_tokens_exact_folded_and_bigrams():
    toks = Analyzer().document_tokens("Hòn Khoai")
    assert {"hòn", "~hon", "~khoai", "~hon_khoai"} <= set(toks)


def test_query_without_diacritics_uses_folded_tokens_only():
    toks = Analyzer().query_tokens("hon khoai tien do")
    assert toks and all(t.startswith("~") for t in toks)


def test_query_question_words_dropped():
    toks = Analyzer().query_tokens("Hòn Khoai bao nhiêu")
    assert "~bao" not in toks and "~nhieu" not in toks


def test_old_and_new_tone_placement_match():
    a = Analyzer()
    assert "hòa" in a.document_tokens("hoà bình") and "hòa" in a.query_tokens("hòa bình")


def test_abbreviation_and_expansion_share_a_concept():
    a = Analyzer()
    key = "ab:giai_phong_mat_bang"
    assert key in a.document_tokens("công tác giải phóng mặt bằng")
    assert key in a.query_tokens("GPMB cảng hàng không")
    assert "ab:kinh_te_xa_hoi" in a.query_tokens("KT-XH 2025")


def test_legal_abbreviations_share_a_concept():
    a = Analyzer()
    assert "ab:quyen_su_dung_dat" in a.query_tokens("cấp GCN QSDĐ lần đầu")
    assert "ab:quyen_su_dung_dat" in a.document_tokens("chuyển nhượng quyền sử dụng đất")
    assert "ab:nguoi_su_dung_lao_dong" in a.query_tokens("NSDLĐ đơn phương chấm dứt HĐLĐ")
    assert "ab:nghi_dinh" in a.document_tokens("Số: 15/2025/NĐ-CP")


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
    lex = build_lexicon({"a.txt": "Hệ thống quan trắc tự động (HTQTTĐ) được lắp đặt."})
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


def test_bm25_prefers_exact_diacritics_and_round_trips(tmp_path):
    texts = ["Cảng Hòn Khoai tiến độ", "Cảng Hồn khoái tiền đồ", "Đường ven biển"]
    index = LexicalIndex.build(texts, Analyzer(Lexicon.curated()))
    s = index.scores("Hòn Khoai tiến độ")
    assert s[0] > s[1] > s[2] == 0
    folded = index.scores("hon khoai tien do")
    # Without marks both spellings match every token (lengths differ slightly).
    assert folded[1] > 0 and abs(folded[0] - folded[1]) < 0.1 * folded[0]
    index.save(tmp_path / "lex")
    again = LexicalIndex.load(tmp_path / "lex")
    assert np.allclose(again.scores("Hòn Khoai tiến độ"), s)
