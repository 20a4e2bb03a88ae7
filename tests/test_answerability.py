"""The answerability decision: signals gathered by hand-checkable rules, a fitted model."""

import numpy as np
import pytest
from fakes import HashingEncoder

from search import Searcher
from search.index.analyzer import Analyzer
from search.query.answerability import Evidence, Model, gather, model
from search.query.query import read_query
from search.records import Chunk, DocMeta, Hit

EVIDENCE = dict(
    dense_top=0.9, dense_best=0.9, coverage=1.0, first_coverage=1.0, pair_coverage=1.0,
    focus=1.0, agreement=1.0, missing=0.0, shape=0.5, span_coverage=1.0, span_pairs=1.0,
)  # fmt: skip


def test_model_by_hand():
    m = Model(bias=-1.0, weights={"coverage": 2.0}, threshold=0.5)
    full = Evidence(**EVIDENCE)
    assert m.probability(full) == pytest.approx(1 / (1 + np.exp(-1.0)))
    assert m.answers(full)
    assert not m.answers(Evidence(**{**EVIDENCE, "coverage": 0.25}))  # z = -0.5


def test_the_encoders_own_model_only_for_its_encoder():
    dense, lexical = model("intfloat/multilingual-e5-small"), model("py:tests.fakes:HashingEncoder")
    assert "dense_top" in dense.weights and "dense_top" not in lexical.weights


def _hit(text: str, rank: int = 1) -> Hit:
    meta = DocMeta(doc="a.txt")
    chunk = Chunk(id=f"x#{rank}", meta=meta, kind="text", section=(), line_start=1,
                  line_end=1, text=text, embed_text=text)  # fmt: skip
    return Hit(rank=rank, score=1.0, chunk=chunk)


def test_signals_by_hand():
    analyzer = Analyzer()
    q = read_query("học phí trường mầm non", analyzer=analyzer)
    hits = [_hit("Xây dựng trường mầm non đạt chuẩn quốc gia.")]
    e = gather(
        q, hits, analyzer=analyzer, idf=lambda t: 1.0, known=lambda t: True,
        dense=np.array([0.8, 0.7]), lexical=np.array([2.0, 3.0]), top=0,
        span="Xây dựng trường mầm non đạt chuẩn quốc gia.",
    )  # fmt: skip
    # Tokens: học ~hoc phí ~phi trường ~truong mầm ~mam ~non ("non" has no marks to keep);
    # the passage holds the last five.
    assert e.coverage == pytest.approx(5 / 9) and e.first_coverage == pytest.approx(5 / 9)
    # Pairs "học phí", "phí trường", "trường mầm", "mầm non": two held.
    assert e.pair_coverage == pytest.approx(0.5) and e.span_pairs == pytest.approx(0.5)
    assert e.dense_top == pytest.approx(0.8) and e.agreement == 1.0  # top 5 of both lists
    assert e.missing == 0.0 and e.shape == 0.5  # the query asks for nothing in particular


def test_a_topic_the_documents_do_not_cover_is_not_answered(fixture_index):
    s = Searcher(fixture_index, encoder=HashingEncoder())
    assert s.ask("học phí đại học", k=3).no_answer
    r = s.ask("tổ xung kích phòng cháy", k=3)
    assert not r.no_answer and "tổ xung kích" in r.answer.text
