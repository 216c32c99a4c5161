import type { Customer, Location } from '../../lib/square/types';
import { badRequest, notFound } from './errors';
import { isListable } from './customers';
import {
  byTime,
  openCursor,
  parseEnum,
  parseLimit,
  parseTime,
  queryKey,
  takePage,
  timeOf,
} from './paging';
import { listBody, type Route, type RouteContext } from './router';
import { clone } from './store';

// Customers (list, search, retrieve) and Locations (list, retrieve).

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};

function nameKey(c: Customer): string {
  return [c.given_name, c.family_name, c.company_name, c.email_address]
    .map((s) => (s ?? '').toLowerCase())
    .join('\u0000');
}

function sortCustomers(list: Customer[], field: string, order: string) {
  if (field === 'CREATED_AT') {
    list.sort(
      byTime(
        (c: Customer) => c.created_at,
        order,
        (c) => c.id,
      ),
    );
    return;
  }
  const sign = order === 'DESC' ? -1 : 1;
  list.sort((a, b) => {
    const ka = nameKey(a);
    const kb = nameKey(b);
    if (ka !== kb) return ka < kb ? -sign : sign;
    return a.id < b.id ? -sign : sign;
  });
}

function page(
  ctx: RouteContext,
  all: Customer[],
  key: string,
  cursor: unknown,
  limit: number,
  count: boolean,
) {
  const start = openCursor(
    typeof cursor === 'string' && cursor ? cursor : undefined,
    key,
    ctx.store.now(),
  );
  const { page: items, cursor: next } = takePage(all, start, limit, key);
  const extra = count ? { count: all.length } : {};
  return { body: listBody('customers', clone(items), next, extra) };
}

function listCustomers(ctx: RouteContext) {
  const q = ctx.query;
  const key = queryKey('customers', Object.fromEntries(q.entries()));
  const limit = parseLimit(q.get('limit'), 100, 100, 'error');
  const field = parseEnum(
    q.get('sort_field'),
    ['DEFAULT', 'CREATED_AT'],
    'DEFAULT',
    'sort_field',
  );
  const order = parseEnum(
    q.get('sort_order'),
    ['ASC', 'DESC'],
    'ASC',
    'sort_order',
    'INVALID_SORT_ORDER',
  );
  const all = [...ctx.store.customers.values()].filter(isListable);
  sortCustomers(all, field, order);
  return page(ctx, all, key, q.get('cursor'), limit, q.get('count') === 'true');
}

function inRange(value: string | undefined, range: unknown, name: string) {
  if (range === undefined) return true;
  const r = obj(range);
  const start = parseTime(r.start_at, `${name}.start_at`);
  const end = parseTime(r.end_at, `${name}.end_at`);
  const at = timeOf(value);
  if (at === undefined) return false;
  if (start && at < start.getTime()) return false;
  if (end && at > end.getTime()) return false;
  return true;
}

function textMatch(value: string | undefined, filter: unknown): boolean {
  if (filter === undefined) return true;
  const f = obj(filter);
  if (f.exact !== undefined && f.fuzzy !== undefined) {
    badRequest('CONFLICTING_PARAMETERS', 'Use exact or fuzzy, not both.');
  }
  const v = (value ?? '').toLowerCase();
  if (typeof f.exact === 'string') return v === f.exact.toLowerCase();
  if (typeof f.fuzzy === 'string') return v.includes(f.fuzzy.toLowerCase());
  return true;
}

function searchCustomers(ctx: RouteContext) {
  const body = ctx.body;
  const key = queryKey('customers/search', body);
  const limit = parseLimit(body.limit, 100, 100, 'error');
  const query = obj(body.query);
  const filter = obj(query.filter);
  const sort = obj(query.sort);
  const field = parseEnum(
    sort.field,
    ['DEFAULT', 'CREATED_AT'],
    'DEFAULT',
    'query.sort.field',
  );
  const order = parseEnum(
    sort.order,
    ['ASC', 'DESC'],
    'ASC',
    'query.sort.order',
    'INVALID_SORT_ORDER',
  );
  const base = 'query.filter';
  const all = [...ctx.store.customers.values()].filter(
    (c) =>
      inRange(c.created_at, filter.created_at, `${base}.created_at`) &&
      inRange(c.updated_at, filter.updated_at, `${base}.updated_at`) &&
      textMatch(c.email_address, filter.email_address) &&
      textMatch(c.phone_number, filter.phone_number) &&
      textMatch(c.reference_id as string | undefined, filter.reference_id),
  );
  sortCustomers(all, field, order);
  return page(ctx, all, key, body.cursor, limit, body.count === true);
}

function sortedLocations(ctx: RouteContext): Location[] {
  return [...ctx.store.locations.values()].sort((a, b) =>
    (a.name ?? '').localeCompare(b.name ?? ''),
  );
}

export const customerRoutes: Route[] = [
  {
    method: 'GET',
    path: '/v2/customers',
    auth: 'bearer',
    handler: listCustomers,
  },
  {
    method: 'POST',
    path: '/v2/customers/search',
    auth: 'bearer',
    handler: searchCustomers,
  },
  {
    method: 'GET',
    path: '/v2/customers/:id',
    auth: 'bearer',
    handler: (ctx) => {
      const c = ctx.store.customers.get(ctx.params.id);
      if (!c) notFound('customer', ctx.params.id);
      return { body: { customer: clone(c) } };
    },
  },
  {
    method: 'GET',
    path: '/v2/locations',
    auth: 'bearer',
    handler: (ctx) => ({ body: { locations: clone(sortedLocations(ctx)) } }),
  },
  {
    method: 'GET',
    path: '/v2/locations/:id',
    auth: 'bearer',
    handler: (ctx) => {
      const id =
        ctx.params.id === 'main' ? ctx.store.mainLocationId : ctx.params.id;
      const location = ctx.store.locations.get(id);
      if (!location) notFound('location', ctx.params.id);
      return { body: { location: clone(location) } };
    },
  },
];
