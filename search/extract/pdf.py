""".pdf text layer: lines in reading order, wrapped paragraphs rejoined, two-column blocks
split, ruled tables as rows, running headers and page numbers dropped, footnotes set after
the text as "[n] ...". A scanned page is read by OCR when it is installed (ocr.py)."""

from __future__ import annotations

import io

from ..errors import DocumentError
from ..structure.layout import parse_marker
from ..text.normalize import is_page_number, is_rule
from . import ocr
from .common import is_data_table, running_lines, squash, tab_lines
from .pdf_notes import MARK_GAP, footnotes, main_size, note_char, row_text, word_rows

_BROKEN_PDF = "tệp PDF bị hỏng hoặc không đầy đủ"


def read_pdf(data: bytes, display: str) -> tuple[list[tuple[str, int]], list[str]]:
    """(lines with their page, warnings). Pages that are only a picture (a scan) are read by
    OCR when it is installed (ocr.py), and named in a warning either way."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    if b"%PDF-" not in data[:1024]:
        raise DocumentError(display, "không phải tệp PDF hợp lệ")
    if b"%%EOF" not in data[-4096:]:
        # pdfminer would quietly read what is left of a cut-off file.
        raise DocumentError(display, _BROKEN_PDF)
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = []
            notes: list[tuple[str, int]] = []
            scanned: list[int] = []  # pages without text that hold a picture
            for n, page in enumerate(pdf.pages, start=1):
                lines, page_notes = _pdf_page(page)
                pages.append(lines)
                notes += [(note, n) for note in page_notes]
                if not lines and page.images:
                    scanned.append(n)
                page.close()  # its characters and layout objects: memory grows per page
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect):
            raise DocumentError(display, "tệp PDF có mật khẩu") from exc
        if isinstance(cause, PDFEncryptionError):
            raise DocumentError(display, "tệp PDF được mã hóa theo cách không đọc được") from exc
        raise DocumentError(display, f"{_BROKEN_PDF} ({type(cause).__name__})") from exc
    except DocumentError:
        raise
    except Exception as exc:  # pdfminer raises many kinds on broken content streams
        raise DocumentError(display, f"{_BROKEN_PDF} ({type(exc).__name__})") from exc
    warnings = []
    if scanned:
        read = ocr.ocr_pages(data, scanned) if ocr.available() else {}
        for n, lines in read.items():
            pages[n - 1] = [(line, True, False) for line in lines]
        warnings = _scan_warnings(scanned, read)
    _drop_running_lines(pages)

    out: list[tuple[str, int]] = []
    carry = False
    for n, page in enumerate(pages, start=1):
        for i, (line, is_text, _) in enumerate(page):
            if i == 0 and out and carry and is_text and parse_marker(line) is None:
                # A paragraph carried over from the page before keeps its first page.
                out[-1] = (f"{out[-1][0]} {line}", out[-1][1])
            elif i == 0 and out and not is_text and _continues_row(out[-1][0], line):
                # A table row the page break cut in two: its cells go back together.
                cells = zip(out[-1][0].split("\t"), line.split("\t"), strict=True)
                out[-1] = ("\t".join(squash(f"{a} {b}") for a, b in cells), out[-1][1])
            else:
                out.append((line, n))
        carry = bool(page) and page[-1][2]
    return out + notes, warnings


def _scan_warnings(scanned: list[int], read: dict[int, list[str]]) -> list[str]:
    """The scanned pages read by OCR, and those left unread with why."""
    warnings = []
    if read:
        done = _pages(list(read))
        warnings.append(f"trang {done} là bản scan: đã nhận dạng chữ (OCR), nên đối chiếu bản gốc")
    if unread := [n for n in scanned if n not in read]:
        why = ocr.OCR_FAILED if ocr.available() else ocr.OCR_MISSING
        warnings.append(f"trang {_pages(unread)} là bản scan, chưa đọc được: {why}")
    return warnings


def _pages(numbers: list[int]) -> str:
    return ", ".join(map(str, numbers[:10])) + (" …" if len(numbers) > 10 else "")


def _continues_row(prev: str, row: str) -> bool:
    return (
        "\t" in prev
        and row.startswith("\t")
        and row.count("\t") == prev.count("\t")
        and not prev.startswith("\t")
    )


_PdfLine = tuple[str, bool, bool]  # text, is a text line (not a table row), runs on


def _pdf_page(page) -> tuple[list[_PdfLine], list[str]]:
    """Text lines and table rows in reading order (sorted by their top), and the page's
    footnotes, each a line "[n] text" (the parser makes each a passage of its own)."""
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]

    def outside(obj) -> bool:
        if "x0" not in obj or "top" not in obj:
            return True
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    text_page = page.filter(outside) if boxes else page
    notes, below = footnotes(text_page)
    if notes:
        text_page = text_page.filter(lambda obj: not note_char(obj, below))
    lines = _word_lines(text_page)
    if notes:  # a mark gone from before a stop leaves no space ("Cà Mau¹." → "Cà Mau.")
        for line in lines:
            line["text"] = MARK_GAP.sub("", line["text"])
    items: list[tuple[float, list[_PdfLine]]] = []
    run: list[dict] = []  # ordinary lines, rejoined where the PDF wrapped them

    def flush() -> None:
        joined = _join_wrapped(run, page.width)
        items.extend((top, [(text, True, full)]) for top, text, full in joined)
        run.clear()

    i = 0
    while i < len(lines):
        block, end = _column_block(lines, i)
        if block:
            flush()
            items.append((lines[i]["top"], [(text, True, False) for text in block]))
            i = end
        else:
            run.append(lines[i])
            i += 1
    flush()
    for table in tables:
        raw = table.extract()
        rows = [[c or "" for c in row] for row in raw]  # tab_lines joins a cell's lines
        if is_data_table(rows):
            lines = [(line, False, False) for line in tab_lines(rows)]
        else:
            cells = [part for row in raw for c in row if c for part in c.split("\n")]
            lines = [(part, False, False) for part in cells]
        items.append((table.bbox[1], lines))
    items.sort(key=lambda item: item[0])
    return [line for _, lines in items for line in lines], notes


def _word_lines(page) -> list[dict]:
    """Lines built from words, each split into segments where words are set far apart.

    Segments show text set side by side: the agency and the national motto at the top of
    a document, "Nơi nhận" beside the signature at its end.
    """
    lines = []
    for row in word_rows(page.extract_words(x_tolerance=3, y_tolerance=3, extra_attrs=["size"])):
        chars = sum(len(w["text"]) for w in row)
        char_width = sum(w["x1"] - w["x0"] for w in row) / max(chars, 1)
        gaps = sorted(b["x0"] - a["x1"] for a, b in zip(row, row[1:], strict=False))
        # Far wider than this line's usual space between words (justified lines stretch
        # every space alike, so they do not split).
        if len(gaps) >= 2:
            gap = max(3 * gaps[len(gaps) // 2], 2 * char_width, 12)
        else:
            gap = max(5 * char_width, 20)
        segments: list[list[dict]] = [[row[0]]]
        for prev, word in zip(row, row[1:], strict=False):
            if word["x0"] - prev["x1"] > gap:
                segments.append([word])
            else:
                segments[-1].append(word)
        lines.append(
            {
                "text": row_text(row),
                "x0": row[0]["x0"],
                "x1": max(w["x1"] for w in row),
                "top": min(w["top"] for w in row),
                "bottom": max(w["bottom"] for w in row),
                "size": main_size(row),
                "segments": [
                    (" ".join(w["text"] for w in seg), seg[0]["x0"], seg[-1]["x1"])
                    for seg in segments
                ],
            }
        )
    return lines


# Lines of two segments that show a page set in two columns.
_COLUMN_PAIRS = 10


def _column_block(lines: list[dict], i: int) -> tuple[list[str], int]:
    """Two columns set side by side from ``lines[i]`` on: left lines, then right lines.

    A block holds two or more lines of two segments; a one-segment line just before or after them
    belongs to it when it lines up with one of the columns (same start or same centre)
    and follows closely. A line that crosses the gap, or a blank stretch, ends it. A page
    set in two columns (a gazette) is one block: each column's wrapped paragraphs are
    rejoined as a page's are.
    """
    n = len(lines)
    first = next((j for j in range(i, min(i + 3, n)) if len(lines[j]["segments"]) == 2), None)
    if first is None:
        return [], i
    split = (lines[first]["segments"][0][2] + lines[first]["segments"][1][1]) / 2
    height = lines[first]["bottom"] - lines[first]["top"]
    spans: tuple[list, list] = ([], [])
    columns: tuple[list[dict], list[dict]] = ([], [])
    # A page whose lines are set in two columns (a gazette), not a header beside a motto.
    body = (
        sum(len(s := line["segments"]) == 2 and s[0][2] < split < s[1][1] for line in lines)
        >= _COLUMN_PAIRS
    )

    def close(j: int) -> bool:
        gap = 3 if body else 1.5  # paragraphs are spaced in a column
        return lines[j]["top"] - lines[j - 1]["bottom"] <= gap * height

    def column(seg: tuple[str, float, float]) -> int | None:
        _, x0, x1 = seg
        mid = (x0 + x1) / 2
        for c, span in enumerate(spans):
            # Once the page is clearly set in two columns, any line on one side of the gap
            # is that column's (a paragraph's indented first line, its short last one).
            if (x1 < split if c == 0 else x0 > split) and (
                body or any(abs(x0 - a) <= 6 or abs(mid - (a + b) / 2) <= 6 for a, b in span)
            ):
                return c
        return None

    def part(line: dict, seg: tuple[str, float, float]) -> dict:
        return {"text": seg[0], "x0": seg[1], "x1": seg[2]} | {
            k: line[k] for k in ("top", "bottom", "size")
        }

    j = first
    pairs = 0
    while j < n and (j == first or close(j)):
        segs = lines[j]["segments"]
        if len(segs) == 2 and segs[0][2] < split < segs[1][1]:
            pairs += 1
            for c in (0, 1):
                spans[c].append(segs[c][1:])
                columns[c].append(part(lines[j], segs[c]))
        elif len(segs) == 1 and (c := column(segs[0])) is not None:
            columns[c].append(part(lines[j], segs[0]))
        else:
            break
        j += 1
    if pairs < 2:
        return [], i  # one wide gap is more likely spacing inside a paragraph line
    for k in reversed(range(i, first)):
        c = column(lines[k]["segments"][0]) if len(lines[k]["segments"]) == 1 else None
        if c is None or not close(k + 1):
            return [], i  # the lines before the two-segment line are not part of it
        columns[c].insert(0, part(lines[k], lines[k]["segments"][0]))
    if body:
        return [text for col in columns for _, text, _ in _join_wrapped(col, 0)], j
    return [line["text"] for col in columns for line in col], j


def _join_wrapped(lines: list[dict], page_width: float) -> list[tuple[float, str, bool]]:
    """Rejoin paragraphs the PDF wrapped: (top, text, may run on to the next page).

    A line goes on in the next one when the next line's first word would not have fitted
    after it (so the line was wrapped, justified or not), unless the line ends a clause
    (". ; :") or the next line starts a section marker. A line that reaches the right
    margin may run on over a page break (decided once running headers are gone).
    """

    if not lines:
        return []
    left = min(line["x0"] for line in lines)
    # Margins are taken as even when no line on the page is long enough to show the right.
    right = max(max(line["x1"] for line in lines), page_width - left)
    out: list[tuple[float, str, bool]] = []
    prev: dict | None = None
    for line in lines:
        text = line["text"]
        full = line["x1"] >= right - 0.1 * (right - left) and not _ends_clause(text)
        wrapped = prev is not None and _wrapped(prev, line, left, right)
        if wrapped and parse_marker(text) is None:
            out[-1] = (out[-1][0], squash(f"{out[-1][1]}\n{text}"), full)
        else:
            out.append((line["top"], text, full))
        prev = line
    return out


def _ends_clause(text: str) -> bool:
    return text.rstrip().endswith((".", ";", ":"))


def _wrapped(prev: dict, line: dict, left: float, right: float) -> bool:
    if _ends_clause(prev["text"]) or is_page_number(line["text"]) or is_rule(line["text"]):
        return False  # a rule under a title is no word of it
    if prev["x0"] > (left + right) / 2:
        return False  # set flush right ("Mẫu số 01", a sheet's name): no paragraph's line
    if line["top"] - prev["bottom"] > (prev["bottom"] - prev["top"]) * 1.2:
        return False  # a paragraph gap, not the next line of the same paragraph
    if abs(line["size"] - prev["size"]) >= 0.5:
        return False  # set in another size: a title above the text ("Căn cứ ...")
    char_width = (prev["x1"] - prev["x0"]) / max(len(prev["text"]), 1)
    first_word = line["text"].split(" ", 1)[0]
    # Capitals are wider than the line's average character.
    width = (len(first_word) + 1) * char_width * (1.5 if first_word.isupper() else 1.1)
    return prev["x1"] + width >= right - 2


def _drop_running_lines(pages: list[list[_PdfLine]]) -> None:
    """Remove page numbers and headers/footers repeated at the top or bottom of most pages."""
    texts = [[line if is_text else None for line, is_text, _ in page] for page in pages]
    for page, drop in zip(pages, running_lines(texts), strict=True):
        page[:] = [item for i, item in enumerate(page) if i not in drop]
