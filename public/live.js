// Live results: while a poll is open, its results page listens to the
// server's event stream and redraws the figures, bars, chart and total in
// place. Screen readers hear a short summary now and then, not every change.
(() => {
  const root = document.querySelector('[data-live-results]');
  if (!root || typeof EventSource !== 'function') return;

  const ANNOUNCE_EVERY_MS = 20000;
  const RADIUS = 42;
  const CIRCUMFERENCE = 2 * Math.PI * RADIUS;
  const PALETTE_SIZE = 10;
  const SVG = 'http://www.w3.org/2000/svg';

  const rows = root.querySelectorAll('li.result');
  const region = liveRegion();
  const source = new EventSource(root.getAttribute('data-live-results'));
  let first = true;
  let lastData = '';
  let lastAnnouncedAt = 0;
  let announceTimer;

  source.addEventListener('results', (event) => {
    // A reconnection starts with the current results, often the ones shown.
    if (event.data === lastData) return;
    lastData = event.data;
    const data = JSON.parse(event.data);
    // The options never change once a poll exists; if they ever differ, the
    // page no longer matches and a reload is the honest answer.
    if (data.options.length !== rows.length) return source.close();
    render(data);
    if (!data.poll.open) {
      source.close();
      announce(`The poll has closed. ${summary(data)}`);
    } else if (!first) {
      announceLater(data);
    }
    first = false;
  });

  function render(data) {
    data.options.forEach((option, i) => {
      const share = percentOf(option.votes, data.total);
      const row = rows[i];
      setText(
        row.querySelector('.figures'),
        `${plural(option.votes, 'vote', 'votes')}, ${percentText(share)}%`,
      );
      const bar = row.querySelector('progress');
      if (bar) bar.value = Number(share.toFixed(2));
    });
    setText(
      root.querySelector('.total'),
      `${plural(data.ballots, 'voter', 'voters')} in all`,
    );
    drawDonut(data);
  }

  function drawDonut(data) {
    const svg = root.querySelector('svg.donut');
    const group = svg?.querySelector('g');
    if (!group) return;
    for (const old of group.querySelectorAll('.slice')) old.remove();
    let start = 0;
    data.options.forEach((option, i) => {
      const length = (percentOf(option.votes, data.total) / 100) * CIRCUMFERENCE;
      if (option.votes > 0) group.appendChild(slice(i, start, length));
      start += length;
    });
    setText(svg.querySelector('.donut-total'), String(data.ballots));
    setText(svg.querySelector('.donut-caption'), data.ballots === 1 ? 'voter' : 'voters');
  }

  function slice(index, start, length) {
    const circle = document.createElementNS(SVG, 'circle');
    circle.setAttribute('class', `slice c${(index % PALETTE_SIZE) + 1}`);
    circle.setAttribute('cx', '60');
    circle.setAttribute('cy', '60');
    circle.setAttribute('r', String(RADIUS));
    circle.setAttribute(
      'stroke-dasharray',
      `${length.toFixed(2)} ${(CIRCUMFERENCE - length).toFixed(2)}`,
    );
    circle.setAttribute('stroke-dashoffset', (-start).toFixed(2));
    return circle;
  }

  /** At most one announcement per interval, always with the latest figures. */
  function announceLater(data) {
    const wait = lastAnnouncedAt + ANNOUNCE_EVERY_MS - Date.now();
    clearTimeout(announceTimer);
    if (wait <= 0) return announce(`Results updated. ${summary(data)}`);
    announceTimer = setTimeout(() => announce(`Results updated. ${summary(data)}`), wait);
  }

  function announce(text) {
    clearTimeout(announceTimer);
    lastAnnouncedAt = Date.now();
    region.textContent = text;
  }

  function summary(data) {
    const total = `${plural(data.ballots, 'voter', 'voters')} in all.`;
    const sorted = [...data.options].sort((a, b) => b.votes - a.votes);
    const [top, next] = sorted;
    if (!top || top.votes === 0 || (next && next.votes === top.votes)) return total;
    const share = percentText(percentOf(top.votes, data.total));
    return `${total} Leading: ${top.label}, ${share}%.`;
  }

  /** A polite status region, hidden from sight but not from screen readers. */
  function liveRegion() {
    const element = document.createElement('p');
    element.setAttribute('role', 'status');
    element.setAttribute('aria-live', 'polite');
    element.setAttribute('aria-atomic', 'true');
    // CSSOM properties, not a style attribute: the CSP allows these.
    Object.assign(element.style, {
      position: 'absolute',
      width: '1px',
      height: '1px',
      margin: '-1px',
      padding: '0',
      overflow: 'hidden',
      clip: 'rect(0 0 0 0)',
      whiteSpace: 'nowrap',
      border: '0',
    });
    root.appendChild(element);
    return element;
  }

  function setText(element, text) {
    if (element && element.textContent !== text) element.textContent = text;
  }

  function percentOf(votes, total) {
    return total === 0 ? 0 : (votes / total) * 100;
  }

  function percentText(share) {
    return share.toFixed(share > 0 && share < 10 ? 1 : 0);
  }

  function plural(n, one, many) {
    return `${n} ${n === 1 ? one : many}`;
  }
})();
