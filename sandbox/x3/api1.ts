import { createHash } from 'node:crypto';
import { API1_CLASSES, Api1Class } from './api1-classes';
import {
  parseWhere,
  UnknownPropertyError,
  WhereSyntaxError,
} from './sdata-where';
import type { X3Store } from './store';

// Read side of the Syracuse REST API (api1): $query lists with paging,
// where, orderBy and key=, and $details on one key. Errors come back as
// $diagnoses, the way X3 reports them.

type Row = Record<string, unknown>;

export interface Api1Answer {
  status: number;
  body: unknown;
}

const DEFAULT_COUNT = 20;

const diagnosis = (status: number, message: string): Api1Answer => ({
  status,
  body: { $diagnoses: [{ $severity: 'error', $message: message }] },
});

function uuidOf(cls: string, key: string): string {
  const hex = createHash('sha1').update(`${cls}:${key}`).digest('hex');
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    hex.slice(12, 16),
    hex.slice(16, 20),
    hex.slice(20, 32),
  ].join('-');
}

interface Route {
  cls: string;
  key?: string;
}

function route(path: string): Route | null {
  const m = /^([A-Z0-9_]+)(?:\('((?:[^']|'')*)'\))?$/.exec(path);
  return m ? { cls: m[1], key: m[2]?.replace(/''/g, "'") } : null;
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a ?? '');
  const y = String(b ?? '');
  return x < y ? -1 : x > y ? 1 : 0;
}

function ordering(spec: string, def: Api1Class) {
  const parts = spec.trim() ? spec.split(',') : [];
  const keys = parts.map((part) => {
    const [field, dir = 'asc'] = part.trim().split(/\s+/);
    if (!def.query.includes(field)) {
      throw new UnknownPropertyError(
        `Property ${field} is not in the $query facet`,
      );
    }
    return { field, sign: dir.toLowerCase() === 'desc' ? -1 : 1 };
  });
  keys.push({ field: def.key, sign: 1 });
  return (a: Row, b: Row) => {
    for (const { field, sign } of keys) {
      const c = compare(a[field], b[field]);
      if (c !== 0) return c * sign;
    }
    return 0;
  };
}

function keyFilter(spec: string, keyField: string): (row: Row) => boolean {
  const m = /^(gt|ge|lt|le)\.(.*)$/.exec(spec);
  if (!m) throw new WhereSyntaxError(`key: cannot read ${spec}`);
  const [, op, value] = m;
  return (row) => {
    const c = compare(row[keyField], value);
    return { gt: c > 0, ge: c >= 0, lt: c < 0, le: c <= 0 }[op as 'gt'];
  };
}

export function handleApi1(
  store: X3Store,
  path: string,
  params: URLSearchParams,
  self: string,
): Api1Answer {
  const target = route(path);
  const def = target && API1_CLASSES[target.cls];
  if (!target || !def) return diagnosis(404, `Class ${path} : unknown class`);

  const representation = params.get('representation');
  if (!representation)
    return diagnosis(400, 'representation parameter missing');
  const [rep, facet] = representation.split('.');
  if (rep !== target.cls) {
    return diagnosis(404, `Representation ${rep} : unknown representation`);
  }
  const urlOf = (key: string) =>
    `${self}('${key.replace(/'/g, "''")}')?representation=${rep}.$details`;
  const envelope = (row: Row) => {
    const key = String(row[def.key]);
    return { $uuid: uuidOf(target.cls, key), $key: key, $url: urlOf(key) };
  };
  const rows = def.rows(store);

  if (target.key !== undefined) {
    if (facet !== '$details' && facet !== '$edit') {
      return diagnosis(400, `Facet ${facet} not allowed on a single record`);
    }
    const row = rows.find((r) => r[def.key] === target.key);
    if (!row) return diagnosis(404, `${target.key} : Record does not exist`);
    const body = def.details ? def.details(row, store) : row;
    return {
      status: 200,
      body: { ...envelope(row), $etag: row.UPDDATTIM, ...body },
    };
  }

  if (facet !== '$query')
    return diagnosis(400, `Facet ${facet} not supported here`);
  let selected: Row[];
  try {
    const fields = new Set(rows.length ? Object.keys(rows[0]) : def.query);
    const where = params.get('where');
    const key = params.get('key');
    selected = rows;
    if (where) {
      const test = parseWhere(where, fields);
      selected = selected.filter(test);
    }
    if (key) selected = selected.filter(keyFilter(key, def.key));
    const orderBy = params.get('orderBy');
    selected = [...selected].sort(ordering(orderBy ?? '', def));
  } catch (error) {
    if (error instanceof UnknownPropertyError)
      return diagnosis(500, error.message);
    if (error instanceof WhereSyntaxError) return diagnosis(400, error.message);
    throw error;
  }

  const count = Math.max(1, Number(params.get('count')) || DEFAULT_COUNT);
  const startIndex = Math.max(1, Number(params.get('startIndex')) || 1);
  const page = selected.slice(startIndex - 1, startIndex - 1 + count);
  const links: Record<string, { $url: string }> = {};
  const pageUrl = (start: number) => {
    const next = new URLSearchParams(params);
    next.set('startIndex', String(start));
    next.set('count', String(count));
    return `${self}?${next.toString()}`;
  };
  if (startIndex - 1 + page.length < selected.length) {
    links.$next = { $url: pageUrl(startIndex + count) };
  }
  if (startIndex > 1) {
    links.$previous = { $url: pageUrl(Math.max(1, startIndex - count)) };
  }
  const resources = page.map((row) => {
    const fields: Row = {};
    for (const f of def.query) fields[f] = row[f];
    return { ...envelope(row), ...fields };
  });
  return {
    status: 200,
    body: {
      $url: `${self}?${params.toString()}`,
      $startIndex: startIndex,
      $itemsPerPage: count,
      $totalResults: selected.length,
      $resources: resources,
      $links: links,
    },
  };
}
