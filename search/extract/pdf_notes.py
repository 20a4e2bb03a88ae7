"""A PDF page's words in the lines they are set on, its footnotes, and the small numbers
marking the words they annotate."""

from __future__ import annotations

import re
from collections import Counter

from ..text.normalize import RAISED_NUMBER, is_page_number, raised, unraised

# Footnotes are set smaller than the text, at the foot of the page, each opening with its
# number; the same number, smaller still, marks the word it annotates.
_NOTE_SIZE = 0.85  # at most this share of the text's usual size
_NOTE_ZONE = 0.6  # below this share of the page's height
MARK_GAP = re.compile(r"(?<=\w) (?=[.,;:](?:\s|$))")
# A note typed with its number raised ("¹ Quyết định số ..."), which marks the word above
# in the text's own size ("tràn dầu¹").
_RAISED_MARK = re.compile(RAISED_NUMBER)


def footnotes(page) -> tuple[list[str], tuple[float, float]]:
    """The footnotes at the foot of ``page`` ("[1] Kế hoạch số 09/KH-UBND ..."), and (the
    top of the first one, the size of the numbers marking words above them); none when
    the page has none."""
    chars = [c for c in page.chars if c.get("text", "").strip()]
    if not chars:
        return [], (0.0, 0.0)
    sizes = Counter(round(c["size"], 1) for c in chars)
    small = sizes.most_common(1)[0][0] * _NOTE_SIZE
    zone = page.height * _NOTE_ZONE
    if not any(c["size"] <= small and c["top"] >= zone for c in chars):
        return [], (0.0, 0.0)  # nothing small at the page's foot: most pages
    words = page.extract_words(x_tolerance=3, y_tolerance=3, extra_attrs=["size"])
    rows = word_rows(words)
    # The run of small lines closing the page; the notes start at its first numbered line.
    run: list[list[dict]] = []
    for row in reversed(rows):
        if row[0]["top"] < zone or any(w["size"] > small for w in row):
            break
        run.insert(0, row)
    # A note's number marks a word of the text above it: a table's row number marks none.
    top = run[0][0]["top"] if run else page.height
    marks = {w["text"]: w["size"] for w in words if w["top"] < top and w["size"] <= small}

    def opens(row: list[dict]) -> bool:
        mark = row[0]["text"]
        marked = mark in marks and mark.isdigit() or _RAISED_MARK.fullmatch(mark)
        return bool(marked) and len(row) > 1

    while run and not opens(run[0]):
        run.pop(0)
    notes: list[str] = []
    for row in run:
        text = " ".join(w["text"] for w in row)
        if is_page_number(text):
            continue
        if opens(row):
            notes.append(f"[{unraised(row[0]['text'])}] {text.split(' ', 1)[1]}")
        elif notes:
            notes[-1] += " " + text
    if not notes:
        return [], (0.0, 0.0)
    # The marks' own size: small text above the notes (a recipients' list) keeps its digits.
    mark_size = max(marks.get(row[0]["text"], 0.0) for row in run if opens(row))
    return notes, (run[0][0]["top"] - 1, mark_size)


def note_char(obj, below: tuple[float, float]) -> bool:
    """A character of a footnote, or a note's number marking a word of the text."""
    if obj.get("object_type") != "char":
        return False
    top, mark_size = below
    return obj["top"] >= top or (obj["text"].isdigit() and obj["size"] <= mark_size)


def word_rows(words: list[dict]) -> list[list[dict]]:
    """Words grouped into the lines they are set on, each from left to right; a note's
    number raised above a line is on it (_raise_marks)."""
    rows: list[list[dict]] = []
    for word in sorted(words, key=lambda w: w["top"]):
        if rows and abs(word["top"] - rows[-1][0]["top"]) <= 3:
            rows[-1].append(word)
        else:
            rows.append([word])
    rows = _raise_marks(rows)
    for row in rows:
        row.sort(key=lambda w: w["x0"])
        _glue_marks(row)
    return rows


def _raise_marks(rows: list[list[dict]]) -> list[list[dict]]:
    """A row of small numbers only, raised into the row below or above it (a note's number
    marking "gia đình¹."), joins that row: alone, it would cut the paragraph in two."""
    out: list[list[dict]] = []
    for i, row in enumerate(rows):
        host = None
        if all(w["text"].isdigit() and len(w["text"]) <= 3 for w in row):
            top, bottom = min(w["top"] for w in row), max(w["bottom"] for w in row)
            size = max(w["size"] for w in row)
            overlap = {
                j: min(bottom, max(w["bottom"] for w in rows[j])) - max(top, rows[j][0]["top"])
                for j in (i - 1, i + 1)
                if 0 <= j < len(rows) and size <= _NOTE_SIZE * main_size(rows[j])
            }
            j = max(overlap, key=overlap.__getitem__, default=None)
            host = rows[j] if j is not None and overlap[j] > 0 else None
        if host is not None:
            host.extend(row)
        else:
            out.append(row)
    return out


def _glue_marks(row: list[dict]) -> None:
    """A small number set against the word before it is written on it (normalize.raised:
    "đình[1]", "năm 2026[1]", "m²"), with a stop set against it ("đình[1].")."""
    size = main_size(row)
    i = 1
    while i < len(row):
        mark, word = row[i], row[i - 1]
        small = mark["text"].isdigit() and mark["size"] <= _NOTE_SIZE * size
        if small and mark["x0"] - word["x1"] <= 1:
            word["text"] += raised(word["text"], mark["text"])
            word["x1"] = mark["x1"]
            del row[i]
            if i < len(row) and row[i]["text"][0] in ".,;:)" and row[i]["x0"] - word["x1"] <= 1:
                word["text"] += row.pop(i)["text"]
        else:
            i += 1


def row_text(row: list[dict]) -> str:
    """A row's words; a note opening with its number set small is "[n] text"."""
    first, rest = row[0], " ".join(w["text"] for w in row[1:])
    if rest and first["text"].isdigit() and first["size"] <= _NOTE_SIZE * main_size(row):
        return f"[{first['text']}] {rest}"
    return f"{first['text']} {rest}".rstrip()


def main_size(row: list[dict]) -> float:
    """The size most of a row's words are set in."""
    return Counter(round(w["size"], 1) for w in row).most_common(1)[0][0]
