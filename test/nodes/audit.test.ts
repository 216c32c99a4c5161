import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from 'node-red';
import type { SquareClient } from '../../lib/square/client';
import {
  customerRecord,
  saleRecordForOrder,
} from '../../lib/square/fetch-record';
import type { SyncRecord } from '../../lib/sync/record';
import type { SquareEmulator } from '../../sandbox/square/emulator';
import type { X3Emulator } from '../../sandbox/x3/emulator';
import { GOLDEN } from '../../sandbox/seed/square-day';
import {
  Inbox,
  X3_SECRET,
  allModules,
  exampleTables,
  helper,
  lastStatus,
  ledgerNode,
  ledgerOf,
  load,
  mappingNode,
  seedDate,
  sink,
  startSquare,
  startX3,
  tab,
  until,
  writeNode,
  x3ConfigNode,
  type FlowNode,
} from './kit';

// Story: the end of the example flow. Held records and X3's refusals (by
// way of a Catch node) reach the audit node, which records them and shows
// the counts; replay commands re-emit stored records with source
// "replay". The mapping here sends the mug to a product X3 does not have,
// so X3 refuses the golden sale.

type Report = { topic: string; payload: Record<string, any> };
type Replayed = { topic: string; payload: SyncRecord };

function flow(x3Url: string): FlowNode[] {
  const tables = exampleTables();
  tables.products.VAR_MUG.product = 'MUG-RETIRED';
  return [
    tab(),
    x3ConfigNode('cfg-x3', x3Url),
    ledgerNode('cfg-ledger'),
    mappingNode('map', 'cfg-ledger', [['n-invoice'], ['n-audit']], tables),
    writeNode(
      'sqx3-x3-invoice',
      'n-invoice',
      { x3: 'cfg-x3', ledger: 'cfg-ledger' },
      [['n-audit']],
    ),
    {
      id: 'n-catch',
      type: 'catch',
      z: 'tab1',
      scope: null,
      wires: [['n-audit']],
    },
    {
      id: 'n-audit',
      type: 'sqx3-audit',
      z: 'tab1',
      ledger: 'cfg-ledger',
      wires: [['replayed'], ['reports']],
    },
    sink('replayed'),
    sink('reports'),
  ];
}

describe('sqx3-audit', () => {
  const { modules } = allModules();
  let square: SquareEmulator;
  let client: SquareClient;
  let x3: X3Emulator;
  let reports: Inbox<Report>;
  let replayed: Inbox<Replayed>;
  let audit: Node;
  const heldKeys: string[] = [];

  const arrive = (record: SyncRecord) => {
    ledgerOf('cfg-ledger').receive(record);
    helper
      .getNode('map')
      .receive({ topic: record.kind, payload: record } as never);
  };

  const saleAt = async (locationId: string) => {
    const { order } = square.createSale({
      at: new Date(Date.now() - 60_000).toISOString(),
      locationId,
      lines: [{ variationId: 'VAR_BEANS_HOUSE', quantity: 1 }],
    });
    return (await saleRecordForOrder(client, order.id, 'poll')) as SyncRecord;
  };

  before(async () => {
    ({ square, client } = await startSquare(seedDate()));
    const started = await startX3();
    x3 = started.x3;
    await load(modules, flow(started.url), { 'cfg-x3': { secret: X3_SECRET } });
    reports = Inbox.of<Report>('reports');
    replayed = Inbox.of<Replayed>('replayed');
    audit = helper.getNode('n-audit');
  });

  after(async () => {
    await helper.unload();
    await square.stop();
    await x3.stop();
  });

  test('held records are reported with their gaps and counted', async () => {
    for (const location of ['18YC4JDH91E1H', '3Z4V4WHQK64X9']) {
      const record = await saleAt(location);
      heldKeys.push(record.key);
      arrive(record);
    }

    const got = await reports.receive(2);
    assert.deepEqual(
      got.map((r) => [r.topic, r.payload.key, r.payload.state]),
      [
        ['held', heldKeys[0], 'held'],
        ['held', heldKeys[1], 'held'],
      ],
    );
    assert.deepEqual(got[0].payload.detail, [
      'site for location 18YC4JDH91E1H',
    ]);
    assert.deepEqual(lastStatus(audit), {
      fill: 'yellow',
      shape: 'ring',
      text: '0 posted · 2 held · 0 failed',
    });
  });

  test('X3 refusing a sale reaches the audit through Catch, as failed', async () => {
    const sale = await saleRecordForOrder(client, GOLDEN.orderId, 'poll');
    assert.ok(sale);

    arrive(sale);

    const [report] = (await reports.receive(3, 10_000)).slice(2);
    assert.equal(report.topic, 'failed');
    assert.equal(report.payload.key, sale.key);
    assert.match(report.payload.error, /MUG-RETIRED/);
    assert.equal(x3.documents().invoices.length, 0);
    assert.equal(ledgerOf('cfg-ledger').get(sale.key)?.state, 'failed');
    assert.equal(lastStatus(audit)?.text, '0 posted · 2 held · 1 failed');
  });

  test('an error message from a Catch node marks its record failed', async () => {
    const id = '0SYVDPFS1YPY8BRHX1GHKE2IDX';
    const record = await customerRecord(client, id, 'poll');
    assert.ok(record);
    const ledger = ledgerOf('cfg-ledger');
    ledger.receive(record);
    ledger.setState(record.key, 'mapped');

    audit.receive({
      topic: 'customer',
      payload: record,
      error: {
        message: 'Square RetrieveCustomer: HTTP 503',
        source: { id: 'n-poll', type: 'sqx3-square-poll', count: 1 },
      },
    } as never);

    const [report] = (await reports.receive(4)).slice(3);
    assert.deepEqual(report, {
      ...report,
      topic: 'failed',
      payload: {
        summary: `${record.key} failed: Square RetrieveCustomer: HTTP 503`,
        key: record.key,
        error: 'Square RetrieveCustomer: HTTP 503',
      },
      summary: `${record.key} failed: Square RetrieveCustomer: HTTP 503`,
    });
    const row = ledger.get(record.key);
    assert.equal(row?.state, 'failed');
    assert.equal(row?.detail, 'Square RetrieveCustomer: HTTP 503');
    assert.deepEqual(lastStatus(audit), {
      fill: 'yellow',
      shape: 'ring',
      text: '0 posted · 2 held · 2 failed',
    });
  });

  test('replay of one key re-emits it with source "replay"', async () => {
    const key = `sale:${GOLDEN.orderId}`;
    const stored = ledgerOf('cfg-ledger').get(key)?.record as SyncRecord;

    audit.receive({ topic: 'replay', payload: key } as never);

    const [msg] = await replayed.receive(1);
    assert.equal(msg.topic, 'sale');
    assert.deepEqual(msg.payload, { ...stored, source: 'replay' });
    assert.equal(stored.source, 'poll');
    const [done] = (await reports.receive(5)).slice(4);
    assert.deepEqual(done, {
      ...done,
      topic: 'replayed',
      payload: { replayed: 1 },
    });
    const stages = ledgerOf('cfg-ledger')
      .trailOf(key)
      .map((t) => t.stage);
    assert.equal(stages.at(-1), 'replay');
  });

  test('replay {state: "held"} re-emits every held record only', async () => {
    audit.receive({ topic: 'replay', payload: { state: 'held' } } as never);

    const got = (await replayed.receive(3)).slice(1);
    await replayed.stays(3, 100);
    assert.deepEqual(
      got.map((m) => m.payload.key).sort(),
      [...heldKeys].sort(),
    );
    assert.ok(got.every((m) => m.payload.source === 'replay'));
    const [done] = (await reports.receive(6)).slice(5);
    assert.deepEqual(done.payload, { replayed: 2 });
  });

  test('list {state: "failed"} names the failed records', async () => {
    audit.receive({ topic: 'list', payload: { state: 'failed' } } as never);

    const [list] = (await reports.receive(7)).slice(6);
    assert.equal(list.topic, 'list');
    assert.deepEqual(list.payload.map((r: { key: string }) => r.key).sort(), [
      'customer:0SYVDPFS1YPY8BRHX1GHKE2IDX',
      `sale:${GOLDEN.orderId}`,
    ]);
  });
  test('an unknown command turns the audit red with what it accepts', async () => {
    audit.receive({ topic: 'bogus', payload: 'x' } as never);

    await until('a red status naming the command', () =>
      /unknown command "bogus"/.test(String(lastStatus(audit)?.text)),
    );
    assert.equal(lastStatus(audit)?.fill, 'red');
    // its own error, sent back by the Catch node, is not reported again
    await reports.stays(7, 200);
  });
});
