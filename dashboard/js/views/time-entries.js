// Time entries list.
import { mount } from '../dom.js';
import { dataTable, stateFromQuery } from './table.js';
import { pageHeader } from '../ui.js';
import { timeEntryColumns, timeEntryFilters } from './common.js';

export function renderList(ctx) {
  const filters = [{ name: 'company_id', label: 'Company id', type: 'text' }, ...timeEntryFilters];
  mount(ctx.main, pageHeader('Time entries', 'Hours logged against tickets and companies'),
    dataTable({
      endpoint: '/api/time-entries', caption: 'Time entries', hashPath: '/time-entries', pushHash: ctx.pushHash, signal: ctx.signal,
      defaultSort: '-started_at', searchPlaceholder: 'Member or notes…', filters,
      initial: stateFromQuery(ctx.query, filters.map((x) => x.name)),
      columns: timeEntryColumns(),
    }));
}
