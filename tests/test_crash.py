"""Killing ingest (SIGKILL) at any stage leaves the previous index loadable and answering,
and a second ingest at the same time is refused with a clear message."""

import signal
import subprocess
import sys

import pytest
from conftest import FIXTURES, ROOT, STAGES, indexed_chunks, ingest_process, wait_for
from fakes import HASHING_MODEL, HashingEncoder

from search import Searcher
from search.index import store
from search.index.ingest import build


@pytest.mark.parametrize("stage", STAGES)
def test_sigkill_at_each_stage_keeps_an_answering_index(fixture_corpus, tmp_path, stage):
    index = tmp_path / "index"
    build(fixture_corpus, index, HashingEncoder())
    before = store.generation_stamp(index)
    # A change that the killed run would have published.
    (fixture_corpus / "luat_moi.txt").write_text(
        (FIXTURES / "luat_mau.txt").read_text(encoding="utf-8") + "\nĐiều 13. Điều bổ sung.\n",
        encoding="utf-8",
    )
    (fixture_corpus / "chithi_markdown.txt").unlink()
    pause = tmp_path / "paused"
    proc = ingest_process(fixture_corpus, index, pause, stage)
    wait_for(pause, proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)

    s = Searcher(index, encoder=HashingEncoder())
    hits = s.search("mực nước tối thiểu trong lâm phần rừng tràm", k=3)
    assert hits  # the index loads and answers
    docs = {c.doc for c in indexed_chunks(s)}
    if stage == "published":
        assert store.generation_stamp(index) != before and "luat_moi.txt" in docs
    else:
        assert store.generation_stamp(index) == before and "chithi_markdown.txt" in docs
    # The next ingest cleans up and completes.
    report = build(fixture_corpus, index, HashingEncoder())
    assert not report.failed
    assert not list(index.glob("*.part")) and not list(index.glob("CURRENT.tmp-*"))
    gens = [p for p in index.iterdir() if p.name.startswith("gen-")]
    assert len(gens) <= 2


def test_second_ingest_is_refused_while_one_runs(fixture_corpus, tmp_path):
    index = tmp_path / "index"
    pause = tmp_path / "paused"
    proc = ingest_process(fixture_corpus, index, pause, "embedded")
    try:
        wait_for(pause, proc)
        out = subprocess.run(
            [
                sys.executable,
                str(ROOT / "ingest.py"),
                "--corpus",
                str(fixture_corpus),
                "--index",
                str(index),
                "--model",
                HASHING_MODEL,
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        assert out.returncode == 2
        assert out.stderr.strip().startswith("Lỗi: Một tiến trình lập chỉ mục khác đang ghi")
        assert len(out.stderr.strip().splitlines()) == 1
    finally:
        proc.kill()
        proc.wait()
