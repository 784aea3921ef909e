// Session: tokens, the signed-in user, login / refresh / logout.
//
// Token storage trade-off: tokens live in sessionStorage.
//  + scoped to this tab and cleared when it closes; never sent automatically by the
//    browser, so there is no CSRF exposure (the API uses Authorization: Bearer).
//  + survives a page reload, so F5 does not log the user out.
//  − readable by any script running on this origin: an XSS bug would expose them.
//    We mitigate with a strict Content-Security-Policy (no inline or third-party
//    script), no innerHTML with data anywhere, and short-lived access tokens (15 min)
//    whose refresh token is rotated on every use.
//  An httpOnly, SameSite=Strict cookie for the refresh token would be stronger against
//  XSS but needs server support (cookie issuance + CSRF defence) that the API contract
//  does not have today. In-memory only would lose the session on every reload.
import { rawRequest, ApiError } from './http.js';
import * as shapes from './api-shapes.js';

const KEY = 'avesa.session.v1';
let session = load();
let refreshing = null; // single-flight refresh promise
const listeners = new Set();

function load() {
  try { return JSON.parse(sessionStorage.getItem(KEY)) || null; } catch { return null; }
}
function save(s) {
  session = s;
  if (s) sessionStorage.setItem(KEY, JSON.stringify(s)); else sessionStorage.removeItem(KEY);
  listeners.forEach((fn) => fn(s));
}

function fromTokens(json, fallbackUser) {
  const t = shapes.tokens(json);
  if (!t.accessToken) throw new ApiError(500, 'bad_response', 'The server sent no access token.');
  const ttl = (Number.isFinite(t.expiresIn) && t.expiresIn > 0 ? t.expiresIn : 900) * 1000;
  return {
    accessToken: t.accessToken,
    refreshToken: t.refreshToken,
    expiresAt: Date.now() + ttl,
    margin: Math.min(30_000, ttl / 4),
    user: t.user || fallbackUser || null,
  };
}

export function onChange(fn) { listeners.add(fn); return () => listeners.delete(fn); }
export function isLoggedIn() { return !!(session && session.accessToken); }
export function currentUser() { return session ? session.user : null; }
export function isAdmin() { const u = currentUser(); return !!u && String(u.role).toLowerCase() === 'admin'; }
export function accessToken() { return session ? session.accessToken : null; }
/** True when the access token is expired or about to be (30 s margin, less for short-lived tokens). */
export function accessTokenStale() { return !!session && Date.now() > (session.expiresAt || 0) - (session.margin ?? 30_000); }

export async function login(tenantId, email, password) {
  const json = await rawRequest('POST', '/auth/login', { body: { tenant_id: tenantId, email, password } });
  save(fromTokens(json));
  return session.user;
}

/** Rotate tokens once; concurrent callers share the same request. Resolves true on success. */
export function refresh() {
  if (refreshing) return refreshing;
  const rt = session && session.refreshToken;
  if (!rt) return Promise.resolve(false);
  refreshing = rawRequest('POST', '/auth/refresh', { body: { refresh_token: rt } })
    .then((json) => { save(fromTokens(json, session && session.user)); return true; })
    .catch((e) => {
      if (e instanceof ApiError && e.status === 0) throw e; // offline: keep the session
      save(null); return false;
    })
    .finally(() => { refreshing = null; });
  return refreshing;
}

export async function logout() {
  const rt = session && session.refreshToken;
  const at = session && session.accessToken;
  save(null);
  if (rt) {
    try { await rawRequest('POST', '/auth/logout', { body: { refresh_token: rt }, token: at }); } catch { /* already signed out locally */ }
  }
}

/** Drop the session locally (after a failed refresh). */
export function expire() { save(null); }

/** Update the stored user from GET /auth/me. */
export function setUser(u) { if (session && u) save({ ...session, user: u }); }
