"""The dense index of one segment: FAISS over L2-normalised vectors, inner product.

Small segments are searched exactly (``IndexFlatIP``). From ``IVF_MIN_ROWS`` rows on, a
segment gets an inverted-file index (``IVF<nlist>,Flat``: exact vectors in lists, so the
only approximation is which lists are probed), and the number of lists probed is chosen
when the segment is built: the smallest ``nprobe`` whose recall@10 against exact search
reaches ``TARGET_RECALL`` on probe queries made from the segment's own vectors. A query
vector sits much further from the passages than passages sit from their near-copies (the
top passage of a real query is at cosine ~0.89), so a probe is a sampled vector moved to
cosine ~0.65 of it by noise: probes that stay near their source find their neighbours in
the first lists and under-probe (on a 100k-passage archive, nprobe 4 and recall@10 0.86
for real queries, against 0.996 at the nprobe these probes choose).

The index file is the one copy of the vectors: it is memory-mapped when loaded, and
vectors are read back from it (reuse on re-ingest, merges) rather than kept twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

IVF_MIN_ROWS = 20_000
TARGET_RECALL = 0.995
_CALIBRATION_QUERIES = 300
_PROBE_COSINE = 0.65  # how far noise moves a probe from the vector it was made from
_SEED = 1234


@dataclass
class DenseIndex:
    index: faiss.Index
    nprobe: int = 0  # 0: exact (flat)

    @property
    def n(self) -> int:
        return int(self.index.ntotal)

    @property
    def exact(self) -> bool:
        return self.nprobe == 0

    def search(
        self, qv: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(rows, scores) of the ``k`` nearest rows, restricted to ``allowed`` (a bool mask)."""
        k = min(k, self.n)
        if k <= 0:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        params = self._params(allowed)
        scores, rows = self.index.search(qv.reshape(1, -1).astype(np.float32), k, params=params)
        keep = rows[0] >= 0
        return rows[0][keep], scores[0][keep]

    def scores(self, qv: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Inner products of ``qv`` with the given rows."""
        if not len(rows):
            return np.zeros(0, np.float32)
        return self.vectors(rows) @ qv.astype(np.float32)

    def vectors(self, rows: np.ndarray) -> np.ndarray:
        """The stored vectors of ``rows``."""
        rows = np.asarray(rows, dtype=np.int64)
        if self.exact:
            return _flat_codes(self.index)[rows]
        out = np.empty((len(rows), self.index.d), dtype=np.float32)
        for i, r in enumerate(rows):
            out[i] = self.index.reconstruct(int(r))
        return out

    def all_vectors(self) -> np.ndarray:
        """Every vector, in row order (for merges)."""
        if self.exact:
            return np.array(_flat_codes(self.index))
        ivf = faiss.extract_index_ivf(self.index)
        out = np.empty((self.n, self.index.d), dtype=np.float32)
        lists = ivf.invlists
        for lst in range(ivf.nlist):
            size = lists.list_size(lst)
            if not size:
                continue
            ids = faiss.rev_swig_ptr(lists.get_ids(lst), size).copy()
            codes = faiss.rev_swig_ptr(lists.get_codes(lst), size * ivf.code_size)
            out[ids] = np.frombuffer(codes, dtype=np.float32).reshape(size, -1)
        return out

    def _params(self, allowed: np.ndarray | None):
        sel, bitmap, share = None, None, 1.0
        if allowed is not None:
            bitmap = _bitmap(allowed)  # the selector reads this memory: keep it referenced
            sel = faiss.IDSelectorBitmap(len(allowed), faiss.swig_ptr(bitmap))
            share = float(allowed.mean()) if len(allowed) else 0.0
        if self.exact:
            if sel is None:
                return None
            params = faiss.SearchParameters(sel=sel)
            params.tracuu_keep = bitmap
            return params
        ivf = faiss.extract_index_ivf(self.index)
        # A narrow filter (one document, one year) may live in lists nobody probes: scan
        # them all then; the selector skips every other row before computing a distance.
        nprobe = ivf.nlist if share < 0.05 else self.nprobe
        if sel is None:
            return faiss.SearchParametersIVF(nprobe=nprobe)
        params = faiss.SearchParametersIVF(nprobe=nprobe, sel=sel)
        params.tracuu_keep = bitmap
        return params


def _bitmap(mask: np.ndarray) -> np.ndarray:
    return np.packbits(np.asarray(mask, dtype=bool), bitorder="little")


def _flat_codes(index: faiss.Index) -> np.ndarray:
    flat = faiss.downcast_index(index)
    codes = faiss.rev_swig_ptr(flat.get_xb(), flat.ntotal * flat.d)
    return np.frombuffer(codes, dtype=np.float32).reshape(flat.ntotal, flat.d)


def build(vectors: np.ndarray, *, ivf_min_rows: int = IVF_MIN_ROWS) -> DenseIndex:
    """A flat index for a small segment, an IVF index with calibrated ``nprobe`` otherwise."""
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    n, d = vectors.shape
    if n < ivf_min_rows:
        flat = faiss.IndexFlatIP(d)
        if n:
            flat.add(vectors)
        return DenseIndex(flat, 0)
    nlist = int(2 * np.sqrt(n))
    quantizer = faiss.IndexFlatIP(d)
    ivf = faiss.IndexIVFFlat(quantizer, d, nlist, faiss.METRIC_INNER_PRODUCT)
    rng = np.random.default_rng(_SEED)
    train = vectors[rng.choice(n, size=min(n, 40 * nlist), replace=False)]
    ivf.train(train)
    ivf.add(vectors)
    ivf.nprobe = _calibrate(ivf, vectors, rng)
    return DenseIndex(ivf, int(ivf.nprobe))


def _calibrate(ivf: faiss.IndexIVF, vectors: np.ndarray, rng: np.random.Generator) -> int:
    """The smallest nprobe reaching TARGET_RECALL@10 on probes made from sampled rows (see
    the module docstring): doubling from 4 to the first that reaches it, then halving the
    gap below it, since a search's time grows with the lists it scans."""
    n, d = vectors.shape
    picks = rng.choice(n, size=min(n, _CALIBRATION_QUERIES), replace=False)
    sigma = np.sqrt((1 / _PROBE_COSINE**2 - 1) / d)  # noise of norm tan(arccos(cosine))
    queries = vectors[picks] + rng.normal(0, sigma, size=(len(picks), d)).astype(np.float32)
    faiss.normalize_L2(queries)
    _, truth = faiss.knn(queries, vectors, 10, metric=faiss.METRIC_INNER_PRODUCT)

    def reaches(nprobe: int) -> bool:
        ivf.nprobe = nprobe
        _, got = ivf.search(queries, 10)
        recall = np.mean([len(set(g) & set(t)) / 10 for g, t in zip(got, truth, strict=True)])
        return recall >= TARGET_RECALL

    low, high = 0, 4  # low fails (0: nothing probed), high is to be tried
    while high < ivf.nlist and not reaches(high):
        low, high = high, high * 2
    high = min(high, ivf.nlist)
    while high - low > max(1, low // 8):  # within an eighth of the smallest: close enough
        mid = (low + high) // 2
        low, high = (low, mid) if reaches(mid) else (mid, high)
    return high


def save(dense: DenseIndex, path: Path) -> None:
    faiss.write_index(dense.index, str(path))


def load(path: Path, nprobe: int) -> DenseIndex:
    """Memory-mapped: pages of the vectors are read as searches touch them."""
    flags = faiss.IO_FLAG_READ_ONLY | (faiss.IO_FLAG_MMAP if nprobe else faiss.IO_FLAG_MMAP_IFC)
    index = faiss.read_index(str(path), flags)
    if nprobe:
        ivf = faiss.extract_index_ivf(index)
        ivf.nprobe = nprobe
        lists = faiss.downcast_InvertedLists(ivf.invlists)
        if isinstance(lists, faiss.OnDiskInvertedLists):
            # Mapped lists are "prefetched" by 32 threads started for every search: 2.6 ms
            # of a 3.3 ms search of 100k rows. The page cache does that job already.
            lists.prefetch_nthread = 0
        # Where each row sits in the lists, so its vector can be read back (the dense score
        # of a lexical-only candidate): made here, once (~30 ms per 100k rows), not by the
        # first queries, which would also make it side by side on the UI's threads.
        ivf.make_direct_map()
    return DenseIndex(index, nprobe)
