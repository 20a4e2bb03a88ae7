"""Plain-text decoding: UTF-8/16, Windows-1258 and the legacy TCVN3 and VNI font encodings.

Round trips use ``encode_legacy`` (built from the same tables as the decoder), so each
encoding also has byte strings written down independently: the well-known renderings of
the national motto and the opening of a UBND document as they appear when a .VnTime or
VNI-Times file is shown in a Unicode font.
"""

from __future__ import annotations

import random
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search.errors import DocumentError
from search.extract.legacy import decode_bytes, encode_legacy, repair_mojibake
from search.text.spelling import is_syllable

SENTENCE = (
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "Độc lập - Tự do - Hạnh phúc\n"
    "Ủy ban nhân dân tỉnh Cà Mau ban hành kế hoạch thực hiện nhiệm vụ phát triển "
    "kinh tế - xã hội năm 2025; người đứng đầu chịu trách nhiệm trước Chủ tịch về "
    "kết quả được giao, bảo đảm kỷ cương, tiết kiệm, chống lãng phí, khuyến khích "
    "đổi mới sáng tạo, nghiên cứu ứng dụng khoa học kỹ thuật; thuở ấy, quyết định."
)


def to_cp1258(text: str) -> bytes:
    """Windows-1258 as Windows writes it: base letters precomposed, tones combining."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        try:
            out.append(ch.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        tone = next((c for c in parts if c in "\u0300\u0301\u0303\u0309\u0323"), "")
        stem = unicodedata.normalize("NFC", parts.replace(tone, "", 1) if tone else parts)
        out.append(stem.encode("cp1258") + tone.encode("cp1258"))
    return b"".join(out)


def test_utf8_plain_and_with_bom() -> None:
    assert decode_bytes(SENTENCE.encode("utf-8"), "a.txt") == SENTENCE
    assert decode_bytes(b"\xef\xbb\xbf" + SENTENCE.encode("utf-8"), "a.txt") == SENTENCE


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(codec: str) -> None:
    data = "\ufeff".encode(codec) + SENTENCE.encode(codec)
    assert decode_bytes(data, "a.txt") == SENTENCE


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom(codec: str) -> None:
    assert decode_bytes(SENTENCE.encode(codec), "a.txt") == SENTENCE


def test_crlf_becomes_lf() -> None:
    data = SENTENCE.replace("\n", "\r\n").encode("utf-8")
    assert decode_bytes(data, "a.txt") == SENTENCE


def test_nfd_input_comes_out_nfc() -> None:
    nfd = unicodedata.normalize("NFD", SENTENCE)
    assert nfd != SENTENCE
    assert decode_bytes(nfd.encode("utf-8"), "a.txt") == SENTENCE


def test_cp1258_with_combining_marks() -> None:
    data = to_cp1258(SENTENCE)
    assert b"VI\xca\xf2T" in data  # Ê then the combining dot below
    assert decode_bytes(data, "a.txt") == SENTENCE


def test_cp1258_published_bytes() -> None:
    # Windows-1258 code chart: 0xEA ê, 0xF2 combining dot below, 0xEC combining acute,
    # 0xD0 Đ, 0xFD ư, 0xF5 ơ, 0xCC combining grave.
    data = b"Vi\xea\xf2t Nam \xd0\xf4\xf2c l\xe2\xf2p, ng\xfd\xf5\xcci d\xe2n"
    assert decode_bytes(data, "a.txt") == "Việt Nam Độc lập, người dân"


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_legacy_round_trip(encoding: str) -> None:
    text = SENTENCE.replace("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Cộng hòa Việt Nam")
    data = encode_legacy(text, encoding)
    assert not data.isascii()
    assert decode_bytes(data, "a.txt") == text


def test_tcvn3_published_bytes() -> None:
    # The national motto in TCVN3, as every .VnTime document shows it in a Unicode font.
    data = "Céng hoµ x· héi chñ nghÜa ViÖt Nam\n§éc lËp - Tù do - H¹nh phóc\n".encode("cp1252")
    data += "Uû ban nh©n d©n tØnh B¸t X¸t, B¶o Th¾ng".encode("cp1252")
    assert decode_bytes(data, "a.txt") == (
        "Cộng hoà xã hội chủ nghĩa Việt Nam\nĐộc lập - Tự do - Hạnh phúc\n"
        "Uỷ ban nhân dân tỉnh Bát Xát, Bảo Thắng"
    )


def test_vni_published_bytes() -> None:
    data = "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam\nÑoäc laäp - Töï do - Haïnh phuùc\n"
    data += "UÛy ban nhaân daân. Xin chaøo caùc baïn"
    assert decode_bytes(data.encode("cp1252"), "a.txt") == (
        "Cộng hòa xã hội chủ nghĩa Việt Nam\nĐộc lập - Tự do - Hạnh phúc\n"
        "Ủy ban nhân dân. Xin chào các bạn"
    )


def test_tcvn3_capitals_written_with_combining_tone() -> None:
    # VN3 has no precomposed capitals like Ộ: base Ô (0xA4) + combining dot (0xB4).
    assert decode_bytes(b"C\xa4\xb4NG H\xa4\xb4I", "a.txt") == "CỘNG HỘI"


def test_tcvn3_vn1_capitals() -> None:
    # glibc's TCVN5712-1 (and a VN1 font) put capitals on codes VN3 leaves to Windows-1252
    # punctuation (0x97 "—" is Ộ) and to controls (0x16 is Ý).
    data = b"C\x97NG H\x92A X\x82 H\x97I CH\x9e NGH\x8fA VI\x8cT NAM\n"
    data += b"\x16 KI\xdaN C\x9eA S\x99 Y T\xda\n"
    # Where no syllable comes of it, a code is the punctuation Word wrote there.
    data += b"\x93T" + encode_legacy("ết", "tcvn3") + b"\x94 \x96 " + encode_legacy("nhà", "tcvn3")
    assert decode_bytes(data, "a.txt") == (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nÝ KIẾN CỦA SỞ Y TẾ\n“Tết” – nhà"
    )


def test_tcvn3_capitals_typed_in_the_capital_font() -> None:
    # VN3 has no toned capitals: its capital font (.VnTimeH) draws the small letter's code
    # as one, so "TỈNH" is stored as "T", "ỉ", "NH". A word, or a line, of capitals but for
    # such letters is capitals; "Số" and "Xã" in running text are not.
    text = "ủY BAN NHÂN DÂN\nTỉNH ĐồNG THáP\nSố: 06/CT-UBND\nCộNG HòA Xã HộI\nCHỉ THị\n"
    text += "Xã Long Khánh A, huyện Hồng Ngự; chỉ thị của Chủ tịch ủy ban nhân dân tỉnh"
    assert decode_bytes(encode_legacy(text, "tcvn3"), "a.txt") == (
        "ỦY BAN NHÂN DÂN\nTỈNH ĐỒNG THÁP\nSố: 06/CT-UBND\nCỘNG HÒA XÃ HỘI\nCHỈ THỊ\n"
        "Xã Long Khánh A, huyện Hồng Ngự; chỉ thị của Chủ tịch ủy ban nhân dân tỉnh"
    )


def test_tcvn3_headings_typed_in_small_letters_in_the_capital_font() -> None:
    # Typed as usual, in small letters, the capital font drew capitals; the text keeps the
    # small letters. When the national motto is such a line, every line (or cell) of small
    # letters only that opens with a letter was a heading; sentences and items stay.
    text = (
        "uỷ ban nhân dân\ntỉnh cà mau\n___\tcộng hoà xã hội chủ nghĩa việt nam\n"
        "Độc lập - Tự do - Hạnh phúc\nSố: 08/CT-UBND\n\nchỉ thị\nVề việc phòng, chống thiên tai\n"
        "a) tăng cường kiểm tra;\n- Lưu: VT.\tchủ tịch\nNguyễn Minh Luân"
    )
    assert decode_bytes(encode_legacy(text, "tcvn3"), "a.txt") == (
        "UỶ BAN NHÂN DÂN\nTỈNH CÀ MAU\n___\tCỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\nSố: 08/CT-UBND\n\nCHỈ THỊ\nVề việc phòng, chống thiên tai\n"
        "a) tăng cường kiểm tra;\n- Lưu: VT.\tCHỦ TỊCH\nNguyễn Minh Luân"
    )
    # Cells set apart by spaces are read one by one. A sentence wrapped over lines goes on
    # in small letters: no heading, however many lines it takes; a heading follows a
    # sentence's end, the motto or a date.
    wrapped = (
        "hội đồng nhân dân      cộng hoà xã hội chủ nghĩa việt nam\n"
        "  tỉnh cà mau          Độc lập - Tự do - Hạnh phúc\nnghị quyết\n"
        "1. Hỗ trợ chủ thể có sản phẩm OCOP lần đầu (hỗ\n"
        "trợ một lần cho mỗi sản phẩm), tối đa 15 triệu\nđồng/chủ thể.\nđiều 2\n"
        "Ký ngày 10/12/2025\nquyết nghị:"
    )
    assert decode_bytes(encode_legacy(wrapped, "tcvn3"), "a.txt") == (
        "HỘI ĐỒNG NHÂN DÂN      CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "  TỈNH CÀ MAU          Độc lập - Tự do - Hạnh phúc\nNGHỊ QUYẾT\n"
        "1. Hỗ trợ chủ thể có sản phẩm OCOP lần đầu (hỗ\n"
        "trợ một lần cho mỗi sản phẩm), tối đa 15 triệu\nđồng/chủ thể.\nĐIỀU 2\n"
        "Ký ngày 10/12/2025\nQUYẾT NGHỊ:"
    )
    # A title in the capital font beside the recipients: its cell is capitals again; a
    # name beside an abbreviation ("Sở NN&MT") is left as typed.
    beside = "hội đồng nhân dân\ncộng hoà xã hội chủ nghĩa việt nam\n"
    beside += "- Ban Tổ chức (b/c),      PHÓ Bí THƯ THƯỜNG TRỰC\n- Lưu.      Sở NN&MT"
    assert decode_bytes(encode_legacy(beside, "tcvn3"), "a.txt").endswith(
        "- Ban Tổ chức (b/c),      PHÓ BÍ THƯ THƯỜNG TRỰC\n- Lưu.      Sở NN&MT"
    )
    # A clause after a semicolon goes on in small letters on the next line: no heading.
    clause = "hội đồng nhân dân\ncộng hoà xã hội chủ nghĩa việt nam\nd) Bố trí kinh phí;\n"
    clause += "đơn giá tham khảo là 16.800 đồng/kg."
    assert decode_bytes(encode_legacy(clause, "tcvn3"), "a.txt").endswith(
        "d) Bố trí kinh phí;\nđơn giá tham khảo là 16.800 đồng/kg."
    )
    # Without the motto in small letters, nothing says the font was a capital one.
    plain = "chỉ thị này có hiệu lực\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert decode_bytes(encode_legacy(plain, "tcvn3"), "a.txt") == plain


def test_mojibake_in_utf8_file_is_repaired() -> None:
    tcvn = "Uû ban nh©n d©n tØnh Cµ Mau\nSè: 12/KH-UBND\nKÕ ho¹ch thùc hiÖn n¨m 2025"
    assert decode_bytes(tcvn.encode("utf-8"), "a.txt") == (
        "Uỷ ban nhân dân tỉnh Cà Mau\nSố: 12/KH-UBND\nKế hoạch thực hiện năm 2025"
    )
    vni = "UÛy ban nhaân daân tænh Caø Mau\nSoá: 12/KH-UBND"
    assert (
        decode_bytes(vni.encode("utf-8"), "a.txt") == "Ủy ban nhân dân tỉnh Cà Mau\nSố: 12/KH-UBND"
    )


def test_double_utf8_is_repaired() -> None:
    text = "Cộng hòa xã hội chủ nghĩa Việt Nam, nhiệm vụ năm 2025"
    # Each UTF-8 byte shown as its Windows-1252 character (Latin-1 where 1252 has none).
    garbled = "".join(
        bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in text.encode("utf-8")
    )
    assert "á»" in garbled
    assert repair_mojibake(garbled) == text


def test_mixed_file_repairs_only_broken_lines() -> None:
    text = "Kế hoạch số 12 của Ủy ban nhân dân tỉnh\nGhi chó: c¸c ®¬n vÞ b¸o c¸o\n"
    assert repair_mojibake(text) == (
        "Kế hoạch số 12 của Ủy ban nhân dân tỉnh\nGhi chú: các đơn vị báo cáo\n"
    )


@pytest.mark.parametrize(
    "text",
    [
        "Tôi là ai, và đây là đâu? Bản quyền © 2024",
        "Café au lait, crème brûlée — déjà vu",
        "Plain English text without any accents at all.",
        "Nhiệt độ 25°C, ± 2%",
    ],
)
def test_proper_text_is_left_alone(text: str) -> None:
    assert repair_mojibake(text) == text
    assert decode_bytes(text.encode("utf-8"), "a.txt") == text


def test_syllables() -> None:
    for word in ["nghiêng", "khuyến", "người", "quyết", "giữ", "Đường", "thuở", "oẳn", "ỵ"]:
        assert is_syllable(word), word
    for word in ["caùc", "nh©n", "Vieät", "tØnh", "hoÄi", "aêa"]:
        assert not is_syllable(word), word


def test_empty_and_blank() -> None:
    for data in [b"", b"   \n\t \r\n", b"\xef\xbb\xbf", b"\xff\xfe"]:
        with pytest.raises(DocumentError) as err:
            decode_bytes(data, "rong.txt")
        assert err.value.problem == "tệp rỗng, không có nội dung"


@pytest.mark.parametrize(
    "data",
    [
        random.Random(7).randbytes(5000),
        b"\x89PNG\r\n\x1a\n" + random.Random(8).randbytes(3000),
        bytes(b | 0x80 for b in random.Random(9).randbytes(3000)),
        b"PK\x03\x04" + b"\x14\x00\x06\x00" * 400,
    ],
)
def test_binary_junk_is_refused(data: bytes) -> None:
    with pytest.raises(DocumentError, match="không phải tệp văn bản"):
        decode_bytes(data, "rac.txt")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=3000))
def test_any_bytes_give_nfc_or_document_error(data: bytes) -> None:
    try:
        text = decode_bytes(data, "x.txt")
    except DocumentError:
        return
    assert isinstance(text, str) and text.strip()
    assert unicodedata.is_normalized("NFC", text)


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from("aăâeêioôơuưyđAĂÂEÊIOÔƠUƯYĐnghtc \u0300\u0301\u0303\u0309\u0323\n")
    )
)
def test_vietnamese_like_text_stays_nfc(text: str) -> None:
    for codec in ("utf-8", "utf-16"):
        try:
            out = decode_bytes(text.encode(codec), "x.txt")
        except DocumentError:
            continue
        assert unicodedata.is_normalized("NFC", out)


@pytest.mark.parametrize("errors", ["replace", "ignore"])
def test_double_utf8_with_lost_bytes_is_repaired(errors: str) -> None:
    # Windows-1252 has no character for 0x81, 0x8D, 0x8F, 0x90 and 0x9D: a reader writes
    # U+FFFD for each, or drops it. Here they stand for Đ, ề, ờ, ọ, ỏ, Ố, Á, Í and "”".
    text = (
        "QUYẾT ĐỊNH SỐ 12/QĐ-UBND\nKÍNH GỬI CÁC SỞ\n"
        "Điều 1. Người dân về học nghề trong thời gian tới, “hỗ trợ doanh nghiệp nhỏ”."
    )
    garbled = text.encode("utf-8").decode("cp1252", errors=errors)
    assert "Ä" in garbled
    assert repair_mojibake(garbled) == text
    assert decode_bytes(garbled.encode("utf-8"), "a.txt") == text
