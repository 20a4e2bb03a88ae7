"""Diacritics restored from the corpus's own syllable bigrams."""

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
