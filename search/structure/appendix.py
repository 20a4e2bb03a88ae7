"""The head of an appendix: its label, the title lines under it and its caption.

"PHỤ LỤC I" (or a bare "QUY ĐỊNH" issued with the document), then up to three title lines,
a unit line ("Đơn vị tính: triệu đồng"), and the caption naming the document it belongs to
("(Kèm theo Kế hoạch số 52/KH-UBND ngày 24/02/2025 của ...)"), which may close the title's
last line. The caption gives the document's number and date when its header lacks them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..text.normalize import clip, is_caps
from . import tables
from .layout import is_caption, parse_attached_type, parse_marker, split_caption
from .metadata import doc_reference, parse_caption

TITLE_LINES = 3  # an appendix's title takes at most this many lines


@dataclass
class Appendix:
    label: str  # "Phụ lục I", or the name an attached Quy định is cited by
    title: str = ""
    ref: str | None = None  # the document its caption names, as cited
    captions: list[dict[str, str]] = field(default_factory=list)  # their fields (metadata)
    caption_lines: list[tuple[int, str]] = field(default_factory=list)  # (line number, text)


def attached_type_at(clean: list[str], i: int) -> str | None:
    """The type of a document issued with this one starting at line ``i``: a bare
    ``QUY ĐỊNH`` heading with a "(Ban hành kèm theo ...)" caption in the next lines."""
    kind = parse_attached_type(clean[i])
    if kind is None:
        return None
    following = [t for t in clean[i + 1 : i + 8] if t][:4]
    return kind if any(is_caption(t) for t in following) else None


def read_appendix_head(
    raw: list[str], clean: list[str], i: int, label: str, rest: str, *, attached: bool = False
) -> tuple[Appendix, int]:
    """The appendix opening at line ``i`` (``label`` and the ``rest`` of its line), and the
    index of the first line after its head."""
    appendix = Appendix(label=label if attached else _appendix_label(label))

    def read_caption(k: int, caption: str) -> int:
        """Reads the caption opening at line ``k``; returns the index of the line after it."""
        lines = _caption_lines(clean, k, caption)
        if cap := parse_caption(" ".join(line for _, line in lines)):
            appendix.captions.append(cap)
            appendix.caption_lines += lines
            appendix.ref = doc_reference(
                cap.get("doc_type"), cap.get("number"), cap.get("date"), cap.get("issuer")
            )
        return lines[-1][0]

    # A PDF may set the label, the title and the caption on one line.
    rest, caption = split_caption(rest)
    title = [rest] if rest else []
    if caption:
        read_caption(i, caption)
    j = i + 1
    while j < len(raw):
        t = clean[j]
        if not t:
            j += 1
            continue
        title_part, caption = split_caption(t)
        if caption and len(title) < TITLE_LINES:
            title.append(title_part)
            t = caption
        if is_caption(t):
            j = read_caption(j, t)
            continue
        if t.lower().startswith("đơn vị") and len(t) < 60:
            title.append(f"({t.rstrip('.')})")
            j += 1
            continue
        if (
            len(title) < TITLE_LINES
            and not tables.is_tab_row(raw[j])
            and not tables.is_pipe_row(raw[j])
            and not tables.is_cell_table_start(t)
            and not parse_marker(t)
            and len(t) < 300
            and (not title or not any(is_caption(clean[k]) for k in range(i, j)))
        ):
            title.append(t)
            j += 1
            continue
        break
    appendix.title = " ".join(title)
    if attached and title:
        # "Quy định quản lý bến thủy nội địa ...": the name it is cited by.
        name = appendix.title
        name = name.lower() if is_caps(name) else name[:1].lower() + name[1:]
        appendix.label = clip(f"{label} {name}", 150)
        appendix.title = ""
    return appendix, j


def _caption_lines(clean: list[str], j: int, caption: str) -> list[tuple[int, str]]:
    """The caption opening at line ``j`` (``caption``, its text there), numbered from 1: a
    caption wrapped before its closing parenthesis ("(Kèm theo ... của Ban Chỉ đạo Tổng
    điều" / "tra nông thôn, nông nghiệp năm 2025 tỉnh)") goes on in the next lines."""
    lines = [(j + 1, caption)]
    for k in range(j + 1, min(j + 3, len(clean))):
        said = " ".join(line for _, line in lines)
        if not clean[k] or said.count("(") <= said.count(")"):
            break
        lines.append((k + 1, clean[k]))
    return lines


def _appendix_label(label: str) -> str:
    ident = label.removeprefix("Phụ lục").strip()
    return f"Phụ lục {ident}".strip()
