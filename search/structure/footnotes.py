"""Footnotes: a line opening one ("[2] Quyết định số ..."), the lines a wrapped one goes on
in, and notes typed in plain text under a rule ("(1) Theo Nghị định ...") written as
footnotes. Each footnote is a passage of its own, cited by its mark ("Chú thích 2").
"""

from __future__ import annotations

import re

from ..text.normalize import is_rule
from .layout import parse_appendix, runs_on

_FOOTNOTE = re.compile(r"^\[(\d{1,3})\]\s*(\S.*)$")
FOOTNOTE = "Chú thích"  # a footnote's section label: "Chú thích 2"


def footnote_label(text: str) -> str | None:
    """The section label of a footnote's line ("[2] Quyết định số ..." → "Chú thích 2")."""
    m = _FOOTNOTE.match(text)
    return f"{FOOTNOTE} {m.group(1)}" if m else None


# A note typed in plain text: under a rule ("____"), "(1) Theo Nghị định ..." explains the
# mark a word above carries ("chưa làm thủ tục thông báo(1)").
_TYPED_NOTE = re.compile(r"^\((\d{1,3})\)\s+(\S.*)$")
_TYPED_MARK = re.compile(r"(?<=[^\W\d_])\((\d{1,3})\)(?=[\s.,;:]|$)")


def typed_notes(clean: list[str], raw: list[str]) -> list[str]:
    """``clean`` (the cleaned ``raw`` lines) with the notes typed under a rule written as
    footnotes ("[1] Theo ..."), when a word above carries the first one's mark; a list
    numbered "(1)" under a rule is no note. The marks stay on the words, as typed."""

    def note_at(k: int) -> re.Match[str] | None:
        """The note opening on the first filled line from ``k``."""
        k = next((k for k in range(k, len(clean)) if clean[k]), len(clean))
        return _TYPED_NOTE.match(clean[k]) if k < len(clean) else None

    out = list(clean)
    for i, line in enumerate(raw):
        first = note_at(i + 1) if is_rule(line) else None
        if not (first and first.group(1) == "1"):
            continue
        if not any(m.group(1) == "1" for t in clean[:i] for m in _TYPED_MARK.finditer(t)):
            continue
        count = 0
        for j in range(i + 1, len(clean)):
            note = _TYPED_NOTE.match(clean[j])
            if note and int(note.group(1)) == count + 1:
                count += 1
                out[j] = f"[{count}] {note.group(2)}"
            elif (
                not clean[j]
                and count
                and not ((after := note_at(j)) and int(after.group(1)) == count + 1)
            ):
                break
    return out


def footnote_lines(clean: list[str], raw: list[str], i: int, width: int) -> list[tuple[int, str]]:
    """The numbered lines of the footnote opening at ``i``: a wrapped note goes on in lines
    indented under it (as pandoc writes them) or that run on its last. An appendix opening
    below the notes, its heading centred by spaces, is no part of the last one."""
    lines = [(i + 1, clean[i])]
    for k in range(i + 1, len(clean)):
        t = clean[k]
        if not t or footnote_label(t) or parse_appendix(t):
            break
        if not (raw[k][:1].isspace() or runs_on(lines[-1][1], t, width)):
            break
        lines.append((k + 1, t))
    return lines


def is_footnote(section: tuple[str, ...]) -> bool:
    return bool(section) and section[0].startswith(FOOTNOTE)
