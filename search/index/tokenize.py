"""Lexical tokens of many passages, in worker processes when there are many.

Tokenizing is pure Python and the slowest step of writing a large segment; it splits into
independent chunks of passages, so a process pool gives it every core the budget allows.
A segment's postings are built per chunk in the workers and merged: token strings of a
100k-passage batch held at once cost gigabytes, their postings a few hundred megabytes.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from ..text.lexicon import Lexicon
from . import lexical
from .analyzer import Analyzer

_PER_TASK = 2000  # passages per worker task
_MIN_PARALLEL = 4000  # fewer passages are tokenized in this process

_analyzer: Analyzer | None = None


def _init(lexicon: list[dict[str, Any]]) -> None:
    global _analyzer
    _analyzer = Analyzer(Lexicon.from_json(lexicon))


def _tokenize(texts: list[tuple[str, str]]) -> list[list[str]]:
    assert _analyzer is not None
    return [_analyzer.document_tokens(t, heading) for t, heading in texts]


def _postings(texts: list[tuple[str, str]]) -> lexical.LexicalSegment:
    return lexical.LexicalSegment.build(_tokenize(texts))


def _parts(texts: Sequence[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    return [list(texts[i : i + _PER_TASK]) for i in range(0, len(texts), _PER_TASK)]


def _pool(lexicon: Lexicon, workers: int) -> ProcessPoolExecutor:
    context = multiprocessing.get_context("spawn")  # the parent may hold the model's threads
    return ProcessPoolExecutor(
        workers, mp_context=context, initializer=_init, initargs=(lexicon.to_json(),)
    )


def document_postings(
    lexicon: Lexicon, texts: Sequence[tuple[str, str]], *, workers: int = 0
) -> lexical.LexicalSegment:
    """The lexical postings of every (text, heading) pair, rows in order."""
    if workers <= 1 or len(texts) < _MIN_PARALLEL:
        analyzer = Analyzer(lexicon)
        return lexical.LexicalSegment.build(analyzer.document_tokens(t, h) for t, h in texts)
    with _pool(lexicon, workers) as pool:
        parts = list(pool.map(_postings, _parts(texts)))
    return lexical.merge(parts, [None] * len(parts))


def document_tokens(
    lexicon: Lexicon, texts: Sequence[tuple[str, str]], *, workers: int = 0
) -> list[list[str]]:
    """``Analyzer(lexicon).document_tokens(text, heading)`` of every pair, in order."""
    if workers <= 1 or len(texts) < _MIN_PARALLEL:
        analyzer = Analyzer(lexicon)
        return [analyzer.document_tokens(t, heading) for t, heading in texts]
    with _pool(lexicon, workers) as pool:
        return [tokens for part in pool.map(_tokenize, _parts(texts)) for tokens in part]
