// Low-level HTTP: one fetch, JSON in and out, errors as ApiError. No auth logic here.
import { errorBody } from './api-shapes.js';

/** Base URL of the API: <meta name="avesa-api-base" content="..."> or the page's origin. */
function apiBase() {
  const meta = document.querySelector('meta[name="avesa-api-base"]');
  const v = meta ? meta.getAttribute('content') : '';
  return (v || '').replace(/\/+$/, '');
}

export class ApiError extends Error {
  constructor(status, code, message, retryAfter = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status; // 0 for network failures
    this.code = code;
    this.retryAfter = retryAfter; // seconds, for 429/503
  }
}

export function buildUrl(path, query) {
  const url = new URL(apiBase() + path, window.location.origin);
  for (const [k, v] of Object.entries(query || {})) {
    if (v === null || v === undefined || v === '') continue;
    url.searchParams.set(k, String(v));
  }
  return url.toString();
}

function retryAfterSeconds(res) {
  const h = res.headers.get('Retry-After');
  if (!h) return null;
  const n = Number(h);
  if (!Number.isNaN(n)) return Math.max(0, n);
  const d = Date.parse(h);
  return Number.isNaN(d) ? null : Math.max(0, Math.ceil((d - Date.now()) / 1000));
}

/** fetch + JSON. Throws ApiError on network failure or non-2xx. Returns parsed JSON (or null). */
export async function rawRequest(method, path, { query, body, token, signal } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  let res;
  try {
    res = await fetch(buildUrl(path, query), {
      method, headers, signal, credentials: 'same-origin', cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    if (e && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network', 'Cannot reach the server. Check your connection and try again.');
  }
  let json = null;
  const textBody = await res.text();
  if (textBody) {
    try { json = JSON.parse(textBody); } catch { json = null; }
  }
  if (!res.ok) {
    const err = errorBody(json);
    const retry = retryAfterSeconds(res);
    let message = err ? err.message : `Request failed (HTTP ${res.status}).`;
    if (res.status === 429) message = `Too many requests. Try again in ${retry ?? 'a few'} seconds.`;
    throw new ApiError(res.status, err ? err.code : `http_${res.status}`, message, retry);
  }
  return json;
}
