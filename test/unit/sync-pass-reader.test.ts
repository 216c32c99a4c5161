import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SquareClient } from '../../lib/square/client';
import { pollSquare } from '../../lib/sync/poller';
import type { SyncRecord } from '../../lib/sync/record';
import { createSquareEmulator } from '../../sandbox/square/emulator';
import { countBacklog, planBacklog, seedBacklog } from '../../bench/seed';

// A backfill with readAhead against one without: the same records, and
// no GET for an object a page already returned (customers, the orders of
// refunds, locations), as the emulator counts the requests.

describe('one poll pass reads each Square object once', () => {
  const square = createSquareEmulator({ seed: false, reference: false });
  const plan = planBacklog(200);
  let client: SquareClient;

  before(async () => {
    seedBacklog(square, plan);
    const url = await square.start(0, '127.0.0.1');
    client = new SquareClient({
      baseUrl: url,
      getAccessToken: async () => 'sqx3-demo-token',
    });
  });
  after(() => square.stop());

  async function pass(readAhead: boolean) {
    const before = square.requestCounts();
    const records: SyncRecord[] = [];
    const pages: number[] = [];
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
        kinds: ['sale', 'refund', 'customer'],
        overlapSec: 300,
        backfillFrom: plan.from,
        readAhead,
        emitPage: async (page) => {
          pages.push(page.length);
          records.push(...page);
        },
      },
      () => assert.fail('emitPage takes every record'),
    );
    const after = square.requestCounts();
    const delta: Record<string, number> = {};
    for (const [k, v] of Object.entries(after)) {
      if (v - (before[k] ?? 0)) delta[k] = v - (before[k] ?? 0);
    }
    return { records, pages, delta };
  }

  test('the same records, without the per-record GETs', async () => {
    const plain = await pass(false);
    const ahead = await pass(true);
    const expected = countBacklog(plan);
    assert.equal(plain.records.length, expected.records);
    const byKey = (r: SyncRecord[]) =>
      r.map((x) => JSON.stringify([x.key, x.version, x.square])).sort();
    assert.deepEqual(byKey(ahead.records), byKey(plain.records));

    // customers come first with readAhead, then sales, then refunds
    assert.equal(ahead.records[0].kind, 'customer');
    assert.equal(ahead.records.at(-1)?.kind, 'refund');
    assert.ok(ahead.pages.every((n) => n <= 500));

    assert.ok((plain.delta['GET /v2/customers/:id'] ?? 0) > 0);
    assert.ok((plain.delta['GET /v2/orders/:id'] ?? 0) >= expected.refunds);
    assert.equal(ahead.delta['GET /v2/customers/:id'], undefined);
    assert.equal(ahead.delta['GET /v2/orders/:id'], undefined);
    assert.equal(ahead.delta['GET /v2/locations/:id'], undefined);
    assert.equal(ahead.delta['POST /v2/orders/batch-retrieve'], 2);
    // refunded payments come from the sale pages' payment listings
    assert.ok((plain.delta['GET /v2/payments/:id'] ?? 0) >= expected.refunds);
    assert.equal(ahead.delta['GET /v2/payments/:id'], undefined);
    // each payment listed once: as many pages as a single listing needs
    const payments = plan.sales.reduce(
      (n, sale) => n + (sale.tenders?.length ?? 1),
      0,
    );
    const lists = ahead.delta['GET /v2/payments'];
    assert.ok(lists <= Math.ceil(payments / 100), JSON.stringify(ahead.delta));
  });
});
