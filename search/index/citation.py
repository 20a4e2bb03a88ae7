"""Citations in the style of Decree 30/2020/NĐ-CP, ready to paste into a memo.

điểm a khoản 1 Mục II Chương trình hành động số 01/CTr-UBND ngày 19/01/2025 của Ủy ban
nhân dân tỉnh Cà Mau
Phụ lục 2, mục A.II.2 (Đầu tư xây dựng Cảng nước sâu Hòn Khoai ...) kèm theo Chương trình
hành động số 01/CTr-UBND ngày 19/01/2025 của Ủy ban nhân dân tỉnh Cà Mau
khoản 2 Điều 47 Luật Giáo dục số 43/2019/QH14
"""

from __future__ import annotations

import re

from ..records import DocMeta
from ..structure.footnotes import FOOTNOTE
from ..structure.layout import BULLET_STYLES, is_part_label, parse_marker
from ..structure.metadata import doc_reference
from ..text.normalize import clip, sentence_case
from ..text.numerals import roman_value

_LAW_TYPES = {"Luật", "Bộ luật", "Pháp lệnh", "Hiến pháp"}


def document_ref(meta: DocMeta) -> str:
    """How the document itself is named in a citation; unknown fields are left out."""
    if meta.doc_type in _LAW_TYPES and meta.title:
        name = f"{meta.doc_type} {sentence_case(meta.title)}"
        return f"{name} số {meta.number}" if meta.number else name
    return doc_reference(meta.doc_type, meta.number, meta.date, meta.issuer, meta.title)


def section_phrase(path: tuple[str, ...]) -> str:
    """``("II", "1", "a)")`` → ``điểm a khoản 1 Mục II`` (innermost first)."""
    labels = [p for p in path if not is_part_label(p)]
    has_article = any(p.startswith("Điều ") for p in labels)
    words: list[str] = []
    for k, label in enumerate(labels):
        nxt = labels[k + 1] if k + 1 < len(labels) else ""
        if label.startswith("Điều "):
            words.append(label)
        elif label.startswith(("Chương ", "Mục ")):
            if not has_article:
                words.append(label)
        elif label.endswith(")") and not label.startswith("("):
            words.append(f"điểm {label[:-1]}")
        elif label.startswith("("):
            words.append(f"nội dung {label}")
        elif re.fullmatch(r"\d+(\.\d+)*", label):
            if nxt.startswith(label + "."):
                continue  # "1" then "1.2": the finer number says it all
            words.append(f"khoản {label}")
        elif roman_value(label):
            words.append(f"Mục {label}")
        elif re.fullmatch(r"[A-ZĐ]", label):
            words.append(f"Phần {label}")
        elif label.startswith("Thứ "):
            words.append(f"nội dung {label.lower()}")
        elif label.startswith(FOOTNOTE):
            words.append(label.lower())
    return " ".join(reversed(words))


def text_citation(meta: DocMeta, path: tuple[str, ...]) -> str:
    ref = document_ref(meta)
    part = next((p for p in path if is_part_label(p)), None)
    where = section_phrase(path)
    if part:
        where = f"{where} {part}".strip() if where else part
        joiner = "kèm theo" if part.startswith("Phụ lục") else "ban hành kèm theo"
        return f"{where} {joiner} {ref}"
    return f"{where} {ref}".strip()


def row_citation(
    meta: DocMeta, path: tuple[str, ...], row_name: str | None, appendix_ref: str | None
) -> str:
    """``Phụ lục 2, mục A.II.2 (name) kèm theo <document>``; the appendix's own caption wins."""
    ref = appendix_ref or document_ref(meta)
    appendix = path[0] if path and is_part_label(path[0]) else None
    items = [p for p in (path[1:] if appendix else path) if p and p != "-"]
    parts = []
    if appendix:
        parts.append(appendix)
    if items:
        parts.append(f"mục {'.'.join(items)}")
    head = ", ".join(parts) if parts else "Bảng"
    if row_name:
        # A sub-row's bullet ("- Khối nhà điều trị nội trú") is no part of its name.
        marker = parse_marker(row_name)
        name = marker.rest if marker and marker.style in BULLET_STYLES else row_name
        head += f" ({clip(name, 90)})"
    return f"{head} kèm theo {ref}" if appendix else f"{head} của {ref}"
