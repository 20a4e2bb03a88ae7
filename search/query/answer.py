"""The single best answer span for a query, copied from the source, never generated.

Candidates (spans.py) are the sentences of the top passages, a task item with the line
that assigns it, and for table rows the row's name with the cells a question asks about.
Each is scored by how much of the query it covers (idf-weighted lexical tokens), a bonus
for the passage's rank, and a bonus when it holds what the question asks for: a body that
leads the task ("ai", "cơ quan nào"), a time ("khi nào", "thời hạn"), an amount with its
unit ("bao nhiêu"), a state of progress ("tiến độ", "đến đâu").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass

from ..index.analyzer import HEADING, Analyzer
from ..records import Hit
from ..structure.bodies import unplaced
from ..structure.layout import BULLET_STYLES, parse_marker
from ..text.words import CONDITIONS, WHOLES, alternation
from .intent import in_named_document, passage_match
from .measures import holds_measure
from .names import names_whole
from .periods import other_stage
from .query import Query
from .ranges import fit
from .spans import (
    addressed_lines,
    cites,
    row_spans,
    span_citation,
    states_asked,
    states_own_number,
    text_spans,
)

# The top passage is usually the right one: its sentences need less overlap to win.
RANK_BONUS = (0.25, 0.1, 0.0)
# A span holding what the question asks for (chosen on eval/answerability/qtype.jsonl).
SHAPE_BONUS = 0.25
# A span stating the number of what the question counts ("kinh phí", "diện tích").
MEASURE_BONUS = 0.15
# A span setting the range an amount the question states falls in ("Từ 10 km/h đến 20 km/h"
# for "15 km/h"), or only ranges it does not (ranges.py).
RANGE_BONUS = 0.25
# A row's span holding the query's words past the row's name, which all its spans share.
OWN_BONUS = 0.05
# An item of a list, asked for a whole ("tổng số ...") it does not name.
PART_PENALTY = 0.1
# A clause after a semicolon opening with a condition, for a question stating none: the
# exception, where the rule before it answers ("thông báo lưu trú trước 23 giờ ...;
# trường hợp người đến sau 23 giờ thì ... trước 08 giờ ngày hôm sau").
EXCEPTION_PENALTY = 0.1
# A span of another stage than the one asked ("đợt 2 từ ngày 15/7" for "đợt 1"), as its
# passage ranks lower (settings.phase_weight).
STAGE_PENALTY = 0.25


@dataclass(frozen=True)
class Answer:
    text: str
    citation: str
    doc: str
    line_start: int
    line_end: int
    score: float = 0.0

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data.pop("score")
        return data


def extract_answer(
    query: Query,
    hits: list[Hit],
    analyzer: Analyzer,
    idf: Callable[[str], float],
    *,
    top: int = 3,
) -> Answer | None:
    """The best span of the top ``top`` hits; ``idf(token)`` weighs the query's words."""
    if not hits:
        return None
    refs = list(query.refs)
    if refs:
        # "khoản 2 Điều 9": the addressed clause is the answer, whatever its words, taken
        # from the document the query names, if it names one.
        scored = [
            (passage_match(refs, h.chunk), h)
            for h in hits[:top]
            if in_named_document(query.intent, h.chunk.meta)
        ]
        scored = [(m, h) for m, h in sorted(scored, key=lambda x: -x[0]) if m > 0]
        for match, hit in scored:
            if found := addressed_lines(refs, hit):
                text, start, end = found
                return Answer(text, span_citation(hit, start), hit.doc, start, end, score=1.0)
            c = hit.chunk
            if match == 1.0:  # the passage is the addressed clause itself
                text = " ".join(c.text.split("\n"))
                return Answer(text, span_citation(hit, c.line_start), hit.doc, c.line_start,
                              c.line_end, score=1.0)  # fmt: skip
        hits = [h for _, h in scored] or hits
    # A paste ending with a question is answered by the span holding the question's words.
    q_tokens = {t for t in query.question_tokens or query.tokens if not t.startswith(HEADING)}
    if not q_tokens:
        return None
    weight = {t: idf(t) for t in q_tokens}
    asking = bool(query.asks or query.measure)
    total = sum(weight.values())
    best: Answer | None = None
    for rank, hit in enumerate(hits[:top]):
        bonus = RANK_BONUS[min(rank, len(RANK_BONUS) - 1)]
        c = hit.chunk
        # Words in the headings and the document title answer for every sentence below them
        # ("Điều 12. Hiệu lực thi hành" / "1. Luật này có hiệu lực ..."), at half weight.
        around = analyzer.token_set(c.embed_text.replace(c.text, ""))
        # The name of a document the query names scopes the search, not the sentence: every
        # sentence of "Luật Bảo vệ quyền lợi người tiêu dùng" holds it in full. A sentence
        # saying "Nghị quyết này" names its own document in full too.
        name = analyzer.token_set(f"{c.meta.doc_type} {c.meta.title}")
        named = c.meta.doc in query.intent.named
        itself = f"{c.meta.doc_type} này".lower() if c.meta.doc_type else None
        # Its issuer, named by the query, speaks every sentence of it: "Hội Chữ thập đỏ phấn
        # đấu ... bao nhiêu" is answered by "Kết nối giúp đỡ ít nhất 5.200 ...", not the one
        # naming "chi hội Chữ thập đỏ". (Named in full: "pháp lý" does not name "Sở Tư
        # pháp"; the province it is of is no more every sentence's than it was.)
        body = unplaced(c.meta.issuer or "")
        issuer = analyzer.token_set(body) if names_whole(query.text, body) else frozenset()
        # A row's span opens with the row's name, which every span of it repeats: a body
        # named there ("Dự án nâng cấp Trung tâm Giám sát ...") leads none of its tasks.
        # (A target row's name may state the rate asked: "... GRDP từ 20% trở lên".)
        who_in_row = c.kind == "table_row" and "who" in query.asks
        if c.kind == "table_row":
            spans = ((s, c.line_start, c.line_end, "", "") for s in row_spans(query, c))
        else:
            spans = text_spans(query, c)
        for text, start, end, lead_in, about in spans:
            if about:  # the title of the item a sentence is under is its subject
                text = f"{about} … {text}"
            tokens = analyzer.token_set(text)
            title = name if named or (itself and itself in text.lower()) else frozenset()
            # So does a caption stating its own document's number, asked for it, and the
            # appendix it heads.
            own_number = bool(query.numbered) and states_own_number(text, c.meta, query.numbered)
            if own_number:
                title = name | around
            # A list item's lead-in is around it as its headings are.
            near = around | analyzer.token_set(lead_in) if lead_in else around
            cover = sum(
                weight[t]
                * (1.0 if t in tokens or t in title or t in issuer else 0.5 if t in near else 0.0)
                for t in q_tokens
            )
            score = cover / total + bonus
            if c.kind == "table_row" and asking:
                # Every span of a row opens with its name: of two items of one cell ("- Đê
                # đông: dài 138km", "- Đê Tây: dài 34km"), the one naming the query's words
                # itself answers a question. (Named by keywords, a row answers by the cells
                # summing it up.)
                own = analyzer.token_set(text.partition("; ")[2])
                score += OWN_BONUS * sum(weight[t] for t in q_tokens if t in own) / total
            cells = text.partition("; ")[2] if who_in_row else ""
            if query.numbered:
                # Asked a document's number ("... số mấy, ngày nào"), the date is its date.
                stated = own_number or cites(text, query.numbered)
            else:
                stated = states_asked(query, cells or text, row=c.kind == "table_row")
            if stated:
                score += SHAPE_BONUS
                # A sentence stating what it counts, with its number ("Kinh phí thực hiện
                # ... là 2.850 triệu đồng"), over one naming the topic without it. (A row
                # states it by its columns.)
                if c.kind == "text" and query.measure and holds_measure(text, query.measure):
                    score += MEASURE_BONUS
            score += RANGE_BONUS * fit(query.amounts, text)
            if query.total and _is_part(text):
                score -= PART_PENALTY
            if not query.conditional and _EXCEPTION.match(text):
                score -= EXCEPTION_PENALTY
            if query.phases and other_stage(query.phases, text):
                score -= STAGE_PENALTY
            if len(text) > 400:
                score -= 0.05
            # A sentence introducing a list has its answer in the items, unless it states
            # the number asked itself: "12 khu đất, với tổng diện tích 58.734,6 m², gồm:".
            if text.endswith(":") and not (stated and query.measure):
                score -= 0.15
            if best is None or score > best.score:
                citation = span_citation(hit, start)
                best = Answer(text, citation, hit.doc, start, end, score=score)
    return best


def _is_part(text: str) -> bool:
    """A list item ("- Trụ sở Tiếp công dân tỉnh tiếp 214 lượt") that names no whole."""
    marker = parse_marker(text)
    return bool(marker) and marker.style in BULLET_STYLES and not _WHOLE.search(text.lower())


_WHOLE = re.compile(rf"(?<!\w)(?:{'|'.join(WHOLES)})(?!\w)")
_EXCEPTION = re.compile(rf"(?:{alternation(CONDITIONS)})(?!\w)")  # in lower case: a clause's start
