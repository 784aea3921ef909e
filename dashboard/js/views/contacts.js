// Contacts list.
import { h, mount } from '../dom.js';
import * as f from '../format.js';
import { dataTable, stateFromQuery } from './table.js';
import { pageHeader } from '../ui.js';
import { serviceFilter, serviceCell, companyCell, YES_NO } from './common.js';

export function renderList(ctx) {
  const filters = [{ name: 'active', label: 'Active', type: 'select', options: YES_NO }, { name: 'company_id', label: 'Company id', type: 'text' }, serviceFilter];
  mount(ctx.main, pageHeader('Contacts', 'People at your customers'),
    dataTable({
      endpoint: '/api/contacts', caption: 'Contacts', hashPath: '/contacts', pushHash: ctx.pushHash, signal: ctx.signal,
      defaultSort: 'last_name', searchPlaceholder: 'Name or email…', filters,
      initial: stateFromQuery(ctx.query, filters.map((x) => x.name)),
      columns: [
        { key: 'last_name', label: 'Name', render: (r) => [r.first_name, r.last_name].filter(Boolean).join(' ') || null },
        { key: 'email', label: 'Email', render: (r) => (r.email ? h('span', { class: 'break' }, String(r.email)) : null) },
        { key: 'company_id', label: 'Company', render: (r) => companyCell(r) },
        { key: 'title', label: 'Title' },
        { key: 'phone', label: 'Phone', sortable: false, phone: false },
        { key: 'active', label: 'Active', sortable: false, render: (r) => f.bool(r.active) },
        { key: 'source_service', label: 'Source', phone: false, sortable: false, render: serviceCell },
      ],
    }));
}
