import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createX3Emulator } from '../../sandbox/x3/emulator';
import { SEED_SETUP, sampleRevenueEntry } from '../../sandbox/x3/fixtures';
import { X3Gateway, X3GatewayOptions } from '../../lib/x3/gateway';
import { CloudTokens, X3TokenManager } from '../../lib/x3/jwt-manager';
import { X3Error } from '../../lib/x3/errors';

const DATE = '2026-03-14';
let clock = Date.parse('2026-03-14T15:00:00Z');
const emulator = createX3Emulator({
  now: () => clock,
  cloud: {
    clientId: 'cloud-app',
    clientSecret: 'cloud-secret',
    refreshToken: 'first-refresh-token',
  },
});
let baseUrl = '';

const connectedApp = () =>
  new X3TokenManager(
    {
      mode: 'connected-app',
      clientId: 'sqx3-demo-app',
      secret: 'sqx3-demo-jwt-secret',
      user: 'SQX3',
    },
    { now: () => clock },
  );

function gateway(extra: Partial<X3GatewayOptions> = {}) {
  return new X3Gateway({
    baseUrl,
    endpoint: 'SEED',
    tokens: connectedApp(),
    setup: SEED_SETUP,
    backoff: { attempts: 1, baseMs: 1, maxMs: 5 },
    ...extra,
  });
}

before(async () => {
  baseUrl = await emulator.start();
});
beforeEach(() => {
  emulator.reset();
  emulator.setFault({ kind: 'none' });
});
after(() => emulator.stop());

describe('commit then timeout', () => {
  test('the post times out, findDocument finds what X3 committed', async () => {
    emulator.setFault({
      kind: 'commit-then-timeout',
      count: 1,
      closeAfterMs: 1000,
    });
    const x3 = gateway({ timeoutMs: 200 });
    const doc = sampleRevenueEntry('ORDER1', DATE);

    await assert.rejects(
      x3.postDocument(doc),
      (error: X3Error) => error.code === 'timeout' && error.retryable,
    );
    assert.equal(await x3.findDocument(doc), 'SQJ2600001');
  });

  test('with retries, postDocument returns the committed number, once', async () => {
    emulator.setFault({
      kind: 'commit-then-timeout',
      count: 1,
      closeAfterMs: 50,
    });
    const x3 = gateway({
      timeoutMs: 2000,
      backoff: { attempts: 3, baseMs: 1, maxMs: 5 },
    });
    const number = await x3.postDocument(sampleRevenueEntry('ORDER2', DATE));
    assert.equal(number, 'SQJ2600001');
    assert.equal(emulator.documents().entries.length, 1);
  });
});

describe('throttling and outages', () => {
  test('a 429 with Retry-After is waited out and retried', async () => {
    emulator.setFault({ kind: 'status', status: 429, count: 2, retryAfter: 0 });
    const waits: number[] = [];
    const x3 = gateway({
      backoff: {
        attempts: 4,
        baseMs: 1000,
        maxMs: 5000,
        sleep: async (ms) => {
          waits.push(ms);
        },
      },
    });
    const number = await x3.postDocument(sampleRevenueEntry('ORDER3', DATE));
    assert.equal(number, 'SQJ2600001');
    assert.deepEqual(waits, [0, 0]);
  });

  test('a 503 past the last attempt is a retryable X3Error', async () => {
    emulator.setFault({ kind: 'status', status: 503, count: 5 });
    await assert.rejects(
      gateway().postDocument(sampleRevenueEntry('O4', DATE)),
      (error: X3Error) => error.status === 503 && error.retryable,
    );
  });

  test('faults can be set over HTTP', async () => {
    const res = await fetch(`${baseUrl}/_emulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ kind: 'status', status: 500, count: 1 }),
    });
    assert.equal(res.status, 200);
    await assert.rejects(
      gateway().findDocument(sampleRevenueEntry('O5', DATE)),
      (error: X3Error) => error.status === 500,
    );
    const docs = await (await fetch(`${baseUrl}/_emulator/documents`)).json();
    assert.deepEqual(Object.keys(docs), ['customers', 'invoices', 'entries']);
  });
});

describe('one token renewal in flight', () => {
  test('20 parallel posts share one connected-app JWT', async () => {
    const tokens = connectedApp();
    const x3 = gateway({ tokens });
    const numbers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        x3.postDocument(sampleRevenueEntry(`PAR${i}`, DATE)),
      ),
    );
    assert.equal(new Set(numbers).size, 20);
    assert.equal(tokens.state.renewals, 1);
    assert.equal(emulator.stats().bearerTokens, 1);
  });

  test('20 parallel posts trigger one cloud refresh, rotated and persisted', async () => {
    const saved: CloudTokens[] = [];
    const tokens = new X3TokenManager(
      {
        mode: 'cloud-oauth',
        tokenUrl: `${baseUrl}/v1/token`,
        clientId: 'cloud-app',
        clientSecret: 'cloud-secret',
        tokens: { refreshToken: 'first-refresh-token' },
        persist: async (t) => {
          await new Promise((resolve) => setTimeout(resolve, 20));
          saved.push(t);
        },
      },
      { now: () => clock },
    );
    const x3 = gateway({ tokens });
    const before = emulator.stats().tokenRefreshes;

    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        x3.postDocument(sampleRevenueEntry(`CLOUD${i}`, DATE)),
      ),
    );
    assert.equal(emulator.stats().tokenRefreshes - before, 1);
    assert.equal(saved.length, 1);
    assert.notEqual(saved[0].refreshToken, 'first-refresh-token');

    // 5-minute access token: renewed 60 s before expiry, with the new
    // refresh token (the old one no longer works).
    clock += 250_000;
    await x3.postDocument(sampleRevenueEntry('CLOUD-LATER', DATE));
    assert.equal(saved.length, 2);
    assert.notEqual(saved[1].refreshToken, saved[0].refreshToken);
    assert.equal(tokens.state.renewals, 2);
  });

  test('a dead refresh token asks for re-authorisation, once', async () => {
    const tokens = new X3TokenManager({
      mode: 'cloud-oauth',
      tokenUrl: `${baseUrl}/v1/token`,
      clientId: 'cloud-app',
      clientSecret: 'cloud-secret',
      tokens: { refreshToken: 'revoked' },
      persist: () => undefined,
    });
    const before = emulator.stats().tokenRequests;
    const dead = (error: X3Error) =>
      error.code === 'reauthorise' &&
      !error.retryable &&
      /invalid_grant.*re-authorise/.test(error.message);
    await assert.rejects(tokens.authorization(), dead);
    assert.equal(tokens.state.status, 'reauthorise');
    // not asked again: the token is dead until a person re-authorises
    await assert.rejects(tokens.authorization(), dead);
    assert.equal(emulator.stats().tokenRequests - before, 1);
  });
});

describe('licence quota', () => {
  const timed = async (work: () => Promise<unknown>) => {
    const start = performance.now();
    await work();
    return performance.now() - start;
  };

  test('first slows calls, then refuses them until the period ends', async () => {
    emulator.setFault({
      kind: 'quota',
      limit: 3,
      grace: 2,
      slowMs: 150,
      periodMs: 60_000,
    });
    const x3 = gateway();
    const doc = sampleRevenueEntry('QUOTA', DATE);
    const find = () => x3.findDocument(doc);
    const before = emulator.stats();

    const times = [];
    for (let i = 0; i < 5; i++) times.push(await timed(find));
    assert.ok(
      times.slice(0, 3).every((ms) => ms < 150),
      `fast ${times}`,
    );
    assert.ok(
      times.slice(3).every((ms) => ms >= 150),
      `slow ${times}`,
    );

    await assert.rejects(
      find(),
      (error: X3Error) =>
        error.code === 'licence' &&
        error.status === 503 &&
        error.retryable &&
        error.retryAfterMs === 60_000 &&
        /license_web_max/.test(error.message),
    );
    const stats = emulator.stats();
    assert.equal(stats.quotaSlowed - before.quotaSlowed, 2);
    assert.equal(stats.quotaRefused - before.quotaRefused, 1);

    clock += 60_000;
    assert.ok((await timed(find)) < 150);
  });

  test('counted in bytes, the api1 refusal is a licence error too', async () => {
    emulator.setFault({
      kind: 'quota',
      limit: 100,
      grace: 1,
      slowMs: 1,
      unit: 'bytes',
    });
    const { X3RestClient } = await import('../../lib/x3/rest-client');
    const rest = new X3RestClient({
      baseUrl,
      endpoint: 'SEED',
      basic: { user: 'sqx3', password: 'sqx3-demo' },
      backoff: { attempts: 1, baseMs: 1, maxMs: 1 },
    });
    await rest.query('FACILITY');
    await assert.rejects(
      rest.query('FACILITY'),
      (error: X3Error) => error.code === 'licence' && error.retryable,
    );
  });
});
