// Entry point: the app shell (header, navigation, user menu) and the hash router.
// Routes: #/login, #/overview, #/companies[/:id], #/contacts, #/tickets[/:id],
// #/time-entries, #/pipeline. List pages keep their filters in the hash query.
import { h, mount } from './dom.js';
import * as auth from './auth.js';
import * as api from './api.js';
import * as shapes from './api-shapes.js';
import { announce } from './ui.js';
import * as lookups from './lookups.js';
import * as loginView from './views/login.js';
import * as overview from './views/overview.js';
import * as companies from './views/companies.js';
import * as contacts from './views/contacts.js';
import * as tickets from './views/tickets.js';
import * as timeEntries from './views/time-entries.js';
import * as pipeline from './views/pipeline.js';

const ROUTES = [
  { re: /^\/login$/, view: loginView.render, title: 'Sign in', public: true },
  { re: /^\/(overview)?$/, view: overview.render, title: 'Overview', nav: '/overview' },
  { re: /^\/companies$/, view: companies.renderList, title: 'Companies', nav: '/companies' },
  { re: /^\/companies\/([^/]+)$/, view: companies.renderDetail, title: 'Company', nav: '/companies' },
  { re: /^\/contacts$/, view: contacts.renderList, title: 'Contacts', nav: '/contacts' },
  { re: /^\/tickets$/, view: tickets.renderList, title: 'Tickets', nav: '/tickets' },
  { re: /^\/tickets\/([^/]+)$/, view: tickets.renderDetail, title: 'Ticket', nav: '/tickets' },
  { re: /^\/time-entries$/, view: timeEntries.renderList, title: 'Time entries', nav: '/time-entries' },
  { re: /^\/pipeline$/, view: pipeline.render, title: 'Pipeline', nav: '/pipeline' },
];

const NAV = [
  ['/overview', 'Overview'], ['/companies', 'Companies'], ['/contacts', 'Contacts'],
  ['/tickets', 'Tickets'], ['/time-entries', 'Time entries'], ['/pipeline', 'Pipeline', 'admin'],
];

const main = document.getElementById('main');
const shellNav = document.getElementById('nav');
const userBox = document.getElementById('user');
const menuButton = document.getElementById('menu-button');
let current = null; // {hash, controller}

export function navigate(hash) { if (window.location.hash !== hash) window.location.hash = hash; else route(true); }

function parseHash() {
  const raw = window.location.hash.replace(/^#/, '') || '/overview';
  const [path, qs] = raw.split('?');
  return { path: path || '/', query: new URLSearchParams(qs || '') };
}

function renderShell(activeNav) {
  const user = auth.currentUser();
  const loggedIn = auth.isLoggedIn();
  document.body.classList.toggle('signed-out', !loggedIn);
  mount(shellNav, loggedIn ? h('ul', null, NAV.filter(([, , role]) => !role || auth.isAdmin()).map(([path, label]) =>
    h('li', null, h('a', { href: `#${path}`, 'aria-current': activeNav === path ? 'page' : null }, label)))) : null);
  mount(userBox, loggedIn ? [
    h('span', { class: 'user-id' }, h('span', { class: 'user-email' }, user ? user.email : ''),
      user && user.role ? h('span', { class: 'badge b-neutral' }, user.role) : null,
      user && user.tenantId ? h('span', { class: 'tenant' }, user.tenantId) : null),
    h('button', { type: 'button', class: 'btn', id: 'logout', onclick: onLogout }, 'Sign out'),
  ] : null);
  menuButton.hidden = !loggedIn;
}

async function onLogout() {
  await auth.logout();
  sessionStorage.removeItem('avesa.afterLogin');
  sessionStorage.setItem('avesa.notice', 'You have signed out.');
  announce('Signed out');
  navigate('#/login');
}

function route(force = false) {
  const hash = window.location.hash || '#/overview';
  if (!force && current && current.hash === hash) return;
  const { path, query } = parseHash();
  let match = null; let params = [];
  for (const r of ROUTES) { const m = path.match(r.re); if (m) { match = r; params = m.slice(1).map(decodeURIComponent); break; } }

  if (!match) { navigate('#/overview'); return; }
  if (!match.public && !auth.isLoggedIn()) {
    sessionStorage.setItem('avesa.afterLogin', hash);
    navigate('#/login');
    return;
  }
  if (match.public && auth.isLoggedIn() && path === '/login') { navigate('#/overview'); return; }

  if (current && current.controller) current.controller.abort();
  const controller = new AbortController();
  const same = current && current.path === path;
  // Re-rendering the same page (period switch, Back between filters): keep focus on the control used.
  const keepFocus = same && document.activeElement && main.contains(document.activeElement) ? document.activeElement.id : '';
  current = { hash, path, controller };
  document.body.classList.remove('nav-open');
  menuButton.setAttribute('aria-expanded', 'false');
  renderShell(match.nav);
  document.title = `${match.title} · Avesa`;
  mount(main);
  match.view({ main, params, query, signal: controller.signal, navigate, setTitle: (t) => { document.title = `${t} · Avesa`; },
    pushHash: (h2) => { history.pushState(null, '', h2); if (current && current.controller === controller) current.hash = h2; } });
  if (keepFocus) {
    const el = document.getElementById(keepFocus);
    if (el) el.focus({ preventScroll: true });
  }
  if (!same) {
    // Move focus to the page heading so keyboard and screen reader users land on the new page.
    const heading = main.querySelector('h1');
    if (heading && !main.contains(document.activeElement)) { heading.setAttribute('tabindex', '-1'); heading.focus({ preventScroll: true }); }
    window.scrollTo(0, 0);
    announce(`${match.title} page`);
  }
}

// The skip link must not change the hash (that is the router's): focus <main> directly.
document.querySelector('.skip-link').addEventListener('click', (e) => { e.preventDefault(); main.focus(); });

menuButton.addEventListener('click', () => {
  const open = !document.body.classList.contains('nav-open');
  document.body.classList.toggle('nav-open', open);
  menuButton.setAttribute('aria-expanded', String(open));
});

api.setUnauthorizedHandler(() => {
  if (parseHash().path === '/login') return;
  sessionStorage.setItem('avesa.afterLogin', window.location.hash);
  sessionStorage.setItem('avesa.notice', 'Your session has expired. Please sign in again.');
  auth.expire();
  navigate('#/login');
});
auth.onChange((s) => {
  if (!s) lookups.reset(); // another user or tenant may sign in next
  if (current) renderShell(ROUTES.find((r) => current.path.match(r.re))?.nav);
});

window.addEventListener('hashchange', () => route());
window.addEventListener('popstate', () => route());
route();

// Refresh the user's details (role may have changed) without blocking the first render.
if (auth.isLoggedIn()) {
  api.get('/auth/me').then((json) => { const u = shapes.user(json); if (u && u.email) auth.setUser(u); }).catch(() => {});
}
