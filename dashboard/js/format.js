// Formatting of numbers, dates and durations for display (returns plain strings).

const nf0 = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const nf1 = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const nf2 = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });

export function isBlank(v) { return v === null || v === undefined || v === ''; }

export function num(v, digits = 0) {
  if (isBlank(v) || Number.isNaN(Number(v))) return '—';
  const n = Number(v);
  return (digits === 0 ? nf0 : digits === 1 ? nf1 : nf2).format(n);
}

export function hours(v) { return isBlank(v) ? '—' : `${num(v, 1)} h`; }

export function percent(v, digits = 1) {
  if (isBlank(v) || Number.isNaN(Number(v))) return '—';
  return `${num(Number(v) * 100, digits)}%`;
}

export function parseDate(v) {
  if (isBlank(v)) return null;
  const d = typeof v === 'number' ? new Date(v > 1e12 ? v : v * 1000) : new Date(String(v));
  return Number.isNaN(d.getTime()) ? null : d;
}

export function date(v) {
  const d = parseDate(v);
  return d ? d.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' }) : (isBlank(v) ? '—' : String(v));
}

export function dateTime(v) {
  const d = parseDate(v);
  return d ? d.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' })
    : (isBlank(v) ? '—' : String(v));
}

export function shortDay(v) {
  const d = parseDate(v);
  return d ? d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' }) : String(v ?? '');
}

export function bool(v) {
  if (isBlank(v)) return '—';
  return v === true || v === 1 || v === '1' || v === 'true' ? 'Yes' : 'No';
}

/** Any scalar as text; objects as compact JSON (still inserted as text). */
export function text(v) {
  if (isBlank(v)) return '—';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export function duration(startV, endV) {
  const a = parseDate(startV); const b = parseDate(endV);
  if (!a || !b) return '—';
  const sec = Math.max(0, Math.round((b - a) / 1000));
  if (sec < 60) return `${sec} s`;
  if (sec < 3600) return `${Math.floor(sec / 60)} min ${sec % 60} s`;
  return `${Math.floor(sec / 3600)} h ${Math.floor((sec % 3600) / 60)} min`;
}

/** Relative change from previous to value, as a fraction, or null when not computable. */
export function change(value, previous) {
  if (isBlank(value) || isBlank(previous)) return null;
  const v = Number(value); const p = Number(previous);
  if (Number.isNaN(v) || Number.isNaN(p)) return null;
  if (p === 0) return v === 0 ? 0 : null;
  return (v - p) / Math.abs(p);
}
