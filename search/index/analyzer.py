"""Vietnamese lexical analysis: the tokens lexical search matches passages and queries by.

Tokens, for every syllable of a passage:
* the exact lower-cased syllable with the modern tone placement ("hòa", "ủy");
* the diacritic-folded syllable (``~hoa``), so "hon khoai" finds "Hòn Khoai";
* the folded syllable bigram (``~hon_khoai``): Vietnamese words are mostly two syllables;
* numbers without leading zeros: documents write "06 hộ", "03 vụ", staff type "6 hộ";
* concept tokens for abbreviations and their expansions (see text/lexicon.py).

A query typed with diacritics uses exact and folded tokens, so exact spellings rank above
mere look-alikes; a query typed without diacritics uses folded tokens only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache

from ..text.lexicon import Lexicon, defined_abbreviations
from ..text.normalize import fold_word, is_accented, modern_tones, nfc
from ..text.words import CONVERSATIONAL, WORD, is_query_stop, words

_PERCENT = re.compile(r"%")
HEADING = "^"  # prefix of the tokens of a passage's own heading (a field of its own)
TOKEN_SETS = 1024  # passages and spans whose token sets a searcher remembers
# Sentence-like pieces: a term of the lexicon is matched within one; word pairs do not
# cross a comma either ("khoa học, công nghệ" is KH&CN, but makes no pair "học_công").
_PIECE = re.compile(r"[.;:!?()\[\]\n|“”\"]+")


def _number(word: str) -> str:
    """``06`` → ``6``: one number however many zeros pad it; other words as they are."""
    return word.lstrip("0") or "0" if word[:1] == "0" and word.isdigit() else word


def _counted(words: list[str], i: int) -> bool:
    """Whether ``words[i]`` follows a count ("đạt 4 sao"): what is counted, however like a
    question word it looks ("ra sao")."""
    return i > 0 and words[i - 1].isdigit() and len(words[i - 1]) <= 3


class Analyzer:
    """Text → lexical tokens; the same analysis for passages and queries."""

    def __init__(self, lexicon: Lexicon | None = None):
        self.lexicon = lexicon or Lexicon.curated()
        self._matcher = self.lexicon.matcher()
        # A search reads the tokens of its top passages and answer spans several times
        # (answer, then answerability), and popular passages come back query after query.
        self.token_set = lru_cache(maxsize=TOKEN_SETS)(self._token_set)

    def document_tokens(self, text: str, heading: str = "") -> list[str]:
        """Tokens of a passage; its own ``heading`` (an article's title, a row's name) is a
        field of its own too, so a query stating the title finds the passage it heads."""
        tokens = self._tokens(text, exact=True, drop_stop=False)
        if heading:
            tokens += [HEADING + t for t in self._tokens(heading, exact=False, drop_stop=True)]
        return tokens

    def _token_set(self, text: str) -> frozenset[str]:
        """The distinct ``document_tokens`` of ``text`` (remembered: see ``token_set``)."""
        return frozenset(self.document_tokens(text))

    def query_tokens(
        self, text: str, topic: str | None = None, *, exact: bool | None = None
    ) -> list[str]:
        """Tokens of a query: its words, and the word pairs of its ``topic`` (the query
        without what names a document, see Query) as a passage's heading would hold them.
        ``exact``: whether to match words as written too (default: if it has diacritics)."""
        exact = is_accented(text) if exact is None else exact
        tokens = self._tokens(text, exact=exact, drop_stop=True)
        pairs = self._tokens(text if topic is None else topic, exact=False, drop_stop=True)
        return tokens + [HEADING + t for t in pairs if t.startswith("~") and "_" in t]

    def _clauses(self, text: str) -> Iterator[tuple[list[str], list[str], list[str], set[int]]]:
        """The words of each piece of ``text``: as written, lower-cased and folded, and the
        places a comma separates (word i follows a comma)."""
        for piece in _PIECE.split(_PERCENT.sub(" phần trăm ", modern_tones(nfc(text)))):
            raw: list[str] = []
            commas: set[int] = set()
            for n, part in enumerate(piece.split(",")):
                if n and raw:
                    commas.add(len(raw))
                raw += [_number(w) for w in words(part)]
            if raw:
                lower = [w.lower() for w in raw]
                yield raw, lower, [fold_word(w) for w in lower], commas

    def _tokens(self, text: str, *, exact: bool, drop_stop: bool) -> list[str]:
        out: list[str] = []
        for raw, lower, folded, commas in self._clauses(text):
            for start, end, key in self._matcher.concepts(raw, folded):
                out.append(key)
            keep = [
                i
                for i, w in enumerate(lower)
                if not (drop_stop and is_query_stop(w) and not _counted(lower, i))
            ]
            for i in keep:
                if exact and lower[i] != folded[i]:
                    out.append(lower[i])
                out.append("~" + folded[i])
            for a, b in zip(keep, keep[1:], strict=False):
                if b == a + 1 and b not in commas:
                    out.append(f"~{folded[a]}_{folded[b]}")
        return out

    def unknown_terms(self, query: str, known: Callable[[str], bool]) -> list[str]:
        """Content words of the query that no indexed passage contains.

        Words the documents never use ("đường sắt" in a corpus without railways, "CCTV")
        make it less likely that the corpus answers. Question words, numbers and words
        covered by a known concept (an abbreviation or synonym the documents do use) do not
        count. ``known(token)`` says whether a lexical token occurs in the index.
        """
        accented = is_accented(query)
        out = []
        for raw, lower, folded, _ in self._clauses(query):
            covered = set()
            for start, end, key in self._matcher.concepts(raw, folded):
                if known(key):
                    covered.update(range(start, end))
            for i, w in enumerate(raw):
                f = folded[i]
                asking = is_query_stop(lower[i]) or (accented and lower[i] in CONVERSATIONAL)
                if i in covered or asking or w.isdigit():
                    continue
                token = lower[i] if accented and lower[i] != f else "~" + f
                if not known(token):
                    out.append(w)
        return out

    def concept_words(self, text: str) -> dict[str, frozenset[str]]:
        """For each word of ``text`` inside an abbreviation or a synonym, its tokens (as
        written and folded) → the concepts it spells: "nông thôn mới" in a query is held by
        a passage saying "NTM", and "người tiêu dùng" by one saying "người mua hàng"; the
        "mua" of "ngày mua" is not."""
        out: dict[str, set[str]] = {}
        for raw, lower, folded, _ in self._clauses(text):
            for start, end, key in self._matcher.concepts(raw, folded):
                for i in range(start, end):
                    out.setdefault(lower[i], set()).add(key)
                    out.setdefault("~" + folded[i], set()).add(key)
        return {t: frozenset(keys) for t, keys in out.items()}

    def abbreviation_tokens(self, text: str) -> frozenset[str]:
        """The tokens of the words of ``text`` that are an abbreviation the lexicon writes
        out ("NQ" → "nq", "~nq"): its concept token stands for it, so a passage writing
        "NQ" does not match it twice, above one writing "Nghị quyết"."""
        out: set[str] = set()
        for raw, lower, folded, _ in self._clauses(text):
            for start, end, key in self._matcher.concepts(raw, folded):
                if tuple(folded[start:end]) in self.lexicon.concepts[key].abbrevs:
                    for i in range(start, end):
                        out.update((lower[i], "~" + folded[i]))
        return frozenset(out)

    def expand_inline(self, text: str) -> str:
        """The query with each abbreviation written out in place, for the dense encoder:
        "NQ KH ĐTC trình HĐND" → "nghị quyết kế hoạch đầu tư công trình hội đồng nhân dân"."""
        return self._written_out(text)[0]

    def joining_pairs(self, text: str) -> list[str]:
        """Word pairs an abbreviation makes with the words beside it once written out ("NQ
        BCH Đảng bộ tỉnh" → "quyết_ban", "hành_đảng"): a passage that spells the phrase out
        holds them, one that only shares its words does not. Pairs inside one written-out
        abbreviation are left out: its concept token stands for them."""
        out, displays = self._written_out(text)
        if not displays:
            return []
        pairs = self._pairs(out)
        pairs -= self._pairs(text)
        for display in displays:
            pairs -= self._pairs(display)
        return sorted(pairs)

    def _pairs(self, text: str) -> set[str]:
        """The folded word pairs of ``text`` (concept tokens are not pairs)."""
        tokens = self._tokens(text, exact=False, drop_stop=True)
        return {t for t in tokens if t.startswith("~") and "_" in t}

    def _written_out(self, text: str) -> tuple[str, list[str]]:
        """``text`` with each abbreviation written out, and what they were written out as."""
        text = modern_tones(nfc(text))
        spans = [(m.start(), m.end()) for m in WORD.finditer(text)]
        raw = [text[a:b] for a, b in spans]
        folded = [fold_word(w.lower()) for w in raw]
        out, at, done = [], 0, 0
        displays: list[str] = []
        for start, end, key in self._matcher.concepts(raw, folded):
            concept = self.lexicon.concepts[key]
            if start < done or tuple(folded[start:end]) not in concept.abbrevs:
                continue  # inside a longer match ("CT" of "Sở CT"), or already written out
            done = end
            out.append(text[at : spans[start][0]])
            out.append(concept.display)
            displays.append(concept.display)
            at = spans[end - 1][1]
        out.append(text[at:])
        return "".join(out), displays


def defined_pairs(texts: Iterable[str]) -> list[list[str]]:
    """[abbreviation, expansion] pairs the texts define ("... (viết tắt là GPMB)")."""
    seen: dict[tuple[str, str], None] = {}
    for text in texts:
        for abbr, phrase in defined_abbreviations(text):
            seen.setdefault((abbr, phrase), None)
    return [list(pair) for pair in seen]


def lexicon_with(pairs: Iterable[Sequence[str]]) -> Lexicon:
    """The curated lexicon plus the given document-defined abbreviations."""
    lex = Lexicon.curated()
    for abbr, phrase in pairs:
        lex.add([abbr], [phrase])
    return lex
