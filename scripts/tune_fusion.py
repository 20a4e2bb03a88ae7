"""Compare fusion methods and weights on a gold set, in-process (no batch round trip).

python scripts/tune_fusion.py --index index --queries ../shared/eval/queries.jsonl
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from evaluate import load_scorer, per_kind  # noqa: E402

from search import Searcher  # noqa: E402
from search.settings import RankingSettings  # noqa: E402


def variants(base: RankingSettings):
    yield "dense only", replace(base, dense_weight=1.0, lexical_weight=0.0, doc_prior_weight=0.0)
    yield "bm25 only", replace(base, dense_weight=0.0, lexical_weight=1.0, doc_prior_weight=0.0)
    yield "rrf k=60", replace(base, method="rrf", doc_prior_weight=0.0)
    for w in (0.5, 0.6, 0.7, 0.8):
        yield (
            f"weighted {w:.1f}/{1 - w:.1f}",
            replace(base, dense_weight=w, lexical_weight=round(1 - w, 2), doc_prior_weight=0.0),
        )
    for w in (0.5, 0.6, 0.7):
        for u in (0.2, 0.3, 0.5):
            for p in (0.1, 0.2):
                yield (
                    f"weighted {w}, unaccented {u}, prior {p}",
                    replace(
                        base,
                        dense_weight=w,
                        lexical_weight=round(1 - w, 2),
                        unaccented_dense_weight=u,
                        doc_prior_weight=p,
                    ),
                )


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--index", default="index")
    ap.add_argument("--queries", default=str(ROOT.parent / "shared/eval/queries.jsonl"))
    a = ap.parse_args()
    scorer = load_scorer(Path(a.queries).with_name("score.py"))
    queries = scorer.load(Path(a.queries))
    searcher = Searcher(a.index)
    base = searcher.settings
    print(f"{'variant':<40}{'hit@1':>7}{'hit@5':>7}{'MRR':>7}{'nodiac@5':>9}{'abbr@5':>8}")
    for name, settings in variants(base):
        results = [
            {
                "id": q["id"],
                "results": [
                    h.to_json() for h in searcher.search(q["query"], k=10, settings=settings)
                ],
            }
            for q in queries
        ]
        t = per_kind(scorer, queries, results)
        print(
            f"{name:<40}{t['ALL']['hit@1']:>7.3f}{t['ALL']['hit@5']:>7.3f}"
            f"{t['ALL']['mrr@10']:>7.3f}{t.get('no_diacritics', {}).get('hit@5', 0):>9.3f}"
            f"{t.get('abbrev_paraphrase', {}).get('hit@5', 0):>8.3f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
