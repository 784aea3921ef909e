// Column and filter definitions shared by several pages.
import { h } from '../dom.js';
import { badge, link, entityLink } from '../ui.js';
import * as f from '../format.js';
import { companyName } from '../lookups.js';

export const SERVICES = [['connectwise', 'ConnectWise'], ['servicenow', 'ServiceNow'], ['salesforce', 'Salesforce'], ['m365', 'Microsoft 365']];
export const CATEGORIES = [['open', 'Open'], ['in_progress', 'In progress'], ['resolved', 'Resolved'], ['closed', 'Closed']];

export const serviceFilter = { name: 'source_service', label: 'Source', type: 'select', options: SERVICES };
export const dateFilters = [{ name: 'from', label: 'From', type: 'date' }, { name: 'to', label: 'To', type: 'date' }];

export function companyCell(row, idKey = 'company_id', nameKey = 'company_name') {
  const id = row[idKey];
  if (!id) return null;
  return entityLink(link.company(id), row[nameKey] || (row.company && row.company.name) || companyName(id) || id);
}

/** Long unbroken values (source ids, sys_ids) cut with an ellipsis; the full value in a tooltip. */
export function clipped(v, cls = '') {
  if (v === null || v === undefined || v === '') return null;
  return h('span', { class: ['clip', cls], title: String(v) }, String(v));
}

export function serviceCell(row) {
  const v = row.source_service;
  if (!v) return null;
  const known = SERVICES.find(([k]) => k === v);
  return h('span', { class: 'service' }, known ? known[1] : String(v));
}

export const ticketColumns = ({ withCompany = true } = {}) => [
  { key: 'summary', label: 'Ticket', render: (r) => h('span', { class: 'stack' },
    entityLink(link.ticket(r.id), r.summary || r.id), clipped(r.source_id ?? r.id, 'muted small')) },
  withCompany ? { key: 'company_id', label: 'Company', render: (r) => companyCell(r) } : null,
  { key: 'status', label: 'Status', render: (r) => badge(r.status, r.status_category) },
  { key: 'priority', label: 'Priority', render: (r) => r.priority ?? null },
  { key: 'assigned_to', label: 'Assigned to', render: (r) => clipped(r.assigned_to) },
  { key: 'created_at', label: 'Created', defaultDesc: true, className: 'nowrap', render: (r) => f.date(r.created_at) },
  { key: 'updated_at', label: 'Updated', defaultDesc: true, phone: false, className: 'nowrap', render: (r) => f.date(r.updated_at) },
  { key: 'source_service', label: 'Source', phone: false, sortable: false, render: serviceCell },
].filter(Boolean);

export const ticketFilters = [
  { name: 'status_category', label: 'Category', type: 'select', options: CATEGORIES },
  { name: 'status', label: 'Status', type: 'text' },
  { name: 'priority', label: 'Priority', type: 'text' },
  ...dateFilters,
  serviceFilter,
];

export const timeEntryColumns = ({ withCompany = true } = {}) => [
  { key: 'started_at', label: 'Date', defaultDesc: true, className: 'nowrap', render: (r) => f.dateTime(r.started_at) },
  { key: 'member', label: 'Member', render: (r) => clipped(r.member) },
  withCompany ? { key: 'company_id', label: 'Company', render: (r) => companyCell(r) } : null,
  { key: 'ticket_id', label: 'Ticket', render: (r) => (r.ticket_id ? entityLink(link.ticket(r.ticket_id), r.ticket_summary || r.ticket_id) : null) },
  { key: 'hours', label: 'Hours', className: 'num', defaultDesc: true, render: (r) => f.num(r.hours, 2) },
  { key: 'billable', label: 'Billable', sortable: false, render: (r) => f.bool(r.billable) },
  { key: 'notes', label: 'Notes', sortable: false, className: 'notes', render: (r) => (r.notes ? String(r.notes) : null) },
  { key: 'source_service', label: 'Source', phone: false, sortable: false, render: serviceCell },
].filter(Boolean);

export const YES_NO = [['true', 'Yes'], ['false', 'No']];
export const timeEntryFilters = [{ name: 'member', label: 'Member', type: 'text' }, { name: 'billable', label: 'Billable', type: 'select', options: YES_NO }, ...dateFilters, serviceFilter];
