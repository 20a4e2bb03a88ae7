// Example queries: a click searches for the example.
element.addEventListener('click', (e) => {
  const b = e.target.closest('[data-example]');
  if (b) trigger('click', {example: b.dataset.example});
});
