"""Ingest into Milvus: the same incremental rules as the embedded store, written so that a
failure at any moment leaves the collection answering as before.

One ingest writes generation g = live + 1:

1. rows of new and changed documents, each document a new *unit* of rows tagged with g
   (invisible to readers of the live generation, which filter ``gen <= live``), and the
   document frequencies of the tokens they change (``C_terms`` rows tagged with g);
2. the syllable counts of the new passages and the manifest of g (``C_meta`` files);
3. the switch: one ``current`` row naming g;
4. then the units g replaced or removed are deleted (g's readers already filter them out
   by the manifest's ``dead`` list, in case this step does not happen).

The next ingest first deletes whatever a failed run left (rows tagged above the live
generation) and finishes step 4 of the last one. ``--rebuild``, another model or an older
schema write a fresh pair of collections (``C_passages_g``, ``C_terms_g``) and drop the
old pair after the switch. One ingest runs at a time per collection: a local lock file
for Milvus Lite, a lease row in ``C_meta`` for a server.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import DocumentError
from ..records import Chunk
from ..version import __version__
from . import sparse, store
from .analyzer import defined_pairs, lexicon_with
from .chunker import ChunkerSettings, lexical_fields
from .milvus import SCHEMA_VERSION, syllables_from_json, syllables_to_json
from .milvus_lock import lease, lite_lock
from .milvusdb import MAX_VARCHAR, Collections, MilvusLocation, connect, df_at, in_list
from .segment import KINDS, article_of, embed_hash
from .syllables import SyllableCounts
from .targets import Written, reusable
from .tokenize import document_tokens
from .writer import LEXICAL_VERSION, PARSER_VERSION

MAX_SYLLABLE_FILES = 8  # then they are merged into one
_TERM_FIELDS = ["token", "gen", "df", "prev_gen", "prev_df"]
_PAD = [0.0, 0.0]


@dataclass
class MilvusPrevious:
    manifest: dict[str, Any]
    reusable: bool
    db: Collections
    gen: int

    def vectors(self, keys: Iterable[str]) -> dict[str, np.ndarray]:
        info = self.manifest["milvus"]
        rows = self.db.query_in(
            info["passages"],
            "embed_hash",
            sorted(set(keys)),
            ["embed_hash", "dense"],
            _live(self.gen, info.get("dead", [])),
        )
        return {r["embed_hash"]: np.asarray(r["dense"], dtype=np.float32) for r in rows}

    def close(self) -> None:
        """The client is shared by the process (milvusdb.connect)."""


def _live(gen: int, dead: list[int]) -> str:
    return f"gen <= {gen}" + (f" and not ({in_list('unit', dead)})" if dead else "")


class MilvusTarget:
    def __init__(self, uri: str, *, workers: int = 0):
        self.location = MilvusLocation.parse(uri)
        self.workers = workers  # processes that tokenize passages (0: this one)
        self.db: Collections | None = None
        self.gen = 0  # the live generation when the lock was taken (0: none)
        self.manifest: dict[str, Any] | None = None

    # -- lock and clean-up ---------------------------------------------------------------
    @contextmanager
    def locked(self) -> Iterator[None]:
        with lite_lock(self.location):
            self.db = Collections(connect(self.location, create=True), self.location)
            self.db.ensure_meta()
            with lease(self.db):
                self.gen = self.db.current() or 0
                manifest = self.db.get_json(f"manifest-{self.gen}") if self.gen else None
                schema_ok = (manifest or {}).get("schema_version") == SCHEMA_VERSION
                self.manifest = manifest if schema_ok else None
                self._clean()
                yield

    def _clean(self) -> None:
        """Remove what a failed ingest wrote and what the live generation no longer needs."""
        db, live = self.db, self.gen
        db.delete(db.meta, f'gen > {live} and name != "lock"')
        info = (self.manifest or {}).get("milvus")
        keep = {c for c in (info["passages"], info["terms"])} if info else set()
        for name in db.client.list_collections():
            if name.startswith(f"{db.prefix}_passages_") or name.startswith(f"{db.prefix}_terms_"):
                if name not in keep:
                    db.drop(name)
        if info:
            db.delete(info["passages"], f"gen > {live}")
            # Token rows a failed ingest changed get their previous value back.
            failed = db.query(info["terms"], f"gen > {live}", _TERM_FIELDS)
            if new := [int(r["token"]) for r in failed if int(r["prev_gen"]) < 0]:
                db.delete(info["terms"], in_list("token", new))
            db.upsert(
                info["terms"],
                [
                    {
                        "token": int(r["token"]),
                        "gen": int(r["prev_gen"]),
                        "df": int(r["prev_df"]),
                        "prev_gen": -1,
                        "prev_df": 0,
                        "pad": _PAD,
                    }
                    for r in failed
                    if int(r["prev_gen"]) >= 0
                ],
            )
            if info.get("dead"):
                db.delete(info["passages"], in_list("unit", info["dead"]))
            used = [f"manifest-{live}", *info["syllables"]]
            db.delete(db.meta, f'gen < {live} and name != "lock" and not ({in_list("name", used)})')

    # -- what ingest asks ----------------------------------------------------------------
    def previous(self, model: str, settings: ChunkerSettings) -> MilvusPrevious | None:
        m = self.manifest
        if m is None or m.get("model", {}).get("name") != model:
            return None
        return MilvusPrevious(m, reusable(m, settings), self.db, self.gen)

    def live_chunks(self) -> int | None:
        m = self.manifest or {}
        return m["counts"]["chunks"] if m.get("documents") else None

    def merges(self, old, documents, *, optimize: bool) -> list[list[str]]:
        return []  # Milvus compacts its own segments

    def write(
        self,
        documents: dict[str, dict[str, Any]],
        chunks: list[Chunk],
        vectors: np.ndarray,
        *,
        old: MilvusPrevious | None,
        merges: list[list[str]],
        model: dict[str, Any],
        chunker: dict[str, Any],
        extra: dict[str, Any] | None,
    ) -> Written:
        db, gen = self.db, self.gen + 1
        prev = old.manifest["milvus"] if old is not None else None
        info = self._collections(prev, gen, model["dim"])
        # Units (document versions) the new generation no longer uses, and their rows' stats.
        removed = sorted(_units(old.manifest["documents"]) - _units(documents)) if prev else []
        fields = ["dl", "sparse", "record"]
        gone = db.query_in(info["passages"], "unit", removed, fields) if removed else []
        units = {doc: (gen << 32) | i for i, doc in enumerate(dict.fromkeys(c.doc for c in chunks))}
        defined, tokens = self._tokens(chunks, info["batches"])
        lengths = [sparse.length(t) for t in tokens]
        n = info["n"] - len(gone) + len(chunks)
        total = info["total"] - sum(int(r["dl"]) for r in gone) + sum(lengths)
        avgdl = total / n if n else 1.0
        rows, delta = _rows(chunks, tokens, lengths, vectors, units, gen, avgdl)
        for r in gone:
            delta.subtract(_keys(r["sparse"]))
        db.insert(info["passages"], rows)
        self._frequencies(info["terms"], delta, gen, known=prev is not None)

        for doc, count in Counter(c.doc for c in chunks).items():
            documents[doc].update(unit=units[doc], chunks=count)
        live_units = _units(documents)
        batches = [b for b in info["batches"] if live_units.intersection(b["units"])]
        if chunks:
            batch = {
                "gen": gen,
                "avgdl": avgdl,
                "defined": defined,
                "units": sorted(units.values()),
            }
            batches.append(batch)
        gone_texts = [json.loads(r["record"])["text"] for r in gone]
        syllables = self._syllables(info["syllables"], chunks, gone_texts, gen)
        info = dict(info, n=n, total=total, batches=batches, syllables=syllables, dead=removed)
        manifest = _manifest(documents, model, chunker, info)
        manifest.update(extra or {})
        store.checkpoint("written")
        db.put_json(f"manifest-{gen}", gen, manifest)
        store.checkpoint("renamed")
        db.publish(gen)
        store.checkpoint("published")
        # Old rows go once the new generation is live (its readers filter them out already).
        replaced = (self.manifest or {}).get("milvus", {})
        for name in (replaced.get("passages"), replaced.get("terms")):
            if name and name not in (info["passages"], info["terms"]):
                db.drop(name)
        if removed:
            db.delete(info["passages"], in_list("unit", removed))
        self.gen, self.manifest = gen, manifest
        return Written(manifest["counts"]["chunks"], len(batches))

    def _collections(self, prev: dict[str, Any] | None, gen: int, dim: int) -> dict[str, Any]:
        """The passages and terms collections to write into, and their statistics: the live
        ones, or a fresh pair (a rebuild, another model, a first ingest)."""
        keys = ("passages", "terms", "n", "total", "batches", "syllables")
        if prev is not None:
            return {k: prev[k] for k in keys}
        info = dict(zip(keys, (self.db.passages(gen), self.db.terms(gen), 0, 0, [], [])))
        self.db.drop(info["passages"])
        self.db.create_passages(info["passages"], dim)
        self.db.drop(info["terms"])
        self.db.create_terms(info["terms"])
        return info

    def _tokens(
        self, chunks: list[Chunk], batches: list[dict[str, Any]]
    ) -> tuple[list[list[str]], list[list[str]]]:
        """The abbreviations the new passages define, and their lexical tokens (with those
        every live document defines, as the embedded writer does)."""
        texts: dict[str, list[str]] = {}
        for c in chunks:
            texts.setdefault(c.doc, []).append(c.text)
        defined = defined_pairs("\n".join(t) for t in texts.values())
        known = [p for b in batches for p in b["defined"]]
        fields = [lexical_fields(c) for c in chunks]
        return defined, document_tokens(lexicon_with(known + defined), fields, workers=self.workers)

    def _frequencies(self, terms: str, delta: Counter, gen: int, *, known: bool) -> None:
        """Each changed token's row: its df at ``gen``, and the value readers of the live
        generation keep seeing until the switch."""
        touched = [t for t, d in delta.items() if d]
        current = self.db.term_rows(terms, touched) if known else {}
        rows = []
        for t in touched:
            row = current.get(t)
            before = df_at(row, self.gen) if row else 0
            previous = int(row["gen"]) if row else -1
            rows.append({"token": t, "gen": gen, "df": before + delta[t], "pad": _PAD,
                         "prev_gen": previous, "prev_df": before})  # fmt: skip
        self.db.upsert(terms, rows)

    def _syllables(
        self, files: list[str], chunks: list[Chunk], gone: list[str], gen: int
    ) -> list[str]:
        """The syllable files of the next generation: the live ones plus the new passages'
        counts, less the counts of the passages ``gone`` (texts) it replaced or removed, so
        diacritics are restored from today's documents as after a fresh build; past
        MAX_SYLLABLE_FILES, all merged into one."""
        files = list(files)
        if chunks:
            counts = SyllableCounts.build(c.text for c in chunks)
            self.db.put_json(f"syllables-{gen}", gen, syllables_to_json(counts))
            files.append(f"syllables-{gen}")
        if gone:
            counts = SyllableCounts.build(gone).negated()
            self.db.put_json(f"syllables-{gen}-gone", gen, syllables_to_json(counts))
            files.append(f"syllables-{gen}-gone")
        if len(files) > MAX_SYLLABLE_FILES:
            parts = [self.db.get_json(f) for f in files]
            merged = SyllableCounts.merge([syllables_from_json(p) for p in parts if p])
            name = f"syllables-{gen}-merged"
            self.db.put_json(name, gen, syllables_to_json(merged))
            files = [name]
        return files


def _keys(value: Any) -> list[int]:
    if hasattr(value, "keys"):
        return [int(k) for k in value.keys()]
    return [int(k) for k in value.tocoo().col]


def _units(documents: dict[str, dict[str, Any]]) -> set[int]:
    return {int(e["unit"]) for e in documents.values() if "unit" in e}


def _rows(
    chunks: list[Chunk],
    tokens: list[list[str]],
    lengths: list[int],
    vectors: np.ndarray,
    units: dict[str, int],
    gen: int,
    avgdl: float,
) -> tuple[list[dict[str, Any]], Counter]:
    """The passages' rows, and how many of them hold each token id."""
    rows, seq, df = [], Counter(), Counter()
    for j, (c, toks, vec) in enumerate(zip(chunks, tokens, vectors, strict=True)):
        weights = sparse.document_vector(toks, avgdl)
        df.update(weights.keys())
        record = json.dumps(c.to_json(), ensure_ascii=False)
        if len(record.encode("utf-8")) > MAX_VARCHAR:
            raise DocumentError(c.doc, "một đoạn quá dài để lưu vào Milvus")
        rows.append({
            "id": (gen << 40) | j, "unit": units[c.doc], "gen": gen,
            "kind": KINDS.index(c.kind), "seq": seq[c.doc], "dl": lengths[j], "avgdl": avgdl,
            "embed_hash": embed_hash(c.embed_text), "chunk_id": c.id,
            "article": article_of(c.section) or "", "record": record,
            "dense": np.asarray(vec, dtype=np.float32).tolist(), "sparse": weights,
        })  # fmt: skip
        seq[c.doc] += 1
    return rows, df


def _manifest(
    documents: dict[str, dict[str, Any]],
    model: dict[str, Any],
    chunker: dict[str, Any],
    info: dict[str, Any],
) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "parser_version": PARSER_VERSION,
        "lexical_version": LEXICAL_VERSION,
        "model": model,
        "chunker": chunker,
        "counts": {
            "documents": len(documents),
            "chunks": sum(e["chunks"] for e in documents.values()),
        },
        "documents": documents,
        "versions": {"tracuu": __version__},
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "milvus": info,
    }
