"""Building, updating and loading the index, with the fake encoder."""

import json
import os
import shutil
import sqlite3

import numpy as np
import pytest
from conftest import FIXTURES, indexed_chunks
from fakes import HASHING_MODEL

from search import Searcher
from search.errors import IndexMismatchError, IndexMissingError, IngestLockedError
from search.index import store
from search.index.ingest import build, ingest_lock


def test_build_writes_plain_files(fixture_index):
    gen = store.current_generation(fixture_index)
    assert {p.name for p in gen.iterdir()} == {"manifest.json", "lexicon.json"}
    manifest = json.loads((gen / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["schema_version"] == store.SCHEMA_VERSION
    assert manifest["model"] == {"name": HASHING_MODEL, "dim": 512}
    assert manifest["counts"]["documents"] == 7
    assert manifest["documents"]["luat_mau.txt"]["meta"]["number"] == "99/2024/QH15"
    assert "chunker" in manifest and "parser_version" in manifest
    assert "fusion" not in manifest  # ranking settings belong to the searcher, not the index
    (segment,) = manifest["segments"]
    seg = fixture_index / segment
    names = {p.name for p in seg.iterdir()}
    assert {"segment.json", "passages.sqlite", "dense.faiss", "lexical", "syllables"} <= names
    for array in seg.rglob("*.npy"):
        np.load(array, allow_pickle=False)  # plain arrays, no pickle
    db = sqlite3.connect(seg / "passages.sqlite")
    (record,) = db.execute("SELECT record FROM passages LIMIT 1").fetchone()
    assert "\\u" not in record  # Vietnamese is written as is


def test_searcher_finds_fixture_facts(fixture_index, encoder):
    s = Searcher(fixture_index, encoder=encoder)
    hits = s.search("sức chứa kho lạnh cảng cá Khánh Hội Xanh", k=3)
    assert any(h.doc == "tinhuy_program_tabtable.txt" and "7.300 tấn" in h.text for h in hits)
    hit = s.search("luat tram doc sach co hieu luc tu ngay nao", k=3)
    assert any("01 tháng 01 năm 2025" in h.text for h in hit)


def test_filters(fixture_index, encoder):
    from search import Filters

    s = Searcher(fixture_index, encoder=encoder)
    hits = s.search("hỗ trợ kinh phí", k=20, filters=Filters(year=2025))
    assert hits and all(h.chunk.meta.year == 2025 for h in hits)
    hits = s.search("hỗ trợ", k=20, filters=Filters(doc="99/2024/QH15"))
    assert hits and {h.doc for h in hits} == {"luat_mau.txt"}
    hits = s.search("kinh phí", k=20, filters=Filters(kind="table_row"))
    assert hits and all(h.chunk.kind == "table_row" for h in hits)
    assert s.search("kinh phí", filters=Filters(issuer="không có cơ quan này")) == []


def test_incremental_add_change_remove_rename(fixture_corpus, tmp_path, encoder):
    index = tmp_path / "index"
    r = build(fixture_corpus, index, encoder)
    assert len(r.added) == 7 and r.embedded_chunks > 0
    r = build(fixture_corpus, index, encoder)
    assert (len(r.unchanged), r.embedded_chunks, r.index_written) == (7, 0, False)
    # add one, change one, remove one, rename one
    shutil.copy(FIXTURES / "luat_mau.txt", fixture_corpus / "luat_ban_sao.txt")
    chithi = fixture_corpus / "chithi_markdown.txt"
    chithi.write_text(
        chithi.read_text(encoding="utf-8") + "\n\n4. Điều mới được thêm.\n", encoding="utf-8"
    )
    (fixture_corpus / "xss_and_junk.txt").unlink()
    (fixture_corpus / "nghidinh_mau.txt").rename(fixture_corpus / "nghi_dinh_15.txt")
    r = build(fixture_corpus, index, encoder)
    assert r.updated == ["chithi_markdown.txt"]
    assert r.removed == ["xss_and_junk.txt"]
    assert r.renamed == [("nghidinh_mau.txt", "nghi_dinh_15.txt")]
    assert r.duplicates == [("luat_mau.txt", "luat_ban_sao.txt")] or r.duplicates == [
        ("luat_ban_sao.txt", "luat_mau.txt")
    ]
    assert 0 < r.embedded_chunks <= 3  # only the changed passages are embedded again
    s = Searcher(index, encoder=encoder)
    docs = {c.doc for c in indexed_chunks(s)}
    assert "xss_and_junk.txt" not in docs and "nghi_dinh_15.txt" in docs
    assert any("Điều mới được thêm" in c.text for c in indexed_chunks(s))


def test_unchanged_files_are_not_read_again(fixture_corpus, tmp_path, encoder, monkeypatch):
    """Reindexing hashes only files whose status changed since the previous scan; a file
    rewritten to the same size with its old mtime put back is still seen as changed."""
    from search.index import ingest

    hashed = []
    real = ingest._fingerprint
    monkeypatch.setattr(ingest, "_fingerprint", lambda p: hashed.append(p.name) or real(p))
    index = tmp_path / "index"
    build(fixture_corpus, index, encoder)
    assert len(hashed) == 7
    hashed.clear()
    build(fixture_corpus, index, encoder)  # files changed just before the last scan
    assert len(hashed) == 7
    monkeypatch.setattr(ingest, "RACY_NS", 0)  # as if that scan were long after the edits
    hashed.clear()
    r = build(fixture_corpus, index, encoder)
    assert hashed == [] and len(r.unchanged) == 7
    target = fixture_corpus / "luat_mau.txt"
    st = target.stat()
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("Luật", "LUẬT", 1), encoding="utf-8")  # same byte count
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert target.stat().st_size == st.st_size
    r = build(fixture_corpus, index, encoder)
    assert hashed == ["luat_mau.txt"] and r.updated == ["luat_mau.txt"]
    # An index from before scans were kept: the first run hashes all and saves the scan.
    gen = store.current_generation(index)
    manifest = json.loads((gen / "manifest.json").read_text(encoding="utf-8"))
    del manifest["scan"]
    (gen / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    hashed.clear()
    r = build(fixture_corpus, index, encoder)
    assert len(hashed) == 7 and r.index_written and not r.embedded_chunks
    hashed.clear()
    r = build(fixture_corpus, index, encoder)
    assert hashed == [] and not r.index_written


def test_bad_files_are_reported_and_others_indexed(fixture_corpus, tmp_path, encoder):
    shutil.copy(FIXTURES / "empty.txt", fixture_corpus / "empty.txt")
    shutil.copy(FIXTURES / "binary.txt", fixture_corpus / "binary.txt")
    r = build(fixture_corpus, tmp_path / "index", encoder)
    failed = dict(r.failed)
    assert set(failed) == {"empty.txt", "binary.txt"}
    assert "rỗng" in failed["empty.txt"] and "nhị phân" in failed["binary.txt"]
    assert len(r.added) == 7


def test_failed_file_keeps_its_old_passages(fixture_corpus, tmp_path, encoder):
    index = tmp_path / "index"
    build(fixture_corpus, index, encoder)
    (fixture_corpus / "luat_mau.txt").write_bytes(b"\x00\x01binary now")
    r = build(fixture_corpus, index, encoder)
    assert [f for f, _ in r.failed] == ["luat_mau.txt"]
    assert any(c.doc == "luat_mau.txt" for c in indexed_chunks(Searcher(index, encoder=encoder)))


def test_missing_index_and_model_mismatch(tmp_path, fixture_index, encoder):
    with pytest.raises(IndexMissingError, match="ingest.py"):
        Searcher(tmp_path / "nothing", encoder=encoder)
    with pytest.raises(IndexMismatchError, match="--rebuild"):
        Searcher(fixture_index, model="intfloat/multilingual-e5-base")


def test_schema_mismatch_names_the_fix(fixture_corpus, tmp_path, encoder):
    index = tmp_path / "index"
    build(fixture_corpus, index, encoder)
    gen = store.current_generation(index)
    m = json.loads((gen / "manifest.json").read_text(encoding="utf-8"))
    m["schema_version"] = 0
    (gen / "manifest.json").write_text(json.dumps(m), encoding="utf-8")
    with pytest.raises(IndexMismatchError, match="python ingest.py --rebuild"):
        Searcher(index, encoder=encoder)


def test_crash_before_publish_keeps_previous_index(fixture_corpus, tmp_path, encoder, monkeypatch):
    index = tmp_path / "index"
    build(fixture_corpus, index, encoder)
    before = store.generation_stamp(index)
    (fixture_corpus / "luat_mau.txt").unlink()

    def boom(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "publish", boom)
    with pytest.raises(RuntimeError):
        build(fixture_corpus, index, encoder)
    assert store.generation_stamp(index) == before
    assert not list(index.glob("gen-*.part"))
    s = Searcher(index, encoder=encoder)
    assert any(c.doc == "luat_mau.txt" for c in indexed_chunks(s))


def test_searcher_follows_a_swapped_index(fixture_corpus, tmp_path, encoder):
    index = tmp_path / "index"
    build(fixture_corpus, index, encoder)
    s = Searcher(index, encoder=encoder)
    assert not any("Điều bổ sung về cá heo" in c.text for c in indexed_chunks(s))
    (fixture_corpus / "moi.txt").write_text(
        "KẾ HOẠCH\nVề việc bảo tồn\n1. Điều bổ sung về cá heo.", encoding="utf-8"
    )
    build(fixture_corpus, index, encoder)
    assert s.search("cá heo", k=1)[0].doc == "moi.txt"


def test_concurrent_first_queries_load_one_model(fixture_index, monkeypatch):
    """Queries are encoded on pool threads; the first few at once share one model load."""
    import threading
    import time

    from search.query import searcher as searcher_mod

    loads = []
    real = searcher_mod.load_encoder

    def slow_load(name):
        loads.append(name)
        time.sleep(0.2)
        return real(name)

    monkeypatch.setattr(searcher_mod, "load_encoder", slow_load)
    s = Searcher(fixture_index, query_cache=0)
    queries = ["thùng phân loại rác", "Hòn Khoai", "trạm đọc sách", "phí cấp giấy"]
    workers = [threading.Thread(target=s.search, args=(q,)) for q in queries]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert loads == [HASHING_MODEL]


def test_lock_refuses_a_second_ingest(tmp_path):
    with ingest_lock(tmp_path):
        with pytest.raises(IngestLockedError, match="đang ghi"):
            with ingest_lock(tmp_path):
                pass
