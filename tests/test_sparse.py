"""BM25 as sparse vectors (sparse.py) against the postings BM25 (lexical.py), and Milvus
URIs (milvusdb.MilvusLocation)."""

import math

import numpy as np
import pytest

from search.errors import StoreUnavailableError
from search.index import lexical, sparse
from search.index.milvusdb import MilvusLocation, in_list, literal

DOCS = [["~a", "~b", "~b"], ["~b", "~c"], ["~c", "~c", "~c", "~d"], []]


def test_stored_weights_by_hand():
    # dl = 3, avgdl = 2.25: norm = 1.2 * (0.25 + 0.75 * 3 / 2.25) = 1.5
    v = sparse.document_vector(DOCS[0], avgdl=9 / 4)
    assert v[sparse.token_id("~a")] == pytest.approx(1 / 2.5)
    assert v[sparse.token_id("~b")] == pytest.approx(2 / 3.5)
    assert sparse.term_frequencies(v, 3, 9 / 4) == {
        sparse.token_id("~a"): 1,
        sparse.token_id("~b"): 2,
    }
    assert 0 <= sparse.token_id("~a") < 2**32 - 1


def test_inner_product_is_the_bm25_of_lexical_py():
    segment = lexical.LexicalSegment.build(DOCS)
    stats = lexical.collection([segment], [None])
    assert stats.avgdl == (3 + 2 + 4 + 1) / 4  # the empty passage counts as one token
    query = ["~b", "~c", "~c", "^~c"]
    ((rows, expected),) = lexical.Bm25([segment], query, stats, heading_weight=0.5).search()
    df = {t: int(segment.df(int(segment.lookup(np.array([lexical.term_hash(t)]))[0])))
          for t in set(query)}  # fmt: skip
    q = sparse.query_vector(query, lambda ts: {t: df[t] for t in ts}, stats.n, heading_weight=0.5)
    # "~c" twice: idf(df=2, n=4) counted two times; "^~c" is in no passage
    assert q[sparse.token_id("~c")] == pytest.approx(2 * math.log(1 + 2.5 / 2.5))
    got = [sum(q.get(i, 0) * w for i, w in sparse.document_vector(d, stats.avgdl).items())
           for d in DOCS]  # fmt: skip
    assert np.allclose([got[r] for r in rows], expected, rtol=1e-6)
    assert [r for r, g in enumerate(got) if g > 0] == rows.tolist()
    # Stored with another average length, rescored with today's: the same BM25.
    stored = [(sparse.document_vector(d, 1.7), sparse.length(d), 1.7) for d in DOCS]
    assert np.allclose(sparse.scores(q, stored, stats.avgdl)[rows], expected, rtol=1e-5)


def test_milvus_uris():
    lite = MilvusLocation.parse("milvus:///srv/idx/x.db")
    assert (lite.lite, lite.address, lite.collection) == ("/srv/idx/x.db", None, "tracuu")
    assert MilvusLocation.parse("milvus:///srv/idx/x.db/vanban").collection == "vanban"
    server = MilvusLocation.parse("milvus://10.0.0.5:19530/vanban_2026")
    assert (server.address, server.collection) == ("10.0.0.5:19530", "vanban_2026")
    assert server.connect_uri == "http://10.0.0.5:19530"
    assert server.named("khac").uri == "milvus://10.0.0.5:19530/khac"
    assert lite.named("khac").collection == "khac" and lite.named("khac").lite == lite.lite
    for bad in ["milvus:///srv/idx/x", "milvus://", "milvus://h:1/1abc", "milvus://h:1/a-b"]:
        with pytest.raises(StoreUnavailableError):
            MilvusLocation.parse(bad)


def test_expression_literals_escape_quotes():
    assert literal('a "b" \\ c') == '"a \\"b\\" \\\\ c"'
    assert in_list("unit", [3, 5]) == "unit in [3, 5]"
    assert in_list("name", ["Điều 9"]) == 'name in ["Điều 9"]'
