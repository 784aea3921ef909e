// api-shapes.js — the ONE place that knows the JSON shapes of the REST API.
//
// Views never read raw responses: they call the adapters below, which turn a response
// into the small normalised shapes documented on each function. If the server's key
// names differ from what is assumed here, change the alias lists (KEYS) or an adapter;
// no view needs to change. Every adapter is tolerant: it accepts the documented shape,
// a few obvious variants (snake/camel case, arrays vs. maps, a `data` wrapper), and
// returns empty values rather than throwing on missing fields.
//
// Assumed shapes (the API contract):
//   POST /auth/login, /auth/refresh
//     {access_token, refresh_token, token_type, expires_in, user:{id,email,role,tenant_id}}
//   error bodies   {"error":{"code","message"}}
//   GET /api/analytics/dashboard?period=30d
//     {period:{from,to}, kpis:{tickets_open:{value,previous}, ...}, series:[{date,created,resolved}]}
//   GET /api/analytics/tickets/status?period=
//     {status:[{status,count}], status_category:[{status_category,count}], priority:[{priority,count}]}
//     (also accepted: by_status/by_status_category/by_priority, or maps {"Open": 12, ...})
//   GET /api/analytics/companies/top?metric=tickets&limit=10&period=
//     {metric, data:[{company_id, name, value}]}   (value may also be under tickets/hours/billable_hours)
//   lists          {data:[...], pagination:{page,limit,total,pages}}
//   GET /api/companies/:id   {data:{...company, totals:{tickets, open_tickets, hours, billable_hours}}}
//                            (the record may also be unwrapped; totals may be flat fields)
//   GET /api/tickets/:id/history  {data:[{...ticket columns, valid_from, valid_to}]}
//                            (_valid_from/_valid_to, is_current/_is_current also accepted)
//   GET /api/pipeline/runs   {data:[{run_id, status, started_at, finished_at, ..., error}]}
//   GET /api/pipeline/status {tables:[{service, table, status, last_run_at, rows, error}]}
//   POST /api/pipeline/run   {run_id}

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

/** KPI catalogue: key in `kpis`, label, unit, and whether a rise is good news. */
export const KPI_DEFS = [
  { key: 'tickets_open', label: 'Open tickets', unit: 'count', higherIsBetter: false, aliases: ['open_tickets', 'open'] },
  { key: 'tickets_created', label: 'Tickets created', unit: 'count', higherIsBetter: null, aliases: ['created'] },
  { key: 'tickets_resolved', label: 'Tickets resolved', unit: 'count', higherIsBetter: true, aliases: ['resolved'] },
  { key: 'tickets_closed', label: 'Tickets closed', unit: 'count', higherIsBetter: true, aliases: ['closed'] },
  { key: 'avg_resolution_hours', label: 'Avg resolution time', unit: 'hours', higherIsBetter: false, aliases: ['average_resolution_hours', 'mean_resolution_hours'] },
  { key: 'median_resolution_hours', label: 'Median resolution time', unit: 'hours', higherIsBetter: false, aliases: ['p50_resolution_hours'] },
  { key: 'hours_logged', label: 'Hours logged', unit: 'hours', higherIsBetter: true, aliases: ['hours', 'total_hours'] },
  { key: 'billable_hours', label: 'Billable hours', unit: 'hours', higherIsBetter: true, aliases: [] },
  { key: 'billable_ratio', label: 'Billable ratio', unit: 'ratio', higherIsBetter: true, aliases: ['billable_pct', 'billable_percent'] },
  { key: 'active_companies', label: 'Active companies', unit: 'count', higherIsBetter: true, aliases: ['companies_active', 'companies'] },
  { key: 'contacts', label: 'Contacts', unit: 'count', higherIsBetter: true, aliases: ['contacts_total', 'total_contacts', 'active_contacts'] },
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
  const kpis = [];
  for (const def of KPI_DEFS) {
    const names = [def.key, camel(def.key), ...def.aliases];
    const entry = pick(raw, names);
    if (entry === undefined) continue;
    const isObj = entry !== null && typeof entry === 'object';
    kpis.push({
      ...def,
      value: isObj ? pick(entry, KEYS.kpiValue, null) : entry,
      // Scalar KPIs take their previous-period value from a sibling `previous` map
      // ({kpis:{tickets_created: 84}, previous:{tickets_created: 80}}), else from suffixed keys.
      previous: isObj ? pick(entry, KEYS.kpiPrevious, null)
        : pick(root.previous || {}, names, pick(raw, [`${def.key}_previous`, `previous_${def.key}`], null)),
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
      count: Number(pick(r, KEYS.count, 0)) || 0,
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

/** Company totals → {tickets, openTickets, hours, billableHours} from the company record. */
export function companyTotals(rec) {
  const t = rec.totals || rec.stats || rec;
  return {
    tickets: pick(t, ['tickets', 'ticket_count', 'tickets_total', 'total_tickets'], null),
    openTickets: pick(t, ['open_tickets', 'tickets_open'], null),
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

/** Pipeline runs → rows (any keys; views show known ones). */
export function pipelineRuns(json) {
  return (Array.isArray(json) ? json : asArray(pick(json, ['data', 'runs'], []))).map((r) => ({
    ...r,
    runId: pick(r, KEYS.runId, ''),
    status: pick(r, ['status', 'state'], ''),
    startedAt: pick(r, ['started_at', 'start', 'startedAt'], null),
    finishedAt: pick(r, ['finished_at', 'ended_at', 'end', 'finishedAt'], null),
    error: pick(r, ['error', 'error_message', 'last_error'], null),
    trigger: pick(r, ['trigger', 'triggered_by', 'kind'], ''),
  }));
}

/** Pipeline status → {state, tables:[{service, table, status, lastRunAt, watermark, rows, error}]}. */
export function pipelineStatus(json) {
  const root = json && json.data && !Array.isArray(json.data) ? json.data : (json || {});
  let tables = pick(root, ['tables', 'last_run_tables', 'data', 'status'], []);
  if (!Array.isArray(tables)) tables = [];
  // Watermarks may come as a separate list keyed by service and table.
  const marks = new Map(asArray(root.watermarks || []).map((w) => [`${w.service}/${w.table}`, w.cursor]));
  return {
    state: pick(root, ['state', 'running', 'scheduler'], null),
    tables: tables.map((t) => ({
      ...t,
      service: pick(t, ['service', 'source_service', 'source'], ''),
      table: pick(t, ['table', 'table_name', 'name'], ''),
      status: pick(t, ['status', 'state', 'last_status'], ''),
      lastRunAt: pick(t, ['last_run_at', 'last_success_at', 'updated_at', 'finished_at'], null),
      watermark: pick(t, ['watermark', 'high_watermark', 'cursor'], marks.get(`${t.service}/${t.table}`) ?? null),
      rows: pick(t, ['rows', 'row_count', 'records', 'rows_written'], null),
      error: pick(t, ['error', 'last_error', 'error_message'], null),
    })),
  };
}

/** POST /api/pipeline/run → run id. */
export function runStarted(json) { return pick(record(json), KEYS.runId, ''); }
