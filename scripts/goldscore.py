"""Quote-based scoring of ranked results, for query sets that come without a scorer.

The rules are those of the team's gold sets: a result is relevant when it comes from the
quote's file and the first 1500 characters of its text hold the quote (after NFC, markup,
whitespace and case folding): the whole quote, or a contiguous run of at least 40 of its
characters. A query set with its own ``score.py`` beside it is scored by that instead.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from pathlib import Path

WINDOW = 1500
MIN_RUN = 40
_MARKUP = re.compile(r"<[^>]+>")
_MARKS = re.compile(r"[*_#|]+")


def norm(text: str) -> str:
    text = _MARKS.sub(" ", _MARKUP.sub(" ", unicodedata.normalize("NFC", text or "")))
    return " ".join(text.split()).lower()


def holds(passage: str, quote: str) -> bool:
    window, q = norm(passage)[:WINDOW], norm(quote)
    if q in window:
        return True
    match = difflib.SequenceMatcher(None, window, q, autojunk=False).find_longest_match(
        0, len(window), 0, len(q)
    )
    return match.size >= min(len(q), MIN_RUN)


def doc_matches(result_doc: str | None, gold_doc: str) -> bool:
    return bool(result_doc) and Path(str(result_doc)).name == Path(gold_doc).name


def load(path: str | Path) -> list[dict]:
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _rank(query: dict, ranked: list[dict]) -> int | None:
    for rank, r in enumerate(ranked, 1):
        for ev in query.get("evidence", []):
            if doc_matches(r.get("doc"), ev["doc"]) and holds(r.get("text", ""), ev["quote"]):
                return rank
    return None


def score(queries: list[dict], results: list[dict], k: int = 10) -> dict:
    by_id = {r["id"]: r for r in results}
    answerable = [q for q in queries if q.get("answerable", True)]
    unanswerable = {q["id"] for q in queries if not q.get("answerable", True)}
    said_none = {r["id"] for r in results if r.get("no_answer")}
    ranks = {q["id"]: _rank(q, by_id.get(q["id"], {}).get("results", [])[:k]) for q in answerable}
    n = len(answerable) or 1

    def hit(cut: int, ids) -> float:
        ids = list(ids)
        return round(sum(1 for i in ids if ranks[i] and ranks[i] <= cut) / (len(ids) or 1), 3)

    kinds: dict[str, list[str]] = {}
    for q in answerable:
        kinds.setdefault(q.get("kind", ""), []).append(q["id"])
    lengths = sorted(
        len(r.get("text", ""))
        for q in queries
        for r in by_id.get(q["id"], {}).get("results", [])[:5]
    )
    return {
        "n": len(answerable),
        **{f"hit@{c}": hit(c, ranks) for c in (1, 3, 5, 10)},
        "mrr@10": round(sum(1 / r for r in ranks.values() if r) / n, 3),
        "hit@5_by_kind": {kind: hit(5, ids) for kind, ids in sorted(kinds.items())},
        "no_answer_caught": f"{len(said_none & unanswerable)}/{len(unanswerable)}",
        "no_answer_false_alarms": len(said_none - unanswerable),
        "median_top5_chars": lengths[len(lengths) // 2] if lengths else 0,
        "misses": [i for i, r in ranks.items() if not r],
    }
