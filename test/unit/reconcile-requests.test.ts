import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SquareClient } from '../../lib/square/client';
import { addDays, runReconciliation } from '../../lib/reconcile';
import { createSquareEmulator } from '../../sandbox/square/emulator';
import { zonedIso } from '../../sandbox/seed/square-day';
import { LOCATIONS } from '../../sandbox/seed/business';
import { exampleTables } from './reconcile-day';

// Story: a day of two shops, N = 5 sales (one paid by card and cash, two
// by one returning customer) and R = 4 refunds (two of one payment, one
// of a sale two days old). One reconciliation run reads each Square
// object once: each location, each payment, each customer, and no order
// the order search already returned. Square answers extra reads with 429
// once its rate limit is reached, so each one counts.

const DATE = '2026-03-10';
const HARBOUR = LOCATIONS[0].id;
const MARKET = LOCATIONS[1].id;

describe('one reconciliation run: Square requests per endpoint', () => {
  const square = createSquareEmulator({ seed: false });
  let client: SquareClient;

  before(async () => {
    const url = await square.start(0, '127.0.0.1');
    client = new SquareClient({
      baseUrl: url,
      getAccessToken: async () => 'sqx3-demo-token',
    });
    const regular = square.upsertCustomer({ given_name: 'Ada' });
    const other = square.upsertCustomer({ given_name: 'Grace' });
    const at = (time: string, date = DATE) => zonedIso(date, time);
    const mug = [{ variationId: 'VAR_MUG', quantity: 2 }];

    const old = square.createSale({
      locationId: HARBOUR,
      lines: mug,
      at: at('11:00:00', addDays(DATE, -2)),
    });
    const first = square.createSale({
      locationId: HARBOUR,
      lines: mug,
      customerId: regular.id,
      at: at('09:10:00'),
    });
    square.createSale({
      locationId: HARBOUR,
      lines: mug,
      customerId: regular.id,
      tenders: [{ type: 'CARD', brand: 'VISA', amount: 500 }, { type: 'CASH' }],
      at: at('10:20:00'),
    });
    square.createSale({ locationId: HARBOUR, lines: mug, at: at('11:30:00') });
    const market = square.createSale({
      locationId: MARKET,
      lines: mug,
      customerId: other.id,
      at: at('12:40:00'),
    });
    square.createSale({
      locationId: MARKET,
      lines: mug,
      tenders: [{ type: 'CASH' }],
      at: at('13:50:00'),
    });

    const paymentOf = (sale: typeof first) => sale.payments[0].id;
    const lineOf = (sale: typeof first) => sale.order.line_items?.[0].uid ?? '';
    square.createRefund({
      paymentId: paymentOf(first),
      lines: [{ lineUid: lineOf(first), quantity: 1 }],
      at: at('15:00:00'),
    });
    square.createRefund({
      paymentId: paymentOf(first),
      amount: 100,
      at: at('15:10:00'),
    });
    square.createRefund({
      paymentId: paymentOf(market),
      amount: 200,
      at: at('15:20:00'),
    });
    square.createRefund({
      paymentId: paymentOf(old),
      lines: [{ lineUid: lineOf(old), quantity: 1 }],
      at: at('15:30:00'),
    });
  });

  after(() => square.stop());

  test('each location, payment, customer and order is read once', async () => {
    const before = square.requestCounts();
    const results = await runReconciliation(
      // no date: the run reads the first location for its time zone
      { locationIds: [HARBOUR, MARKET] },
      {
        tables: exampleTables(),
        mode: 'invoice',
        square: client,
        x3: { invoices: async () => [], entries: async () => [] },
        now: new Date(`${addDays(DATE, 1)}T18:00:00Z`),
      },
    );
    const after = square.requestCounts();
    const delta: Record<string, number> = {};
    for (const [k, v] of Object.entries(after)) {
      if (v - (before[k] ?? 0)) delta[k] = v - (before[k] ?? 0);
    }

    assert.deepEqual(
      results.map((r) => [r.from, r.records.map((x) => x.key.split(':')[0])]),
      [
        [DATE, ['sale', 'sale', 'sale', 'refund', 'refund', 'refund']],
        [DATE, ['sale', 'sale', 'refund']],
      ],
    );
    assert.deepEqual(delta, {
      // one per location, though the run reads the first one for its date
      'GET /v2/locations/:id': 2,
      'POST /v2/orders/search': 2,
      'GET /v2/refunds': 2,
      // 6 for the 5 sales, 1 for the refunded sale of two days before
      'GET /v2/payments/:id': 7,
      // the sale two days before; return orders come with the search
      'GET /v2/orders/:id': 1,
      'GET /v2/customers/:id': 2,
    });
  });
});
