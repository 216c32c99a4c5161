import { createHash } from 'node:crypto';
import { badRequest } from './errors';

// Cursors carry the hash of the query they belong to, the offset, and
// the time of the first request, so later pages answer the same window.
// A cursor sent with a different query is refused, as Square documents.

interface CursorState {
  q: string;
  o: number;
  t: string;
}

function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([k, v]) => k !== 'cursor' && k !== 'limit' && v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${k}:${stable(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function queryKey(route: string, query: unknown): string {
  return createHash('sha256')
    .update(route + stable(query))
    .digest('base64url')
    .slice(0, 16);
}

export interface PageStart {
  offset: number;
  /** "now" as of the first page of this cursor sequence */
  now: Date;
}

export function openCursor(
  cursor: string | undefined,
  key: string,
  now: Date,
): PageStart {
  if (!cursor) return { offset: 0, now };
  let state: CursorState;
  try {
    state = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    badRequest('INVALID_CURSOR', 'The cursor is not valid.', 'cursor');
  }
  if (state?.q !== key || !Number.isSafeInteger(state.o)) {
    badRequest(
      'INVALID_CURSOR',
      'The cursor does not belong to this query.',
      'cursor',
    );
  }
  return { offset: state.o, now: new Date(state.t) };
}

export function takePage<T>(
  items: T[],
  start: PageStart,
  limit: number,
  key: string,
): { page: T[]; cursor?: string } {
  const page = items.slice(start.offset, start.offset + limit);
  const next = start.offset + limit;
  if (next >= items.length) return { page };
  const state: CursorState = { q: key, o: next, t: start.now.toISOString() };
  const cursor = Buffer.from(JSON.stringify(state)).toString('base64url');
  return { page, cursor };
}

/** Parses a limit: absent -> fallback, over max -> max (or error). */
export function parseLimit(
  raw: unknown,
  fallback: number,
  max: number,
  overMax: 'clamp' | 'error',
): number {
  if (raw === undefined || raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n)) {
    badRequest('EXPECTED_INTEGER', 'limit must be an integer.', 'limit');
  }
  if (n < 1) badRequest('VALUE_TOO_LOW', 'limit must be at least 1.', 'limit');
  if (n > max) {
    if (overMax === 'clamp') return fallback;
    badRequest('VALUE_TOO_HIGH', `limit must be at most ${max}.`, 'limit');
  }
  return n;
}

export function parseTime(
  raw: unknown,
  field: string,
  fallback?: Date,
): Date | undefined {
  if (raw === undefined || raw === null || raw === '') return fallback;
  const ms = typeof raw === 'string' ? Date.parse(raw) : NaN;
  if (Number.isNaN(ms)) {
    badRequest('INVALID_TIME', `${field} is not an RFC 3339 time.`, field);
  }
  return new Date(ms);
}

export function parseEnum(
  raw: unknown,
  allowed: readonly string[],
  fallback: string,
  field: string,
  code = 'INVALID_ENUM_VALUE',
): string {
  if (raw === undefined || raw === null || raw === '') return fallback;
  if (typeof raw !== 'string' || !allowed.includes(raw)) {
    badRequest(code, `${field} must be one of ${allowed.join(', ')}.`, field);
  }
  return raw;
}

export function timeOf(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

export function byTime<T>(
  field: (item: T) => unknown,
  order: string,
  id: (item: T) => string,
) {
  const sign = order === 'ASC' ? 1 : -1;
  return (a: T, b: T) => {
    const ta = timeOf(field(a)) ?? 0;
    const tb = timeOf(field(b)) ?? 0;
    if (ta !== tb) return (ta - tb) * sign;
    return id(a) < id(b) ? -sign : id(a) > id(b) ? sign : 0;
  };
}
