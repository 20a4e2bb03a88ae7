"""Encoding on a local Ray cluster: passages/s with 1 and 2 encoder actors, and whether a
Ray ingest gives the passages (and vectors) of a plain ingest.

    python scripts/bench_ray.py --corpus corpus --plain index --workers 1 2 [--cpus 2]

``--plain`` is an index built from the same corpus by a plain ingest (a folder or URI).
Each run ingests from scratch into a temporary Milvus Lite file (or ``--into folder``).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from search.index.encoder import load_encoder  # noqa: E402
from search.index.ingest import build  # noqa: E402
from search.index.ray_ingest import RayOptions  # noqa: E402
from search.index.stores import open_store  # noqa: E402


def passages(location) -> tuple[list, np.ndarray]:
    """Every passage in document order, and their vectors (from the records' ids)."""
    store = open_store(location)
    chunks = [c for doc in sorted(store.metas) for c in store.document_chunks(doc)]
    return chunks, np.stack(vectors(store, [c.id for c in chunks]))


def vectors(store, ids: list[str]) -> list[np.ndarray]:
    if store.kind == "milvus":
        rows = store.db.query(store.collection, store.live, ["chunk_id", "dense"])
        by_id = {r["chunk_id"]: np.asarray(r["dense"], dtype=np.float32) for r in rows}
    else:
        by_id = {}
        for seg in store.segments:
            for row, record in seg.stream():
                by_id[record["id"]] = seg.dense.vectors(np.array([row]))[0]
    return [by_id[i] for i in ids]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default="corpus")
    ap.add_argument("--plain", help="a plain ingest of the same corpus, to compare with")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--cpus", type=int, default=None, help="CPUs of the local cluster")
    ap.add_argument("--into", choices=["milvus", "folder"], default="milvus")
    ap.add_argument("--model", default=None)
    a = ap.parse_args()
    encoder = load_encoder(a.model)
    plain = (
        passages(a.plain if a.plain.startswith("milvus://") else Path(a.plain)) if a.plain else None
    )
    tmp = Path(tempfile.mkdtemp(prefix="tracuu-ray-"))
    for n in a.workers:
        target = f"milvus://{tmp}/w{n}.db" if a.into == "milvus" else tmp / f"w{n}"
        report = build(Path(a.corpus), target, encoder, ray=RayOptions(workers=n, cpus=a.cpus))
        out = {
            "workers": n,
            "passages": report.embedded_chunks,
            "encode_seconds": round(report.encode_seconds, 1),
            "passages_per_s": round(report.embedded_chunks / report.encode_seconds, 2),
            "ingest_seconds": round(report.seconds, 1),
        }
        if plain is not None:
            chunks, vecs = passages(target)
            cos = np.sum(vecs * plain[1], axis=1)
            out.update(same_passages=chunks == plain[0], min_cosine=round(float(cos.min()), 6))
        print(json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
