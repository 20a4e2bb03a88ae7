"""Retrieval quality on a gold query set: `make eval` (or with another corpus and queries).

Runs the queries through the batch interface (`python -m search --batch`), scores the output
with the set's own scorer (score.py beside the queries; else scripts/goldscore.py, the same
rules), and adds a per-kind table, no-answer
counts and warm query latency measured in-process.

    python scripts/evaluate.py --index index --queries ../shared/eval/queries.jsonl
    python scripts/evaluate.py --corpus my_docs/ --queries my_queries.jsonl   # own documents
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def load_scorer(path: Path):
    spec = importlib.util.spec_from_file_location("gold_score", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


def per_kind(scorer, queries, results, k=10):
    by_id = {r["id"]: r.get("results", []) for r in results}
    kinds: dict[str, list[int | None]] = {}
    for q in queries:
        if not q.get("answerable", True):
            continue
        rank = None
        for i, r in enumerate(by_id.get(q["id"], [])[:k], 1):
            if any(
                scorer.doc_matches(r.get("doc"), ev["doc"])
                and scorer.holds(r.get("text", ""), ev["quote"])
                for ev in q["evidence"]
            ):
                rank = i
                break
        kinds.setdefault(q.get("kind", ""), []).append(rank)
        kinds.setdefault("ALL", []).append(rank)
    rows = {}
    for kind, ranks in kinds.items():
        n = len(ranks)
        rows[kind] = {
            "n": n,
            **{f"hit@{c}": sum(1 for r in ranks if r and r <= c) / n for c in (1, 3, 5, 10)},
            "mrr@10": sum(1 / r for r in ranks if r) / n,
        }
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", default="index")
    ap.add_argument("--queries", default=str(ROOT.parent / "shared/eval/queries.jsonl"))
    ap.add_argument("--scorer", help="score.py (default: beside the queries file)")
    ap.add_argument("--corpus", help="build a temporary index from this folder first")
    ap.add_argument("--model", help="model for --corpus (default: the default model)")
    ap.add_argument("-k", type=int, default=10)
    ap.add_argument("--out", help="keep the batch results here")
    ap.add_argument("--latency-runs", type=int, default=3)
    a = ap.parse_args()

    queries_path = Path(a.queries)
    if not queries_path.is_file():
        print(f"Không tìm thấy tệp truy vấn: {queries_path}", file=sys.stderr)
        return 2
    scorer_path = Path(a.scorer) if a.scorer else queries_path.with_name("score.py")
    # A set without its own score.py is scored by the same rules, built in.
    scorer = load_scorer(scorer_path if scorer_path.is_file() else ROOT / "scripts/goldscore.py")
    queries = scorer.load(queries_path)
    tmp = tempfile.TemporaryDirectory()
    index = a.index if a.index.startswith("milvus://") else Path(a.index)  # or a Milvus URI
    if a.corpus:
        index = Path(tmp.name) / "index"
        cmd = [
            sys.executable,
            str(ROOT / "ingest.py"),
            "--corpus",
            a.corpus,
            "--index",
            str(index),
            "--quiet",
        ]
        if a.model:
            cmd += ["--model", a.model]
        subprocess.run(cmd, check=False)
    batch = Path(tmp.name) / "batch.jsonl"
    batch.write_text(
        "".join(
            json.dumps({"id": q["id"], "query": q["query"]}, ensure_ascii=False) + "\n"
            for q in queries
        ),
        encoding="utf-8",
    )
    out = Path(a.out) if a.out else Path(tmp.name) / "results.jsonl"
    t0 = time.perf_counter()
    with open(out, "w", encoding="utf-8") as f:
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "search",
                "--index",
                str(index),
                "--batch",
                str(batch),
                "-k",
                str(a.k),
            ],
            stdout=f,
            cwd=ROOT,
            check=False,
        )
    if proc.returncode != 0:
        print("batch run failed", file=sys.stderr)
        return proc.returncode
    batch_seconds = time.perf_counter() - t0
    results = scorer.load(out)
    summary = scorer.score(queries, results, a.k)
    table = per_kind(scorer, queries, results, a.k)

    print(f"Gold set: {queries_path} ({len(queries)} queries)  index: {index}")
    print(f"{'kind':<20}{'n':>4}{'hit@1':>8}{'hit@3':>8}{'hit@5':>8}{'hit@10':>8}{'MRR@10':>8}")
    for kind in sorted(table, key=lambda x: (x == "ALL", x)):
        r = table[kind]
        print(
            f"{kind:<20}{r['n']:>4}{r['hit@1']:>8.3f}{r['hit@3']:>8.3f}{r['hit@5']:>8.3f}"
            f"{r['hit@10']:>8.3f}{r['mrr@10']:>8.3f}"
        )
    print(
        f"no-answer caught: {summary['no_answer_caught']}   "
        f"false alarms: {summary['no_answer_false_alarms']}"
    )
    print(f"median top-5 passage length: {summary['median_top5_chars']} chars")
    print(f"misses (not in top {a.k}): {' '.join(summary['misses']) or '-'}")
    by_id = {r["id"]: r for r in results}
    answerable = [q for q in queries if q.get("answerable", True)]
    good = sum(
        1
        for q in answerable
        if (ans := by_id.get(q["id"], {}).get("answer"))
        and any(
            scorer.doc_matches(ans.get("doc"), ev["doc"]) and scorer.holds(ans["text"], ev["quote"])
            for ev in q["evidence"]
        )
    )
    print(f"extractive answer holds a gold quote: {good}/{len(answerable)}")
    typed = [q for q in answerable if q.get("expect")]
    if typed:
        # Question-type sets: the answer span must contain what was asked (an agency, a date).
        wrong = [
            q["id"]
            for q in typed
            if scorer.norm(q["expect"])
            not in scorer.norm((by_id.get(q["id"], {}).get("answer") or {}).get("text", ""))
        ]
        print(
            f"question-type answers correct: {len(typed) - len(wrong)}/{len(typed)}"
            f"   wrong: {' '.join(wrong) or '-'}"
        )
    print(f"batch run (incl. model load): {batch_seconds:.1f} s")

    if a.latency_runs > 0:
        from search import Searcher

        searcher = Searcher(index, query_cache=0)  # time encoding too
        searcher.ask("khởi động", k=a.k)  # warm up the model
        times = []
        for _ in range(a.latency_runs):
            for q in queries:
                t = time.perf_counter()
                searcher.ask(q["query"], k=a.k)
                times.append((time.perf_counter() - t) * 1000)
        times.sort()
        p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
        print(
            f"warm query latency: p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms "
            f"({len(times)} queries)"
        )
    print(f"{Path(scorer.__file__).name}:", json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
