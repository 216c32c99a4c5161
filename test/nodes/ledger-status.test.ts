import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import audit from '../../nodes/sqx3-audit';
import ledger from '../../nodes/sqx3-ledger';
import mapping from '../../nodes/sqx3-mapping';
import { saleRecordForOrder } from '../../lib/square/fetch-record';
import { GOLDEN } from '../../sandbox/seed/square-day';
import type { SquareEmulator } from '../../sandbox/square/emulator';
import type { SquareClient } from '../../lib/square/client';
import {
  calls,
  helper,
  lastStatus,
  ledgerOf,
  load,
  mappingNode,
  seedDate,
  startSquare,
  tab,
  until,
  type FlowNode,
} from './kit';

// Story: the ledger file goes bad under a running flow. Every node using
// the ledger turns red with a short reason, and is cleared once the file
// is writable again; a ledger that cannot be opened at deploy is retried
// and starts working without a redeploy.

const CHECK_MS = 40;

function flow(file: string): FlowNode[] {
  return [
    tab(),
    { id: 'cfg-ledger', type: 'sqx3-ledger', name: 'ledger', file },
    mappingNode('map', 'cfg-ledger', [[], []]),
    { id: 'audit', type: 'sqx3-audit', z: 'tab1', ledger: 'cfg-ledger' },
  ];
}

const red = (text: string) => ({ fill: 'red', shape: 'ring', text });

describe('sqx3-ledger shows its state on its users', () => {
  let dir: string;
  let square: SquareEmulator;
  let client: SquareClient;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqx3-ledger-status-'));
    helper.settings({ sqx3LedgerCheckMs: CHECK_MS } as never);
    ({ square, client } = await startSquare(seedDate()));
  });

  afterEach(async () => {
    await helper.unload();
  });

  after(async () => {
    helper.settings({});
    await square.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('read-only file: users red with the reason, then cleared', async () => {
    const file = path.join(dir, 'read-only.sqlite');
    await load([ledger, mapping, audit], flow(file));
    const users = ['map', 'audit'].map((id) => helper.getNode(id));
    // open and writable: the users show their own counts, nothing red
    await until('audit counts', () => lastStatus(users[1])?.fill === 'green');
    assert.equal(lastStatus(users[1])?.text, '0 posted · 0 held · 0 failed');

    fs.chmodSync(file, 0o444);
    await until('users red', () =>
      users.every((n) => lastStatus(n)?.fill === 'red'),
    );
    for (const node of users) {
      assert.deepEqual(lastStatus(node), red('ledger file read-only'));
    }
    const record = (await saleRecordForOrder(client, GOLDEN.orderId, 'poll'))!;
    assert.throws(() => ledgerOf('cfg-ledger').receive(record), {
      code: 'LEDGER_WRITE',
    });

    fs.chmodSync(file, 0o600);
    // the trouble is over: the audit node shows its counts again, the
    // mapping node (no record yet) nothing
    await until(
      'users back to their own status',
      () =>
        JSON.stringify(lastStatus(users[0])) === '{}' &&
        lastStatus(users[1])?.text === '0 posted · 0 held · 0 failed',
    );
    assert.equal(ledgerOf('cfg-ledger').receive(record).outcome, 'new');
    assert.equal(ledgerOf('cfg-ledger').get(record.key)?.state, 'received');
  });

  test('removed file: users red until a redeploy', async () => {
    const file = path.join(dir, 'removed.sqlite');
    await load([ledger, mapping, audit], flow(file));
    fs.rmSync(file);
    const map = helper.getNode('map');
    await until('map red', () => lastStatus(map)?.fill === 'red');
    assert.deepEqual(lastStatus(map), red('ledger file removed'));
    await new Promise((resolve) => setTimeout(resolve, CHECK_MS * 4));
    assert.deepEqual(lastStatus(map), red('ledger file removed'));
  });

  test('a file that cannot be opened: red, retried, then working', async () => {
    const file = path.join(dir, 'not-a-ledger.sqlite');
    fs.writeFileSync(
      file,
      'these are not the bytes of an SQLite file\n'.repeat(40),
    );
    await load([ledger, mapping, audit], flow(file));
    const users = ['map', 'audit'].map((id) => helper.getNode(id));
    await until('users red', () =>
      users.every((n) => lastStatus(n)?.fill === 'red'),
    );
    for (const node of users) {
      assert.deepEqual(lastStatus(node), red('ledger file damaged'));
    }
    assert.throws(() => ledgerOf('cfg-ledger').counts(), {
      code: 'LEDGER_OPEN',
    });

    fs.rmSync(file);
    // the trouble is over: the audit node shows its counts again, the
    // mapping node (no record yet) nothing
    await until(
      'users back to their own status',
      () =>
        JSON.stringify(lastStatus(users[0])) === '{}' &&
        lastStatus(users[1])?.text === '0 posted · 0 held · 0 failed',
    );
    const record = (await saleRecordForOrder(client, GOLDEN.orderId, 'poll'))!;
    assert.equal(ledgerOf('cfg-ledger').receive(record).outcome, 'new');
    assert.ok(fs.existsSync(file), 'the retried open created the file');
  });

  test('a commit that fails: writes refused, then the ledger reopened', async () => {
    const file = path.join(dir, 'failed-commit.sqlite');
    await load([ledger, mapping, audit], flow(file));
    const store = ledgerOf('cfg-ledger');
    const record = (await saleRecordForOrder(client, GOLDEN.orderId, 'poll'))!;
    const other = { ...record, key: 'sale:OTHER', square: record.square };

    // the next commit fails as on an I/O error
    const db = (store as unknown as { db: { exec(sql: string): unknown } }).db;
    const exec = db.exec.bind(db);
    let failing = true;
    db.exec = (sql: string) => {
      if (sql === 'COMMIT' && failing) {
        failing = false;
        throw new Error('disk I/O error');
      }
      return exec(sql);
    };
    store.receive(record);
    await until('the commit failed', () => !failing);
    assert.throws(() => store.receive(other), /an earlier commit failed/);

    await until('reopened', () => store.failure === undefined);
    assert.equal(store.receive(other).outcome, 'new');
    assert.equal(store.stateOf(record.key), undefined, 'its batch was lost');
  });

  test('a ledger in memory warns that it forgets; a file does not', async () => {
    await load(
      [ledger, mapping, audit],
      [
        ...flow(':memory:'),
        {
          id: 'cfg-file',
          type: 'sqx3-ledger',
          file: path.join(dir, 'kept.sqlite'),
        },
      ],
    );
    const warned = (id: string) =>
      calls(helper.getNode(id), 'warn').map((args) => String(args[0]));
    await until(
      'the memory ledger warned',
      () => warned('cfg-ledger').length > 0,
    );
    assert.equal(warned('cfg-ledger').length, 1);
    assert.match(
      warned('cfg-ledger')[0],
      /kept in memory: .* forgotten at the next restart/,
    );
    assert.deepEqual(warned('cfg-file'), []);
  });
});
