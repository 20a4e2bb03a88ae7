"""Search results as files for a memo: Word (.docx) and Markdown, citation then passage."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..records import Hit
from ..text.normalize import fold, nfc

# Characters XML 1.0 cannot hold; python-docx would refuse the whole document.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class ExportItem:
    rank: int
    citation: str
    text: str
    doc: str
    line_start: int
    line_end: int
    chunk_id: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ExportItem:
        return cls(**data)

    @classmethod
    def from_hit(cls, hit: Hit) -> ExportItem:
        c = hit.chunk
        return cls(hit.rank, c.citation, c.text, c.doc, c.line_start, c.line_end, c.id)


def title(query: str) -> str:
    return f"Kết quả tra cứu: “{' '.join(nfc(query).split())}”"


def vn_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def to_markdown(query: str, items: Sequence[ExportItem], *, day: date | None = None) -> str:
    """A Markdown note: title, export date, then each citation in bold and its passage quoted."""
    day = day or date.today()
    out = [f"# {title(query)}", "", f"Ngày xuất: {vn_date(day)} · {len(items)} đoạn trích", ""]
    for n, item in enumerate(items, 1):
        out.append(f"{n}. **{_clean(item.citation)}**")
        out.append("")
        for line in _clean(item.text).split("\n"):
            out.append(f"   > {line}" if line.strip() else "   >")
        out.append("")
        out.append(f"   Nguồn: {item.doc}, dòng {item.line_start}–{item.line_end}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def write_docx(
    query: str, items: Sequence[ExportItem], path: Path, *, day: date | None = None
) -> Path:
    """A Word document: title with the query and date, then citation (bold) + passage."""
    from docx import Document
    from docx.shared import Pt, RGBColor

    day = day or date.today()
    document = Document()
    normal = document.styles["Normal"]
    # Times New Roman 13 pt is what administrative documents use (Decree 30/2020).
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(13)
    document.core_properties.title = _clean(title(query))
    document.core_properties.language = "vi-VN"
    document.add_heading(_clean(title(query)), level=1)
    meta = document.add_paragraph(f"Ngày xuất: {vn_date(day)} · {len(items)} đoạn trích")
    meta.runs[0].italic = True
    for n, item in enumerate(items, 1):
        head = document.add_paragraph()
        head.add_run(f"{n}. ")
        head.add_run(_clean(item.citation)).bold = True
        body = document.add_paragraph()
        for k, line in enumerate(_clean(item.text).split("\n")):
            if k:
                body.add_run().add_break()
            body.add_run(line)
        source = document.add_paragraph()
        run = source.add_run(f"Nguồn: {item.doc}, dòng {item.line_start}–{item.line_end}")
        run.font.size = Pt(10)
        run.font.color.rgb = RGBColor(0x57, 0x60, 0x6A)
    path = Path(path)
    document.save(str(path))
    return path


def file_stem(query: str, day: date | None = None) -> str:
    """An ASCII file name from the query: "tra-cuu-hon-khoai-tien-do-2026-11-22"."""
    day = day or date.today()
    words = re.findall(r"[a-z0-9]+", fold(nfc(query)).lower())
    slug = "-".join(words)[:60].strip("-") or "ket-qua"
    return f"tra-cuu-{slug}-{day.isoformat()}"


def write_exports(
    query: str, items: Sequence[ExportItem], folder: Path, *, day: date | None = None
) -> tuple[Path, Path]:
    """(.docx, .md) for ``items`` in ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stem = file_stem(query, day)
    docx_path = write_docx(query, items, folder / f"{stem}.docx", day=day)
    md_path = folder / f"{stem}.md"
    md_path.write_text(to_markdown(query, items, day=day), encoding="utf-8")
    return docx_path, md_path


def _clean(text: str) -> str:
    return _XML_ILLEGAL.sub("", nfc(text))
