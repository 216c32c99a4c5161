import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createSquareEmulator } from '../../sandbox/square/emulator';
import { GOLDEN } from '../../sandbox/seed/square-day';

const NOW = new Date('2025-06-12T12:00:00Z');
const TOKEN = 'sqx3-demo-token';

describe('Square emulator endpoints', () => {
  const emu = createSquareEmulator({
    seed: { date: '2025-06-10' },
    now: () => NOW,
  });
  let base = '';

  before(async () => {
    base = await emu.start();
  });
  after(() => emu.stop());

  async function call(
    path: string,
    init: { method?: string; body?: unknown; token?: string | null } = {},
  ) {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'square-version': '2025-08-20',
    };
    if (init.token !== null) {
      headers.authorization = `Bearer ${init.token ?? TOKEN}`;
    }
    const res = await fetch(base + path, {
      method: init.method ?? (init.body ? 'POST' : 'GET'),
      headers,
      body: init.body ? JSON.stringify(init.body) : undefined,
    });
    return { status: res.status, headers: res.headers, body: await res.json() };
  }

  test('requires a Bearer token and echoes Square-Version', async () => {
    const none = await call('/v2/locations', { token: null });
    assert.equal(none.status, 401);
    assert.equal(none.body.errors[0].category, 'AUTHENTICATION_ERROR');
    assert.equal(none.body.errors[0].code, 'UNAUTHORIZED');
    const wrong = await call('/v2/locations', { token: 'nope' });
    assert.equal(wrong.status, 401);
    const ok = await call('/v2/locations');
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('square-version'), '2025-08-20');
  });

  test('lists locations alphabetically; main is Harbour Street', async () => {
    const { body } = await call('/v2/locations');
    const names = body.locations.map((l: { name: string }) => l.name);
    assert.deepEqual(
      names,
      [...names].sort((a, b) => a.localeCompare(b)),
    );
    assert.ok(names.includes('Web Store'));
    const main = await call('/v2/locations/main');
    assert.equal(main.body.location.id, 'L1HARBOURST01');
    const missing = await call('/v2/locations/NOPE');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.errors[0].code, 'NOT_FOUND');
  });

  test('ListPayments defaults to the main location and pages', async () => {
    const all = emu.store.payments;
    const harbour = [...all.values()].filter(
      (p) => p.location_id === 'L1HARBOURST01',
    );
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const q = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const { status, body } = await call(`/v2/payments?limit=4${q}`);
      assert.equal(status, 200);
      for (const p of body.payments) seen.push(p.id);
      assert.ok(body.payments.length <= 4);
      cursor = body.cursor;
      pages += 1;
    } while (cursor);
    assert.equal(seen.length, harbour.length);
    assert.equal(new Set(seen).size, seen.length);
    assert.equal(pages, Math.ceil(harbour.length / 4));

    const market = await call('/v2/payments?location_id=L2MARKETSQ002');
    assert.ok(
      market.body.payments.every(
        (p: { location_id: string }) => p.location_id === 'L2MARKETSQ002',
      ),
    );
  });

  test('ListPayments sorts DESC by default, ignores a limit over 100', async () => {
    const { body } = await call('/v2/payments?limit=500');
    const times = body.payments.map((p: { created_at: string }) =>
      Date.parse(p.created_at),
    );
    assert.deepEqual(
      times,
      [...times].sort((a, b) => b - a),
    );
    assert.equal(body.cursor, undefined);
    const asc = await call('/v2/payments?sort_order=ASC');
    assert.equal(asc.body.payments[0].id, body.payments.at(-1).id);
  });

  test('a cursor only works with its own query', async () => {
    const first = await call('/v2/payments?limit=2');
    assert.ok(first.body.cursor);
    const other = await call(
      `/v2/payments?limit=2&sort_order=ASC&cursor=${first.body.cursor}`,
    );
    assert.equal(other.status, 400);
    assert.equal(other.body.errors[0].code, 'INVALID_CURSOR');
  });

  test('the default window is one year back from now', async () => {
    const { body } = await call('/v2/payments?location_id=L88917AVBK2S5');
    assert.deepEqual(body, {});
    const old = await call(
      '/v2/payments?location_id=L88917AVBK2S5&begin_time=2021-01-01T00:00:00Z',
    );
    assert.equal(old.body.payments[0].id, 'bP9mAsEMYPUGjjGNaNO5ZDVyLhSZY');
  });

  test('ListPaymentRefunds covers all locations; GET by id', async () => {
    const { body } = await call('/v2/refunds');
    const ids = body.refunds.map((r: { id: string }) => r.id);
    assert.deepEqual(
      ids.sort(),
      [GOLDEN.bareRefundId, GOLDEN.itemisedRefundId].sort(),
    );
    const one = await call(`/v2/refunds/${GOLDEN.bareRefundId}`);
    assert.equal(one.body.refund.amount_money.amount, 1000);
    const pending = await call('/v2/refunds?status=PENDING');
    assert.deepEqual(pending.body, {});
  });

  test('SearchOrders enforces Square rules', async () => {
    const missing = await call('/v2/orders/search', { body: {} });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.errors[0].field, 'location_ids');

    const tooMany = await call('/v2/orders/search', {
      body: { location_ids: Array.from({ length: 11 }, (_, i) => `L${i}`) },
    });
    assert.equal(tooMany.status, 400);

    const twoFields = await call('/v2/orders/search', {
      body: {
        location_ids: ['L1HARBOURST01'],
        query: {
          filter: {
            date_time_filter: {
              created_at: { start_at: '2025-06-01T00:00:00Z' },
              updated_at: { start_at: '2025-06-01T00:00:00Z' },
            },
          },
        },
      },
    });
    assert.equal(twoFields.status, 400);

    const mismatch = await call('/v2/orders/search', {
      body: {
        location_ids: ['L1HARBOURST01'],
        query: {
          filter: {
            date_time_filter: {
              updated_at: { start_at: '2025-06-01T00:00:00Z' },
            },
          },
          sort: { sort_field: 'CREATED_AT' },
        },
      },
    });
    assert.equal(mismatch.status, 400);
    assert.equal(mismatch.body.errors[0].field, 'query.sort.sort_field');

    const closedOpen = await call('/v2/orders/search', {
      body: {
        location_ids: ['L1HARBOURST01'],
        query: {
          filter: { state_filter: { states: ['OPEN', 'COMPLETED'] } },
          sort: { sort_field: 'CLOSED_AT' },
        },
      },
    });
    assert.equal(closedOpen.status, 400);
  });

  test('SearchOrders filters by state and updated_at, pages, entries', async () => {
    const query = {
      filter: {
        state_filter: { states: ['COMPLETED'] },
        date_time_filter: {
          updated_at: {
            start_at: '2025-06-10T00:00:00Z',
            end_at: '2025-06-11T06:00:00Z',
          },
        },
      },
      sort: { sort_field: 'UPDATED_AT', sort_order: 'ASC' },
    };
    const locs = ['L1HARBOURST01', 'L2MARKETSQ002', 'L3WEBSTORE003'];
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const { status, body } = await call('/v2/orders/search', {
        body: { location_ids: locs, query, limit: 7, cursor },
      });
      assert.equal(status, 200);
      ids.push(...body.orders.map((o: { id: string }) => o.id));
      cursor = body.cursor;
    } while (cursor);
    // 30 completed sales and the 2 return orders of the golden refunds
    assert.equal(ids.length, 32);
    assert.ok(ids.includes(GOLDEN.orderId));

    const open = await call('/v2/orders/search', {
      body: {
        location_ids: locs,
        query: { filter: { state_filter: { states: ['OPEN'] } } },
        return_entries: true,
      },
    });
    assert.equal(open.body.order_entries.length, 1);
    assert.equal(open.body.orders, undefined);
  });

  test('BatchRetrieveOrders omits unknown ids; RetrieveOrder 404s', async () => {
    const { body } = await call('/v2/orders/batch-retrieve', {
      body: { order_ids: [GOLDEN.orderId, 'UNKNOWN'] },
    });
    assert.deepEqual(
      body.orders.map((o: { id: string }) => o.id),
      [GOLDEN.orderId],
    );
    const missing = await call('/v2/orders/UNKNOWN');
    assert.equal(missing.status, 404);
  });

  test('customers: list, search on updated_at, retrieve', async () => {
    const list = await call('/v2/customers?limit=3');
    assert.equal(list.body.customers.length, 3);
    assert.ok(list.body.cursor);
    const tooMany = await call('/v2/customers?limit=101');
    assert.equal(tooMany.body.errors[0].code, 'VALUE_TOO_HIGH');
    const search = await call('/v2/customers/search', {
      body: {
        query: {
          filter: {
            updated_at: {
              start_at: '2025-06-10T00:00:00Z',
              end_at: '2025-06-11T00:00:00Z',
            },
          },
        },
        count: true,
      },
    });
    assert.equal(search.body.count, 3);
    const one = await call('/v2/customers/0SYVDPFS1YPY8BRHX1GHKE2IDX');
    assert.equal(one.body.customer.given_name, 'Maya');
  });

  test('injected 429 answers in Square shape, then clears', async () => {
    emu.setFault({
      status: 429,
      count: 1,
      retryAfter: 3,
      path: '/v2/locations',
    });
    const limited = await call('/v2/locations');
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '3');
    assert.equal(limited.body.errors[0].category, 'RATE_LIMIT_ERROR');
    assert.equal(limited.body.errors[0].code, 'RATE_LIMITED');
    const fine = await call('/v2/locations');
    assert.equal(fine.status, 200);
  });

  test('OAuth code flow keeps its refresh token; PKCE rotates it', async () => {
    const code = emu.oauth.issueCode();
    const first = await call('/oauth2/token', {
      token: null,
      body: {
        client_id: 'sqx3-demo-app',
        client_secret: 'sqx3-demo-secret',
        grant_type: 'authorization_code',
        code,
      },
    });
    assert.equal(first.status, 200);
    assert.equal(first.body.token_type, 'bearer');
    const refreshed = await call('/oauth2/token', {
      token: null,
      body: {
        client_id: 'sqx3-demo-app',
        client_secret: 'sqx3-demo-secret',
        grant_type: 'refresh_token',
        refresh_token: first.body.refresh_token,
      },
    });
    assert.equal(refreshed.body.refresh_token, first.body.refresh_token);
    assert.notEqual(refreshed.body.access_token, first.body.access_token);
    const status = await call('/oauth2/token/status', {
      method: 'POST',
      token: refreshed.body.access_token,
    });
    assert.equal(status.body.client_id, 'sqx3-demo-app');
    assert.ok(status.body.expires_at);

    const { createHash } = await import('node:crypto');
    const verifier = 'v'.repeat(50);
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const pkce = await call('/oauth2/token', {
      token: null,
      body: {
        client_id: 'sqx3-demo-app',
        grant_type: 'authorization_code',
        code: emu.oauth.issueCode(challenge),
        code_verifier: verifier,
      },
    });
    assert.ok(pkce.body.refresh_token_expires_at);
    const rotate = (refresh_token: string) =>
      call('/oauth2/token', {
        token: null,
        body: {
          client_id: 'sqx3-demo-app',
          grant_type: 'refresh_token',
          refresh_token,
        },
      });
    const next = await rotate(pkce.body.refresh_token);
    assert.notEqual(next.body.refresh_token, pkce.body.refresh_token);
    const reused = await rotate(pkce.body.refresh_token);
    assert.equal(reused.status, 401);
  });

  test('admin routes create a sale and report state', async () => {
    const before = emu.state() as { orders: number };
    const res = await fetch(`${base}/_emulator/sales`, {
      method: 'POST',
      body: JSON.stringify({
        locationId: 'L2MARKETSQ002',
        lines: [{ variationId: 'VAR_FILTERS', quantity: 2 }],
        tenders: [{ type: 'CASH', cashTendered: 1000 }],
      }),
    });
    const sale = await res.json();
    assert.equal(sale.order.total_money.amount, 980);
    assert.equal(sale.payments[0].cash_details.change_back_money.amount, 20);
    const state = await (await fetch(`${base}/_emulator/state`)).json();
    assert.equal(state.orders, before.orders + 1);
  });
});
