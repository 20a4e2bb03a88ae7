"""HTML for the result page. Every piece of document text is escaped before it is shown."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence, Set
from pathlib import Path

from ..query.context import ContextView, meta_fields
from ..query.timeline import Stage
from ..records import Hit
from ..text.normalize import clip, fold, sentence_case

_WORD = re.compile(r"(\w+)", re.UNICODE)  # split keeping the words: see text/words.WORD
STATIC = Path(__file__).with_name("static")
# Words to highlight (Query.terms): as typed, or folded for a query typed without marks.
Terms = Set[str]


def static_text(name: str) -> str:
    """A file of ui/static/ (CSS, or a js_on_load script for a gr.HTML component)."""
    return (STATIC / name).read_text(encoding="utf-8")


def esc(text: str) -> str:
    return html.escape(text or "", quote=True)


def highlight(text: str, terms: Terms) -> str:
    """Escape ``text`` and wrap words that match ``terms`` (exactly, or folded) in <mark>."""
    out = []
    for part in _WORD.split(text):
        if not part:
            continue
        escaped = html.escape(part)
        word = part.lower()
        if _WORD.fullmatch(part) and (word in terms or fold(word) in terms):
            out.append(f"<mark>{escaped}</mark>")
        else:
            out.append(escaped)
    return "".join(out)


def quotation(hit: Hit) -> str:
    """Passage and citation as a memo quotation: Theo <citation>: "<passage>"."""
    passage = " ".join(hit.text.split())
    return f'Theo {hit.citation}: "{passage}"'


def where(c) -> str:
    """'dòng 36–37', with the PDF pages when the document has them."""
    out = f"dòng {c.line_start}–{c.line_end}"
    start, end = getattr(c, "page_start", None), getattr(c, "page_end", None)
    if start:
        out += f" · trang {start}" if not end or end == start else f" · trang {start}–{end}"
    return out


def _copy_button(text: str, label: str) -> str:
    return f'<button type="button" class="tc-copy" data-copy="{esc(text)}">{label}</button>'


def _context_button(chunk_id: str) -> str:
    return (
        f'<button type="button" class="tc-ctx-open" data-ctx="{esc(chunk_id)}">'
        "Xem trong văn bản</button>"
    )


def result_card(hit: Hit, terms: Terms, *, nearest: bool = False) -> str:
    c = hit.chunk
    section = " > ".join(c.section) or "Phần mở đầu"
    kind = "Dòng bảng" if c.kind == "table_row" else "Đoạn văn"
    table = esc(c.table_title or "")
    extra = f'<div class="tc-table">{table}</div>' if c.kind == "table_row" and table else ""
    label = f"Đoạn gần nhất #{hit.rank}" if nearest else f"#{hit.rank}"
    cls = "tc-card tc-nearest" if nearest else "tc-card"
    return (
        f'<article class="{cls}" data-rank="{hit.rank}">'
        f'<header><label class="tc-pick" title="Chọn để xuất ra tệp">'
        f'<input type="checkbox" data-pick="{esc(c.id)}"> Chọn</label>'
        f'<span class="tc-rank">{label}</span>'
        f'<span class="tc-kind">{kind}</span>'
        f'<span class="tc-score" title="Điểm xếp hạng">{hit.score:.3f}</span></header>'
        f'<div class="tc-cite">{esc(c.citation)}</div>'
        f'<div class="tc-meta">{esc(c.doc)} · {where(c)} · {esc(section)}</div>'
        f"{extra}"
        f'<div class="tc-text">{highlight(c.text, terms)}</div>'
        '<div class="tc-actions">'
        f"{_copy_button(c.citation, 'Sao chép trích dẫn')}"
        f"{_copy_button(quotation(hit), 'Sao chép đoạn + trích dẫn')}"
        f"{_context_button(c.id)}"
        "</div></article>"
    )


def answer_box(answer, terms: Terms, *, chunk_id: str | None = None) -> str:
    """The extracted answer above the results, with its citation and copy buttons."""
    quote = f'Theo {answer.citation}: "{" ".join(answer.text.split())}"'
    context = _context_button(chunk_id) if chunk_id else ""
    return (
        '<section class="tc-answer" id="tc-answer">'
        '<div class="tc-answer-label">Trả lời (trích nguyên văn)</div>'
        f'<div class="tc-answer-text">{highlight(answer.text, terms)}</div>'
        f'<div class="tc-cite">{esc(answer.citation)}</div>'
        f'<div class="tc-meta">{esc(answer.doc)} · dòng {answer.line_start}–'
        f"{answer.line_end}</div>"
        '<div class="tc-actions">'
        f"{_copy_button(answer.citation, 'Sao chép trích dẫn')}"
        f"{_copy_button(quote, 'Sao chép câu trả lời + trích dẫn')}"
        f"{context}</div></section>"
    )


def no_answer_box(unknown: list[str], has_hits: bool, why: str = "") -> str:
    detail = ""
    if unknown:
        words = ", ".join(f"“{esc(w)}”" for w in unknown)
        detail = f" Các văn bản không có từ {words}."
    if why:
        detail += f" {esc(why)}"
    nearest = " Dưới đây là các đoạn gần nhất, chỉ để tham khảo." if has_hits else ""
    return (
        '<section class="tc-empty" id="tc-no-answer">Không tìm thấy nội dung phù hợp trong '
        f"các văn bản.{detail}{nearest}</section>"
    )


def searched_as_box(corrected: str) -> str:
    """The query as searched after its slips and typos were corrected."""
    return (
        '<div class="tc-searched-as" id="tc-searched-as">Đã tìm với: '
        f"<strong>{esc(corrected)}</strong></div>"
    )


def quote_box(quote, terms: Terms) -> str:
    """Where a pasted passage comes from, cited, above the passages themselves."""
    first = quote.chunks[0]
    text = " … ".join(" ".join(c.text.split()) for c in quote.chunks)
    memo = f'Theo {quote.citation}: "{text}"'
    pages = f" ({len(quote.chunks)} đoạn liền nhau)" if len(quote.chunks) > 1 else ""
    return (
        '<section class="tc-answer tc-quote" id="tc-quote">'
        f'<div class="tc-answer-label">Trích từ{pages}</div>'
        f'<div class="tc-cite">{esc(quote.citation)}</div>'
        f'<div class="tc-meta">{esc(quote.doc)} · dòng {quote.line_start}–{quote.line_end}'
        f" · khớp {quote.coverage:.0%} nội dung đã dán</div>"
        '<div class="tc-actions">'
        f"{_copy_button(quote.citation, 'Sao chép trích dẫn')}"
        f"{_copy_button(memo, 'Sao chép đoạn + trích dẫn')}"
        f"{_context_button(first.id)}</div></section>"
    )


def document_label(meta) -> str:
    """'Chương trình hành động số 01/CTr-UBND của Ủy ban nhân dân tỉnh Cà Mau'."""
    name = meta.doc_type or "Văn bản"
    if meta.number:
        name += f" số {meta.number}"
    if meta.issuer:
        name += f" của {meta.issuer}"
    return name if (meta.doc_type or meta.number) else f"{name} {meta.doc}"


def timeline_box(stages: Sequence[Stage], terms: Terms, *, open_: bool = True) -> str:
    """Documents that mention the query's subject, oldest first, with what each says."""
    if not stages:
        return ""
    items = []
    for stage in stages:
        period = f" · giai đoạn {esc(stage.period)}" if stage.period else ""
        mentions = []
        for m in stage.mentions:
            facts = "".join(
                f'<li><span class="tc-tl-head">{esc(sentence_case(h))}:</span> {esc(v)}</li>'
                for h, v in m.facts
            )
            facts = f'<ul class="tc-tl-facts">{facts}</ul>' if facts else ""
            c = m.hit.chunk
            mentions.append(
                f'<li class="tc-tl-mention"><div class="tc-tl-name">{highlight(m.name, terms)}'
                f"</div>{facts}"
                f'<div class="tc-tl-cite">{esc(c.citation)}</div>'
                f'<div class="tc-actions">{_copy_button(c.citation, "Sao chép trích dẫn")}'
                f"{_context_button(c.id)}</div></li>"
            )
        more = (
            f'<div class="tc-tl-more">và {stage.more} đoạn khác trong văn bản này</div>'
            if stage.more
            else ""
        )
        items.append(
            '<li class="tc-tl-stage">'
            f'<div class="tc-tl-when">{esc(stage.when) or "Không rõ ngày"}</div>'
            f'<div class="tc-tl-body"><div class="tc-tl-doc">{esc(document_label(stage.meta))}'
            f"{period}</div>"
            f'<ul class="tc-tl-mentions">{"".join(mentions)}</ul>{more}</div></li>'
        )
    attr = " open" if open_ else ""
    return (
        f'<details class="tc-timeline" id="tc-timeline-box"{attr}>'
        f"<summary>Tiến độ qua các văn bản ({len(stages)} văn bản, theo thời gian)</summary>"
        f'<ol class="tc-tl">{"".join(items)}</ol></details>'
    )


def context_box(view: ContextView, terms: Terms, *, nonce: str = "") -> str:
    """The passage inside its section or table, in a dialog over the page."""
    target = view.target
    meta = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in meta_fields(view.meta))
    # A table shows its headings as group rows inside it; a breadcrumb would repeat them.
    heading = ""
    if view.heading and not view.is_table:
        heading = f'<div class="tc-ctx-heading">{esc(view.heading)}</div>'
    unit = "dòng" if view.is_table else "đoạn"
    where = "bảng" if view.is_table else "mục"
    before = (
        f'<p class="tc-ctx-skip">… {view.skipped_before} {unit} trước trong {where} này</p>'
        if view.skipped_before
        else ""
    )
    after = (
        f'<p class="tc-ctx-skip">… {view.skipped_after} {unit} sau trong {where} này</p>'
        if view.skipped_after
        else ""
    )
    body = _context_table(view, terms) if view.is_table else _context_text(view, terms)
    return (
        f'<div class="tc-ctx-overlay" data-nonce="{esc(nonce)}">'
        '<div class="tc-ctx-backdrop" data-close="1"></div>'
        '<section class="tc-ctx" role="dialog" aria-modal="true" aria-labelledby="tc-ctx-title">'
        '<header class="tc-ctx-top"><div class="tc-ctx-titles">'
        '<h3 id="tc-ctx-title">Xem trong văn bản</h3>'
        f'<div class="tc-ctx-doc">{esc(_doc_line(view.meta))}</div></div>'
        '<button type="button" class="tc-ctx-close" data-close="1" aria-label="Đóng">Đóng ✕'
        "</button></header>"
        f'<dl class="tc-ctx-meta">{meta}</dl>'
        f'<div class="tc-cite">{esc(target.citation)}</div>'
        f'<div class="tc-actions">{_copy_button(target.citation, "Sao chép trích dẫn")}</div>'
        f"{heading}{before}{body}{after}</section></div>"
    )


def _doc_line(meta) -> str:
    when = meta.date or (str(meta.year) if meta.year else "")
    return f"{document_label(meta)} · {when}" if when else document_label(meta)


def examples_box(examples: Sequence[str]) -> str:
    buttons = "".join(
        f'<button type="button" class="tc-example" data-example="{esc(e)}">{esc(e)}</button>'
        for e in examples
    )
    return f'<div class="tc-examples"><span>Ví dụ:</span>{buttons}</div>'


def _context_text(view: ContextView, terms: Terms) -> str:
    out = []
    for c in view.paragraphs:
        is_target = c.id == view.target.id
        text = highlight(c.text, terms) if is_target else esc(c.text)
        cls = "tc-ctx-para tc-ctx-target" if is_target else "tc-ctx-para"
        out.append(f'<div class="{cls}"><span class="tc-ctx-lines">{where(c)}</span>{text}</div>')
    return "".join(out)


def _context_table(view: ContextView, terms: Terms) -> str:
    n = max(1, len(view.columns))
    head = "".join(f"<th>{esc(sentence_case(h))}</th>" for h in view.columns)
    rows = []
    for row in view.rows:
        if row.group:
            rows.append(f'<tr class="tc-ctx-group"><td colspan="{n}">{esc(row.group)}</td></tr>')
        is_target = row.chunk.id == view.target.id
        # Neighbouring rows are there for orientation; long cells are cut to keep them short.
        cells = "".join(
            f"<td>{highlight(v, terms) if is_target else esc(clip(v, 220))}</td>"
            for v in row.values
        )
        cls = ' class="tc-ctx-target"' if is_target else ""
        rows.append(f"<tr{cls}>{cells}</tr>")
    caption = f"<caption>{esc(view.table_title)}</caption>" if view.table_title else ""
    return (
        f'<div class="tc-ctx-tablewrap"><table class="tc-ctx-table">{caption}'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def missing_context_box(nonce: str = "") -> str:
    return (
        f'<div class="tc-ctx-overlay" data-nonce="{esc(nonce)}">'
        '<div class="tc-ctx-backdrop" data-close="1"></div>'
        '<section class="tc-ctx" role="dialog" aria-modal="true">'
        '<header class="tc-ctx-top"><h3>Xem trong văn bản</h3>'
        '<button type="button" class="tc-ctx-close" data-close="1">Đóng ✕</button></header>'
        "<p>Đoạn này không còn trong chỉ mục (kho văn bản vừa được cập nhật). "
        "Hãy tìm kiếm lại.</p></section></div>"
    )
