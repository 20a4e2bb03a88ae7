"""Candidate answer spans inside a passage, and the citation of a span.

Spans are copied from the source, never rewritten: the sentences of a text passage (a
sentence carried over a page break is joined first), a task item together with the line
that assigns it ("Sở Nội vụ chủ trì, phối hợp ...: rà soát ..."), the lines of an
addressed clause, and for a table row its name with the cells a question asks about (a
figure cell with the unit its table states under its title: "Tổng số: 82.140 triệu đồng").
A span is cited as deep as it sits: a sentence under "a)" of "1." in Mục III is cited as
"điểm a khoản 1 Mục III", in a programme as in a law.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..index.citation import text_citation
from ..records import Chunk, DocMeta, Hit
from ..structure.layout import (
    BULLET_STYLES,
    MARKER_RANK,
    TERMINAL,
    is_closing_formula,
    parse_appendix,
    parse_marker,
    unmarked,
)
from ..text.normalize import fold
from ..text.words import (
    AGENCIES,
    ASKS,
    CAPITAL,
    DATE_UNITS,
    FIRMS,
    LEAD_VERBS,
    LEVELS,
    LOCAL_BODIES,
    PROGRESS_WORDS,
    STATUS_HEADS,
    TIME_WORDS,
    UNITS,
    WEEKDAYS,
    WEEKLY,
    alternation,
    folded_words,
)
from .intent import SectionRef
from .measures import holds_measure
from .names import PLACE
from .query import Query
from .units import NUMBER, in_unit, row_unit, table_unit, units_placed

# A year standing alone: not four digits of a project code ("7982640") or a sum ("2.229.382").
_YEAR = r"(?<![\d.,])(?:19|20)\d\d(?![\d.,]\d|\d)"
_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+(?=\S)")
# A list marker ending in a full stop ("1.", "1.2.", "II.") opens its sentence; it ends none.
_MARKER_ONLY = re.compile(r"(?:\d+(?:\.\d+)*|[IVXLC]+)\.")


# A body: a proper name ("Sở Tài chính"), or a level ("UBND tỉnh", "Công an cấp xã").
_AGENCY = re.compile(
    rf"(?<!\w)(?:{alternation(AGENCIES, '')})\s+{CAPITAL}"
    rf"|(?<!\w)(?:{alternation(LOCAL_BODIES, '')})(?:\s+\w+){{0,8}}?\s+(?:{alternation(LEVELS)})"
)
_LEAD = re.compile(rf"(?<!\w)(?:{alternation(LEAD_VERBS)})", re.IGNORECASE)
_WHEN = re.compile(
    rf"(?i)(?<!\w)(?:{alternation(TIME_WORDS, '')})\s*(?:\d|[IVX]+\b)|\d{{1,2}}/\d{{4}}|{_YEAR}"
    rf"|\d+\s*(?:{alternation(DATE_UNITS)})|(?<!\w)(?:{alternation(WEEKLY)})"
    rf"|(?<!\w)[Tt]hứ\s+(?-i:{alternation(WEEKDAYS)})"
)
# A document's number and the date it was issued ("Quyết định số 1420/QĐ-UBND ngày
# 20/5/2024", "15/2024/NĐ-CP") name a document; they date no task.
_DOCUMENT_REF = re.compile(
    r"\d[\d.]*(?:/\d{4})?[/-][A-ZĐ][\wĐđ./-]*"
    r"(?:,?\s*ngày\s+\d{1,2}(?:\s*/\s*\d{1,2}\s*/\s*\d{4}|\s+tháng\s+\d{1,2}\s+năm\s+\d{4}))?"
)
# What an answer of each kind looks like (text/words.py holds the words).
SHAPES = {
    # A body that leads ("Sở X chủ trì"), or one opening a task as its doer ("- Ban Tuyên
    # giáo ... xây dựng cơ sở dữ liệu ...").
    "who": lambda s: bool(_AGENCY.search(s) and _LEAD.search(s) or _AGENCY.match(unmarked(s))),
    # A date or deadline ("tháng 10", "Quý III", "12/2025"), or a duration ("15 ngày").
    "when": lambda s: bool(_WHEN.search(_DOCUMENT_REF.sub(" ", s))),
    # A firm by name ("Công ty TNHH Xây dựng Minh Phát"); a generic "nhà thầu" names none.
    "firm": re.compile(rf"(?<!\w)(?:{alternation(FIRMS, '')})\s+(?:{CAPITAL}|TNHH|cổ phần)").search,
    # A place by unit and name ("Xã Tham Đôn, huyện Mỹ Xuyên").
    "where": PLACE.search,
    "amount": re.compile(rf"{NUMBER}\s*(?:{alternation(UNITS)})").search,
    "progress": re.compile(rf"(?i)(?<!\w)(?:{alternation(PROGRESS_WORDS)})").search,
    "result": re.compile(rf"\d|(?i:(?<!\w)(?:{alternation(PROGRESS_WORDS)}))").search,
    "why": re.compile(r"(?i)(?<!\w)(?:do|vì|bởi|nguyên nhân|lý do)\s+\w").search,
}


def has_shape(text: str, kinds: tuple[str, ...], *, row: bool = False) -> bool:
    """Whether ``text`` holds an answer of one of the asked kinds. In a table row the
    column says what a cell is, so any body named in it may be the one asked for, and a
    figure is in the unit its column names."""
    if row and "who" in kinds and _AGENCY.search(text):
        return True
    if row:
        text = units_placed(text)
    return any(SHAPES[k](text) for k in kinds if k in SHAPES)


def text_spans(query: Query, chunk: Chunk) -> Iterator[tuple[str, int, int, str, str]]:
    """(span, first line, last line, lead-in, title) of a text passage. The lead-in is the
    line introducing the list the span is an item of ("Mức hỗ trợ ..., cụ thể:" above "- Xây
    mới nhà ở: 60 triệu đồng/căn;"): it says what the item is about. The title is the
    numbered item's title line above the span's paragraph ("2. Dự án Khối nhà truyền nhiễm
    ..." over "Dự kiến hoàn thành ... trong tháng 7/2026."): the span's subject."""
    lines = chunk.text.split("\n")
    numbers = chunk.line_numbers or tuple(range(chunk.line_start, chunk.line_start + len(lines)))
    lead: tuple[str, int] | None = None  # the words assigning the items below them
    # A lead-in stating what is asked for the items below it ("1. Phạt tiền từ 400.000
    # đồng đến 600.000 đồng đối với ... sau đây:" / "b) Không thắt dây đai an toàn"), and
    # the rank of its marker: an item as strong as it ends its list.
    stated: tuple[str, int, int] | None = None
    stating = tuple(k for k in query.asks if k in ("when", "amount"))
    intro: tuple[str, int] | None = None  # the open list's lead-in and its marker's rank
    # The rank of the last item above: an unmarked lead-in ("Tổng kinh phí ... trong đó:")
    # under "2." has its list ended by "3.".
    above = -1
    # A numbered item's title on a line of its own ("2. Dự án Khối nhà truyền nhiễm ...")
    # says what the paragraphs below it are about, up to the next item as strong.
    titled: tuple[str, int] | None = None
    for para, first, last in _paragraphs(list(zip(numbers, lines, strict=False)), chunk.paragraphs):
        if is_heading(para):
            continue
        marker = parse_marker(para)
        rank = MARKER_RANK[marker.style] if marker else None
        if stated and (rank is None or rank <= stated[2]):
            stated = None
        if intro and (rank is None or rank <= intro[1]):
            intro = None
        if titled and rank is not None and rank <= titled[1]:
            titled = None
        if marker and marker.style not in BULLET_STYLES:
            above = rank
        context = intro[0] if intro else ""
        about = titled[0] if titled else ""
        # "Sở X chủ trì, phối hợp với ...: <tasks>" assigns what follows, in this paragraph
        # and in the items below it.
        head, colon, _ = para.partition(":")
        if colon and SHAPES["who"](head):
            lead = (head + colon, first)
        # A numbered item's label ("5. Giải quyết chế độ đối với người ... dôi dư: toàn tỉnh
        # ...") is what its later sentences are about ("Kinh phí dự kiến 2.184 triệu đồng").
        numbered = marker and marker.style not in BULLET_STYLES and colon and len(head) <= 150
        label = _list_label(head) if numbered else ""
        before = ""
        listing = ""  # "Chỉ tiêu theo từng năm: năm 2026 là 850 căn; năm 2027 là ...;"
        # A question asking two things ("cơ quan nào chủ trì ... và khi nào xong") may be
        # answered by a sentence's clauses together: "Chủ trì ... rà soát ...; đình chỉ
        # ...; hoàn thành trước ngày 30/9/2025."
        clauses: list[str] = []
        run_on = context  # a run-on list's items are about the words leading it, too
        for sentence in _sentences(para):
            clauses.append(sentence)
            run = clauses  # the sentence so far, kept when the next one starts anew
            if not sentence.endswith(";"):
                if len(query.asks) > 1 and len(clauses) > 1:
                    yield " ".join(clauses), first, last, context, about
                clauses = []
            # A section title ("Điều 6. Điều kiện thành lập") names a topic; it does not answer,
            # nor does the sentence closing the body ("Trên đây là Kế hoạch ..."), though the
            # next one may ("Trong quá trình thực hiện, ... báo cáo về Sở Nội vụ").
            if is_heading(sentence) or is_closing_formula(sentence):
                continue
            if len(sentence.split()) >= 6 or any(ch.isdigit() for ch in sentence):
                said = about or (label if before and not before.endswith(";") else "")
                yield sentence, first, last, run_on if before.endswith(";") else context, said
                # "Đề xuất bổ sung dự án ...; thời hạn gửi trước ngày 30/6": a clause going
                # on after a semicolon says what it is about with the one before it; a
                # clause of a list run on in one sentence, with the words leading the list.
                if before.endswith(";") and (
                    sentence[:1].islower() or ("who" in query.asks and _AGENCY.match(sentence))
                ):
                    yield f"{before} {sentence}", first, last, context, about
                    if listing and sentence[:1].islower():
                        yield f"{listing} … {sentence}", first, last, context, about
                if lead and "who" in query.asks and not SHAPES["who"](sentence):
                    yield f"{lead[0]} … {sentence}", lead[1], last, context, about
                elif "who" in query.asks and len(run) > 2 and not SHAPES["who"](sentence):
                    # "2. Sở Công Thương chủ trì ...; theo dõi ...; đề xuất ...": the body
                    # opening the sentence leads each clause of it.
                    if SHAPES["who"](run[0]):
                        yield " ".join(run), first, last, context, about
                elif stated and not states_asked(query, sentence, kinds=stating):
                    yield f"{stated[0]} … {sentence}", stated[1], last, context, about
            if not before and sentence.endswith(";") and ":" in sentence:
                listing = _list_label(sentence.partition(":")[0])
                run_on = f"{context} {sentence.partition(':')[0]}"
            elif not before.endswith(";"):
                listing = ""
            if not sentence.endswith(";"):
                run_on = context
            before = sentence
        if marker and marker.style not in BULLET_STYLES and _is_title(marker.rest):
            titled = (para, rank)
        if para.endswith(":"):
            intro = (para, above if rank is None else rank)
            if states_asked(query, para, kinds=stating):
                stated = (para, first, intro[1])


def _is_title(rest: str) -> bool:
    """Whether a numbered paragraph (``rest``: after its marker) titles what is below it by
    a name: short, no sentence, naming a place or work in capitals ("1. Dự án Trung tâm Y tế
    khu vực Đầm Dơi (khối điều trị nội trú 150 giường)"); a title naming a topic ("2. Kinh
    phí và nguồn vốn") says little the sentences below it do not."""
    if len(rest) > 150 or rest.endswith((".", ";", ":", "!", "?", "…")):
        return False
    words = rest.split()[1:]
    return any(a[:1].isupper() and b[:1].isupper() for a, b in zip(words, words[1:]))


def _list_label(head: str) -> str:
    """What the items of a list run on in one sentence are ("Chỉ tiêu theo từng năm:"), or
    "" when the words before the colon state a number of their own: a total ("Tổng kinh
    phí là 9.460 triệu đồng, trong đó:") is what its items break down, not what each is."""
    return "" if any(ch.isdigit() for ch in unmarked(head)) else head + ":"


def _sentences(text: str) -> list[str]:
    """The sentences of ``text``, a leading list marker kept with its own."""
    out: list[str] = []
    for part in _SENTENCE_END.split(text.strip()):
        if out and _MARKER_ONLY.fullmatch(out[-1]):
            out[-1] += " " + part
        else:
            out.append(part)
    return out


def states_asked(
    query: Query, text: str, *, kinds: tuple[str, ...] | None = None, row: bool = False
) -> bool:
    """Whether ``text`` states what the question asks: an answer of the asked ``kinds``
    (default: every kind it asks; a body, a time, an amount ...), or the number it counts
    ("mức phạt": a sum of money)."""
    kinds = query.asks if kinds is None else kinds
    shaped = bool(kinds) and has_shape(text, kinds, row=row)
    return shaped or bool(query.measure) and holds_measure(text, query.measure)


def states_own_number(text: str, meta: DocMeta, kind: str) -> bool:
    """Whether ``text`` states the number of its own document, being of ``kind`` (folded):
    the caption "(Kèm theo Kế hoạch số 682/KH-SGDĐT ngày 27/3/2026 ...)" for "kế hoạch ...
    số hiệu là gì", where the header does not carry it."""
    if not meta.number or fold((meta.doc_type or "").lower()) != kind:
        return False
    return fold(meta.number.lower()) in fold(text.lower())


def cites(text: str, kind: str) -> bool:
    """Whether ``text`` cites a document of ``kind`` (folded) by its number ("Quyết định số
    01462/QĐ-UBND", "quyết định 1420/QĐ")."""
    return bool(re.search(rf"(?<!\w){kind}\s+(?:so\s+)?\d", fold(text.lower())))


def row_spans(query: Query, chunk: Chunk) -> Iterator[str]:
    """Spans of a table row, each starting with the row's name: the cells the question asks
    about, and each sentence of each other cell."""
    cells = [(h, v) for h, v in chunk.cells if v]
    if not cells:
        yield chunk.text
        return
    unit = row_unit(chunk.text) or table_unit(chunk.context)
    cells = cells[:1] + [in_unit(h, v, unit) for h, v in cells[1:]]
    name = cells[0][1]
    yield asked_cells(query, cells)
    # Asked who or when, a row with a column for it answers by that column, whatever its
    # other cells say ("Thời gian hoàn thành: 30/11/2025", not "Phương án xử lý: ...").
    if set(query.asks) <= {"who", "when"} and holds_asked_cell(query.asks, chunk):
        return
    # Without a column for what is asked, a cell that holds it answers ("Kiến nghị Tập
    # đoàn Điện lực Việt Nam triển khai" for "đơn vị nào").
    for h, v in cells[1:]:
        for sentence in _sentences(v) if len(v) > 200 else [v]:
            if len(sentence) >= 6 or any(ch.isdigit() for ch in sentence):  # "87,6"
                yield f"{name}; {h}: {sentence}" if h else f"{name}; {sentence}"


def asked_heads(asks: tuple[str, ...]) -> list[str]:
    """Folded column headings that hold what a question asks ("tien do" for "when")."""
    return [fold(h) for kind in asks for h in ASKS[kind][1]]


def is_asked(head: str, wanted: list[str]) -> bool:
    return bool(head) and any(w in fold(head.lower()) for w in wanted)


def holds_asked_cell(asks: tuple[str, ...], chunk: Chunk) -> bool:
    """Whether a table row's passage holds a filled cell under a column the question asks
    about ("TIẾN ĐỘ THỰC HIỆN" for "tiến độ ... thế nào"). A part of a long row holds the
    lines "Header: value" of its own cells only."""
    wanted = asked_heads(asks)
    lines = chunk.text.split("\n")[1:]
    return any(
        v and is_asked(h, wanted) and any(line.startswith(f"{h}: ") for line in lines)
        for h, v in chunk.cells[1:]
    )


def asked_cells(query: Query, cells: list[tuple[str, str]]) -> str:
    """The row's name plus the cells the question asks about (or its status cells)."""
    wanted = asked_heads(query.asks) or [fold(h) for h in STATUS_HEADS]
    # A column the question names by two words of its heading is asked too ("được hỗ trợ
    # hạng mục gì" → "Nội dung hỗ trợ"), or by every word of it, in any order ("dự kiến
    # được đặt tên là gì" → "Tên dự kiến").
    pairs = set(zip(query.subject, query.subject[1:]))
    said = folded_words(query.text)

    def named(heading: str) -> bool:
        words = folded_words(heading)
        return (
            is_asked(heading, wanted)
            or bool(pairs & _pairs(heading))
            or (len(words) > 1 and words <= said)
        )

    row = "\n".join(f"{h}: {v}" for h, v in cells)

    def states(heading: str, value: str) -> bool:
        # A question counting something asks the cell stating its count ("Số lượng (con):
        # 200.000" for "số lượng tôm càng xanh"), whatever its heading's words.
        cell = f"{heading}: {value}"
        return bool(query.measure) and holds_measure(cell, query.measure, within=row)

    chosen = [(h, v) for h, v in cells[1:] if named(h) or states(h, v)]
    if not chosen:
        chosen = [(h, v) for h, v in cells[1:4] if len(v) <= 300]
    return "; ".join([cells[0][1]] + [f"{h}: {v}" if h else v for h, v in chosen])


def _pairs(heading: str) -> set[tuple[str, str]]:
    words = [fold(w) for w in heading.lower().split()]
    return set(zip(words, words[1:]))


def line_addresses(c: Chunk) -> list[tuple[str, ...]]:
    """For each line of a text passage, the labels of the sections it sits in below the
    passage's own section ("2", "b)"), tracked from the markers the parser knows. The
    headings of the passage's own section path ("Chương II", "Mục 1", "Điều 6" opening an
    article's passage) are not below it."""
    own = set(c.section)
    stack: list[tuple[int, str]] = []
    out = []
    for text in c.text.split("\n"):
        m = parse_marker(text)
        if m is not None and m.style not in BULLET_STYLES and m.label not in own:
            rank = MARKER_RANK[m.style]
            while stack and stack[-1][0] >= rank:
                stack.pop()
            stack.append((rank, m.label))
        out.append(tuple(label for _, label in stack))
    return out


def in_article(c: Chunk) -> bool:
    """Whether a passage is (part of) an article: "Điều 9" is in its section path."""
    return any(p.startswith("Điều ") for p in c.section)


def addressed_lines(refs: list[SectionRef], hit: Hit) -> tuple[str, int, int] | None:
    """The lines of the clause (and point) a query addresses, found inside a passage that
    holds the whole article or clause: "2. ..." after "Điều 9. ...", then "b) ..."."""
    c = hit.chunk
    if not in_article(c):
        return None
    addresses = line_addresses(c)
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


def span_citation(hit: Hit, line: int) -> str:
    """A passage's citation narrowed to the sections holding source ``line``: an answer
    taken from inside "Điều 9" is cited as "khoản 2 Điều 9", one from "a)" of "1." of
    Mục III as "điểm a khoản 1 Mục III"."""
    c = hit.chunk
    if c.kind != "text":
        return c.citation
    addresses = line_addresses(c)
    numbers = c.line_numbers or tuple(range(c.line_start, c.line_start + len(addresses)))
    extra = next((a for n, a in zip(numbers, addresses, strict=False) if n >= line), ())
    base = text_citation(c.meta, c.section)
    if not extra or not c.citation.startswith(base):
        return c.citation
    return text_citation(c.meta, c.section + extra) + c.citation[len(base) :]


# Headings name a topic: a law's or appendix's own ("Điều 6. Điều kiện thành lập").
_HEADING_STYLES = {"chapter", "lawsection", "article"}


def is_heading(text: str) -> bool:
    if text.endswith((".", ";")):
        return False
    letters = [c for c in text if c.isalpha()]
    if len(letters) >= 4 and all(c.isupper() for c in letters):
        return True
    m = parse_marker(text)
    heading = (m is not None and m.style in _HEADING_STYLES) or parse_appendix(text) is not None
    return heading and len(text) <= 150


def headings_of(c: Chunk) -> list[str]:
    """The heading lines inside a passage's text ("I. KẾT QUẢ NĂM 2025")."""
    return [line for line in c.text.split("\n") if is_heading(line)]


def _paragraphs(lines: list[tuple[int, str]], opens: tuple[int, ...] = ()):
    """The paragraphs of a passage's lines: as the document's reader found them (``opens``,
    the index of each one's first line), so a sentence wrapped at the width goes on whatever
    its next line starts with ("... báo cáo kết quả về Phòng" / "PC06 trước ngày 05/5/2026");
    else lines join where a sentence goes on in small letters across a page break."""
    buf: list[str] = []
    first = last = 0
    for k, (number, line) in enumerate(lines):
        if opens:
            goes_on = k not in opens
        else:  # a list item ("a) ...", "- ...") opens its own paragraph, after whatever line
            goes_on = line[:1].islower() and parse_marker(line) is None
        if buf and goes_on and (opens or not TERMINAL.search(buf[-1])):
            buf.append(line)
            last = number
            continue
        if buf:
            yield " ".join(buf), first, last
        buf, first, last = [line], number, number
    if buf:
        yield " ".join(buf), first, last
