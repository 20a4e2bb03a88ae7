"""Fit the answerability decision on labelled queries; report it on every set.

    python scripts/fit_answerability.py --fit eval/answerability/corpus.jsonl=INDEX ...
        [--heldout eval/heldout/queries.jsonl=INDEX] [--write]

Each set is a query file (answerable and unanswerable queries, the gold-set format) and
the index it is asked against. The signals of every query (search/query/answerability.py)
are computed by the product's own search; a logistic model is fit on the --fit sets'
queries the rules (``ruled_in``, ``ruled_out``) leave to it (L2, Newton steps, features
standardised), and the threshold is the highest that keeps false alarms (answerable
queries declared unanswerable, by a rule or the model) at most --max-false-alarms of the
fit sets' answerable queries, set halfway between two fit queries' probabilities.
--heldout sets are only reported. --write stores the model in
search/query/answerability.json.

    python scripts/fit_answerability.py --calibrate SET=INDEX ... [--write]

keeps the stored models' weights and chooses their thresholds by the same rule on the sets
given: more labelled queries than the fit sets hold, without refitting on them.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from search import Searcher  # noqa: E402
from search.query.decision import (  # noqa: E402
    DENSE_FEATURES,
    FEATURES,
    MODEL_FILE,
    ruled_in,
    ruled_out,
)

ENCODER: list[str] = []  # the encoder the sets were searched with


def signals(spec: str) -> tuple[str, np.ndarray, np.ndarray, np.ndarray]:
    """(set name, features, labels, rules) for one ``queries.jsonl=index`` spec; a rule is
    1 (answered), 0 (not answered) or nan (the model decides)."""
    path, _, index = spec.partition("=")
    searcher = Searcher(index)
    ENCODER.append(searcher.store.model["name"])
    rows, labels, ruled = [], [], []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        q = json.loads(line)
        r = searcher.ask(q["query"], k=10)
        if r.evidence is None:
            continue
        e = asdict(r.evidence)
        rows.append([e[f] for f in FEATURES])
        labels.append(1.0 if q.get("answerable", True) else 0.0)
        # A pasted passage found in a document is answered by its source, whatever the rules.
        answered = ruled_in(r.evidence) or r.quote is not None
        rule = 1.0 if answered else 0.0 if ruled_out(r.evidence) else np.nan
        ruled.append(rule)
    return Path(path).as_posix(), np.array(rows), np.array(labels), np.array(ruled)


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 50) -> tuple[float, np.ndarray]:
    """Logistic regression by Newton's method; returns (bias, weights) in raw feature units."""
    mu, sd = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = np.c_[np.ones(len(x)), (x - mu) / sd]
    w = np.zeros(z.shape[1])
    reg = np.eye(len(w)) * l2
    reg[0, 0] = 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-z @ w))
        grad = z.T @ (p - y) + reg @ w
        hess = z.T @ (z * (p * (1 - p))[:, None]) + reg
        w -= np.linalg.solve(hess, grad)
    weights = w[1:] / sd
    return float(w[0] - np.sum(weights * mu)), weights


def report(name: str, p: np.ndarray, y: np.ndarray, threshold: float) -> dict:
    said_no = p < threshold
    ans, unans = y == 1, y == 0
    out = {
        "set": name,
        "answerable": int(ans.sum()),
        "false_alarms": int((said_no & ans).sum()),
        "unanswerable": int(unans.sum()),
        "caught": int((said_no & unans).sum()),
    }
    print(
        f"{name:<45} false alarms {out['false_alarms']:>3}/{out['answerable']:<3}"
        f" ({out['false_alarms'] / max(out['answerable'], 1):.1%})   caught"
        f" {out['caught']:>3}/{out['unanswerable']:<3}"
        f" ({out['caught'] / max(out['unanswerable'], 1):.1%})"
    )
    return out


# How each signal must move the decision: more of it, more likely answerable ("missing",
# words no passage uses, the other way). A feature the fit gives the other sign is dropped
# and the rest refit, so the model stays one a person can read and trust on new queries.
SIGNS = {f: -1 if f == "missing" else 1 for f in FEATURES}


def decide(fit_sets, held, cols: list[int], max_false_alarms: float, l2: float) -> dict:
    """Fit on the columns ``cols`` of the features; print and return the model and results."""
    y = np.concatenate([s[2] for s in fit_sets])
    rules = np.concatenate([s[3] for s in fit_sets])
    left = np.isnan(rules)
    while True:
        x = np.concatenate([s[1][:, cols] for s in fit_sets])
        # The model decides the queries the rules leave to it, and is fit on those.
        bias, weights = fit(x[left], y[left], l2)
        wrong = [c for c, w in zip(cols, weights, strict=True) if w * SIGNS[FEATURES[c]] < 0]
        if not wrong:
            break
        cols = [c for c in cols if c != wrong[0]]
    names = [FEATURES[c] for c in cols]
    model = {
        "bias": round(bias, 6),
        "weights": {k: round(float(v), 6) for k, v in zip(names, weights, strict=True)},
    }
    print(f"weights: bias {bias:.3f}, " + ", ".join(f"{f} {w:.3f}" for f, w in zip(names, weights)))
    return calibrate(model, fit_sets, held, max_false_alarms, "the fit sets")


def probabilities(model: dict, s) -> np.ndarray:
    """The model's probability for each query of set ``s``, or its rule's 1 or 0."""
    cols = [FEATURES.index(f) for f in model["weights"]]
    z = model["bias"] + s[1][:, cols] @ np.array(list(model["weights"].values()))
    return np.where(np.isnan(s[3]), 1 / (1 + np.exp(-z)), s[3])


def calibrate(model: dict, chosen_on, held, max_false_alarms: float, what: str) -> dict:
    """``model`` with the highest threshold that keeps false alarms at most
    ``max_false_alarms`` of the answerable queries of ``chosen_on``; reports every set."""
    probs = np.concatenate([probabilities(model, s) for s in chosen_on])
    y = np.concatenate([s[2] for s in chosen_on])
    answerable = np.sort(probs[y == 1])
    allowed = int(np.floor(max_false_alarms * len(answerable)))
    threshold = 0.5
    if allowed < len(answerable):
        # Halfway to the next probability below the lowest answerable query kept, not on it:
        # that query's probability moves in the last digits when queries are encoded in a
        # batch, and a threshold on it would turn it into a false alarm.
        kept = answerable[allowed]
        below = probs[probs < kept]
        threshold = float((kept + below.max()) / 2 if below.size else kept)
    print(f"threshold {threshold:.4f} (false alarms at most {max_false_alarms:.0%} of {what})")
    results = []
    for label, sets in (("chosen on", chosen_on), ("held out", held)):
        print(f"{label}:")
        for s in sets:
            p = probabilities(model, s)
            results.append({**report(s[0], p, s[2], threshold), "held_out": label != "chosen on"})
    return {**model, "threshold": round(threshold, 6), "results": results}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fit", nargs="+", metavar="QUERIES=INDEX")
    ap.add_argument("--heldout", nargs="*", default=[], metavar="QUERIES=INDEX")
    ap.add_argument(
        "--calibrate",
        nargs="+",
        metavar="QUERIES=INDEX",
        help="keep the stored models' weights; choose their thresholds on these sets",
    )
    ap.add_argument("--max-false-alarms", type=float, default=0.02)
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--write", action="store_true")
    a = ap.parse_args()
    if bool(a.fit) == bool(a.calibrate):
        ap.error("give --fit or --calibrate")
    chosen_on = [signals(s) for s in a.fit or a.calibrate]
    held = [signals(s) for s in a.heldout]
    if len(set(ENCODER)) != 1:
        raise SystemExit(f"every index must use one encoder, not {sorted(set(ENCODER))}")
    if a.calibrate:
        stored = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
        if stored["encoder"] != ENCODER[0]:
            raise SystemExit(f"the stored model was fit with {stored['encoder']}, not {ENCODER[0]}")
        for key in ("dense", "lexical"):
            print(f"== {key}")
            model = {k: stored[key][k] for k in ("bias", "weights")}
            what = "the calibration sets"
            stored[key] = calibrate(model, chosen_on, held, a.max_false_alarms, what)
        stored["calibration_sets"] = [s[0] for s in chosen_on]
        stored["max_false_alarms"] = a.max_false_alarms
        if a.write:
            write(stored)
        return 0
    print("== with the encoder's similarities")
    dense = decide(chosen_on, held, list(range(len(FEATURES))), a.max_false_alarms, a.l2)
    print("== lexical signals only (for an index built with another encoder)")
    lexical_cols = [i for i, f in enumerate(FEATURES) if f not in DENSE_FEATURES]
    lexical = decide(chosen_on, held, lexical_cols, a.max_false_alarms, a.l2)
    if a.write:
        data = {
            "encoder": ENCODER[0],
            "fit_sets": [s[0] for s in chosen_on],
            "held_out_sets": [s[0] for s in held],
            "max_false_alarms": a.max_false_alarms,
            "dense": dense,
            "lexical": lexical,
        }
        write(data)
    return 0


def write(data: dict) -> None:
    MODEL_FILE.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(f"written: {MODEL_FILE}")


if __name__ == "__main__":
    sys.exit(main())
