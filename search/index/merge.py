"""Merging segments: fewer, larger segments, and the rows of replaced documents dropped.

Every ingest adds a segment, so an archive updated daily would collect hundreds; each one
costs a FAISS search and a lookup per query. Past ``MAX_SEGMENTS``, the smallest are
merged (``MERGE_FACTOR`` at a time, the way Lucene's tiered policy keeps a logarithmic
number of segments); a segment mostly made of replaced rows is rewritten on its own;
``ingest.py --optimize`` merges everything into one.

A merge streams the live records of its inputs into a new segment, concatenates their
lexical postings (see lexical.merge) and vectors, and builds the dense index again (an IVF
index once the segment is large). Nothing is re-parsed or re-embedded.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from . import dense as dense_mod
from . import lexical, store
from .segment import Segment, write
from .syllables import SyllableCounts

MAX_SEGMENTS = 8
MERGE_FACTOR = 4
MIN_LIVE_SHARE = 0.5  # rewrite a segment when fewer of its rows than this are live


def merge_plan(
    segments: list[tuple[str, int, int]], *, everything: bool = False
) -> list[list[str]]:
    """Groups of segment names to merge, from (name, rows, live rows) in manifest order."""
    if everything:
        stale = len(segments) == 1 and segments[0][2] < segments[0][1]
        return [[s[0] for s in segments]] if len(segments) > 1 or stale else []
    groups = [[name] for name, rows, live in segments if live < MIN_LIVE_SHARE * rows]
    healthy = [name for live, name in sorted(
        (live, name) for name, rows, live in segments if live >= MIN_LIVE_SHARE * rows
    )]  # fmt: skip
    count = len(segments)
    while count > MAX_SEGMENTS and len(healthy) >= 2:
        take = min(MERGE_FACTOR, len(healthy))
        groups.append(healthy[:take])
        healthy = healthy[take:]
        count -= take - 1
    return groups


def merge_segments(
    index_dir: Path,
    segments: list[Segment],
    names: list[str],
    documents: dict[str, dict[str, Any]],
    dead: dict[str, SyllableCounts],
) -> Path:
    """Write one segment holding the live rows of ``names``; point ``documents`` at it.
    ``dead``: per segment, the syllable counts of its rows no document uses any more."""
    by_name = {s.name: s for s in segments}
    inputs = [by_name[n] for n in names]
    # Which stored document of each input is which current document (None: not live).
    current = {k: doc for k, doc in store.stored_copies(documents).items() if k[0] in names}
    masks = []
    for seg in inputs:
        live_local = [i for i, d in enumerate(seg.docs) if (seg.name, d) in current]
        masks.append(np.isin(seg.doc_of, live_local))

    def records():
        for seg, mask in zip(inputs, masks, strict=True):
            for row, record in seg.stream():
                if mask[row]:
                    yield dict(record, meta=current[(seg.name, record["meta"])])

    vectors = np.concatenate(
        [seg.dense.all_vectors()[mask] for seg, mask in zip(inputs, masks, strict=True)]
    )
    dense = dense_mod.build(vectors)
    del vectors
    postings = lexical.merge([s.lexical for s in inputs], masks)
    syllables = SyllableCounts.merge(
        [s.syllables() for s in inputs] + [dead[n].negated() for n in names if n in dead]
    )
    defined = list({tuple(p): None for s in inputs for p in s.defined()})
    folder = store.new_folder(index_dir, store.SEG_PREFIX)
    try:
        write(
            folder,
            records(),
            dense=dense,
            lexical=postings,
            syllables=syllables,
            defined=[list(p) for p in defined],
        )
        final = store.finish(folder)
    except BaseException:
        store.discard(folder)
        raise
    for (seg_name, stored), doc in current.items():
        documents[doc].update(segment=final.name, stored_as=doc)
    return final
