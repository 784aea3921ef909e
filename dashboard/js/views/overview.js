// Overview: KPI cards with previous-period comparison, period selector, and charts
// (created vs resolved per day, status distribution, top companies).
import { h, mount } from '../dom.js';
import * as api from '../api.js';
import * as shapes from '../api-shapes.js';
import { num, hours, percent, change, date } from '../format.js';
import { lineChart, barChart } from '../charts.js';
import { loading, errorBox, pageHeader, link, announce } from '../ui.js';

const PERIOD_LABELS = { '7d': '7 days', '30d': '30 days', '90d': '90 days', '365d': '12 months' };
const PERIOD_SHORT = { '7d': '7 days', '30d': '30 days', '90d': '90 days', '365d': '1 year' };
const CATEGORY_LABELS = { open: 'Open', in_progress: 'In progress', resolved: 'Resolved', closed: 'Closed' };
const METRICS = [['tickets', 'Tickets'], ['hours', 'Hours'], ['billable_hours', 'Billable hours']];

/** Long series (a year of days) read better as weekly sums; each bucket is dated by its first day. */
function bucket(series) {
  if (series.length <= 120) return { points: series, per: 'day' };
  const points = [];
  for (let i = 0; i < series.length; i += 7) {
    const week = series.slice(i, i + 7);
    points.push({ date: week[0].date, created: week.reduce((a, p) => a + p.created, 0), resolved: week.reduce((a, p) => a + p.resolved, 0) });
  }
  return { points, per: 'week' };
}

function fmt(unit, v) { return unit === 'hours' ? hours(v) : unit === 'ratio' ? percent(v) : num(v); }

function kpiCard(k) {
  const c = change(k.value, k.previous);
  const head = [h('span', { class: 'kpi-label' }, k.label), h('span', { class: 'kpi-value' }, fmt(k.unit, k.value))];
  if (c === null) {
    const hasPrev = k.previous !== null && k.previous !== undefined && k.previous !== '';
    return h('li', { class: 'kpi-card card' }, head,
      h('span', { class: 'kpi-delta na' }, k.note && !hasPrev ? k.note : hasPrev ? `vs ${fmt(k.unit, k.previous)}` : 'no comparison'));
  }
  let cls = 'flat'; let arrow = '→'; let words = 'no change';
  if (c !== 0) {
    arrow = c > 0 ? '▲' : '▼';
    words = `${c > 0 ? 'up' : 'down'} ${num(Math.abs(c) * 100, 1)}% on the previous period`;
    if (k.higherIsBetter === null) cls = 'neutral';
    else cls = (c > 0) === k.higherIsBetter ? 'good' : 'bad';
  }
  return h('li', { class: 'kpi-card card' }, head,
    h('span', { class: ['kpi-delta', cls] },
      h('span', { 'aria-hidden': 'true' }, `${arrow} ${num(Math.abs(c) * 100, 1)}%`),
      h('span', { class: 'visually-hidden' }, words),
      h('span', { class: 'kpi-prev' }, ` vs ${fmt(k.unit, k.previous)}`)));
}

export function render(ctx) {
  const period = shapes.PERIODS.includes(ctx.query.get('period')) ? ctx.query.get('period') : '30d';
  let metric = METRICS.some(([m]) => m === ctx.query.get('metric')) ? ctx.query.get('metric') : 'tickets';

  const radios = h('fieldset', { class: 'segmented' }, h('legend', { class: 'visually-hidden' }, 'Period'),
    shapes.PERIODS.map((p) => h('label', null,
      h('input', { type: 'radio', name: 'period', id: `period-${p}`, value: p, checked: p === period,
        onchange: () => ctx.navigate(`#/overview?period=${p}${metric !== 'tickets' ? `&metric=${metric}` : ''}`) }),
      h('span', null, PERIOD_SHORT[p]))));
  const rangeText = h('p', { class: 'subtitle' }, `Last ${PERIOD_LABELS[period]}, compared with the ${PERIOD_LABELS[period]} before`);

  const kpiBox = h('section', { class: 'kpis', 'aria-label': 'Key figures', 'aria-busy': 'true' }, loading('Loading key figures…'));
  const trendBox = h('section', { class: 'card chart-card wide', 'aria-label': 'Tickets created and resolved' }, loading('Loading chart…'));
  const statusBox = h('section', { class: 'card chart-card', 'aria-label': 'Ticket status' }, loading('Loading statuses…'));
  const topBox = h('section', { class: 'card chart-card', 'aria-label': 'Top companies' }, loading('Loading companies…'));

  const header = pageHeader('Overview', null, radios);
  header.querySelector('div').appendChild(rangeText);
  mount(ctx.main, header, kpiBox, h('div', { class: 'chart-grid' }, trendBox, statusBox, topBox));

  const opts = { signal: ctx.signal };
  async function loadDashboard() {
    mount(kpiBox, loading('Loading key figures…'));
    try {
      const d = shapes.dashboard(await api.get('/api/analytics/dashboard', { period }, opts));
      if (d.from && d.to) rangeText.textContent = `${date(d.from)} – ${date(d.to)}, compared with the previous ${PERIOD_LABELS[period]}`;
      mount(kpiBox, d.kpis.length ? h('ul', { class: 'kpi-grid' }, d.kpis.map(kpiCard)) : h('p', { class: 'state empty' }, 'No figures for this period.'));
      kpiBox.removeAttribute('aria-busy');
      const { points, per } = bucket(d.series);
      mount(trendBox, lineChart({ title: `Tickets created vs resolved per ${per}`, points,
        lines: [{ key: 'created', label: 'Created', cls: 's-created' }, { key: 'resolved', label: 'Resolved', cls: 's-resolved' }] }));
      announce('Overview loaded');
    } catch (e) {
      if (e.name === 'AbortError') return;
      mount(kpiBox, errorBox(e, loadDashboard)); mount(trendBox, h('p', { class: 'state empty' }, 'Chart unavailable.'));
    }
  }

  let statusData = null; let statusDim = 'statusCategory';
  const statusTitles = { statusCategory: 'Tickets by status category', status: 'Tickets by status', priority: 'Tickets by priority' };
  const statusButtons = [['statusCategory', 'Category'], ['status', 'Status'], ['priority', 'Priority']].map(([k, label]) =>
    h('button', { type: 'button', class: 'btn small', 'aria-pressed': String(k === statusDim), dataset: { dim: k },
      onclick: () => { statusDim = k; drawStatus(); } }, label));
  const statusChart = h('div');
  mount(statusBox, h('div', { class: 'chart-tabs', role: 'group', 'aria-label': 'Group statuses by' }, statusButtons), statusChart);
  function drawStatus() {
    statusButtons.forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.dim === statusDim)));
    if (!statusData) return;
    mount(statusChart, barChart({ title: statusTitles[statusDim], cls: 'bar-b',
      items: statusData[statusDim].map((x) => ({ label: statusDim === 'statusCategory' ? (CATEGORY_LABELS[x.label] || x.label) : x.label, value: x.count })) }));
  }
  async function loadStatus() {
    mount(statusChart, loading('Loading statuses…'));
    try {
      statusData = shapes.statusBreakdown(await api.get('/api/analytics/tickets/status', { period }, opts));
      drawStatus();
    } catch (e) { if (e.name !== 'AbortError') mount(statusChart, errorBox(e, loadStatus)); }
  }

  const topSelect = h('select', { id: 'top-metric' }, METRICS.map(([m, l]) => h('option', { value: m, selected: m === metric }, l)));
  topSelect.addEventListener('change', () => {
    metric = topSelect.value;
    history.replaceState(null, '', `#/overview?period=${period}&metric=${metric}`);
    loadTop();
  });
  const topChart = h('div', { 'aria-live': 'polite' });
  mount(topBox, h('div', { class: 'chart-tabs' }, h('label', { for: 'top-metric' }, 'Rank by'), topSelect), topChart);
  async function loadTop() {
    mount(topChart, loading('Loading companies…'));
    try {
      const rows = shapes.topCompanies(await api.get('/api/analytics/companies/top', { metric, limit: 10, period }, opts), metric);
      const label = METRICS.find(([m]) => m === metric)[1];
      mount(topChart, barChart({ title: `Top companies by ${label.toLowerCase()}`, cls: 'bar-c',
        items: rows.map((r) => ({ label: r.name, value: r.value, href: r.id ? link.company(r.id) : null })),
        format: metric === 'tickets' ? (v) => num(v) : (v) => hours(v) }));
    } catch (e) { if (e.name !== 'AbortError') mount(topChart, errorBox(e, loadTop)); }
  }

  loadDashboard(); loadStatus(); loadTop();
}
