"""Searching while a reindex runs on the same machine: query latency and ingest throughput.

For each thread setting, three measurements in separate processes:

- idle: a query process runs the query set alone (p50/p95);
- ingest alone: ``python ingest.py --rebuild`` of the corpus (passages/s);
- during ingest: the same rebuild, with the query process searching all the while, back to
  back (one user who never pauses: a whole core);
- during ingest, paced: the same again with searches arriving at ``--rate`` per second, as
  from an office of staff (0: left out).

Settings: "default threads" (no budget: every library takes every core, ingest at normal
priority, as before issue 14) and "budget" (search/index/threads.py: one query thread,
ingest on the cores left at lower priority). Used by scripts/benchmark.py (``make bench``);
on its own:

    python scripts/bench_contention.py --corpus corpus --queries ../shared/eval/queries.jsonl
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# A busy office: 120 searches a minute, every one of them during the reindex.
RATE = 2.0
POOL_ENV = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")
MODES = {
    # No budget anywhere: what every process did before the thread budget existed.
    "default threads": {
        "budget": False,
        "env": {"TRACUU_INGEST_THREADS": "all", "TRACUU_INGEST_NICE": "0"},
    },
    "budget": {"budget": True, "env": {}},
}


def percentiles(times: list[float]) -> dict:
    times = sorted(times)
    if not times:
        return {"n": 0, "p50": None, "p95": None}
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return {"n": len(times), "p50": round(statistics.median(times), 1), "p95": round(p95, 1)}


def query_loop(a: argparse.Namespace) -> int:
    """The query process: load, warm up, say 'ready', search from --go until --stop."""
    if a.budget:
        from search.index import threads

        threads.configure("query")
    from search import Searcher

    queries = [
        json.loads(x)["query"]
        for x in Path(a.queries).read_text(encoding="utf-8").splitlines()
        if x.strip()
    ]
    searcher = Searcher(a.index, query_cache=0)  # every query pays for its encoding
    searcher.ask(queries[0], k=10)
    print("ready", flush=True)
    go, stop = Path(a.go), Path(a.stop) if a.stop else None
    while not go.exists():
        time.sleep(0.005)
    times: list[float] = []
    n = 0
    start = time.perf_counter()
    while (stop is not None and not stop.exists()) or (
        stop is None and n < a.passes * len(queries)
    ):
        q = queries[n % len(queries)]
        if a.rate:  # the n-th search arrives at n / rate, or at once when behind
            time.sleep(max(0.0, start + n / a.rate - time.perf_counter()))
        t = time.perf_counter()
        searcher.ask(q, k=10)
        times.append((time.perf_counter() - t) * 1000)
        n += 1
    print(json.dumps({"times": times}), flush=True)
    return 0


def _env(mode: str, backend: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in POOL_ENV}
    env.update(MODES[mode]["env"])
    if backend:
        env["TRACUU_BACKEND"] = backend
    return env


def _start_queries(
    mode, index, queries, go, stop, passes, backend, rate: float = 0.0
) -> subprocess.Popen:
    cmd = [sys.executable, __file__, "--query-loop", "--index", str(index), "--queries", queries]
    cmd += ["--go", str(go), "--passes", str(passes), "--rate", str(rate)]
    if stop:
        cmd += ["--stop", str(stop)]
    if MODES[mode]["budget"]:
        cmd.append("--budget")
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, text=True, env=_env(mode, backend), cwd=ROOT
    )
    line = proc.stdout.readline()  # type: ignore[union-attr]
    if line.strip() != "ready":
        proc.kill()
        raise RuntimeError(f"query process did not start: {line!r}")
    return proc


def _finish_queries(proc: subprocess.Popen) -> dict:
    out, _ = proc.communicate()
    return percentiles(json.loads(out.strip().splitlines()[-1])["times"])


def _start_ingest(mode, corpus, index, backend) -> subprocess.Popen:
    cmd = [sys.executable, str(ROOT / "ingest.py"), "--rebuild", "--json", "--quiet"]
    cmd += ["--corpus", str(corpus), "--index", str(index)]
    return subprocess.Popen(
        cmd, stdout=subprocess.PIPE, text=True, env=_env(mode, backend), cwd=ROOT
    )


def _ingest_rate(proc: subprocess.Popen) -> float:
    out, _ = proc.communicate()
    report = json.loads(out.strip().splitlines()[-1])
    return round(report["embedded_chunks"] / max(report["seconds"], 1e-9), 2)


def measure(
    mode: str,
    corpus: Path,
    index: Path,
    queries: str,
    *,
    passes: int,
    backend: str | None,
    rate: float = 0.0,
) -> dict:
    """Idle latency, ingest alone, and both at once (back to back, then paced at ``rate``
    searches/s when it is not 0) for one thread setting."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        go, scratch = tmp / "go", tmp / "rebuild"
        go.touch()
        idle = _finish_queries(_start_queries(mode, index, queries, go, None, passes, backend))
        alone = _ingest_rate(_start_ingest(mode, corpus, scratch, backend))
        out = {"idle": idle, "ingest_passages_per_s_alone": alone}
        runs = [("during_ingest", 0.0)] + ([("during_ingest_paced", rate)] if rate else [])
        for key, pace in runs:
            go.unlink()
            stop = tmp / f"stop-{key}"
            shutil.rmtree(scratch, ignore_errors=True)
            searching = _start_queries(mode, index, queries, go, stop, passes, backend, pace)
            ingest = _start_ingest(mode, corpus, scratch, backend)
            go.touch()
            ingest_rate = _ingest_rate(ingest)
            stop.touch()
            out[key] = _finish_queries(searching)
            out[key.replace("during_ingest", "ingest_passages_per_s_during")] = ingest_rate
            out[key]["rate"] = pace
    return out


def run(
    corpus: Path,
    index: Path,
    queries: str,
    *,
    passes: int = 3,
    backend: str | None = None,
    modes: list[str] | None = None,
    rate: float = 0.0,
) -> dict:
    """Measure every mode and print the table; returns the numbers."""
    results = {
        m: measure(m, corpus, index, queries, passes=passes, backend=backend, rate=rate)
        for m in modes or MODES
    }
    print(f"\nsearching during a rebuild of {corpus} (backend: {backend or 'default'})")
    print(f"{'':<36}{'p50 ms':>8}{'p95 ms':>8}{'ingest passages/s':>20}")
    for mode, r in results.items():
        print(
            f"{'idle (' + mode + ')':<36}{r['idle']['p50']:>8}{r['idle']['p95']:>8}"
            f"{r['ingest_passages_per_s_alone']:>14} alone"
        )
        d = r["during_ingest"]
        print(
            f"{'during ingest (' + mode + ')':<36}{d['p50']:>8}{d['p95']:>8}"
            f"{r['ingest_passages_per_s_during']:>14} while searching back to back"
        )
        if "during_ingest_paced" in r:
            d = r["during_ingest_paced"]
            label = f"during ingest, {d['rate']:g}/s ({mode})"
            print(
                f"{label:<36}{d['p50']:>8}{d['p95']:>8}"
                f"{r['ingest_passages_per_s_during_paced']:>14} while {d['rate']:g} searches/s"
            )
    print(json.dumps({"during_ingest": results}, ensure_ascii=False))
    return results


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--query-loop", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--go", help=argparse.SUPPRESS)
    ap.add_argument("--stop", help=argparse.SUPPRESS)
    ap.add_argument("--budget", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--corpus", default=str(ROOT / "corpus"))
    ap.add_argument("--index", help="an index of the corpus to search (default: built first)")
    ap.add_argument("--queries", default=str(ROOT.parent / "shared/eval/queries.jsonl"))
    ap.add_argument("--passes", type=int, default=3, help="passes over the queries when idle")
    ap.add_argument("--backend", choices=["torch", "onnx"])
    ap.add_argument("--mode", action="append", choices=list(MODES))
    ap.add_argument(
        "--rate",
        type=float,
        default=RATE,
        help=f"searches per second of the paced run during ingest (default {RATE:g}; 0: none)",
    )
    a = ap.parse_args()
    if a.query_loop:
        return query_loop(a)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        shutil.copytree(a.corpus, corpus)
        index = Path(a.index) if a.index else Path(tmp) / "index"
        if not a.index:
            proc = _start_ingest("budget", corpus, index, a.backend)
            _ingest_rate(proc)
        run(corpus, index, a.queries, passes=a.passes, backend=a.backend, modes=a.mode, rate=a.rate)
    return 0


if __name__ == "__main__":
    sys.exit(main())
