"""Pasted passages: the passage they come from comes first, marked and cited."""

from pathlib import Path

import pytest
from conftest import CORPUS
from fakes import HashingEncoder

from search import Searcher
from search.errors import QueryError
from search.index.chunker import Chunker
from search.index.ingest import build
from search.query.query import trailing_question
from search.query.quote import locate, words_of
from search.records import Hit
from search.structure.parser import parse_text


@pytest.fixture(scope="module")
def corpus_searcher(tmp_path_factory) -> Searcher:
    index = tmp_path_factory.mktemp("corpus_index") / "index"
    build(CORPUS, index, HashingEncoder())
    return Searcher(index, encoder=HashingEncoder())


def paragraphs(min_chars: int = 300):
    for path in sorted(Path(CORPUS).glob("*.txt")):
        for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
            if len(line.strip()) > min_chars:
                yield path.name, n, line


def test_every_long_paragraph_of_the_corpus_is_found_where_it_stands(corpus_searcher):
    missed = []
    for doc, line, text in paragraphs():
        r = corpus_searcher.ask(text, k=5)
        q, top = r.quote, r.hits[0].chunk if r.hits else None
        found = q is not None and top is not None and q.citation == top.citation
        if found and q.doc != doc:
            # The 2024 and 2025 programmes share some paragraphs word for word: either
            # document is a true source, as long as its passages hold the whole paragraph.
            other = " ".join(words_of((Path(CORPUS) / q.doc).read_text(encoding="utf-8")))
            found = q.coverage > 0.99 and " ".join(words_of(text)) in other
        elif found:
            found = q.line_start <= line <= q.line_end
        if not (found and not r.no_answer):
            missed.append((doc, line))
    assert len(list(paragraphs())) > 200 and missed == []


def test_near_copies_are_found_too(corpus_searcher):
    doc, line, text = next(p for p in paragraphs(400) if "\t" not in p[2])
    words = text.split()
    edited = " ".join(words[:5] + ["đã"] + words[5:])  # a word added
    edited = edited.replace("ư", "u", 3).replace(",", " ,")  # slips and spacing
    r = corpus_searcher.ask(edited, k=5)
    assert r.quote is not None and r.quote.doc == doc
    assert r.quote.line_start <= line <= r.quote.line_end
    assert r.to_json()["quoted_from"]["citation"] == r.hits[0].citation


def test_a_paste_from_nowhere_is_not_a_quote(corpus_searcher):
    text = (
        "Hội nghị thống nhất tổ chức giải bóng đá thiếu niên mùa hè tại sân vận động trung "
        "tâm, mỗi đội đăng ký mười tám cầu thủ, lệ phí tham dự do câu lạc bộ tự túc, ban tổ "
        "chức trao cúp và huy chương cho ba đội dẫn đầu sau vòng chung kết."
    )
    assert corpus_searcher.ask(text, k=5).quote is None


def test_a_paste_over_several_passages_is_found_as_their_run(corpus_searcher):
    lines = (Path(CORPUS) / "001_b083f431a9bc8808.txt").read_text(encoding="utf-8").split("\n")
    text = "\n".join(lines[162:166])  # IV.1 and its items 1.1-1.3: several passages
    r = corpus_searcher.ask(text, k=10)
    assert r.quote is not None and len(r.quote.chunks) >= 2
    assert (r.quote.line_start, r.quote.line_end) == (163, 166)
    assert [h.chunk.id for h in r.hits[: len(r.quote.chunks)]] == [c.id for c in r.quote.chunks]


def test_long_pastes_are_accepted_up_to_twenty_thousand_characters(corpus_searcher):
    text = (Path(CORPUS) / "000_68b8ca22028114f3.txt").read_text(encoding="utf-8")[:19_500]
    r = corpus_searcher.ask(text, k=3)
    assert r.hits and r.hits[0].doc == "000_68b8ca22028114f3.txt"
    with pytest.raises(QueryError, match="20000"):
        corpus_searcher.ask("chữ " * 6000)


def test_a_paste_ending_with_a_question_is_answered_as_the_question(corpus_searcher):
    """The pasted passage is found and comes first; the answer and "not found" follow the
    question it ends with: a tender winner the source never names is not found."""
    lines = (Path(CORPUS) / "000_68b8ca22028114f3.txt").read_text(encoding="utf-8").split("\n")
    paste = lines[20]  # "- Sở Nội vụ chủ trì, phối hợp ... rà soát, tham mưu ..."
    asked = corpus_searcher.ask(f"{paste} Vậy cơ quan nào chủ trì việc này?", k=5)
    assert asked.query.question == "cơ quan nào chủ trì việc này?"
    assert asked.query.asks == ("who",)  # not "when" or "amount" from the paste
    assert asked.to_json()["question"] == asked.query.question
    assert asked.quote is not None and asked.quote.line_start <= 21 <= asked.quote.line_end
    assert not asked.no_answer and "Sở Nội vụ chủ trì" in asked.answer.text
    firm = corpus_searcher.ask(f"{paste} Vậy nhà thầu nào trúng thầu gói tư vấn?", k=5)
    assert firm.quote is not None and firm.hits[0].chunk.id == firm.quote.chunks[0].id
    assert firm.no_answer and firm.answer is None
    # A paste alone is its own answer; so is a paste whose last sentence is the whole text.
    alone = corpus_searcher.ask(paste, k=5)
    assert alone.query.question == "" and alone.answer.text == "\n".join(
        c.text for c in alone.quote.chunks
    )
    assert trailing_question(paste) == trailing_question(f"{paste}?") == ""
    assert trailing_question("Hồ sơ giải quyết trong 15 ngày. vậy phí là bao nhiêu") == (
        "phí là bao nhiêu"
    )


def test_words_are_compared_folded():
    assert words_of("Hòn Khoai, TIẾN ĐỘ") == ["hon", "khoai", "tien", "do"]
    assert locate("", [], lambda d: []) is None


ROWS = [
    ("STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"),
    ("1", "Nâng cấp Trung tâm dữ liệu tỉnh", "Sở Thông tin và Truyền thông", "Sở Tài chính",
     "Trước ngày 30/9/2025"),
    ("2", "Xây dựng Kho dữ liệu dùng chung", "Sở Thông tin và Truyền thông", "Các sở, ngành",
     "Quý IV/2025"),
    ("3", "Số hóa sổ hộ tịch huyện Long Phú, Mỹ Xuyên, Trần Đề", "Sở Tư pháp", "UBND các huyện",
     "Trước ngày 31/10/2025"),
    ("4", "Số hóa hồ sơ thủ tục hành chính", "Văn phòng UBND tỉnh", "Các sở, ngành",
     "Trước ngày 30/6/2025"),
]  # fmt: skip
PLAN = "KẾ HOẠCH\nChuyển đổi số năm 2025\nPHỤ LỤC\n" + "".join(
    "| " + " | ".join(row) + " |\n" for row in ROWS
)


def test_a_long_question_is_not_a_quote_of_the_rows_its_words_are_scattered_over():
    chunks = Chunker().chunks(parse_text(PLAN, doc="kh.txt"))
    rows = [c for c in chunks if c.kind == "table_row"]
    hits = [Hit(rank=i, score=1.0, chunk=c) for i, c in enumerate(rows, 1)]
    # Four of five of its words are in rows 2-3 in order, but one or two at a time.
    question = (
        "Cơ quan nào chủ trì, cơ quan nào phối hợp nhiệm vụ số hóa sổ hộ tịch huyện Long "
        "Phú, Mỹ Xuyên, Trần Đề và thời gian hoàn thành trước ngày nào theo kế hoạch?"
    )
    assert locate(question, hits, lambda doc: rows) is None
    # The rows themselves, pasted with a slip, are.
    paste = " ".join(c.text for c in rows[1:3]).replace("Kho dữ liệu", "Kho du lieu")
    quote = locate(paste, hits, lambda doc: rows)
    assert quote is not None and quote.chunks == tuple(rows[1:3])
