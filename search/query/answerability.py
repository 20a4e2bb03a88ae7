"""Whether the indexed documents answer a query: the signals the decision weighs.

A single rule decides badly: "some query word is in no document" fires on a typo or an
everyday word ("hạn chót") above the right passage, and stays silent on a topic the
documents do not cover whose words all occur somewhere ("học phí"). The decision
(decision.py) instead weighs, for the top passages: how close the encoder puts the best one
and the answer span itself; how much of the query's content (idf-weighted, diacritics
folded, slips corrected) and of its word pairs the best passage holds; whether the dense
and lexical rankings agree on the top passage; and how much of the query no indexed
passage uses at all. ``gather`` reads them, and the facts the rules stand on: whether a
question counting or dating something finds that number, whether the first passage is of
the year, place, stage or document the query names.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from ..index.analyzer import Analyzer
from ..records import Chunk, Hit
from ..text.normalize import fold
from ..text.words import FINE, PAYMENT, PRICE, SUMS, UNITS_OF_MEASURE
from .asks import named_procedures
from .decision import Evidence
from .intent import (
    YEAR,
    alternatives_of,
    in_named_document,
    names_titled_year,
    of_named_number,
    passage_match,
    seasons_of,
    speaks_of,
    stated_years,
)
from .measures import holds_measure, holds_rate
from .names import names_body, names_in
from .periods import periods_of, phases_of
from .query import Query
from .ranges import other_amounts
from .spans import SHAPES, cites, has_shape, headings_of, in_article, states_own_number
from .units import counts_table_unit, in_table_unit

# Share of the query a passage must hold for the number or the kind of answer it states
# (a date, a body) to count: a date in an unrelated table row answers nothing.
ON_TOPIC = 0.5
_UNITS = {fold(u.lower()) for u in UNITS_OF_MEASURE}
_SUMS = {fold(w) for w in (FINE, PRICE, PAYMENT, *SUMS)}  # measures asking money (or a share)


def gather(
    query: Query,
    hits: Sequence[Hit],
    *,
    analyzer: Analyzer,
    idf: Callable[[str], float],
    known: Callable[[str], bool],
    dense: np.ndarray,
    lexical: np.ndarray,
    top: int,
    span: str = "",
    dense_span: float = 0.0,
    top_n: int = 3,
    relevant: Sequence[Chunk] | None = None,
) -> Evidence:
    """The signals for ``hits`` (ranked); ``dense``/``lexical`` are the candidates' scores,
    ``top`` the candidate index of the first hit, ``span`` the best answer span and
    ``dense_span`` the encoder's cosine of the query with it;
    ``relevant``, the first passages by relevance alone, before any moved up for stating
    the number a question counts (default: the hits)."""
    # Syllables as typed and folded ("sắt" and "~sat": "sát" does not make "sắt" known).
    words = [t for t in query.tokens if not t.startswith(("ab:", "^")) and "_" not in t]
    pairs = [t for t in query.tokens if t.startswith("~") and "_" in t]
    weight = {t: idf(t) for t in words}
    total = sum(weight.values()) or 1.0
    # Coverage counts the words the corpus uses: a typo or an everyday word the documents
    # never use cannot be in any passage, and weighs in through ``missing`` instead.
    unknown = {t for t in weight if not known(t)}
    # The query's most specific words the corpus does use: its topic, if it has one here.
    known_words = {t: w for t, w in weight.items() if known(t)}
    rare_word = max(known_words, key=known_words.get, default=None)
    rare_pair = max((t for t in pairs if known(t)), key=idf, default=None)

    # A term of the lexicon no document uses ("chuyển đổi số" where the documents say only
    # "chuyển đổi nghề"): each of its words is known, the topic is not, and no passage
    # holds its words as that term.
    absent = {t for t in query.tokens if t.startswith("ab:") and not known(t)}
    unnamed = {t for t, terms in query.spelled.items() if t in weight and terms <= absent}

    def held(t: str, tokens: frozenset[str]) -> bool:
        if t in unnamed:
            return False
        return t in tokens or any(k in tokens for k in query.spelled.get(t, ()))

    def covers(tokens: frozenset[str], words: dict[str, float] = weight) -> float:
        """The share of ``words`` (the known ones: a typo is in no passage) ``tokens`` hold.

        An abbreviation no passage uses, held by its spelling ("KHCN" as "khoa học và công
        nghệ"), counts as held but not in the whole, so the share passes 1 for a query of
        such abbreviations. The model is fit on this form; counting them in the whole too
        lost two answers to "not found" (h030, c9-011) and caught nothing more."""
        held_weight = sum(w for t, w in words.items() if held(t, tokens))
        return held_weight / (sum(w for t, w in words.items() if t not in unknown) or 1.0)

    def on_topic(chunk: Chunk, words: dict[str, float] = weight) -> bool:
        return covers(analyzer.token_set(chunk.embed_text), words) >= ON_TOPIC

    # What a question counts and how it asks ("mức phạt", "diện tích") is no part of what it is
    # about: every article stating a fine holds "mức phạt", the one answering holds who is fined for
    # what. Nor is the year it names: ``dated`` checks that, and a plan's table row stating "200 km
    # đường" under the plan's year says no year of its own.
    dating = {str(y) for y in query.intent.years} | ({"nam"} if query.intent.years else set())
    asking = query.measured | dating
    subject = {t: w for t, w in weight.items() if fold(t.lstrip("~")) not in asking}
    if not subject.keys() - unknown:
        subject = weight

    def about(chunk: Chunk) -> bool:
        """Whether ``chunk`` is where the query's number is to be stated: it holds half of
        what the query is about and names what the query names with capitals ("U Minh -
        Khánh Hội"): the length of another road, however like, does not answer."""
        return on_topic(chunk, subject) and names_in(query.names, chunk)

    lead = hits[0].chunk
    coverage = pair_cover = focus = first = 0.0
    for n, hit in enumerate(hits[:top_n]):
        tokens = analyzer.token_set(hit.chunk.embed_text)
        covered = covers(tokens)
        first = covered if n == 0 else first
        coverage = max(coverage, covered)
        if pairs:
            pair_cover = max(pair_cover, sum(t in tokens for t in pairs) / len(pairs))
        holds = (rare_word is None or held(rare_word, tokens)) + (
            rare_pair is None or rare_pair in tokens
        )
        focus = max(focus, holds / 2)
    if not pairs:
        pair_cover = coverage
    shape = 0.5
    if query.asks:
        rows = [h.chunk.kind == "table_row" for h in hits[:top_n]]
        found = [
            has_shape(h.chunk.text, query.asks, row=r) and on_topic(h.chunk)
            for h, r in zip(hits, rows)
        ]
        shape = float(any(found))
    # Where a number asked is looked for: the first passages by relevance, and the one
    # shown first (moved up for stating the number, it answers when it is where the query is).
    read = [lead, *([h.chunk for h in hits] if relevant is None else relevant)[:top_n]]
    measure = 0.5
    if query.measure:
        # The number must be stated where the query is: a month in another table row,
        # holding little of the query, does not date "Hội thi gạo ngon".
        # A question counting two things ("bao nhiêu hàng ..., mấy điểm bán") is answered
        # by either.
        asked = {query.measure, *query.counted}
        counted_in = query.measure in _UNITS  # "bao nhiêu triệu", not "tổng mức đầu tư"
        texts = [
            in_table_unit(c) if counted_in or counts_table_unit(c, query.measure) else c.text
            for c in read
        ]
        measure = float(
            any(
                any(holds_measure(t, m) for m in asked) and about(c)
                for c, t in zip(read, texts, strict=True)
            )
        )
    elif "when" in query.asks:
        # "khi nào", "bao giờ" date something too: answered by a time (or whatever else the
        # question asks) stated where the query is; asked for a time only, by the answer
        # itself: "giao Sở Giáo dục xem xét" dates nothing, though the item above is due
        # 30/9.
        measure = shape
        row = lead.kind == "table_row"
        if query.asks == ("when",) and span and not has_shape(span, query.asks, row=row):
            measure = 0.0
    if query.measure in _SUMS and lead.kind == "text" and span:
        # A sum asked ("phí hòa giải bao nhiêu") is answered by a sum, not "... 30 ngày".
        measure = min(measure, float(holds_measure(span, query.measure)))
    if query.per:
        # "bao nhiêu tiền một khách": a rate per guest stated where the query is; a budget
        # for the tour ("300 triệu đồng") is not what one guest pays.
        rated = any(holds_rate(c.text, query.per) and about(c) for c in read)
        measure = min(measure, float(rated))
    if "firm" in query.asks:
        # "công ty nào", "nhà thầu ... là đơn vị nào": a firm named where the query is; the
        # body leading the works (a Ban QLDA, the investor) is not the firm asked for.
        named = any(SHAPES["firm"](h.chunk.text) and on_topic(h.chunk) for h in hits[:top_n])
        measure = min(measure, float(named))
    if query.duty:
        # "Sở Xây dựng có nhiệm vụ gì": answered where that body is named; another body's
        # duties, however like, are not its.
        named = any(names_body(query.duty, c) and on_topic(c) for c in read)
        measure = min(measure, float(named))
    if query.numbered:
        # "quyết định số mấy": a decision cited by number where the query is, or the first
        # passage's own document being one; a plan's sentence asking for one names none.
        kind, meta = query.numbered, hits[0].chunk.meta
        own = fold((meta.doc_type or "").lower()) == kind and bool(meta.number)
        cited = any(cites(h.chunk.text, kind) and on_topic(h.chunk) for h in hits[:top_n])
        measure = min(measure, float(cited or own))
    dense_rank = int(np.sum(dense > dense[top]))
    lexical_rank = int(np.sum(lexical > lexical[top]))
    agreement = 0.5 * (dense_rank < 5) + 0.5 * (lexical_rank < 5 and lexical[top] > 0)
    # What no passage uses, as the query's reading found it: "KHCN" written out as "khoa học
    # và công nghệ" is not missing, though no passage spells the abbreviation.
    unread = {w.lower() for w in query.unknown} | {"~" + fold(w.lower()) for w in query.unknown}
    missing = sum(weight[t] for t in {t for t in unknown if t in unread} | unnamed) / total
    span_tokens = analyzer.token_set(span) if span else frozenset()
    span_cover = covers(span_tokens)
    span_pairs = sum(t in span_tokens for t in pairs) / len(pairs) if pairs else span_cover
    addressed = (
        bool(query.refs)
        and passage_match(query.refs, lead) == 1.0
        and in_named_document(query.intent, lead.meta)
    )
    dated = 0.5
    if years := query.intent.years:
        # The answer too, when its sentence says its year ("năm 2024 ước đạt 7,9%" is not of
        # 2023), unless the query names the year as the title does ("giá đất 2026"). A table
        # row's time column says when a task runs; its name, the year of what it is.
        said, dates = stated_years(span) if lead.kind == "text" else (set(), set())
        if query.numbered and states_own_number(span, lead.meta, query.numbered):
            said = set()  # the date its document was issued, not a year it speaks of
        if lead.kind == "table_row" and lead.cells:
            said = stated_years(lead.cells[0][1])[0]
            # A figure's column may say its year ("Dự kiến số thu năm 2026: 2.350"): the
            # answer's columns, each of a year, are not of another year asked.
            heads = [h for h, _ in lead.cells[1:] if h and f"{h}: " in span]
            of_years = [stated_years(h)[0] for h in heads]
            if not said and "amount" in query.asks and of_years and all(of_years):
                said = set().union(*of_years)
        if lead.kind == "text" and not YEAR.search(span) and _within(span, lead.text):
            # A sentence naming no year is of the year its headings say ("A- KẾT QUẢ NĂM 2025").
            said = stated_years("\n".join([lead.context, *headings_of(lead)]))[0]
        fits = not said or bool((said | dates) & years) or names_titled_year(query.text, lead.meta)
        dated = float(speaks_of(years, lead) and fits)
        # A season is one period: "mùa khô 2024 - 2025" is not of "mùa khô 2023 - 2024".
        # An answer naming none is of the season its headings or its document's title
        # name (a plan "năm học 2026 - 2027" and its table).
        # A plan "năm học 2025 - 2026" sets criteria on the year before ("kết quả năm học
        # 2024 - 2025 đạt Khá"): what it asks of its own season, unless a figure is asked.
        scope = seasons_of(lead.context) or seasons_of(lead.meta.title or "")
        stated = seasons_of(span) if lead.kind == "text" else set()
        if not stated or (query.seasons & scope and not (query.measure or query.asks)):
            stated = scope
        if query.seasons and stated and not query.seasons & stated:
            dated = 0.0
    period = 0.5
    if query.periods:
        # The headings above a passage say its part of the year too ("KẾT QUẢ 10 THÁNG"),
        # as a report's title does ("Kết quả ... 9 tháng đầu năm 2026"), and a table row's
        # columns the parts its figures are of ("Thực hiện 9 tháng").
        headings = [lead.meta.title or "", lead.context, *headings_of(lead)]
        if lead.kind == "text":
            said_periods = periods_of("\n".join([*headings, span]))
        else:
            said_periods = periods_of("\n".join([*headings, *(h for h, _ in lead.cells)]))
        period = float(not said_periods or bool(said_periods.keys() & query.periods.keys()))
    phase = 0.5
    if query.phases:
        # The first passage of another stage ("đợt 1" for "đợt 2"); or of none, when the
        # next ones name other stages only: the documents name the campaign, not the stage.
        staged = [phases_of(f"{h.chunk.context}\n{h.chunk.text}") for h in hits[:top_n]]
        named = [s for s in staged if s] if not staged[0] else staged[:1]
        phase = float(not named or any(s.keys() & query.phases.keys() for s in named))
    # An amount the query states says what it is about: "giá tối đa hộp sữa 110 ml" is not
    # answered by "8.200 đồng/hộp 180 ml", nor "bao nhiêu sản phẩm OCOP 4 sao" by "168 sản
    # phẩm 3 sao".
    amount = 0.5
    if query.amounts:
        counting = bool(query.counted)
        amount = 0.0 if other_amounts(query.amounts, span or lead.text, counting=counting) else 1.0
    placed = 0.5
    if query.places:
        # A province is named by a document's header more than by its passages ("ĐẢNG BỘ
        # TỈNH CÀ MAU"): one the corpus never names is not here at all. A district, a
        # commune or a city is where the first passage is, or not.
        provinces = {p.name for p in query.places if p.unit == "tinh"}
        local = {p.name for p in query.places if p.unit != "tinh"}
        named = all(known(t) for name in provinces for t in analyzer.token_set(name))
        placed = float(named and names_in(local, lead))
    alternative = 0.5
    if query.alternatives:
        # "học sinh THCS" is not answered by a figure of "học sinh tiểu học". What the answer
        # names is said by itself, else its line ("Vụ Đông Xuân ...; sản lượng đạt ..."),
        # else its passage; one naming none of the set may answer.
        sets = {kind for kind, _ in query.alternatives}
        line = next((t for t in lead.text.split("\n") if span and span in t), "")
        said: set[tuple[int, int]] = set()
        for text in (span, line, f"{lead.context}\n{lead.text}"):
            said = said or {a for a in alternatives_of(text) if a[0] in sets}
        alternative = float(not said or bool(said & query.alternatives.keys()))
    # A procedure asked ("thủ tục cấp hộ chiếu") is stated by a passage naming it or by an
    # article in its own words ("được cấp lại khi ..."), not by a plan's task on its subject.
    procedure = 0.5
    if query.procedures and "who" not in query.asks:
        named = query.procedures <= named_procedures(f"{lead.context}\n{lead.text}")
        procedure = float(named or in_article(lead))
    return Evidence(
        dense_top=float(dense[top]),
        dense_best=float(dense.max()),
        dense_span=dense_span,
        coverage=coverage,
        first_coverage=first,
        pair_coverage=pair_cover,
        focus=focus,
        agreement=float(agreement),
        missing=missing,
        shape=shape,
        measure=measure,
        span_coverage=span_cover,
        span_pairs=span_pairs,
        addressed=float(addressed),
        dated=dated,
        period=period,
        phase=phase,
        amount=amount,
        placed=placed,
        sourced=float(of_named_number(query.intent, lead)),
        alternative=alternative,
        procedure=procedure,
    )


def _within(span: str, text: str) -> bool:
    """Whether an answer ``span`` (its last part, after a lead-in) is in ``text``."""
    return " ".join(span.rpartition(" … ")[2].split()) in " ".join(text.split())
