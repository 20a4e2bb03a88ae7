"""The single best answer span for a query, copied from the source, never generated.

Candidates are the sentences of the top passages and, for table rows, the row's name with
the cells a question asks about (who leads, by when, how much, how far along). Each is
scored by how much of the query it covers (idf-weighted lexical tokens) plus a bonus for the
passage's rank; the best one is returned with its citation and source lines.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from .lexical import LexicalIndex
from .records import Hit
from .textnorm import fold

_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+(?=\S)")

# What a question asks about → words that head the table column holding it.
_ASKS = [
    (
        (
            "tiến độ",
            "khi nào",
            "bao giờ",
            "thời hạn",
            "hạn",
            "thời gian",
            "lúc nào",
            "năm nào",
            "hoàn thành",
        ),
        ("tiến độ", "thời hạn", "thời gian", "hoàn thành", "dự kiến"),
    ),
    (
        ("ai", "cơ quan nào", "đơn vị nào", "sở nào", "chủ trì", "giao", "phụ trách", "theo dõi"),
        ("chủ trì", "chủ đầu tư", "phụ trách", "cơ quan", "đơn vị"),
    ),
    (
        (
            "bao nhiêu",
            "tổng mức",
            "vốn",
            "kinh phí",
            "tiền",
            "đầu tư",
            "quy mô",
            "công suất",
            "chiều dài",
            "diện tích",
        ),
        ("tổng", "vốn", "kinh phí", "số tiền", "mức", "quy mô", "kế hoạch vốn"),
    ),
    (("kết quả", "sản phẩm", "chỉ tiêu", "đạt"), ("kết quả", "sản phẩm", "ghi chú")),
]


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
    query: str, hits: list[Hit], lexical: LexicalIndex, *, top: int = 3
) -> Answer | None:
    if not hits:
        return None
    analyzer = lexical.analyzer
    q_tokens = {t for t in analyzer.query_tokens(query) if not t.startswith("~") or "_" not in t}
    if not q_tokens:
        return None
    total = sum(lexical.idf(t) for t in q_tokens)
    best: Answer | None = None
    for rank, hit in enumerate(hits[:top]):
        bonus = (0.15, 0.07, 0.0)[min(rank, 2)]
        for text, start, end in _candidates(query, hit):
            tokens = set(analyzer.document_tokens(text))
            cover = sum(lexical.idf(t) for t in q_tokens if t in tokens) / total
            score = cover + bonus - (0.05 if len(text) > 400 else 0.0)
            if best is None or score > best.score:
                best = Answer(
                    text=text,
                    citation=hit.citation,
                    doc=hit.doc,
                    line_start=start,
                    line_end=end,
                    score=score,
                )
    return best


def _candidates(query: str, hit: Hit):
    c = hit.chunk
    if c.kind == "table_row":
        yield _row_answer(query, hit), c.line_start, c.line_end
        return
    lines = c.text.split("\n")
    numbers = c.line_numbers or tuple(range(c.line_start, c.line_start + len(lines)))
    for line, number in zip(lines, numbers, strict=False):
        for sentence in _SENTENCE_END.split(line):
            sentence = sentence.strip()
            if len(sentence) >= 12:
                yield sentence, number, number


def _row_answer(query: str, hit: Hit) -> str:
    """The row's name plus the cells the question asks about (or the first few)."""
    cells = [(h, v) for h, v in hit.chunk.cells if v]
    if not cells:
        return hit.chunk.text
    # Compare with diacritics when the query has them: "tiền" is not "tiến".
    q = query.lower()
    accented = fold(q) != q
    form = (lambda s: s) if accented else fold
    wanted: list[str] = []
    for asks, heads in _ASKS:
        if any(re.search(rf"(?<!\w){re.escape(form(a))}(?!\w)", form(q)) for a in asks):
            wanted.extend(fold(h) for h in heads)
    name = cells[0]
    chosen = [(h, v) for h, v in cells[1:] if h and any(w in fold(h.lower()) for w in wanted)]
    if not chosen:
        chosen = cells[1:4]
    parts = [name[1]] + [f"{h}: {v}" if h else v for h, v in chosen]
    return "; ".join(parts)
