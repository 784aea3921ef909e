// Authenticated API calls: adds the bearer token, refreshes it once on 401 (or
// proactively when about to expire), then retries; if the refresh fails the session is
// dropped and the app goes back to the login page. A 429 with a short Retry-After is
// retried once after waiting.
import { rawRequest, ApiError } from './http.js';
import * as auth from './auth.js';

let onUnauthorized = () => {};
export function setUnauthorizedHandler(fn) { onUnauthorized = fn; }

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function request(method, path, { query, body, signal } = {}) {
  if (!auth.isLoggedIn()) { onUnauthorized(); throw new ApiError(401, 'unauthenticated', 'Please sign in.'); }
  if (auth.accessTokenStale()) await auth.refresh();
  const attempt = () => rawRequest(method, path, { query, body, signal, token: auth.accessToken() });
  try {
    return await attempt();
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    if (e.status === 401) {
      const ok = await auth.refresh();
      if (!ok) { onUnauthorized(); throw new ApiError(401, 'session_expired', 'Your session has expired. Please sign in again.'); }
      try { return await attempt(); } catch (e2) {
        if (e2 instanceof ApiError && e2.status === 401) { auth.expire(); onUnauthorized(); }
        throw e2;
      }
    }
    if (e.status === 429 && method === 'GET' && e.retryAfter !== null && e.retryAfter <= 5) {
      await sleep(e.retryAfter * 1000 + 100);
      return attempt();
    }
    throw e;
  }
}

export const get = (path, query, opts = {}) => request('GET', path, { ...opts, query });
export const post = (path, body, opts = {}) => request('POST', path, { ...opts, body: body ?? {} });
