import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Ledger } from '../../lib/store/ledger';
import { migrate, MIGRATIONS } from '../../lib/store/schema';
import { customer } from './store-customer';

// Odd version 3 files brought to V4: empty, keys with no record, a
// payload without its record, keys differing only in case, long keys,
// a step that fails half-way; then reads and writes on the result.

let dir: string;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqx3-store-v4-'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function v3File(name: string): { file: string; db: Database.Database } {
  const file = path.join(dir, name);
  const db = new Database(file);
  migrate(db, MIGRATIONS.slice(0, 3));
  return { file, db };
}

function connection(ledger: Ledger): Database.Database {
  return (ledger as unknown as { db: Database.Database }).db;
}

function checked(ledger: Ledger): void {
  const db = connection(ledger);
  assert.deepEqual(db.pragma('foreign_key_check'), []);
  assert.deepEqual(db.pragma('integrity_check'), [{ integrity_check: 'ok' }]);
  assert.throws(() => db.exec("UPDATE trail SET stage = 'x'"), /append-only/);
  assert.throws(() => db.exec('DELETE FROM trail'), /append-only/);
}

describe('ledger schema V4 from odd V3 files', () => {
  test('an empty V3 file', () => {
    const { file, db } = v3File('empty.sqlite');
    db.close();
    const ledger = Ledger.open(file);
    try {
      assert.equal(ledger.upgradedFrom, 3);
      assert.deepEqual(ledger.list(), []);
      assert.equal(ledger.counts().posted, 0);
      ledger.receive(customer('A', '1'));
      ledger.flush();
      assert.deepEqual(
        ledger.trailOf('customer:A').map((l) => l.stage),
        ['received'],
      );
      checked(ledger);
    } finally {
      ledger.close();
    }
  });

  test('odd keys, orphans, and records arriving after their lines', () => {
    const { file, db } = v3File('odd.sqlite');
    const long = `customer:${'x'.repeat(5000)}`;
    const rec = db.prepare(
      `INSERT INTO records (key, kind, version, state, created_at,
         updated_at, square_at)
       VALUES (?, 'customer', '1', ?, '2025-03-01', '2025-03-01', ?)`,
    );
    const line = db.prepare(
      `INSERT INTO trail (key, at, stage, detail) VALUES (?, '2025-03-01', ?, '')`,
    );
    const doc = db.prepare(
      `INSERT INTO documents (doc_key, record_key, type, reference, state,
         updated_at) VALUES (?, ?, 'customer', ?, ?, '2025-03-01')`,
    );
    const payload = db.prepare(
      'INSERT INTO payloads (key, record) VALUES (?, ?)',
    );
    // a document and a line written before their record arrived
    doc.run('customer:Late#customer', 'customer:Late', 'REF-LATE', 'posting');
    line.run('customer:Late', 'posting');
    rec.run('customer:Late', 'posting', '2025-03-01T09:00:00Z');
    line.run('customer:Late', 'received');
    rec.run('customer:abc', 'posted', '2025-03-01T10:00:00Z');
    rec.run('customer:ABC', 'failed', '2025-03-01T10:00:00Z');
    rec.run(long, 'received', '2025-03-01T11:00:00Z');
    payload.run('customer:abc', JSON.stringify(customer('abc', '1')));
    payload.run('customer:ABC', JSON.stringify(customer('ABC', '1')));
    payload.run(long, '{"long":true}');
    payload.run('customer:Gone', '{"gone":true}');
    line.run('customer:ABC', 'failed');
    line.run('customer:abc', 'posted');
    line.run(long, 'received');
    line.run('customer:Never', 'not-synced');
    doc.run('customer:Never#customer', 'customer:Never', 'REF-N', 'failed');
    doc.run('customer:abc#customer', 'customer:abc', 'REF-abc', 'posted');
    db.close();

    const ledger = Ledger.open(file, {
      now: () => new Date('2025-06-01T00:00:00Z'),
    });
    try {
      const stages = (key: string) => ledger.trailOf(key).map((l) => l.stage);
      const refs = (key: string) =>
        ledger.documentsOf(key).map((d) => d.reference);
      assert.deepEqual(stages('customer:Late'), ['posting', 'received']);
      assert.deepEqual(refs('customer:Late'), ['REF-LATE']);
      assert.deepEqual(stages('customer:abc'), ['posted']);
      assert.deepEqual(stages('customer:ABC'), ['failed']);
      assert.deepEqual(stages(long), ['received']);
      assert.deepEqual(ledger.get(long)?.record, { long: true });
      assert.equal(ledger.get('customer:ABC')?.record?.key, 'customer:ABC');
      assert.equal(ledger.get('customer:abc')?.state, 'posted');
      assert.equal(ledger.get('customer:Gone'), undefined);
      assert.deepEqual(refs('customer:abc'), ['REF-abc']);
      assert.deepEqual(refs('customer:ABC'), []);
      assert.equal(ledger.list({ limit: 10 }).length, 4);
      assert.equal(ledger.counts().posted, 1);
      assert.equal(ledger.counts().failed, 1);

      // a key with no record is received after the upgrade: one trail
      ledger.trail('customer:Never', 'note', 'after the upgrade');
      ledger.receive(customer('Never', '1'));
      ledger.markPosting(
        'customer:Never#customer',
        'customer:Never',
        'customer',
        'REF-N',
      );
      ledger.flush();
      assert.deepEqual(stages('customer:Never'), [
        'not-synced',
        'note',
        'received',
        'posting',
      ]);
      assert.deepEqual(refs('customer:Never'), ['REF-N']);
      assert.equal(
        ledger.document('customer:Never#customer')?.state,
        'posting',
      );

      // conflicts: same docKey for another record, or another reference
      assert.throws(
        () =>
          ledger.markPosting(
            'customer:Late#customer',
            'customer:abc',
            'customer',
            'REF-LATE',
          ),
        /stored for customer:Late/,
      );
      assert.throws(
        () =>
          ledger.markPosting(
            'customer:Late#customer',
            'customer:Late',
            'customer',
            'REF-OTHER',
          ),
        /with reference REF-LATE/,
      );
      assert.throws(
        () =>
          ledger.markPosting(
            'customer:abc#customer',
            'customer:abc',
            'customer',
            'REF-abc',
          ),
        /already posted/,
      );
      ledger.markPosted('customer:Late#customer', 'C1');
      ledger.flush();
      assert.deepEqual(stages('customer:Late').slice(-1), ['posted']);

      // a record received after the upgrade is numbered after the others
      ledger.receive(customer('New', '1'));
      ledger.flush();
      const ids = connection(ledger)
        .prepare('SELECT key FROM records ORDER BY id')
        .all()
        .map((r) => (r as { key: string }).key);
      assert.deepEqual(ids.slice(-2), ['customer:Never', 'customer:New']);
      assert.equal(ledger.prunePayloads(0), 1, 'the posted abc only');
      assert.equal(ledger.get('customer:abc')?.record, undefined);
      assert.ok(ledger.get('customer:ABC')?.record);
      checked(ledger);
    } finally {
      ledger.close();
    }
  });

  test('a step that fails half-way leaves the file at V3, whole', () => {
    const { file, db } = v3File('half.sqlite');
    db.prepare(
      `INSERT INTO records (key, kind, version, state, created_at,
         updated_at, square_at)
       VALUES ('customer:A', 'customer', '1', 'posted', '2025-03-01',
         '2025-03-01', '2025-03-01')`,
    ).run();
    db.prepare(
      `INSERT INTO trail (key, at, stage, detail)
       VALUES ('customer:A', '2025-03-01', 'received', '')`,
    ).run();
    db.prepare('INSERT INTO payloads (key, record) VALUES (?, ?)').run(
      'customer:A',
      '{}',
    );
    // the V4 step, then a failure before its version is written
    const failing = [
      ...MIGRATIONS.slice(0, 3),
      (d: Database.Database) => {
        MIGRATIONS[3](d);
        throw new Error('killed mid-migration');
      },
    ];
    assert.throws(() => migrate(db, failing), /killed/);
    assert.equal(db.pragma('user_version', { simple: true }), 3);
    const columns = db
      .prepare("SELECT name FROM pragma_table_info('trail')")
      .all()
      .map((r) => (r as { name: string }).name);
    assert.ok(!columns.includes('rec'), columns.join());
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE name LIKE '%_v4'")
      .all();
    assert.deepEqual(tables, []);
    db.close();

    const ledger = Ledger.open(file);
    try {
      assert.equal(ledger.upgradedFrom, 3);
      assert.deepEqual(ledger.get('customer:A')?.record, {});
      assert.deepEqual(
        ledger.trailOf('customer:A').map((l) => l.stage),
        ['received'],
      );
      checked(ledger);
    } finally {
      ledger.close();
    }
  });
});
