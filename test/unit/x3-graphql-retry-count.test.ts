import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createX3Emulator } from '../../sandbox/x3/emulator';
import { seedX3 } from '../../sandbox/seed/x3-setup';
import {
  SEED_SETUP,
  sampleCustomer,
  sampleRevenueEntry,
} from '../../sandbox/x3/fixtures';
import { X3Gateway } from '../../lib/x3/gateway';
import { demoTokens } from './x3-demo';

// A GraphQL write retries as a whole, and its lookups inside an attempt
// are tried once: while X3 answers 503, the configured attempts are all
// the calls X3 gets, not attempts times attempts.

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
    tokens: demoTokens(),
    setup: SEED_SETUP,
    timeoutMs: 2000,
    backoff: { attempts: ATTEMPTS, baseMs: 1, maxMs: 2, sleep: async () => {} },
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

describe('GraphQL writes while X3 answers 503', () => {
  beforeEach(() => {
    emulator.setFault({ kind: 'status', status: 503, count: 1000 });
  });

  test('a post and its lookups make the configured attempts', async () => {
    const { calls, error } = await callsDuring(() =>
      gateway().postDocument(sampleRevenueEntry('DOWN1', DATE)),
    );

    assert.equal(error?.retryable, true);
    assert.equal(calls, ATTEMPTS);
  });

  test('a customer found by its tag makes the configured attempts', async () => {
    const doc = { ...sampleCustomer('', 'Ada Lovelace'), tag: 'SQ-ADA' };

    const { calls, error } = await callsDuring(() =>
      gateway().upsertCustomer(doc),
    );

    assert.equal(error?.retryable, true);
    assert.equal(calls, ATTEMPTS);
  });

  test('a customer read by its code makes the configured attempts', async () => {
    const { calls, error } = await callsDuring(() =>
      gateway().upsertCustomer(sampleCustomer('SQ-ADA', 'Ada Lovelace')),
    );

    assert.equal(error?.retryable, true);
    assert.equal(calls, ATTEMPTS);
  });
});

describe('a GraphQL read made on its own', () => {
  test('keeps its backoff through 503s', async () => {
    emulator.setFault({ kind: 'status', status: 503, count: ATTEMPTS - 1 });

    const { calls, error } = await callsDuring(() =>
      gateway().findDocument(sampleRevenueEntry('ALONE1', DATE)),
    );

    assert.equal(error, undefined);
    assert.equal(calls, ATTEMPTS);
  });
});
