"""Scanned pages read by OCR: many documents reach an archive as the scan of the signed
paper. A PDF page without a text layer but with an image is rendered by pdfium and read by
tesseract with its Vietnamese model; the lines come back joined where the scan wrapped a
paragraph. Optional: without ``tesseract`` and its ``vie`` data (Debian's
tesseract-ocr-vie), such a page is reported as before and nothing else changes."""

from __future__ import annotations

import io
import shutil
import subprocess
from functools import cache

from ..structure.layout import parse_marker, runs_on
from ..text.normalize import is_caps

LANGUAGE = "vie"
DPI = 300  # tesseract reads body text best at about 300 dpi
PAGE_SECONDS = 120  # one page; a stuck process does not hold the ingest
MAX_PAGES = 200  # scanned pages read per file; the rest is reported
OCR_MISSING = "cài tesseract-ocr-vie để nhận dạng chữ (sudo apt-get install tesseract-ocr-vie)"
OCR_FAILED = "không nhận dạng được chữ (OCR)"


@cache
def available() -> bool:
    """Whether tesseract with the Vietnamese model (and pdfium) can be run here."""
    if shutil.which("tesseract") is None:
        return False
    try:
        import pypdfium2  # noqa: F401
    except ImportError:
        return False
    try:
        langs = subprocess.run(
            ["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return LANGUAGE in langs.stdout.split()


def ocr_pages(data: bytes, numbers: list[int]) -> dict[int, list[str]]:
    """The lines of the pages ``numbers`` (from 1) of a PDF, read by OCR; a page tesseract
    fails on or takes too long over is left out, not the whole file."""
    import pypdfium2 as pdfium

    out: dict[int, list[str]] = {}
    pdf = pdfium.PdfDocument(data)
    try:
        for n in numbers[:MAX_PAGES]:
            page = pdf[n - 1]
            image = page.render(scale=DPI / 72, grayscale=True).to_pil()
            page.close()
            png = io.BytesIO()
            image.save(png, format="PNG")
            try:
                run = subprocess.run(
                    ["tesseract", "-", "-", "-l", LANGUAGE, "--dpi", str(DPI)],
                    input=png.getvalue(),
                    capture_output=True,
                    timeout=PAGE_SECONDS,
                )
            except (OSError, subprocess.SubprocessError):
                continue
            if run.returncode == 0:
                out[n] = paragraphs(run.stdout.decode("utf-8", errors="replace"))
    finally:
        pdf.close()
    return out


def paragraphs(text: str) -> list[str]:
    """OCR text as lines: within a block (tesseract sets blank lines between blocks), a line
    goes on with the one above when that one reached about the block's width and did not
    end its sentence, unless it opens a list item; lines in capitals (headings, "BÁO CÁO")
    stay lines."""
    out: list[str] = []
    for block in text.replace("\f", "\n\n").split("\n\n"):
        lines = [" ".join(line.split()) for line in block.split("\n")]
        lines = [line for line in lines if line]
        width = max(map(len, lines), default=0)
        for i, line in enumerate(lines):
            prev = lines[i - 1] if i else ""
            if (
                prev
                and runs_on(prev, line, width)
                and not parse_marker(line)
                and not is_caps(prev)
                and not is_caps(line)
            ):
                out[-1] = f"{out[-1]} {line}"
            else:
                out.append(line)
    return out
