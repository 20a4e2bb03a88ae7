"""What runs inside a worker process (workers.py starts them): limits the process sets on
itself, then each file read and measured.

The address-space limit (RLIMIT_AS) is set once; the CPU-time limit (RLIMIT_CPU) is moved
before each file so every file gets the same budget. Going past the CPU limit ends the
process (SIGXCPU); running out of memory raises MemoryError, which is reported and ends the
process too, since a heap that ran out may be in a bad state.
"""

from __future__ import annotations

import math
import os
import signal
import sys
import time
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection

from .reading import ReadResult, ReadStats, ReadTask, read_document

# Address space a worker needs (VmPeak, measured): 55 MB before it reads anything, under
# 60 MB for any file of corpus/, 85 MB for a 230-page PDF, 110 MB for a .docx with 12
# tables of 60 rows, 170 MB for a 2.4 MB web page. The largest files the readers accept
# (60 MB; XML trees take ~10 times their text) fit with room to spare, and a bomb stops
# long before the machine runs short (two workers: 3 GB at most).
MEMORY_MB = 1536
CPU_SECONDS = 120  # per file
WALL_SECONDS = 300.0  # per file, waiting included (a blocked read, a hung converter)
MEMORY_ENV = "TRACUU_PARSE_MEMORY_MB"
CPU_ENV = "TRACUU_PARSE_CPU_SECONDS"
WALL_ENV = "TRACUU_PARSE_WALL_SECONDS"
IDLE_SECONDS = 30  # an idle worker exits after this long

MEMORY_PROBLEM = "vượt giới hạn bộ nhớ khi đọc tệp"
TIME_PROBLEM = "vượt giới hạn thời gian khi đọc tệp"
CRASH_PROBLEM = "tiến trình đọc tệp dừng đột ngột"


@dataclass(frozen=True)
class Limits:
    memory_mb: int = MEMORY_MB
    cpu_seconds: int = CPU_SECONDS
    wall_seconds: float = WALL_SECONDS

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Limits:
        env = os.environ if environ is None else environ
        return cls(
            memory_mb=_positive(env.get(MEMORY_ENV), MEMORY_MB),
            cpu_seconds=_positive(env.get(CPU_ENV), CPU_SECONDS),
            wall_seconds=_positive(env.get(WALL_ENV), WALL_SECONDS),
        )


def run_task(task: ReadTask, limits: Limits | None = None) -> tuple[ReadResult, bool]:
    """Read one file and measure it; True when the process should not read another file.

    ``limits`` are those of the worker this runs in; None when it runs in the caller.
    """
    if limits is not None:
        _reset_peak_rss()  # the worker's peak memory, counted for this file alone
    wall0, cpu0 = time.perf_counter(), _cpu_seconds()
    fatal = False
    try:
        result = read_document(task)
    except MemoryError:
        result, fatal = ReadResult(task.rel, problem=_memory_problem(limits)), True
    except RecursionError:
        result = ReadResult(task.rel, problem="tệp có cấu trúc lồng nhau quá sâu")
    except Exception as exc:  # noqa: BLE001 - a reader's bug must not stop the ingest
        result = ReadResult(
            task.rel, problem=f"lỗi không mong đợi khi đọc tệp ({type(exc).__name__})"
        )
    stats = ReadStats(
        wall_seconds=time.perf_counter() - wall0,
        cpu_seconds=_cpu_seconds() - cpu0,
        peak_rss_mb=_peak_rss_mb(),
    )
    return replace(result, stats=stats), fatal


READY = "ready"  # sent once the readers are imported and the limits set


def main(argv: list[str] | None = None) -> None:
    """A worker's entry point; arguments ``FD MEMORY_MB CPU_SECONDS``: serve tasks on FD."""
    fd, memory_mb, cpu_seconds = (int(x) for x in (sys.argv[1:] if argv is None else argv))
    serve(Connection(fd), Limits(memory_mb=memory_mb, cpu_seconds=cpu_seconds))


def serve(conn: Connection, limits: Limits) -> None:
    """Read the tasks sent on ``conn`` until it closes, sends None, or stays idle."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _set_limit(_resource().RLIMIT_CORE, 0)  # a worker killed by a limit leaves no core file
    _set_limit(_resource().RLIMIT_AS, limits.memory_mb * 2**20)
    conn.send(READY)
    while True:
        try:
            if not conn.poll(IDLE_SECONDS):
                return
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        used = math.ceil(_cpu_seconds())
        _set_limit(_resource().RLIMIT_CPU, used + limits.cpu_seconds)
        result, fatal = run_task(task, limits)
        try:
            conn.send((result, fatal))
        except MemoryError:
            conn.send((ReadResult(task.rel, problem=_memory_problem(limits)), True))
            fatal = True
        if fatal:
            return  # a heap that ran out may be in a bad state: a fresh worker takes over


def _resource():
    import resource  # POSIX only; imported where it is used

    return resource


def _set_limit(which: int, soft: int) -> None:
    resource = _resource()
    _, hard = resource.getrlimit(which)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    try:
        # Only the soft limit: the hard one cannot be raised again for the next file.
        resource.setrlimit(which, (soft, hard))
    except (ValueError, OSError):
        pass


def _cpu_seconds() -> float:
    usage = _resource().getrusage(_resource().RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _reset_peak_rss() -> None:
    """Start the peak-memory count afresh for the next file (Linux)."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def _peak_rss_mb() -> float:
    """Peak resident memory since the last reset. Linux's VmHWM, not ru_maxrss: a process
    started by fork and exec counts in ru_maxrss the memory its parent had at the fork
    (a parent holding the model would make every worker look 1 GB large)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except (OSError, ValueError, IndexError):
        pass
    return _resource().getrusage(_resource().RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _memory_problem(limits: Limits | None) -> str:
    return f"{MEMORY_PROBLEM} ({limits.memory_mb} MB)" if limits else MEMORY_PROBLEM


def _positive(value: str | None, default):
    try:
        number = type(default)(value) if value is not None else default
    except ValueError:
        return default
    return number if number > 0 else default
