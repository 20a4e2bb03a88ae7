"""Where ingest writes: an index folder (the embedded store) or Milvus (milvus_writer.py).

build() (ingest.py) compares the corpus with the index, reads and embeds what changed;
a target is the index's side of that: one ingest at a time, the live generation as ingest
needs it (its documents, whether their rows can be kept, vectors to reuse), and writing
the next generation so that a failure at any point leaves the previous one answering.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from ..errors import IngestLockedError
from ..records import Chunk
from . import store
from .chunker import ChunkerSettings
from .merge import merge_plan
from .segment import Segment
from .stores import is_milvus
from .writer import LEXICAL_VERSION, PARSER_VERSION, IndexWriter


class Previous(Protocol):
    """The live index as ingest sees it."""

    manifest: dict[str, Any]  # its "documents" entries are what _collect compares with
    reusable: bool  # same parser, chunker and analysis: unchanged files keep their rows

    def vectors(self, keys: Iterable[str]) -> dict[str, np.ndarray]: ...

    def close(self) -> None: ...


@dataclass
class Written:
    total_chunks: int
    segments: int  # segments (embedded) or batches (Milvus) the new generation uses
    merged: int = 0  # segments merged away


class Target(Protocol):
    def locked(self) -> AbstractContextManager[None]: ...

    def previous(self, model: str, settings: ChunkerSettings) -> Previous | None: ...

    def live_chunks(self) -> int | None: ...  # None: no live index with documents

    def merges(
        self, old: Previous, documents: dict[str, dict[str, Any]], *, optimize: bool
    ) -> list[list[str]]: ...

    def write(
        self,
        documents: dict[str, dict[str, Any]],
        chunks: list[Chunk],
        vectors: np.ndarray,
        *,
        old: Previous | None,
        merges: list[list[str]],
        model: dict[str, Any],
        chunker: dict[str, Any],
        extra: dict[str, Any] | None,
    ) -> Written: ...


def open_target(location: str | Path, *, workers: int = 0) -> Target:
    if is_milvus(location):
        from .milvus_writer import MilvusTarget

        return MilvusTarget(str(location), workers=workers)
    return EmbeddedTarget(Path(location), workers=workers)


def reusable(manifest: dict[str, Any], settings: ChunkerSettings) -> bool:
    """Whether rows written under ``manifest`` are what this version would write."""
    return (
        manifest.get("parser_version") == PARSER_VERSION
        and manifest.get("lexical_version") == LEXICAL_VERSION
        and manifest.get("chunker") == settings.to_json()
    )


@contextmanager
def ingest_lock(index_dir: Path) -> Iterator[None]:
    """One ingest per index at a time; the OS drops the lock if the process dies."""
    index_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(index_dir / ".ingest.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise IngestLockedError(
                f"Một tiến trình lập chỉ mục khác đang ghi vào '{index_dir}'. "
                "Hãy chờ tiến trình đó xong rồi chạy lại."
            ) from exc
        yield
    finally:
        os.close(fd)


@dataclass
class _EmbeddedPrevious:
    manifest: dict[str, Any]
    segments: list[Segment]
    reusable: bool

    def vectors(self, keys: Iterable[str]) -> dict[str, np.ndarray]:
        """Vectors the live segments hold for these encoder-text hashes."""
        known: dict[str, np.ndarray] = {}
        wanted = set(keys)
        for seg in self.segments:
            rows = seg.rows_with_embedding([k for k in wanted if k not in known])
            if rows:
                vecs = seg.dense.vectors(np.fromiter(rows.values(), dtype=np.int64))
                known.update(zip(rows, vecs, strict=True))
        return known

    def close(self) -> None:
        for seg in self.segments:
            seg.close()


class EmbeddedTarget:
    """An index folder: segments, merges and an atomically swapped generation."""

    def __init__(self, index_dir: Path, *, workers: int = 0):
        self.index_dir = Path(index_dir)
        self.workers = workers  # processes that tokenize passages (0: this one)

    @contextmanager
    def locked(self) -> Iterator[None]:
        with ingest_lock(self.index_dir):
            store.clean_stale_parts(self.index_dir)
            yield

    def previous(self, model: str, settings: ChunkerSettings) -> _EmbeddedPrevious | None:
        manifest = store.read_manifest(self.index_dir)
        if manifest is None or manifest.get("schema_version") != store.SCHEMA_VERSION:
            return None
        if manifest.get("model", {}).get("name") != model:
            return None  # vectors of another model are useless
        try:
            segments = [Segment(self.index_dir / name) for name in manifest["segments"]]
        except Exception:  # noqa: BLE001 - a damaged index is simply rebuilt
            return None
        return _EmbeddedPrevious(manifest, segments, reusable(manifest, settings))

    def live_chunks(self) -> int | None:
        manifest = store.read_manifest(self.index_dir) or {}
        return manifest["counts"]["chunks"] if manifest.get("documents") else None

    def merges(
        self, old: _EmbeddedPrevious, documents: dict[str, dict[str, Any]], *, optimize: bool
    ) -> list[list[str]]:
        # (name, rows, live rows) of the old segments that still hold a kept document
        by_segment: dict[str, int] = {}
        for entry in documents.values():
            if "segment" in entry:
                by_segment[entry["segment"]] = by_segment.get(entry["segment"], 0) + entry["chunks"]
        live = [(s.name, s.rows, by_segment[s.name]) for s in old.segments if s.name in by_segment]
        return merge_plan(live, everything=optimize)

    def write(
        self,
        documents: dict[str, dict[str, Any]],
        chunks: list[Chunk],
        vectors: np.ndarray,
        *,
        old: _EmbeddedPrevious | None,
        merges: list[list[str]],
        model: dict[str, Any],
        chunker: dict[str, Any],
        extra: dict[str, Any] | None,
    ) -> Written:
        writer = IndexWriter(
            self.index_dir,
            model=model,
            chunker=chunker,
            documents=documents,
            kept=old.segments if old else (),
            workers=self.workers,
        )
        try:
            merged = writer.merge(merges)
            if chunks:
                writer.add_segment(chunks, vectors)
            store.checkpoint("written")
            manifest = writer.publish(extra)
        except BaseException:
            writer.abort()
            raise
        return Written(manifest["counts"]["chunks"], len(manifest["segments"]), merged)
