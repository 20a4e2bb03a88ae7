"""Writing an index: new segments, merges, and the generation that makes them live.

Ingest uses it for the documents that changed; the scale benchmark uses it to write
archives of a million passages in bounded batches. Nothing is visible to searchers until
``publish`` swaps in the new generation; ``abort`` removes what was written.
"""

from __future__ import annotations

import importlib.metadata
import json
import platform
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..records import Chunk
from ..version import __version__
from . import store
from .analyzer import Analyzer, defined_pairs, lexicon_with
from .chunker import lexical_fields
from .dense import build as dense_build
from .merge import merge_segments
from .segment import Segment
from .segment import write as write_segment
from .syllables import SyllableCounts
from .tokenize import document_postings

PARSER_VERSION = 67  # bump when parsing or chunking changes what chunks a file produces
LEXICAL_VERSION = 18  # bump when lexical analysis (or the curated lexicon) changes


class IndexWriter:
    """Adds segments to an index whose documents are described by ``documents``.

    ``documents`` maps each live document to its manifest entry (fingerprint, metadata,
    and, once written, its segment, stored name and passage count); ``kept`` are the
    open segments of the previous generation that entries may still point at.
    """

    def __init__(
        self,
        index_dir: Path,
        *,
        model: dict[str, Any],
        chunker: dict[str, Any],
        documents: dict[str, dict[str, Any]],
        kept: Sequence[Segment] = (),
        workers: int = 0,
    ):
        self.index_dir = Path(index_dir)
        self.model = model
        self.chunker = chunker
        self.documents = documents
        self.kept = list(kept)
        self.workers = workers  # processes that tokenize passages (0: this one)
        self.written: list[Path] = []
        self._dead: dict[str, tuple[list[str], SyllableCounts]] | None = None

    def add_segment(self, chunks: list[Chunk], vectors: np.ndarray) -> Path:
        """A new segment holding ``chunks`` (whole documents); their entries point at it."""
        texts: dict[str, list[str]] = {}
        for c in chunks:
            texts.setdefault(c.doc, []).append(c.text)
        defined = defined_pairs("\n".join(t) for t in texts.values())
        # Abbreviations any indexed document defines apply to the new passages too.
        known = [p for name in self._segments() for p in _defined(self.index_dir, name)]
        lexicon = lexicon_with(known + defined)
        fields = [lexical_fields(c) for c in chunks]
        postings = document_postings(lexicon, fields, workers=self.workers)
        folder = store.new_folder(self.index_dir, store.SEG_PREFIX)
        try:
            write_segment(
                folder,
                (c.to_json() for c in chunks),
                dense=dense_build(vectors),
                lexical=postings,
                syllables=SyllableCounts.build(c.text for c in chunks),
                defined=defined,
            )
            final = store.finish(folder)
        except BaseException:
            store.discard(folder)
            raise
        self.written.append(final)
        for doc, doc_texts in texts.items():
            self.documents[doc].update(segment=final.name, stored_as=doc, chunks=len(doc_texts))
        return final

    def merge(self, groups: list[list[str]]) -> int:
        """Merge each group of kept segments into one; the number of segments merged away."""
        merged = 0
        dead = {name: counts for name, (_, counts) in self.dead().items()}
        for group in groups:
            self.written.append(
                merge_segments(self.index_dir, self.kept, group, self.documents, dead)
            )
            merged += len(group)
        return merged

    def dead(self) -> dict[str, tuple[list[str], SyllableCounts]]:
        """Per kept segment holding replaced or removed documents: their stored names and
        the syllable counts of their passages, which searches and merges take away.

        The previous generation's counts plus those of the documents dead since, so the
        cost is that of the change. Computed before merges repoint documents."""
        if self._dead is None:
            live = store.stored_copies(self.documents)
            previous = store.current_generation(self.index_dir)
            self._dead = {}
            for seg in self.kept:
                dead = [d for d in seg.docs if (seg.name, d) not in live]
                if not dead:
                    continue
                known, counts = store.read_dead(previous, seg.name)
                if counts is None or not set(known) <= set(dead):
                    known, counts = [], SyllableCounts.build([])  # none known yet: count all
                since = set(dead) - set(known)
                new = [i for i, d in enumerate(seg.docs) if d in since]
                fresh = SyllableCounts.build(seg.document_texts(new))
                self._dead[seg.name] = (dead, SyllableCounts.merge([counts, fresh]))
        return self._dead

    def manifest(self) -> dict[str, Any]:
        documents = self.documents
        return {
            "schema_version": store.SCHEMA_VERSION,
            "parser_version": PARSER_VERSION,
            "lexical_version": LEXICAL_VERSION,
            "model": self.model,
            "chunker": self.chunker,
            "counts": {
                "documents": len(documents),
                "chunks": sum(e["chunks"] for e in documents.values()),
            },
            "segments": self._segments(),
            "documents": documents,
            "versions": _versions(),
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }

    def publish(self, extra: dict[str, Any] | None = None) -> dict[str, Any]:
        """Write the generation naming every live segment and make it live."""
        manifest = self.manifest()
        manifest.update(extra or {})
        pairs = [p for name in manifest["segments"] for p in _defined(self.index_dir, name)]
        gen = store.new_folder(self.index_dir, store.GEN_PREFIX)
        self.written.append(gen)
        segments = set(manifest["segments"])
        dead = {name: d for name, d in self.dead().items() if name in segments}
        store.write_generation(gen, manifest, lexicon_with(pairs).to_json(), dead)
        store.publish(self.index_dir, gen)
        return manifest

    def abort(self) -> None:
        """Remove what this writer wrote that no live generation uses."""
        live = set((store.read_manifest(self.index_dir) or {}).get("segments", []))
        live.add(store.generation_stamp(self.index_dir) or "")
        for folder in self.written:
            if folder.name not in live and folder.name.removesuffix(".part") not in live:
                store.discard(folder)

    def _segments(self) -> list[str]:
        """Segments some document lives in: kept ones in their order, then new ones."""
        used = {e["segment"] for e in self.documents.values() if "segment" in e}
        order = [s.name for s in self.kept] + [w.name for w in self.written]
        return [n for n in dict.fromkeys(order) if n in used]


def _defined(index_dir: Path, segment: str) -> list[list[str]]:
    return json.loads((index_dir / segment / "lexicon.json").read_text(encoding="utf-8"))


def _versions() -> dict[str, str]:
    """Versions of what built the index (from package metadata: importing them is slow)."""
    out = {"tracuu": __version__, "python": platform.python_version()}
    for dist in ("faiss-cpu", "numpy", "sentence-transformers", "onnxruntime"):
        try:
            out[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            continue
    return out


__all__ = ["LEXICAL_VERSION", "PARSER_VERSION", "Analyzer", "IndexWriter"]
