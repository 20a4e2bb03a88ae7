"""Reading and encoding on a Ray cluster: ``python ingest.py --ray [ADDRESS]``.

Ingest stays the same (ingest.build decides what changed and writes either store); only
its two heavy steps move to Ray Data:

* reading: ``ray.data.from_items`` of the files to read, one block (one task) per file;
  each task reads its file with the project's sandboxed reader (workers.read_files: a
  worker process with memory, CPU and time limits), so no file can stop the ingest;
* encoding: the passages, sorted by length so that a batch pads to its own longest,
  ``map_batches`` over a pool of actors, each holding one encoder (on a GPU when the
  cluster has one: ``num_gpus=1`` per actor).

``local`` starts a cluster on this machine (``ray.init(num_cpus=...)``); any other value is
the address of a running cluster (``ray://HOST:10001``, or ``auto``), whose nodes need the
project's requirements installed and the corpus folder at the same path (a shared folder).
"""

from __future__ import annotations

import logging
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ClusterError
from .ingest import EMBED_BATCH as BATCH  # passages per encoder call, as ingest's own
from .reading import ReadResult, ReadTask
from .workers import Limits, read_files

_HOME = str(Path(__file__).resolve().parents[2])  # the folder holding the ``search`` package


@dataclass(frozen=True)
class RayOptions:
    address: str = "local"  # "local": a cluster on this machine; else a cluster's address
    workers: int = 2  # encoder actors, one encoder each
    cpus: int | None = None  # CPUs of a local cluster (default: this machine's cores)

    def __post_init__(self) -> None:
        if self.workers < 1:
            raise ClusterError("--ray-workers phải là số nguyên dương")
        os.environ.setdefault("GRPC_VERBOSITY", "ERROR")  # as milvusdb.connect
        try:
            import ray  # noqa: F401
        except ImportError as exc:
            raise ClusterError(
                "chưa cài Ray; hãy chạy `pip install -r requirements-cluster.txt`"
            ) from exc


def connect(options: RayOptions) -> None:
    """Join (or, for ``local``, start) the cluster once per process."""
    import ray

    if ray.is_initialized():
        return
    _quiet()
    paths = [_HOME, os.getcwd(), os.environ.get("PYTHONPATH", "")]
    env = {"env_vars": {"PYTHONPATH": os.pathsep.join(p for p in paths if p)}}
    try:
        if options.address == "local":
            ray.init(
                num_cpus=options.cpus or os.cpu_count() or 1,
                include_dashboard=False,
                log_to_driver=False,
                logging_level=logging.ERROR,
                runtime_env=env,
            )
        else:
            ray.init(
                address=options.address,
                log_to_driver=False,
                logging_level=logging.ERROR,
                runtime_env={"py_modules": [str(Path(_HOME) / "search")]},
            )
    except Exception as exc:  # noqa: BLE001 - any failure to join means the same to users
        raise ClusterError(
            f"Không kết nối được cụm Ray '{options.address}' "
            f"({type(exc).__name__}: {str(exc).splitlines()[0][:160]})"
        ) from exc


def _quiet() -> None:
    """Ingest prints one summary line: Ray Data's progress goes to its log file only."""
    import ray.data

    ray.data.DataContext.get_current().enable_progress_bars = False
    for handler in logging.getLogger("ray.data").handlers:
        if not isinstance(handler, logging.FileHandler):
            handler.setLevel(logging.ERROR)


def read_all(
    tasks: list[ReadTask],
    *,
    options: RayOptions,
    readers: int | None = None,
    limits: Limits | None = None,
) -> dict[str, ReadResult]:
    """Every task's result by file name, each file read by a Ray task."""
    if not tasks:
        return {}
    import ray.data

    connect(options)
    ds = ray.data.from_items([{"task": t} for t in tasks], override_num_blocks=len(tasks))
    ds = ds.map(_read_one, fn_kwargs={"sandboxed": readers != 0, "limits": limits})
    return {row["result"].rel: row["result"] for row in ds.iter_rows()}


def _read_one(row: dict[str, Any], *, sandboxed: bool, limits: Limits | None) -> dict[str, Any]:
    (result,) = read_files([row["task"]], workers=1 if sandboxed else 0, limits=limits)
    return {"result": result}


def encode(texts: list[str], *, options: RayOptions, encoder) -> np.ndarray:
    """Vectors of ``texts`` (in their order, which should be by length), encoded by an actor
    pool of ``options.workers`` copies of ``encoder``'s model."""
    if not texts:
        return np.zeros((0, encoder.dim), dtype=np.float32)
    import ray
    import ray.data

    connect(options)
    resources = ray.cluster_resources()
    gpus = 1 if resources.get("GPU", 0) >= options.workers else 0
    cpus = max(1, int(resources.get("CPU", 1)) // options.workers)
    items = [{"i": i, "text": t} for i, t in enumerate(texts)]
    blocks = min(len(items), max(options.workers, min(len(items) // BATCH, 4 * options.workers)))
    ds = ray.data.from_items(items, override_num_blocks=blocks)
    with warnings.catch_warnings():
        # max_restarts=0: an actor that fails fails the ingest (its arguments need not be
        # kept for a restart); Ray 2.60 takes it only as a deprecated remote argument.
        warnings.simplefilter("ignore", DeprecationWarning)
        ds = ds.map_batches(
            EncoderActor,
            batch_size=BATCH,
            batch_format="numpy",
            compute=ray.data.ActorPoolStrategy(size=options.workers),
            num_cpus=cpus,
            num_gpus=gpus,
            fn_constructor_kwargs={
                "name": encoder.name,
                "backend": getattr(encoder, "backend", None),
                "device": "cuda" if gpus else "cpu",
                "threads": cpus,
            },
            max_restarts=0,
        )
    out = np.zeros((len(texts), encoder.dim), dtype=np.float32)
    for batch in ds.iter_batches(batch_size=None, batch_format="numpy"):
        out[np.asarray(batch["i"], dtype=np.int64)] = batch["vector"]
    return out


class EncoderActor:
    """One encoder per Ray actor, loaded once, called with batches of passages."""

    def __init__(self, *, name: str, backend: str | None, device: str, threads: int):
        from . import threads as budget
        from .encoder import load_encoder

        budget.configure("ingest", threads)
        self.encoder = load_encoder(name, backend=backend, device=device)

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        vectors = self.encoder.encode_documents([str(t) for t in batch["text"]])
        return {"i": batch["i"], "vector": np.asarray(vectors, dtype=np.float32)}
