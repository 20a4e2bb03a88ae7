import unicodedata

from search.text.normalize import clean_line, fold, modern_tones, strip_markup


def test_fold_removes_diacritics_and_maps_d():
    assert fold("Hòn Khoai tiến độ") == "Hon Khoai tien do"
    assert fold("Đất Mũi, đường") == "Dat Mui, duong"


def test_fold_reads_decomposed_text_and_other_scripts_character_by_character():
    decomposed = unicodedata.normalize("NFD", "Hòn Khoai tiến độ")
    assert fold(decomposed) == "Hon Khoai tien do"
    assert fold("x\u0301") == "x"  # a lone combining mark goes
    assert fold("Ñandú – “ĐẮK LẮK”") == "Nandu – “DAK LAK”"


def test_fold_writes_raised_and_lowered_digits_as_users_type_them():
    assert fold("4.000 m³/ngày đêm, 12 m², CO₂") == "4.000 m3/ngay dem, 12 m2, CO2"
    assert fold("½") == "½"  # a fraction is not a digit


def test_modern_tones_moves_old_style_marks():
    assert modern_tones("hoà bình") == "hòa bình"
    assert modern_tones("Uỷ ban") == "Ủy ban"
    assert modern_tones("thuỷ lợi, khoẻ") == "thủy lợi, khỏe"


def test_modern_tones_leaves_a_mark_under_a_vowel_with_its_own_mark():
    # In NFD the dot below of "ặ", "ậ", "ệ" comes before the breve or circumflex.
    text = "hoặc Luật thuận, tinh nhuệ; hoà hợp"
    assert modern_tones(text) == "hoặc Luật thuận, tinh nhuệ; hòa hợp"
    assert modern_tones(unicodedata.normalize("NFD", text)) == modern_tones(text)


def test_modern_tones_keeps_qu_and_inner_syllables():
    assert modern_tones("quý") == "quý"
    assert modern_tones("hoàng toán") == "hoàng toán"


def test_clean_line_strips_markup_footnotes_and_spaces():
    assert clean_line("**Thứ nhất**, tăng     [1]  trưởng") == "Thứ nhất, tăng trưởng"
    assert (
        clean_line("Luật Lâm nghiệp năm 2017[1]; của tỉnh [3].")
        == "Luật Lâm nghiệp năm 2017; của tỉnh."
    )
    assert clean_line("<ul><li>a</li><li>b</li></ul>") == "a b"
    assert clean_line("gạch\u00admềm\u00a0x") == "gạchmềm x"


def test_a_raised_number_on_a_word_is_a_footnote_mark_not_a_units_power():
    assert clean_line("Thống kê tỉnh báo cáo¹ và ý kiến") == "Thống kê tỉnh báo cáo và ý kiến"
    assert clean_line("theo Kế hoạch²³, các sở") == "theo Kế hoạch, các sở"
    units = "diện tích 500 m², 3 km² và 12 m³ nước"
    assert clean_line(units) == units
    assert clean_line("gấp 10⁶ lần") == "gấp 10⁶ lần"


def test_clean_line_composes_nfd():
    nfd = unicodedata.normalize("NFD", "Cà Mau")
    assert clean_line(nfd) == "Cà Mau"
    assert unicodedata.is_normalized("NFC", clean_line(nfd))


def test_strip_markup_keeps_literal_tags_and_entities_as_text():
    assert strip_markup("a <script>x</script> &lt;b&gt;") == "a <script>x</script> &lt;b&gt;"
    assert strip_markup('<ul style="list-style-type: none"> - Biện pháp') == "  - Biện pháp"
    # The no-break space a web page fills empty cells with is markup: a space.
    assert strip_markup("&nbsp;") == " " and strip_markup("a&#160;b&NBSP;") == "a b "
