"""HTML for the result page. Every piece of document text is escaped before it is shown."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from ..index.lexical import _QUERY_STOP
from ..query.context import ContextView, meta_fields
from ..query.timeline import Stage
from ..records import Hit
from ..text.normalize import fold, nfc

_WORD = re.compile(r"(\w+)", re.UNICODE)


def esc(text: str) -> str:
    return html.escape(text or "", quote=True)


def query_terms(query: str) -> set[str]:
    """Words of the query worth highlighting: as typed when it has diacritics ("độ" does not
    mark "đồ" or "dỡ"), folded when it has none ("hon khoai" marks "Hòn Khoai")."""
    q = nfc(query).lower()
    accented = fold(q) != q
    words = [w for w in _WORD.findall(q) if fold(w) not in _QUERY_STOP]
    return set(words) if accented else {fold(w) for w in words}


def highlight(text: str, terms: set[str]) -> str:
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


def result_card(hit: Hit, query: str, *, nearest: bool = False) -> str:
    c = hit.chunk
    terms = query_terms(query)
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


def answer_box(answer, query: str, *, chunk_id: str | None = None) -> str:
    """The extracted answer above the results, with its citation and copy buttons."""
    terms = query_terms(query)
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


def no_answer_box(unknown: list[str], has_hits: bool) -> str:
    detail = ""
    if unknown:
        words = ", ".join(f"“{esc(w)}”" for w in unknown)
        detail = f" Các văn bản không có từ {words}."
    nearest = " Dưới đây là các đoạn gần nhất, chỉ để tham khảo." if has_hits else ""
    return (
        '<section class="tc-empty" id="tc-no-answer">Không tìm thấy nội dung phù hợp trong '
        f"các văn bản.{detail}{nearest}</section>"
    )


def _sentence_case(text: str) -> str:
    """'TIẾN ĐỘ THỰC HIỆN' → 'Tiến độ thực hiện'; mixed-case text is left alone."""
    letters = [c for c in text if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        return text[:1] + text[1:].lower()
    return text


def document_label(meta) -> str:
    """'Chương trình hành động số 01/CTr-UBND của Ủy ban nhân dân tỉnh Cà Mau'."""
    name = meta.doc_type or "Văn bản"
    if meta.number:
        name += f" số {meta.number}"
    if meta.issuer:
        name += f" của {meta.issuer}"
    return name if (meta.doc_type or meta.number) else f"{name} {meta.doc}"


def timeline_box(stages: Sequence[Stage], query: str, *, open_: bool = True) -> str:
    """Documents that mention the query's subject, oldest first, with what each says."""
    if not stages:
        return ""
    terms = query_terms(query)
    items = []
    for stage in stages:
        period = f" · giai đoạn {esc(stage.period)}" if stage.period else ""
        mentions = []
        for m in stage.mentions:
            facts = "".join(
                f'<li><span class="tc-tl-head">{esc(_sentence_case(h))}:</span> {esc(v)}</li>'
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


def context_box(view: ContextView, query: str, *, nonce: str = "") -> str:
    """The passage inside its section or table, in a dialog over the page."""
    terms = query_terms(query)
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


def _context_text(view: ContextView, terms: set[str]) -> str:
    out = []
    for c in view.paragraphs:
        is_target = c.id == view.target.id
        text = highlight(c.text, terms) if is_target else esc(c.text)
        cls = "tc-ctx-para tc-ctx-target" if is_target else "tc-ctx-para"
        out.append(f'<div class="{cls}"><span class="tc-ctx-lines">{where(c)}</span>{text}</div>')
    return "".join(out)


def _context_table(view: ContextView, terms: set[str]) -> str:
    n = max(1, len(view.columns))
    head = "".join(f"<th>{esc(_sentence_case(h))}</th>" for h in view.columns)
    rows = []
    for row in view.rows:
        if row.group:
            rows.append(f'<tr class="tc-ctx-group"><td colspan="{n}">{esc(row.group)}</td></tr>')
        is_target = row.chunk.id == view.target.id
        # Neighbouring rows are there for orientation; long cells are cut to keep them short.
        cells = "".join(
            f"<td>{highlight(v, terms) if is_target else esc(_cut(v, 220))}</td>"
            for v in row.values
        )
        cls = ' class="tc-ctx-target"' if is_target else ""
        rows.append(f"<tr{cls}>{cells}</tr>")
    caption = f"<caption>{esc(view.table_title)}</caption>" if view.table_title else ""
    return (
        f'<div class="tc-ctx-tablewrap"><table class="tc-ctx-table">{caption}'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


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


CSS = """
.gradio-container{max-width:1180px !important;width:100% !important;margin:0 auto !important}
#tc-title h2{margin-bottom:0}
.tc-examples{display:flex;gap:6px;flex-wrap:wrap;align-items:center;font-size:.9em}
.tc-examples span{color:#57606a}
.tc-example{border:1px solid #d0d7de;border-radius:999px;background:#f6f8fa;padding:3px 12px;
  cursor:pointer;color:#1f2328;display:inline-flex;align-items:center;margin:0}
.tc-example:hover{background:#ddf4ff}
/* Empty panels take no room until a search fills them. */
#tc-answer-box:not(:has(section)),#tc-timeline:not(:has(details)),
#tc-results:not(:has(article)),#tc-context:not(:has(.tc-ctx-overlay)){display:none}
#tc-status p{margin:2px 0}
#tc-search,#tc-upload-pick,#tc-upload-go{align-self:flex-end;min-height:46px;max-height:64px}
.tc-card{border:1px solid #d0d7de;border-radius:8px;padding:12px 14px;margin:10px 0;
  background:#fff;overflow-wrap:anywhere}
.tc-card header{display:flex;gap:10px;align-items:center;font-size:.85em;color:#57606a;
  flex-wrap:wrap}
.tc-pick{display:inline-flex;gap:4px;align-items:center;cursor:pointer}
.tc-rank{font-weight:700;color:#0969da}
.tc-kind{background:#eef2f6;border-radius:4px;padding:1px 6px}
.tc-score{margin-left:auto}
.tc-cite{font-weight:600;margin:6px 0 2px 0;overflow-wrap:anywhere}
.tc-meta{font-size:.85em;color:#57606a;overflow-wrap:anywhere}
.tc-table{font-size:.85em;color:#6e7781;font-style:italic;margin-top:4px}
.tc-text{white-space:pre-wrap;margin-top:8px;line-height:1.5}
.tc-text mark,.tc-answer-text mark,.tc-ctx mark,.tc-tl mark{background:#fff3b0;padding:0 1px}
.tc-actions{margin-top:8px;display:flex;gap:8px;flex-wrap:wrap}
.tc-copy,.tc-ctx-open,.tc-ctx-close,.tc-example{font:inherit;font-size:.9em;font-weight:500;
  line-height:1.4;text-transform:none}
.tc-copy,.tc-ctx-open,.tc-ctx-close{border:1px solid #d0d7de;border-radius:6px;
  background:#f6f8fa;padding:4px 10px;cursor:pointer;color:#1f2328}
.tc-ctx-open{background:#ddf4ff;border-color:#54aeff}
.tc-copy.done{background:#dafbe1}
.tc-empty{padding:12px;border-radius:8px;background:#fff8c5;margin:8px 0;color:#1f2328}
.tc-answer{border:2px solid #1f883d;border-radius:8px;padding:12px 14px;margin:8px 0;
  background:#f0fff4;color:#1f2328;overflow-wrap:anywhere}
.tc-answer-label{font-size:.8em;text-transform:uppercase;color:#1a7f37;font-weight:700}
.tc-answer-text{font-size:1.05em;margin:6px 0;white-space:pre-wrap}
.tc-card.tc-nearest{opacity:.85;border-style:dashed}
.tc-timeline{border:1px solid #d0d7de;border-radius:8px;padding:8px 14px;margin:8px 0;
  background:#f6f8fa;color:#1f2328}
.tc-timeline summary{font-weight:700;cursor:pointer;padding:4px 0}
.tc-tl{list-style:none;margin:6px 0 0 0;padding:0 0 0 14px;border-left:3px solid #54aeff}
.tc-tl-stage{position:relative;margin:0 0 12px 0;padding-left:8px}
.tc-tl-stage:before{content:"";position:absolute;left:-23px;top:4px;width:12px;height:12px;
  border-radius:50%;background:#0969da;border:2px solid #fff}
.tc-tl-when{font-weight:700;color:#0969da}
.tc-tl-doc{font-size:.9em;color:#57606a;margin-bottom:4px;overflow-wrap:anywhere}
.tc-tl-mentions{list-style:none;margin:0;padding:0}
.tc-tl-mention{background:#fff;border:1px solid #d8dee4;border-radius:6px;padding:6px 10px;
  margin:4px 0;overflow-wrap:anywhere}
.tc-tl-name{font-weight:600}
.tc-tl-facts{margin:4px 0 0 0;padding-left:18px;font-size:.92em}
.tc-tl-head{color:#57606a}
.tc-tl-cite{font-size:.82em;color:#57606a;margin-top:4px}
.tc-tl-more{font-size:.85em;color:#57606a}
#tc-context{position:static}
.tc-ctx-overlay{position:fixed;inset:0;z-index:1000;display:flex;align-items:center;
  justify-content:center}
.tc-ctx-overlay[hidden]{display:none}
.tc-ctx-backdrop{position:absolute;inset:0;background:rgba(15,23,42,.55)}
.tc-ctx{position:relative;background:#fff;color:#1f2328;border-radius:10px;
  width:min(1000px,calc(100vw - 24px));max-height:calc(100vh - 32px);overflow:auto;
  padding:14px 18px;box-shadow:0 12px 40px rgba(0,0,0,.35);overflow-wrap:anywhere}
.tc-ctx-top{display:flex;align-items:center;gap:10px;position:sticky;top:-14px;
  background:#fff;padding:6px 0;z-index:2}
.tc-ctx-titles{flex:1;min-width:0}
.tc-ctx-top h3{margin:0;font-size:1.1em}
.tc-ctx-doc{font-size:.85em;color:#57606a}
.tc-ctx-meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;font-size:.9em;
  margin:6px 0 8px 0}
.tc-ctx-meta dt{color:#57606a}
.tc-ctx-meta dd{margin:0}
.tc-ctx-heading{font-size:.9em;color:#57606a;border-left:3px solid #d0d7de;padding-left:8px;
  margin:10px 0 6px 0}
.tc-ctx-para{white-space:pre-wrap;line-height:1.5;padding:6px 8px;margin:4px 0;
  border-radius:6px}
.tc-ctx-lines{display:block;font-size:.75em;color:#6e7781}
.tc-ctx-target{background:#fffbe6;outline:2px solid #d4a72c}
.tc-ctx .tc-ctx-target mark{background:#ffd33d}
.tc-ctx-skip{font-size:.85em;color:#6e7781;font-style:italic;margin:4px 0}
.tc-ctx-table thead th{position:sticky;top:calc(var(--tc-bar,40px) - 1px);z-index:1}
/* Separate borders: collapsed ones stay behind when the sticky header moves. */
.tc-ctx-table{border-collapse:separate;border-spacing:0;font-size:.85em;min-width:100%;
  border-top:1px solid #d0d7de;border-left:1px solid #d0d7de}
.tc-ctx-table caption{text-align:left;font-style:italic;color:#57606a;padding:4px 0}
.tc-ctx-table th,.tc-ctx-table td{border:0;border-right:1px solid #d0d7de;
  border-bottom:1px solid #d0d7de;padding:4px 6px;vertical-align:top;
  text-align:left;white-space:pre-wrap;overflow-wrap:normal;word-break:normal;min-width:5.5em}
.tc-ctx-table th{background:#f6f8fa}
.tc-ctx-group td{background:#eef2f6;font-weight:600}
html.tc-noscroll,html.tc-noscroll body{overflow:hidden}
#tc-export-note p{margin:0;font-size:.9em;color:#57606a}
#tc-footer p{font-size:.8em;color:#6e7781;text-align:center}
@media (max-width: 640px){
  .tc-card,.tc-answer{padding:10px}
  .tc-ctx{padding:10px 12px;width:calc(100vw - 12px);max-height:calc(100vh - 12px)}
  .tc-ctx-top{top:-10px}
  .tc-ctx-meta{font-size:.82em;gap:1px 8px}
}
@media (prefers-color-scheme: dark){
  .tc-card{background:#0d1117;border-color:#30363d;color:#e6edf3}
  .tc-text mark,.tc-ctx mark{color:#1f2328}
}
"""

# Clicks on copy buttons, delegated from the container (inline handlers would need unescaped
# text in attributes). The same handler opens the context view and reports selections.
COPY_JS = """
element.addEventListener('click', async (e) => {
  const ctx = e.target.closest('[data-ctx]');
  if (ctx) { trigger('select', {chunk: ctx.dataset.ctx}); return; }
  const btn = e.target.closest('[data-copy]');
  if (!btn) return;
  const text = btn.dataset.copy;
  try { await navigator.clipboard.writeText(text); }
  catch (err) {
    const ta = document.createElement('textarea');
    ta.value = text; ta.setAttribute('readonly', ''); ta.style.position = 'fixed';
    ta.style.opacity = '0'; document.body.appendChild(ta); ta.select();
    document.execCommand('copy'); ta.remove();
  }
  window.__tracuuLastCopied = text;
  btn.classList.add('done');
  const old = btn.textContent; btn.textContent = 'Đã sao chép';
  setTimeout(() => { btn.textContent = old; btn.classList.remove('done'); }, 1500);
});
element.addEventListener('change', (e) => {
  if (!e.target.matches('input[data-pick]')) return;
  const picked = [...element.querySelectorAll('input[data-pick]:checked')];
  trigger('input', {selected: picked.map((x) => x.dataset.pick)});
});
"""

# The context dialog: shown whenever new content arrives, closed by its button, the
# backdrop or Escape; the highlighted passage is scrolled into view.
CONTEXT_JS = (
    COPY_JS
    + """
let tcReturnTo = null;
const tcOpen = () => {
  const o = element.querySelector('.tc-ctx-overlay');
  if (!o) return;
  if (!element.contains(document.activeElement)) tcReturnTo = document.activeElement;
  o.hidden = false;
  document.documentElement.classList.add('tc-noscroll');
  const t = o.querySelector('.tc-ctx-target');
  if (t) t.scrollIntoView({block: 'center'});
  // The table header sticks right below the dialog's own sticky title bar.
  const box = o.querySelector('.tc-ctx');
  const bar = o.querySelector('.tc-ctx-top');
  if (box && bar) {
    const below = bar.offsetHeight + (parseFloat(getComputedStyle(bar).top) || 0);
    box.style.setProperty('--tc-bar', Math.max(0, Math.round(below)) + 'px');
  }
  const c = o.querySelector('.tc-ctx-close');
  if (c) c.focus({preventScroll: true});
};
const tcClose = () => {
  const open = element.querySelector('.tc-ctx-overlay:not([hidden])');
  element.querySelectorAll('.tc-ctx-overlay').forEach((o) => { o.hidden = true; });
  document.documentElement.classList.remove('tc-noscroll');
  // Back to the button that opened the dialog, for keyboard users.
  if (open && tcReturnTo && document.contains(tcReturnTo)) tcReturnTo.focus();
};
element.addEventListener('click', (e) => { if (e.target.closest('[data-close]')) tcClose(); });
document.addEventListener('keydown', (e) => { if (e.key === 'Escape') tcClose(); });
watch('value', tcOpen);
tcOpen();
"""
)

# Example queries: a click searches for the example.
EXAMPLES_JS = """
element.addEventListener('click', (e) => {
  const b = e.target.closest('[data-example]');
  if (b) trigger('click', {example: b.dataset.example});
});
"""

# Keeps the address bar in step with the search, so a search can be shared as a link.
URL_JS = """
(q) => {
  const url = new URL(window.location.href);
  const v = (q || '').trim();
  if (v) url.searchParams.set('q', v); else url.searchParams.delete('q');
  window.history.replaceState(null, '', url.toString());
}
"""
