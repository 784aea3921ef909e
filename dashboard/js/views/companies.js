// Companies: list page and a company page with its totals, tickets and hours.
import { h, mount } from '../dom.js';
import * as api from '../api.js';
import * as shapes from '../api-shapes.js';
import * as f from '../format.js';
import { dataTable, stateFromQuery } from './table.js';
import { loading, errorBox, pageHeader, link, entityLink, badge, details } from '../ui.js';
import { serviceFilter, serviceCell, ticketColumns, ticketFilters, timeEntryColumns, timeEntryFilters } from './common.js';

export function renderList(ctx) {
  const filters = [
    { name: 'status', label: 'Status', type: 'text' },
    { name: 'type', label: 'Type', type: 'text' },
    serviceFilter,
  ];
  mount(ctx.main, pageHeader('Companies', 'Customers across all connected services'),
    dataTable({
      endpoint: '/api/companies', caption: 'Companies', hashPath: '/companies', pushHash: ctx.pushHash, signal: ctx.signal, companyNames: false,
      defaultSort: 'name', searchPlaceholder: 'Name, identifier or id…', filters,
      initial: stateFromQuery(ctx.query, filters.map((x) => x.name)),
      columns: [
        { key: 'name', label: 'Name', render: (r) => h('span', { class: 'stack' }, entityLink(link.company(r.id), r.name || r.id),
          r.identifier ? h('span', { class: 'muted small' }, String(r.identifier)) : null) },
        { key: 'status', label: 'Status', render: (r) => badge(r.status) },
        { key: 'type', label: 'Type' },
        { key: 'city', label: 'Location', render: (r) => [r.city, r.state, r.country].filter(Boolean).join(', ') || null },
        { key: 'phone', label: 'Phone', sortable: false, phone: false },
        { key: 'updated_at', label: 'Updated', defaultDesc: true, phone: false, render: (r) => f.date(r.updated_at) },
        { key: 'source_service', label: 'Source', phone: false, sortable: false, render: serviceCell },
      ],
    }));
}

function stat(label, value) {
  return h('li', { class: 'kpi-card card small' }, h('span', { class: 'kpi-label' }, label), h('span', { class: 'kpi-value' }, value));
}

export function renderDetail(ctx) {
  const id = ctx.params[0];
  const head = pageHeader('Company', null, h('a', { href: '#/companies', class: 'btn' }, '‹ All companies'));
  const info = h('section', { class: 'card', 'aria-label': 'Company details' }, loading('Loading company…'));
  const totals = h('section', { 'aria-label': 'Totals' });
  mount(ctx.main, head, totals, info);

  async function load() {
    try {
      const c = shapes.record(await api.get(`/api/companies/${encodeURIComponent(id)}`, null, { signal: ctx.signal }));
      const title = c.name || id;
      head.querySelector('h1').textContent = title;
      ctx.setTitle(title);
      const t = shapes.companyTotals(c);
      mount(totals, h('ul', { class: 'kpi-grid compact' },
        stat('Tickets', f.num(t.tickets)), stat('Open tickets', f.num(t.openTickets)),
        t.contacts !== null ? stat('Contacts', f.num(t.contacts)) : null,
        stat('Hours logged', f.hours(t.hours)), stat('Billable hours', f.hours(t.billableHours))));
      const website = c.website ? String(c.website) : null;
      mount(info, h('h2', null, 'Details'), details([
        ['Identifier', c.identifier], ['Status', badge(c.status)], ['Type', c.type], ['Phone', c.phone],
        ['Website', website && /^https?:\/\//i.test(website) ? h('a', { href: website, rel: 'noopener noreferrer nofollow', target: '_blank' }, website) : website],
        ['Address', [c.address, c.city, c.state, c.country].filter(Boolean).join(', ')],
        ['Source', serviceCell(c)], ['Source id', c.source_id], ['Created', f.dateTime(c.created_at)], ['Updated', f.dateTime(c.updated_at)],
        ['Canonical id', h('code', null, String(c.id ?? id))],
      ]));
      ctx.main.append(
        dataTable({ endpoint: '/api/tickets', title: 'Tickets', caption: `Tickets of ${title}`, fixed: { company_id: id }, signal: ctx.signal, companyNames: false,
          defaultSort: '-created_at', pageSize: 10, filters: ticketFilters.filter((x) => x.name !== 'source_service'),
          columns: ticketColumns({ withCompany: false }) }),
        dataTable({ endpoint: '/api/time-entries', title: 'Hours', caption: `Time entries of ${title}`, fixed: { company_id: id }, signal: ctx.signal, companyNames: false,
          defaultSort: '-started_at', pageSize: 10, filters: timeEntryFilters.filter((x) => x.name !== 'source_service' && x.name !== 'member'),
          columns: timeEntryColumns({ withCompany: false }) }));
    } catch (e) {
      if (e.name === 'AbortError') return;
      mount(info, errorBox(e, load));
    }
  }
  load();
}
