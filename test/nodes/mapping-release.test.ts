import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from 'node-red';
import type { SquareClient } from '../../lib/square/client';
import { saleRecordForOrder } from '../../lib/square/fetch-record';
import type { SyncRecord } from '../../lib/sync/record';
import type { X3Result } from '../../lib/node-red/write-node';
import { mappingFromCsv, mappingToCsv } from '../../lib/ledger/mapping-csv';
import type { SquareEmulator } from '../../sandbox/square/emulator';
import type { X3Emulator } from '../../sandbox/x3/emulator';
import {
  Inbox,
  allModules,
  exampleTables,
  helper,
  ledgerNode,
  load,
  ledgerOf,
  mappingNode,
  seedDate,
  sink,
  startSquare,
  startX3,
  tab,
  writeNode,
  x3ConfigNode,
  type FlowNode,
} from './kit';

// Input 7 of the posting rules: a sale of a grinder, whose product the
// tables lack (and no generic product), is held naming that product.
// Then the mapping gains the row (a message with new tables, as a CSV
// import) and the held sale posts to X3 by itself: nobody replays it.

type Out = { topic: string; payload: SyncRecord; x3: X3Result };
type Held = { payload: SyncRecord; held: string[] };
const cfg = { x3: 'cfg-x3', ledger: 'cfg-ledger' };

function withoutGrinder(): Record<string, any> {
  const tables = exampleTables();
  delete tables.products.VAR_GRINDER;
  delete tables.genericProduct;
  return tables;
}

function flow(x3Url: string): FlowNode[] {
  return [
    tab(),
    x3ConfigNode('cfg-x3', x3Url),
    ledgerNode('cfg-ledger'),
    mappingNode(
      'map',
      'cfg-ledger',
      [['customer'], ['held']],
      withoutGrinder(),
    ),
    writeNode('sqx3-x3-customer', 'customer', cfg, [['invoice']]),
    writeNode('sqx3-x3-invoice', 'invoice', cfg, [['glpost']]),
    writeNode('sqx3-x3-gl-post', 'glpost', cfg, [['sales']]),
    sink('sales'),
    sink('held'),
  ];
}

describe('a held record posts once the mapping covers it', () => {
  const { modules } = allModules();
  let square: SquareEmulator;
  let client: SquareClient;
  let x3: X3Emulator;

  before(async () => {
    ({ square, client } = await startSquare(seedDate()));
    const started = await startX3();
    x3 = started.x3;
    await load(modules, flow(started.url), {
      'cfg-x3': { secret: 'sqx3-demo-jwt-secret' },
    });
  });

  after(async () => {
    await helper.unload();
    await square.stop();
    await x3.stop();
  });

  test('input 7: held naming the product, then posted without a replay', async () => {
    const sales = Inbox.of<Out>('sales');
    const held = Inbox.of<Held>('held');
    const { order } = square.createSale({
      at: new Date(Date.now() - 60_000).toISOString(),
      locationId: 'L2MARKETSQ002',
      lines: [{ variationId: 'VAR_GRINDER', quantity: 1 }],
      tenders: [{ type: 'CARD', brand: 'VISA' }],
    } as never);
    const record = await saleRecordForOrder(client, order.id, 'webhook');
    assert.ok(record);
    ledgerOf('cfg-ledger').receive(record);
    const map: Node = helper.getNode('map');
    map.receive({ topic: 'sale', payload: record } as never);

    const [h] = await held.receive(1);
    assert.deepEqual(h.held, ['product for VAR_GRINDER ("Hand grinder")']);
    assert.equal(ledgerOf('cfg-ledger').get(record.key)?.state, 'held');
    assert.equal(x3.documents().invoices.length, 0);

    const csv = mappingToCsv(
      mappingFromCsv(mappingToCsv(exampleTables() as never)),
    );
    map.receive({ topic: 'import-csv', payload: csv } as never);

    const [posted] = await sales.receive(1);
    assert.equal(posted.payload.key, record.key);
    const [invoice] = x3.documents().invoices;
    assert.equal(invoice.lines[0].product, 'GRINDER-M');
    assert.equal(invoice.lines[0].grossPrice, '45.00');
    assert.equal(invoice.lines[0].taxAmount, '3.99');
    const row = ledgerOf('cfg-ledger').get(record.key);
    assert.equal(row?.state, 'posted');
    const stages = ledgerOf('cfg-ledger')
      .trailOf(record.key)
      .map((t) => t.stage);
    assert.ok(stages.includes('released'), stages.join(', '));
    assert.ok(!stages.includes('replay'), stages.join(', '));
    await held.stays(1, 50);
  });
});
