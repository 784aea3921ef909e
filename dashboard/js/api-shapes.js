// api-shapes.js — the ONE place that knows the JSON shapes of the REST API.
//
// Views never read raw responses: they call the adapters below, which turn a response
// into the small normalised shapes documented on each function. If the server's key
// names differ from what is assumed here, change the alias lists (KEYS) or an adapter;
// no view needs to change. Every adapter is tolerant: it accepts the documented shape,
// a few obvious variants (snake/camel case, arrays vs. maps, a `data` wrapper), and
// returns empty values rather than throwing on missing fields.
//
// Shapes (the API contract, checked against the API merged on main — Sources/AvesaHost/API):
//   POST /auth/login, /auth/refresh
//     {access_token, refresh_token, token_type, expires_in, user:{id,email,role,tenant_id}}
//   error bodies   {"error":{"code","message"}}
//   GET /api/analytics/dashboard?period=30d
//     {period:{name,from,to,days}, previous_period:{...}, kpis:{tickets_open_now: 12, tickets_created: 30, ...},
//      previous:{tickets_created: 25, ...}, change_percent:{...}, series:[{date,created,resolved}]}
//     (the brief's form kpis:{tickets_open:{value,previous}} is accepted too)
//   GET /api/analytics/tickets/status?period=
//     {period, total, by_status:[{value,count}], by_status_category:[...], by_priority:[...]}
//     (also accepted: status/status_category/priority keys, {status:'x',count} rows, or maps {"Open": 12})
//   GET /api/analytics/companies/top?metric=tickets&limit=10&period=
//     {metric, period, data:[{rank, company_id, name, value}]}   (name may be null; value may also be under the metric's name)
//   lists          {data:[...], pagination:{page,limit,total,pages}}
//   GET /api/companies/:id   {data:{...company, valid_from, totals:{tickets, open_tickets, contacts, time_entries, hours, billable_hours}}}
//   GET /api/tickets/:id     {data:{...ticket, totals:{time_entries, hours, billable_hours}}}
//   list rows carry canonical columns + source_service, source_id, valid_from (no joined names:
//   company names are looked up once through GET /api/companies, see lookups.js)
//                            (the record may also be unwrapped; totals may be flat fields)
//   GET /api/tickets/:id/history  {data:[{...ticket columns, valid_from, valid_to, is_current}], id, versions}
//                            (_valid_from/_valid_to, is_current/_is_current also accepted)
//   GET /api/pipeline/runs   {data:[{id, status: running|done|failed, started_at, finished_at,
//                              tables:[{service, table, status, records, pages, requests, retries, throttles, error, started_at, finished_at}]}]}
//   GET /api/pipeline/status {services:[{service, tables, rate_limit}], watermarks:[{service, table, cursor, updated_at}],
//                             last_run_tables:[same as runs' tables], chunks_pending}
//   POST /api/pipeline/run   202 {run_id, status:"running"}; 409 run_in_progress
//   GET /auth/me             {data:{id, tenant_id, email, role: viewer|analyst|admin, created_at}}

/** Alias lists: the first key present wins. */
export const KEYS = {
  kpis: ['kpis', 'KPIs', 'metrics'],
  series: ['series', 'daily', 'timeseries'],
  seriesDate: ['date', 'day'],
  seriesCreated: ['created', 'tickets_created'],
  seriesResolved: ['resolved', 'tickets_resolved'],
  kpiValue: ['value', 'current'],
  kpiPrevious: ['previous', 'previous_value', 'prev'],
  list: ['data', 'items', 'results', 'rows'],
  pagination: ['pagination', 'meta', 'page_info'],
  count: ['count', 'n', 'tickets', 'value', 'total'],
  validFrom: ['valid_from', '_valid_from', 'validFrom'],
  validTo: ['valid_to', '_valid_to', 'validTo'],
  runId: ['run_id', 'id', 'runId'],
};

/** KPI catalogue: key in `kpis`, label, unit, whether a rise is good news, and a note shown when there is no previous value. */
export const KPI_DEFS = [
  { key: 'tickets_open', label: 'Open tickets', note: 'right now', unit: 'count', higherIsBetter: false, aliases: ['tickets_open_now', 'open_tickets', 'open'] },
  { key: 'tickets_created', label: 'Tickets created', unit: 'count', higherIsBetter: null, aliases: ['created'] },
  { key: 'tickets_resolved', label: 'Tickets resolved', unit: 'count', higherIsBetter: true, aliases: ['resolved'] },
  { key: 'tickets_closed', label: 'Tickets closed', unit: 'count', higherIsBetter: true, aliases: ['closed'] },
  { key: 'avg_resolution_hours', label: 'Avg resolution time', unit: 'hours', higherIsBetter: false, aliases: ['average_resolution_hours', 'mean_resolution_hours'] },
  { key: 'median_resolution_hours', label: 'Median resolution time', unit: 'hours', higherIsBetter: false, aliases: ['p50_resolution_hours'] },
  { key: 'hours_logged', label: 'Hours logged', unit: 'hours', higherIsBetter: true, aliases: ['hours', 'total_hours'] },
  { key: 'billable_hours', label: 'Billable hours', unit: 'hours', higherIsBetter: true, aliases: [] },
  { key: 'billable_ratio', label: 'Billable ratio', unit: 'ratio', higherIsBetter: true, aliases: ['billable_pct', 'billable_percent'] },
  { key: 'active_companies', label: 'Active companies', unit: 'count', higherIsBetter: true, aliases: ['companies_active'] },
  { key: 'contacts', label: 'Contacts', note: 'in total', unit: 'count', higherIsBetter: true, aliases: ['contacts_total', 'total_contacts', 'active_contacts'] },
  { key: 'companies', label: 'Companies', note: 'in total', unit: 'count', higherIsBetter: true, aliases: ['companies_total', 'total_companies'] },
];

export const PERIODS = ['7d', '30d', '90d', '365d'];

function pick(obj, keys, fallback = undefined) {
  if (!obj || typeof obj !== 'object') return fallback;
  for (const k of keys) if (obj[k] !== undefined && obj[k] !== null) return obj[k];
  return fallback;
}

function camel(k) { return k.replace(/_([a-z])/g, (_, c) => c.toUpperCase()); }

function asArray(v) {
  if (Array.isArray(v)) return v;
  if (v && typeof v === 'object') {
    const inner = pick(v, KEYS.list);
    if (Array.isArray(inner)) return inner;
  }
  return [];
}

/** The `{error:{code,message}}` body as {code, message}, or null. */
export function errorBody(json) {
  if (!json || typeof json !== 'object') return null;
  const e = json.error;
  if (e && typeof e === 'object') return { code: String(e.code ?? ''), message: String(e.message ?? e.code ?? 'Error') };
  if (typeof e === 'string') return { code: e, message: String(json.message ?? e) };
  return null;
}

/** Token response → {accessToken, refreshToken, expiresIn, user}. */
export function tokens(json) {
  return {
    accessToken: pick(json, ['access_token', 'accessToken', 'token']),
    refreshToken: pick(json, ['refresh_token', 'refreshToken']),
    expiresIn: Number(pick(json, ['expires_in', 'expiresIn'], 900)),
    user: user(pick(json, ['user'], null)),
  };
}

/** User → {id, email, role, tenantId} (GET /auth/me may wrap it in {user} or {data}). */
export function user(json) {
  if (!json) return null;
  const u = json.user || json.data || json;
  return { id: u.id ?? u.user_id, email: u.email ?? '', role: u.role ?? (Array.isArray(u.roles) ? u.roles[0] : ''), tenantId: u.tenant_id ?? u.tenantId ?? '' };
}

/** Dashboard → {from, to, kpis:[{key,label,unit,higherIsBetter,value,previous}], series:[{date,created,resolved}]}. */
export function dashboard(json) {
  const root = json && json.data && !json.kpis ? json.data : (json || {});
  const period = root.period || {};
  let raw = pick(root, KEYS.kpis, {});
  if (Array.isArray(raw)) { // [{key|name, value, previous}] → map
    raw = Object.fromEntries(raw.map((k) => [k.key ?? k.name ?? k.id, k]));
  }
  const prevMap = pick(root, ['previous', 'previous_kpis', 'kpis_previous'], {}) || {};
  const kpis = [];
  for (const def of KPI_DEFS) {
    const names = [def.key, camel(def.key), ...def.aliases];
    const name = names.find((n) => raw && raw[n] !== undefined);
    if (name === undefined) continue;
    const entry = raw[name];
    const isObj = entry !== null && typeof entry === 'object';
    kpis.push({
      ...def,
      value: isObj ? pick(entry, KEYS.kpiValue, null) : entry,
      previous: isObj ? pick(entry, KEYS.kpiPrevious, null)
        : pick(prevMap, names, pick(raw, [`${def.key}_previous`, `previous_${def.key}`], null)),
    });
  }
  const series = asArray(pick(root, KEYS.series, [])).map((p) => ({
    date: pick(p, KEYS.seriesDate, ''),
    created: Number(pick(p, KEYS.seriesCreated, 0)) || 0,
    resolved: Number(pick(p, KEYS.seriesResolved, 0)) || 0,
  }));
  return { from: period.from ?? root.from ?? null, to: period.to ?? root.to ?? null, kpis, series };
}

/** [{status:'x',count:3}] or {x:3} → [{label, count}] sorted by count desc. */
function pairs(v, labelKey) {
  let out = [];
  if (Array.isArray(v)) {
    out = v.map((r) => ({
      label: String(pick(r, [labelKey, 'label', 'name', 'key', 'value_name', 'value'], '') || '(none)'),
      count: Number(pick(r, ['count', 'n', 'tickets', 'total'], 0)) || 0,
    }));
  } else if (v && typeof v === 'object') {
    out = Object.entries(v).map(([label, count]) => ({ label: label || '(none)', count: Number(count) || 0 }));
  }
  return out.sort((a, b) => b.count - a.count);
}

/** Ticket status breakdown → {status:[{label,count}], statusCategory:[...], priority:[...]}. */
export function statusBreakdown(json) {
  const root = json && json.data && !Array.isArray(json.data) ? json.data : (json || {});
  return {
    status: pairs(pick(root, ['status', 'by_status', 'statuses']), 'status'),
    statusCategory: pairs(pick(root, ['status_category', 'by_status_category', 'status_categories', 'categories']), 'status_category'),
    priority: pairs(pick(root, ['priority', 'by_priority', 'priorities']), 'priority'),
  };
}

/** Top companies → [{id, name, value}]. */
export function topCompanies(json, metric) {
  const rows = Array.isArray(json) ? json : asArray(pick(json, ['data', 'companies', 'items', 'top'], []));
  return rows.map((r) => ({
    id: pick(r, ['company_id', 'id']),
    name: String(pick(r, ['name', 'company_name', 'company'], pick(r, ['company_id', 'id'], '?'))),
    value: Number(pick(r, ['value', metric, 'count', 'total'], 0)) || 0,
  }));
}

/** List response → {rows, page, limit, total, pages}. */
export function list(json) {
  const rows = Array.isArray(json) ? json : asArray(json);
  const p = pick(json, KEYS.pagination, {}) || {};
  const limit = Number(pick(p, ['limit', 'per_page', 'page_size'], rows.length)) || rows.length || 1;
  const total = Number(pick(p, ['total', 'total_count', 'count'], rows.length)) || 0;
  const pages = Number(pick(p, ['pages', 'total_pages', 'page_count'], Math.max(1, Math.ceil(total / limit)))) || 1;
  return { rows, page: Number(pick(p, ['page', 'current_page'], 1)) || 1, limit, total, pages };
}

/** A single record: unwraps {data:{...}} when present. */
export function record(json) {
  if (json && typeof json === 'object' && json.data && typeof json.data === 'object' && !Array.isArray(json.data)) return json.data;
  return json || {};
}

/** Totals of a company or ticket record → {tickets, openTickets, contacts, timeEntries, hours, billableHours}. */
export function companyTotals(rec) {
  const t = rec.totals || rec.stats || rec;
  return {
    tickets: pick(t, ['tickets', 'ticket_count', 'tickets_total', 'total_tickets'], null),
    openTickets: pick(t, ['open_tickets', 'tickets_open'], null),
    contacts: pick(t, ['contacts', 'contact_count'], null),
    timeEntries: pick(t, ['time_entries', 'time_entry_count'], null),
    hours: pick(t, ['hours', 'hours_logged', 'total_hours'], null),
    billableHours: pick(t, ['billable_hours'], null),
  };
}

const HISTORY_META = new Set(['valid_from', '_valid_from', 'validFrom', 'valid_to', '_valid_to', 'validTo',
  'is_current', '_is_current', '_row_hash', 'row_hash', '_run_id', 'run_id', 'version', '_version']);

/**
 * SCD2 history → [{version, validFrom, validTo, current, record, changes:[{field, before, after}]}],
 * oldest first. `changes` of the first version lists every non-empty field (as "set").
 */
export function history(json) {
  const rows = Array.isArray(json) ? json : asArray(pick(json, ['data', 'versions', 'history'], []));
  const versions = rows.map((r) => ({
    validFrom: pick(r, KEYS.validFrom, null),
    validTo: pick(r, KEYS.validTo, null),
    current: Boolean(pick(r, ['is_current', '_is_current'], pick(r, KEYS.validTo, null) === null)),
    runId: pick(r, ['_run_id', 'run_id'], null),
    record: Object.fromEntries(Object.entries(r).filter(([k]) => !HISTORY_META.has(k))),
  }));
  versions.sort((a, b) => String(a.validFrom ?? '').localeCompare(String(b.validFrom ?? '')));
  versions.forEach((v, i) => {
    v.version = i + 1;
    const prev = i > 0 ? versions[i - 1].record : null;
    const fields = new Set([...Object.keys(v.record), ...(prev ? Object.keys(prev) : [])]);
    v.changes = [];
    for (const f of fields) {
      const after = v.record[f]; const before = prev ? prev[f] : undefined;
      if (prev === null) {
        if (after !== null && after !== undefined && after !== '') v.changes.push({ field: f, before: undefined, after });
      } else if (JSON.stringify(before ?? null) !== JSON.stringify(after ?? null)) {
        v.changes.push({ field: f, before, after });
      }
    }
  });
  return versions;
}

function runTable(t) {
  return {
    ...t,
    service: pick(t, ['service', 'source_service', 'source'], ''),
    table: pick(t, ['table', 'table_name', 'name'], ''),
    status: pick(t, ['status', 'state', 'last_status'], ''),
    startedAt: pick(t, ['started_at'], null),
    finishedAt: pick(t, ['finished_at', 'ended_at'], null),
    records: pick(t, ['records', 'rows', 'row_count', 'rows_written'], null),
    error: pick(t, ['error', 'last_error', 'error_message'], null),
  };
}

/**
 * Pipeline runs → [{runId, status, startedAt, finishedAt, records, error, trigger, tables:[runTable]}].
 * A run's error is its own, else the failed tables' errors joined ("service/table: message").
 */
export function pipelineRuns(json) {
  return (Array.isArray(json) ? json : asArray(pick(json, ['data', 'runs'], []))).map((r) => {
    const tables = (Array.isArray(r.tables) ? r.tables : []).map(runTable);
    const tableErrors = tables.filter((t) => t.error).map((t) => `${t.service}/${t.table}: ${t.error}`);
    const own = pick(r, ['error', 'error_message', 'last_error'], null);
    const sum = tables.reduce((a, t) => a + (Number(t.records) || 0), 0);
    return {
      ...r,
      runId: pick(r, KEYS.runId, ''),
      status: pick(r, ['status', 'state'], ''),
      startedAt: pick(r, ['started_at', 'start', 'startedAt'], null),
      finishedAt: pick(r, ['finished_at', 'ended_at', 'end', 'finishedAt'], null),
      records: pick(r, ['records', 'rows_written', 'rows'], tables.length ? sum : null),
      tables,
      error: own || (tableErrors.length ? tableErrors.join('; ') : null),
      trigger: pick(r, ['trigger', 'triggered_by', 'kind'], ''),
    };
  });
}

/**
 * Pipeline status → {state, chunksPending, services:[...], tables:[{service, table, status, lastRunAt, watermark, records, error}]}.
 * Tables come from `tables`, or are joined from `last_run_tables` and `watermarks` by service/table.
 */
export function pipelineStatus(json) {
  const root = json && json.data && !Array.isArray(json.data) ? json.data : (json || {});
  let tables = pick(root, ['tables'], null);
  if (Array.isArray(tables)) {
    tables = tables.map((t) => ({ ...runTable(t), lastRunAt: pick(t, ['last_run_at', 'last_success_at', 'finished_at', 'updated_at'], null),
      watermark: pick(t, ['watermark', 'high_watermark', 'cursor'], null) }));
  } else {
    const byKey = new Map();
    const key = (s, tb) => `${s}\u0000${tb}`;
    for (const t of asArray(pick(root, ['last_run_tables', 'last_run'], []))) {
      const rt = runTable(t);
      byKey.set(key(rt.service, rt.table), { ...rt, lastRunAt: rt.finishedAt || rt.startedAt, watermark: null, watermarkAt: null });
    }
    for (const w of asArray(pick(root, ['watermarks'], []))) {
      const k = key(w.service, w.table);
      const row = byKey.get(k) || { service: w.service, table: w.table, status: '', lastRunAt: null, records: null, error: null };
      row.watermark = pick(w, ['cursor', 'watermark', 'value'], null);
      row.watermarkAt = w.updated_at ?? null;
      byKey.set(k, row);
    }
    tables = [...byKey.values()].sort((a, b) => `${a.service}/${a.table}`.localeCompare(`${b.service}/${b.table}`));
  }
  return {
    state: pick(root, ['state', 'running', 'scheduler'], null),
    chunksPending: pick(root, ['chunks_pending', 'pending_chunks'], null),
    services: asArray(pick(root, ['services'], [])).map((s) => ({ service: pick(s, ['service', 'name'], ''), tables: s.tables ?? null, rateLimit: s.rate_limit ?? null })),
    tables,
  };
}

/** POST /api/pipeline/run → run id. */
export function runStarted(json) { return pick(record(json), KEYS.runId, ''); }
