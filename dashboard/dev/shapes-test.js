// In-browser checks of js/api-shapes.js: the documented shapes and the variants it
// promises to tolerate. Open dev/shapes-test.html; the browser test reads #summary.
import * as S from '../js/api-shapes.js';

const results = [];
function check(name, fn) {
  try { fn(); results.push([name, null]); } catch (e) { results.push([name, e.message || String(e)]); }
}
function eq(a, b, what = '') {
  const ja = JSON.stringify(a); const jb = JSON.stringify(b);
  if (ja !== jb) throw new Error(`${what} expected ${jb}, got ${ja}`);
}

check('dashboard: documented shape', () => {
  const d = S.dashboard({ period: { from: '2026-01-01', to: '2026-01-31' },
    kpis: { tickets_open: { value: 5, previous: 4 }, billable_ratio: { value: 0.5, previous: null } },
    series: [{ date: '2026-01-01', created: 2, resolved: 1 }] });
  eq(d.from, '2026-01-01'); eq(d.kpis.map((k) => [k.key, k.value, k.previous]), [['tickets_open', 5, 4], ['billable_ratio', 0.5, null]]);
  eq(d.series, [{ date: '2026-01-01', created: 2, resolved: 1 }]);
});
check('dashboard: the real API (flat kpis, sibling previous)', () => {
  const d = S.dashboard({ period: { name: '30d', from: 'a', to: 'b', days: 30 }, previous_period: {},
    kpis: { tickets_open_now: 7, tickets_created: 10, billable_ratio: 0.75, companies: 4, contacts: 9, active_contacts: 8 },
    previous: { tickets_created: 5, billable_ratio: null }, change_percent: { tickets_created: 100 }, series: [] });
  eq(d.kpis.map((k) => [k.key, k.value, k.previous]),
    [['tickets_open', 7, null], ['tickets_created', 10, 5], ['billable_ratio', 0.75, null], ['contacts', 9, null], ['companies', 4, null]]);
});
check('dashboard: data wrapper, camelCase, bare numbers, aliases', () => {
  const d = S.dashboard({ data: { kpis: { ticketsOpen: 3, open_tickets_previous: 1, hours_logged: { current: 7, prev: 6 } }, daily: [{ day: 'x', tickets_created: '4' }] } });
  eq(d.kpis.find((k) => k.key === 'tickets_open').value, 3);
  eq(d.kpis.find((k) => k.key === 'hours_logged').previous, 6);
  eq(d.series[0], { date: 'x', created: 4, resolved: 0 });
});
check('dashboard: kpis as an array', () => {
  const d = S.dashboard({ kpis: [{ key: 'tickets_created', value: 9, previous: 3 }] });
  eq(d.kpis.map((k) => k.value), [9]);
});
check('dashboard: empty body', () => { const d = S.dashboard(null); eq(d.kpis, []); eq(d.series, []); });
check('statusBreakdown: arrays and maps', () => {
  const a = S.statusBreakdown({ status: [{ status: 'Open', count: 2 }, { status: 'New', count: 5 }], by_priority: { P1: 1 } });
  eq(a.status, [{ label: 'New', count: 5 }, { label: 'Open', count: 2 }]); eq(a.priority, [{ label: 'P1', count: 1 }]); eq(a.statusCategory, []);
});
check('statusBreakdown: the real API ({value, count} rows)', () => {
  const a = S.statusBreakdown({ period: {}, total: 3, by_status: [{ value: 'New', count: 2 }, { value: null, count: 1 }], by_status_category: [], by_priority: [] });
  eq(a.status, [{ label: 'New', count: 2 }, { label: '(none)', count: 1 }]);
});
check('topCompanies: value under the metric name', () => {
  eq(S.topCompanies({ data: [{ id: 'c1', company_name: 'A', hours: 3.5 }] }, 'hours'), [{ id: 'c1', name: 'A', value: 3.5 }]);
  eq(S.topCompanies([{ company_id: 'c2', name: 'B', value: 2 }], 'tickets'), [{ id: 'c2', name: 'B', value: 2 }]);
});
check('list: pagination and variants', () => {
  eq(S.list({ data: [1, 2], pagination: { page: 2, limit: 2, total: 5, pages: 3 } }), { rows: [1, 2], page: 2, limit: 2, total: 5, pages: 3 });
  const v = S.list({ items: [1], meta: { current_page: 1, per_page: 10, total_count: 1 } });
  eq([v.page, v.limit, v.total, v.pages], [1, 10, 1, 1]);
  eq(S.list([1, 2, 3]).total, 3);
});
check('record and companyTotals', () => {
  const r = S.record({ data: { id: 'x', totals: { tickets: 4, open_tickets: 1, hours: 2, billable_hours: 1 } } });
  eq(S.companyTotals(r), { tickets: 4, openTickets: 1, contacts: null, timeEntries: null, hours: 2, billableHours: 1 });
  eq(S.companyTotals({ ticket_count: 3, total_hours: 9 }).tickets, 3);
});
check('history: order, current, changes', () => {
  const v = S.history({ data: [
    { id: 't', status: 'Closed', _valid_from: '2026-01-03', _valid_to: null, _is_current: 1, _row_hash: 'x' },
    { id: 't', status: 'New', _valid_from: '2026-01-01', _valid_to: '2026-01-03', _is_current: 0 },
  ] });
  eq(v.map((x) => [x.version, x.current]), [[1, false], [2, true]]);
  eq(v[1].changes, [{ field: 'status', before: 'New', after: 'Closed' }]);
  eq(Object.keys(v[0].record), ['id', 'status']);
});
check('errorBody and tokens', () => {
  eq(S.errorBody({ error: { code: 'invalid_credentials', message: 'Nope' } }), { code: 'invalid_credentials', message: 'Nope' });
  eq(S.errorBody({}), null);
  const t = S.tokens({ access_token: 'a', refresh_token: 'r', expires_in: 900, user: { id: 1, email: 'e', role: 'admin', tenant_id: 't' } });
  eq([t.accessToken, t.refreshToken, t.expiresIn, t.user.tenantId], ['a', 'r', 900, 't']);
});
check('pipeline: the real API', () => {
  const runs = S.pipelineRuns({ data: [{ id: 12, status: 'failed', started_at: 's', finished_at: 'f',
    tables: [{ service: 'cw', table: 'tickets', status: 'failed', records: 0, error: 'HTTP 503' }, { service: 'cw', table: 'companies', status: 'done', records: 4, error: null }] }] });
  eq([runs[0].runId, runs[0].records, runs[0].error, runs[0].tables.length], [12, 4, 'cw/tickets: HTTP 503', 2]);
  const st = S.pipelineStatus({ services: [{ service: 'cw', tables: 'all', rate_limit: null }],
    watermarks: [{ service: 'cw', table: 'tickets', cursor: '2026-01-01T00:00:00Z', updated_at: 'u' }, { service: 'sn', table: 'contacts', cursor: '7', updated_at: 'u' }],
    last_run_tables: [{ service: 'cw', table: 'tickets', status: 'failed', records: 0, error: 'HTTP 503', started_at: 's', finished_at: 'f' }], chunks_pending: 2 });
  eq(st.tables.map((x) => [x.service, x.table, x.status, x.watermark, x.error, x.lastRunAt]),
    [['cw', 'tickets', 'failed', '2026-01-01T00:00:00Z', 'HTTP 503', 'f'], ['sn', 'contacts', '', '7', null, null]]);
  eq([st.chunksPending, st.services.map((x) => x.service)], [2, ['cw']]);
  eq(S.runStarted({ run_id: 13, status: 'running' }), 13);
  eq(S.user({ data: { id: 'u', tenant_id: 't', email: 'e', role: 'analyst' } }).role, 'analyst');
});
check('pipeline adapters', () => {
  eq(S.pipelineRuns({ data: [{ id: 'r1', state: 'failed', error_message: 'x' }] }).map((r) => [r.runId, r.status, r.error]), [['r1', 'failed', 'x']]);
  eq(S.pipelineStatus({ tables: [{ source_service: 's', table_name: 't', last_error: 'e' }] }).tables.map((t) => [t.service, t.table, t.error]), [['s', 't', 'e']]);
  eq(S.runStarted({ run_id: 'r9' }), 'r9'); eq(S.runStarted({ data: { id: 'r8' } }), 'r8');
});

const failed = results.filter(([, e]) => e);
const list = document.getElementById('results');
for (const [name, err] of results) {
  const li = document.createElement('li');
  li.textContent = err ? `FAIL ${name}: ${err}` : `ok ${name}`;
  list.appendChild(li);
}
const summary = document.getElementById('summary');
summary.textContent = `${results.length - failed.length} passed, ${failed.length} failed`;
summary.dataset.failed = String(failed.length);
summary.dataset.done = '1';
