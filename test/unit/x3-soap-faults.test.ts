import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createX3Emulator } from '../../sandbox/x3/emulator';
import { seedX3 } from '../../sandbox/seed/x3-setup';
import {
  SEED_SETUP,
  sampleInvoice,
  sampleRevenueEntry,
} from '../../sandbox/x3/fixtures';
import { X3Gateway } from '../../lib/x3/gateway';
import { X3TokenManager } from '../../lib/x3/jwt-manager';

// The SOAP transport against the emulator's faults: a pool without
// web-service child processes is waited out, a save committed whose
// answer never came is found by its reference instead of sent again,
// an unpublished web service and the licence limit fail plainly.

const DATE = '2026-03-14';
const emulator = createX3Emulator({
  openPeriods: [{ start: '2026-01-01', end: '2026-12-31' }],
});
const waits: number[] = [];
let baseUrl: string;

function gateway(timeoutMs = 2000, password = 'sqx3-demo'): X3Gateway {
  return new X3Gateway({
    baseUrl,
    endpoint: 'SEED',
    tokens: new X3TokenManager({ mode: 'basic', user: 'x', password: 'y' }),
    setup: SEED_SETUP,
    timeoutMs,
    backoff: {
      attempts: 4,
      baseMs: 10,
      maxMs: 20,
      sleep: async (ms) => {
        waits.push(ms);
      },
    },
    transport: 'soap',
    soap: { user: 'sqx3', password, poolAlias: 'SEED' },
  });
}

before(async () => {
  seedX3(emulator);
  baseUrl = await emulator.start(0, '127.0.0.1');
});
beforeEach(() => {
  emulator.reset();
  emulator.setFault({ kind: 'none' });
  waits.length = 0;
});
after(() => emulator.stop());

describe('the SOAP transport against X3 faults', () => {
  test('a pool with no child process: retried, then posted once', async () => {
    emulator.setFault({ kind: 'soap-pool-empty', count: 2 });

    const number = await gateway().postDocument(sampleInvoice('POOL1', DATE));

    const invoices = emulator.documents().invoices;
    assert.deepEqual(
      invoices.map((i) => i.id),
      [number],
    );
    assert.equal(waits.length, 2);
  });

  test('commit then time out: found by BPRVCR, not sent twice', async () => {
    emulator.setFault({
      kind: 'commit-then-timeout',
      count: 1,
      closeAfterMs: 1500,
    });
    const entry = sampleRevenueEntry('LATE1', DATE);

    const number = await gateway(300).postDocument(entry);

    const entries = emulator.documents().entries;
    assert.equal(entries.length, 1);
    assert.equal(entries[0].id, number);
    assert.equal(entries[0].sourceDocument, entry.reference);
    assert.equal(waits.length, 1);
  });

  test('an unpublished web service fails the connection test', async () => {
    emulator.setFault({ kind: 'soap-unpublished', publication: 'YWSSIH' });

    await assert.rejects(gateway().testConnection(), (error) => {
      assert.equal((error as { code: string }).code, 'config');
      assert.match((error as Error).message, /YWSSIH unknown/);
      return true;
    });
    assert.equal(waits.length, 0);
  });

  test('past the licence volume: refused as a licence error', async () => {
    emulator.setFault({ kind: 'quota', limit: 1, grace: 1, slowMs: 1 });
    const x3 = gateway();
    await x3.findDocument(sampleInvoice('Q1', DATE));
    await x3.findDocument(sampleInvoice('Q1', DATE));

    await assert.rejects(
      x3.findDocument(sampleInvoice('Q1', DATE)),
      (error) => {
        const e = error as { code: string; retryable: boolean; status: number };
        assert.equal(e.code, 'licence');
        assert.equal(e.status, 503);
        assert.equal(e.retryable, true);
        return true;
      },
    );
  });

  test('a wrong password is a 401, not retried', async () => {
    await assert.rejects(
      gateway(2000, 'wrong').findDocument(sampleInvoice('W1', DATE)),
      /refused the SOAP user and password \(401\)/,
    );
    assert.equal(waits.length, 0);
  });
});
