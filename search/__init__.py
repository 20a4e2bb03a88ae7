"""Tra cứu văn bản: semantic search over Vietnamese government documents.

Public surface::

    from search import Searcher, Filters, build_index
    hits = Searcher("index").search("Hòn Khoai tiến độ", k=5)

The stages are subpackages: ``text`` (normalisation, words), ``extract`` (file → lines),
``structure`` (lines → sections, tables, metadata), ``index`` (chunks, encoders, stores,
ingest), ``query`` (reading, ranking, answers), ``ui`` (the web app). Names here are
imported on first use, so a parsing worker that imports ``search.extract`` does not load
the model or the index code.
"""

from .version import __version__

_EXPORTS = {
    "DEFAULT_MODEL": ("index.encoder", "DEFAULT_MODEL"),
    "load_encoder": ("index.encoder", "load_encoder"),
    "TracuuError": ("errors", "TracuuError"),
    "IngestReport": ("index.ingest", "IngestReport"),
    "build_index": ("index.ingest", "build"),
    "Chunk": ("records", "Chunk"),
    "DocMeta": ("records", "DocMeta"),
    "Hit": ("records", "Hit"),
    "Filters": ("query.filters", "Filters"),
    "Searcher": ("query.searcher", "Searcher"),
    "Store": ("index.stores", "Store"),
    "open_store": ("index.stores", "open_store"),
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'search' has no attribute {name!r}")
    from importlib import import_module

    module, attr = _EXPORTS[name]
    value = getattr(import_module(f".{module}", __name__), attr)
    globals()[name] = value
    return value
