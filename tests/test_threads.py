"""The thread budget: who gets how many cores, set once per process."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from search.cli import ingest_main
from search.index import threads
from search.index.threads import plan


def test_query_side_takes_one_thread_by_default():
    b = plan("query", cores=8, environ={})
    assert (b.threads, b.parse_workers, b.nice) == (1, 1, 0)


def test_query_threads_from_the_environment_capped_at_the_cores():
    assert plan("query", cores=8, environ={"TRACUU_QUERY_THREADS": "3"}).threads == 3
    assert plan("query", cores=2, environ={"TRACUU_QUERY_THREADS": "16"}).threads == 2
    assert plan("query", cores=4, environ={"TRACUU_QUERY_THREADS": "all"}).threads == 4


def test_ingest_takes_every_core_niced_and_does_not_spin_beside_searches():
    b = plan("ingest", cores=8, environ={})
    assert (b.threads, b.parse_workers, b.nice, b.spin) == (8, 8, 10, False)
    assert plan("ingest", cores=1, environ={}).threads == 1


def test_ingest_spins_only_when_nobody_searches():
    b = plan("ingest", cores=2, environ={}, searching=False)
    assert (b.threads, b.spin) == (2, True)
    assert plan("ingest", 1, cores=2, environ={}, searching=False).threads == 1


def test_a_searching_process_is_seen_by_ingest(tmp_path):
    lock = tmp_path / "searchers.lock"
    assert not threads.searcher_running(lock)
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys; from search.index import threads\n"
         f"threads.announce_searcher({str(lock)!r}); print('ok', flush=True); sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "ok"
        assert threads.searcher_running(lock)
    finally:
        holder.communicate("")
    assert not threads.searcher_running(lock)  # the lock went with the process


def test_ingest_threads_flag_beats_environment():
    env = {"TRACUU_INGEST_THREADS": "2", "TRACUU_INGEST_NICE": "0"}
    assert plan("ingest", cores=8, environ=env).threads == 2
    assert plan("ingest", "all", cores=8, environ=env).threads == 8
    assert plan("ingest", "all", cores=8, environ=env, searching=False).spin  # alone
    assert plan("ingest", 5, cores=8, environ=env).threads == 5
    assert plan("ingest", cores=8, environ=env).nice == 0


@pytest.mark.parametrize("bad", ["0", "-1", "many", "1.5"])
def test_bad_thread_counts_are_refused(bad):
    with pytest.raises(ValueError, match="số nguyên dương hoặc 'all'"):
        plan("ingest", bad, cores=4, environ={})
    with pytest.raises(ValueError):
        plan("query", cores=4, environ={"TRACUU_QUERY_THREADS": bad})


def test_ingest_cli_rejects_a_bad_thread_count(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        ingest_main(["--corpus", str(tmp_path), "--index", str(tmp_path), "--threads", "x"])
    assert exc.value.code == 2
    assert "--threads" in capsys.readouterr().err


class FakeSessionOptions:
    def __init__(self):
        self.intra_op_num_threads = 0
        self.inter_op_num_threads = 0
        self.entries: dict[str, str] = {}

    def add_session_config_entry(self, key: str, value: str) -> None:
        self.entries[key] = value


def test_onnx_runtime_sessions_follow_the_budget():
    query, ingest = FakeSessionOptions(), FakeSessionOptions()
    threads.ort_options(query, plan("query", cores=4, environ={}))
    threads.ort_options(ingest, plan("ingest", cores=4, environ={}))
    assert (query.intra_op_num_threads, query.inter_op_num_threads, query.entries) == (1, 1, {})
    assert ingest.intra_op_num_threads == 4
    assert ingest.entries == {"session.intra_op.allow_spinning": "0"}


def _run(code: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TRACUU_", "OMP_"))}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_first_role_wins_and_reaches_torch_and_child_processes():
    got = _run(
        "import json, os\n"
        "from search.index import threads\n"
        "before = os.nice(0)\n"
        "q = threads.configure('query')\n"
        "again = threads.configure('ingest', 'all')\n"
        "import torch\n"
        "threads.apply_torch()\n"
        "print(json.dumps({'role': again.role, 'threads': torch.get_num_threads(),\n"
        "  'omp': os.environ['OMP_NUM_THREADS'], 'niced': os.nice(0) - before}))\n"
    )
    assert got == {"role": "query", "threads": 1, "omp": "1", "niced": 0}


def test_the_budget_reaches_faiss_loaded_before_it():
    got = _run(
        "import json\n"
        "import faiss\n"
        "from search.index import threads\n"
        "before = faiss.omp_get_max_threads()\n"
        "threads.configure('query')\n"
        "print(json.dumps({'before': before, 'after': faiss.omp_get_max_threads()}))\n"
    )
    assert got == {"before": threads.cpu_count(), "after": 1}


def test_ingest_role_lowers_the_priority():
    got = _run(
        "import json, os\n"
        "from search.index import threads\n"
        "before = os.nice(0)\n"
        "b = threads.configure('ingest', 1)\n"
        "print(json.dumps({'threads': b.threads, 'niced': os.nice(0) - before}))\n"
    )
    assert got["threads"] == 1
    assert got["niced"] == min(10, 19 - os.nice(0))  # the kernel caps niceness at 19
