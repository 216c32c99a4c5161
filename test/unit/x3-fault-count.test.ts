import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createX3Emulator } from '../../sandbox/x3/emulator';
import { SEED_SETUP, sampleRevenueEntry } from '../../sandbox/x3/fixtures';
import { X3Gateway } from '../../lib/x3/gateway';
import { X3TokenManager } from '../../lib/x3/jwt-manager';
import { X3Error } from '../../lib/x3/errors';

// A fault that hits a number of calls and has no default count is
// refused over HTTP without one, naming `count`, instead of answering ok
// and arming nothing; soap-pool-empty's default (until cleared) stays.

const DATE = '2026-03-14';
const emulator = createX3Emulator({
  now: () => Date.parse('2026-03-14T15:00:00Z'),
});
let baseUrl = '';

const gateway = (timeoutMs: number) =>
  new X3Gateway({
    baseUrl,
    endpoint: 'SEED',
    tokens: new X3TokenManager(
      {
        mode: 'connected-app',
        clientId: 'sqx3-demo-app',
        secret: 'sqx3-demo-jwt-secret',
        user: 'SQX3',
      },
      { now: () => Date.parse('2026-03-14T15:00:00Z') },
    ),
    setup: SEED_SETUP,
    timeoutMs,
    backoff: { attempts: 1, baseMs: 1, maxMs: 5 },
  });

const arm = (fault: Record<string, unknown>) =>
  fetch(`${baseUrl}/_emulator/faults`, {
    method: 'POST',
    body: JSON.stringify(fault),
  });

before(async () => {
  baseUrl = await emulator.start(0, '127.0.0.1');
});
beforeEach(() => {
  emulator.reset();
});
after(() => emulator.stop());

describe('X3 emulator faults without a count', () => {
  for (const kind of ['commit-then-timeout', 'status']) {
    test(`${kind} is refused with a 400 naming count`, async () => {
      const res = await arm({ kind, status: 500, closeAfterMs: 1000 });

      assert.equal(res.status, 400);
      const { error } = (await res.json()) as { error: string };
      assert.match(error, new RegExp(`^${kind} needs count`));
      const doc = sampleRevenueEntry(`NOCOUNT-${kind}`, DATE);
      assert.equal(await gateway(200).postDocument(doc), 'SQJ2600001');
    });
  }

  test('a count that is not a whole number is refused', async () => {
    const res = await arm({ kind: 'commit-then-timeout', count: 'two' });

    assert.equal(res.status, 400);
    assert.match(((await res.json()) as { error: string }).error, /count/);
  });

  test('with a count, commit-then-timeout holds back that many', async () => {
    const res = await arm({
      kind: 'commit-then-timeout',
      count: 1,
      closeAfterMs: 1000,
    });
    assert.equal(res.status, 200);
    const first = sampleRevenueEntry('COUNTED1', DATE);

    await assert.rejects(
      gateway(200).postDocument(first),
      (error: X3Error) => error.code === 'timeout',
    );
    const second = sampleRevenueEntry('COUNTED2', DATE);
    assert.equal(await gateway(2000).postDocument(second), 'SQJ2600002');
  });
});
