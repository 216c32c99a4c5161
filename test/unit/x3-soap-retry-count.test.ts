import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createX3Emulator } from '../../sandbox/x3/emulator';
import { seedX3 } from '../../sandbox/seed/x3-setup';
import type { X3Fault } from '../../sandbox/x3/types';
import {
  SEED_SETUP,
  sampleCustomer,
  sampleInvoice,
} from '../../sandbox/x3/fixtures';
import { X3Gateway } from '../../lib/x3/gateway';
import { X3TokenManager } from '../../lib/x3/jwt-manager';

// A SOAP write retries as a whole, and its lookups inside an attempt are
// tried once: while X3 stays busy or down, the configured attempts are
// all the calls X3 gets, not attempts times attempts.

const DATE = '2026-03-14';
const ATTEMPTS = 3;
const emulator = createX3Emulator({
  openPeriods: [{ start: '2026-01-01', end: '2026-12-31' }],
});
let baseUrl = '';

function gateway(): X3Gateway {
  return new X3Gateway({
    baseUrl,
    endpoint: 'SEED',
    tokens: new X3TokenManager({ mode: 'basic', user: 'x', password: 'y' }),
    setup: SEED_SETUP,
    timeoutMs: 2000,
    backoff: { attempts: ATTEMPTS, baseMs: 1, maxMs: 2, sleep: async () => {} },
    transport: 'soap',
    soap: { user: 'sqx3', password: 'sqx3-demo', poolAlias: 'SEED' },
  });
}

/** The calls X3 saw while `work` ran, and how it ended. */
async function callsDuring(work: () => Promise<unknown>) {
  const before = emulator.stats().requests;
  const error = await work().then(
    () => undefined,
    (e: unknown) => e as { retryable?: boolean },
  );
  return { calls: emulator.stats().requests - before, error };
}

before(async () => {
  seedX3(emulator);
  baseUrl = await emulator.start(0, '127.0.0.1');
});
beforeEach(() => {
  emulator.reset();
  emulator.setFault({ kind: 'none' });
});
after(() => emulator.stop());

const outages: [string, X3Fault][] = [
  ['a pool that stays without child processes', { kind: 'soap-pool-empty' }],
  ['X3 answering 503', { kind: 'status', status: 503, count: 1000 }],
];

for (const [name, fault] of outages) {
  describe(`SOAP writes against ${name}`, () => {
    test('a post and its lookups make the configured attempts', async () => {
      emulator.setFault(fault);

      const { calls, error } = await callsDuring(() =>
        gateway().postDocument(sampleInvoice('BUSY1', DATE)),
      );

      assert.equal(error?.retryable, true);
      assert.equal(calls, ATTEMPTS);
    });

    test('a customer found by its tag makes the configured attempts', async () => {
      emulator.setFault(fault);
      const doc = { ...sampleCustomer('', 'Ada Lovelace'), tag: 'SQ-ADA' };

      const { calls, error } = await callsDuring(() =>
        gateway().upsertCustomer(doc),
      );

      assert.equal(error?.retryable, true);
      assert.equal(calls, ATTEMPTS);
    });
  });
}

describe('a SOAP read made on its own', () => {
  test('keeps its backoff through a busy pool', async () => {
    emulator.setFault({ kind: 'soap-pool-empty', count: ATTEMPTS - 1 });

    const { calls, error } = await callsDuring(() =>
      gateway().findDocument(sampleInvoice('ALONE1', DATE)),
    );

    assert.equal(error, undefined);
    assert.equal(calls, ATTEMPTS);
  });
});
