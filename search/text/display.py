"""What messages show: file names always on one line, whatever bytes the name holds, and
numbers with Vietnamese separators."""

from __future__ import annotations

_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def display_name(name: str) -> str:
    """``"a\\nb.txt"`` is shown as ``a\\nb.txt``: control and separator characters, and bytes
    that were not UTF-8 (``os`` hands them over as lone surrogates), are written as escapes,
    so a message about a file stays one line and can always be printed. Ordinary names,
    Vietnamese included, come back unchanged."""
    if name.isprintable():
        return name
    return "".join(ch if ch.isprintable() else _escape(ch) for ch in name)


def _escape(ch: str) -> str:
    if ch in _SHORT:
        return _SHORT[ch]
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape: the undecodable byte itself
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def vn_number(text: str) -> str:
    """A number formatted the English way ("1,250.5") with Vietnamese separators ("1.250,5")."""
    return text.translate(_SEPARATORS)


_SEPARATORS = str.maketrans({",": ".", ".": ","})
