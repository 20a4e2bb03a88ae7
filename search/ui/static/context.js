// The context dialog: shown whenever new content arrives, closed by its button, the
// backdrop or Escape; the highlighted passage is scrolled into view. Loaded after copy.js.
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
