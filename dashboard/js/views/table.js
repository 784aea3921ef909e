// A searchable, filterable, sortable, paginated table over a list endpoint that
// answers {data, pagination:{page,limit,total,pages}} and takes page, limit, sort
// (`-col` for descending), q and filters.
//
// State lives either in the URL hash query (top-level list pages: deep links, reload
// and Back work) or in memory (tables embedded in a company page).
import { h, mount, nextId } from '../dom.js';
import * as api from '../api.js';
import * as shapes from '../api-shapes.js';
import { num } from '../format.js';
import { loading, errorBox, announce } from '../ui.js';
import { loadCompanyNames } from '../lookups.js';

const PAGE_SIZES = [10, 25, 50, 100];

/**
 * config: {
 *   endpoint, caption, columns:[{key, label, sortable=true, render(row)->node|string, className, phone=true}],
 *     (phone: false hides the column on narrow screens, where rows become cards)
 *   filters:[{name, label, type:'select'|'date'|'text', options:[[value,label]]}],
 *   fixed: {company_id: ...}   // always sent, not shown
 *   defaultSort: '-created_at', pageSize: 25, searchLabel,
 *   hashPath: '/tickets' → keep state in the hash; omit for in-memory state
 *   pushHash(hash)            // from the router's ctx, records the new hash without re-rendering
 *   initial: {q, page, ...}    // initial state (from the hash)
 *   companyNames: false        // skip waiting for the company-name lookup (lookups.js)
 *   signal
 * }
 */
export function dataTable(config) {
  const ids = { q: nextId('q'), cap: nextId('cap') };
  let state = { page: 1, limit: config.pageSize || 25, sort: config.defaultSort || '', q: '', ...(config.initial || {}) };
  state.page = Number(state.page) || 1; state.limit = Number(state.limit) || config.pageSize || 25;
  let controller = null;

  const statusLine = h('p', { class: 'table-status', role: 'status', 'aria-live': 'polite' });
  const body = h('div', { class: 'table-body' });
  const pager = h('nav', { class: 'pager', 'aria-label': `${config.caption} pages` });

  // ----- filter form
  const search = h('input', { id: ids.q, type: 'search', name: 'q', value: state.q || '', autocomplete: 'off', placeholder: config.searchPlaceholder || 'Search…' });
  const filterInputs = {};
  const fields = [h('div', { class: 'field grow' }, h('label', { for: ids.q }, config.searchLabel || 'Search'), search)];
  for (const f of config.filters || []) {
    const id = nextId(f.name);
    let input;
    if (f.type === 'select') {
      input = h('select', { id, name: f.name },
        h('option', { value: '' }, f.anyLabel || 'Any'),
        f.options.map(([v, l]) => h('option', { value: v, selected: String(state[f.name] ?? '') === String(v) }, l)));
      input.addEventListener('change', () => apply());
    } else {
      input = h('input', { id, name: f.name, type: f.type === 'date' ? 'date' : 'text', value: state[f.name] || '' });
      if (f.type === 'date') input.addEventListener('change', () => apply());
    }
    filterInputs[f.name] = input;
    fields.push(h('div', { class: 'field extra' }, h('label', { for: id }, f.label), input));
  }
  // On a phone the extra filters fold behind a toggle (CSS shows it under 720px only).
  const anyFilter = (config.filters || []).some((f) => state[f.name]);
  const toggle = (config.filters || []).length ? h('button', { type: 'button', class: 'btn filter-toggle', 'aria-expanded': String(anyFilter) }, 'Filters') : null;
  let debounce = null;
  search.addEventListener('input', () => { clearTimeout(debounce); debounce = setTimeout(() => apply(), 450); });
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': `Filter ${config.caption}` }, fields,
    h('div', { class: 'field actions' },
      h('button', { type: 'submit', class: 'btn primary' }, 'Apply'),
      h('button', { type: 'button', class: 'btn reset', onclick: () => reset() }, 'Reset')));
  form.addEventListener('submit', (e) => { e.preventDefault(); clearTimeout(debounce); apply(); });
  if (anyFilter) form.classList.add('expanded');
  if (toggle) {
    fields[0].after(toggle);
    toggle.addEventListener('click', () => {
      const open = form.classList.toggle('expanded');
      toggle.setAttribute('aria-expanded', String(open));
    });
  }

  function readForm() {
    const next = { ...state, q: search.value.trim(), page: 1 };
    for (const [k, el] of Object.entries(filterInputs)) next[k] = el.value;
    return next;
  }
  function apply() { setState(readForm()); }
  function reset() {
    search.value = '';
    Object.values(filterInputs).forEach((el) => { el.value = ''; });
    setState({ page: 1, limit: state.limit, sort: config.defaultSort || '', q: '' });
  }

  function toQuery(st) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(st)) if (v !== '' && v !== null && v !== undefined) q.set(k, v);
    return q;
  }

  function setState(next) {
    const changed = JSON.stringify(next) !== JSON.stringify(state);
    state = next;
    if (config.hashPath && changed) {
      const qs = toQuery(Object.fromEntries(Object.entries(state).filter(([k, v]) => !(k === 'page' && Number(v) === 1)
        && !(k === 'limit' && Number(v) === (config.pageSize || 25)) && !(k === 'sort' && v === (config.defaultSort || '')))));
      const hash = `#${config.hashPath}${qs.toString() ? `?${qs}` : ''}`;
      if (window.location.hash !== hash) (config.pushHash || ((x) => history.pushState(null, '', x)))(hash);
    }
    load();
  }

  function sortButton(col) {
    const cur = state.sort || '';
    const active = cur.replace(/^-/, '') === col.key;
    const desc = active && cur.startsWith('-');
    const nextSort = active ? (desc ? col.key : `-${col.key}`) : (col.defaultDesc ? `-${col.key}` : col.key);
    return h('button', { type: 'button', class: 'sort', onclick: () => setState({ ...state, sort: nextSort, page: 1 }),
      'aria-label': `${col.label}, sort ${nextSort.startsWith('-') ? 'descending' : 'ascending'}` },
    col.label, h('span', { class: 'sort-ind', 'aria-hidden': 'true' }, active ? (desc ? ' ▼' : ' ▲') : ' ↕'));
  }

  function renderTable(rows) {
    const cur = state.sort || '';
    const thead = h('thead', null, h('tr', null, config.columns.map((c) => {
      const active = cur.replace(/^-/, '') === c.key;
      return h('th', { scope: 'col', class: [c.className, c.phone === false ? 'hide-sm' : null], 'aria-sort': c.sortable === false ? null : active ? (cur.startsWith('-') ? 'descending' : 'ascending') : 'none' },
        c.sortable === false ? c.label : sortButton(c));
    })));
    const tbody = h('tbody', null, rows.map((row) => h('tr', null, config.columns.map((c, i) => {
      const v = c.render ? c.render(row) : row[c.key];
      const content = v === null || v === undefined || v === '' ? h('span', { class: 'muted' }, '—') : v;
      const cls = [c.className, c.phone === false ? 'hide-sm' : null];
      return i === 0 ? h('th', { scope: 'row', class: cls, 'data-label': c.label }, content)
        : h('td', { class: cls, 'data-label': c.label }, content);
    }))));
    return h('div', { class: 'table-wrap' }, h('table', { class: 'data-table responsive', 'aria-labelledby': ids.cap },
      h('caption', { id: ids.cap, class: 'visually-hidden' }, config.caption), thead, tbody));
  }

  function renderPager(p) {
    const prev = h('button', { type: 'button', class: 'btn', disabled: p.page <= 1, onclick: () => setState({ ...state, page: p.page - 1 }) }, '‹ Previous');
    const next = h('button', { type: 'button', class: 'btn', disabled: p.page >= p.pages, onclick: () => setState({ ...state, page: p.page + 1 }) }, 'Next ›');
    const sizeId = nextId('ps');
    const size = h('select', { id: sizeId }, PAGE_SIZES.map((n) => h('option', { value: n, selected: n === Number(state.limit) }, String(n))));
    size.addEventListener('change', () => setState({ ...state, limit: Number(size.value), page: 1 }));
    mount(pager, prev, h('span', { class: 'page-of' }, `Page ${num(p.page)} of ${num(Math.max(1, p.pages))}`), next,
      h('span', { class: 'page-size' }, h('label', { for: sizeId }, 'Rows'), size));
  }

  async function load() {
    if (controller) controller.abort();
    controller = new AbortController();
    const signal = controller.signal;
    if (config.signal) config.signal.addEventListener('abort', () => controller && controller.abort(), { once: true });
    statusLine.textContent = 'Loading…';
    body.classList.add('busy');
    body.setAttribute('aria-busy', 'true');
    if (!body.firstChild) mount(body, loading(`Loading ${config.caption.toLowerCase()}…`));
    const query = { ...state, ...(config.fixed || {}) };
    try {
      const [json] = await Promise.all([api.get(config.endpoint, query, { signal }), config.companyNames === false ? null : loadCompanyNames()]);
      const res = shapes.list(json);
      if (signal.aborted) return;
      if (!res.rows.length) {
        mount(body, h('p', { class: 'state empty' }, state.q || Object.values(filterInputs).some((el) => el.value)
          ? 'Nothing matches these filters.' : 'Nothing here yet.'));
      } else mount(body, renderTable(res.rows));
      const first = res.total ? (res.page - 1) * res.limit + 1 : 0;
      const last = Math.min(res.total, first + res.rows.length - 1);
      statusLine.textContent = res.total ? `Showing ${num(first)}–${num(last)} of ${num(res.total)}` : '0 results';
      renderPager(res);
      pager.hidden = res.pages <= 1 && res.total <= PAGE_SIZES[0];
    } catch (e) {
      if (e && e.name === 'AbortError') return;
      statusLine.textContent = '';
      mount(body, errorBox(e, () => load()));
      announce(`Error loading ${config.caption}`);
    } finally {
      if (!signal.aborted) { body.classList.remove('busy'); body.removeAttribute('aria-busy'); }
    }
  }

  const el = h('section', { class: 'table-card card', 'aria-label': config.caption },
    config.title ? h('h2', null, config.title) : null, form, statusLine, body, pager);
  load();
  return el;
}

/** State for a hash-mode table from the route query. */
export function stateFromQuery(query, names) {
  const st = {};
  for (const k of ['q', 'page', 'limit', 'sort', ...names]) if (query.get(k) !== null) st[k] = query.get(k);
  return st;
}
