"""Hostile input for ingest, built on the fly: nothing large is kept in git.

Each builder writes one file and returns its path. They are shared by tests/test_hostile.py
and scripts/bench_hostile.py (which measures them with the real model).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

# One paragraph of a real-looking programme, repeated by the bombs.
PARAGRAPH = (
    "Đẩy nhanh tiến độ giải phóng mặt bằng, bàn giao mặt bằng sạch cho nhà đầu tư thực hiện "
    "dự án cảng Hòn Khoai và đường kết nối ra đảo Hòn Khoai theo đúng kế hoạch đã đề ra."
)
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx_bytes(build) -> bytes:
    """A .docx made by python-docx, after ``build(document)`` has filled it in."""
    from docx import Document

    document = Document()
    build(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_grid_span(path: Path, span: int = 2_000_000_000) -> Path:
    """A table cell that claims to span two billion grid columns."""
    from docx.oxml import parse_xml

    def build(document):
        document.add_paragraph("KẾ HOẠCH thực hiện nhiệm vụ năm 2025")
        table = document.add_table(rows=2, cols=3)
        for r in range(2):
            for c in range(3):
                table.cell(r, c).text = f"Ô {r}.{c} {PARAGRAPH[:40]}"
        tc_pr = table.cell(0, 0)._tc.get_or_add_tcPr()
        tc_pr.append(parse_xml(f'<w:gridSpan {_W} w:val="{span}"/>'))

    path.write_bytes(_docx_bytes(build))
    return path


def docx_numbering(path: Path, start: int, fmt: str, paragraphs: int = 3) -> Path:
    """A numbered list that starts at ``start`` in format ``fmt`` (upperRoman, lowerLetter)."""
    from docx.oxml import parse_xml

    def build(document):
        numbering = document.part.numbering_part.element
        first_num = numbering.find(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}num"
        )
        abstract = parse_xml(
            f'<w:abstractNum {_W} w:abstractNumId="77"><w:lvl w:ilvl="0">'
            f'<w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
            '<w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'
        )
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            numbering.append(abstract)
        numbering.append(
            parse_xml(f'<w:num {_W} w:numId="77"><w:abstractNumId w:val="77"/></w:num>')
        )
        for i in range(paragraphs):
            p = document.add_paragraph(f"Nhiệm vụ thứ {i + 1}: {PARAGRAPH}")
            p._p.get_or_add_pPr().append(
                parse_xml(f'<w:numPr {_W}><w:ilvl w:val="0"/><w:numId w:val="77"/></w:numPr>')
            )

    path.write_bytes(_docx_bytes(build))
    return path


def _rewrite_body(path: Path, write_body) -> Path:
    """A small .docx whose document.xml body is replaced by what ``write_body(out)`` writes
    (streamed, so a huge body never sits in memory)."""
    small = _docx_bytes(lambda d: d.add_paragraph("x"))
    with (
        zipfile.ZipFile(io.BytesIO(small)) as src,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst,
    ):
        for info in src.infolist():
            if info.filename != "word/document.xml":
                dst.writestr(info, src.read(info))
                continue
            xml = src.read(info).decode("utf-8")
            head, _, rest = xml.partition("<w:body>")
            _, _, tail = rest.partition("</w:body>")
            with dst.open("word/document.xml", "w", force_zip64=True) as out:
                out.write((head + "<w:body>").encode("utf-8"))
                write_body(out)
                out.write(("</w:body>" + tail).encode("utf-8"))
    return path


def docx_xml_bomb(path: Path, unpacked_mb: int = 150) -> Path:
    """A small .docx whose XML unpacks to ``unpacked_mb`` MB: one paragraph, repeated."""
    para = (f"<w:p><w:r><w:t>{PARAGRAPH}</w:t></w:r></w:p>").encode()
    block = para * (2**20 // len(para))

    def body(out):
        for _ in range(unpacked_mb):
            out.write(block)

    return _rewrite_body(path, body)


def docx_whitespace(path: Path, unpacked_mb: int = 1024) -> Path:
    """A .docx holding ``unpacked_mb`` MB of whitespace inside its body."""
    block = b" " * 2**20

    def body(out):
        out.write(b"<w:p><w:r><w:t>")
        for _ in range(unpacked_mb):
            out.write(block)
        out.write(b"</w:t></w:r></w:p>")

    return _rewrite_body(path, body)


def one_line_text(path: Path, size_mb: float = 5) -> Path:
    """A text file of ``size_mb`` MB on one line: numbered sentences, no line break."""
    target = int(size_mb * 2**20)
    parts, size, i = [], 0, 0
    while size < target:
        i += 1
        sentence = f"Nhiệm vụ số {i}: {PARAGRAPH} "
        parts.append(sentence)
        size += len(sentence.encode("utf-8"))
    path.write_text("".join(parts), encoding="utf-8")
    return path


def scanned_pdf(path: Path) -> Path:
    """A PDF with no text layer (what a scanner makes)."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    c.rect(100, 100, 300, 400, fill=1)
    c.showPage()
    c.save()
    return path


def repeated_text(path: Path, times: int = 2000) -> Path:
    """A text file that says the same paragraph ``times`` times, as separate paragraphs."""
    path.write_text("KẾ HOẠCH\n" + f"{PARAGRAPH}\n\n" * times, encoding="utf-8")
    return path
