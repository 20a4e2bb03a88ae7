"""The "not found" decision: the signals gathered for a query (``Evidence``, see
answerability.py), the rules that decide whatever the model says, and the fitted model.

A logistic model combines the signals (``answerability.json``, fit by
scripts/fit_answerability.py on labelled answerable and unanswerable queries); its
threshold keeps false alarms on answerable queries at most 2 %. The encoder's similarities
are on its own scale, so a second model, fit on the lexical signals alone, decides for an
index built with another encoder than the one fit with. Rules stand above the model:
``ruled_out`` says when the top passages cannot answer whatever the model says (a question
counting something no top passage states, a year, a place or a procedure the first passage
is not of ...), ``ruled_in`` when the first passage is the provision the query addresses
("khoản 3 Điều 5").
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

MODEL_FILE = Path(__file__).with_name("answerability.json")
MAX_MISSING = 0.6  # idf-weighted share of a query's words that no document uses
DENSE_FEATURES = ("dense_top", "dense_best", "dense_span", "agreement")
FEATURES = ("dense_top", "dense_best", "dense_span", "coverage", "first_coverage",
            "pair_coverage", "focus", "agreement", "missing", "shape", "span_coverage",
            "span_pairs")  # fmt: skip


@dataclass(frozen=True)
class Evidence:
    """Signals of whether the top passages answer the query, each in [0, 1] or a cosine."""

    dense_top: float  # cosine of the query with the first passage
    dense_best: float  # the highest cosine among the candidates
    dense_span: float  # cosine of the query with the answer span itself (the first
    # passage when there is none): a passage on the topic need not say what is asked
    coverage: float  # idf-weighted share of the query's known words the best passage holds
    # (past 1 for abbreviations held by their spelling: see ``covers`` in ``gather``)
    first_coverage: float  # the same for the first passage
    pair_coverage: float  # share of the query's word pairs it holds
    focus: float  # 1 when a top passage holds the query's rarest word and rarest pair
    agreement: float  # 1: the first passage is in the dense and the lexical top 5; 0.5: one
    missing: float  # idf-weighted share of the query's words no indexed passage uses
    # (Query.unknown: question words, numbers and abbreviations written out do not count)
    shape: float  # 1: a top passage holding at least half of the query holds what the
    # question asks (a body, a time ...); 0.5: the question asks for nothing in particular
    measure: float  # 1: a top passage holding at least half of the query holds a number
    # beside what it counts or dates ("bao nhiêu km", "tháng mấy"), or for "khi nào" a time;
    # 0: none does; 0.5: it counts and dates nothing
    span_coverage: float  # idf-weighted share of the query's words in the answer span itself
    span_pairs: float  # share of the query's word pairs in the answer span
    addressed: float  # 1: the first passage is the provision the query addresses
    # ("khoản 3 Điều 5"), in the document it names, if it names one
    dated: float  # 1: the first passage states the year the query names or is in a
    # document about it; 0: it does not; 0.5: the query names no year
    period: float  # 0: the answer sentence says it is of another part of the year than the
    # query names ("Quý I năm 2025 ... 38 vụ" for "6 tháng đầu năm 2025"); 1: not; 0.5: the
    # query names none
    phase: float  # 0: the first passage names stages of what it is about, not the one the
    # query names ("(giai đoạn 2)" for "giai đoạn 3"), or names none and the next ones name
    # only others; 1: it names that one, or no first passage names a stage; 0.5: the query
    # names none
    amount: float  # 0: the answer states amounts in a unit the query states one in, not
    # that one ("hộp 180 ml" for "hộp 110 ml"); 1: not; 0.5: the query states none
    placed: float  # 1: the first passage (its headings, its document) names the district,
    # commune or city the query names ("huyện Kế Sách"), and the corpus names its province
    # ("tỉnh Bến Tre"); 0: not; 0.5: the query names no place
    sourced: float  # 0: the first passage is not of, nor cites, a document the query names
    # by number ("Quyết định 23/2019/QĐ-UBND"); 1: it is, or the query names none
    alternative: float  # 0: the answer (or its passage) names others of a closed set than
    # the query names ("tiểu học" for "THCS"); 1: not; 0.5: the query names none
    procedure: float  # 0: the first passage does not name the procedure asked ("thủ tục",
    # "hồ sơ"); 1: it does; 0.5: the query asks none, or asks who carries it out

    def to_json(self) -> dict[str, float]:
        return {k: round(v, 4) for k, v in asdict(self).items()}


def ruled_out(evidence: Evidence) -> bool:
    """Whether the top passages cannot answer, whatever the model says: a query made mostly
    of words no document uses ("xyz abc", "OR 1=1"), a question counting or dating
    something ("dài bao nhiêu mét", "tháng mấy", "khi nào") when no top passage holds such a
    number, a query naming a year ("năm 2024") or a part of one ("quý I") the first passage
    or the answer is not of, a stage ("giai đoạn 3") other than the first passage names, an
    amount ("hộp 110 ml") other than the answer states, a place ("huyện Kế Sách") the
    first passage is not about, a document by number ("Quyết định 23/2019/QĐ-UBND") it is
    not of nor cites, an alternative ("THCS") the answer names others than, or a procedure
    ("thủ tục cấp hộ chiếu") the first passage neither names nor states as an article."""
    return (
        evidence.missing > MAX_MISSING
        or evidence.measure == 0.0
        or evidence.dated == 0.0
        or evidence.period == 0.0
        or evidence.phase == 0.0
        or evidence.amount == 0.0
        or evidence.placed == 0.0
        or evidence.sourced == 0.0
        or evidence.alternative == 0.0
        or evidence.procedure == 0.0
    )


def ruled_in(evidence: Evidence) -> bool:
    """Whether the first passage answers, whatever the model says: it is the provision the
    query addresses ("khoản 3 Điều 5 Nghị định 15/2024/NĐ-CP"), whatever its words."""
    return evidence.addressed == 1.0


@dataclass(frozen=True)
class Model:
    bias: float
    weights: dict[str, float]
    threshold: float  # answerable when the probability is at least this

    def probability(self, evidence: Evidence) -> float:
        x = asdict(evidence)
        z = self.bias + sum(w * x[k] for k, w in self.weights.items())
        return 1.0 / (1.0 + math.exp(-z))

    def answers(self, evidence: Evidence) -> bool:
        if ruled_in(evidence):
            return True
        return not ruled_out(evidence) and self.probability(evidence) >= self.threshold

    @classmethod
    def from_json(cls, data: dict) -> Model:
        return cls(float(data["bias"]), dict(data["weights"]), float(data["threshold"]))


@cache
def _models() -> dict:
    return json.loads(MODEL_FILE.read_text(encoding="utf-8"))


def model(encoder: str) -> Model:
    """The fitted model for an index built with ``encoder``: the one using the encoder's
    similarities when it was fit with that encoder, else the lexical one."""
    data = _models()
    key = "dense" if data.get("encoder") == encoder else "lexical"
    return Model.from_json(data[key])
