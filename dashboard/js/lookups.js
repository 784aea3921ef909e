// Company names for tables and detail pages. List rows carry only company_id (the API
// does not join), so the names are read once per session from GET /api/companies (up to
// 1,000 companies, newest session data wins) and kept in memory. When a name is unknown
// the id is shown instead.
import * as api from './api.js';
import * as shapes from './api-shapes.js';

const MAX_PAGES = 2;
const PAGE = 500;
let names = null; // Map id → name
let loading = null;

export function companyName(id) {
  if (id === null || id === undefined) return null;
  return names ? names.get(String(id)) ?? null : null;
}

/** Resolves when company names are loaded (or failed: then names stay unknown). Never rejects. */
export function loadCompanyNames() {
  if (names) return Promise.resolve(names);
  if (loading) return loading;
  loading = (async () => {
    const map = new Map();
    try {
      for (let page = 1; page <= MAX_PAGES; page += 1) {
        const res = shapes.list(await api.get('/api/companies', { page, limit: PAGE, sort: 'name' }));
        for (const c of res.rows) if (c && c.id !== undefined) map.set(String(c.id), c.name ? String(c.name) : '');
        if (page >= res.pages) break;
      }
      names = map;
    } catch {
      names = null; // try again next time
    }
    loading = null;
    return names || map;
  })();
  return loading;
}

/** Forget cached names (on sign-out). */
export function reset() { names = null; loading = null; }
