import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from 'node-red';
import type { SyncRecord } from '../../lib/sync/record';
import type { SquareEmulator } from '../../sandbox/square/emulator';
import {
  seedSummary,
  type SquareDaySummary,
} from '../../sandbox/seed/square-day';
import {
  Inbox,
  SQUARE_TOKEN,
  allModules,
  helper,
  lastStatus,
  ledgerNode,
  load,
  ledgerOf,
  nextLog,
  seedDate,
  sink,
  squareConfigNode,
  startSquare,
  tab,
  type FlowNode,
} from './kit';

// Story: the poll node reads yesterday's seeded business day from the
// Square emulator. The first poll brings every completed sale, refund
// and new customer once; polls and sweeps that read the same day again
// bring nothing, and what Square gains later comes on the next poll, or
// sooner when a webhook wakes the node.

type Out = { topic: string; payload: SyncRecord };

function flow(squareUrl: string, date: string): FlowNode[] {
  return [
    tab(),
    squareConfigNode('cfg-square', squareUrl),
    ledgerNode('cfg-ledger'),
    {
      id: 'poll',
      type: 'sqx3-square-poll',
      z: 'tab1',
      square: 'cfg-square',
      ledger: 'cfg-ledger',
      kinds: 'sale,refund,customer',
      timeZone: 'America/New_York',
      backfillFrom: `${date}T00:00:00Z`,
      // two days of overlap: every poll re-reads the whole seeded day, so
      // "nothing new" is the ledger's doing, not an empty window
      overlapSec: '172800',
      startDelaySec: '3600',
      wires: [['records']],
    },
    sink('records'),
  ];
}

async function poll(node: Node, topic = 'poll'): Promise<string> {
  const polled = nextLog(node, 'polled', 10_000);
  node.receive({ topic } as never);
  return polled;
}

// The emulator completes a sale a few seconds after it opens; a sale
// opened now would be completed in the future, outside any poll window.
function aMinuteAgo(): string {
  return new Date(Date.now() - 60_000).toISOString();
}

function keysOf(messages: Out[], topic: string): string[] {
  return messages
    .filter((m) => m.topic === topic)
    .map((m) => m.payload.key)
    .sort();
}

describe('sqx3-square-poll against the seeded Square day', () => {
  const { modules } = allModules();
  const date = seedDate();
  let square: SquareEmulator;
  let summary: SquareDaySummary;
  let records: Inbox<Out>;
  let node: Node;

  before(async () => {
    const started = await startSquare(date);
    square = started.square;
    summary = seedSummary(date);
    await load(modules, flow(started.url, date), {
      'cfg-square': { accessToken: SQUARE_TOKEN },
    });
    records = Inbox.of<Out>('records');
    node = helper.getNode('poll');
  });

  after(async () => {
    await helper.unload();
    await square.stop();
  });

  test('the first poll emits each sale, refund and new customer once', async () => {
    await poll(node);
    await records.receive(35);
    await records.stays(35, 100);

    const newCustomers =
      summary.customers - summary.returningCustomerIds.length;
    assert.equal(summary.completedOrders, 30);
    assert.equal(summary.refunds, 2);
    assert.equal(newCustomers, 3);
    assert.equal(records.messages.length, 30 + 2 + newCustomers);

    const saleKeys = summary.completedOrderIds.map((id) => `sale:${id}`).sort();
    const refundKeys = summary.refundIds.map((id) => `refund:${id}`).sort();
    assert.deepEqual(keysOf(records.messages, 'sale'), saleKeys);
    assert.deepEqual(keysOf(records.messages, 'refund'), refundKeys);
    const customers = keysOf(records.messages, 'customer');
    assert.equal(customers.length, newCustomers);
    for (const key of customers) {
      const id = key.slice('customer:'.length);
      assert.ok(
        !summary.returningCustomerIds.includes(id),
        `${id} is new today`,
      );
    }

    assert.ok(records.messages.every((m) => m.payload.source === 'poll'));
    assert.ok(records.messages.every((m) => m.topic === m.payload.kind));
    assert.equal(ledgerOf('cfg-ledger').counts().received, 35);
    assert.match(
      lastStatus(node)?.text ?? '',
      /^next \d\d:\d\d E[SD]T · 35 synced$/,
    );
  });

  test('a second poll over the same day emits nothing new', async () => {
    const cursor = ledgerOf('cfg-ledger').getCursor('poll:poll');
    assert.ok(cursor, 'the first poll stored its cursor');

    const line = await poll(node);

    const begin = new Date(Date.parse(cursor) - 172_800_000).toISOString();
    assert.ok(line.startsWith(`polled ${begin}..`), line);
    await records.stays(35, 100);
  });

  test('the daily sweep re-reads 72 hours and emits nothing new', async () => {
    await poll(node, 'sweep');

    await records.stays(35, 100);
  });

  test('a sale made in Square since comes with the next poll', async () => {
    const { order } = square.createSale({
      at: aMinuteAgo(),
      locationId: 'L1HARBOURST01',
      lines: [{ variationId: 'VAR_MUG', quantity: 1 }],
    });

    await poll(node);

    const [msg] = (await records.receive(36)).slice(35);
    assert.equal(msg.payload.key, `sale:${order.id}`);
    await records.stays(36, 100);
  });

  test('a webhook on the same Square connection wakes the poll early', async () => {
    const { order } = square.createSale({
      at: aMinuteAgo(),
      locationId: 'L2MARKETSQ002',
      lines: [{ variationId: 'VAR_FILTERS', quantity: 2 }],
    });
    const polled = nextLog(node, 'polled', 5000);

    (helper.getNode('cfg-square') as any).bus.emit('wake', 'order.updated');

    await polled;
    const [msg] = (await records.receive(37)).slice(36);
    assert.equal(msg.payload.key, `sale:${order.id}`);
  });
});
