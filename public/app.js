// Small comforts on top of pages that work without scripts: Copy buttons,
// times in the reader's own zone, and the create form's zone.
(() => {
  for (const button of document.querySelectorAll('[data-copy]')) {
    const field = document.getElementById(button.getAttribute('data-copy'));
    if (!field || !navigator.clipboard) continue;
    button.hidden = false;
    button.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(field.value);
        button.textContent = 'Copied';
      } catch {
        field.select();
      }
    });
  }

  const local = new Intl.DateTimeFormat(undefined, {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
  for (const time of document.querySelectorAll('time[datetime]')) {
    const at = new Date(time.getAttribute('datetime'));
    if (!Number.isNaN(at.getTime())) time.textContent = local.format(at);
  }

  // The closing time is typed in local time; tell the server which zone that is.
  const offset = document.querySelector('[data-tz-offset]');
  const hint = document.querySelector('[data-tz-hint]');
  if (offset) offset.value = String(new Date().getTimezoneOffset());
  if (hint)
    hint.textContent = 'In your time zone. Leave it empty to close the poll by hand.';
})();
