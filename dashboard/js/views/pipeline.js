// Pipeline (admins): per-table sync status, recent runs with their errors, Run now.
import { h, mount } from '../dom.js';
import * as api from '../api.js';
import * as auth from '../auth.js';
import * as shapes from '../api-shapes.js';
import * as f from '../format.js';
import { loading, errorBox, pageHeader, badge, announce, errorMessage } from '../ui.js';
import { serviceCell, clipped } from './common.js';

function table(caption, headers, rows) {
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data-table responsive' },
    h('caption', { class: 'visually-hidden' }, caption),
    h('thead', null, h('tr', null, headers.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', null, rows.map((r) => h('tr', { class: r.cls || null }, r.cells.map((c, i) =>
      h(i === 0 ? 'th' : 'td', { scope: i === 0 ? 'row' : null, 'data-label': headers[i] }, c === null || c === undefined || c === '' ? h('span', { class: 'muted' }, '—') : c)))))));
}

function watermarkText(w) {
  if (w === null || w === undefined || w === '') return null;
  return /^\d{4}-\d{2}-\d{2}T/.test(String(w)) ? h('span', { class: 'nowrap' }, f.dateTime(w)) : clipped(f.text(w), 'wide');
}

function errorCell(err) {
  if (!err) return null;
  const text = typeof err === 'object' ? (err.message || JSON.stringify(err)) : String(err);
  return h('span', { class: 'error-text' }, text);
}

export function render(ctx) {
  const admin = auth.isAdmin();
  if (!admin) {
    mount(ctx.main, pageHeader('Pipeline', 'Sync status per service and table, and the last runs'),
      h('p', { class: 'state notice', role: 'status' }, 'The pipeline page is for administrators. Ask an administrator of your tenant if data looks out of date.'));
    return;
  }
  const message = h('div', { class: 'form-message', role: 'status', 'aria-live': 'polite' });
  const say = (text, ok) => { message.textContent = text; message.classList.toggle('ok', !!ok); };
  let pollTimer = null;
  ctx.signal.addEventListener('abort', () => clearTimeout(pollTimer));
  const runButton = h('button', { type: 'button', class: 'btn primary', id: 'run-now' }, 'Run now');
  const refreshButton = h('button', { type: 'button', class: 'btn', onclick: () => { loadStatus(); loadRuns(); } }, 'Refresh');
  const head = pageHeader('Pipeline', 'Sync status per service and table, and the last runs', refreshButton, runButton);
  const statusBox = h('section', { class: 'card', 'aria-labelledby': 'tables-title' }, h('h2', { id: 'tables-title' }, 'Tables'), h('div', null, loading('Loading status…')));
  const runsBox = h('section', { class: 'card', 'aria-labelledby': 'runs-title' }, h('h2', { id: 'runs-title' }, 'Recent runs'), h('div', null, loading('Loading runs…')));
  mount(ctx.main, head, message, runsBox, statusBox);

  async function loadStatus() {
    const body = statusBox.lastChild;
    try {
      const st = shapes.pipelineStatus(await api.get('/api/pipeline/status', null, { signal: ctx.signal }));
      if (!st.tables.length) { mount(body, h('p', { class: 'state empty' }, 'No tables have been synced yet.')); return; }
      const facts = [];
      if (st.state !== null && typeof st.state !== 'object') facts.push(`Scheduler: ${st.state === true ? 'running' : st.state === false ? 'idle' : String(st.state)}`);
      if (st.services.length) facts.push(`Services: ${st.services.map((x) => x.service).join(', ')}`);
      if (st.chunksPending !== null) facts.push(`Chunks pending: ${f.num(st.chunksPending)}`);
      if (facts.length) head.querySelector('.subtitle').textContent = facts.join(' · ');
      if (!st.tables.length) { mount(body, h('p', { class: 'state empty' }, 'No tables have been synced yet.')); return; }
      mount(body, table('Per-table status', ['Service', 'Table', 'Last status', 'Last run', 'Records', 'Watermark', 'Error'],
        st.tables.map((t) => ({ cls: t.error ? 'has-error' : null, cells: [serviceCell({ source_service: t.service }) || t.service, t.table, badge(t.status),
          h('span', { class: 'nowrap' }, f.dateTime(t.lastRunAt)), t.records === null || t.records === undefined ? null : f.num(t.records), watermarkText(t.watermark), errorCell(t.error)] }))));
    } catch (e) { if (e.name !== 'AbortError') mount(body, errorBox(e, loadStatus)); }
  }

  async function loadRuns() {
    const body = runsBox.lastChild;
    try {
      const runs = shapes.pipelineRuns(await api.get('/api/pipeline/runs', null, { signal: ctx.signal }));
      if (!runs.length) { mount(body, h('p', { class: 'state empty' }, 'No runs yet.')); return; }
      const withTrigger = runs.some((r) => r.trigger);
      mount(body, table('Recent runs', ['Run', 'Status', 'Started', 'Duration', ...(withTrigger ? ['Trigger'] : []), 'Tables', 'Records', 'Error'],
        runs.map((r) => ({ cls: r.error ? 'has-error' : null, cells: [h('code', null, typeof r.runId === 'number' ? `#${r.runId}` : String(r.runId)), badge(r.status), h('span', { class: 'nowrap' }, f.dateTime(r.startedAt)),
          r.finishedAt ? f.duration(r.startedAt, r.finishedAt) : (r.startedAt ? 'running' : null), ...(withTrigger ? [r.trigger || null] : []),
          r.tables.length ? `${r.tables.length} (${r.tables.filter((x) => String(x.status) === 'failed').length} failed)` : null,
          r.records === null || r.records === undefined ? null : f.num(r.records), errorCell(r.error)] }))));
      // While a run is in progress, look again every 3 s (stops when the page is left).
      clearTimeout(pollTimer);
      if (runs.some((r) => ['running', 'queued', 'started'].includes(String(r.status).toLowerCase()))) {
        pollTimer = setTimeout(() => { loadRuns(); loadStatus(); }, 3000);
      }
    } catch (e) { if (e.name !== 'AbortError') mount(body, errorBox(e, loadRuns)); }
  }

  {
    runButton.addEventListener('click', async () => {
      runButton.disabled = true; runButton.textContent = 'Starting…';
      say('');
      try {
        const runId = shapes.runStarted(await api.post('/api/pipeline/run', {}));
        say(`Run ${runId || ''} started.`, true);
        announce(`Pipeline run started`);
        loadRuns(); loadStatus();
      } catch (e) {
        say(`Could not start a run: ${errorMessage(e)}`, false);
      } finally { runButton.disabled = false; runButton.textContent = 'Run now'; }
    });
  }
  loadStatus(); loadRuns();
}
