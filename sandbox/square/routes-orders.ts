import type { Order } from '../../lib/square/types';
import { badRequest, notFound } from './errors';
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

// SearchOrders with the rules Square enforces: location_ids required
// (at most 10), one timestamp in date_time_filter, the sort field equal
// to that timestamp, and CLOSED_AT sorting only over closed states.

const STATES = ['OPEN', 'COMPLETED', 'CANCELED', 'DRAFT'];
const TIME_FIELDS = ['created_at', 'updated_at', 'closed_at'] as const;
type TimeField = (typeof TIME_FIELDS)[number];

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};

function stringList(v: unknown, field: string, max: number): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) {
    badRequest('EXPECTED_ARRAY', `${field} must be a list of strings.`, field);
  }
  if (v.length > max) {
    badRequest('ARRAY_LENGTH_TOO_LONG', `At most ${max} ${field}.`, field);
  }
  return v as string[];
}

interface TimeFilter {
  field: TimeField;
  start?: number;
  end: number;
}

function readTimeFilter(filter: Obj, now: Date): TimeFilter | undefined {
  const dtf = obj(filter.date_time_filter);
  const present = TIME_FIELDS.filter((f) => dtf[f] !== undefined);
  if (present.length === 0) return undefined;
  if (present.length > 1) {
    badRequest(
      'INVALID_VALUE',
      'date_time_filter takes exactly one of created_at, updated_at, closed_at.',
      'query.filter.date_time_filter',
    );
  }
  const field = present[0];
  const range = obj(dtf[field]);
  const name = `query.filter.date_time_filter.${field}`;
  const start = parseTime(range.start_at, `${name}.start_at`);
  const end = parseTime(range.end_at, `${name}.end_at`, now) as Date;
  if (start && start > end) {
    badRequest('INVALID_TIME_RANGE', `${name} starts after it ends.`, name);
  }
  return { field, start: start?.getTime(), end: end.getTime() };
}

function searchOrders(ctx: RouteContext) {
  const body = ctx.body;
  const locationIds = stringList(body.location_ids, 'location_ids', 10);
  if (locationIds.length === 0) {
    badRequest(
      'MISSING_REQUIRED_PARAMETER',
      'At least one location_id is required.',
      'location_ids',
    );
  }
  const key = queryKey('orders', body);
  const cursor = typeof body.cursor === 'string' ? body.cursor : undefined;
  const start = openCursor(cursor, key, ctx.store.now());
  const limit = parseLimit(body.limit, 500, 1000, 'error');

  const query = obj(body.query);
  const filter = obj(query.filter);
  const sort = obj(query.sort);
  const states = stringList(
    obj(filter.state_filter).states,
    'query.filter.state_filter.states',
    STATES.length,
  );
  if (filter.state_filter !== undefined && states.length === 0) {
    badRequest(
      'MISSING_REQUIRED_PARAMETER',
      'state_filter needs states.',
      'query.filter.state_filter.states',
    );
  }
  for (const s of states) {
    parseEnum(s, STATES, 'OPEN', 'query.filter.state_filter.states');
  }
  const time = readTimeFilter(filter, start.now);
  const sortField = parseEnum(
    sort.sort_field,
    ['CREATED_AT', 'UPDATED_AT', 'CLOSED_AT'],
    'CREATED_AT',
    'query.sort.sort_field',
  );
  const sortOrder = parseEnum(
    sort.sort_order,
    ['ASC', 'DESC'],
    'DESC',
    'query.sort.sort_order',
    'INVALID_SORT_ORDER',
  );
  if (time && time.field.toUpperCase() !== sortField) {
    badRequest(
      'INVALID_VALUE',
      `sort_field must be ${time.field.toUpperCase()} when date_time_filter ` +
        `filters on ${time.field}.`,
      'query.sort.sort_field',
    );
  }
  if (
    sortField === 'CLOSED_AT' &&
    (states.length === 0 ||
      states.some((s) => s !== 'COMPLETED' && s !== 'CANCELED'))
  ) {
    badRequest(
      'INVALID_VALUE',
      'Sorting by CLOSED_AT needs a state_filter of COMPLETED or CANCELED only.',
      'query.sort.sort_field',
    );
  }
  const customers = stringList(
    obj(filter.customer_filter).customer_ids,
    'query.filter.customer_filter.customer_ids',
    10,
  );
  const sources = stringList(
    obj(filter.source_filter).source_names,
    'query.filter.source_filter.source_names',
    10,
  );

  const field = sortField.toLowerCase() as TimeField;
  const matches = [...ctx.store.orders.values()].filter((o) => {
    if (!locationIds.includes(o.location_id)) return false;
    if (states.length && !states.includes(o.state ?? '')) return false;
    if (time) {
      const at = timeOf(o[time.field]);
      if (at === undefined || at > time.end) return false;
      if (time.start !== undefined && at < time.start) return false;
    }
    if (customers.length && !orderHasCustomer(o, customers)) return false;
    const source = (o.source as { name?: string } | undefined)?.name ?? '';
    if (sources.length && !sources.includes(source)) return false;
    return true;
  });
  matches.sort(
    byTime(
      (o: Order) => o[field],
      sortOrder,
      (o) => o.id,
    ),
  );

  const { page, cursor: next } = takePage(matches, start, limit, key);
  if (body.return_entries === true) {
    const entries = page.map((o) => ({
      order_id: o.id,
      ...(o.version !== undefined ? { version: o.version } : {}),
      location_id: o.location_id,
    }));
    return { body: listBody('order_entries', entries, next) };
  }
  return { body: listBody('orders', clone(page), next) };
}

function orderHasCustomer(o: Order, ids: string[]): boolean {
  if (o.customer_id && ids.includes(o.customer_id)) return true;
  return (o.tenders ?? []).some(
    (t) => t.customer_id && ids.includes(t.customer_id),
  );
}

function batchRetrieve(ctx: RouteContext) {
  const ids = stringList(ctx.body.order_ids, 'order_ids', 100);
  if (ctx.body.order_ids === undefined) {
    badRequest(
      'MISSING_REQUIRED_PARAMETER',
      'order_ids is required.',
      'order_ids',
    );
  }
  const locationId = ctx.body.location_id;
  const orders = ids
    .map((id) => ctx.store.orders.get(id))
    .filter((o): o is Order => Boolean(o))
    .filter((o) => !locationId || o.location_id === locationId);
  return { body: { orders: clone(orders) } };
}

export const orderRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v2/orders/search',
    auth: 'bearer',
    handler: searchOrders,
  },
  {
    method: 'POST',
    path: '/v2/orders/batch-retrieve',
    auth: 'bearer',
    handler: batchRetrieve,
  },
  {
    method: 'GET',
    path: '/v2/orders/:id',
    auth: 'bearer',
    handler: (ctx) => {
      const order = ctx.store.orders.get(ctx.params.id);
      if (!order) notFound('order', ctx.params.id);
      return { body: { order: clone(order) } };
    },
  },
];
