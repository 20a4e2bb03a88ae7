"""Where an index lives: a folder (the embedded store) or a Milvus URI.

``--index`` everywhere (ingest, search, UI) and ``Searcher(...)`` take either; everything
above the store is shared code.
"""

from __future__ import annotations

from pathlib import Path

MILVUS_SCHEME = "milvus://"


def is_milvus(location: str | Path) -> bool:
    return str(location).startswith(MILVUS_SCHEME)


def open_store(location: str | Path):
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
