"""One immutable index segment: the passages of some documents, as ingest wrote them.

    seg-20261201T101500-1234/
      segment.json        rows, the documents (as named when written), dense settings
      passages.sqlite     one record per row (text, citation, cells, lines ...), by row
      doc_of.npy, kind.npy  per row: document number, passage kind (what filters need)
      dense.faiss         the vectors (flat, or IVF with a calibrated nprobe)
      lexical/            token postings (see lexical.py)
      syllables/          syllable counts for restoring diacritics in queries
      lexicon.json        abbreviations the segment's documents define, as pairs

Ranking keeps only the small per-row arrays in memory; records are read from SQLite for
the hits shown, the context view and the timeline. A segment never changes once written:
documents replaced or removed later are hidden by the manifest, and disappear from disk
when segments are merged.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from array import array
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..structure.layout import numbered_clauses
from . import dense as dense_mod
from .dense import DenseIndex
from .lexical import LexicalSegment
from .store import mapped
from .syllables import SyllableCounts

KINDS = ("text", "table_row")
_SCHEMA = """
CREATE TABLE passages (row INTEGER PRIMARY KEY, id TEXT NOT NULL, doc INTEGER NOT NULL,
    seq INTEGER NOT NULL, embed_hash TEXT NOT NULL, record TEXT NOT NULL);
CREATE TABLE articles (article TEXT NOT NULL, row INTEGER NOT NULL, section TEXT NOT NULL,
    clauses TEXT NOT NULL);
"""
_INDEXES = """
CREATE INDEX passages_id ON passages (id);
CREATE INDEX passages_doc ON passages (doc, seq);
CREATE INDEX passages_embed ON passages (embed_hash);
CREATE INDEX articles_article ON articles (article);
"""


def embed_hash(text: str) -> str:
    """Key of an encoder input: passages with the same text reuse one vector."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def article_of(section: Sequence[str]) -> str | None:
    """The law article a section path sits in ("Điều 9"), for addressed provisions."""
    return next((p for p in section if p.startswith("Điều ")), None)


def write(
    folder: Path,
    records: Iterable[dict[str, Any]],
    *,
    dense: DenseIndex,
    lexical: LexicalSegment,
    syllables: SyllableCounts,
    defined: list[list[str]],
) -> dict[str, Any]:
    """Write a segment into ``folder`` (which must not exist yet).

    ``records`` are chunk records in row order (``Chunk.to_json()``: ``meta`` names the
    document); they are streamed into SQLite, so a merge never holds them all in memory.
    """
    folder.mkdir(parents=True)
    docs: list[str] = []
    doc_index: dict[str, int] = {}
    doc_of = array("i")
    kind = array("b")
    db = sqlite3.connect(folder / "passages.sqlite")
    try:
        db.executescript(_SCHEMA)
        seq: dict[str, int] = {}
        batch, articles = [], []
        for row, record in enumerate(records):
            doc = record["meta"]
            if doc not in doc_index:
                doc_index[doc] = len(docs)
                docs.append(doc)
            doc_of.append(doc_index[doc])
            kind.append(KINDS.index(record["kind"]))
            n = seq[doc] = seq.get(doc, -1) + 1
            key = embed_hash(record["embed_text"])
            text = json.dumps(record, ensure_ascii=False)
            batch.append((row, record["id"], doc_index[doc], n, key, text))
            if article := article_of(record["section"]):
                section = json.dumps(record["section"], ensure_ascii=False)
                clauses = ",".join(sorted(numbered_clauses(record["text"])))
                articles.append((article, row, section, clauses))
            if len(batch) >= 5000:
                db.executemany("INSERT INTO passages VALUES (?, ?, ?, ?, ?, ?)", batch)
                batch.clear()
        db.executemany("INSERT INTO passages VALUES (?, ?, ?, ?, ?, ?)", batch)
        db.executemany("INSERT INTO articles VALUES (?, ?, ?, ?)", articles)
        db.executescript(_INDEXES)
        db.commit()
    finally:
        db.close()
    rows = len(doc_of)
    if not rows == dense.n == lexical.n:
        raise ValueError(f"rows disagree: {rows} records, {dense.n} vectors, {lexical.n} lexical")
    np.save(folder / "doc_of.npy", np.frombuffer(doc_of, dtype=np.int32), allow_pickle=False)
    np.save(folder / "kind.npy", np.frombuffer(kind, dtype=np.int8), allow_pickle=False)
    dense_mod.save(dense, folder / "dense.faiss")
    lexical.save(folder / "lexical")
    syllables.save(folder / "syllables")
    (folder / "lexicon.json").write_text(json.dumps(defined, ensure_ascii=False), encoding="utf-8")
    info = {"rows": rows, "docs": docs, "nprobe": dense.nprobe}
    (folder / "segment.json").write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")
    return info


class Segment:
    """A written segment, opened for searching (arrays memory-mapped, records on disk)."""

    def __init__(self, folder: Path):
        self.path = folder
        self.name = folder.name
        info = json.loads((folder / "segment.json").read_text(encoding="utf-8"))
        self.rows: int = info["rows"]
        self.docs: list[str] = info["docs"]
        self.doc_of = mapped(folder / "doc_of.npy")
        self.kind = mapped(folder / "kind.npy")
        self.dense = dense_mod.load(folder / "dense.faiss", info["nprobe"])
        self.lexical = LexicalSegment.load(folder / "lexical")
        self._lock = threading.Lock()
        uri = f"{(folder / 'passages.sqlite').resolve().as_uri()}?mode=ro&immutable=1"
        self._db = sqlite3.connect(uri, uri=True, check_same_thread=False)

    def syllables(self) -> SyllableCounts:
        return SyllableCounts.load(self.path / "syllables")

    def defined(self) -> list[list[str]]:
        """(abbreviation, expansion) pairs the segment's documents define."""
        return json.loads((self.path / "lexicon.json").read_text(encoding="utf-8"))

    def stream(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """Every (row, record), in row order, without holding them all."""
        with self._lock:
            cursor = self._db.execute("SELECT row, record FROM passages ORDER BY row")
            rows = cursor.fetchmany(2000)
        while rows:
            for row, record in rows:
                yield row, json.loads(record)
            with self._lock:
                rows = cursor.fetchmany(2000)

    def close(self) -> None:
        self._db.close()

    # -- records -------------------------------------------------------------------------
    def _query(self, sql: str, args: Sequence[Any] = ()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    def records(self, rows: Sequence[int]) -> dict[int, dict[str, Any]]:
        """Stored chunk records by row (``meta`` holds the document name it was written as)."""
        out: dict[int, dict[str, Any]] = {}
        rows = [int(r) for r in rows]
        for start in range(0, len(rows), 500):
            part = rows[start : start + 500]
            marks = ",".join("?" * len(part))
            for row, record in self._query(
                f"SELECT row, record FROM passages WHERE row IN ({marks})", part
            ):
                out[row] = json.loads(record)
        return out

    def row_of_id(self, chunk_id: str) -> list[int]:
        return [r for (r,) in self._query("SELECT row FROM passages WHERE id = ?", (chunk_id,))]

    def document_rows(self, local_doc: int) -> list[int]:
        sql = "SELECT row FROM passages WHERE doc = ? ORDER BY seq"
        return [r for (r,) in self._query(sql, (local_doc,))]

    def document_texts(self, local_docs: Iterable[int]) -> Iterator[str]:
        """The passage texts of some of the segment's documents (numbered as stored)."""
        sql = "SELECT record FROM passages WHERE doc = ? ORDER BY seq"
        for doc in local_docs:
            for (record,) in self._query(sql, (doc,)):
                yield json.loads(record)["text"]

    def rows_with_embedding(self, hashes: Sequence[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        hashes = list(hashes)
        for start in range(0, len(hashes), 500):
            part = hashes[start : start + 500]
            marks = ",".join("?" * len(part))
            sql = f"SELECT embed_hash, row FROM passages WHERE embed_hash IN ({marks})"
            for h, row in self._query(sql, part):
                out.setdefault(h, row)
        return out

    def article_rows(self, article: str) -> list[tuple[int, tuple[str, ...], frozenset[str]]]:
        """(row, section path, numbered clauses it holds) of the passages in ``article``."""
        sql = "SELECT row, section, clauses FROM articles WHERE article = ?"
        return [
            (row, tuple(json.loads(section)), frozenset(c for c in clauses.split(",") if c))
            for row, section, clauses in self._query(sql, (article,))
        ]
