"""The single best answer span for a query, copied from the source, never generated.

Candidates are the sentences of the top passages and, for table rows, the row's name with
the cells a question asks about (who leads, by when, how much, how far along). Each is
scored by how much of the query it covers (idf-weighted lexical tokens) plus a bonus for the
passage's rank; the best one is returned with its citation and source lines.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass

from ..index.analyzer import Analyzer
from ..index.citation import text_citation
from ..records import Hit
from ..structure.layout import numbered_clauses, parse_appendix, parse_marker
from ..text.normalize import fold
from ..text.words import ASKS, STATUS_HEADS
from .intent import SectionRef, section_match
from .query import Query

_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+(?=\S)")
_TERMINAL = re.compile(r"[.;:!?…”\")]$")
# The top passage is usually the right one: its sentences need less overlap to win.
RANK_BONUS = (0.25, 0.1, 0.0)


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
        # "khoản 2 Điều 9": the addressed clause is the answer, whatever its words.
        scored = [
            (section_match(refs, h.chunk.section, numbered_clauses(h.chunk.text)), h)
            for h in hits[:top]
        ]
        addressed = [h for m, h in sorted(scored, key=lambda x: -x[0]) if m > 0]
        for hit in addressed:
            found = _addressed_lines(refs, hit)
            if found:
                text, start, end = found
                return Answer(text, finer_citation(hit, start), hit.doc, start, end, score=1.0)
        hits = addressed or hits
    q_tokens = set(query.tokens)
    if not q_tokens:
        return None
    weight = {t: idf(t) for t in q_tokens}
    total = sum(weight.values())
    best: Answer | None = None
    for rank, hit in enumerate(hits[:top]):
        bonus = RANK_BONUS[min(rank, len(RANK_BONUS) - 1)]
        # Words in the headings and the document title answer for every sentence below them
        # ("Điều 12. Hiệu lực thi hành" / "1. Luật này có hiệu lực ..."), at half weight.
        around = set(analyzer.document_tokens(hit.chunk.embed_text.replace(hit.chunk.text, "")))
        for text, start, end in _candidates(query, hit):
            tokens = set(analyzer.document_tokens(text))
            cover = (
                sum(
                    weight[t] * (1.0 if t in tokens else 0.5 if t in around else 0.0)
                    for t in q_tokens
                )
                / total
            )
            score = cover + bonus
            if len(text) > 400:
                score -= 0.05
            if text.endswith(":"):
                score -= 0.15  # introduces a list; the answer is in the items
            if best is None or score > best.score:
                best = Answer(
                    text=text,
                    citation=finer_citation(hit, start)
                    if hit.chunk.kind == "text"
                    else hit.citation,
                    doc=hit.doc,
                    line_start=start,
                    line_end=end,
                    score=score,
                )
    return best


def _candidates(query: Query, hit: Hit):
    c = hit.chunk
    if c.kind == "table_row":
        for text in _row_answers(query, hit):
            yield text, c.line_start, c.line_end
        return
    lines = c.text.split("\n")
    numbers = c.line_numbers or tuple(range(c.line_start, c.line_start + len(lines)))
    for para, first, last in _paragraphs(list(zip(numbers, lines, strict=False))):
        if _is_heading(para):
            continue
        for sentence in _SENTENCE_END.split(para):
            sentence = sentence.strip()
            # A section title ("Điều kiện thành lập", "Điều 6. Điều kiện thành lập",
            # "THÀNH LẬP TRẠM ĐỌC SÁCH") names a topic; it does not answer.
            if _is_heading(sentence):
                continue
            if len(sentence.split()) >= 6 or any(ch.isdigit() for ch in sentence):
                yield sentence, first, last


def _line_addresses(c) -> list[tuple[str, ...]] | None:
    """For each line of a law passage, the clause and point it sits in below the passage's
    own section ("2", "b)"), tracked from the markers the parser knows; None outside laws."""
    article = next((p for p in c.section if p.startswith("Điều ")), None)
    if article is None:
        return None
    below = c.section[c.section.index(article) + 1 :]
    clause, point = (below[0] if below else None), (below[1] if len(below) > 1 else None)
    out = []
    for text in c.text.split("\n"):
        m = parse_marker(text)
        if m and m.style == "num" and not below:
            clause, point = m.label, None
        elif m and m.style == "letter" and clause and len(below) < 2:
            point = m.label
        out.append(tuple(x for x in (clause, point) if x)[len(below) :])
    return out


def _addressed_lines(refs: list[SectionRef], hit: Hit) -> tuple[str, int, int] | None:
    """The lines of the clause (and point) a query addresses, found inside a passage that
    holds the whole article or clause: "2. ..." after "Điều 9. ...", then "b) ..."."""
    c = hit.chunk
    addresses = _line_addresses(c)
    if addresses is None:
        return None
    lines = c.text.split("\n")
    numbers = c.line_numbers or tuple(range(c.line_start, c.line_start + len(lines)))
    for ref in refs:
        label = f"Điều {ref.article}"
        if ref.clause is None or label not in c.section:
            continue
        below = c.section[c.section.index(label) + 1 :]
        want = (ref.clause, f"{ref.point})") if ref.point else (ref.clause,)
        if below[: len(want)] == want:
            return None  # the passage is the addressed clause or point itself
        at = [i for i, a in enumerate(addresses) if (below + a)[: len(want)] == want]
        if not at:
            continue
        end = at[0]
        while end + 1 < len(lines) and end + 1 in at:
            end += 1
        return " ".join(lines[at[0] : end + 1]), numbers[at[0]], numbers[end]
    return None


def finer_citation(hit: Hit, line: int) -> str:
    """A law passage's citation narrowed to the clause and point holding source ``line``:
    an answer taken from inside "Điều 9" is cited as "khoản 2 Điều 9"."""
    c = hit.chunk
    addresses = _line_addresses(c)
    if not addresses:
        return c.citation
    numbers = c.line_numbers or tuple(range(c.line_start, c.line_start + len(addresses)))
    extra = next((a for n, a in zip(numbers, addresses, strict=False) if n >= line), ())
    base = text_citation(c.meta, c.section)
    if not extra or not c.citation.startswith(base):
        return c.citation
    return text_citation(c.meta, c.section + extra) + c.citation[len(base) :]


# Headings name a topic: a law's or appendix's own ("Điều 6. Điều kiện thành lập").
_HEADING_STYLES = {"chapter", "lawsection", "article"}


def _is_heading(text: str) -> bool:
    if text.endswith((".", ";")):
        return False
    letters = [c for c in text if c.isalpha()]
    if len(letters) >= 4 and all(c.isupper() for c in letters):
        return True
    m = parse_marker(text)
    heading = (m is not None and m.style in _HEADING_STYLES) or parse_appendix(text) is not None
    return heading and len(text) <= 150


def _paragraphs(lines: list[tuple[int, str]]):
    """Join lines that continue a sentence across a page break ("... 01 tổ xung kích" /
    "phòng cháy, ...") so a sentence is never cut in two."""
    buf: list[str] = []
    first = last = 0
    for number, line in lines:
        if buf and not _TERMINAL.search(buf[-1]) and line[:1].islower():
            buf.append(line)
            last = number
            continue
        if buf:
            yield " ".join(buf), first, last
        buf, first, last = [line], number, number
    if buf:
        yield " ".join(buf), first, last


def _row_answers(query: Query, hit: Hit):
    """Candidate answers from a table row, each starting with the row's name: the cells the
    question asks about, and each sentence of each other cell."""
    cells = [(h, v) for h, v in hit.chunk.cells if v]
    if not cells:
        yield hit.chunk.text
        return
    name = cells[0][1]
    yield _asked_cells(query, cells)
    for h, v in cells[1:]:
        for sentence in _SENTENCE_END.split(v) if len(v) > 200 else [v]:
            if len(sentence) >= 6:
                yield f"{name}; {h}: {sentence}" if h else f"{name}; {sentence}"


def _asked_cells(query: Query, cells: list[tuple[str, str]]) -> str:
    """The row's name plus the cells the question asks about (or its status cells)."""
    wanted = [fold(h) for kind in query.asks for h in ASKS[kind][1]]
    name = cells[0]
    wanted = wanted or [fold(h) for h in STATUS_HEADS]
    chosen = [(h, v) for h, v in cells[1:] if h and any(w in fold(h.lower()) for w in wanted)]
    if not chosen:
        chosen = [(h, v) for h, v in cells[1:4] if len(v) <= 300]
    parts = [name[1]] + [f"{h}: {v}" if h else v for h, v in chosen]
    return "; ".join(parts)
