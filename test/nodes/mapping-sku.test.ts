import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from 'node-red';
import type { SquareClient } from '../../lib/square/client';
import { saleRecordForOrder } from '../../lib/square/fetch-record';
import type { SyncRecord } from '../../lib/sync/record';
import type { SquareEmulator } from '../../sandbox/square/emulator';
import type { X3Emulator } from '../../sandbox/x3/emulator';
import {
  Inbox,
  SQUARE_TOKEN,
  X3_SECRET,
  allModules,
  exampleTables,
  helper,
  ledgerNode,
  ledgerOf,
  load,
  mappingNode,
  seedDate,
  sink,
  squareConfigNode,
  startSquare,
  startX3,
  tab,
  writeNode,
  x3ConfigNode,
  type FlowNode,
} from './kit';

// Story: the mug and the grinder are not in the product table by their
// variation ids; the mug's SKU is. A sale of two mugs asks Square's
// catalog once and posts an X3 invoice line for MUG-STD; a second mug
// sale asks nothing. A grinder sale is held naming the variation and its
// SKU, after one more catalog call for the grinder alone.

type Out = { payload: SyncRecord; x3: { invoices: unknown[] } };
type Held = { payload: SyncRecord; held: string[] };

const cfg = { x3: 'cfg-x3', ledger: 'cfg-ledger' };

function tables() {
  const t = exampleTables();
  delete t.products.VAR_MUG;
  delete t.products.VAR_GRINDER;
  delete t.genericProduct;
  t.skus = {
    'MUG-STONE-REG': { product: 'MUG-STD', revenueAccount: 'A-MERCH' },
  };
  return t;
}

function flow(squareUrl: string, x3Url: string): FlowNode[] {
  return [
    tab(),
    squareConfigNode('cfg-square', squareUrl),
    x3ConfigNode('cfg-x3', x3Url),
    ledgerNode('cfg-ledger'),
    {
      ...mappingNode(
        'mapping',
        'cfg-ledger',
        [['customer'], ['held']],
        tables(),
      ),
      square: 'cfg-square',
    },
    writeNode('sqx3-x3-customer', 'customer', cfg, [['invoice']]),
    writeNode('sqx3-x3-invoice', 'invoice', cfg, [['glpost']]),
    writeNode('sqx3-x3-gl-post', 'glpost', cfg, [['sales']]),
    sink('sales'),
    sink('held'),
  ];
}

describe('sqx3-mapping: products by SKU', () => {
  const { modules } = allModules();
  let square: SquareEmulator;
  let client: SquareClient;
  let x3: X3Emulator;
  let sales: Inbox<Out>;
  let held: Inbox<Held>;

  const catalogCalls = () =>
    square.requestCounts()['POST /v2/catalog/batch-retrieve'] ?? 0;

  async function sell(variationId: string, quantity: number) {
    const { order } = square.createSale({ lines: [{ variationId, quantity }] });
    const record = (await saleRecordForOrder(
      client,
      order.id,
      'poll',
    )) as SyncRecord;
    assert.ok(record, `sale record for ${order.id}`);
    ledgerOf('cfg-ledger').receive(record);
    const mapping: Node = helper.getNode('mapping');
    mapping.receive({ topic: 'sale', payload: record } as never);
    return record;
  }

  before(async () => {
    ({ square, client } = await startSquare(seedDate()));
    const started = await startX3();
    x3 = started.x3;
    await load(modules, flow(square.baseUrl, started.url), {
      'cfg-square': { accessToken: SQUARE_TOKEN },
      'cfg-x3': { secret: X3_SECRET },
    });
    sales = Inbox.of<Out>('sales');
    held = Inbox.of<Held>('held');
  });

  after(async () => {
    await helper.unload();
    await square.stop();
    await x3.stop();
  });

  test('a variation mapped only by SKU posts with its ITMREF', async () => {
    const before = catalogCalls();
    const invoicesBefore = x3.documents().invoices.length;
    const record = await sell('VAR_MUG', 2);

    await sales.receive(1, 10_000);
    assert.equal(catalogCalls() - before, 1);
    const invoices = x3.documents().invoices.slice(invoicesBefore);
    assert.equal(invoices.length, 1);
    assert.deepEqual(
      invoices[0].lines.map((l) => [l.product, l.quantity, l.grossPrice]),
      [['MUG-STD', '2', '8.00']],
    );
    assert.equal(ledgerOf('cfg-ledger').get(record.key)?.state, 'posted');
  });

  test('the next sale of it asks the catalog nothing', async () => {
    const before = catalogCalls();
    await sell('VAR_MUG', 1);
    await sales.receive(2, 10_000);
    assert.equal(catalogCalls() - before, 0);
    assert.equal(x3.documents().invoices.at(-1)?.lines[0].product, 'MUG-STD');
  });

  test('found by neither id, SKU nor generic product: held, naming both', async () => {
    const before = catalogCalls();
    const record = await sell('VAR_GRINDER', 1);
    const [msg] = await held.receive(1, 10_000);
    assert.equal(msg.payload.key, record.key);
    assert.deepEqual(msg.held, [
      'product for VAR_GRINDER ("Hand grinder") SKU GRD-HAND-STEEL',
    ]);
    assert.equal(catalogCalls() - before, 1);
    assert.equal(ledgerOf('cfg-ledger').get(record.key)?.state, 'held');
  });
});
