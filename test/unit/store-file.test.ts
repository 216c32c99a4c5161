import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Ledger } from '../../lib/store/ledger';
import { LedgerError, toLedgerError } from '../../lib/store/errors';
import { migrate, MIGRATIONS } from '../../lib/store/schema';
import { customer } from './store-customer';

let dir: string;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqx3-store-'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const isWriteError = (e: unknown) =>
  e instanceof LedgerError && e.code === 'LEDGER_WRITE';

function connection(ledger: Ledger): Database.Database {
  return (ledger as unknown as { db: Database.Database }).db;
}

describe('ledger file', () => {
  test('creates its folder, owner-only file, WAL, current schema', () => {
    const file = path.join(dir, 'nested', 'deeper', 'ledger.sqlite');
    const ledger = Ledger.open(file);
    try {
      ledger.setCursor('orders', '2025-03-01T12:00:00Z');
      assert.equal(fs.statSync(file).mode & 0o777, 0o600);
      assert.equal(fs.statSync(`${file}-wal`).mode & 0o777, 0o600);
      const db = connection(ledger);
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      // NORMAL; the writes that let X3 be called commit with FULL
      assert.equal(db.pragma('synchronous', { simple: true }), 1);
      assert.equal(db.pragma('busy_timeout', { simple: true }), 5000);
      assert.equal(
        db.pragma('user_version', { simple: true }),
        MIGRATIONS.length,
      );
    } finally {
      ledger.close();
    }
  });

  test('reopening runs no migration twice and keeps the data', () => {
    const file = path.join(dir, 'reopen.sqlite');
    const first = Ledger.open(file);
    first.receive(customer('C1', '1'));
    first.close();

    assert.equal(first.upgradedFrom, undefined, 'a new file is no upgrade');
    const second = Ledger.open(file);
    assert.equal(second.upgradedFrom, undefined);
    assert.equal(
      connection(second).pragma('user_version', { simple: true }),
      MIGRATIONS.length,
    );
    assert.equal(migrate(connection(second)), MIGRATIONS.length);
    assert.equal(second.get('customer:C1')?.version, '1');
    assert.equal(second.receive(customer('C1', '1')).outcome, 'duplicate');
    second.close();
  });

  test('a version 2 file keeps its stored records, moved beside their rows', () => {
    const file = path.join(dir, 'v2.sqlite');
    const old = new Database(file);
    migrate(old, MIGRATIONS.slice(0, 2));
    const record = customer('V2', '3');
    old
      .prepare(
        `INSERT INTO records (key, kind, version, state, record,
           created_at, updated_at, square_at)
         VALUES (?, 'customer', '3', 'posted', ?, '2025-03-01', '2025-03-01',
           '2025-03-01')`,
      )
      .run(record.key, JSON.stringify(record));
    old.close();

    const ledger = Ledger.open(file);
    try {
      assert.deepEqual(ledger.get(record.key)?.record, record);
      const columns = connection(ledger)
        .prepare("SELECT name FROM pragma_table_info('records')")
        .all()
        .map((row) => (row as { name: string }).name);
      assert.ok(!columns.includes('record'), columns.join());
      assert.equal(ledger.prunePayloads(0), 1);
      assert.equal(ledger.get(record.key)?.record, undefined);
      assert.equal(ledger.get(record.key)?.state, 'posted');
    } finally {
      ledger.close();
    }
  });

  test('a version 3 file keeps records, payloads and trail, under record numbers', () => {
    const file = path.join(dir, 'v3.sqlite');
    const old = new Database(file);
    migrate(old, MIGRATIONS.slice(0, 3));
    const insertRecord = old.prepare(
      `INSERT INTO records (key, kind, version, state, created_at,
         updated_at, square_at)
       VALUES (?, 'customer', '1', 'posted', '2025-03-01', '2025-03-01', ?)`,
    );
    const line = old.prepare(
      `INSERT INTO trail (key, at, stage, detail)
       VALUES (?, '2025-03-01', ?, '')`,
    );
    // Square ids in the opposite order to their arrival
    insertRecord.run('customer:Z9', '2025-03-01T10:00:00Z');
    insertRecord.run('customer:A1', '2025-03-01T11:00:00Z');
    old
      .prepare('INSERT INTO payloads (key, record) VALUES (?, ?)')
      .run('customer:Z9', JSON.stringify(customer('Z9', '1')));
    line.run('customer:Z9', 'received');
    line.run('customer:A1', 'received');
    line.run('customer:Q5', 'not-synced');
    line.run('customer:Z9', 'posted');
    const doc = old.prepare(
      `INSERT INTO documents (doc_key, record_key, type, reference, state,
         updated_at)
       VALUES (?, ?, 'customer', ?, 'posted', '2025-03-01')`,
    );
    doc.run('customer:Z9#customer', 'customer:Z9', 'REF-Z9');
    doc.run('customer:Q5#customer', 'customer:Q5', 'REF-Q5');
    old.close();

    const ledger = Ledger.open(file);
    try {
      assert.equal(ledger.upgradedFrom, 3);
      const db = connection(ledger);
      const numbers = db.prepare('SELECT key FROM records ORDER BY id').all();
      assert.deepEqual(numbers, [
        { key: 'customer:Z9' },
        { key: 'customer:A1' },
      ]);
      assert.deepEqual(ledger.get('customer:Z9')?.record, customer('Z9', '1'));
      assert.equal(ledger.get('customer:A1')?.record, undefined);
      const stages = (key: string) => ledger.trailOf(key).map((l) => l.stage);
      assert.deepEqual(stages('customer:Z9'), ['received', 'posted']);
      assert.deepEqual(stages('customer:A1'), ['received']);
      assert.deepEqual(stages('customer:Q5'), ['not-synced']);
      const docs = (key: string) =>
        ledger.documentsOf(key).map((d) => d.reference);
      assert.deepEqual(docs('customer:Z9'), ['REF-Z9']);
      assert.deepEqual(docs('customer:Q5'), ['REF-Q5']);
      assert.deepEqual(docs('customer:A1'), []);

      // a key whose lines began before its record: one trail, in order
      ledger.receive(customer('Q5', '1'));
      ledger.flush();
      assert.deepEqual(stages('customer:Q5'), ['not-synced', 'received']);
      assert.deepEqual(docs('customer:Q5'), ['REF-Q5']);
      assert.throws(
        () => db.exec("UPDATE trail SET stage = 'x'"),
        /append-only/,
      );
      assert.deepEqual(db.pragma('foreign_key_check'), []);
    } finally {
      ledger.close();
    }
  });

  test('later migration steps run once, in order', () => {
    const db = new Database(':memory:');
    const ran: number[] = [];
    const known = MIGRATIONS.length;
    const steps = [...MIGRATIONS, () => ran.push(2), () => ran.push(3)];
    migrate(db, steps.slice(0, known + 1));
    migrate(db, steps);
    migrate(db, steps);
    assert.deepEqual(ran, [2, 3]);
    assert.equal(db.pragma('user_version', { simple: true }), known + 2);
    db.close();
  });

  test('a file from a newer release is refused', () => {
    const file = path.join(dir, 'future.sqlite');
    const db = new Database(file);
    db.pragma('user_version = 99');
    db.close();
    assert.throws(
      () => Ledger.open(file),
      (e: unknown) =>
        e instanceof LedgerError &&
        e.code === 'LEDGER_OPEN' &&
        /schema version 99/.test(e.message),
    );
  });

  test('webhook events are remembered across a reopen', () => {
    const file = path.join(dir, 'events.sqlite');
    const first = Ledger.open(file);
    assert.equal(first.rememberEvent('evt-1', 'payment.updated'), true);
    assert.equal(first.rememberEvent('evt-1', 'payment.updated'), false);
    first.close();

    let clock = Date.parse('2030-01-01T00:00:00Z');
    const second = Ledger.open(file, { now: () => new Date(clock) });
    assert.equal(second.rememberEvent('evt-1', 'payment.updated'), false);
    assert.equal(second.rememberEvent('evt-2', 'refund.created'), true);
    clock += 8 * 86_400_000;
    assert.equal(second.pruneEvents(7), 2);
    assert.equal(second.rememberEvent('evt-1', 'payment.updated'), true);
    second.close();
  });

  test('a removed file makes writes fail with LEDGER_WRITE', () => {
    const file = path.join(dir, 'removed.sqlite');
    const ledger = Ledger.open(file);
    ledger.receive(customer('C1', '1'));
    fs.rmSync(file);
    assert.throws(
      () =>
        ledger.markPosting(
          'customer:C1#customer',
          'customer:C1',
          'customer',
          'SQ1',
        ),
      (e: unknown) =>
        isWriteError(e) && /was removed while open/.test(String(e)),
    );
    ledger.close();
  });

  test('a full disk makes writes fail with LEDGER_WRITE', () => {
    const ledger = Ledger.open(path.join(dir, 'full.sqlite'));
    const db = connection(ledger);
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages}`);
    const big = customer('BIG', '1');
    big.square.customer!.note = 'x'.repeat(100_000);
    assert.throws(
      () => ledger.receive(big),
      (e: unknown) =>
        isWriteError(e) &&
        (e as LedgerError).sqliteCode === 'SQLITE_FULL' &&
        /disk is full/.test((e as Error).message),
    );
    assert.equal(ledger.get('customer:BIG'), undefined);
    ledger.close();
  });

  test('SQLite codes become clear messages', () => {
    const busy = toLedgerError(
      { code: 'SQLITE_BUSY' },
      'LEDGER_WRITE',
      'setState',
      '/x',
    );
    assert.equal(busy.retryable, true);
    assert.match(busy.message, /setState failed: another process holds/);
    const ro = toLedgerError(
      { code: 'SQLITE_READONLY' },
      'LEDGER_WRITE',
      'trail',
      '/x',
    );
    assert.equal(ro.retryable, false);
    assert.match(ro.message, /read-only \(SQLITE_READONLY\)/);
  });

  test('a read-only file fails with LEDGER_WRITE', () => {
    const file = path.join(dir, 'readonly', 'ledger.sqlite');
    Ledger.open(file).close();
    fs.chmodSync(dir, 0o755);
    fs.chmodSync(path.dirname(file), 0o755);
    fs.chmodSync(file, 0o644);

    // root writes through any mode bits, so try as an unprivileged user
    const asRoot = process.getuid?.() === 0;
    if (!asRoot) fs.chmodSync(file, 0o444);
    const script = `
      const { Ledger } = require(${JSON.stringify(require.resolve('../../lib/store/ledger'))});
      try { Ledger.open(${JSON.stringify(file)}); console.log('opened'); }
      catch (e) { console.log(e.code + ' ' + e.message); }`;
    const child = spawnSync(process.execPath, ['-e', script], {
      encoding: 'utf8',
      ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
    });
    assert.equal(child.stderr, '');
    assert.match(child.stdout, /^LEDGER_WRITE .*read-only/);
  });
});
