import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from 'node-red';
import type { SquareClient } from '../../lib/square/client';
import { saleRecordForOrder } from '../../lib/square/fetch-record';
import type { SyncRecord } from '../../lib/sync/record';
import type { ResolvedMapping } from '../../lib/ledger/types';
import type { SquareEmulator } from '../../sandbox/square/emulator';
import { GOLDEN } from '../../sandbox/seed/square-day';
import {
  Inbox,
  allModules,
  calls,
  helper,
  lastStatus,
  ledgerNode,
  load,
  ledgerOf,
  mappingNode,
  seedDate,
  sink,
  startSquare,
  tab,
  type FlowNode,
} from './kit';

// Story: records from Square reach the mapping node with the example
// flow's tables. The golden sale at Harbour Street maps to site NYC01 and
// leaves by output 1; a sale at a Square location the tables do not know
// leaves by output 2, held, naming the gap, and the ledger says held.

type Mapped = {
  payload: SyncRecord;
  mapping: ResolvedMapping;
  posting: unknown;
};
type Held = { payload: SyncRecord; held: string[]; mapping?: unknown };

function flow(): FlowNode[] {
  return [
    tab(),
    ledgerNode('cfg-ledger'),
    mappingNode('mapping', 'cfg-ledger', [['mapped'], ['held']]),
    sink('mapped'),
    sink('held'),
    {
      id: 'catcher',
      type: 'catch',
      z: 'tab1',
      scope: ['mapping'],
      wires: [['caught']],
    },
    sink('caught'),
  ];
}

describe('sqx3-mapping', () => {
  const { modules } = allModules();
  let square: SquareEmulator;
  let client: SquareClient;
  let mapped: Inbox<Mapped>;
  let held: Inbox<Held>;
  let caught: Inbox;
  let mapping: Node;

  // As the webhook and poll nodes do: into the ledger, then down the flow.
  const arrive = (record: SyncRecord) => {
    ledgerOf('cfg-ledger').receive(record);
    mapping.receive({ topic: record.kind, payload: record } as never);
  };

  before(async () => {
    ({ square, client } = await startSquare(seedDate()));
    await load(modules, flow());
    mapped = Inbox.of<Mapped>('mapped');
    held = Inbox.of<Held>('held');
    caught = Inbox.of('caught');
    mapping = helper.getNode('mapping');
  });

  after(async () => {
    await helper.unload();
    await square.stop();
  });

  test("the golden sale maps to Harbour Street's X3 codes on output 1", async () => {
    const record = await saleRecordForOrder(client, GOLDEN.orderId, 'poll');
    assert.ok(record);

    arrive(record);

    const [msg] = await mapped.receive(1);
    assert.equal(msg.payload.key, `sale:${GOLDEN.orderId}`);
    assert.equal(msg.mapping.site, 'NYC01');
    assert.equal(msg.mapping.currency, 'USD');
    assert.equal(msg.mapping.customer, 'WALKIN');
    assert.deepEqual(
      Object.values(msg.mapping.lines).map((l) => [
        l.product,
        l.revenueAccount,
        l.taxCode,
      ]),
      [
        ['BEANS-HOUSE', 'A-COFFEE', 'NY1'],
        ['MUG-STD', 'A-MERCH', 'NY1'],
      ],
    );
    assert.deepEqual(msg.mapping.tenders, {
      [GOLDEN.paymentId]: 'CLEARING-CARD',
    });
    assert.deepEqual(msg.posting, {
      mode: 'invoice',
      itemisedCreditMemo: true,
    });
    await held.stays(0, 50);

    const row = ledgerOf('cfg-ledger').get(record.key);
    assert.equal(row?.state, 'mapped');
    assert.equal(row?.detail, 'site NYC01');
    assert.deepEqual(lastStatus(mapping), {
      fill: 'green',
      shape: 'dot',
      text: '1 mapped · 0 held',
    });
  });

  test('a sale at a location the tables lack is held on output 2', async () => {
    const { order } = square.createSale({
      at: new Date(Date.now() - 60_000).toISOString(),
      locationId: '18YC4JDH91E1H',
      lines: [{ variationId: 'VAR_MUG', quantity: 1 }],
    });
    const record = await saleRecordForOrder(client, order.id, 'webhook');
    assert.equal(record?.square.location?.name, 'Grant Park');

    arrive(record as SyncRecord);

    const [msg] = await held.receive(1);
    assert.equal(msg.payload.key, `sale:${order.id}`);
    assert.deepEqual(msg.held, ['site for location 18YC4JDH91E1H']);
    assert.equal(msg.mapping, undefined);
    await mapped.stays(1, 50);

    const row = ledgerOf('cfg-ledger').get(`sale:${order.id}`);
    assert.equal(row?.state, 'held');
    assert.equal(row?.detail, 'missing site for location 18YC4JDH91E1H');
    assert.deepEqual(lastStatus(mapping), {
      fill: 'yellow',
      shape: 'ring',
      text: '1 mapped · 1 held',
    });
    assert.deepEqual(
      calls(mapping, 'warn').map((args) => args[0]),
      [`sale:${order.id} held: missing site for location 18YC4JDH91E1H`],
    );
  });

  test('a payload that is no sync record goes to Catch only', async () => {
    mapping.receive({ topic: 'sale', payload: { amount: 100 } } as never);

    const [msg] = await caught.receive(1);
    assert.equal(
      msg.error.message,
      'Error: msg.payload is not a Square sync record',
    );
    await mapped.stays(1, 50);
    await held.stays(1, 0);
    assert.equal(lastStatus(mapping)?.fill, 'red');
  });
});
