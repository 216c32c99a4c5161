import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SquareClient } from '../../lib/square/client';
import { SquareApiError } from '../../lib/square/errors';
import type { BackoffOptions } from '../../lib/sync/backoff';
import { createSquareEmulator } from '../../sandbox/square/emulator';
import { GOLDEN } from '../../sandbox/seed/square-day';

const NOW = new Date('2025-06-12T12:00:00Z');

describe('SquareClient against the emulator', () => {
  const emu = createSquareEmulator({
    seed: { date: '2025-06-10' },
    now: () => NOW,
  });
  let base = '';
  let waits: number[] = [];
  const backoff: BackoffOptions = {
    attempts: 4,
    baseMs: 100,
    maxMs: 10_000,
    random: () => 1,
    sleep: async (ms) => {
      waits.push(ms);
    },
  };
  const client = (
    extra: Partial<ConstructorParameters<typeof SquareClient>[0]> = {},
  ) =>
    new SquareClient({
      baseUrl: base,
      getAccessToken: async () => 'sqx3-demo-token',
      backoff,
      ...extra,
    });

  before(async () => {
    base = await emu.start();
  });
  after(() => emu.stop());

  test('pages through payments resending the original query', async () => {
    const ids: string[] = [];
    let pages = 0;
    for await (const page of client().listPayments({
      location_id: 'L2MARKETSQ002',
      sort_order: 'ASC',
      limit: 3,
    })) {
      pages += 1;
      ids.push(...(page.payments ?? []).map((p) => p.id));
    }
    const expected = [...emu.store.payments.values()].filter(
      (p) => p.location_id === 'L2MARKETSQ002',
    );
    assert.equal(ids.length, expected.length);
    assert.equal(pages, Math.ceil(expected.length / 3));
  });

  test('searchOrders pages and batchRetrieveOrders chunks', async () => {
    const ids: string[] = [];
    for await (const page of client().searchOrders({
      location_ids: ['L1HARBOURST01', 'L2MARKETSQ002', 'L3WEBSTORE003'],
      query: { filter: { state_filter: { states: ['COMPLETED'] } } },
      limit: 10,
    })) {
      ids.push(...(page.orders ?? []).map((o) => o.id));
    }
    assert.equal(ids.length, 32);
    const many = [...ids, ...Array.from({ length: 150 }, (_, i) => `X${i}`)];
    const orders = await client().batchRetrieveOrders(many);
    assert.equal(orders.length, 32);
  });

  test('retries a 429 honouring Retry-After', async () => {
    waits = [];
    emu.setFault({
      status: 429,
      count: 2,
      retryAfter: 2,
      path: '/v2/locations',
    });
    const locations = await client().listLocations();
    assert.ok(locations.length >= 3);
    assert.deepEqual(waits, [2000, 2000]);
  });

  test('retries a 429 without Retry-After with growing backoff', async () => {
    waits = [];
    emu.setFault({ status: 429, count: 2, path: '/v2/locations' });
    await client().listLocations();
    assert.deepEqual(waits, [100, 200]);
  });

  test('retries a 500 and gives up with a SquareApiError', async () => {
    waits = [];
    emu.setFault({ status: 500, count: 1, path: '/v2/orders' });
    const order = await client().retrieveOrder(GOLDEN.orderId);
    assert.equal(order.id, GOLDEN.orderId);
    assert.equal(waits.length, 1);

    emu.setFault({ status: 503, count: 4, path: '/v2/orders' });
    await assert.rejects(client().retrieveOrder(GOLDEN.orderId), (error) => {
      assert.ok(error instanceof SquareApiError);
      assert.equal(error.status, 503);
      assert.equal(error.code, 'SERVICE_UNAVAILABLE');
      assert.equal(error.retryable, true);
      return true;
    });
  });

  test('a 404 is not retried and carries Square code', async () => {
    waits = [];
    await assert.rejects(client().getPayment('NOPE'), (error) => {
      assert.ok(error instanceof SquareApiError);
      assert.equal(error.status, 404);
      assert.equal(error.code, 'NOT_FOUND');
      assert.equal(error.category, 'INVALID_REQUEST_ERROR');
      assert.equal(error.retryable, false);
      return true;
    });
    assert.deepEqual(waits, []);
  });

  test('a 401 calls onUnauthorized once, then retries', async () => {
    let token = 'stale';
    let calls = 0;
    const c = client({
      getAccessToken: async () => token,
      onUnauthorized: async () => {
        calls += 1;
        token = 'sqx3-demo-token';
      },
    });
    const payment = await c.getPayment(GOLDEN.paymentId);
    assert.equal(payment.id, GOLDEN.paymentId);
    assert.equal(calls, 1);

    const never = client({
      getAccessToken: async () => 'bad',
      onUnauthorized: async () => {
        calls += 1;
      },
    });
    await assert.rejects(never.listLocations(), (error) => {
      assert.ok(error instanceof SquareApiError);
      assert.equal(error.status, 401);
      assert.ok(!error.message.includes('bad'));
      return true;
    });
    assert.equal(calls, 2);
  });

  test('a timeout is a retryable error', async () => {
    waits = [];
    emu.setFault({
      status: 500,
      count: 1,
      delayMs: 400,
      path: '/v2/customers',
    });
    const c = client({ timeoutMs: 100 });
    const customer = await c.retrieveCustomer('0SYVDPFS1YPY8BRHX1GHKE2IDX');
    assert.equal(customer.family_name, 'Okafor');
    assert.equal(waits.length, 1);
  });

  test('tokenStatus reports the personal token', async () => {
    const status = await client().tokenStatus();
    assert.equal(status.client_id, 'sqx3-demo-app');
    assert.equal(status.expires_at, undefined);
  });
});
