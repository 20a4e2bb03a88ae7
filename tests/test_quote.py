"""Pasted passages: the passage they come from comes first, marked and cited."""

from pathlib import Path

import pytest
from conftest import CORPUS
from fakes import HashingEncoder

from search import Searcher
from search.errors import QueryError
from search.index.ingest import build
from search.query.quote import locate, words_of


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


def test_words_are_compared_folded():
    assert words_of("Hòn Khoai, TIẾN ĐỘ") == ["hon", "khoai", "tien", "do"]
    assert locate("", [], lambda d: []) is None
