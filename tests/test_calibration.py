"""Choosing the "not found" threshold again on more labelled sets (fit_answerability.py
--calibrate): the weights stay, the threshold keeps false alarms within the share asked."""

import sys

import numpy as np
from conftest import ROOT

from search.query.decision import FEATURES

sys.path.insert(0, str(ROOT / "scripts"))
import fit_answerability  # noqa: E402


def labelled(name: str, coverage: list[float], answerable: list[bool], rules=None):
    x = np.zeros((len(coverage), len(FEATURES)))
    x[:, FEATURES.index("coverage")] = coverage
    rules = np.full(len(coverage), np.nan) if rules is None else np.array(rules, dtype=float)
    return name, x, np.array(answerable, dtype=float), rules


def test_the_threshold_keeps_false_alarms_within_the_share_asked():
    model = {"bias": -2.0, "weights": {"coverage": 4.0}}
    covered = list(np.linspace(0.2, 1.0, 50))  # answerable, one of them barely covered
    a = labelled("a", covered + [0.1, 0.15, 0.3], [True] * 50 + [False] * 3)
    # A pasted passage found in a document is answered by a rule, whatever its coverage.
    b = labelled("b", [0.0, 0.05], [True, False], rules=[1.0, np.nan])
    out = fit_answerability.calibrate(model, [a, b], [], 0.02, "the sets")
    assert out["bias"] == -2.0 and out["weights"] == {"coverage": 4.0}
    results = {r["set"]: r for r in out["results"]}
    # 2 % of 51 answerable queries allows one false alarm: the least covered one.
    assert results["a"]["false_alarms"] == 1 and results["b"]["false_alarms"] == 0
    assert results["a"]["caught"] == 2 and results["b"]["caught"] == 1  # 0.3 is answered
    p = 1 / (1 + np.exp(-(-2.0 + 4.0 * np.array(covered))))
    assert p[0] < out["threshold"] <= p[1]
