"""Shared fixtures: the fixture documents, a fake encoder, a small built index."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fakes import HASHING_MODEL, HashingEncoder  # noqa: E402

from search.index.ingest import build  # noqa: E402
from search.structure.parser import parse_text  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "docs"
CORPUS = ROOT / "corpus"
# A small document that is not in the fixture corpus, for upload and reindex tests.
NOTICE = """ỦY BAN NHÂN DÂN TỈNH CÀ MAU
Số: 99/TB-UBND
Cà Mau, ngày 02 tháng 02 năm 2026
THÔNG BÁO
Về việc vận hành bến phà Cái Keo

1. Bến phà Cái Keo vận hành từ ngày 15/02/2026, mỗi ngày 24 chuyến.
2. Sở Xây dựng chủ trì kiểm tra an toàn bến phà Cái Keo hằng quý.
"""

TEXT_FIXTURES = [
    "ubnd_program_celltable.txt",
    "tinhuy_program_tabtable.txt",
    "ubnd_plan_pipetable.txt",
    "chithi_markdown.txt",
    "luat_mau.txt",
    "nghidinh_mau.txt",
    "xss_and_junk.txt",
]


def copy_fixtures(folder: Path, names) -> Path:
    """A corpus folder holding copies of the named fixture documents."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(FIXTURES / name, folder / name)
    return folder


def indexed_chunks(searcher) -> list:
    """Every passage of every indexed document, in document order."""
    store = searcher.store
    return [c for doc in sorted(store.metas) for c in store.document_chunks(doc)]


def parse_fixture(name: str):
    return parse_text((FIXTURES / name).read_text(encoding="utf-8"), doc=name)


def pasted_paragraph() -> str:
    """A paragraph of a fixture plan (not a table row) long enough to be read as a paste."""
    lines = (FIXTURES / "ubnd_plan_pipetable.txt").read_text(encoding="utf-8").split("\n")
    return next(line for line in lines if len(line) > 150 and "|" not in line)


@pytest.fixture(scope="session")
def encoder():
    return HashingEncoder()


@pytest.fixture
def fixture_corpus(tmp_path: Path) -> Path:
    """A corpus folder with the readable fixture documents (no junk files)."""
    return copy_fixtures(tmp_path / "corpus", TEXT_FIXTURES)


@pytest.fixture(scope="session")
def fixture_index(tmp_path_factory, encoder) -> Path:
    """An index over the fixture documents, built once with the fake encoder."""
    base = tmp_path_factory.mktemp("fixture_index")
    corpus = copy_fixtures(base / "corpus", TEXT_FIXTURES)
    index = base / "index"
    report = build(corpus, index, encoder)
    assert not report.failed
    return index


# -- ingest killed at a stage (test_crash.py, test_stores.py) ---------------------------
STAGES = ["parsed", "embedded", "written", "renamed", "published"]


def ingest_process(corpus, location, pause_file=None, stage=None):
    env = dict(os.environ)
    if stage:
        env.update(TRACUU_INGEST_PAUSE=stage, TRACUU_INGEST_PAUSE_FILE=str(pause_file))
    args = ["--corpus", str(corpus), "--index", str(location), "--model", HASHING_MODEL]
    return subprocess.Popen(
        [sys.executable, str(ROOT / "ingest.py"), *args, "--quiet"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(path, proc, timeout=120):
    deadline = time.time() + timeout
    while not path.exists():
        assert proc.poll() is None, proc.stderr.read()
        assert time.time() < deadline, "ingest never reached the stage"
        time.sleep(0.05)
