"""Diacritics restored from the corpus's own syllable bigrams."""

from search.index.analyzer import Analyzer
from search.query.query import read_query, searched_as
from search.query.restore import DiacriticRestorer

TEXTS = [
    "Xây dựng xã Tam Giang đạt chuẩn nông thôn mới trong năm 2025.",
    "Đầu tư xây dựng Cảng nước sâu Hòn Khoai; tiến độ: trong năm 2025.",
    "Phòng, chống hạn hán, xâm nhập mặn trong mùa khô; tiếp tục sản xuất lúa.",
    "Xã Tân Ân đạt chuẩn; thủ tục hành chính tại cấp xã được rút ngắn.",
]


def test_restores_from_bigrams():
    r = DiacriticRestorer.from_texts(TEXTS)
    assert r.restore("xa tam giang dat chuan nong thon moi") == (
        "xã tam giang đạt chuẩn nông thôn mới"
    )
    assert r.restore("hon khoai tien do") == "hòn khoai tiến độ"


def test_keeps_case_numbers_abbreviations_and_unknown_words():
    r = DiacriticRestorer.from_texts(TEXTS)
    assert r.restore("Hon Khoai GPMB 2025 xyz") == "Hòn Khoai GPMB 2025 xyz"
    assert r.restore("cảng hon khoai") == "cảng hòn khoai"  # accented words stay as typed


def test_everyday_question_words_come_back_right():
    r = DiacriticRestorer.from_texts(TEXTS)
    assert r.restore("bao nhieu xa dat chuan") == "bao nhiêu xã đạt chuẩn"


def test_slips_and_typos_are_read_as_the_corpus_words():
    r = DiacriticRestorer.from_texts(TEXTS * 2)  # every word used at least twice
    reading = r.read("Hòn Khoai tiến đọ")  # a tone slip
    assert reading.lexical == "Hòn Khoai tiến độ" and reading.corrections == (("đọ", "độ"),)
    reading = r.read("xa tam giang dat chuaan")  # a typo, typed without diacritics
    assert reading.corrections == (("chuaan", "chuẩn"),)
    assert reading.lexical == "xa tam giang dat chuan"  # lexical search stays unaccented
    assert reading.dense == "xã tam giang đạt chuẩn"


def test_two_syllables_typed_as_one_are_read_as_the_pair_the_corpus_writes():
    """ "cano" is "ca nô" run together, not "cáo" one edit away (the corpus's "báo cáo")."""
    boats = ["Mua sắm 02 ca nô cứu thương; báo cáo kết quả.", "Báo cáo tiến độ; báo cáo năm."]
    r = DiacriticRestorer.from_texts(TEXTS * 2 + boats * 2)
    reading = r.read("mua sắm cano cứu thương")
    assert reading.corrections == (("cano", "ca nô"),)
    assert reading.lexical == "mua sắm ca nô cứu thương"
    assert r.read("mua sam cano cuu thuong").dense == "mua sắm ca nô cứu thương"
    assert r.read("xa tamgiang").corrections == (("tamgiang", "tam giang"),)
    # Syllables the corpus never writes side by side are no pair: "tamcang" stays as typed.
    assert r.read("xa tamcang").corrections == ()


def test_a_real_word_is_corrected_only_where_the_corpus_firmly_writes_the_other():
    """ "vé" is a word the documents do not use, not a slip for "về", which they write
    everywhere and seldom before "tàu"; "đọ" is a slip where "tiến độ" is common."""
    texts = ["Báo cáo về tình hình; ý kiến về dự án; chỉ đạo về công tác."] * 25
    texts += ["Tiến độ dự án; tiến độ thi công; về tàu cao tốc."] * 2
    r = DiacriticRestorer.from_texts(texts)
    assert r.read("giá vé tàu cao tốc").corrections == ()
    assert r.read("tiến đọ thi công").corrections == (("đọ", "độ"),)
    # A word no syllable spells is a typo wherever the corpus writes the other.
    assert r.read("về tàu cao tôc").corrections == (("tôc", "tốc"),)


def test_question_words_numbers_and_acronyms_are_not_corrected():
    r = DiacriticRestorer.from_texts(TEXTS * 2)
    for query in ("xin hỏi bao giờ xong", "CCTV cảng", "năm 2O25"):
        assert r.read(query).corrections == ()


def test_an_unmarked_word_among_marked_ones_is_meant_so():
    # The documents write "bảo" far more often than "bao" and "quá" than "qua"; a query
    # typed with diacritics still means the word as typed, unless its neighbours say not.
    r = DiacriticRestorer.from_texts(
        TEXTS + ["Bảo vệ, bảo đảm, bảo hiểm, bảo quản.", "Quá hạn, quá tải.", "bao gồm; đi qua"]
    )
    assert r.restore("phải báo trong vòng bao lâu") == "phải báo trong vòng bao lâu"
    assert r.restore("ở lại qua đêm") == "ở lại qua đêm"
    assert r.restore("Hòn Khoai tien do") == "Hòn Khoai tiến độ"


def test_asking_phrases_survive_the_documents_own_word_pairs():
    # The law writes "trong bảo vệ" and never "bao lâu": the question still asks how long.
    r = DiacriticRestorer.from_texts(["Trách nhiệm trong bảo vệ người tiêu dùng."] * 3 + TEXTS)
    assert r.restore("phải trả tiền trong bao lâu") == "phải trả tiền trong bao lâu"
    assert r.restore("tra tien trong bao lau").endswith("trong bao lâu")
    assert r.restore("thông báo trước mấy giờ") == "thông báo trước mấy giờ"


def test_a_fine_is_asked_where_the_documents_only_issue():
    # The documents write "phát" (phát hiện, phát triển) and never "phạt": "muc phat" still
    # asks for a fine.
    r = DiacriticRestorer.from_texts(["Phát hiện sớm, phát triển mức độ an toàn."] * 3 + TEXTS)
    assert r.restore("muc phat an toan") == "mức phạt an toàn"


def test_the_reading_decides_which_unmarked_words_only_ask():
    # "dau" folded is both "đâu" (asks) and "đầu" (đầu tư): the restored reading tells which.
    r = DiacriticRestorer.from_texts(TEXTS + ["Tiến độ đầu tư công; nhà máy điện."] * 2)
    q = read_query("tien do dau tu nha may dien o dau", analyzer=Analyzer(), reader=r.read)
    assert {"~dau_tu", "~nha_may"} <= set(q.tokens)
    assert all(t.startswith(("~", "^~", "ab:")) for t in q.tokens)  # still folded only
    assert "~o_dau" not in q.tokens  # "ở đâu" asks


def test_chat_shorthands_are_written_out_and_shown():
    r = DiacriticRestorer.from_texts(TEXTS * 2, keep=Analyzer().lexicon.abbreviations())
    q = read_query("xã Tam Giang đc công nhận chuẩn ntm chưa, ko rõ", analyzer=Analyzer(),
                   reader=r.read, known=lambda t: "ko" not in t and "đc" not in t)  # fmt: skip
    assert q.corrections[:2] == (("đc", "được"), ("ko", "không"))
    assert searched_as(q) == "xã Tam Giang được công nhận chuẩn ntm chưa, không rõ"
    assert q.unknown == () and q.text.endswith("ko rõ")  # the query stays as typed
    # Typed without diacritics, they are written out without; an abbreviation is not one.
    unmarked = read_query("muc phat ko doi mu", analyzer=Analyzer(), reader=r.read)
    assert searched_as(unmarked) == "muc phat khong doi mu"
    assert read_query("MN Tân Ân", analyzer=Analyzer()).corrections == ()


def test_an_abbreviation_typed_in_lower_case_is_not_a_typo():
    abbreviations = Analyzer().lexicon.abbreviations()
    assert {"ntm", "gpmb"} <= abbreviations and "tu" not in abbreviations  # "TU" or "tư"
    r = DiacriticRestorer.from_texts(TEXTS * 2, keep=abbreviations)
    assert r.read("xa dat chuan ntm").corrections == ()
    # Without the lexicon, "ntm" is one edit from "năm".
    assert DiacriticRestorer.from_texts(TEXTS * 2).read("xa dat chuan ntm").corrections


def test_a_unit_is_not_a_typo_nor_a_shorthand():
    """ "lm/W" is lumen per watt: not "làm" (one edit, and a chat shorthand) nor a slip."""
    r = DiacriticRestorer.from_texts(TEXTS * 2 + ["Tổ chức làm đường; làm cầu."] * 2)
    assert r.read("xa lm duong").corrections == (("lm", "làm"),)
    assert r.read("hieu suat 130 lm/W").corrections == ()
    unit = read_query("hiệu suất bao nhiêu lm/W", analyzer=Analyzer(), reader=r.read)
    assert unit.corrections == () and unit.measure == "lm"
    assert read_query("ko lm j", analyzer=Analyzer()).corrections[1] == ("lm", "lam")
