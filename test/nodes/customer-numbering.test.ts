import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from 'node-red';
import { customerTag } from '../../lib/ledger/customer';
import type { SquareClient } from '../../lib/square/client';
import {
  customerRecord,
  recordsForEvent,
  saleRecordForOrder,
} from '../../lib/square/fetch-record';
import type { SyncRecord } from '../../lib/sync/record';
import type { SquareEmulator } from '../../sandbox/square/emulator';
import type { X3Emulator } from '../../sandbox/x3/emulator';
import {
  Inbox,
  X3_SECRET,
  allModules,
  helper,
  ledgerNode,
  ledgerOf,
  load,
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

// Story: the X3 customer node set to "X3 numbering". A new Square
// customer becomes an X3 customer whose code X3's sequence gives; the
// ledger pairs the two. An update in Square updates that customer, a sale
// of the customer is billed to it, and a customer.deleted event changes
// nothing in X3 and says so in the record's trail.

type Out = { payload: SyncRecord; x3: { customer?: string } };

const cfg = { x3: 'cfg-x3', ledger: 'cfg-ledger' };

function flow(x3Url: string): FlowNode[] {
  return [
    tab(),
    x3ConfigNode('cfg-x3', x3Url),
    ledgerNode('cfg-ledger'),
    mappingNode('mapping', 'cfg-ledger', [['customer'], ['held']]),
    {
      ...writeNode('sqx3-x3-customer', 'customer', cfg, [['invoice']]),
      numbering: 'x3',
    },
    writeNode('sqx3-x3-invoice', 'invoice', cfg, [['glpost']]),
    writeNode('sqx3-x3-gl-post', 'glpost', cfg, [['out']]),
    sink('out'),
    sink('held'),
  ];
}

describe('sqx3-x3-customer with X3 numbering', () => {
  const { modules } = allModules();
  let square: SquareEmulator;
  let client: SquareClient;
  let x3: X3Emulator;
  let out: Inbox<Out>;
  let squareId = '';
  let code = '';

  const send = (record: SyncRecord) => {
    ledgerOf('cfg-ledger').receive(record);
    const node: Node = helper.getNode('mapping');
    node.receive({ topic: record.kind, payload: record } as never);
  };
  const x3Customer = (c: string) =>
    x3.documents().customers.filter((row) => row.code === c);

  before(async () => {
    ({ square, client } = await startSquare(seedDate()));
    const started = await startX3();
    x3 = started.x3;
    await load(modules, flow(started.url), {
      'cfg-x3': { secret: X3_SECRET },
    });
    out = Inbox.of<Out>('out');
  });

  after(async () => {
    await helper.unload();
    await square.stop();
    await x3.stop();
  });

  test('a new customer gets its code from X3 and is paired', async () => {
    const before = x3.documents().customers.length;
    const customer = square.upsertCustomer({
      given_name: 'Ngozi',
      family_name: 'Eze',
      email_address: 'ngozi.eze@example.com',
    });
    squareId = customer.id;
    send((await customerRecord(client, squareId, 'poll')) as SyncRecord);

    const [msg] = await out.receive(1, 10_000);
    code = String(msg.x3.customer);
    assert.match(code, /^CU\d{7}$/);
    assert.equal(ledgerOf('cfg-ledger').x3Customer(squareId), code);
    assert.equal(x3.documents().customers.length, before + 1);
    const [stored] = x3Customer(code);
    assert.equal(stored.companyName, 'Ngozi Eze');
    assert.equal(stored.shortName, customerTag(squareId));
  });

  test('an update in Square updates the same X3 customer', async () => {
    const before = x3.documents().customers.length;
    square.upsertCustomer({ id: squareId, given_name: 'Ngozi A.' });
    send((await customerRecord(client, squareId, 'poll')) as SyncRecord);

    const [, msg] = await out.receive(2, 10_000);
    assert.equal(msg.x3.customer, code);
    assert.equal(x3.documents().customers.length, before);
    assert.equal(x3Customer(code)[0].companyName, 'Ngozi A. Eze');
  });

  test("the customer's sale is billed to the X3-numbered customer", async () => {
    const { order } = square.createSale({
      lines: [{ variationId: 'VAR_FILTERS', quantity: 3 }],
      customerId: squareId,
    });
    send((await saleRecordForOrder(client, order.id, 'poll')) as SyncRecord);
    const [, , msg] = await out.receive(3, 10_000);
    assert.equal(msg.x3.customer, code);
    const invoice = x3.documents().invoices.at(-1);
    assert.equal(invoice?.billToCustomer, code);
    assert.equal(invoice?.lines[0].product, 'FILTER-100');
  });

  test('customer.deleted keeps the X3 customer and says so', async () => {
    const before = x3.documents().customers.length;
    const last = await client.retrieveCustomer(squareId);
    const [record] = await recordsForEvent(client, {
      type: 'customer.deleted',
      event_id: 'evt-deleted-1',
      data: {
        type: 'customer',
        id: squareId,
        deleted: true,
        object: { customer: last },
      },
    });
    send(record);
    await out.receive(4, 10_000);

    const ledger = ledgerOf('cfg-ledger');
    const trail = ledger.trailOf(record.key).map((t) => t.detail);
    assert.ok(
      trail.includes(`deleted in Square, kept in X3 as ${code}`),
      trail.join(' | '),
    );
    assert.equal(ledger.get(record.key)?.state, 'posted');
    assert.equal(x3.documents().customers.length, before);
    assert.equal(x3Customer(code)[0].companyName, 'Ngozi A. Eze');
  });
});
