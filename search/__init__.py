"""Tra cứu văn bản: semantic search over Vietnamese government documents.

Public surface::

    from search import Searcher, build_index
    hits = Searcher("index").search("Hòn Khoai tiến độ", k=5)
"""

__version__ = "0.1.0"

from .errors import TracuuError  # noqa: E402
from .index.encoder import DEFAULT_MODEL, load_encoder  # noqa: E402
from .index.ingest import IngestReport  # noqa: E402
from .index.ingest import build as build_index  # noqa: E402
from .query.searcher import Filters, Searcher  # noqa: E402
from .records import Chunk, DocMeta, Hit  # noqa: E402

__all__ = [
    "DEFAULT_MODEL",
    "Chunk",
    "DocMeta",
    "Filters",
    "Hit",
    "IngestReport",
    "Searcher",
    "TracuuError",
    "build_index",
    "load_encoder",
]
