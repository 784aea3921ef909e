// Tickets: list page and a ticket page with its full SCD Type 2 history — one
// timeline entry per version, showing which fields changed and from what.
import { h, mount } from '../dom.js';
import * as api from '../api.js';
import * as shapes from '../api-shapes.js';
import * as f from '../format.js';
import { dataTable, stateFromQuery } from './table.js';
import { loading, errorBox, pageHeader, link, entityLink, badge, details } from '../ui.js';
import { ticketColumns, ticketFilters, serviceCell, companyCell, timeEntryColumns } from './common.js';
import { loadCompanyNames } from '../lookups.js';

export function renderList(ctx) {
  const filters = [...ticketFilters, { name: 'company_id', label: 'Company id', type: 'text' }];
  mount(ctx.main, pageHeader('Tickets', 'Service tickets, incidents and cases'),
    dataTable({
      endpoint: '/api/tickets', caption: 'Tickets', hashPath: '/tickets', pushHash: ctx.pushHash, signal: ctx.signal,
      defaultSort: '-created_at', searchPlaceholder: 'Summary or id…', filters,
      initial: stateFromQuery(ctx.query, filters.map((x) => x.name)),
      columns: ticketColumns(),
    }));
}

const TIME_FIELDS = new Set(['created_at', 'updated_at', 'resolved_at', 'closed_at']);
const LABELS = { status_category: 'category', assigned_to: 'assigned to', company_id: 'company', contact_id: 'contact' };

function valueText(field, v) {
  if (v === undefined || v === null || v === '') return '∅';
  return TIME_FIELDS.has(field) ? f.dateTime(v) : f.text(v);
}

function versionItem(v, total) {
  const meaningful = v.changes.filter((c) => c.field !== 'updated_at');
  const title = v.version === 1 ? 'Created' : meaningful.length
    ? `Changed ${meaningful.slice(0, 3).map((c) => LABELS[c.field] || c.field.replace(/_/g, ' ')).join(', ')}${meaningful.length > 3 ? '…' : ''}`
    : 'Touched (no field changes)';
  const changes = v.version === 1
    ? h('dl', { class: 'initial-values' }, v.changes.filter((c) => c.field !== 'id').map((c) =>
      h('div', null, h('dt', null, c.field), h('dd', null, valueText(c.field, c.after)))))
    : v.changes.length
      ? h('table', { class: 'changes' },
        h('caption', { class: 'visually-hidden' }, `Changes in version ${v.version}`),
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Field'), h('th', { scope: 'col' }, 'Before'), h('th', { scope: 'col' }, 'After'))),
        h('tbody', null, v.changes.map((c) => h('tr', null, h('th', { scope: 'row' }, c.field),
          h('td', { class: 'before' }, h('del', null, valueText(c.field, c.before))),
          h('td', { class: 'after' }, h('ins', null, valueText(c.field, c.after)))))))
      : h('p', { class: 'muted' }, 'No tracked field changed.');
  return h('li', { class: ['version', v.current ? 'current' : null] },
    h('span', { class: 'dot', 'aria-hidden': 'true' }),
    h('div', { class: 'version-body card' },
      h('h3', null, h('span', { class: 'version-no' }, `Version ${v.version} of ${total}`), ' ', title,
        v.current ? h('span', { class: 'badge b-progress' }, 'current') : null),
      h('p', { class: 'validity' },
        'Valid from ', h('time', { datetime: String(v.validFrom ?? '') }, f.dateTime(v.validFrom)),
        ' to ', v.validTo ? h('time', { datetime: String(v.validTo) }, f.dateTime(v.validTo)) : h('strong', null, 'now'),
        v.validTo ? ` (${f.duration(v.validFrom, v.validTo)})` : null),
      changes));
}

export function renderDetail(ctx) {
  const id = ctx.params[0];
  const head = pageHeader('Ticket', null, h('a', { href: '#/tickets', class: 'btn' }, '‹ All tickets'));
  const info = h('section', { class: 'card', 'aria-label': 'Ticket details' }, loading('Loading ticket…'));
  const hist = h('section', { class: 'history', 'aria-labelledby': 'history-title' },
    h('h2', { id: 'history-title' }, 'History'),
    h('p', { class: 'subtitle' }, 'Every version kept by the warehouse (SCD Type 2), oldest first.'),
    h('div', { class: 'history-body' }, loading('Loading history…')));
  const entries = dataTable({ endpoint: '/api/time-entries', title: 'Time entries', caption: 'Time entries of this ticket', fixed: { ticket_id: id },
    signal: ctx.signal, companyNames: false, defaultSort: '-started_at', pageSize: 10, filters: [],
    columns: timeEntryColumns({ withCompany: false }).filter((c) => c.key !== 'ticket_id') });
  mount(ctx.main, head, info, hist, entries);
  const histBody = hist.querySelector('.history-body');

  async function loadTicket() {
    try {
      const [json] = await Promise.all([api.get(`/api/tickets/${encodeURIComponent(id)}`, null, { signal: ctx.signal }), loadCompanyNames()]);
      const t = shapes.record(json);
      const totals = shapes.companyTotals(t);
      const title = t.summary || id;
      head.querySelector('h1').textContent = title;
      ctx.setTitle(title);
      mount(info, h('h2', null, 'Details'), details([
        ['Status', badge(t.status, t.status_category)], ['Category', t.status_category], ['Priority', t.priority],
        ['Company', companyCell(t)], ['Contact', t.contact_name || t.contact_id], ['Board', t.board], ['Type', t.type],
        ['Assigned to', t.assigned_to], ['Created', f.dateTime(t.created_at)], ['Updated', f.dateTime(t.updated_at)],
        ['Resolved', f.dateTime(t.resolved_at)], ['Closed', f.dateTime(t.closed_at)],
        ['Source', serviceCell(t)], ['Source id', t.source_id], ['Canonical id', h('code', null, String(t.id ?? id))],
        ['Hours logged', totals.hours === null ? null : `${f.hours(totals.hours)}${totals.billableHours !== null ? ` (${f.hours(totals.billableHours)} billable)` : ''}`],
      ]));
    } catch (e) { if (e.name !== 'AbortError') mount(info, errorBox(e, loadTicket)); }
  }
  async function loadHistory() {
    mount(histBody, loading('Loading history…'));
    try {
      const versions = shapes.history(await api.get(`/api/tickets/${encodeURIComponent(id)}/history`, null, { signal: ctx.signal }));
      if (!versions.length) { mount(histBody, h('p', { class: 'state empty' }, 'No history recorded.')); return; }
      mount(histBody, h('ol', { class: 'timeline' }, versions.map((v) => versionItem(v, versions.length))));
    } catch (e) { if (e.name !== 'AbortError') mount(histBody, errorBox(e, loadHistory)); }
  }
  loadTicket(); loadHistory();
}

