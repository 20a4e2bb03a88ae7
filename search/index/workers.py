"""Files read in sandboxed worker processes, the way Apache Tika's ForkParser isolates
documents: no file can stop the ingest.

Each worker reads one file at a time (extract → parse → chunk, ``reading.read_document``)
under limits on its address space (RLIMIT_AS) and CPU time (RLIMIT_CPU, per file), and
this process gives every file a wall-clock deadline. A file that exceeds a limit is
reported in one line and skipped; a worker that dies is replaced; results come back as
they are ready, so the caller can encode passages while the workers read on.

A worker is a fresh interpreter (``sandbox.main``), never a fork of this
process: a process holding a loaded model would hand a forked child gigabytes of address
space for RLIMIT_AS to count. Multiprocessing's "spawn" and "forkserver" would start clean
too, but they run the caller's main script again in every worker (a script without an
``if __name__ == "__main__"`` guard would ingest recursively, and ``ui.py``'s imports would
load in each worker); a plain subprocess runs only the readers. Idle workers are kept for
the next ingest in this process for a few seconds, then exit on their own.

Limits can be changed with environment variables (``TRACUU_PARSE_MEMORY_MB``,
``TRACUU_PARSE_CPU_SECONDS``, ``TRACUU_PARSE_WALL_SECONDS``); ``workers=0`` (or
``TRACUU_PARSE_WORKERS=0``) reads in this process, without limits, for debugging and for
tests that patch the readers.
"""

from __future__ import annotations

import atexit
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import Connection, wait
from pathlib import Path

from tqdm import tqdm

from ..errors import ReaderPoolError
from ..text.display import vn_number
from .reading import ReadResult, ReadStats, ReadTask
from .sandbox import (
    CRASH_PROBLEM,
    MEMORY_PROBLEM,
    READY,
    TIME_PROBLEM,
    Limits,
    run_task,
)

STARTUP_SECONDS = 120  # a worker imports the readers before it says it is ready
WORKERS_ENV = "TRACUU_PARSE_WORKERS"
REUSE_SECONDS = 20  # an idle worker is handed a new file only before this (it exits at 30)


def default_workers() -> int:
    """$TRACUU_PARSE_WORKERS, else min(2, CPUs): two files read at a time."""
    value = os.environ.get(WORKERS_ENV)
    if value is not None and value.strip().isdigit():
        return int(value)
    return min(2, os.cpu_count() or 1)


def read_all(
    tasks: list[ReadTask],
    *,
    workers: int | None = None,
    limits: Limits | None = None,
    progress: bool = False,
    notify: Callable[[float, str], None] | None = None,
) -> dict[str, ReadResult]:
    """Every task's result by file name, with a progress bar and ``notify(fraction, text)``
    (fractions 0.05 to 0.2 of an ingest) as files come back."""
    results: dict[str, ReadResult] = {}
    bar = tqdm(total=len(tasks), desc="Đọc tệp", unit="tệp", disable=not progress or not tasks)
    for result in read_files(tasks, workers=workers, limits=limits):
        results[result.rel] = result
        bar.update(1)
        if notify is not None:
            notify(
                0.05 + 0.15 * len(results) / len(tasks), f"Đã đọc {len(results)}/{len(tasks)} tệp"
            )
    bar.close()
    return results


def read_files(
    tasks: Iterable[ReadTask], *, workers: int | None = None, limits: Limits | None = None
) -> Iterator[ReadResult]:
    """One result per task, in the order they finish; ``workers=0`` reads in this process."""
    tasks = list(tasks)
    workers = default_workers() if workers is None else workers
    if workers <= 0:
        for task in tasks:
            yield run_task(task)[0]
        return
    if not tasks:
        return
    pool = _Pool(min(workers, len(tasks)), limits or Limits.from_env())
    results: queue.Queue = queue.Queue()
    manager = threading.Thread(target=pool.run, args=(tasks, results), daemon=True)
    manager.start()
    try:
        for _ in tasks:
            item = results.get()
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        pool.stop.set()
        manager.join()


class _Worker:
    """A worker process and its end of the socket; ``task`` is the file it reads now."""

    def __init__(self, limits: Limits):
        mine, theirs = socket.socketpair()
        fd = theirs.fileno()
        args = [str(fd), str(limits.memory_mb), str(limits.cpu_seconds)]
        self.process = subprocess.Popen(
            [sys.executable, "-c", _WORKER_MAIN, *args],
            pass_fds=(fd,),
            env=_worker_env(),
            cwd=_HOME,  # ``-c`` looks in the working folder first
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,  # stdout may carry the caller's JSON; errors go to stderr
        )
        theirs.close()
        self.conn = Connection(mine.detach())
        self.limits = limits
        self.ready = False
        self.task: ReadTask | None = None
        self.started = 0.0
        self.idle_since = 0.0

    def wait_ready(self) -> None:
        if not self.ready:
            if not self.conn.poll(STARTUP_SECONDS) or self.recv() != READY:
                self.kill()
                raise ReaderPoolError(
                    "Không khởi động được tiến trình đọc tệp "
                    f"(mã thoát {self.process.returncode}). Có thể chạy với {WORKERS_ENV}=0."
                )
            self.ready = True

    def recv(self):
        try:
            return self.conn.recv()
        except (EOFError, OSError):
            return None

    def send(self, task: ReadTask) -> None:
        self.conn.send(task)
        self.task, self.started = task, time.monotonic()

    def kill(self) -> int:
        if self.process.poll() is None:
            self.process.kill()
        self.conn.close()
        return self.process.wait()

    def close(self) -> None:
        try:
            self.conn.send(None)
            self.process.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            pass
        self.kill()


_WORKER_MAIN = "from search.index.sandbox import main; main()"
_HOME = str(Path(__file__).resolve().parents[2])  # the folder holding the ``search`` package


def _worker_env() -> dict[str, str]:
    """This environment, with this ``search`` package first on the path."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (_HOME, env.get("PYTHONPATH")) if p)
    return env


# Idle workers wait here for the next ingest in this process (until REUSE_SECONDS).
_idle: list[_Worker] = []
_idle_lock = threading.Lock()


def _take(limits: Limits) -> _Worker:
    with _idle_lock:
        while _idle:
            w = _idle.pop()
            fresh = time.monotonic() - w.idle_since < REUSE_SECONDS
            if fresh and w.limits == limits and w.process.poll() is None:
                return w
            w.close()
    return _Worker(limits)


def _give_back(w: _Worker) -> None:
    w.idle_since = time.monotonic()
    with _idle_lock:
        _idle.append(w)


@atexit.register
def _close_idle() -> None:
    with _idle_lock:
        while _idle:
            _idle.pop().close()


class _Pool:
    """Runs on a thread of its own: starts workers, hands out tasks, enforces deadlines."""

    def __init__(self, size: int, limits: Limits):
        self.size = size
        self.limits = limits
        self.stop = threading.Event()

    def run(self, tasks: list[ReadTask], results: queue.Queue) -> None:
        workers: list[_Worker] = []
        try:
            pending = deque(tasks)
            workers = [_take(self.limits) for _ in range(self.size)]  # start them together
            for w in workers:
                w.wait_ready()
            while (pending or any(w.task for w in workers)) and not self.stop.is_set():
                for i, w in enumerate(workers):
                    if w.task is None and pending:
                        workers[i] = self._dispatch(w, pending.popleft())
                busy = [w for w in workers if w.task is not None]
                deadline = min(w.started + self.limits.wall_seconds for w in busy)
                timeout = min(max(deadline - time.monotonic(), 0.0), 0.5)  # wake to see a stop
                wait([w.conn for w in busy], timeout)
                for i, w in enumerate(workers):
                    if w.task is not None:
                        workers[i] = self._collect(w, results)
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer to raise
            results.put(exc)
        finally:
            for w in workers:
                if w.task is None and w.ready and w.process.poll() is None:
                    _give_back(w)
                else:  # stopped early: no need to wait for the file it reads
                    w.kill()

    def _fresh(self) -> _Worker:
        w = _Worker(self.limits)
        w.wait_ready()
        return w

    def _dispatch(self, w: _Worker, task: ReadTask) -> _Worker:
        try:
            w.send(task)
        except OSError:  # the worker exited while idle: the file is not to blame
            w.kill()
            w = self._fresh()
            w.send(task)
        return w

    def _collect(self, w: _Worker, results: queue.Queue) -> _Worker:
        """Take ``w``'s result if it is there; a worker that died or ran out of time is
        reported against its file and replaced."""
        task = w.task
        assert task is not None
        elapsed = time.monotonic() - w.started
        if w.conn.poll():
            message = w.recv()  # None: the worker died (its end of the socket closed)
            if message is not None:
                result, fatal = message
                results.put(result)
                w.task = None
                if not fatal:
                    return w
                w.kill()  # it has exited, or is about to
                return self._fresh()
            try:
                code = w.process.wait(timeout=5)
                problem = self._death(code)
            except subprocess.TimeoutExpired:  # closed its socket but lives on
                w.kill()
                problem = f"{CRASH_PROBLEM} (mất kết nối)"
        elif elapsed < self.limits.wall_seconds:
            return w
        else:
            w.kill()
            seconds = vn_number(f"{self.limits.wall_seconds:g}")
            problem = f"{TIME_PROBLEM} (quá {seconds} s)"
        w.conn.close()
        results.put(ReadResult(task.rel, problem=problem, stats=ReadStats(wall_seconds=elapsed)))
        return self._fresh()

    def _death(self, code: int) -> str:
        if code == -signal.SIGXCPU:
            return f"{TIME_PROBLEM} (quá {self.limits.cpu_seconds} s CPU)"
        if code == -signal.SIGKILL:  # the kernel's out-of-memory killer
            return f"{MEMORY_PROBLEM} (tiến trình đọc bị hệ điều hành dừng)"
        if code < 0:
            return f"{CRASH_PROBLEM} ({signal.Signals(-code).name})"
        return f"{CRASH_PROBLEM} (mã thoát {code})"
