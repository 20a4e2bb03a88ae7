import numpy as np
import pytest

from search.query.fusion import FusionSettings, fuse, minmax, rrf, top_candidates, weighted_sum


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
    assert fuse(d, l_, FusionSettings(dense_weight=0.7, lexical_weight=0.3)).argmax() == 0
    assert fuse(d, l_, FusionSettings(dense_weight=0.2, lexical_weight=0.8)).argmax() == 1
    with pytest.raises(ValueError, match="rrf"):
        fuse(d, l_, FusionSettings(method="magic"))


def test_top_candidates_union_and_mask():
    a = np.array([5.0, 4.0, 0.0, 0.0])
    b = np.array([0.0, 0.0, 1.0, 9.0])
    assert top_candidates([a, b], 1).tolist() == [0, 3]
    mask = np.array([False, True, True, False])
    assert top_candidates([a, b], 1, mask).tolist() == [1, 2]
