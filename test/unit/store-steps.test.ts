import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Ledger } from '../../lib/store/ledger';
import { LedgerError } from '../../lib/store/errors';
import { admitAll } from '../../lib/sync/intake';
import { postStep } from '../../lib/sync/write-step';
import type { X3Document } from '../../lib/ledger/types';
import type { SyncRecord } from '../../lib/sync/record';

// One transaction per step: what a write step, an intake page and a
// customer write commit, counted on the real connection, and the counts
// and state notices that come with them.

let dir: string;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqx3-steps-'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function sale(id: string, version = '1'): SyncRecord {
  return {
    key: `sale:${id}`,
    kind: 'sale',
    version,
    source: 'poll',
    square: {
      order: { id, location_id: 'L1', closed_at: '2025-03-01T10:00:00Z' },
    },
    receivedAt: '2025-03-01T10:00:01Z',
  };
}

function doc(recordKey: string, part: string): X3Document {
  return {
    type: part === 'invoice' ? 'invoice' : 'entry',
    kind: part,
    docKey: `${recordKey}#${part}`,
    reference: `REF-${recordKey}-${part}`,
  } as unknown as X3Document;
}

/** Counts commits on the ledger's connection: batches and lone ones. */
function countCommits(ledger: Ledger): { commits: number } {
  const db = (ledger as unknown as { db: Database.Database }).db;
  const counter = { commits: 0 };
  const original = db.transaction.bind(db);
  // The Ledger commits a batch with exec('COMMIT') and a lone durable
  // write with .immediate() on what db.transaction returns.
  db.transaction = ((fn: (...args: unknown[]) => unknown) => {
    const wrapped = original(fn);
    return {
      immediate: (...args: unknown[]) => {
        const result = wrapped.immediate(...args);
        counter.commits += 1;
        return result;
      },
    };
  }) as unknown as typeof db.transaction;
  const exec = db.exec.bind(db);
  db.exec = ((source: string) => {
    const result = exec(source);
    if (source === 'COMMIT') counter.commits += 1;
    return result;
  }) as typeof db.exec;
  return counter;
}

/** Past the ledger's commit window (10 ms). */
const turn = () => new Promise((resolve) => setTimeout(resolve, 30));

describe('one transaction per step', () => {
  test('a three-document plan: a commit a document and one more, all in the trail', async () => {
    const ledger = Ledger.open(path.join(dir, 'step.sqlite'));
    ledger.receive(sale('S1'));
    ledger.setState('sale:S1', 'mapped');
    const counter = countCommits(ledger);
    let numbers = 0;
    const x3 = {
      findDocument: async () => null,
      postDocument: async () => `N${++numbers}`,
    };
    const docs = ['invoice', 'receipt', 'fee'].map((p) => doc('sale:S1', p));
    const step = await postStep({
      ledger,
      x3,
      plan: { recordKey: 'sale:S1', documents: docs },
      mine: () => true,
    });

    assert.equal(step.complete, true);
    await turn();
    // each outcome shares a commit with the next document's mark
    assert.equal(counter.commits, 4);
    assert.equal(ledger.get('sale:S1')?.state, 'posted');
    assert.equal(ledger.get('sale:S1')?.detail, 'N1, N2, N3');
    const stages = ledger.trailOf('sale:S1').map((t) => t.stage);
    // the record moves to posting once; each document has its posting
    // and posted lines, and the record its posted line
    assert.deepEqual(stages, [
      'received',
      'mapped',
      'posting',
      'posting',
      'posted',
      'posting',
      'posted',
      'posting',
      'posted',
      'posted',
    ]);
    ledger.close();
  });

  test('the posting mark alone is synced to disk on commit', () => {
    const ledger = Ledger.open(path.join(dir, 'sync.sqlite'));
    const db = (ledger as unknown as { db: Database.Database }).db;
    const seen: string[] = [];
    const pragma = db.pragma.bind(db);
    db.pragma = ((source: string, options?: Database.PragmaOptions) => {
      if (source.startsWith('synchronous')) seen.push(source);
      return pragma(source, options);
    }) as typeof db.pragma;
    ledger.receive(sale('F1'));
    ledger.setState('sale:F1', 'mapped');
    assert.deepEqual(seen, []);
    ledger.markPosting('sale:F1#invoice', 'sale:F1', 'invoice', 'R-F1');
    assert.deepEqual(seen, ['synchronous = FULL', 'synchronous = NORMAL']);
    assert.equal(pragma('synchronous', { simple: true }), 1);
    assert.throws(
      () =>
        ledger.atomically(() =>
          ledger.markPosting('sale:F1#fee', 'sale:F1', 'entry', 'R-F1-fee'),
        ),
      (e: unknown) => e instanceof LedgerError && e.code === 'LEDGER_STATE',
    );
    assert.equal(ledger.document('sale:F1#fee'), undefined);
    ledger.close();
  });

  test('a step that fails half-way leaves nothing of that transaction', () => {
    const ledger = Ledger.open(':memory:');
    ledger.receive(sale('S2'));
    const before = ledger.trailOf('sale:S2').length;
    assert.throws(
      () =>
        ledger.atomically(() => {
          ledger.setState('sale:S2', 'mapped');
          ledger.trail('sale:S2', 'note', 'inside');
          ledger.setState('sale:S2', 'bogus' as never);
        }),
      (e: unknown) => e instanceof LedgerError && e.code === 'LEDGER_INPUT',
    );
    assert.equal(ledger.stateOf('sale:S2'), 'received');
    assert.equal(ledger.trailOf('sale:S2').length, before);
    assert.equal(ledger.counts().mapped, 0);
    ledger.close();
  });

  test('a page of records is admitted in one commit', async () => {
    const ledger = Ledger.open(path.join(dir, 'intake.sqlite'));
    const counter = countCommits(ledger);
    const page = Array.from({ length: 50 }, (_, i) => sale(`P${i}`));
    assert.equal(admitAll(ledger, page).length, 50);
    assert.equal(counter.commits, 0);
    await turn();
    assert.equal(counter.commits, 1);
    assert.equal(admitAll(ledger, page).length, 0);
    assert.equal(ledger.counts().received, 50);
    ledger.close();
  });
});

describe('counts and state notices', () => {
  test('counts follow own commits, rollbacks and another connection', () => {
    const file = path.join(dir, 'counts.sqlite');
    const ledger = Ledger.open(file);
    for (let i = 0; i < 5; i++) ledger.receive(sale(`C${i}`));
    assert.equal(ledger.counts().received, 5);
    ledger.setState('sale:C0', 'mapped');
    ledger.setState('sale:C0', 'posted');
    ledger.receive(sale('C1', '2'));
    assert.deepEqual(
      [ledger.counts().received, ledger.counts().posted],
      [4, 1],
    );
    assert.throws(() =>
      ledger.atomically(() => {
        ledger.setState('sale:C2', 'skipped');
        throw new Error('rolled back');
      }),
    );
    assert.equal(ledger.counts().skipped, 0);

    // a second connection (another process) moves a record behind our
    // back, once the writes so far are committed
    ledger.flush();
    const other = new Database(file);
    other
      .prepare("UPDATE records SET state = 'failed' WHERE key = ?")
      .run('sale:C3');
    other.close();
    const counts = ledger.counts();
    assert.deepEqual([counts.received, counts.failed], [3, 1]);
    ledger.close();
  });

  test('listeners hear committed states only, after the commit', async () => {
    const ledger = Ledger.open(':memory:');
    const heard: string[] = [];
    const stop = ledger.onState((key, state) => {
      heard.push(`${key} ${state} ${ledger.stateOf(key)}`);
    });
    ledger.atomically(() => {
      ledger.receive(sale('L1'));
      ledger.setState('sale:L1', 'mapped');
      assert.deepEqual(heard, []);
    });
    assert.deepEqual(heard, []);
    await turn();
    assert.deepEqual(heard, [
      'sale:L1 received mapped',
      'sale:L1 mapped mapped',
    ]);
    assert.throws(() =>
      ledger.atomically(() => {
        ledger.setState('sale:L1', 'held');
        throw new Error('no');
      }),
    );
    await turn();
    assert.equal(heard.length, 2);
    stop();
    ledger.setState('sale:L1', 'skipped');
    await turn();
    assert.equal(heard.length, 2);
    ledger.close();
  });

  test('a customer write is marked before and after, keyed by code', () => {
    const ledger = Ledger.open(':memory:');
    ledger.receive(sale('W1'));
    assert.equal(ledger.customerWrite('SQ-ABC'), undefined);
    ledger.markCustomerWriting('sale:W1', 'SQ-ABC');
    assert.deepEqual(ledger.customerWrite('SQ-ABC'), { state: 'writing' });
    ledger.markCustomerWritten('SQ-ABC', 'h1');
    ledger.markCustomerWriting('sale:W1', 'SQ-ABC');
    assert.deepEqual(ledger.customerWrite('SQ-ABC'), {
      hash: 'h1',
      state: 'writing',
    });
    const last = ledger.trailOf('sale:W1').at(-1);
    assert.deepEqual(
      [last?.stage, last?.detail],
      ['customer-sync', 'X3 customer SQ-ABC'],
    );
    ledger.close();
  });

  test('a removed file still stops the write that gates X3', () => {
    const file = path.join(dir, 'gone.sqlite');
    const ledger = Ledger.open(file);
    ledger.receive(sale('G1'));
    fs.rmSync(file);
    assert.throws(
      () => ledger.markCustomerWriting('sale:G1', 'SQ-G1'),
      (e: unknown) =>
        e instanceof LedgerError && /removed while open/.test(e.message),
    );
    ledger.close();
  });
});

describe('group commit', () => {
  const stubCommit = (ledger: Ledger, error: Error) => {
    const db = (ledger as unknown as { db: Database.Database }).db;
    const exec = db.exec.bind(db);
    db.exec = ((source: string) => {
      if (source === 'COMMIT') throw error;
      return exec(source);
    }) as typeof db.exec;
    return () => {
      db.exec = exec;
    };
  };

  test('writes commit together when the commit window closes', async () => {
    const file = path.join(dir, 'turn.sqlite');
    const ledger = Ledger.open(file);
    const other = new Database(file, { readonly: true });
    const seen = () =>
      (
        other.prepare('SELECT COUNT(*) AS n FROM records').get() as {
          n: number;
        }
      ).n;
    ledger.receive(sale('T1'));
    ledger.receive(sale('T2'));
    assert.equal(ledger.counts().received, 2, 'this connection sees them');
    assert.equal(seen(), 0, 'another sees nothing yet');
    await turn();
    assert.equal(seen(), 2);
    other.close();
    ledger.close();
  });

  test('a step that throws undoes its own writes, not the batch', async () => {
    const file = path.join(dir, 'savepoint.sqlite');
    const ledger = Ledger.open(file);
    ledger.receive(sale('U1'));
    assert.throws(() =>
      ledger.atomically(() => {
        ledger.setState('sale:U1', 'mapped');
        throw new Error('no');
      }),
    );
    ledger.receive(sale('U2'));
    await turn();
    ledger.close();
    const again = Ledger.open(file);
    assert.equal(again.stateOf('sale:U1'), 'received');
    assert.equal(again.stateOf('sale:U2'), 'received');
    assert.equal(again.counts().mapped, 0);
    again.close();
  });

  test('a failed commit keeps nothing of its batch and refuses later writes', async () => {
    const file = path.join(dir, 'failed.sqlite');
    const ledger = Ledger.open(file);
    ledger.receive(sale('K1'));
    await turn();
    const restore = stubCommit(ledger, new Error('disk I/O error'));
    ledger.receive(sale('K2'));
    const mark = ledger.atomicallyBeforeX3(() =>
      ledger.markPosting('sale:K2#invoice', 'sale:K2', 'invoice', 'R-K2'),
    );
    await assert.rejects(
      mark,
      (e: unknown) => e instanceof LedgerError && e.code === 'LEDGER_WRITE',
    );
    restore();
    assert.match(ledger.failure ?? '', /disk I\/O error/);
    assert.throws(
      () => ledger.receive(sale('K3')),
      (e: unknown) =>
        e instanceof LedgerError &&
        e.code === 'LEDGER_WRITE' &&
        /an earlier commit failed/.test(e.message),
    );
    ledger.close();
    const again = Ledger.open(file);
    assert.equal(again.stateOf('sale:K1'), 'received');
    assert.equal(again.stateOf('sale:K2'), undefined);
    assert.equal(again.document('sale:K2#invoice'), undefined);
    assert.equal(again.failure, undefined);
    again.close();
  });
});
