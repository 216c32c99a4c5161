import { isNotFound } from '../square/errors';
import { isReturnOnly, recordsForEvent } from '../square/fetch-record';
import type {
  Customer,
  Order,
  Payment,
  PaymentRefund,
  WebhookEvent,
} from '../square/types';
import { admit, type IntakeLedger } from './intake';
import { recordKey, type SyncRecord } from './record';

// What a verified webhook event comes to. Its records are admitted as a
// poll's would be. An event that yields no record (the order is not
// found, not COMPLETED, only a return) and a record of a location the
// config does not sync leave a trail line instead, under the key the
// record has or would have, saying why: a finance team can account for
// every delivery. No record is stored for them, so nothing is pending
// and nothing is replayed.

type Reader = Parameters<typeof recordsForEvent>[0];

export interface Unsynced {
  /** sale:ORDER_ID, refund:ID, customer:ID, or event:EVENT_ID */
  key: string;
  reason: string;
  /**
   * Square answered that the object does not exist: unusual (a webhook
   * from another environment or account?), worth the user's eye, unlike
   * an order not completed yet or a shop this flow does not sync
   */
  missing?: boolean;
}

export interface EventOutcome {
  /** records to send down the flow */
  admitted: SyncRecord[];
  /** what the event named and why it was not synced */
  unsynced: Unsynced[];
}

export interface EventOptions {
  client: Reader;
  ledger: IntakeLedger;
  /** locations to sync; empty = all */
  locationIds: string[];
}

export const NOT_SYNCED = 'not-synced';

export async function takeEvent(
  opts: EventOptions,
  event: WebhookEvent,
): Promise<EventOutcome> {
  const { reader, seen } = watching(opts.client);
  const records = await recordsForEvent(reader, event);

  const unsynced = records.length ? [] : [whyNothing(event, seen)];
  const admitted: SyncRecord[] = [];
  for (const record of records) {
    const location = locationOf(record);
    const synced =
      !location ||
      opts.locationIds.length === 0 ||
      opts.locationIds.includes(location);
    if (!synced) {
      const reason = `location ${location} is not synced`;
      unsynced.push({ key: record.key, reason });
    } else if (admit(opts.ledger, record)) {
      admitted.push(record);
    }
  }

  for (const { key, reason } of unsynced) {
    const detail = `${event.type} event ${event.event_id}: ${reason}`;
    opts.ledger.trail(key, NOT_SYNCED, detail);
  }
  return { admitted, unsynced };
}

/** What the reads for one event found; null: Square answered 404. */
interface Seen {
  orders: Map<string, Order | null>;
  payments: Map<string, Payment | null>;
  refunds: Map<string, PaymentRefund | null>;
  customers: Map<string, Customer | null>;
}

// The reasons come from the very objects the records were built from, so
// they cannot disagree with them, and cost no second read.
function watching(client: Reader): { reader: Reader; seen: Seen } {
  const seen: Seen = {
    orders: new Map(),
    payments: new Map(),
    refunds: new Map(),
    customers: new Map(),
  };
  const watch = <T>(
    into: Map<string, T | null>,
    id: string,
    read: Promise<T>,
  ): Promise<T> =>
    read.then(
      (found) => {
        into.set(id, found);
        return found;
      },
      (error: unknown) => {
        if (isNotFound(error)) into.set(id, null);
        throw error;
      },
    );
  const reader: Reader = {
    retrieveOrder: (id) => watch(seen.orders, id, client.retrieveOrder(id)),
    getPayment: (id) => watch(seen.payments, id, client.getPayment(id)),
    getRefund: (id) => watch(seen.refunds, id, client.getRefund(id)),
    retrieveCustomer: (id) =>
      watch(seen.customers, id, client.retrieveCustomer(id)),
    retrieveLocation: (id) => client.retrieveLocation(id),
  };
  return { reader, seen };
}

function whyNothing(event: WebhookEvent, seen: Seen): Unsynced {
  const family = event.type.split('.')[0];
  const id = event.data?.id;
  const ofEvent = (reason: string) => ({
    key: `event:${event.event_id}`,
    reason,
  });

  if (family === 'payment' || family === 'order') {
    const [orderId] = seen.orders.keys();
    if (orderId !== undefined) {
      return {
        key: recordKey('sale', orderId),
        reason: saleReason(orderId, seen),
        ...absent(!seen.orders.get(orderId)),
      };
    }
    if (id && seen.payments.get(id) === null) {
      return { ...ofEvent(`payment ${id} not found in Square`), missing: true };
    }
    return ofEvent('the event leads to no order');
  }
  if (family === 'refund' && id) {
    const refund = seen.refunds.get(id);
    const reason = refund
      ? `refund ${id} is ${refund.status ?? 'without a status'}, not COMPLETED`
      : `refund ${id} not found in Square`;
    return { key: recordKey('refund', id), reason, ...absent(!refund) };
  }
  if (family === 'customer' && id) {
    const missing = seen.customers.get(id) === null;
    const reason = missing
      ? `customer ${id} not found in Square`
      : `${event.type} changes nothing the connector syncs`;
    return { key: recordKey('customer', id), reason, ...absent(missing) };
  }
  return ofEvent('the event names nothing to sync');
}

/** `missing` only where it holds, so most outcomes read as before. */
function absent(missing: boolean): { missing?: true } {
  return missing ? { missing: true } : {};
}

function saleReason(orderId: string, seen: Seen): string {
  const order = seen.orders.get(orderId);
  if (!order) return `order ${orderId} not found in Square`;
  if (order.state !== 'COMPLETED') {
    const state = order.state ?? 'without a state';
    return `order ${orderId} is ${state}, not COMPLETED`;
  }
  if (isReturnOnly(order)) {
    return `order ${orderId} only returns items; its refund syncs them`;
  }
  for (const [paymentId, payment] of seen.payments) {
    const what = `payment ${paymentId} of order ${orderId}`;
    if (!payment) return `${what} not found in Square`;
    if (payment.status !== 'COMPLETED') {
      return `${what} is ${payment.status ?? 'without a status'}, not COMPLETED`;
    }
  }
  return `order ${orderId} made no sale`;
}

function locationOf(record: SyncRecord): string | undefined {
  const { order, refund } = record.square;
  if (record.kind === 'sale') return order?.location_id;
  if (record.kind === 'refund')
    return refund?.location_id ?? order?.location_id;
  return undefined;
}
