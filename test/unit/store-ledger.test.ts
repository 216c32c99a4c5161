import { after, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Ledger } from '../../lib/store/ledger';
import { LedgerError } from '../../lib/store/errors';
import type { SyncRecord } from '../../lib/sync/record';

let clock = Date.parse('2025-03-01T12:00:00.000Z');
const now = () => new Date(clock);

function sale(id: string, version: string, closedAt = '2025-03-01T10:00:00Z') {
  const record: SyncRecord = {
    key: `sale:${id}`,
    kind: 'sale',
    version,
    source: 'poll',
    square: {
      order: {
        id,
        location_id: 'L1',
        version: Number(version),
        closed_at: closedAt,
      },
    },
    receivedAt: now().toISOString(),
  };
  return record;
}

describe('ledger records', () => {
  let ledger: Ledger;
  beforeEach(() => {
    ledger?.close();
    ledger = Ledger.open(':memory:', { now });
  });
  after(() => ledger.close());

  test('new, duplicate, newer and stale versions', () => {
    assert.deepEqual(ledger.receive(sale('O1', '3')), {
      outcome: 'new',
      state: 'received',
    });
    assert.equal(ledger.receive(sale('O1', '3')).outcome, 'duplicate');
    assert.equal(ledger.receive(sale('O1', '2')).outcome, 'stale');
    // 10 > 9 as integers, although "10" < "9" as strings
    ledger.receive(sale('O2', '9'));
    assert.equal(ledger.receive(sale('O2', '10')).outcome, 'newer');
    assert.equal(ledger.get('sale:O2')?.version, '10');
    assert.equal(ledger.get('sale:O2')?.record?.version, '10');
    assert.equal(ledger.receive(sale('O2', '9')).outcome, 'stale');
    assert.equal(ledger.get('sale:O2')?.version, '10');

    // a poll re-reads its overlap on purpose: no trail line for its repeats
    const stages = ledger.trailOf('sale:O1').map((entry) => entry.stage);
    assert.deepEqual(stages, ['received']);
    const fromWebhook = { ...sale('O1', '3'), source: 'webhook' as const };
    assert.equal(ledger.receive(fromWebhook).outcome, 'duplicate');
    const again = ledger.trailOf('sale:O1').map((entry) => entry.stage);
    assert.deepEqual(again, ['received', 'duplicate']);
  });

  test('timestamp versions compare as instants', () => {
    const at = (v: string) => ({ ...sale('C1', '0'), version: v });
    ledger.receive(at('2025-03-01T10:00:00.4Z'));
    assert.equal(
      ledger.receive(at('2025-03-01T10:00:00.45Z')).outcome,
      'newer',
    );
    assert.equal(
      ledger.receive(at('2025-03-01T05:00:00.450-05:00')).outcome,
      'duplicate',
    );
    assert.equal(ledger.receive(at('2025-03-01T10:00:00Z')).outcome, 'stale');
  });

  test('a newer version of a posted record stays posted', () => {
    ledger.receive(sale('O3', '1'));
    ledger.setState('sale:O3', 'mapped');
    ledger.setState('sale:O3', 'posting');
    ledger.setState('sale:O3', 'posted', 'invoice FRN-1');
    assert.deepEqual(ledger.receive(sale('O3', '2')), {
      outcome: 'newer',
      state: 'posted',
    });
    const last = ledger.trailOf('sale:O3').at(-1);
    assert.equal(last?.stage, 'received');
    assert.match(last?.detail ?? '', /newer version 2 \(was 1\).*stays posted/);
  });

  test('a newer version of a held record goes back to received', () => {
    ledger.receive(sale('O4', '1'));
    ledger.setState('sale:O4', 'held', 'missing product V1');
    assert.equal(ledger.get('sale:O4')?.detail, 'missing product V1');
    assert.deepEqual(ledger.receive(sale('O4', '2')), {
      outcome: 'newer',
      state: 'received',
    });
    assert.equal(ledger.get('sale:O4')?.detail, undefined);
  });

  test('the state machine refuses impossible moves', () => {
    ledger.receive(sale('O5', '1'));
    ledger.setState('sale:O5', 'held', 'no site');
    assert.throws(
      () => ledger.setState('sale:O5', 'posting'),
      (e: unknown) => e instanceof LedgerError && e.code === 'LEDGER_STATE',
    );
    ledger.setState('sale:O5', 'mapped');
    ledger.setState('sale:O5', 'posting');
    assert.throws(
      () => ledger.setState('sale:O5', 'skipped'),
      /posting to skipped/,
    );
    ledger.setState('sale:O5', 'failed', 'X3 said no');
    ledger.setState('sale:O5', 'posting');
    ledger.setState('sale:O5', 'posted');
    assert.throws(() => ledger.setState('sale:O5', 'received'), LedgerError);
    assert.throws(() => ledger.setState('sale:O5', 'skipped'), LedgerError);
    assert.throws(
      () => ledger.setState('sale:NOPE', 'held'),
      (e: unknown) => e instanceof LedgerError && e.code === 'LEDGER_INPUT',
    );
    assert.deepEqual(
      ledger.trailOf('sale:O5').map((entry) => [entry.stage, entry.detail]),
      [
        ['received', 'version 1 from poll'],
        ['held', 'no site'],
        ['mapped', 'held -> mapped'],
        ['posting', 'mapped -> posting'],
        ['failed', 'X3 said no'],
        ['posting', 'failed -> posting'],
        ['posted', 'posting -> posted'],
      ],
    );
  });

  test('attempts, counts and list by state, kind and date', () => {
    ledger.receive(sale('A', '1', '2025-02-27T23:59:59Z'));
    ledger.receive(sale('B', '1', '2025-02-28T08:00:00Z'));
    ledger.receive(sale('C', '1', '2025-03-01T00:00:00Z'));
    ledger.setState('sale:B', 'held', 'no site for L1');
    assert.equal(ledger.incrementAttempts('sale:C'), 1);
    assert.equal(ledger.incrementAttempts('sale:C'), 2);
    assert.equal(ledger.get('sale:C')?.attempts, 2);

    assert.deepEqual(ledger.counts(), {
      received: 2,
      held: 1,
      mapped: 0,
      posting: 0,
      posted: 0,
      failed: 0,
      skipped: 0,
    });
    const keys = (q: Parameters<Ledger['list']>[0]) =>
      ledger.list(q).map((r) => r.key);
    assert.deepEqual(keys({ state: 'held' }), ['sale:B']);
    assert.deepEqual(keys({ from: '2025-02-28', to: '2025-03-01' }), [
      'sale:B',
    ]);
    assert.deepEqual(keys({ from: '2025-02-28' }), ['sale:B', 'sale:C']);
    assert.deepEqual(keys({ kind: 'refund' }), []);
    assert.deepEqual(keys({ limit: 1, offset: 1 }), ['sale:B']);
    assert.equal(ledger.get('sale:A')?.squareAt, '2025-02-27T23:59:59.000Z');
    assert.throws(
      () => ledger.list({ from: 'last week' }),
      (e: unknown) => e instanceof LedgerError && e.code === 'LEDGER_INPUT',
    );
    assert.throws(
      () => ledger.list({ state: 'lost' }),
      (e: unknown) => e instanceof LedgerError && e.code === 'LEDGER_INPUT',
    );
  });

  test('a bad record is refused', () => {
    const bad = { ...sale('X', '1'), key: 'refund:X' };
    assert.throws(
      () => ledger.receive(bad),
      (e: unknown) => e instanceof LedgerError && e.code === 'LEDGER_INPUT',
    );
  });

  test('prunePayloads drops old settled payloads and keeps the trail', () => {
    ledger.receive(sale('P', '1'));
    ledger.setState('sale:P', 'skipped', 'zero-value sale');
    ledger.receive(sale('Q', '1'));
    ledger.setState('sale:Q', 'held', 'no product');
    clock += 31 * 86_400_000;

    assert.equal(ledger.prunePayloads(30), 1);
    assert.equal(ledger.get('sale:P')?.record, undefined);
    assert.equal(ledger.get('sale:P')?.state, 'skipped');
    assert.ok(ledger.get('sale:Q')?.record);
    assert.equal(ledger.trailOf('sale:P').length, 2);
  });
});

describe('ledger documents, cursors, pairs and trail', () => {
  const ledger = Ledger.open(':memory:', { now });
  after(() => ledger.close());

  test('posting, posted, failed', () => {
    ledger.receive(sale('D1', '1'));
    ledger.markPosting('sale:D1#invoice', 'sale:D1', 'invoice', 'SQREF1');
    assert.equal(ledger.document('sale:D1#invoice')?.state, 'posting');
    ledger.markPosted('sale:D1#invoice', 'FRN-000123');
    ledger.markPosted('sale:D1#invoice', 'FRN-000123');
    assert.throws(
      () => ledger.markPosted('sale:D1#invoice', 'FRN-000999'),
      (e: unknown) => e instanceof LedgerError && e.code === 'LEDGER_STATE',
    );
    assert.throws(
      () =>
        ledger.markPosting('sale:D1#invoice', 'sale:D1', 'invoice', 'SQREF1'),
      /already posted as invoice FRN-000123/,
    );

    ledger.markPosting('sale:D1#receipt', 'sale:D1', 'entry', 'SQREF2');
    // a document stays with the record and reference it was marked for
    assert.throws(
      () => ledger.markPosting('sale:D1#receipt', 'sale:D1', 'entry', 'SQREF9'),
      /stored for sale:D1 with reference SQREF2/,
    );
    assert.throws(
      () => ledger.markPosting('sale:D1#receipt', 'sale:D9', 'entry', 'SQREF2'),
      /stored for sale:D1 with reference SQREF2/,
    );
    ledger.markDocumentFailed('sale:D1#receipt', 'account 512 is closed');
    assert.deepEqual(
      ledger
        .documentsOf('sale:D1')
        .map((d) => [d.docKey, d.state, d.number, d.error]),
      [
        ['sale:D1#invoice', 'posted', 'FRN-000123', undefined],
        ['sale:D1#receipt', 'failed', undefined, 'account 512 is closed'],
      ],
    );
    ledger.markPosting('sale:D1#receipt', 'sale:D1', 'entry', 'SQREF2');
    assert.equal(ledger.document('sale:D1#receipt')?.error, undefined);
    assert.throws(
      () => ledger.markPosted('sale:NONE', 'X'),
      /markPosting first/,
    );

    const docStages = ledger
      .trailOf('sale:D1')
      .slice(1)
      .map((e) => e.stage);
    assert.deepEqual(docStages, [
      'posting',
      'posted',
      'posting',
      'failed',
      'posting',
    ]);
    assert.deepEqual(ledger.trailOf('sale:D1')[2].data, {
      docKey: 'sale:D1#invoice',
      number: 'FRN-000123',
    });
  });

  test('cursors and customer pairs', () => {
    assert.equal(ledger.getCursor('orders'), undefined);
    ledger.setCursor('orders', '2025-03-01T11:55:00.000Z');
    ledger.setCursor('orders', '2025-03-01T12:00:00.000Z');
    assert.equal(ledger.getCursor('orders'), '2025-03-01T12:00:00.000Z');
    assert.equal(ledger.x3Customer('CUST1'), undefined);
    ledger.pairCustomer('CUST1', 'SQABCDEFGHIJKLM');
    assert.equal(ledger.x3Customer('CUST1'), 'SQABCDEFGHIJKLM');
  });

  test('trail entries carry data and stay in order', () => {
    const first = ledger.trail('sale:T', 'replay', 'replayed by admin', {
      by: 'ui',
    });
    const second = ledger.trail('sale:T', 'mapped', 'site S1');
    assert.ok(second > first);
    const entries = ledger.trailOf('sale:T');
    assert.deepEqual(
      entries.map((e) => [e.stage, e.detail, e.data]),
      [
        ['replay', 'replayed by admin', { by: 'ui' }],
        ['mapped', 'site S1', undefined],
      ],
    );
    assert.equal(entries[0].at, now().toISOString());
  });

  test('the trail refuses UPDATE and DELETE', () => {
    ledger.trail('sale:T', 'posted', 'FRN-1');
    // reach the connection the way a careless caller would
    const db = (ledger as unknown as { db: import('better-sqlite3').Database })
      .db;
    assert.throws(
      () => db.prepare("UPDATE trail SET detail = 'forged'").run(),
      /append-only/,
    );
    assert.throws(() => db.prepare('DELETE FROM trail').run(), /append-only/);
    assert.equal(ledger.trailOf('sale:T').at(-1)?.detail, 'FRN-1');
  });

  test('calls after close fail clearly', () => {
    const other = Ledger.open(':memory:');
    other.close();
    other.close();
    assert.throws(
      () => other.get('sale:X'),
      (e: unknown) => e instanceof LedgerError && e.code === 'LEDGER_OPEN',
    );
  });
});
