import type { SquareClient } from '../square/client';
import type { Location, Order, Payment } from '../square/types';
import {
  customerRecord,
  refundRecord,
  saleRecordForOrder,
} from '../square/fetch-record';
import type { SyncRecord } from './record';
import { PassReader } from './pass-reader';
import { PaymentStreams } from './payment-stream';
import { pollWindow, sweepWindow } from './poll-window';

// One pass over Square: completed orders, refunds and customers changed
// in the window, read page by page so a long backlog never sits in memory
// at once. The cursor moves only after a whole pass, and the next window
// starts a little before it, so late writes inside Square are not missed.

export type PollKind = 'sale' | 'refund' | 'customer';

export interface PollOptions {
  client: SquareClient;
  cursors: {
    getCursor(name: string): string | undefined;
    setCursor(name: string, value: string): void;
  };
  cursorName: string;
  locationIds: string[];
  kinds: PollKind[];
  overlapSec: number;
  backfillFrom?: string;
  /**
   * Read payments by the page and locations once per pass: 19 requests
   * per 1,000 orders in a backfill instead of about 2,200. Off by default:
   * records then reach the flow far faster than X3 takes them, and after
   * a crash the ledger resumes records left half-way only once they have
   * been quiet for two minutes (lib/sync/intake.ts).
   */
  readAhead?: boolean;
  /**
   * Takes each page's records at once (the poll node admits them in one
   * ledger transaction and hands them on as the flow makes room); the
   * next page is read only once it resolves. Without it, emit gets them
   * one by one.
   */
  emitPage?: (records: SyncRecord[]) => Promise<void>;
}

export interface PollResult {
  records: number;
  window: { begin: string; end: string };
}

type Emit = (record: SyncRecord) => void | Promise<void>;
type EmitPage = (records: SyncRecord[]) => Promise<void>;

export async function pollSquare(
  opts: PollOptions,
  emit: Emit,
  mode: 'incremental' | 'sweep' = 'incremental',
  now: Date = new Date(),
  sweepHours = 72,
): Promise<PollResult> {
  const window =
    mode === 'sweep'
      ? sweepWindow(now, sweepHours)
      : pollWindow(opts.cursors.getCursor(opts.cursorName), now, {
          overlapSec: opts.overlapSec,
          backfillFrom: opts.backfillFrom,
        });
  let records = 0;
  const count: EmitPage = async (page) => {
    records += page.length;
    if (page.length === 0) return;
    if (opts.emitPage) return opts.emitPage(page);
    for (const record of page) await emit(record);
  };

  const locations = await syncedLocations(opts);
  // With readAhead, customers come first: their pages then answer the
  // sales' customers, and X3 has each customer before its first sale.
  const reader = opts.readAhead
    ? new PassReader(opts.client, locations)
    : undefined;
  const customersFirst = Boolean(reader);
  const { kinds } = opts;
  async function* pages(): AsyncGenerator<SyncRecord[]> {
    if (customersFirst && kinds.includes('customer')) {
      yield* customerPages(opts, window, reader);
    }
    if (kinds.includes('sale')) {
      yield* orderPages(opts, locations, window, reader);
    }
    if (kinds.includes('refund')) {
      yield* refundPages(opts, locations, window, reader);
    }
    if (!customersFirst && kinds.includes('customer')) {
      yield* customerPages(opts, window);
    }
  }
  // With readAhead, the next page is read while this one goes down the
  // flow, so the write nodes do not run dry between pages.
  for await (const page of reader ? oneAhead(pages()) : pages()) {
    await count(page);
  }

  if (mode === 'incremental')
    opts.cursors.setCursor(opts.cursorName, window.end);
  return { records, window };
}

async function syncedLocations(opts: PollOptions): Promise<Location[]> {
  const all = await opts.client.listLocations();
  if (opts.locationIds.length === 0) return all;
  return all.filter((location) => opts.locationIds.includes(location.id));
}

/**
 * Yields the pages of a source while the next one is being read: at most
 * one page ahead. A failed read surfaces when its page is asked for.
 */
export async function* oneAhead<T>(
  source: AsyncGenerator<T>,
): AsyncGenerator<T> {
  try {
    let next = source.next();
    for (;;) {
      const page = await next;
      if (page.done) return;
      next = source.next();
      next.catch(() => undefined);
      yield page.value;
    }
  } finally {
    await source.return(undefined).catch(() => undefined);
  }
}

async function* orderPages(
  opts: PollOptions,
  locations: Location[],
  window: { begin: string; end: string },
  reader?: PassReader,
): AsyncGenerator<SyncRecord[]> {
  const client = reader ?? opts.client;
  for (let i = 0; i < locations.length; i += 10) {
    const ids = locations.slice(i, i + 10).map((location) => location.id);
    const query = {
      location_ids: ids,
      query: {
        filter: {
          state_filter: { states: ['COMPLETED'] },
          date_time_filter: {
            updated_at: { start_at: window.begin, end_at: window.end },
          },
        },
        sort: { sort_field: 'UPDATED_AT', sort_order: 'ASC' },
      },
      limit: 500,
    };
    // The locations are already listed; with readAhead, payments come in
    // ListPayments pages too instead of one GET per tender.
    const known = {
      locations: new Map(locations.map((l) => [l.id, l])),
      payments: new Map<string, Payment>(),
    };
    const streams = new PaymentStreams(
      opts.client,
      Date.parse(window.end) + 60_000,
    );
    for await (const page of opts.client.searchOrders(query)) {
      const orders = page.orders ?? [];
      if (opts.readAhead) {
        const read = await prefetchPayments(orders, known.payments, streams);
        reader?.rememberPayments(read);
      }
      const records: SyncRecord[] = [];
      for (const order of orders) {
        const record = await saleRecordForOrder(client, order, 'poll', {
          known,
        });
        if (record) records.push(record);
      }
      yield records;
    }
  }
}

const PREFETCH_FROM = 8;

/**
 * A backfill page holds hundreds of orders: their payments come in
 * ListPayments pages (100 each), one listing per location read on as the
 * order pages need it, instead of a GET each. A few orders are cheaper
 * one GET at a time. Payments missed here (created long before their
 * order closed) are still fetched alone. Payments created over an hour
 * before the page's first order are dropped from `into`.
 */
async function prefetchPayments(
  orders: Order[],
  into: Map<string, Payment>,
  streams: PaymentStreams,
): Promise<Payment[]> {
  const wanted = orders.flatMap((o) =>
    (o.tenders ?? []).map((t) => t.payment_id ?? t.id).filter(Boolean),
  );
  if (wanted.filter((id) => !into.has(id as string)).length < PREFETCH_FROM) {
    return [];
  }
  const times = orders
    .flatMap((o) => [o.created_at, o.updated_at, o.closed_at])
    .map((t) => Date.parse(t ?? ''))
    .filter((t) => !Number.isNaN(t));
  const begin = Math.min(...times) - 3_600_000;
  const until = Math.max(...times) + 60_000;
  for (const [id, payment] of into) {
    if (Date.parse(payment.created_at ?? '') < begin) into.delete(id);
  }
  const read: Payment[] = [];
  for (const locationId of new Set(orders.map((o) => o.location_id))) {
    read.push(...(await streams.of(locationId, begin).readUntil(until, into)));
  }
  return read;
}

async function* refundPages(
  opts: PollOptions,
  locations: Location[],
  window: { begin: string; end: string },
  reader?: PassReader,
): AsyncGenerator<SyncRecord[]> {
  const wanted = new Set(locations.map((location) => location.id));
  const pages = opts.client.listRefunds({
    updated_at_begin_time: window.begin,
    updated_at_end_time: window.end,
    begin_time: '2000-01-01T00:00:00Z',
    sort_field: 'UPDATED_AT',
    sort_order: 'ASC',
  });
  for await (const page of pages) {
    const records: SyncRecord[] = [];
    const refunds = (page.refunds ?? []).filter(
      (r) => !r.location_id || wanted.has(r.location_id),
    );
    await reader?.readRefundOrders(refunds);
    for (const refund of refunds) {
      const record = await refundRecord(reader ?? opts.client, refund, 'poll');
      if (record) records.push(record);
    }
    reader?.forgetOrders();
    yield records;
  }
}

async function* customerPages(
  opts: PollOptions,
  window: { begin: string; end: string },
  reader?: PassReader,
): AsyncGenerator<SyncRecord[]> {
  const pages = opts.client.searchCustomers({
    limit: 100,
    query: {
      filter: {
        updated_at: { start_at: window.begin, end_at: window.end },
      },
    },
  });
  for await (const page of pages) {
    const records: SyncRecord[] = [];
    reader?.rememberCustomers(page.customers ?? []);
    for (const customer of page.customers ?? []) {
      const record = await customerRecord(opts.client, customer, 'poll');
      if (record) records.push(record);
    }
    yield records;
  }
}
