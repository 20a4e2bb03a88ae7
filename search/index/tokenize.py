"""Lexical tokens of many passages, in worker processes when there are many.

Tokenizing is pure Python and the slowest step of writing a large segment; it splits into
independent chunks of passages, so a process pool gives it every core the budget allows.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from ..text.lexicon import Lexicon
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


def document_tokens(
    lexicon: Lexicon, texts: Sequence[tuple[str, str]], *, workers: int = 0
) -> list[list[str]]:
    """``Analyzer(lexicon).document_tokens(text, heading)`` of every pair, in order."""
    if workers <= 1 or len(texts) < _MIN_PARALLEL:
        analyzer = Analyzer(lexicon)
        return [analyzer.document_tokens(t, heading) for t, heading in texts]
    parts = [list(texts[i : i + _PER_TASK]) for i in range(0, len(texts), _PER_TASK)]
    context = multiprocessing.get_context("spawn")  # the parent may hold the model's threads
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_init, initargs=(lexicon.to_json(),)
    ) as pool:
        return [tokens for part in pool.map(_tokenize, parts) for tokens in part]
