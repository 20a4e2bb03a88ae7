"""FAISS per segment: exact for small segments, IVF with a calibrated nprobe for large ones."""

import faiss
import numpy as np
import pytest

from search.index import dense


def _vectors(n: int, d: int = 32, seed: int = 0) -> np.ndarray:
    """Unit vectors in clusters, as passages of a few topics are."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(40, d))
    v = centres[rng.integers(0, 40, size=n)] + 0.6 * rng.normal(size=(n, d))
    v = v.astype(np.float32)
    faiss.normalize_L2(v)
    return v


@pytest.fixture(scope="module")
def ivf(tmp_path_factory):
    vectors = _vectors(4000)
    built = dense.build(vectors, ivf_min_rows=1000)
    path = tmp_path_factory.mktemp("dense") / "dense.faiss"
    dense.save(built, path)
    return vectors, built, dense.load(path, built.nprobe)


def test_small_segment_is_exact_and_large_one_ivf(ivf):
    vectors, built, loaded = ivf
    small = dense.build(vectors[:500], ivf_min_rows=1000)
    assert small.exact and small.n == 500
    assert not built.exact and 0 < built.nprobe <= faiss.extract_index_ivf(built.index).nlist
    assert loaded.nprobe == built.nprobe and loaded.n == 4000
    # Mapped from the file, searched without starting prefetch threads per search.
    lists = faiss.downcast_InvertedLists(faiss.extract_index_ivf(loaded.index).invlists)
    assert isinstance(lists, faiss.OnDiskInvertedLists) and lists.prefetch_nthread == 0


def test_calibration_picks_about_the_fewest_lists_that_reach_the_target(monkeypatch):
    vectors = _vectors(4000)
    tried: dict[int, int] = {}
    search = faiss.IndexIVFFlat.search

    def spy(self, x, k, *args, **kwargs):
        out = search(self, x, k, *args, **kwargs)
        if len(x) > 1:  # the calibration's probes, not a single query
            tried[self.nprobe] = len(x)
        return out

    monkeypatch.setattr(faiss.IndexIVFFlat, "search", spy)
    built = dense.build(vectors, ivf_min_rows=1000)
    # Past the first doubling that reached the target, the gap below it was narrowed: the
    # choice is the smallest tried that reached it, and the largest tried below it failed.
    below = [p for p in tried if p < built.nprobe]
    assert built.nprobe in tried and below
    assert built.nprobe - max(below) <= max(1, max(below) // 8)


def test_ivf_recall_against_exact_search(ivf):
    vectors, _, loaded = ivf
    queries = _vectors(100, seed=1)
    _, truth = faiss.knn(queries, vectors, 10, metric=faiss.METRIC_INNER_PRODUCT)
    recall = np.mean(
        [len(set(loaded.search(q, 10)[0]) & set(t)) / 10 for q, t in zip(queries, truth)]
    )
    assert recall >= 0.95


def test_filters_and_stored_vectors(ivf):
    vectors, _, loaded = ivf
    q = _vectors(1, seed=2)[0]
    narrow = np.zeros(4000, dtype=bool)
    narrow[[7, 1234, 3999]] = True  # one document's rows: every list is probed
    rows, scores = loaded.search(q, 10, narrow)
    assert sorted(rows.tolist()) == [7, 1234, 3999]
    assert scores == pytest.approx(vectors[rows] @ q, abs=1e-5)
    half = np.arange(4000) % 2 == 0
    rows, _ = loaded.search(q, 10, half)
    assert len(rows) == 10 and half[rows].all()
    picked = np.array([0, 17, 3998])
    assert np.allclose(loaded.vectors(picked), vectors[picked])
    assert np.allclose(loaded.scores(q, picked), vectors[picked] @ q, atol=1e-5)
    assert np.allclose(loaded.all_vectors(), vectors)  # what a merge reads back
