"""Word's automatic list numbering (``numbering.xml``) rebuilt into the labels a reader sees.

Every value a document declares is clamped to what Word can display, so a list that claims
to start at 10^15 costs no more than one that starts at 1.
"""

from __future__ import annotations

import re

from ..text.numerals import to_roman

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
VAL = W + "val"
MAX_LIST_NUMBER = 9999  # list numbers past this are shown as this (Word shows 5 digits)
MAX_LEVEL = 8  # Word's list levels are 0..8
_LETTERS = 26


def child_val(el, tag: str) -> str | None:
    child = el.find(W + tag)
    return None if child is None else child.get(VAL)


def bounded_int(value: str | None, default: int, low: int, high: int) -> int:
    """A number from the XML, clamped to ``low..high``; ``default`` when it is not one."""
    try:
        number = int(value) if value is not None else default
    except ValueError:  # "abc", or more digits than int() accepts
        number = default
    return min(max(number, low), high)


def num_pr(elem) -> tuple[str | None, int | None]:
    """(numId, ilvl) of a paragraph's or style's own numbering, if any."""
    pr = elem.find(f"{W}pPr/{W}numPr")
    if pr is None:
        return None, None
    level = child_val(pr, "ilvl")
    return child_val(pr, "numId"), (
        bounded_int(level, 0, 0, MAX_LEVEL) if level is not None else None
    )


class ListNumbering:
    """Word's automatic list labels, counted like Word does (per abstract list)."""

    def __init__(self, document=None) -> None:
        """``document``: a python-docx Document; None for lists declared some other way
        (a Word 97 file), filled in through ``levels`` and ``nums``."""
        from docx.opc.constants import RELATIONSHIP_TYPE as RT

        # abstract list → level → {"start", "fmt", "text" ("%1.%2."), "legal", "style"}
        self.levels: dict[str, dict[int, dict]] = {}
        # list instance → (its abstract list, start overrides by level)
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        self.counters: dict[str, list[int | None]] = {}
        self.started: set[str] = set()
        if document is None:
            return
        try:
            root = document.part.part_related_by(RT.NUMBERING).element
        except KeyError:
            return
        for absn in root.iter(W + "abstractNum"):
            levels = {}
            for lvl in absn.iter(W + "lvl"):
                levels[bounded_int(lvl.get(W + "ilvl"), 0, 0, MAX_LEVEL)] = {
                    "start": bounded_int(child_val(lvl, "start"), 1, 0, MAX_LIST_NUMBER),
                    "fmt": child_val(lvl, "numFmt") or "decimal",
                    "text": child_val(lvl, "lvlText"),
                    "legal": lvl.find(W + "isLgl") is not None,
                    "style": child_val(lvl, "pStyle"),
                    # Restarted by a use of a level above this one-based level; 0: never
                    # ("Điều %2." counts on across "Chương %1"); None: by any level above.
                    "restart": child_val(lvl, "lvlRestart"),
                }
            self.levels[absn.get(W + "abstractNumId")] = levels
        for num in root.iter(W + "num"):
            overrides = {}
            for ov in num.iter(W + "lvlOverride"):
                start = child_val(ov, "startOverride")
                if start is not None:
                    ilvl = bounded_int(ov.get(W + "ilvl"), 0, 0, MAX_LEVEL)
                    overrides[ilvl] = bounded_int(start, 1, 0, MAX_LIST_NUMBER)
            self.nums[num.get(W + "numId")] = (child_val(num, "abstractNumId") or "", overrides)

    def label(self, num_id: str, ilvl: int | None) -> str:
        if num_id not in self.nums:
            return ""
        abs_id, overrides = self.nums[num_id]
        levels = self.levels.get(abs_id, {})
        if ilvl is None:
            ilvl = 0
        if ilvl not in levels:
            return ""
        counters = self.counters.setdefault(abs_id, [None] * (MAX_LEVEL + 1))
        if num_id not in self.started:
            # A list instance with a start override restarts the shared counters.
            self.started.add(num_id)
            for lv in overrides:
                counters[lv] = None
        start = overrides.get(ilvl, levels[ilvl]["start"])
        counters[ilvl] = start if counters[ilvl] is None else counters[ilvl] + 1
        for deeper in range(ilvl + 1, len(counters)):
            restart = levels.get(deeper, {}).get("restart")
            if restart is None or ilvl < bounded_int(restart, deeper, 0, MAX_LEVEL + 1):
                counters[deeper] = None
        level = levels[ilvl]
        if level["fmt"] == "bullet":
            depth = sum(1 for k, lv in levels.items() if k < ilvl and lv["fmt"] == "bullet")
            return bullet(level["text"] or "", depth)
        if level["fmt"] == "none" or not level["text"]:
            return level["text"] or ""

        def number(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            lv = levels.get(k, {"start": 1, "fmt": "decimal"})
            value = counters[k] if k < len(counters) and counters[k] is not None else lv["start"]
            fmt = "decimal" if level["legal"] else lv["fmt"]
            return format_number(value, fmt)

        return re.sub(r"%([1-9])", number, level["text"])

    def save(self) -> tuple:
        return {k: list(v) for k, v in self.counters.items()}, set(self.started)

    def restore(self, state: tuple) -> None:
        counters, started = state
        self.counters = {k: list(v) for k, v in counters.items()}
        self.started = set(started)

    def style_level(self, num_id: str, style_id: str) -> int:
        """The list level a paragraph style is attached to (``w:pStyle`` in a level)."""
        abs_id = self.nums.get(num_id, ("", {}))[0]
        for ilvl, level in self.levels.get(abs_id, {}).items():
            if level["style"] == style_id:
                return ilvl
        return 0


def bullet(symbol: str, depth: int) -> str:
    """Vietnamese documents bullet with "-" then "+"; other glyphs map by bullet depth."""
    symbol = symbol.strip()
    if symbol in {"-", "–", "—", "+"}:
        return "+" if symbol == "+" else "-"
    return "-" if depth == 0 else "+"


def format_number(value: int, fmt: str) -> str:
    """A list number as Word writes it; values are clamped to ``0..MAX_LIST_NUMBER`` first
    (letters and roman numerals from 1), so no label is longer than a few hundred chars."""
    value = min(max(value, 0), MAX_LIST_NUMBER)
    if fmt in {"lowerLetter", "upperLetter"}:
        value = max(value, 1)
        # Word's letters: a..z, then aa..zz, then aaa..: one letter repeated.
        letter = chr(ord("a") + (value - 1) % _LETTERS) * ((value - 1) // _LETTERS + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in {"lowerRoman", "upperRoman"}:
        roman = to_roman(value)
        return roman.lower() if fmt == "lowerRoman" else roman
    if fmt == "decimalZero":
        return f"{value:02d}"
    return str(value)
