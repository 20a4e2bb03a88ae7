// Clicks on copy buttons, delegated from the container (inline handlers would need
// unescaped text in attributes). The same handler opens the context view and reports
// selections for export. Runs as a gr.HTML js_on_load script: `element`, `trigger`.
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
