import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createX3Emulator } from '../../sandbox/x3/emulator';
import { SEED_SETUP, sampleRevenueEntry } from '../../sandbox/x3/fixtures';
import { X3Gateway } from '../../lib/x3/gateway';
import { X3TokenManager, X3AuthSettings } from '../../lib/x3/jwt-manager';
import { cloudTokenFile } from '../../lib/x3/token-file';
import { X3Error } from '../../lib/x3/errors';
import type { JournalEntryDoc } from '../../lib/ledger/types';

// The six inputs of issue 4, one test each, against the emulator on a
// clock the tests move (no real waiting for tokens to age).

const DATE = '2026-03-14';
const START = Date.parse('2026-03-14T15:00:00Z');
let clock = START;
const CLOUD = {
  clientId: 'cloud-app',
  clientSecret: 'cloud-secret',
  refreshToken: 'first-refresh-token',
};
const emulator = createX3Emulator({ now: () => clock, cloud: CLOUD });
const once = { attempts: 1, baseMs: 1, maxMs: 1 };
let baseUrl = '';
let dir = '';

before(async () => {
  baseUrl = await emulator.start();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqx3-x3-inputs-'));
});
beforeEach(() => {
  emulator.reset();
  emulator.setFault({ kind: 'none' });
});
after(async () => {
  await emulator.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

function gateway(tokens: X3TokenManager, timeoutMs = 5000) {
  return new X3Gateway({
    baseUrl,
    endpoint: 'SEED',
    tokens,
    setup: SEED_SETUP,
    backoff: once,
    timeoutMs,
  });
}

function cloudSettings(extra: Partial<X3AuthSettings> = {}): X3AuthSettings {
  return {
    mode: 'cloud-oauth',
    tokenUrl: `${baseUrl}/v1/token`,
    clientId: CLOUD.clientId,
    clientSecret: CLOUD.clientSecret,
    refreshToken: CLOUD.refreshToken,
    persistTokens: () => undefined,
    ...extra,
  };
}

/** Posts one entry every `stepMs` of the shared clock over `durationMs`. */
async function postingRun(
  x3: X3Gateway,
  durationMs: number,
  stepMs: number,
  advance: (ms: number) => void,
): Promise<{ posted: string[]; failed: unknown[] }> {
  const posted: string[] = [];
  const failed: unknown[] = [];
  for (let t = 0; t <= durationMs; t += stepMs) {
    if (t > 0) advance(stepMs);
    try {
      posted.push(await x3.postDocument(sampleRevenueEntry(`RUN${t}`, DATE)));
    } catch (error) {
      failed.push(error);
    }
  }
  return { posted, failed };
}

describe('issue 4 inputs', () => {
  test('input 1: client clock 120 s behind X3 -> no failed request', async () => {
    clock = START;
    const behind = () => clock - 120_000;
    const tokens = new X3TokenManager(
      {
        mode: 'connected-app',
        clientId: 'sqx3-demo-app',
        secret: 'sqx3-demo-jwt-secret',
        user: 'SQX3',
      },
      { now: behind },
    );
    const before = emulator.stats();

    // 30 minutes, three times the 600 s validity: each token is
    // re-signed before X3, whose clock is ahead, sees it expire.
    const run = await postingRun(gateway(tokens), 1_800_000, 20_000, (ms) => {
      clock += ms;
    });
    const stats = emulator.stats();

    assert.deepEqual(run.failed, []);
    assert.equal(run.posted.length, 91);
    assert.equal(stats.unauthorized - before.unauthorized, 0, '401s at X3');
    assert.equal(stats.iatFuture - before.iatFuture, 0, 'error 21 at X3');
    assert.ok(
      tokens.state.renewals >= 4 && tokens.state.renewals <= 5,
      `renewals ${tokens.state.renewals}`,
    );
  });

  test(
    'input 2: 6-minute cloud run, 5-minute tokens -> no failure, ' +
      '2 refreshes',
    async () => {
      clock = START;
      const tokens = new X3TokenManager(cloudSettings(), { now: () => clock });
      const before = emulator.stats();

      const run = await postingRun(gateway(tokens), 360_000, 10_000, (ms) => {
        clock += ms;
      });
      const stats = emulator.stats();

      // Access tokens live 300 s and are renewed 60 s early, so a refresh
      // at 0 s and one at 240 s cover 0..360 s.
      const expected = Math.floor(360 / (300 - 60)) + 1;
      assert.deepEqual(run.failed, []);
      assert.equal(run.posted.length, 37);
      assert.equal(new Set(run.posted).size, 37);
      assert.equal(stats.tokenRefreshes - before.tokenRefreshes, expected);
      assert.equal(tokens.state.renewals, expected);
      assert.equal(stats.unauthorized - before.unauthorized, 0);
      assert.equal(emulator.documents().entries.length, 37);
    },
  );

  test('input 3: twenty posts in flight when the token expires -> one refresh', async () => {
    clock = START;
    const tokens = new X3TokenManager(
      cloudSettings({
        refreshToken: undefined,
        tokens: { refreshToken: CLOUD.refreshToken },
      }),
      { now: () => clock },
    );
    const x3 = gateway(tokens);
    await x3.postDocument(sampleRevenueEntry('FIRST', DATE));

    // expired at both ends: every caller waits on the same refresh
    clock += 300_000;
    let before = emulator.stats().tokenRefreshes;
    const batch = (tag: string) =>
      Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          x3.postDocument(sampleRevenueEntry(`${tag}${i}`, DATE)),
        ),
      );
    assert.equal(new Set(await batch('EXP')).size, 20);
    assert.equal(emulator.stats().tokenRefreshes - before, 1);

    // X3 kills the token mid-batch: 15 of the 20 get a 401, and still
    // one refresh, shared by all of them.
    // The posts leave 3 ms apart and take 60 ms each, so all twenty are
    // in flight together and their 401s come back one by one, some
    // after the refresh is done.
    emulator.setFault({ kind: 'unauthorized', after: 5 });
    emulator.setFault({ kind: 'latency', ms: 60 });
    before = emulator.stats().tokenRefreshes;
    const unauthorized = emulator.stats().unauthorized;
    const staggered = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        await new Promise((resolve) => setTimeout(resolve, i * 3));
        return x3.postDocument(sampleRevenueEntry(`MID${i}`, DATE));
      }),
    );
    assert.equal(new Set(staggered).size, 20);
    assert.equal(emulator.stats().unauthorized - unauthorized, 15);
    assert.equal(emulator.stats().tokenRefreshes - before, 1);
    assert.equal(emulator.documents().entries.length, 41);
  });

  test(
    'input 4: restart right after a refresh -> new refresh token used, ' +
      'old one dead',
    async () => {
      clock = START;
      const file = path.join(dir, 'restart', 'tokens.json');
      const start = () => {
        const stored = cloudTokenFile(
          file,
          CLOUD.refreshToken,
          CLOUD.clientSecret,
        );
        const tokens = new X3TokenManager(
          cloudSettings({
            refreshToken: undefined,
            tokens: stored.initial,
            persistTokens: stored.persist,
          }),
          { now: () => clock },
        );
        return { stored, tokens };
      };

      const refreshes = () => emulator.stats().tokenRefreshes - base;
      const base = emulator.stats().tokenRefreshes;
      const first = start();
      assert.equal(first.stored.resumed, false);
      await gateway(first.tokens).postDocument(sampleRevenueEntry('R1', DATE));
      assert.equal(refreshes(), 1);
      const onDisk = fs.readFileSync(file, 'utf8');
      assert.ok(!onDisk.includes('first-refresh-token'), 'file is encrypted');

      // Node-RED restarts: a new manager from what was persisted
      const second = start();
      assert.equal(second.stored.resumed, true);
      const rotated = second.stored.initial.refreshToken;
      assert.notEqual(rotated, CLOUD.refreshToken);
      assert.equal(emulator.refreshTokenLive(CLOUD.refreshToken), false);
      const old = await fetch(`${baseUrl}/v1/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          client_id: CLOUD.clientId,
          client_secret: CLOUD.clientSecret,
          refresh_token: CLOUD.refreshToken,
        }).toString(),
      });
      assert.equal(old.status, 400);
      assert.equal((await old.json()).error, 'invalid_grant');

      // the persisted access token still serves; once it ages, the rotated
      // refresh token renews it
      await gateway(second.tokens).postDocument(sampleRevenueEntry('R2', DATE));
      assert.equal(refreshes(), 1);
      clock += 300_000;
      await gateway(second.tokens).postDocument(sampleRevenueEntry('R3', DATE));
      assert.equal(refreshes(), 2);
      assert.equal(emulator.refreshTokenLive(rotated), false);
      assert.equal(emulator.documents().entries.length, 3);
    },
  );

  test(
    'input 5: 100.00 debit against three credits of 100/3 never reaches X3 ' +
      'unbalanced',
    async () => {
      const tokens = new X3TokenManager(cloudSettings(), { now: () => clock });
      const third = Math.round(10_000 / 3);
      const doc: JournalEntryDoc = {
        ...sampleRevenueEntry('THIRDS', DATE),
        lines: [
          {
            account: 'CLEARING-CARD',
            side: 'debit',
            amount: 10_000,
            description: 'Card',
          },
          {
            account: 'A-COFFEE',
            side: 'credit',
            amount: third,
            description: 'a',
          },
          {
            account: 'A-MERCH',
            side: 'credit',
            amount: third,
            description: 'b',
          },
          {
            account: 'TAX-PAYABLE',
            side: 'credit',
            amount: third,
            description: 'c',
          },
        ],
      };
      const before = emulator.stats().requests;
      await assert.rejects(
        gateway(tokens).postDocument(doc),
        (error: X3Error) =>
          error.code === 'unbalanced' &&
          !error.retryable &&
          /debit 100\.00, credit 99\.99/.test(error.message),
      );
      assert.equal(emulator.stats().requests, before, 'no call reached X3');

      // built to balance (the last third takes the cent): accepted, exact
      const balanced = structuredClone(doc);
      balanced.lines[3].amount = 10_000 - 2 * third;
      const number = await gateway(tokens).postDocument(balanced);
      const stored = emulator.documents().entries.find((e) => e.id === number)!;
      assert.deepEqual(
        stored.lines.map((l) => l.debit ?? l.credit),
        ['100.00', '33.33', '33.33', '33.34'],
      );
    },
  );

  test(
    'input 6: committed by X3, answered after the timeout, retried -> ' +
      'one invoice',
    async () => {
      const { sampleInvoice } = await import('../../sandbox/x3/fixtures');
      const tokens = new X3TokenManager(cloudSettings(), { now: () => clock });
      emulator.setFault({
        kind: 'commit-then-timeout',
        count: 1,
        closeAfterMs: 600,
      });
      const x3 = new X3Gateway({
        baseUrl,
        endpoint: 'SEED',
        tokens,
        setup: SEED_SETUP,
        timeoutMs: 200,
        backoff: { attempts: 3, baseMs: 1, maxMs: 5 },
      });
      const doc = sampleInvoice('LATE1', DATE);

      const before = emulator.stats();
      const number = await x3.postDocument(doc);
      const stats = emulator.stats();
      // one create, answered too late; the retry looked and found it
      assert.equal(stats.graphqlMutations - before.graphqlMutations, 1);
      assert.ok(stats.graphqlQueries - before.graphqlQueries >= 1);
      assert.equal(await x3.findDocument(doc), number);
      const invoices = emulator.documents().invoices;
      assert.equal(invoices.length, 1);
      assert.equal(invoices[0].id, number);
      assert.equal(invoices[0].customerReference, doc.reference);
    },
  );
});
