"""HTML for result cards. Every piece of document text is escaped before it is shown."""

from __future__ import annotations

import html
import re

from .lexical import _QUERY_STOP
from .records import Hit
from .textnorm import fold, nfc

_WORD = re.compile(r"(\w+)", re.UNICODE)


def query_terms(query: str) -> set[str]:
    """Folded words of the query worth highlighting."""
    return {
        fold(w.lower()) for w in _WORD.findall(nfc(query)) if fold(w.lower()) not in _QUERY_STOP
    }


def highlight(text: str, terms: set[str]) -> str:
    """Escape ``text`` and wrap words that match the query (diacritics ignored) in <mark>."""
    out = []
    for part in _WORD.split(text):
        if not part:
            continue
        esc = html.escape(part)
        if _WORD.fullmatch(part) and fold(part.lower()) in terms:
            out.append(f"<mark>{esc}</mark>")
        else:
            out.append(esc)
    return "".join(out)


def quotation(hit: Hit) -> str:
    """Passage and citation as a memo quotation: Theo <citation>: "<passage>"."""
    passage = " ".join(hit.text.split())
    return f'Theo {hit.citation}: "{passage}"'


def result_card(hit: Hit, query: str, *, nearest: bool = False) -> str:
    c = hit.chunk
    terms = query_terms(query)
    section = " > ".join(c.section) or "Phần mở đầu"
    kind = "Dòng bảng" if c.kind == "table_row" else "Đoạn văn"
    title = html.escape(c.table_title or "")
    extra = f'<div class="tc-table">{title}</div>' if c.kind == "table_row" and title else ""
    body = highlight(c.text, terms)
    label = f"Đoạn gần nhất #{hit.rank}" if nearest else f"#{hit.rank}"
    cls = "tc-card tc-nearest" if nearest else "tc-card"
    return (
        f'<article class="{cls}" data-rank="{hit.rank}">'
        f'<header><span class="tc-rank">{label}</span>'
        f'<span class="tc-kind">{kind}</span>'
        f'<span class="tc-score" title="Điểm xếp hạng">{hit.score:.3f}</span></header>'
        f'<div class="tc-cite">{html.escape(c.citation)}</div>'
        f'<div class="tc-meta">{html.escape(c.doc)} · dòng {c.line_start}–{c.line_end}'
        f" · {html.escape(section)}</div>"
        f"{extra}"
        f'<div class="tc-text">{body}</div>'
        '<div class="tc-actions">'
        f'<button class="tc-copy" data-copy="{html.escape(c.citation, quote=True)}">'
        "Sao chép trích dẫn</button>"
        f'<button class="tc-copy" data-copy="{html.escape(quotation(hit), quote=True)}">'
        "Sao chép đoạn + trích dẫn</button>"
        "</div></article>"
    )


def answer_box(answer, query: str) -> str:
    """The extracted answer above the results, with its citation and a copy button."""
    terms = query_terms(query)
    quote = f'Theo {answer.citation}: "{" ".join(answer.text.split())}"'
    return (
        '<section class="tc-answer" id="tc-answer">'
        '<div class="tc-answer-label">Trả lời (trích nguyên văn)</div>'
        f'<div class="tc-answer-text">{highlight(answer.text, terms)}</div>'
        f'<div class="tc-cite">{html.escape(answer.citation)}</div>'
        f'<div class="tc-meta">{html.escape(answer.doc)} · dòng {answer.line_start}–'
        f"{answer.line_end}</div>"
        '<div class="tc-actions">'
        f'<button class="tc-copy" data-copy="{html.escape(answer.citation, quote=True)}">'
        "Sao chép trích dẫn</button>"
        f'<button class="tc-copy" data-copy="{html.escape(quote, quote=True)}">'
        "Sao chép câu trả lời + trích dẫn</button></div></section>"
    )


def no_answer_box(unknown: list[str], has_hits: bool) -> str:
    detail = ""
    if unknown:
        words = ", ".join(f"“{html.escape(w)}”" for w in unknown)
        detail = f" Các văn bản không có từ {words}."
    nearest = " Dưới đây là các đoạn gần nhất, chỉ để tham khảo." if has_hits else ""
    return (
        '<section class="tc-empty" id="tc-no-answer">Không tìm thấy nội dung phù hợp trong '
        f"các văn bản.{detail}{nearest}</section>"
    )


CSS = """
.tc-card{border:1px solid #d0d7de;border-radius:8px;padding:12px 14px;margin:10px 0;background:#fff}
.tc-card header{display:flex;gap:10px;align-items:center;font-size:.85em;color:#57606a}
.tc-rank{font-weight:700;color:#0969da}
.tc-kind{background:#eef2f6;border-radius:4px;padding:1px 6px}
.tc-score{margin-left:auto}
.tc-cite{font-weight:600;margin:6px 0 2px 0}
.tc-meta{font-size:.85em;color:#57606a}
.tc-table{font-size:.85em;color:#6e7781;font-style:italic;margin-top:4px}
.tc-text{white-space:pre-wrap;margin-top:8px;line-height:1.5}
.tc-text mark{background:#fff3b0;padding:0 1px}
.tc-actions{margin-top:8px;display:flex;gap:8px;flex-wrap:wrap}
.tc-copy{border:1px solid #d0d7de;border-radius:6px;background:#f6f8fa;padding:3px 10px;
  cursor:pointer}
.tc-copy.done{background:#dafbe1}
.tc-empty{padding:12px;border-radius:8px;background:#fff8c5;margin:8px 0}
.tc-answer{border:2px solid #1f883d;border-radius:8px;padding:12px 14px;margin:8px 0;
  background:#f0fff4}
.tc-answer-label{font-size:.8em;text-transform:uppercase;color:#1a7f37;font-weight:700}
.tc-answer-text{font-size:1.05em;margin:6px 0;white-space:pre-wrap}
.tc-card.tc-nearest{opacity:.85;border-style:dashed}
@media (prefers-color-scheme: dark){.tc-card{background:#0d1117;border-color:#30363d}}
"""

# Clicks on copy buttons, delegated from the results container (inline handlers would need
# unescaped text in attributes).
COPY_JS = """
element.addEventListener('click', async (e) => {
  const btn = e.target.closest('[data-copy]');
  if (!btn) return;
  const text = btn.dataset.copy;
  try { await navigator.clipboard.writeText(text); }
  catch (err) {
    const ta = document.createElement('textarea');
    ta.value = text; document.body.appendChild(ta); ta.select();
    document.execCommand('copy'); ta.remove();
  }
  window.__tracuuLastCopied = text;
  btn.classList.add('done');
  const old = btn.textContent; btn.textContent = 'Đã sao chép';
  setTimeout(() => { btn.textContent = old; btn.classList.remove('done'); }, 1500);
});
"""
