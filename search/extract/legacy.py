"""Bytes → NFC text for plain-text files, including the legacy Vietnamese encodings.

Handles UTF-8 (with or without BOM), UTF-16 (BOM, or BOM-less found by its NUL pattern),
Windows-1258 (combining tone marks, composed to NFC) and the two 8-bit *font* encodings
that older government files still use:

* TCVN3 (TCVN 5712:1993 VN3, the "ABC" ``.VnTime`` fonts): one byte per precomposed letter.
  Table: GNU libiconv ``lib/tcvn.h`` (TCVN-5712). Bytes 0x80–0x9F and below 0x20, where the
  full VN1 set puts capitals, are Windows-1252/ASCII, as VN3 fonts and Word's curly quotes
  and dashes have them, except inside a word that spells a syllable only with them read as
  VN1 capitals (a file converted by iconv: "C\x97NG" is "CỘNG").
* VNI (VNI-Windows, ``VNI-Times``): a base letter followed by a mark byte. Table: the
  VNI table of xvnkb (Dao Hai Lam, ``vni.h``), which agrees with the published
  "Bảng đối chiếu encoding các bộ chữ hiện hành với Unicode".

The encoding of an 8-bit file is chosen by decoding it every way and counting words that
are valid Vietnamese syllables. The same tables repair text that was already mis-decoded
as Windows-1252 (mojibake such as "Uû ban nh©n d©n" or "UÛy ban nhaân daân") and
then saved as UTF-8, or that comes from a .docx/.pdf typed in a TCVN3 or VNI font.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Callable

from ..errors import DocumentError
from ..structure.layout import TERMINAL, is_state_motto
from ..text.spelling import is_syllable, score
from ..text.words import alternation
from . import lost_bytes

EMPTY = "tệp rỗng, không có nội dung"
_SAMPLE = 256 * 1024  # bytes (or characters) scored to choose an encoding or a repair

# --- code tables ---------------------------------------------------------------------------

# Windows-1252 where it differs from Latin-1 (0x80–0x9F); the rest of 0x80–0x9F stays C1.
_CP1252_HIGH = {b: bytes([b]).decode("cp1252", errors="ignore") for b in range(0x80, 0xA0)}
_CP1252_HIGH = {b: c for b, c in _CP1252_HIGH.items() if c}
_CP1252_BYTE = {c: b for b, c in _CP1252_HIGH.items()}

# TCVN 5712 (libiconv tcvn.h, tcvn_2uni_2[0x20:]) for bytes 0xA0–0xFF.
_TCVN3_HIGH = (
    "\u00a0\u0102\u00c2\u00ca\u00d4\u01a0\u01af\u0110\u0103\u00e2\u00ea\u00f4\u01a1\u01b0\u0111\u1eb0"
    "\u0300\u0309\u0303\u0301\u0323\u00e0\u1ea3\u00e3\u00e1\u1ea1\u1eb2\u1eb1\u1eb3\u1eb5\u1eaf\u1eb4"
    "\u1eae\u1ea6\u1ea8\u1eaa\u1ea4\u1ec0\u1eb7\u1ea7\u1ea9\u1eab\u1ea5\u1ead\u00e8\u1ec2\u1ebb\u1ebd"
    "\u00e9\u1eb9\u1ec1\u1ec3\u1ec5\u1ebf\u1ec7\u00ec\u1ec9\u1ec4\u1ebe\u1ed2\u0129\u00ed\u1ecb\u00f2"
    "\u1ed4\u1ecf\u00f5\u00f3\u1ecd\u1ed3\u1ed5\u1ed7\u1ed1\u1ed9\u1edd\u1edf\u1ee1\u1edb\u1ee3\u00f9"
    "\u1ed6\u1ee7\u0169\u00fa\u1ee5\u1eeb\u1eed\u1eef\u1ee9\u1ef1\u1ef3\u1ef7\u1ef9\u00fd\u1ef5\u1ed0"
)
TCVN3 = {0xA0 + i: ch for i, ch in enumerate(_TCVN3_HIGH)}
# The capitals of the full TCVN 5712 set (VN1; libiconv tcvn_2uni_1/_2, glibc TCVN5712-1)
# sit on codes VN3 fonts leave to Windows-1252 punctuation and ASCII controls. A file made
# by iconv or typed in a VN1 font has them there: "C\x97NG" is "CỘNG" where "\x97" is "—".
_VN1_CODES = [*range(0x80, 0xA0), 0x01, 0x02, 0x04, 0x05, 0x06, *range(0x11, 0x18)]
_VN1_CAPITALS = dict(zip(_VN1_CODES, "ÀẢÃÁẠẶẬÈẺẼÉẸỆÌỈĨÍỊÒỎÕÓỌỘỜỞỠỚỢÙỦŨÚỤỪỬỮỨỰỲỶỸÝỴ", strict=True))

# VNI: mark characters (as Latin-1) that follow a base letter, lower/upper case forms.
_TONE_MARKS = {"\u0301": "ùÙ", "\u0300": "øØ", "\u0309": "ûÛ", "\u0303": "õÕ", "\u0323": "ïÏ"}
_CIRCUMFLEX_MARKS = {"": "âÂ", "\u0301": "áÁ", "\u0300": "àÀ", "\u0309": "åÅ", "\u0303": "ãÃ",
                     "\u0323": "äÄ"}  # fmt: skip
_BREVE_MARKS = {"": "êÊ", "\u0301": "éÉ", "\u0300": "èÈ", "\u0309": "úÚ", "\u0303": "üÜ",
                "\u0323": "ëË"}  # fmt: skip
# Letters VNI writes as one character: đ, ơ, ư, the toned i's, and ỵ.
_VNI_SINGLE = {"ñ": "đ", "Ñ": "Đ", "ô": "ơ", "Ô": "Ơ", "ö": "ư", "Ö": "Ư", "æ": "ỉ", "Æ": "Ỉ",
               "ó": "ĩ", "Ó": "Ĩ", "ò": "ị", "Ò": "Ị", "î": "ỵ", "Î": "Ỵ"}  # fmt: skip


def _vni_table() -> dict[str, str]:
    """VNI sequence (Latin-1 characters) → NFC Unicode letter."""
    table = dict(_VNI_SINGLE)
    nfc = unicodedata.normalize
    for case in (0, 1):
        for base, uni in (("a", "a"), ("e", "e"), ("o", "o"), ("u", "u"), ("y", "y"),
                          ("ô", "ơ"), ("ö", "ư")):  # fmt: skip
            b = base.upper() if case else base
            u = uni.upper() if case else uni
            for tone, marks in _TONE_MARKS.items():
                if uni == "y" and tone == "\u0323":
                    continue  # ỵ is the single character î
                table[b + marks[case]] = nfc("NFC", u + tone)
        for base in "aeo":
            b = base.upper() if case else base
            for tone, marks in _CIRCUMFLEX_MARKS.items():
                table[b + marks[case]] = nfc("NFC", b + "\u0302" + tone)
        b = "A" if case else "a"
        for tone, marks in _BREVE_MARKS.items():
            table[b + marks[case]] = nfc("NFC", b + "\u0306" + tone)
    return table


VNI = _vni_table()
_VNI_RE = re.compile(alternation(VNI, ""))

# One character per byte: what a Windows program shows for each byte of an 8-bit file.
_TCVN3_TRANS = str.maketrans({chr(b): c for b, c in TCVN3.items()})
_CP1258_TRANS = str.maketrans(
    {chr(b): bytes([b]).decode("cp1258", errors="ignore") or chr(b) for b in range(0x80, 0x100)}
)
_LATIN_TRANS = str.maketrans({chr(b): c for b, c in _CP1252_HIGH.items()})


def _as_latin(data: bytes) -> str:
    """Each byte as the Windows-1252 character a legacy font would have been given."""
    return data.decode("latin-1").translate(_LATIN_TRANS)


def tcvn3_to_unicode(text: str) -> str:
    """Convert TCVN3 text seen as Windows-1252 characters (e.g. a .VnTime run) to NFC."""
    out = _to_byte_chars(text).translate(_TCVN3_TRANS).translate(_LATIN_TRANS)
    return _toned_capitals(_vn1_capitals(unicodedata.normalize("NFC", out)))


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def join_runs(runs: list[tuple[str, Callable[[str], str] | None]]) -> str:
    """Runs of text joined, each stretch set in one legacy font converted whole (a VNI
    letter and its tone may fall in two runs). A character past U+FFFF that came as two
    16-bit units (RTF's ``\\u``, a Word 97 text read unit by unit) is joined again."""
    out, i = [], 0
    while i < len(runs):
        convert, j = runs[i][1], i
        while j < len(runs) and runs[j][1] is convert:
            j += 1
        text = "".join(t for t, _ in runs[i:j])
        out.append(convert(text) if convert else text)
        i = j
    return "".join(out).encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _toned_small(c: str) -> bool:
    """A small letter with a tone mark: VN3 has no capital of it, and its capital font
    (.VnTimeH) draws the small letter's code as one."""
    return c.islower() and bool(_TONES & set(unicodedata.normalize("NFD", c)))


def _capital_word(word: str) -> bool:
    """A word of capitals but for small toned letters, with a capital after its first
    letter ("TỉNH", "ủY"; not "Số", "Xã")."""
    letters = [c for c in word if c.isalpha()]
    return (
        any(_toned_small(c) for c in letters)
        and all(c.isupper() or _toned_small(c) for c in letters)
        and any(c.isupper() for c in letters[1:])
    )


def _toned_capitals(text: str) -> str:
    """Capitals typed in a VN3 capital font, decoded as small toned letters ("TỉNH ĐồNG
    THáP", "CHỉ THị") back to capitals: such a word, and a line of capitals holding one
    ("CộNG HòA Xã HộI ...")."""
    lines = text.split("\n")
    for n, line in enumerate(lines):
        lines[n] = "".join(map(_capital_cell, _COLUMNS.split(line)))
    return "\n".join(lines)


def _capital_cell(cell: str) -> str:
    """A cell of a line (set apart by a tab or spaces: the signature's title beside the
    recipients, "PHÓ Bí THƯ THƯỜNG TRỰC") in capitals again, or its capital words."""
    words = re.findall(r"\w+", cell)
    if not any(_capital_word(w) for w in words):
        # A title of capital words but for a small toned letter's ("PHÓ Bí THƯ"); not a
        # name beside an abbreviation ("Sở NN&MT").
        capitals = sum(len(w) > 1 and w.isupper() for w in words)
        if capitals < 3 or not any(map(_toned_small, cell)):
            return cell
    if all(c.isupper() or _toned_small(c) for c in cell if c.isalpha()):
        return cell.upper()
    return re.sub(r"\w+", lambda m: m[0].upper() if _capital_word(m[0]) else m[0], cell)


# Cells of a line: split by tabs, or set apart by spaces ("tỉnh cà mau      Độc lập - ...").
_COLUMNS = re.compile(r"(\t| {3,})")
# A list item's marker ("a) tăng cường"): a line of small letters, but no heading.
_ITEM = re.compile(r"^\w{1,2}[).]\s")


def _small_capitals(text: str) -> str:
    """A text file's headings set in a VN3 capital font (.VnTimeH) and typed in small
    letters, as is usual: the font drew capitals, the file keeps small letters
    ("uỷ ban nhân dân", "chỉ thị"). When the national motto is such a line, each line (or
    cell, set apart by a tab or spaces) of small letters only that starts with a letter was
    a heading, and is capitals again; a sentence starts with a capital, a list item with
    its marker, and goes on in small letters on the lines it is wrapped to."""
    lines = text.split("\n")
    cells = (c for line in lines[:40] for c in _COLUMNS.split(line))
    if not any(is_state_motto(c) and not _has_capital(c) for c in cells):
        return text

    def heading(cell: str) -> str:
        small = cell.strip()[:1].isalpha() and not _has_capital(cell) and not _ITEM.match(cell)
        return cell.upper() if small and len(cell) <= 100 else cell

    out = []
    body = False  # the line before is a sentence's, and ends none
    clause = False  # the line before ends a clause with a semicolon
    for line in lines:
        # A sentence wrapped to the next line goes on in small letters ("... lần đầu (hỗ" /
        # "trợ một lần cho mỗi sản phẩm):"), and so does a clause after a semicolon ("... để
        # thực hiện;" / "đơn giá vận chuyển ..."): no heading.
        wrapped = body or (clause and line[:1].islower())
        out.append(line if wrapped else "".join(map(heading, _COLUMNS.split(line))))
        text = _COLUMNS.split(line.strip())[-1]  # the line's last cell goes on, if any
        body = (
            (wrapped or _has_capital(text))
            and any(c.isalpha() for c in text)
            and not (TERMINAL.search(text) or text[-1:].isdigit())  # nor a date
            and not is_state_motto(text)
        )
        clause = text.endswith(";")
    return "\n".join(out)


def _has_capital(text: str) -> bool:
    return any(c.isupper() for c in text)


# A word holding a code VN1 puts a capital on (as its Windows-1252 character or control).
_VN1_CHARS = {_CP1252_HIGH.get(b, chr(b)): cap for b, cap in _VN1_CAPITALS.items()}
_VN1_WORD = re.compile(
    rf"\w*[{re.escape(''.join(_VN1_CHARS))}][\w{re.escape(''.join(_VN1_CHARS))}]*"
)


def _vn1_capitals(text: str) -> str:
    """Words of decoded TCVN3 text whose "punctuation" is a VN1 capital ("TŽNH" → "TỈNH"):
    taken as capitals when that spells a Vietnamese syllable, so a curly quote or a dash
    between words stays what it is."""

    def fix(m: re.Match[str]) -> str:
        word = m.group()
        if len(word) == 1 and unicodedata.category(word).startswith("P"):
            return word  # a dash or a quote standing alone ("2024 – 2025")
        capital = "".join(_VN1_CHARS.get(c, c) for c in word)
        return capital if is_syllable(capital) and not is_syllable(word) else word

    return _VN1_WORD.sub(fix, text)


def vni_to_unicode(text: str) -> str:
    """Convert VNI text seen as Windows-1252 characters (e.g. a VNI-Times run) to NFC."""
    return unicodedata.normalize("NFC", _VNI_RE.sub(lambda m: VNI[m.group()], text))


def _to_byte_chars(text: str) -> str:
    """Windows-1252 punctuation back to the Latin-1 character of its byte."""
    if not any(c in _CP1252_BYTE for c in text):
        return text
    return "".join(chr(_CP1252_BYTE[c]) if c in _CP1252_BYTE else c for c in text)


def _is_latin(line: str) -> bool:
    """Whether every character of ``line`` can come from one Windows-1252 byte (or none)."""
    return all(ord(c) < 256 or c in _CP1252_BYTE or c == lost_bytes.HOLE for c in line)


def encode_legacy(text: str, encoding: str) -> bytes:
    """Unicode → TCVN3 or VNI bytes (the inverse of the tables; used to make test files)."""
    text = unicodedata.normalize("NFC", text)
    if encoding == "tcvn3":
        reverse = {c: bytes([b]) for b, c in TCVN3.items() if not unicodedata.combining(c)}
        combining = {c: bytes([b]) for b, c in TCVN3.items() if unicodedata.combining(c)}
    elif encoding == "vni":
        reverse = {u: k.encode("cp1252") for k, u in VNI.items()}
        reverse |= {c: c.encode("latin-1") for c in "ìíÌÍ"}  # VNI keeps these as they are
        combining = {}
    else:
        raise ValueError(encoding)
    out = bytearray()
    for ch in text:
        if ord(ch) < 0x80:
            out += ch.encode("ascii")
        elif ch in reverse:
            out += reverse[ch]
        elif ch in _CP1252_BYTE:
            out.append(_CP1252_BYTE[ch])  # curly quotes, dashes: same byte in every table
        else:
            # A capital VN3 lacks: its base letter, then the combining tone byte.
            parts = unicodedata.normalize("NFD", ch)
            tone = next((c for c in parts if c in combining), None)
            stem = unicodedata.normalize("NFC", parts.replace(tone, "") if tone else parts)
            if tone is None or not (stem.isascii() or stem in reverse):
                raise ValueError(f"{ch!r} has no {encoding} code")
            out += (stem.encode("ascii") if stem.isascii() else reverse[stem]) + combining[tone]
    return bytes(out)


def _net(text: str) -> int:
    good, bad = score(text)
    return good - bad


# --- mojibake repair -------------------------------------------------------------------------


def _double_utf8(line: str) -> str:
    """UTF-8 bytes once read as Windows-1252 ("Cá»™ng hÃ²a") back to text, if they are."""
    return lost_bytes.decode(_to_byte_chars(line)) or line


_REPAIRS = {"tcvn3": tcvn3_to_unicode, "vni": vni_to_unicode, "utf-8": _double_utf8}


def repair_mojibake(text: str) -> str:
    """Undo TCVN3/VNI (or double UTF-8) text that was read as Windows-1252.

    Decided for the whole text, so a short line ("Sè: 12") is repaired along with the
    rest; applied line by line, so lines already in proper Unicode are left alone.
    """
    text = unicodedata.normalize("NFC", text)
    lines = text.split("\n")
    suspects = [i for i, line in enumerate(lines) if not line.isascii() and _is_latin(line)]
    if not suspects:
        return text
    sample = "\n".join(lines[i] for i in suspects)[:_SAMPLE]
    good, bad = score(sample)
    if bad < 2 or bad <= good:
        return text
    best_name, best_net = None, good - bad
    for name, fix in _REPAIRS.items():
        net = _net(fix(sample))
        if net > best_net:
            best_name, best_net = name, net
    if best_name is None or best_net <= 0:
        return text
    fix = _REPAIRS[best_name]
    for i in suspects:
        fixed = fix(lines[i])
        if _net(fixed) >= _net(lines[i]):
            lines[i] = fixed
    return unicodedata.normalize("NFC", "\n".join(lines))


# --- decoding --------------------------------------------------------------------------------


def decode_bytes(data: bytes, display: str) -> str:
    """A plain-text file's bytes as NFC text with ``\\n`` line ends; DocumentError if not text."""
    if not data.strip():
        raise DocumentError(display, EMPTY)
    if data.startswith(codecs.BOM_UTF8):
        text = _utf8(data[3:], display)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _utf16(data, "utf-16", display)
    elif (order := _utf16_order(data)) is not None:
        text = _utf16(data, order, display)
    elif b"\x00" in data:
        raise DocumentError(display, "không phải tệp văn bản (có byte NUL, có vẻ là tệp nhị phân)")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _utf8_with_slips(data)
            if text is None:
                text = _eight_bit(data, display)
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if _looks_binary(text):
        raise DocumentError(
            display, "không phải tệp văn bản (nhiều ký tự điều khiển, có vẻ là tệp nhị phân)"
        )
    text = repair_mojibake(text)
    if not text.strip():
        raise DocumentError(display, EMPTY)
    return text


def _utf8(data: bytes, display: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = _utf8_with_slips(data)
        if text is None:
            raise DocumentError(
                display, f"không giải mã được văn bản UTF-8 (lỗi ở byte {exc.start})"
            ) from exc
        return text


def _utf8_with_slips(data: bytes) -> str | None:
    """UTF-8 with a few stray bytes (one pasted Windows-1252 character) still reads as UTF-8."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for c in text if ord(c) > 0x7F) - bad
    return text if good >= 20 * bad and good > 0 else None


def _utf16_order(data: bytes) -> str | None:
    """BOM-less UTF-16: "utf-16-le"/"utf-16-be" when NULs sit on one byte parity only."""
    sample = data[:8192]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0) / len(sample[0::2])
    odd = sample[1::2].count(0) / len(sample[1::2])
    if odd >= 0.3 and even <= 0.02:
        return "utf-16-le"
    if even >= 0.3 and odd <= 0.02:
        return "utf-16-be"
    return None


def _utf16(data: bytes, encoding: str, display: str) -> str:
    text = data.decode(encoding, errors="replace")
    if text.count("\ufffd") > max(1, len(text) // 1000):
        raise DocumentError(display, "không giải mã được văn bản UTF-16 (tệp bị hỏng)")
    return text


_DECODERS = {
    "cp1258": lambda data: unicodedata.normalize(
        "NFC", data.decode("latin-1").translate(_CP1258_TRANS)
    ),
    "tcvn3": lambda data: _small_capitals(tcvn3_to_unicode(_as_latin(data))),
    "vni": lambda data: vni_to_unicode(_as_latin(data)),
}


def _eight_bit(data: bytes, display: str) -> str:
    """Pick Windows-1258, TCVN3 or VNI by which reading has the most valid syllables."""
    sample = data[:_SAMPLE]
    scored = {name: score(decode(sample)) for name, decode in _DECODERS.items()}
    best = max(scored, key=lambda n: scored[n][0] - scored[n][1])  # ties keep cp1258
    good, bad = scored[best]
    high = sum(1 for b in sample if b >= 0x80) / len(sample)
    if high > 0.35 and good < 2 * bad:
        raise DocumentError(
            display, "không phải tệp văn bản (không nhận ra bảng mã tiếng Việt nào)"
        )
    return _DECODERS[best](data)


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f")
    return controls > max(8, len(sample) // 100)
