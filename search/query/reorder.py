"""Reorderings of the first passages, once they are ranked by relevance: what a question
asks moves a passage above another that is as relevant. Scores stay with the places, so a
ranking still reads from best to worst."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..index.analyzer import Analyzer
from ..records import Chunk, Hit
from ..structure.layout import is_caption
from ..structure.tables import is_total
from .answer import Answer
from .intent import stated_years
from .measures import holds_measure
from .query import Query
from .spans import asked_heads, headings_of, holds_asked_cell, is_asked, states_own_number

# The share of a row's name (and of each cell asked about) a body passage holds when it
# restates the row.
RESTATED = 0.8
RESTATED_WORDS = 4  # a row named in fewer words is labelled, not described


def reordered(
    q: Query, analyzer: Analyzer, order: np.ndarray, chunks: list[Chunk], fused: np.ndarray
) -> tuple[np.ndarray, list[Chunk], np.ndarray]:
    """The first passages once ranked, with every reordering below applied in turn."""
    if q.asks:
        order, chunks, fused = asked_parts_first(q.asks, order, chunks, fused)
    order, chunks, fused = spread_items(order, chunks, fused)
    order, chunks, fused = sources_first(q, analyzer, order, chunks, fused)
    order, chunks, fused = headed_year_first(q.intent.years, order, chunks, fused)
    return captions_placed(q.numbered, order, chunks, fused)


def asked_parts_first(
    asks: tuple[str, ...], order: np.ndarray, chunks: list[Chunk], fused: np.ndarray
) -> tuple[np.ndarray, list[Chunk], np.ndarray]:
    """A table row too long for one passage is split in parts that each repeat its name.
    When several parts are ranked, those holding the column a question asks about ("tiến
    độ" → the TIẾN ĐỘ cell) take the places the row's parts hold, in their order; the
    scores stay with the places, so the ranking still reads from best to worst."""
    parts: dict[tuple, list[int]] = {}
    for i, c in enumerate(chunks):
        if c.kind == "table_row":
            parts.setdefault((c.doc, c.section, c.line_start), []).append(i)
    order, chunks, fused = order.copy(), list(chunks), fused.copy()
    for places in parts.values():
        if len(places) < 2:
            continue
        asked = [i for i in places if holds_asked_cell(asks, chunks[i])]
        if not asked or asked[0] == places[0]:
            continue
        moved = asked + [i for i in places if i not in asked]
        scores = fused[order[places]]
        picked = [(order[i], chunks[i]) for i in moved]
        for place, (j, c) in zip(places, picked, strict=True):
            order[place], chunks[place] = j, c
        fused[order[places]] = scores
    return order, chunks, fused


def _restated(
    q: Query, analyzer: Analyzer, row: Chunk
) -> tuple[set[str], list[set[str]], frozenset[str]] | None:
    """What a body passage must hold to restate ``row`` for ``q``: the row's name (its
    words), the cells the question asks about (stating what it counts, if it counts), and
    the words of the row that need not be held: a total row ("Tổng cộng") asked one of its
    figures is restated by a sentence stating "tổng" and that figure, whatever else its
    label and the caption above it say. A row whose name holds no query word matches by its
    columns' names and cells, as its sibling rows may: any passage holding the words it
    holds restates it ("quầy cân đối chứng lắp mới" of a row "Phường An Xuyên"). None for
    a row named too briefly to be restated ("Huyện Trà Cú" is a label), or asked how far a
    task has come: a plan's body says what is to be done, the row's status."""

    def words(text: str) -> set[str]:
        return {t for t in analyzer.token_set(text) if t.startswith("~") and "_" not in t}

    if "progress" in q.asks:
        return None
    label = row.cells[0][1]
    if not is_total(label) and not set(q.tokens) & analyzer.token_set(label):
        return set(), [], analyzer.token_set(label)  # matched by what any row may hold
    wanted = asked_heads(q.asks)

    def states(h: str, v: str) -> bool:
        return not q.measure or holds_measure(f"{h}: {v}", q.measure, within=row.text)

    cells = [words(v) for h, v in row.cells[1:] if v and is_asked(h, wanted) and states(h, v)]
    if is_total(label) and cells:
        return words("tổng"), cells, analyzer.token_set(label)
    name = words(label)
    if len(name) < RESTATED_WORDS:
        return None
    return name, cells, frozenset()


def sources_first(
    q: Query,
    analyzer: Analyzer,
    order: np.ndarray,
    chunks: list[Chunk],
    fused: np.ndarray,
    window: int = 5,
) -> tuple[np.ndarray, list[Chunk], np.ndarray]:
    """An appendix row often restates a sentence of its document's body. When a row ranks
    above a body passage of its document that restates it (see ``_restated``) and holds
    every query term the row holds, the passage takes the row's place: it is the provision
    to cite, with its context."""
    terms = [t for t in q.tokens if not t.startswith("^")]
    picked = list(range(len(chunks)))
    head = min(window, len(chunks))
    for i in range(head):
        row = chunks[picked[i]]
        if row.kind != "table_row" or not row.cells:
            continue
        needs = _restated(q, analyzer, row)
        if needs is None:
            continue
        name, cells, spared = needs
        held = {t for t in terms if t in analyzer.token_set(row.embed_text)}
        if spared:  # nor the word pairs its caption makes with the document's title
            held = {t for t in held if "_" not in t and t not in spared}
        for j in range(i + 1, head):
            c = chunks[picked[j]]
            if c.doc != row.doc or c.kind == "table_row" or c.section[:1] == row.section[:1] != ():
                continue  # a note under the table is no body restating it
            body = analyzer.token_set(c.embed_text)
            if not held <= body or len(name & body) < RESTATED * len(name):
                continue
            if any(len(cell & body) < RESTATED * len(cell) for cell in cells):
                continue
            picked.insert(i, picked.pop(j))
            break
    return _reordered(order, chunks, fused, picked)


def captions_placed(
    kind: str, order: np.ndarray, chunks: list[Chunk], fused: np.ndarray, window: int = 5
) -> tuple[np.ndarray, list[Chunk], np.ndarray]:
    """An appendix caption ("(Kèm theo Kế hoạch số 682/KH-SGDĐT ngày ...)") says which
    document an appendix belongs to, which is all it answers. Asked the number of a
    document of ``kind`` ("kế hoạch ... số mấy"), the passage of the first passage's
    document stating its own number takes the first place; asked anything else (``kind``
    empty), captions go after the other passages."""
    if not kind:
        captions = {i for i, c in enumerate(chunks) if is_caption(c.text)}
        rest = [i for i in range(len(chunks)) if i not in captions]
        return _reordered(order, chunks, fused, rest + sorted(captions))
    for i in range(min(window, len(chunks))):
        c = chunks[i]
        if c.doc == chunks[0].doc and states_own_number(c.text, c.meta, kind):
            return _reordered(order, chunks, fused, _first(i, len(chunks)))
    return order, chunks, fused


def headed_year_first(
    years: set[int],
    order: np.ndarray,
    chunks: list[Chunk],
    fused: np.ndarray,
    window: int = 5,
) -> tuple[np.ndarray, list[Chunk], np.ndarray]:
    """A plan reports last year under one heading and sets this year's targets under
    another, in the same words ("I. KẾT QUẢ NĂM 2025: đã phun hóa chất cho 1.240 hộ", "II.
    MỤC TIÊU NĂM 2026: phun hóa chất cho 1.500 hộ"). When the first passage's headings are
    of another year than the query names, and its text does not name that year (a figure
    "so với năm 2024 (47 cặp)", a row's "năm 2025 có 02 mẫu"), the first passage of its
    document among the next ones whose headings are of that year takes its place."""

    def headed(c: Chunk) -> set[int]:
        return stated_years("\n".join([c.context, *headings_of(c)]))[0]

    if not years or not chunks:
        return order, chunks, fused
    first = headed(chunks[0])
    if not first or first & years or any(str(y) in chunks[0].text for y in years):
        return order, chunks, fused
    for j in range(1, min(window, len(chunks))):
        if chunks[j].doc == chunks[0].doc and headed(chunks[j]) & years:
            return _reordered(order, chunks, fused, _first(j, len(chunks)))
    return order, chunks, fused


def spread_items(
    order: np.ndarray,
    chunks: list[Chunk],
    fused: np.ndarray,
    window: int = 5,
    share: int = 2,
    table_share: int = 3,
) -> tuple[np.ndarray, list[Chunk], np.ndarray]:
    """An appendix item split in sub-rows ("Nạo vét 27 tuyến kênh" and a row per xã) gives
    each sub-row its name as context, so they rank together and crowd out the rest; so do
    the rows of one table, which share its columns' names ("Giá trị hàng dự trữ - Tổng").
    Rows of one item take at most ``share`` of the first ``window`` places, rows of one
    table at most ``table_share``; the others follow them."""
    head = min(window, len(chunks))
    seen: dict[tuple, int] = {}
    kept: list[int] = []
    moved: list[int] = []
    for i, c in enumerate(chunks):
        if len(kept) >= head:
            kept.extend(range(i, len(chunks)))
            break
        if c.kind == "table_row":
            item, table = (c.doc, c.section), (c.doc, c.section[:1])
            if seen.get(item, 0) >= share or seen.get(table, 0) >= table_share:
                moved.append(i)
                continue
            seen[item] = seen.get(item, 0) + 1
            seen[table] = seen.get(table, 0) + 1
        kept.append(i)
    return _reordered(order, chunks, fused, kept[:head] + moved + kept[head:])


def answered_first(answer: Answer, hits: list[Hit]) -> list[Hit]:
    """The passage the answer is taken from goes first. The answer weighs what the question
    asks in the first passages ("khi nào" a date, "ai" a body), which ranking by relevance
    does not: the passage cited for the answer is then the first one the user reads."""
    i = next((i for i, h in enumerate(hits) if h.doc == answer.doc
              and h.chunk.line_start <= answer.line_start <= answer.line_end <= h.chunk.line_end),
             0)  # fmt: skip
    if i == 0:
        return hits
    moved = [hits[j] for j in _first(i, len(hits))]
    return [replace(m, rank=h.rank, score=h.score) for h, m in zip(hits, moved)]


def _first(i: int, n: int) -> list[int]:
    """The places of ``n`` passages with the one at ``i`` moved first."""
    return [i, *(j for j in range(n) if j != i)]


def _reordered(
    order: np.ndarray, chunks: list[Chunk], fused: np.ndarray, picked: list[int]
) -> tuple[np.ndarray, list[Chunk], np.ndarray]:
    """The ranking with its places taken by ``picked`` (the first places' indices, in their
    new order). The scores stay with the places, so it still reads from best to worst."""
    n = len(picked)
    if picked == list(range(n)):
        return order, chunks, fused
    scores = fused[order[:n]].copy()
    order, fused = order.copy(), fused.copy()
    order[:n] = order[picked]
    fused[order[:n]] = scores
    return order, [chunks[i] for i in picked] + chunks[n:], fused
