"""The same tests over both stores: an index folder (embedded) and Milvus Lite.

Everything above the store is shared code, so both must give the same hits, citations,
line spans and answers; ingest must follow the same incremental rules; a failed or killed
ingest must leave the previous generation answering.
"""

import json
import shutil
import signal

import numpy as np
import pytest
from conftest import (
    FIXTURES,
    STAGES,
    TEXT_FIXTURES,
    copy_fixtures,
    indexed_chunks,
    ingest_process,
    wait_for,
)
from fakes import HASHING_MODEL, HashingEncoder

from search import Filters, Searcher
from search.cli import ingest_main, search_main
from search.errors import IngestLockedError
from search.index.ingest import KEPT_INDEX, build
from search.index.milvusdb import MilvusLocation, release
from search.index.stores import Store, is_milvus, open_store, store_stamp

pytest.importorskip("pymilvus", reason="pip install -r requirements-cluster.txt")

STORES = ["embedded", "milvus"]
QUERIES = [
    "sức chứa kho lạnh cảng cá Khánh Hội Xanh",
    "luat tram doc sach co hieu luc tu ngay nao",
    "khoản 2 Điều 9 Luật Trạm đọc sách cộng đồng",
    "dieu 9 khoan 2",
    "hỗ trợ kinh phí",
    "GPMB",
    "tiến độ cảng cá",
    "mực nước tối thiểu trong lâm phần rừng tràm",
]


def location_of(kind, folder):
    return folder / "index" if kind == "embedded" else f"milvus://{folder}/x.db"


def closed(location):
    """Let another process open a Milvus Lite database this process has open."""
    if is_milvus(location):
        release(MilvusLocation.parse(location))


@pytest.fixture(params=STORES)
def location(request, tmp_path):
    loc = location_of(request.param, tmp_path)
    yield loc
    closed(loc)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The fixture corpus indexed once in each store."""
    base = tmp_path_factory.mktemp("stores")
    corpus = copy_fixtures(base / "corpus", TEXT_FIXTURES)
    out = {}
    for kind in STORES:
        loc = location_of(kind, base)
        report = build(corpus, loc, HashingEncoder())
        assert not report.failed and report.total_chunks > 50
        out[kind] = loc
    yield out
    closed(out["milvus"])


def answers(searcher, query, **kw):
    r = searcher.ask(query, k=8, **kw)
    hits = [(h.chunk.id, h.citation, h.doc, h.chunk.line_start, h.chunk.line_end) for h in r.hits]
    answer = r.answer.to_json() if r.answer else None
    return hits, [round(h.score, 4) for h in r.hits], answer, r.no_answer


def test_both_stores_give_the_same_results_and_citations(built, encoder):
    a = Searcher(built["embedded"], encoder=encoder)
    b = Searcher(built["milvus"], encoder=encoder)
    assert a.store.kind == "embedded" and b.store.kind == "milvus"
    for q in QUERIES:
        ha, sa, ans_a, na = answers(a, q)
        hb, sb, ans_b, nb = answers(b, q)
        assert ha == hb, q
        assert sa == pytest.approx(sb, abs=1e-3), q
        assert (ans_a, na) == (ans_b, nb), q
    for f in [Filters(year=2025), Filters(kind="table_row"), Filters(doc="99/2024/QH15")]:
        assert answers(a, "kinh phí", filters=f) == answers(b, "kinh phí", filters=f)
    assert indexed_chunks(a) == indexed_chunks(b)


def test_store_interface_and_vocabulary(built, encoder):
    a, b = open_store(built["embedded"]), open_store(built["milvus"])
    for s in (a, b):
        assert isinstance(s, Store)
    assert a.size == b.size and a.metas == b.metas and a.model == b.model
    for token in ["~cang", "~cang_ca", "cảng", "~khong_co_tu_nay", "^~cang_ca"]:
        assert a.document_frequency(token) == b.document_frequency(token), token
        assert a.known(token) == b.known(token)
        assert a.idf(token) == pytest.approx(b.idf(token))
    assert a.document_frequency("~cang") > 0
    assert a.syllables.words == b.syllables.words
    assert np.array_equal(a.syllables.pairs, b.syllables.pairs)
    chunk = indexed_chunks(Searcher(built["milvus"], encoder=encoder))[5]
    assert b.chunk_by_id(chunk.id) == a.chunk_by_id(chunk.id) == chunk
    assert b.chunk_by_id("không có") is None


def test_finds_facts_and_filters(location, fixture_corpus, encoder):
    build(fixture_corpus, location, encoder)
    s = Searcher(location, encoder=encoder)
    hits = s.search("sức chứa kho lạnh cảng cá Khánh Hội Xanh", k=3)
    assert any(h.doc == "tinhuy_program_tabtable.txt" and "7.300 tấn" in h.text for h in hits)
    hits = s.search("hỗ trợ kinh phí", k=20, filters=Filters(year=2025))
    assert hits and all(h.chunk.meta.year == 2025 for h in hits)
    hits = s.search("hỗ trợ", k=20, filters=Filters(doc="99/2024/QH15"))
    assert hits and {h.doc for h in hits} == {"luat_mau.txt"}
    hits = s.search("kinh phí", k=20, filters=Filters(kind="table_row"))
    assert hits and all(h.chunk.kind == "table_row" for h in hits)
    assert s.search("kinh phí", filters=Filters(issuer="không có cơ quan này")) == []


def test_addressed_provision_ranks_first(location, fixture_corpus, encoder):
    build(fixture_corpus, location, encoder)
    s = Searcher(location, encoder=encoder)
    for q in ["khoản 2 Điều 9 Luật Trạm đọc sách cộng đồng", "dieu 9 khoan 2"]:
        r = s.ask(q, k=5)
        assert r.hits[0].doc == "luat_mau.txt" and "Điều 9" in r.hits[0].citation, q
    assert "khoản 2 Điều 9" in r.hits[0].citation or "Điều 9" in r.hits[0].citation
    r = s.ask("khoản 2 Điều 9 Luật Trạm đọc sách cộng đồng", k=5)
    assert r.answer and "khoản 2 Điều 9" in r.answer.citation


def test_incremental_add_change_remove_rename_duplicate(
    location, fixture_corpus, encoder, tmp_path
):
    r = build(fixture_corpus, location, encoder)
    assert len(r.added) == 7 and r.embedded_chunks > 0
    stamp = store_stamp(location)
    r = build(fixture_corpus, location, encoder)
    assert (len(r.unchanged), r.embedded_chunks, r.index_written) == (7, 0, False)
    assert store_stamp(location) == stamp
    s = Searcher(location, encoder=encoder)
    before = {c.id: c for c in indexed_chunks(s)}
    shutil.copy(FIXTURES / "luat_mau.txt", fixture_corpus / "luat_ban_sao.txt")
    chithi = fixture_corpus / "chithi_markdown.txt"
    chithi.write_text(
        chithi.read_text(encoding="utf-8") + "\n\n4. Điều mới được thêm.\n", encoding="utf-8"
    )
    (fixture_corpus / "xss_and_junk.txt").unlink()
    (fixture_corpus / "nghidinh_mau.txt").rename(fixture_corpus / "nghi_dinh_15.txt")
    r = build(fixture_corpus, location, encoder)
    assert r.updated == ["chithi_markdown.txt"]
    assert r.removed == ["xss_and_junk.txt"]
    assert r.renamed == [("nghidinh_mau.txt", "nghi_dinh_15.txt")]
    assert sorted(r.duplicates[0]) == ["luat_ban_sao.txt", "luat_mau.txt"]
    assert 0 < r.embedded_chunks <= 3  # only the changed passages are embedded again
    counts = "thêm 1, cập nhật 1, xóa 1, giữ nguyên 3, đổi tên 1, trùng nội dung 1 — "
    assert r.summary().startswith(counts)  # the copy sorts first: it is indexed, luat_mau not
    assert store_stamp(location) != stamp
    chunks = indexed_chunks(s)  # the searcher follows the new generation
    docs = {c.doc for c in chunks}
    assert "xss_and_junk.txt" not in docs and "nghi_dinh_15.txt" in docs
    assert any("Điều mới được thêm" in c.text for c in chunks)
    assert s.store.metas["luat_ban_sao.txt"].also_as == ("luat_mau.txt",)
    renamed = [c for c in chunks if c.doc == "nghi_dinh_15.txt"]
    assert [c.text for c in renamed] == [
        c.text for c in before.values() if c.doc == "nghidinh_mau.txt"
    ]
    assert s.ask("Điều mới được thêm").hits[0].doc == "chithi_markdown.txt"
    assert sum(1 for _ in chunks) == r.total_chunks == s.store.size

    def counts(index):
        return syllables(Searcher(index, encoder=encoder).store.syllables)

    def fresh_counts():
        shutil.rmtree(tmp_path / "fresh", ignore_errors=True)
        build(fixture_corpus, tmp_path / "fresh", encoder)
        return counts(tmp_path / "fresh")

    # Diacritics are restored from today's documents, as after a fresh build: the removed
    # document's words and the changed one's old passage count no more, in either store.
    fresh = fresh_counts()
    assert counts(location) == fresh and "nháy" not in fresh[0]  # only in xss_and_junk.txt
    # Another removal from the same first batch adds to the counts already taken away.
    (fixture_corpus / "nghi_dinh_15.txt").unlink()
    build(fixture_corpus, location, encoder)
    fresh = fresh_counts()
    assert counts(location) == fresh
    if not is_milvus(location):
        # A merge drops the dead passages' counts with their rows.
        build(fixture_corpus, location, encoder, optimize=True)
        assert counts(location) == fresh


def test_incremental_milvus_ranks_as_a_fresh_index(fixture_corpus, tmp_path, encoder):
    """BM25 weights stored at insert time are rescored with today's statistics: after
    changes, Milvus ranks as an index built from scratch on the final corpus."""
    uri = f"milvus://{tmp_path}/x.db"
    try:
        build(fixture_corpus, uri, encoder)
        (fixture_corpus / "xss_and_junk.txt").unlink()
        (fixture_corpus / "moi.txt").write_text(
            "KẾ HOẠCH\nVề việc bảo tồn\n1. Điều bổ sung về cá heo ở cảng cá.", encoding="utf-8"
        )
        build(fixture_corpus, uri, encoder)
        fresh = tmp_path / "fresh"
        build(fixture_corpus, fresh, encoder)
        a, b = Searcher(fresh, encoder=encoder), Searcher(uri, encoder=encoder)
        assert not b.store.exact  # the old batch was weighted with another average length
        for q in QUERIES:
            assert answers(a, q)[:2] == answers(b, q)[:2], q
        # Diacritics are restored from today's documents: the removed one's words are gone.
        assert syllables(b.store.syllables) == syllables(a.store.syllables)
        assert "nháy" not in b.store.syllables.words  # only in xss_and_junk.txt
    finally:
        closed(uri)


def syllables(counts):
    """Unigram and bigram counts as comparable dicts."""
    words = counts.words
    pairs = {
        (words[k >> 32], words[k & 0xFFFFFFFF]): int(n) for k, n in zip(counts.keys, counts.pairs)
    }
    return dict(zip(words, counts.unigrams.tolist(), strict=True)), pairs


def test_bad_input_keeps_old_documents(location, fixture_corpus, encoder):
    build(fixture_corpus, location, encoder)
    stamp = store_stamp(location)
    (fixture_corpus / "luat_mau.txt").write_bytes(b"\x00\x01binary now")
    shutil.copy(FIXTURES / "empty.txt", fixture_corpus / "empty.txt")
    r = build(fixture_corpus, location, encoder)
    assert sorted(f for f, _ in r.failed) == ["empty.txt", "luat_mau.txt"]
    s = Searcher(location, encoder=encoder)
    assert any(c.doc == "luat_mau.txt" for c in indexed_chunks(s))
    assert store_stamp(location) == stamp  # failures only: nothing to publish
    # A corpus where nothing can be read keeps the index as it is.
    stamp, size = store_stamp(location), s.store.size
    for f in fixture_corpus.iterdir():
        f.unlink()
    (fixture_corpus / "binary.txt").write_bytes(b"\x00\x01\x02")
    r = build(fixture_corpus, location, encoder)
    assert r.note == KEPT_INDEX and not r.index_written and r.total_chunks == size
    assert store_stamp(location) == stamp
    assert len({c.doc for c in indexed_chunks(s)}) == 7


def test_a_failed_write_leaves_the_previous_generation(
    location, fixture_corpus, encoder, monkeypatch
):
    from search.index import store

    build(fixture_corpus, location, encoder)
    stamp = store_stamp(location)
    (fixture_corpus / "luat_mau.txt").unlink()

    def boom(stage):
        if stage == "written":
            raise RuntimeError("disk full")

    monkeypatch.setattr(store, "checkpoint", boom)
    with pytest.raises(RuntimeError):
        build(fixture_corpus, location, encoder)
    assert store_stamp(location) == stamp
    s = Searcher(location, encoder=encoder)
    assert any(c.doc == "luat_mau.txt" for c in indexed_chunks(s))
    assert s.search("mực nước tối thiểu trong lâm phần rừng tràm", k=3)
    monkeypatch.undo()
    r = build(fixture_corpus, location, encoder)
    assert r.removed == ["luat_mau.txt"] and store_stamp(location) != stamp
    assert not any(c.doc == "luat_mau.txt" for c in indexed_chunks(s))


def test_command_lines_take_a_milvus_uri(fixture_corpus, tmp_path, capsys):
    uri = f"milvus://{tmp_path}/cli.db"
    args = ["--corpus", str(fixture_corpus), "--model", HASHING_MODEL, "--json"]
    try:
        assert ingest_main([*args, "--index", uri, "--collection", "vanban"]) == 0
        assert json.loads(capsys.readouterr().out)["added"] == 7
        assert search_main(["--index", f"{uri}/vanban", "--json", "kho lạnh Khánh Hội Xanh"]) == 0
        out = json.loads(capsys.readouterr().out)
        assert out["results"][0]["doc"] == "tinhuy_program_tabtable.txt"
        # Another collection of the same file is another index, with none built yet.
        assert search_main(["--index", uri, "kho lạnh"]) == 2
        err = capsys.readouterr().err.strip()
        assert err.startswith("Lỗi: Chưa có chỉ mục trong") and len(err.splitlines()) == 1
    finally:
        closed(uri)
    with pytest.raises(SystemExit):
        ingest_main([*args, "--index", str(tmp_path / "folder"), "--collection", "vanban"])
    assert "--collection" in capsys.readouterr().err


def test_server_lease_lets_one_ingest_in(tmp_path, monkeypatch):
    """The lease a Milvus server's ingest takes (run here on a Lite client)."""
    from search.index import milvus_lock
    from search.index.milvusdb import Collections, connect

    lite = MilvusLocation.parse(f"milvus://{tmp_path}/lease.db")
    server = MilvusLocation(lite.uri, None, "milvus.lan:19530", "tracuu")
    db = Collections(connect(lite, create=True), server)
    try:
        db.ensure_meta()
        with milvus_lock.lease(db):
            with pytest.raises(IngestLockedError, match="đang ghi"):
                with milvus_lock.lease(db):
                    pass
        with milvus_lock.lease(db):  # released: the next one gets it
            pass
        assert not db.query(db.meta, 'name == "lock"', ["key"])
        monkeypatch.setattr(milvus_lock, "LEASE_SECONDS", -1.0)  # a claim nobody renews
        with milvus_lock.lease(db), milvus_lock.lease(db):
            pass  # an expired claim does not hold the lock
    finally:
        release(lite)


# -- killed ingests (see test_crash.py) ------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("stage", STAGES)
def test_sigkill_at_each_stage_keeps_an_answering_index(location, fixture_corpus, tmp_path, stage):
    build(fixture_corpus, location, HashingEncoder())
    before = store_stamp(location)
    (fixture_corpus / "luat_moi.txt").write_text(
        (FIXTURES / "luat_mau.txt").read_text(encoding="utf-8") + "\nĐiều 13. Điều bổ sung.\n",
        encoding="utf-8",
    )
    (fixture_corpus / "chithi_markdown.txt").unlink()
    pause = tmp_path / "paused"
    closed(location)  # Milvus Lite: one process at a time
    proc = ingest_process(fixture_corpus, location, pause, stage)
    wait_for(pause, proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)

    s = Searcher(location, encoder=HashingEncoder())
    assert s.search("mực nước tối thiểu trong lâm phần rừng tràm", k=3)
    docs = {c.doc for c in indexed_chunks(s)}
    if stage == "published":
        assert store_stamp(location) != before and "luat_moi.txt" in docs
        assert "chithi_markdown.txt" not in docs
    else:
        assert store_stamp(location) == before and "chithi_markdown.txt" in docs
        assert "luat_moi.txt" not in docs
    assert (
        len(docs) == len(s.store.metas)
        and sum(len(s.document_chunks(d)) for d in docs) == s.store.size
    )  # no document half present
    report = build(fixture_corpus, location, HashingEncoder())  # the next ingest completes
    assert not report.failed
    docs = {c.doc for c in indexed_chunks(s)}
    assert "luat_moi.txt" in docs and "chithi_markdown.txt" not in docs
    assert len(indexed_chunks(s)) == s.store.size == report.total_chunks


@pytest.mark.slow
def test_second_ingest_is_refused_while_one_runs(location, fixture_corpus, tmp_path):
    pause = tmp_path / "paused"
    proc = ingest_process(fixture_corpus, location, pause, "embedded")
    try:
        wait_for(pause, proc)
        with pytest.raises(IngestLockedError, match="đang ghi"):
            build(fixture_corpus, location, HashingEncoder())
    finally:
        proc.kill()
        proc.wait()


# -- Ray: reading and encoding as Ray Data tasks ----------------------------------------------
@pytest.fixture(scope="module")
def local_ray():
    ray = pytest.importorskip("ray", reason="pip install -r requirements-cluster.txt")
    from search.index.ray_ingest import RayOptions

    yield RayOptions("local", workers=2, cpus=2)
    ray.shutdown()


@pytest.mark.slow
def test_ray_ingest_gives_the_passages_of_a_plain_ingest(built, local_ray, tmp_path, encoder):
    corpus = copy_fixtures(tmp_path / "corpus", TEXT_FIXTURES)
    folder, uri = tmp_path / "ray-index", f"milvus://{tmp_path}/ray.db"
    try:
        for loc in (folder, uri):  # Ray writes to either store
            r = build(corpus, loc, encoder, ray=local_ray)
            assert not r.failed and len(r.added) == 7 and r.embedded_chunks == r.total_chunks
        plain = Searcher(built["embedded"], encoder=encoder)
        for loc in (folder, uri):
            s = Searcher(loc, encoder=encoder)
            assert indexed_chunks(s) == indexed_chunks(plain)
            for q in QUERIES[:4]:
                assert answers(s, q) == answers(plain, q), q
        vectors = [
            open_store(x).segments[0].dense.all_vectors() for x in (folder, built["embedded"])
        ]
        assert np.array_equal(*vectors)
        # A file that fails is reported as in a plain ingest, and the rest stays.
        shutil.copy(FIXTURES / "binary.txt", corpus / "binary.txt")
        r = build(corpus, uri, encoder, ray=local_ray)
        assert [f for f, _ in r.failed] == ["binary.txt"] and r.unchanged and not r.embedded_chunks
    finally:
        closed(uri)
