// Shared UI pieces: loading and error states, the global live region, page headers,
// badges, links to entities.
import { h } from './dom.js';
import { ApiError } from './http.js';

export function announce(message) {
  const live = document.getElementById('live');
  if (!live) return;
  live.textContent = '';
  // A tick later so screen readers notice a repeated message.
  setTimeout(() => { live.textContent = message; }, 30);
}

export function loading(text = 'Loading…') {
  return h('div', { class: 'state loading', role: 'status', 'aria-live': 'polite' },
    h('span', { class: 'spinner', 'aria-hidden': 'true' }), text);
}

export function errorMessage(err) {
  if (err instanceof ApiError) {
    if (err.status === 403) return 'You do not have access to this. Ask an administrator.';
    if (err.status === 404) return 'Not found. It may have been deleted or belong to another tenant.';
    return err.message;
  }
  return (err && err.message) || 'Something went wrong.';
}

export function errorBox(err, retry) {
  return h('div', { class: 'state error', role: 'alert' },
    h('p', null, h('strong', null, 'Could not load. '), errorMessage(err)),
    retry ? h('button', { type: 'button', class: 'btn', onclick: retry }, 'Try again') : null);
}

export function pageHeader(title, subtitle, ...actions) {
  return h('header', { class: 'page-header' },
    h('div', null, h('h1', { id: 'page-title', tabindex: '-1' }, title), subtitle ? h('p', { class: 'subtitle' }, subtitle) : null),
    actions.length ? h('div', { class: 'page-actions' }, actions) : null);
}

const CATEGORY_CLASS = { open: 'b-open', new: 'b-open', in_progress: 'b-progress', resolved: 'b-resolved', closed: 'b-closed',
  succeeded: 'b-resolved', success: 'b-resolved', ok: 'b-resolved', completed: 'b-resolved', failed: 'b-error', error: 'b-error',
  running: 'b-progress', queued: 'b-open', pending: 'b-open', done: 'b-resolved', partial: 'b-warn', cancelled: 'b-closed', idle: 'b-closed' };

export function badge(value, category) {
  if (value === null || value === undefined || value === '') return h('span', { class: 'muted' }, '—');
  const key = String(category ?? value).toLowerCase().replace(/[\s-]+/g, '_');
  return h('span', { class: ['badge', CATEGORY_CLASS[key] || 'b-neutral'] }, String(value));
}

export const link = {
  company: (id) => `#/companies/${encodeURIComponent(id)}`,
  ticket: (id) => `#/tickets/${encodeURIComponent(id)}`,
};

export function entityLink(href, label) {
  if (!href) return h('span', null, label ?? '—');
  return h('a', { href }, label === null || label === undefined || label === '' ? '(unnamed)' : String(label));
}

/** A definition list from [[label, value-or-node], ...]. */
export function details(pairs) {
  return h('dl', { class: 'details' }, pairs.map(([k, v]) => h('div', { class: 'detail' }, h('dt', null, k),
    h('dd', null, v === null || v === undefined || v === '' ? '—' : v))));
}
