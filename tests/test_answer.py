from search import HashingEncoder, Searcher


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
    r = s.ask("bao giờ xong khảo sát hiện trạng rác thải nhựa", k=3)
    assert not r.no_answer
