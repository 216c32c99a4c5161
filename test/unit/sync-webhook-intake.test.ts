import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Ledger } from '../../lib/store/ledger';
import { SquareApiError } from '../../lib/square/errors';
import type {
  Order,
  Payment,
  PaymentRefund,
  WebhookEvent,
} from '../../lib/square/types';
import { takeEvent } from '../../lib/sync/webhook-intake';

// Why a verified webhook event synced nothing, read from the objects the
// event led to: each reason is a trail line under the key the record
// would have had, and no record is stored.

const notFound = () => Promise.reject(new SquareApiError(404, {}));

function reader(objects: {
  orders?: Order[];
  payments?: Payment[];
  refunds?: PaymentRefund[];
}) {
  const find = <T extends { id?: string }>(list: T[] = [], id: string) => {
    const found = list.find((o) => o.id === id);
    return found ? Promise.resolve(found) : notFound();
  };
  return {
    retrieveOrder: (id: string) => find(objects.orders, id),
    getPayment: (id: string) => find(objects.payments, id),
    getRefund: (id: string) => find(objects.refunds, id),
    retrieveCustomer: () => notFound(),
    retrieveLocation: () => notFound(),
  } as never;
}

function event(type: string, id: string, object = {}): WebhookEvent {
  return { type, event_id: `evt-${id}`, data: { id, object } };
}

function completedOrder(id: string, paymentId: string): Order {
  return {
    id,
    location_id: 'L1',
    state: 'COMPLETED',
    line_items: [{ uid: 'a', quantity: '1' }],
    tenders: [{ id: paymentId, payment_id: paymentId }],
  } as Order;
}

async function take(
  objects: Parameters<typeof reader>[0],
  evt: WebhookEvent,
  locationIds: string[] = [],
) {
  const ledger = Ledger.open(':memory:');
  const outcome = await takeEvent(
    { client: reader(objects), ledger, locationIds },
    evt,
  );
  const [unsynced] = outcome.unsynced;
  const trail = unsynced ? ledger.trailOf(unsynced.key) : [];
  return { outcome, unsynced, trail, ledger };
}

describe('webhook events that sync nothing', () => {
  test('a payment not COMPLETED: named under its order', async () => {
    const order = completedOrder('O1', 'P1');
    const payment = { id: 'P1', order_id: 'O1', status: 'APPROVED' };
    const { unsynced, trail, ledger } = await take(
      { orders: [order], payments: [payment as Payment] },
      event('payment.updated', 'P1', { payment }),
    );

    assert.deepEqual(unsynced, {
      key: 'sale:O1',
      reason: 'payment P1 of order O1 is APPROVED, not COMPLETED',
    });
    assert.deepEqual(
      trail.map((t) => [t.stage, t.detail]),
      [
        [
          'not-synced',
          'payment.updated event evt-P1: ' +
            'payment P1 of order O1 is APPROVED, not COMPLETED',
        ],
      ],
    );
    assert.equal(ledger.get('sale:O1'), undefined);
  });

  test('a payment Square does not know: under the event id', async () => {
    const { unsynced } = await take({}, event('payment.created', 'P9'));
    assert.deepEqual(unsynced, {
      key: 'event:evt-P9',
      reason: 'payment P9 not found in Square',
      missing: true,
    });
  });

  test('a return order: its refund syncs it', async () => {
    const order = {
      id: 'R1',
      location_id: 'L1',
      state: 'COMPLETED',
      returns: [{ source_order_id: 'O1' }],
    } as Order;
    const { unsynced } = await take(
      { orders: [order] },
      event('order.updated', 'R1', { order_updated: { order_id: 'R1' } }),
    );
    assert.deepEqual(unsynced, {
      key: 'sale:R1',
      reason: 'order R1 only returns items; its refund syncs them',
    });
  });

  test('a refund still PENDING: under the refund key', async () => {
    const refund = { id: 'F1', status: 'PENDING' } as PaymentRefund;
    const { unsynced } = await take(
      { refunds: [refund] },
      event('refund.updated', 'F1'),
    );
    assert.deepEqual(unsynced, {
      key: 'refund:F1',
      reason: 'refund F1 is PENDING, not COMPLETED',
    });
  });

  test('a sale of a synced location is admitted, with no trail of it', async () => {
    const order = completedOrder('O2', 'P2');
    const payment = { id: 'P2', order_id: 'O2', status: 'COMPLETED' };
    const { outcome, ledger } = await take(
      { orders: [order], payments: [payment as Payment] },
      event('order.updated', 'O2', { order_updated: { order_id: 'O2' } }),
      ['L1'],
    );
    assert.deepEqual(
      outcome.admitted.map((r) => r.key),
      ['sale:O2'],
    );
    assert.deepEqual(outcome.unsynced, []);
    assert.equal(ledger.get('sale:O2')?.state, 'received');
  });
});
