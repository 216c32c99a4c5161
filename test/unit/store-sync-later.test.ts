import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Ledger } from '../../lib/store/ledger';
import { LedgerError } from '../../lib/store/errors';
import { postOnce } from '../../lib/sync/post-once';
import type { X3Document } from '../../lib/ledger/types';
import type { SyncRecord } from '../../lib/sync/record';

// atomicallyBeforeX3: the posting mark commits with its turn's writes, X3
// is called only after the WAL is synced, and steps waiting together share one fsync,
// counted by watching fs.promises.open on the WAL file.

let dir: string;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqx3-sync-later-'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function sale(id: string): SyncRecord {
  return {
    key: `sale:${id}`,
    kind: 'sale',
    version: '1',
    source: 'poll',
    square: {
      order: { id, location_id: 'L1', closed_at: '2025-03-01T10:00:00Z' },
    },
    receivedAt: '2025-03-01T10:00:01Z',
  };
}

function doc(id: string): X3Document {
  return {
    type: 'invoice',
    kind: 'invoice',
    docKey: `sale:${id}#invoice`,
    reference: `REF-${id}`,
  } as unknown as X3Document;
}

interface Watch {
  syncs: string[];
  events: string[];
  fail?: Error;
  restore: () => void;
}

/** Records each fsync of a file through fs.promises.open. */
function watchSyncs(): Watch {
  const original = fs.promises.open;
  const watch: Watch = { syncs: [], events: [], restore: () => undefined };
  fs.promises.open = (async (...args: Parameters<typeof original>) => {
    const handle = await original(...args);
    const sync = handle.sync.bind(handle);
    handle.sync = async () => {
      if (watch.fail) throw watch.fail;
      await sync();
      watch.syncs.push(path.basename(String(args[0])));
      watch.events.push('synced');
    };
    return handle;
  }) as typeof original;
  watch.restore = () => {
    fs.promises.open = original;
  };
  return watch;
}

describe('the posting mark synced off the main thread', () => {
  test('resolves after its commit and an fsync of the WAL', async () => {
    const file = path.join(dir, 'one.sqlite');
    const ledger = Ledger.open(file);
    const watch = watchSyncs();
    try {
      ledger.receive(sale('A1'));
      const done = ledger.atomicallyBeforeX3(() => {
        ledger.setState('sale:A1', 'posting');
        ledger.markPosting('sale:A1#invoice', 'sale:A1', 'invoice', 'R-A1');
      });
      assert.deepEqual(watch.syncs, []);
      await done;
      assert.deepEqual(watch.syncs, ['one.sqlite-wal']);
      // committed: a second connection sees it
      const other = new Database(file, { readonly: true });
      const row = other
        .prepare('SELECT state FROM documents WHERE doc_key = ?')
        .get('sale:A1#invoice') as { state: string };
      other.close();
      assert.equal(row.state, 'posting');
      assert.equal(ledger.stateOf('sale:A1'), 'posting');
    } finally {
      watch.restore();
      ledger.close();
    }
  });

  test('steps waiting together share the fsync', async () => {
    const ledger = Ledger.open(path.join(dir, 'many.sqlite'));
    const watch = watchSyncs();
    try {
      const ids = Array.from({ length: 20 }, (_, i) => `M${i}`);
      for (const id of ids) ledger.receive(sale(id));
      await Promise.all(
        ids.map((id) =>
          ledger.atomicallyBeforeX3(() =>
            ledger.markPosting(
              `sale:${id}#invoice`,
              `sale:${id}`,
              'invoice',
              id,
            ),
          ),
        ),
      );
      // the first sync, and one for every commit made while it ran
      assert.ok(watch.syncs.length >= 1 && watch.syncs.length <= 2);
      // a commit made while a sync runs waits for the next one
      const before = watch.syncs.length;
      const first = ledger.atomicallyBeforeX3(() =>
        ledger.trail('x', 'a', 'b'),
      );
      // past the commit window: the first batch commits, its sync starts
      await new Promise((resolve) => setTimeout(resolve, 30));
      const second = ledger.atomicallyBeforeX3(() =>
        ledger.trail('x', 'c', 'd'),
      );
      await Promise.all([first, second]);
      assert.equal(watch.syncs.length - before, 2);
    } finally {
      watch.restore();
      ledger.close();
    }
  });

  test('X3 is called only after the sync; a failed sync calls nothing', async () => {
    const ledger = Ledger.open(path.join(dir, 'post.sqlite'));
    const watch = watchSyncs();
    const x3 = {
      findDocument: async () => null,
      postDocument: async (d: X3Document) => {
        watch.events.push('x3');
        return `INV-${d.reference}`;
      },
    };
    try {
      ledger.receive(sale('P1'));
      const result = await postOnce(ledger, x3, 'sale:P1', doc('P1'));
      assert.equal(result.number, 'INV-REF-P1');
      assert.deepEqual(watch.events, ['synced', 'x3']);

      ledger.receive(sale('P2'));
      watch.fail = Object.assign(new Error('EIO: i/o error, fsync'), {
        code: 'EIO',
      });
      await assert.rejects(
        postOnce(ledger, x3, 'sale:P2', doc('P2')),
        (e: unknown) => e instanceof LedgerError && e.code === 'LEDGER_WRITE',
      );
      assert.deepEqual(watch.events, ['synced', 'x3']);
      // the row stays short of posted: a later run looks the reference up
      assert.notEqual(ledger.document('sale:P2#invoice')?.state, 'posted');
    } finally {
      watch.restore();
      ledger.close();
    }
  });

  test('a removed file is refused at once, as other writes are', () => {
    const file = path.join(dir, 'gone.sqlite');
    const ledger = Ledger.open(file);
    try {
      ledger.receive(sale('G1'));
      fs.rmSync(file);
      assert.throws(
        () =>
          ledger.atomicallyBeforeX3(() => ledger.trail('sale:G1', 'a', 'b')),
        (e: unknown) => e instanceof LedgerError && e.code === 'LEDGER_WRITE',
      );
    } finally {
      ledger.close();
    }
  });
});
