import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createX3Emulator } from '../../sandbox/x3/emulator';
import {
  SEED_SETUP,
  sampleInvoice,
  sampleRevenueEntry,
} from '../../sandbox/x3/fixtures';
import { X3Gateway } from '../../lib/x3/gateway';
import { Ledger } from '../../lib/store/ledger';
import { alreadyRegistered, postOnce } from '../../lib/sync/post-once';
import type { X3Document } from '../../lib/ledger/types';
import { demoTokens } from './x3-demo';

// Story: one document against the X3 emulator, through the real ledger.
// X3 refusing a second copy of a reference is taken as "posted, with
// X3's number"; two calls for one document in the same process take
// turns; X3 being unavailable is retried with backoff up to the limit,
// then the call fails and the document stays `posting` to be looked up.

const DATE = '2026-03-14';
const emulator = createX3Emulator({
  openPeriods: [{ start: '2026-01-01', end: '2026-12-31' }],
  uniqueReferences: true,
});
const sleeps: number[] = [];
let gateway: X3Gateway;

function gatewayAt(baseUrl: string, attempts: number): X3Gateway {
  return new X3Gateway({
    baseUrl,
    endpoint: 'SEED',
    tokens: demoTokens(),
    setup: SEED_SETUP,
    backoff: {
      attempts,
      baseMs: 100,
      maxMs: 1000,
      random: () => 1,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    },
  });
}

function recordKeyOf(doc: X3Document): string {
  return doc.docKey.split('#')[0];
}

before(async () => {
  gateway = gatewayAt(await emulator.start(), 4);
});
beforeEach(() => {
  emulator.reset();
  emulator.setFault({ kind: 'none' });
  sleeps.length = 0;
});
after(() => emulator.stop());

describe('posting a document exactly once', () => {
  test('X3 answering "already registered" records it as posted', async () => {
    const invoice = sampleInvoice('ORDER1', DATE);
    const first = await gateway.postDocument(invoice);

    // A ledger that lost the outcome (restored from an older copy).
    const ledger = Ledger.open(':memory:');
    const result = await postOnce(
      ledger,
      gateway,
      recordKeyOf(invoice),
      invoice,
    );

    assert.deepEqual(result, {
      docKey: invoice.docKey,
      number: first,
      outcome: 'already-in-x3',
    });
    assert.equal(ledger.document(invoice.docKey)?.state, 'posted');
    assert.equal(ledger.document(invoice.docKey)?.number, first);
    assert.equal(emulator.documents().invoices.length, 1);
    ledger.close();
  });

  test('an entry X3 already holds gets its number from the refusal', async () => {
    const entry = sampleRevenueEntry('ORDER2', DATE);
    const number = await gateway.postDocument(entry);
    const ledger = Ledger.open(':memory:');

    const result = await postOnce(ledger, gateway, recordKeyOf(entry), entry);

    assert.equal(result.number, number);
    assert.equal(result.outcome, 'already-in-x3');
    assert.equal(emulator.documents().entries.length, 1);
    ledger.close();
  });

  test('the refusal is read from X3 diagnoses only for this reference', () => {
    const error = {
      messages: [
        'Customer reference SQABC : already registered on invoice SQI2600007',
      ],
    };
    assert.equal(alreadyRegistered(error, 'SQABC'), 'SQI2600007');
    assert.equal(alreadyRegistered(error, 'SQOTHER'), undefined);
    assert.equal(
      alreadyRegistered({ message: 'SQABC : Record already exists' }, 'SQABC'),
      null,
    );
    assert.equal(
      alreadyRegistered(new Error('Product : mandatory'), 'SQABC'),
      undefined,
    );
  });

  test('two calls for one document in one process post it once', async () => {
    emulator.setFault({ kind: 'latency', ms: 50 });
    const invoice = sampleInvoice('ORDER3', DATE);
    const ledger = Ledger.open(':memory:');
    const key = recordKeyOf(invoice);

    const results = await Promise.all([
      postOnce(ledger, gateway, key, invoice),
      postOnce(ledger, gateway, key, invoice),
      postOnce(ledger, gateway, key, invoice),
    ]);

    assert.deepEqual(
      results.map((r) => r.outcome),
      ['posted', 'already-posted', 'already-posted'],
    );
    assert.equal(new Set(results.map((r) => r.number)).size, 1);
    assert.equal(emulator.documents().invoices.length, 1);
    ledger.close();
  });

  test('X3 unavailable: retried with backoff up to the limit, then fails', async () => {
    emulator.setFault({ kind: 'status', status: 503, count: 1000 });
    const invoice = sampleInvoice('ORDER4', DATE);
    const ledger = Ledger.open(':memory:');
    const requests = emulator.stats().requests;

    await assert.rejects(
      postOnce(ledger, gateway, recordKeyOf(invoice), invoice),
      (error: Error & { retryable?: boolean }) =>
        /503/.test(error.message) && error.retryable === true,
    );

    // Four attempts in all: the first posts; each later one first looks
    // the reference up, once, and a failed lookup ends that attempt
    // (the lookup has no retries of its own inside the post's).
    const sent = emulator.stats().requests - requests;
    assert.equal(sent, 4);
    assert.deepEqual(
      sleeps,
      [100, 200, 400],
      'the waits between attempts grow exponentially',
    );
    assert.equal(emulator.documents().invoices.length, 0);
    // the outcome is open, so the next run looks the reference up first
    assert.equal(ledger.document(invoice.docKey)?.state, 'posting');
    ledger.close();
  });

  test('a transient failure within the limit posts once', async () => {
    emulator.setFault({ kind: 'status', status: 503, count: 2 });
    const invoice = sampleInvoice('ORDER5', DATE);
    const ledger = Ledger.open(':memory:');

    const result = await postOnce(
      ledger,
      gateway,
      recordKeyOf(invoice),
      invoice,
    );

    assert.equal(result.outcome, 'posted');
    // the failed post, then the failed lookup that began the next attempt
    assert.deepEqual(sleeps, [100, 200], 'one wait after each failed try');
    assert.equal(emulator.documents().invoices.length, 1);
    assert.equal(ledger.document(invoice.docKey)?.number, result.number);
    ledger.close();
  });

  test('a committed call that timed out is found, not posted again', async () => {
    const invoice = sampleInvoice('ORDER6', DATE);
    const ledger = Ledger.open(':memory:');
    const key = recordKeyOf(invoice);
    emulator.setFault({
      kind: 'commit-then-timeout',
      count: 1,
      closeAfterMs: 10,
    });

    const result = await postOnce(ledger, gateway, key, invoice);

    assert.equal(emulator.documents().invoices.length, 1);
    assert.equal(result.number, emulator.documents().invoices[0].id);
    assert.equal(ledger.document(invoice.docKey)?.state, 'posted');
    const stages = ledger.trailOf(key).map((t) => t.stage);
    assert.deepEqual(stages, ['posting', 'posted']);
    ledger.close();
  });
});
