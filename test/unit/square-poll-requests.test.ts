import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SquareClient } from '../../lib/square/client';
import { pollSquare } from '../../lib/sync/poller';
import type { SyncRecord } from '../../lib/sync/record';
import { createSquareEmulator } from '../../sandbox/square/emulator';

// A backfill read with and without readAhead: the same records, and the
// Square requests it took, as the emulator counts them. The full-size
// figure (1,000 orders) is bench/webhook-backfill-requests.js.

describe('poll pass request counts', () => {
  const square = createSquareEmulator({ seed: false });
  let client: SquareClient;
  const SALES = 60;

  before(async () => {
    const url = await square.start();
    client = new SquareClient({
      baseUrl: url,
      getAccessToken: async () => 'sqx3-demo-token',
    });
    const start = Date.parse('2026-11-02T15:00:00Z');
    const locations = ['L1HARBOURST01', 'L2MARKETSQ002', 'L3WEBSTORE003'];
    for (let i = 0; i < SALES; i++) {
      square.createSale({
        locationId: locations[i % 3],
        at: new Date(start + i * 60_000).toISOString(),
        lines: [{ variationId: 'VAR_MUG', quantity: 1 + (i % 2) }],
        tenders:
          i % 4 === 0
            ? [{ type: 'CARD', brand: 'VISA', amount: 300 }, { type: 'CASH' }]
            : [{ type: 'CARD', brand: 'VISA' }],
      });
    }
  });
  after(() => square.stop());

  async function pass(readAhead: boolean) {
    const before = square.requestCounts();
    const records: SyncRecord[] = [];
    const cursors = new Map<string, string>();
    await pollSquare(
      {
        client,
        cursors: {
          getCursor: (n) => cursors.get(n),
          setCursor: (n, v) => cursors.set(n, v),
        },
        cursorName: 'c',
        locationIds: [],
        kinds: ['sale'],
        overlapSec: 300,
        backfillFrom: '2026-11-01T00:00:00Z',
        readAhead,
      },
      (r) => {
        records.push(r);
      },
      'incremental',
      new Date('2026-11-03T00:00:00Z'),
    );
    const after = square.requestCounts();
    const delta: Record<string, number> = {};
    for (const [k, v] of Object.entries(after)) {
      if (v - (before[k] ?? 0)) delta[k] = v - (before[k] ?? 0);
    }
    return { records, delta };
  }

  test('readAhead reads the same sales with a few list calls', async () => {
    const plain = await pass(false);
    const ahead = await pass(true);

    assert.equal(plain.records.length, SALES);
    assert.deepEqual(
      ahead.records.map((r) => [r.key, r.version, r.square.payments?.length]),
      plain.records.map((r) => [r.key, r.version, r.square.payments?.length]),
    );
    assert.deepEqual(plain.delta, {
      'GET /v2/locations': 1,
      'POST /v2/orders/search': 1,
      'GET /v2/payments/:id': SALES + SALES / 4,
    });
    assert.deepEqual(ahead.delta, {
      'GET /v2/locations': 1,
      'POST /v2/orders/search': 1,
      'GET /v2/payments': 3,
    });
  });
});

describe('poll pass over several pages of orders', () => {
  const square = createSquareEmulator({ seed: false });
  // 1,100 orders come in three SearchOrders pages (500, 500, 100); one in
  // four is paid by card and cash, so 1,375 payments.
  const SALES = 1_100;
  let url = '';

  before(async () => {
    url = await square.start();
    const start = Date.parse('2026-11-02T09:00:00Z');
    for (let i = 0; i < SALES; i++) {
      square.createSale({
        locationId: 'L1HARBOURST01',
        at: new Date(start + i * 20_000).toISOString(),
        lines: [{ variationId: 'VAR_MUG', quantity: 1 }],
        tenders:
          i % 4 === 0
            ? [{ type: 'CARD', brand: 'VISA', amount: 300 }, { type: 'CASH' }]
            : [{ type: 'CARD', brand: 'VISA' }],
      });
    }
  });
  after(() => square.stop());

  test('reads each page of payments once, across the order pages', async () => {
    const client = new SquareClient({
      baseUrl: url,
      getAccessToken: async () => 'sqx3-demo-token',
    });
    const cursors = new Map<string, string>();
    let records = 0;
    let withPayments = 0;
    await pollSquare(
      {
        client,
        cursors: {
          getCursor: (n) => cursors.get(n),
          setCursor: (n, v) => cursors.set(n, v),
        },
        cursorName: 'c',
        locationIds: [],
        kinds: ['sale'],
        overlapSec: 300,
        backfillFrom: '2026-11-01T00:00:00Z',
        readAhead: true,
      },
      (r) => {
        records++;
        if (r.square.payments?.length) withPayments++;
      },
      'incremental',
      new Date('2026-11-03T00:00:00Z'),
    );
    assert.equal(records, SALES);
    assert.equal(withPayments, SALES);
    const counts = square.requestCounts();
    assert.equal(counts['POST /v2/orders/search'], 3);
    // 1,375 payments: 14 pages of 100, and not one GET for a payment
    assert.equal(counts['GET /v2/payments'], 14);
    assert.equal(counts['GET /v2/payments/:id'], undefined);
  });
});
