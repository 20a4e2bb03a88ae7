// Keeps the address bar in step with the search, so a search can be shared as a link.
(q) => {
  const url = new URL(window.location.href);
  const v = (q || '').trim();
  if (v) url.searchParams.set('q', v); else url.searchParams.delete('q');
  window.history.replaceState(null, '', url.toString());
}
