import type { Payment, PaymentRefund } from '../../lib/square/types';
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

// ListPayments / GetPayment and ListPaymentRefunds / GetPaymentRefund.
// ListPayments defaults to the main location; ListPaymentRefunds to all.

const YEAR_MS = 365 * 24 * 3_600_000;

interface Window {
  begin: number;
  end: number;
  updatedBegin?: number;
  updatedEnd?: number;
  sortField: string;
  sortOrder: string;
  limit: number;
}

function readWindow(ctx: RouteContext, now: Date): Window {
  const q = ctx.query;
  const end = parseTime(q.get('end_time'), 'end_time', now) as Date;
  const defaultBegin = new Date(now.getTime() - YEAR_MS);
  const begin = parseTime(q.get('begin_time'), 'begin_time', defaultBegin);
  if ((begin as Date) > end) {
    badRequest('INVALID_TIME_RANGE', 'begin_time is after end_time.');
  }
  const ub = parseTime(q.get('updated_at_begin_time'), 'updated_at_begin_time');
  const ue = parseTime(q.get('updated_at_end_time'), 'updated_at_end_time');
  return {
    begin: (begin as Date).getTime(),
    end: end.getTime(),
    updatedBegin: ub?.getTime(),
    updatedEnd: ue?.getTime(),
    sortOrder: parseEnum(
      q.get('sort_order'),
      ['ASC', 'DESC'],
      'DESC',
      'sort_order',
      'INVALID_SORT_ORDER',
    ),
    sortField: parseEnum(
      q.get('sort_field'),
      ['CREATED_AT', 'OFFLINE_CREATED_AT', 'UPDATED_AT'],
      'CREATED_AT',
      'sort_field',
    ),
    limit: parseLimit(q.get('limit'), 100, 100, 'clamp'),
  };
}

function inWindow(
  w: Window,
  item: { created_at?: string; updated_at?: string },
): boolean {
  const created = timeOf(item.created_at);
  if (created === undefined || created < w.begin || created >= w.end) {
    return false;
  }
  const updated = timeOf(item.updated_at) ?? created;
  if (w.updatedBegin !== undefined && updated < w.updatedBegin) return false;
  if (w.updatedEnd !== undefined && updated >= w.updatedEnd) return false;
  return true;
}

function queryObject(ctx: RouteContext): Record<string, string> {
  return Object.fromEntries(ctx.query.entries());
}

function listPayments(ctx: RouteContext) {
  const key = queryKey('payments', queryObject(ctx));
  const start = openCursor(
    ctx.query.get('cursor') ?? undefined,
    key,
    ctx.store.now(),
  );
  const w = readWindow(ctx, start.now);
  const q = ctx.query;
  const locationId = q.get('location_id') || ctx.store.mainLocationId;
  const total = q.get('total');
  const last4 = q.get('last_4');
  const brand = q.get('card_brand');

  const matches = [...ctx.store.payments.values()].filter(
    (p) =>
      p.location_id === locationId &&
      inWindow(w, p) &&
      (!total || String(p.total_money?.amount) === total) &&
      (!last4 || cardOf(p)?.last_4 === last4) &&
      (!brand || cardOf(p)?.card_brand === brand),
  );
  const field = w.sortField === 'UPDATED_AT' ? 'updated_at' : 'created_at';
  matches.sort(
    byTime(
      (p) => p[field],
      w.sortOrder,
      (p: Payment) => p.id,
    ),
  );

  const { page, cursor } = takePage(matches, start, w.limit, key);
  return { body: listBody('payments', clone(page), cursor) };
}

function cardOf(p: Payment) {
  return p.card_details?.card as
    { last_4?: string; card_brand?: string } | undefined;
}

function listRefunds(ctx: RouteContext) {
  const key = queryKey('refunds', queryObject(ctx));
  const start = openCursor(
    ctx.query.get('cursor') ?? undefined,
    key,
    ctx.store.now(),
  );
  const w = readWindow(ctx, start.now);
  const q = ctx.query;
  const locationId = q.get('location_id');
  const status = q.get('status');
  const sourceType = q.get('source_type');

  const matches = [...ctx.store.refunds.values()].filter(
    (r) =>
      (!locationId || r.location_id === locationId) &&
      (!status || r.status === status) &&
      (!sourceType || r.destination_type === sourceType) &&
      inWindow(w, r),
  );
  const field = w.sortField === 'UPDATED_AT' ? 'updated_at' : 'created_at';
  matches.sort(
    byTime(
      (r) => r[field],
      w.sortOrder,
      (r: PaymentRefund) => r.id,
    ),
  );

  const { page, cursor } = takePage(matches, start, w.limit, key);
  return { body: listBody('refunds', clone(page), cursor) };
}

export const paymentRoutes: Route[] = [
  {
    method: 'GET',
    path: '/v2/payments',
    auth: 'bearer',
    handler: listPayments,
  },
  {
    method: 'GET',
    path: '/v2/payments/:id',
    auth: 'bearer',
    handler: (ctx) => {
      const p = ctx.store.payments.get(ctx.params.id);
      if (!p) notFound('payment', ctx.params.id);
      return { body: { payment: clone(p) } };
    },
  },
  { method: 'GET', path: '/v2/refunds', auth: 'bearer', handler: listRefunds },
  {
    method: 'GET',
    path: '/v2/refunds/:id',
    auth: 'bearer',
    handler: (ctx) => {
      const r = ctx.store.refunds.get(ctx.params.id);
      if (!r) notFound('refund', ctx.params.id);
      return { body: { refund: clone(r) } };
    },
  },
];
