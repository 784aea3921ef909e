// Small SVG chart kit: a multi-series line/area chart and a horizontal bar chart.
// Labels are set with textContent (via s()/h()), so data can never inject markup.
// Charts size themselves to their container and redraw on resize. Each chart also
// gets a collapsible data table so the numbers are available to screen readers and
// keyboard users.
import { h, s, mount } from './dom.js';
import { num, shortDay } from './format.js';

/** A "nice" axis: step from 1/2/5×10^k, top = step × ticks ≥ v. */
function niceAxis(v, target = 4) {
  if (v <= 0) return { max: 1, step: 0.25 };
  const raw = v / target;
  const exp = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * exp).find((s) => s >= raw);
  return { max: Math.ceil(v / step) * step, step };
}

/** Indices for x labels: evenly spaced, always the first and the last, never crowded. */
function tickIndices(n, maxTicks) {
  if (n <= 1) return [0];
  const step = Math.max(1, Math.ceil((n - 1) / Math.max(1, maxTicks - 1)));
  const out = [];
  for (let i = 0; i < n; i += step) out.push(i);
  if (out[out.length - 1] !== n - 1) {
    if (n - 1 - out[out.length - 1] < step * 0.75) out.pop();
    out.push(n - 1);
  }
  return out;
}

function observe(box, draw) {
  let last = 0;
  const redraw = () => {
    const w = Math.round(box.clientWidth);
    if (w > 0 && Math.abs(w - last) > 4) { last = w; draw(w); }
  };
  if ('ResizeObserver' in window) new ResizeObserver(redraw).observe(box);
  else window.addEventListener('resize', redraw);
  requestAnimationFrame(redraw);
  draw(box.clientWidth || 600); last = box.clientWidth || 600;
}

function dataTable(caption, headers, rows) {
  return h('details', { class: 'chart-data' },
    h('summary', null, 'Show data'),
    h('div', { class: 'table-wrap' },
      h('table', { class: 'data-table compact' },
        h('caption', { class: 'visually-hidden' }, caption),
        h('thead', null, h('tr', null, headers.map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', null, rows.map((r) => h('tr', null, r.map((c, i) => (i === 0 ? h('th', { scope: 'row' }, c) : h('td', null, c)))))))));
}

/**
 * Line chart. points: [{date, ...values}], lines: [{key, label, cls}].
 * Returns a <figure> element.
 */
export function lineChart({ title, points, lines, height = 240 }) {
  const box = h('div', { class: 'chart-box' });
  const legend = h('ul', { class: 'chart-legend' },
    lines.map((l) => h('li', null, h('span', { class: `swatch ${l.cls}`, 'aria-hidden': 'true' }), l.label)));
  const total = (k) => points.reduce((a, p) => a + (Number(p[k]) || 0), 0);
  const summary = `${title}: ${points.length} days. ${lines.map((l) => `${l.label} ${num(total(l.key))} in total`).join(', ')}.`;
  const fig = h('figure', { class: 'chart' }, h('figcaption', null, title), legend, box,
    dataTable(title, ['Date', ...lines.map((l) => l.label)], points.map((p) => [shortDay(p.date), ...lines.map((l) => num(p[l.key]))])));

  if (!points.length) { mount(box, h('p', { class: 'empty' }, 'No data for this period.')); return fig; }

  observe(box, (width) => {
    const W = Math.max(280, width); const H = height;
    const m = { top: 12, right: 12, bottom: 28, left: 40 };
    const iw = W - m.left - m.right; const ih = H - m.top - m.bottom;
    const { max, step } = niceAxis(Math.max(1, ...points.flatMap((p) => lines.map((l) => Number(p[l.key]) || 0))));
    const x = (i) => m.left + (points.length === 1 ? iw / 2 : (i * iw) / (points.length - 1));
    const y = (v) => m.top + ih - (v / max) * ih;
    const svg = s('svg', { class: 'chart-svg', viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', 'aria-label': summary });
    svg.appendChild(s('title', null, summary));
    const grid = s('g', { class: 'grid' });
    for (let k = 0; k * step <= max + step / 2; k += 1) {
      const v = Math.round(k * step * 1e6) / 1e6; const yy = y(v);
      grid.appendChild(s('line', { x1: m.left, x2: W - m.right, y1: yy, y2: yy }));
      grid.appendChild(s('text', { x: m.left - 6, y: yy + 4, 'text-anchor': 'end', class: 'axis-label' }, Number.isInteger(v) ? num(v) : num(v, 2)));
    }
    svg.appendChild(grid);
    const xAxis = s('g', { class: 'x-axis' });
    const idx = tickIndices(points.length, Math.max(2, Math.floor(iw / 72)));
    idx.forEach((i, t) => {
      xAxis.appendChild(s('text', { x: x(i), y: H - 8, 'text-anchor': t === 0 ? 'start' : t === idx.length - 1 ? 'end' : 'middle', class: 'axis-label' }, shortDay(points[i].date)));
    });
    svg.appendChild(xAxis);
    for (const l of lines) {
      const d = points.map((p, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(Number(p[l.key]) || 0).toFixed(1)}`).join(' ');
      const area = `${d} L${x(points.length - 1).toFixed(1)},${y(0)} L${x(0).toFixed(1)},${y(0)} Z`;
      svg.appendChild(s('path', { d: area, class: `area ${l.cls}` }));
      svg.appendChild(s('path', { d, class: `line ${l.cls}` }));
      if (points.length <= 62) {
        const dots = s('g', { class: `dots ${l.cls}` });
        points.forEach((p, i) => dots.appendChild(s('circle', { cx: x(i), cy: y(Number(p[l.key]) || 0), r: 2.5 },
          s('title', null, `${shortDay(p.date)} — ${l.label}: ${num(p[l.key])}`))));
        svg.appendChild(dots);
      }
    }
    mount(box, svg);
  });
  return fig;
}

/**
 * Horizontal bar chart. items: [{label, value, href?}]; format(value) → string.
 */
export function barChart({ title, items, format = (v) => num(v), cls = 'bar-a', emptyText = 'No data for this period.' }) {
  const box = h('div', { class: 'chart-box' });
  const fig = h('figure', { class: 'chart' }, h('figcaption', null, title), box,
    dataTable(title, ['Name', 'Value'], items.map((it) => [it.label, format(it.value)])));
  if (!items.length) { mount(box, h('p', { class: 'empty' }, emptyText)); return fig; }
  const summary = `${title}: ${items.slice(0, 5).map((it) => `${it.label} ${format(it.value)}`).join(', ')}${items.length > 5 ? ', …' : ''}`;

  observe(box, (width) => {
    const W = Math.max(260, width);
    const rowH = 26; const labelW = Math.min(170, Math.round(W * 0.38)); const valueW = 64;
    const H = items.length * rowH + 8;
    const max = Math.max(1, ...items.map((it) => Number(it.value) || 0));
    const bw = W - labelW - valueW - 8;
    const svg = s('svg', { class: 'chart-svg', viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', 'aria-label': summary });
    svg.appendChild(s('title', null, summary));
    const maxChars = Math.max(6, Math.floor(labelW / 7.2));
    items.forEach((it, i) => {
      const yy = 4 + i * rowH;
      const label = it.label.length > maxChars ? `${it.label.slice(0, maxChars - 1)}…` : it.label;
      const text = s('text', { x: labelW - 8, y: yy + rowH / 2 + 4, 'text-anchor': 'end', class: 'bar-label' }, label);
      const g = s('g', { class: 'bar-row' },
        s('title', null, `${it.label}: ${format(it.value)}`),
        s('rect', { x: labelW, y: yy + 4, width: Math.max(2, ((Number(it.value) || 0) / max) * bw), height: rowH - 8, rx: 3, class: `bar ${cls}` }),
        s('text', { x: labelW + Math.max(2, ((Number(it.value) || 0) / max) * bw) + 6, y: yy + rowH / 2 + 4, class: 'bar-value' }, format(it.value)));
      if (it.href) {
        const a = s('a', { href: it.href, class: 'bar-link' }, text);
        a.setAttribute('aria-label', `${it.label}: ${format(it.value)}`);
        g.insertBefore(a, g.firstChild);
      } else g.insertBefore(text, g.firstChild);
      svg.appendChild(g);
    });
    mount(box, svg);
  });
  return fig;
}
