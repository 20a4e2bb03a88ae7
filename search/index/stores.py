"""Where an index lives: a folder (the embedded store) or a Milvus URI, and what ranking
asks of either.

``--index`` everywhere (ingest, search, UI) and ``Searcher(...)`` take either; everything
above the store (query reading, fusion, priors, addressed provisions, answers, citations,
the timeline and the context view) is shared code that talks to a :class:`Store`.

    index/                          the embedded store (store.py, segment.py, embedded.py)
    milvus:///abs/path/file.db      Milvus Lite, one process at a time (milvus.py)
    milvus://HOST:PORT[/COLLECTION] a Milvus server; $TRACUU_MILVUS_TOKEN for auth
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from ..records import Chunk, DocMeta
from .analyzer import Analyzer
from .syllables import SyllableCounts

MILVUS_SCHEME = "milvus://"


@dataclass
class Candidates:
    """Passages some ranking put in its top n, with both scores for each."""

    ids: np.ndarray  # int64 passage ids, ascending, valid for the opened generation
    dense: np.ndarray  # float32 inner products
    lexical: np.ndarray  # float32 BM25 scores (0 where no query token occurs)


@runtime_checkable
class Store(Protocol):
    """One opened index generation, as the Searcher and the UI use it.

    ``selection`` is opaque above the store: whatever ``selection(docs, kind)`` returned is
    handed back to ``candidates`` and ``article_passages``. Passage ids are opaque too.
    """

    kind: str  # "embedded" or "milvus"
    manifest: dict[str, Any]  # schema, model, settings, counts and the documents' entries
    metas: dict[str, DocMeta]  # every live document's metadata, by file name
    analyzer: Analyzer  # lexical analysis with the index's abbreviations
    stamp: str  # names the generation (see store_stamp)

    @property
    def model(self) -> dict[str, Any]: ...  # {"name", "dim"} of the encoder that built it

    @property
    def size(self) -> int: ...  # live passages

    @property
    def syllables(self) -> SyllableCounts: ...  # for restoring diacritics in queries

    def known(self, token: str) -> bool: ...

    def idf(self, token: str) -> float: ...

    def document_frequency(self, token: str) -> int: ...

    def selection(self, docs: set[str] | None, kind: str | None) -> Any: ...

    def candidates(
        self,
        vector: Callable[[], np.ndarray],
        tokens: Sequence[str],
        n: int,
        selection: Any,
        extra: Iterable[int] = (),
        *,
        heading_weight: float = 1.0,
    ) -> Candidates:
        """The top ``n`` dense and top ``n`` lexical passages (and ``extra``), both scores
        for each. ``vector()`` gives the query vector: a store calls it once its lexical
        search is under way, so the query is encoded meanwhile."""
        ...

    def article_passages(
        self, article: str, selection: Any
    ) -> list[tuple[int, tuple[str, ...], frozenset[str]]]: ...

    def docs_of(self, ids: np.ndarray) -> list[str]: ...

    def chunks(self, ids: Sequence[int]) -> list[Chunk]: ...

    def chunk_by_id(self, chunk_id: str) -> Chunk | None: ...

    def document_chunks(self, doc: str) -> list[Chunk]: ...

    def close(self) -> None: ...


def is_milvus(location: str | Path) -> bool:
    return str(location).startswith(MILVUS_SCHEME)


def with_collection(location: str, collection: str | None) -> str:
    """``location`` naming ``collection`` (``--collection``); a folder cannot take one."""
    if not collection:
        return location
    if not is_milvus(location):
        raise ValueError("--collection chỉ dùng được với --index milvus://...")
    from .milvusdb import MilvusLocation

    return MilvusLocation.parse(location).named(collection).uri


def open_store(location: str | Path) -> Store:
    """The live index at ``location``, opened for searching."""
    if is_milvus(location):
        from .milvus import MilvusStore

        return MilvusStore.open(str(location))
    from .embedded import EmbeddedStore

    return EmbeddedStore(Path(location))


def store_stamp(location: str | Path) -> str | None:
    """A cheap name of the live generation, to notice a newly published index."""
    if is_milvus(location):
        from .milvus import MilvusStore

        return MilvusStore.current_stamp(str(location))
    from .store import generation_stamp

    return generation_stamp(Path(location))
