"""Speed and memory, printed as numbers: `make bench`.

Measures a full build of a corpus into a scratch index, a one-file incremental update,
loading the index and model, and warm query latency (p50/p95) with peak memory.

    python scripts/benchmark.py [--corpus corpus] [--queries ../shared/eval/queries.jsonl]
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import bench_contention  # noqa: E402

from search import Searcher, build_index, load_encoder  # noqa: E402


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=str(ROOT / "corpus"))
    ap.add_argument("--index", help="unused; the benchmark builds its own scratch index")
    ap.add_argument("--queries", default=str(ROOT.parent / "shared/eval/queries.jsonl"))
    ap.add_argument("--model", default=None)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument(
        "--no-during-ingest",
        action="store_true",
        help="skip searching during a rebuild (scripts/bench_contention.py, a few minutes)",
    )
    a = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        shutil.copytree(a.corpus, corpus)
        index = Path(tmp) / "index"
        t = time.perf_counter()
        encoder = load_encoder(a.model)
        print(f"model load: {time.perf_counter() - t:.2f} s ({encoder.name}, dim {encoder.dim})")

        report = build_index(corpus, index, encoder)
        print(
            f"full build: {report.seconds:.1f} s for {report.total_chunks} chunks "
            f"({report.total_chunks / max(report.seconds, 1e-9):.1f} chunks/s)"
        )

        # A new document whose every passage is new text (a revised copy of the smallest).
        smallest = min(corpus.glob("*.txt"), key=lambda p: p.stat().st_size)
        revised = "\n".join(
            line + " (sửa đổi)" if len(line) > 40 else line
            for line in smallest.read_text(encoding="utf-8").split("\n")
        )
        (corpus / "zz_bench_revised.txt").write_text(revised, encoding="utf-8")
        report = build_index(corpus, index, encoder)
        print(
            f"one-file incremental update: {report.seconds:.2f} s "
            f"({report.embedded_chunks} chunks embedded, {report.total_chunks} in index)"
        )
        report = build_index(corpus, index, encoder)
        print(f"no-change ingest: {report.seconds:.2f} s")

        t = time.perf_counter()
        searcher = Searcher(index, encoder=encoder, query_cache=0)
        print(f"index load: {(time.perf_counter() - t) * 1000:.0f} ms")

        queries = (
            [
                json.loads(x)["query"]
                for x in Path(a.queries).read_text(encoding="utf-8").splitlines()
                if x.strip()
            ]
            if Path(a.queries).exists()
            else ["Hòn Khoai tiến độ"]
        )
        searcher.ask(queries[0])
        times = []
        for _ in range(a.runs):
            for q in queries:
                t = time.perf_counter()
                searcher.ask(q, k=10)  # the full query path: ranking, answer, no-answer
                times.append((time.perf_counter() - t) * 1000)
        times.sort()
        p95 = times[int(round(0.95 * (len(times) - 1)))]
        print(
            f"warm query latency: p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, "
            f"max {times[-1]:.1f} ms over {len(times)} queries"
        )
        print(f"peak memory (RSS): {rss_mb():.0f} MB")
        if not a.no_during_ingest and Path(a.queries).exists():
            # Query latency while a full rebuild runs in another process, with and without
            # the thread budget (issue 14); the rebuild's passages/s beside its idle figure.
            (corpus / "zz_bench_revised.txt").unlink()
            bench_contention.run(
                corpus, index, a.queries, passes=a.runs, rate=bench_contention.RATE
            )
        elif not a.no_during_ingest:
            print(f"searching during a rebuild: skipped, no query file at {a.queries}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
