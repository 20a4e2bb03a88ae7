"""The thread budget: how much of the machine the query side and ingest may use.

A search encodes one short query at a time and gains little from more than one intra-op
thread; ingest encodes hundreds of passages and wants every core. When both run on the same
machine and both ask for every core, their thread pools spin against each other and the
slowest searches get many times slower. So each process takes a role once, at start:

- ``query`` (search CLI, web UI, Searcher): ``$TRACUU_QUERY_THREADS`` threads, default 1.
- ``ingest`` (``python ingest.py``): every core (``--threads N|all`` or
  ``$TRACUU_INGEST_THREADS`` decide instead) at a lower CPU priority (``os.nice``,
  ``$TRACUU_INGEST_NICE``, default 10): searches win the CPU whenever they want it, and
  ingest keeps what they leave. Leaving a searcher a core of its own instead halved ingest
  whenever a search server was up, busy or not (measured with 2 searches a second: 54 % of
  its speed alone, against 102 %, the searches within 1.4x of idle either way).

The budget reaches torch (``torch.set_num_threads``, applied when the torch encoder loads),
ONNX Runtime (the session's ``intra_op_num_threads``), FAISS (``omp_set_num_threads``) and
the OpenMP/BLAS pools of libraries loaded later and of child processes (``OMP_NUM_THREADS``
and friends).
``Budget.parse_workers`` is the number of document-parsing workers ingest may run.

A process that searches (any index: they all share the machine's cores) says so with a
shared lock on ``SEARCHERS_LOCK`` held until it exits (:func:`announce_searcher`); ingest
tests that lock (:func:`searcher_running`), and while one is searching its idle pool
threads sleep instead of busy-waiting for work.
"""

from __future__ import annotations

import fcntl
import os
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

QUERY_THREADS_ENV = "TRACUU_QUERY_THREADS"
INGEST_THREADS_ENV = "TRACUU_INGEST_THREADS"
INGEST_NICE_ENV = "TRACUU_INGEST_NICE"
DEFAULT_QUERY_THREADS = 1
DEFAULT_INGEST_NICE = 10
ROLES = ("query", "ingest")
SEARCHERS_LOCK = Path(tempfile.gettempdir()) / "tracuu-searchers.lock"
# Read by OpenMP, MKL and OpenBLAS when they start (in this process or in a child).
_POOL_ENV = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")


@dataclass(frozen=True)
class Budget:
    role: str  # "query" or "ingest"
    threads: int  # intra-op threads of the encoder (torch and ONNX Runtime alike)
    parse_workers: int  # document-parsing workers ingest may run
    nice: int  # CPU priority decrease asked for (0: none)
    spin: bool  # may idle pool threads busy-wait (fast hand-offs, but they burn a core)


def cpu_count() -> int:
    """Cores this process may run on (the affinity mask, which containers narrow)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def parse_threads(value: str | int | None) -> int | str | None:
    """'all' → 'all'; '3' → 3; None or '' → None. Anything else is refused (ValueError)."""
    if value is None or value == "":
        return None
    if isinstance(value, int) or str(value).strip().isdigit():
        n = int(value)
        if n < 1:
            raise ValueError("số luồng phải là số nguyên dương hoặc 'all'")
        return n
    if str(value).strip().lower() == "all":
        return "all"
    raise ValueError(f"số luồng phải là số nguyên dương hoặc 'all', không phải {value!r}")


def plan(
    role: str,
    threads: int | str | None = None,
    *,
    cores: int | None = None,
    environ: dict[str, str] | None = None,
    searching: bool = True,
) -> Budget:
    """The budget for ``role``: ``threads`` if given, else the role's variable, else default
    (for ingest: every core; its pool threads busy-wait only when nobody is ``searching``)."""
    if role not in ROLES:
        raise ValueError(f"role phải là một trong {ROLES}, không phải {role!r}")
    env = os.environ if environ is None else environ
    cores = cores or cpu_count()
    var = QUERY_THREADS_ENV if role == "query" else INGEST_THREADS_ENV
    asked = parse_threads(threads) or parse_threads(env.get(var))
    if role == "query":
        n = cores if asked == "all" else min(asked or DEFAULT_QUERY_THREADS, cores)
        return Budget("query", n, parse_workers=1, nice=0, spin=True)
    n = cores if asked in (None, "all") else min(asked, cores)
    try:
        nice = int(env.get(INGEST_NICE_ENV, DEFAULT_INGEST_NICE) or 0)
    except ValueError:
        raise ValueError(f"{INGEST_NICE_ENV} phải là số nguyên (0: không hạ ưu tiên)") from None
    # Parsing and encoding run one after the other, so the workers share the same cores.
    # Idle pool threads busy-wait only when ingest has the machine to itself.
    return Budget("ingest", n, parse_workers=n, nice=max(0, nice), spin=not searching)


_lock = threading.Lock()
_active: Budget | None = None


def configure(role: str, threads: int | str | None = None, *, searching: bool = True) -> Budget:
    """Take ``role`` for this process; the first call wins, later ones return that budget.

    Call it at start, before the encoder loads: torch and ONNX Runtime size their pools
    once. A process that never calls it keeps the libraries' defaults (every core).
    """
    global _active
    # A bad value is refused even when a role is already set.
    budget = plan(role, threads, searching=searching)
    with _lock:
        if _active is None:
            _apply(budget)
            _active = budget
        return _active


_searching: dict[str, int] = {}  # lock file -> the descriptor holding its shared lock


def announce_searcher(lock: Path = SEARCHERS_LOCK) -> None:
    """Mark this process as a searcher until it exits, so that an ingest on this machine
    does not busy-wait beside it. Nothing happens where the lock file cannot be made."""
    key = os.path.realpath(lock)
    with _lock:
        if key in _searching:
            return
        try:
            fd = os.open(key, os.O_RDONLY | os.O_CREAT, 0o666)
        except OSError:
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return
        _searching[key] = fd


def searcher_running(lock: Path = SEARCHERS_LOCK) -> bool:
    """Whether some process (this one included) announced it searches."""
    try:
        fd = os.open(lock, os.O_RDONLY)
    except FileNotFoundError:
        return False
    except OSError:
        return True  # cannot tell: assume one is
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # also drops the lock just taken
    return False


def active() -> Budget | None:
    """The budget this process took, or None when it never called :func:`configure`."""
    return _active


def _apply(budget: Budget) -> None:
    for var in _POOL_ENV:
        os.environ[var] = str(budget.threads)
    if "torch" in sys.modules:  # else the torch encoder applies it when it loads
        apply_torch()
    if "faiss" in sys.modules:  # its OpenMP pool read the variable when faiss loaded
        import faiss

        faiss.omp_set_num_threads(budget.threads)
    if budget.nice:
        try:
            os.nice(budget.nice)
        except OSError:  # not permitted here: run at normal priority
            pass


def apply_torch(budget: Budget | None = None) -> None:
    """Size torch's pools from the budget (the torch encoder calls this when it loads)."""
    budget = budget or _active
    if budget is None:
        return
    import torch

    if torch.get_num_threads() != budget.threads:
        torch.set_num_threads(budget.threads)
    try:
        torch.set_num_interop_threads(1)  # one model, one call at a time
    except RuntimeError:  # already set, or torch already ran parallel work: keep it
        pass


def ort_options(options, budget: Budget | None = None) -> None:
    """Size an ``onnxruntime.SessionOptions`` from the budget (no budget: ORT's defaults)."""
    budget = budget or _active
    options.inter_op_num_threads = 1
    if budget is None:
        return
    options.intra_op_num_threads = budget.threads
    if not budget.spin:
        # Busy-waiting pool threads would take CPU from searches running beside ingest.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
