import numpy as np
import pytest

from search.errors import SettingsError
from search.query.fusion import fuse, minmax, rrf, weighted_sum
from search.settings import RankingSettings


def test_minmax_by_hand():
    assert minmax(np.array([2.0, 4.0, 3.0])).tolist() == [0.0, 1.0, 0.5]
    assert minmax(np.array([5.0, 5.0])).tolist() == [0.0, 0.0]


def test_weighted_sum_by_hand():
    dense = np.array([0.9, 0.7, 0.8])  # → 1, 0, 0.5
    lexical = np.array([0.0, 10.0, 5.0])  # → 0, 1, 0.5
    out = weighted_sum([dense, lexical], [0.7, 0.3])
    assert out.tolist() == pytest.approx([0.7, 0.3, 0.5])


def test_rrf_by_hand():
    a = np.array([3.0, 2.0, 1.0])  # ranks 1 2 3
    b = np.array([1.0, 3.0, 2.0])  # ranks 3 1 2
    out = rrf([a, b], k=60)
    assert out.tolist() == pytest.approx([1 / 61 + 1 / 63, 1 / 62 + 1 / 61, 1 / 63 + 1 / 62])


def test_fuse_dispatch_and_bad_method():
    d, l_ = np.array([1.0, 0.0]), np.array([0.0, 1.0])
    assert fuse(d, l_, RankingSettings(dense_weight=0.7, lexical_weight=0.3)).argmax() == 0
    assert fuse(d, l_, RankingSettings(dense_weight=0.2, lexical_weight=0.8)).argmax() == 1
    with pytest.raises(ValueError, match="rrf"):
        fuse(d, l_, RankingSettings(method="magic"))


def test_settings_from_file_and_environment(tmp_path):
    path = tmp_path / "ranking.json"
    path.write_text('{"dense_weight": 0.7, "lexical_weight": 0.3}', encoding="utf-8")
    env = {"TRACUU_SETTINGS": str(path), "TRACUU_RANK_CANDIDATES": "50"}
    s = RankingSettings.load(env)
    assert (s.dense_weight, s.lexical_weight, s.candidates) == (0.7, 0.3, 50)
    assert RankingSettings.load({}) == RankingSettings()
    assert (
        RankingSettings.load({"TRACUU_RANK_RESTORE_DIACRITICS": "false"}).restore_diacritics
        is False
    )


def test_settings_refuse_unknown_names_and_bad_values(tmp_path):
    path = tmp_path / "ranking.json"
    path.write_text('{"dense_wieght": 0.7}', encoding="utf-8")
    with pytest.raises(SettingsError, match="dense_weight"):  # the valid names are listed
        RankingSettings.load({"TRACUU_SETTINGS": str(path)})
    with pytest.raises(SettingsError, match="candidates"):
        RankingSettings.load({"TRACUU_RANK_CANDIDATES": "nhiều"})


def test_a_footnote_gives_way_to_the_provision_it_annotates(fixture_index):
    """Footnote [1] ("... diện tích đất lâm nghiệp ven biển là 71.540 ha") is short and
    holds every word of the query; it loses ``footnote_weight`` against the target it
    annotates, which comes first once that outweighs the footnote's lead."""
    from fakes import HashingEncoder

    from search import Searcher

    s = Searcher(fixture_index, encoder=HashingEncoder())
    query = "diện tích đất lâm nghiệp ven biển"

    def ranked(weight: float) -> list[tuple[tuple[str, ...], float]]:
        hits = s.search(query, k=3, settings=RankingSettings(footnote_weight=weight))
        return [(h.chunk.section, h.score) for h in hits]

    plain, noted = ranked(0.0), ranked(0.05)
    assert plain[0][0] == noted[0][0] == ("Chú thích 1",)
    assert noted[0][1] == pytest.approx(plain[0][1] - 0.05)
    assert [section for section, _ in ranked(0.2)][:2] == [("II",), ("Chú thích 1",)]


def test_a_passage_of_another_stage_gives_way_to_the_stage_asked(tmp_path, encoder):
    """ "đợt 2" asked: the passage reporting "đợt 1" loses ``phase_weight``; the one of
    "đợt 2", and one naming no stage, keep their scores."""
    from conftest import build

    from search import Searcher

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "bao_cao.txt").write_text(
        "BÁO CÁO\nKết quả phòng, chống sốt xuất huyết\n"
        "I. KẾT QUẢ\n1. Chiến dịch diệt lăng quăng đợt 1 từ ngày 06/4/2026 đến ngày "
        "30/4/2026 tại 64 xã, phường.\n"
        "2. Giám sát véc tơ hằng tháng tại 12 điểm, chiến dịch diệt lăng quăng duy trì.\n"
        "II. NHIỆM VỤ\n1. Tổ chức Chiến dịch diệt lăng quăng đợt 2 từ ngày 15/7/2026.\n",
        encoding="utf-8",
    )
    assert not build(corpus, tmp_path / "index", encoder).failed
    s = Searcher(tmp_path / "index", encoder=encoder)

    def ranked(weight: float) -> dict[str, tuple[str, float]]:
        hits = s.search("chiến dịch diệt lăng quăng đợt 2 từ ngày nào", k=5,
                        settings=RankingSettings(phase_weight=weight))  # fmt: skip
        return {h.chunk.id: (h.chunk.text, h.score) for h in hits}

    plain, staged = ranked(0.0), ranked(0.2)
    assert plain.keys() == staged.keys()
    texts = [text for text, _ in plain.values()]
    assert sum("đợt 1" in t for t in texts) == sum("đợt 2" in t for t in texts) == 1
    assert any("đợt" not in t for t in texts)
    for key, (text, score) in plain.items():
        assert staged[key][1] == pytest.approx(score - (0.2 if "đợt 1" in text else 0.0))
