"""Encoder speed per backend: passages/s on a corpus as ingest sends them, and query latency.

Ingest runs once with a recording stand-in encoder, so the passages and their batches are
exactly those a real ingest encodes; each backend then encodes the same batches. Rows: torch
(its default threads, then 1 and 2), ONNX Runtime fp32 and int8 at 1 and 2 threads, and the
same passages batched in alphabetical order (how ingest batched them before) to show what
batching by length gains. The ONNX rows also report their cosine to torch on every passage.

    python scripts/bench_encoder.py [--corpus corpus] [--limit N] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from search import build_index  # noqa: E402
from search.index.e5_build import ensure_default_model  # noqa: E402
from search.index.encoder import SentenceTransformerEncoder  # noqa: E402
from search.index.onnx_encoder import OnnxEncoder  # noqa: E402
from search.index.onnx_export import ensure_onnx_model  # noqa: E402

QUERY = "Hòn Khoai tiến độ"


class Recorder:
    """Stands in for the model during one ingest and keeps the batches it was sent."""

    name = "py:bench-recorder"
    dim = 8

    def __init__(self) -> None:
        self.batches: list[list[str]] = []

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return np.full((len(texts), self.dim), self.dim**-0.5, dtype=np.float32)

    def encode_documents(self, texts: list[str], *, progress: bool = False) -> np.ndarray:
        self.batches.append(list(texts))
        return self.encode_queries(texts)


def ingest_batches(corpus: Path) -> list[list[str]]:
    recorder = Recorder()
    with tempfile.TemporaryDirectory() as tmp:
        build_index(corpus, Path(tmp) / "index", recorder)
    return recorder.batches


def limit_batches(batches: list[list[str]], limit: int | None) -> list[list[str]]:
    """Every n-th passage, so that a quick run keeps the mix of short and long ones."""
    texts = [t for b in batches for t in b]
    if not limit or limit >= len(texts):
        return batches
    size = max(len(b) for b in batches)
    step = len(texts) / limit
    kept = [texts[int(i * step)] for i in range(limit)]
    return [kept[i : i + size] for i in range(0, len(kept), size)]


def time_encoder(encoder, batches: list[list[str]]) -> tuple[float, np.ndarray, float]:
    """(passages/s, vectors in batch order, query p50 ms)."""
    encoder.encode_documents(batches[0][:4])  # warm up: first-call allocations
    t = time.perf_counter()
    vectors = np.concatenate([encoder.encode_documents(b) for b in batches])
    rate = len(vectors) / (time.perf_counter() - t)
    encoder.encode_queries([QUERY])
    times = []
    for _ in range(30):
        t = time.perf_counter()
        encoder.encode_queries([QUERY])
        times.append((time.perf_counter() - t) * 1000)
    return rate, vectors, statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(ROOT / "corpus"))
    ap.add_argument("--limit", type=int, help="encode only the first N passages")
    ap.add_argument("--json", help="also write the results to this file")
    a = ap.parse_args()

    import torch

    batches = limit_batches(ingest_batches(Path(a.corpus)), a.limit)
    texts = [t for b in batches for t in b]
    alphabetical = [sorted(texts)[i : i + 64] for i in range(0, len(texts), 64)]
    model_dir = ensure_default_model()
    export = ensure_onnx_model(model_dir)
    default_threads = torch.get_num_threads()
    print(
        f"{len(texts)} passages in {len(batches)} batches from {a.corpus}; "
        f"torch default threads {default_threads}; ONNX export {export.folder} "
        f"(chosen: {export.chosen})",
        flush=True,
    )
    torch_enc = SentenceTransformerEncoder(str(model_dir))
    rows: list[dict] = []
    ref = None

    def record(backend: str, threads: int, batching: str, encoder, runs=batches) -> None:
        nonlocal ref
        rate, vectors, q50 = time_encoder(encoder, runs)
        row = {
            "backend": backend,
            "threads": threads,
            "batching": batching,
            "passages_per_s": round(rate, 2),
            "query_ms_p50": round(q50, 2),
        }
        if backend == "torch" and batching == "ingest" and ref is None:
            ref = vectors
        elif backend != "torch" and batching == "ingest" and ref is not None:
            cos = np.sum(vectors * ref, axis=1)
            row |= {"cos_mean": round(float(cos.mean()), 5), "cos_min": round(float(cos.min()), 5)}
        rows.append(row)
        extra = (
            f"  cos {row['cos_mean']:.5f} / min {row['cos_min']:.5f}" if "cos_mean" in row else ""
        )
        print(
            f"{backend:<10}{threads:>3} thr  {batching:<13}{rate:>8.1f} passages/s"
            f"{q50:>8.1f} ms/query{extra}",
            flush=True,
        )

    record("torch", default_threads, "ingest", torch_enc)
    record("torch", default_threads, "alphabetical", torch_enc, alphabetical)
    for n in (1, 2):
        torch.set_num_threads(n)
        record("torch", n, "ingest", torch_enc)
    torch.set_num_threads(default_threads)
    for variant in ("fp32", "int8"):
        for n in (1, 2):
            enc = OnnxEncoder(torch_enc.name, model_dir, export.path(variant), num_threads=n)
            record(f"onnx-{variant}", n, "ingest", enc)
    enc = OnnxEncoder(torch_enc.name, model_dir, export.path(export.chosen), num_threads=2)
    record(f"onnx-{export.chosen or 'fp32'}", 2, "alphabetical", enc, alphabetical)

    base = rows[0]["passages_per_s"]
    print("\nspeed-up over torch (default threads, ingest batching):")
    for r in rows[1:]:
        print(
            f"  {r['backend']:<10}{r['threads']:>3} thr  {r['batching']:<13}"
            f"{r['passages_per_s'] / base:>6.2f}x"
        )
    result = {
        "passages": len(texts),
        "torch_default_threads": default_threads,
        "export": {"chosen": export.chosen, "validation": export.validation},
        "rows": rows,
    }
    print(json.dumps(result, ensure_ascii=False))
    if a.json:
        Path(a.json).write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
