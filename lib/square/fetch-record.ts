import {
  recordKey,
  type CustomerEvent,
  type RecordSource,
  type SyncRecord,
} from '../sync/record';
import type { SquareClient } from './client';
import { isNotFound } from './errors';
import type {
  Customer,
  Location,
  Order,
  Payment,
  PaymentRefund,
  WebhookEvent,
} from './types';

// Turns Square objects into SyncRecords: a sale is a COMPLETED order whose
// payments are all COMPLETED; a refund is a COMPLETED PaymentRefund with
// its return order, the sale order it returns and the refunded payment.

export interface FetchOptions {
  now?: () => Date;
  /** objects already read in this pass, used instead of a GET */
  known?: {
    payments?: Map<string, Payment>;
    locations?: Map<string, Location>;
  };
}

type SquareReader = Pick<
  SquareClient,
  | 'retrieveOrder'
  | 'getPayment'
  | 'getRefund'
  | 'retrieveCustomer'
  | 'retrieveLocation'
>;

async function orNull<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

function received(opts?: FetchOptions): string {
  return (opts?.now?.() ?? new Date()).toISOString();
}

/** A return order carries returns and no items of its own. */
export function isReturnOnly(order: Order): boolean {
  return Boolean(order.returns?.length) && !order.line_items?.length;
}

export async function saleRecordForOrder(
  client: SquareReader,
  orderOrId: string | Order,
  source: RecordSource,
  opts?: FetchOptions,
): Promise<SyncRecord | null> {
  const order =
    typeof orderOrId === 'string'
      ? await orNull(client.retrieveOrder(orderOrId))
      : orderOrId;
  if (!order || order.state !== 'COMPLETED' || isReturnOnly(order)) {
    return null;
  }

  const paymentIds = (order.tenders ?? [])
    .map((t) => t.payment_id ?? t.id)
    .filter((id): id is string => Boolean(id));
  const payments: Payment[] = [];
  for (const id of paymentIds) {
    const payment =
      opts?.known?.payments?.get(id) ?? (await orNull(client.getPayment(id)));
    if (!payment || payment.status !== 'COMPLETED') return null;
    payments.push(payment);
  }

  const location =
    opts?.known?.locations?.get(order.location_id) ??
    (await orNull(client.retrieveLocation(order.location_id)));
  const customer = order.customer_id
    ? await orNull(client.retrieveCustomer(order.customer_id))
    : undefined;
  return {
    key: recordKey('sale', order.id),
    kind: 'sale',
    version: `${order.version ?? order.updated_at}`,
    source,
    square: { order, payments, location, customer },
    receivedAt: received(opts),
  };
}

export async function refundRecord(
  client: SquareReader,
  refundOrId: string | PaymentRefund,
  source: RecordSource,
  opts?: FetchOptions,
): Promise<SyncRecord | null> {
  const refund =
    typeof refundOrId === 'string'
      ? await orNull(client.getRefund(refundOrId))
      : refundOrId;
  if (!refund || refund.status !== 'COMPLETED') return null;

  const returnOrder = refund.order_id
    ? await orNull(client.retrieveOrder(refund.order_id))
    : undefined;
  const payment = refund.payment_id
    ? await orNull(client.getPayment(refund.payment_id))
    : undefined;
  const saleId =
    returnOrder?.returns?.find((r) => r.source_order_id)?.source_order_id ??
    payment?.order_id;
  const order = saleId ? await orNull(client.retrieveOrder(saleId)) : undefined;
  const locationId = refund.location_id ?? order?.location_id;
  const location: Location | undefined = locationId
    ? await orNull(client.retrieveLocation(locationId))
    : undefined;

  return {
    key: recordKey('refund', refund.id),
    kind: 'refund',
    version: `${refund.updated_at ?? refund.created_at ?? ''}`,
    source,
    square: {
      order,
      payments: payment ? [payment] : [],
      refund,
      returnOrder,
      location,
    },
    receivedAt: received(opts),
  };
}

export async function customerRecord(
  client: SquareReader,
  customerOrId: string | Customer,
  source: RecordSource,
  opts?: FetchOptions,
): Promise<SyncRecord | null> {
  const customer =
    typeof customerOrId === 'string'
      ? await orNull(client.retrieveCustomer(customerOrId))
      : customerOrId;
  if (!customer) return null;
  return {
    key: recordKey('customer', customer.id),
    kind: 'customer',
    version: `${customer.version ?? customer.updated_at}`,
    source,
    square: { customer },
    receivedAt: received(opts),
  };
}

function objectOf(event: WebhookEvent, key: string) {
  return event.data?.object?.[key] as Record<string, unknown> | undefined;
}

/**
 * The records a webhook event points at. The objects are fetched again,
 * so a late or reordered event still yields Square's current state.
 */
export async function recordsForEvent(
  client: SquareReader,
  event: WebhookEvent,
  opts?: FetchOptions,
): Promise<SyncRecord[]> {
  const family = event.type.split('.')[0];
  const one = (r: SyncRecord | null) => (r ? [r] : []);

  if (family === 'payment') {
    const payment = objectOf(event, 'payment') as Payment | undefined;
    const orderId =
      payment?.order_id ??
      (event.data?.id
        ? (await orNull(client.getPayment(event.data.id)))?.order_id
        : undefined);
    if (!orderId) return [];
    return one(await saleRecordForOrder(client, orderId, 'webhook', opts));
  }
  if (family === 'order') {
    const inner = Object.values(event.data?.object ?? {})[0] as
      { order_id?: string; id?: string } | undefined;
    const orderId = inner?.order_id ?? inner?.id ?? event.data?.id;
    if (!orderId) return [];
    return one(await saleRecordForOrder(client, orderId, 'webhook', opts));
  }
  if (family === 'refund') {
    const id = event.data?.id;
    if (!id) return [];
    return one(await refundRecord(client, id, 'webhook', opts));
  }
  if (family === 'customer') {
    return one(await customerEventRecord(client, event, opts));
  }
  return [];
}

function mergeOf(event: WebhookEvent): CustomerEvent['merge'] {
  const context = objectOf(event, 'event_context') as
    | { merge?: { from_customer_ids?: unknown; to_customer_id?: unknown } }
    | undefined;
  const merge = context?.merge;
  if (!merge || typeof merge.to_customer_id !== 'string') return undefined;
  const from = Array.isArray(merge.from_customer_ids)
    ? merge.from_customer_ids.filter(
        (id): id is string => typeof id === 'string',
      )
    : [];
  return { from_customer_ids: from, to_customer_id: merge.to_customer_id };
}

/**
 * customer.created / .updated: Square's current customer. customer.deleted:
 * the last state the event carries (the customer cannot be read any more),
 * one version on, so the ledger takes it as news and not as a repeat.
 */
async function customerEventRecord(
  client: SquareReader,
  event: WebhookEvent,
  opts?: FetchOptions,
): Promise<SyncRecord | null> {
  const id = event.data?.id;
  if (!id) return null;
  const merge = mergeOf(event);
  const deleted =
    event.type === 'customer.deleted' || event.data?.deleted === true;

  let record: SyncRecord | null;
  if (deleted) {
    const last = objectOf(event, 'customer') as Customer | undefined;
    const customer: Customer = { ...(last ?? {}), id };
    record = await customerRecord(client, customer, 'webhook', opts);
    if (record) {
      record.version =
        typeof customer.version === 'number'
          ? String(customer.version + 1)
          : `${record.version}+deleted`;
    }
  } else if (
    event.type === 'customer.created' ||
    event.type === 'customer.updated'
  ) {
    record = await customerRecord(client, id, 'webhook', opts);
  } else {
    return null;
  }

  if (record && (deleted || merge)) {
    record.customerEvent = {
      ...(deleted ? { deleted: true } : {}),
      ...(merge ? { merge } : {}),
    };
  }
  return record;
}
