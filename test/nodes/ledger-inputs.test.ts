import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SquareClient } from '../../lib/square/client';
import { saleRecordForOrder } from '../../lib/square/fetch-record';
import { parseMappingTables } from '../../lib/ledger/mapping-tables';
import { resolveMapping } from '../../lib/ledger/mapping';
import type { SyncRecord } from '../../lib/sync/record';
import type { X3Result } from '../../lib/node-red/write-node';
import type { SquareEmulator } from '../../sandbox/square/emulator';
import { createX3Emulator, type X3Emulator } from '../../sandbox/x3/emulator';
import { seedX3 } from '../../sandbox/seed/x3-setup';
import { GOLDEN } from '../../sandbox/seed/square-day';
import {
  Inbox,
  X3_SECRET,
  allModules,
  exampleTables,
  helper,
  lastStatus,
  ledgerOf,
  load,
  mappingNode,
  seedDate,
  sink,
  startSquare,
  tab,
  writeNode,
  x3ConfigNode,
  type FlowNode,
} from './kit';

// Story: the ledger's promises, through the nodes. A sale re-sent to an
// X3 that already holds its reference is recorded as posted with X3's
// numbers. A ledger file removed or made read-only stops the flow with a
// clear error and a red status before anything reaches X3. A replay of a
// posted sale sends nothing to X3 and the trail shows it. Holds reach
// Catch nodes like failures do; old payloads can be dropped, the trail
// stays.

type Out = { topic: string; payload: SyncRecord; x3: X3Result };
type Caught = {
  payload: SyncRecord;
  error: { message: string; source: { id: string } };
};

const cfg = { x3: 'cfg-x3', ledger: 'cfg-ledger' };

function flow(x3Url: string, file: string): FlowNode[] {
  return [
    tab(),
    x3ConfigNode('cfg-x3', x3Url),
    { id: 'cfg-ledger', type: 'sqx3-ledger', name: 'sync ledger', file },
    mappingNode('map', 'cfg-ledger', [['customer'], ['audit']]),
    writeNode('sqx3-x3-customer', 'customer', cfg, [['invoice']]),
    writeNode('sqx3-x3-invoice', 'invoice', cfg, [['glpost']]),
    writeNode('sqx3-x3-gl-post', 'glpost', cfg, [['audit', 'posted']]),
    {
      id: 'n-catch',
      type: 'catch',
      z: 'tab1',
      scope: null,
      wires: [['audit', 'caught']],
    },
    {
      id: 'audit',
      type: 'sqx3-audit',
      z: 'tab1',
      ledger: 'cfg-ledger',
      wires: [['map'], ['reports']],
    },
    sink('posted'),
    sink('caught'),
    sink('reports'),
  ];
}

describe('the sync ledger through the nodes', () => {
  const { modules } = allModules();
  let square: SquareEmulator;
  let client: SquareClient;
  let x3: X3Emulator;
  let x3Url: string;
  let dir: string;
  let sale: SyncRecord;
  let posted: Inbox<Out>;
  let caught: Inbox<Caught>;
  let reports: Inbox<{ topic: string; payload: any }>;

  const start = async (name: string) => {
    const file = path.join(dir, name);
    await load(modules, flow(x3Url, file), { 'cfg-x3': { secret: X3_SECRET } });
    posted = Inbox.of<Out>('posted');
    caught = Inbox.of<Caught>('caught');
    reports = Inbox.of('reports');
    return file;
  };

  const arrive = (record: SyncRecord) => {
    ledgerOf('cfg-ledger').receive(record);
    helper
      .getNode('map')
      .receive({ topic: record.kind, payload: record } as never);
  };

  const counts = () => {
    const docs = x3.documents();
    return { invoices: docs.invoices.length, entries: docs.entries.length };
  };

  before(async () => {
    ({ square, client } = await startSquare(seedDate()));
    x3 = createX3Emulator({ uniqueReferences: true });
    seedX3(x3);
    x3Url = await x3.start(0, '127.0.0.1');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqx3-ledger-inputs-'));
    sale = (await saleRecordForOrder(
      client,
      GOLDEN.orderId,
      'poll',
    )) as SyncRecord;
  });

  afterEach(async () => {
    await helper.unload();
  });

  after(async () => {
    await square.stop();
    await x3.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a sale re-sent to an X3 that already holds it: posted, X3 numbers', async () => {
    await start('first.sqlite');
    arrive(sale);
    const [first] = await posted.receive(1, 10_000);
    assert.deepEqual(counts(), { invoices: 1, entries: 2 });
    await helper.unload();

    // The ledger restored from a copy older than that posting.
    await start('restored.sqlite');
    arrive(sale);

    const [again] = await posted.receive(1, 10_000);
    assert.deepEqual(
      counts(),
      { invoices: 1, entries: 2 },
      'nothing new in X3',
    );
    assert.deepEqual(again.x3, { ...first.x3, sent: 0 }, 'X3 was sent nothing');
    const ledger = ledgerOf('cfg-ledger');
    assert.equal(ledger.get(sale.key)?.state, 'posted');
    const numbers = ledger
      .documentsOf(sale.key)
      .map((d) => [d.state, d.number]);
    assert.deepEqual(
      numbers.map(([, n]) => n).sort(),
      [...first.x3.invoices, ...first.x3.entries].sort(),
    );
    assert.ok(numbers.every(([state]) => state === 'posted'));
    const stages = ledger.trailOf(sale.key).map((t) => t.stage);
    assert.equal(stages.filter((s) => s === 'already-in-x3').length, 3);
  });

  test('a replay of a posted sale sends nothing to X3; the trail shows it', async () => {
    await start('replay.sqlite');
    arrive(sale);
    await posted.receive(1, 10_000);
    const before = counts();
    const requests = x3.stats().requests;

    helper
      .getNode('audit')
      .receive({ topic: 'replay', payload: sale.key } as never);

    const [, replayed] = await posted.receive(2, 10_000);
    assert.equal(replayed.payload.source, 'replay');
    assert.deepEqual(counts(), before);
    assert.equal(x3.stats().requests, requests, 'not even a look-up');
    const ledger = ledgerOf('cfg-ledger');
    const stages = ledger.trailOf(sale.key).map((t) => t.stage);
    const tail = stages.slice(stages.lastIndexOf('replay'));
    assert.deepEqual(tail, [
      'replay',
      'mapped',
      'duplicate',
      'posted',
      'duplicate',
      'duplicate',
      'audited',
    ]);
    assert.equal(ledger.get(sale.key)?.state, 'posted');
  });

  for (const how of ['removed', 'made read-only'] as const) {
    test(`the ledger file ${how}: red status, an error, nothing to X3`, async () => {
      const file = await start(`${how.replace(/\W/g, '-')}.sqlite`);
      const ledger = ledgerOf('cfg-ledger');
      const record = { ...sale, source: 'webhook' as const };
      ledger.receive(record);
      ledger.setState(record.key, 'mapped');
      // committed before the file goes (a batch already open when it goes
      // is refused by its next write that gates X3)
      ledger.flush();
      const tables = parseMappingTables(JSON.stringify(exampleTables()));
      const mapped = resolveMapping(record, tables, { mode: 'invoice' });
      assert.ok(mapped.ok);
      const requests = x3.stats().requests;

      if (how === 'removed') fs.rmSync(file);
      else fs.chmodSync(file, 0o444);

      // straight to the invoice node, and down the whole flow
      helper.getNode('invoice').receive({
        topic: 'sale',
        payload: record,
        mapping: mapped.mapping,
        posting: { mode: 'invoice', itemisedCreditMemo: true },
      } as never);
      helper
        .getNode('map')
        .receive({ topic: 'sale', payload: record } as never);

      const errors = await caught.receive(2, 10_000);
      const pattern =
        how === 'removed'
          ? /sync ledger .* the file was removed while open/
          : /sync ledger .* the file was made read-only/;
      for (const msg of errors) assert.match(msg.error.message, pattern);
      assert.deepEqual(errors.map((m) => m.error.source.id).sort(), [
        'invoice',
        'map',
      ]);
      assert.deepEqual(lastStatus(helper.getNode('invoice')), {
        fill: 'red',
        shape: 'ring',
        text: 'ledger not writable',
      });
      assert.equal(lastStatus(helper.getNode('map'))?.fill, 'red');
      assert.equal(x3.stats().requests, requests, 'X3 got no request');
      assert.equal(posted.messages.length, 0);
    });
  }

  test('a held sale reaches Catch nodes; prune keeps the trail', async () => {
    await start('held.sqlite');
    const { order } = square.createSale({
      at: new Date(Date.now() - 60_000).toISOString(),
      locationId: '18YC4JDH91E1H',
      lines: [{ variationId: 'VAR_BEANS_HOUSE', quantity: 1 }],
    });
    const held = (await saleRecordForOrder(
      client,
      order.id,
      'poll',
    )) as SyncRecord;

    arrive(held);

    const [msg] = await caught.receive(1);
    assert.equal(msg.error.source.id, 'audit');
    assert.match(
      msg.error.message,
      new RegExp(`${held.key} held: missing site`),
    );
    await caught.stays(1);
    const ledger = ledgerOf('cfg-ledger');
    assert.equal(
      ledger.get(held.key)?.state,
      'held',
      'the echo changes nothing',
    );

    arrive(sale);
    await posted.receive(1, 10_000);
    await until(() =>
      ledger.get(sale.key)?.state === 'posted' ? true : undefined,
    );
    // settled "over 1e-9 days ago" needs the clock to have moved on
    await new Promise((resolve) => setTimeout(resolve, 20));
    const trail = ledger.trailOf(sale.key).length;
    helper.getNode('audit').receive({ topic: 'prune', payload: 1e-9 } as never);

    const pruned = await until(() =>
      reports.messages.find((m) => m.topic === 'pruned'),
    );
    assert.deepEqual(pruned.payload, { pruned: 1 }, 'the posted sale only');
    assert.equal(ledger.get(sale.key)?.record, undefined);
    assert.ok(ledger.get(held.key)?.record, 'a held record keeps its payload');
    assert.equal(ledger.trailOf(sale.key).length, trail);
  });
});

async function until<T>(probe: () => T | undefined, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
