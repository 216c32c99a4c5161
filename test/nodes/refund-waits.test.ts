import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from 'node-red';
import {
  refundRecord,
  saleRecordForOrder,
} from '../../lib/square/fetch-record';
import { refundedSaleKey } from '../../lib/ledger/refund-gate';
import type { SyncRecord } from '../../lib/sync/record';
import type { SquareEmulator } from '../../sandbox/square/emulator';
import type { X3Emulator } from '../../sandbox/x3/emulator';
import { GOLDEN } from '../../sandbox/seed/square-day';
import {
  Inbox,
  X3_SECRET,
  allModules,
  helper,
  load,
  ledgerOf,
  seedDate,
  startSquare,
  startX3,
  x3ChainFlow,
  x3ConfigNode,
} from './kit';

// Story: the golden sale failed to reach X3, then its mug is returned.
// The refund is held naming the sale, and X3 gets no reversal of revenue
// it never had. Once the sale posts, the refund goes on by itself: the
// credit memo and the reversal follow, with no replay.

type Out = { topic: string; payload: SyncRecord; held?: string[] };

describe('a refund waits for its sale', () => {
  const { modules } = allModules();
  let square: SquareEmulator;
  let x3: X3Emulator;
  let sale: SyncRecord;
  let refund: SyncRecord;

  const send = (mappingId: string, record: SyncRecord) => {
    const node: Node = helper.getNode(mappingId);
    node.receive({ topic: record.kind, payload: record } as never);
  };

  before(async () => {
    let client;
    ({ square, client } = await startSquare(seedDate()));
    const started = await startX3();
    x3 = started.x3;
    await load(modules, x3ChainFlow(x3ConfigNode('cfg-x3', started.url)), {
      'cfg-x3': { secret: X3_SECRET },
    });
    sale = (await saleRecordForOrder(
      client,
      GOLDEN.orderId,
      'poll',
    )) as SyncRecord;
    refund = (await refundRecord(
      client,
      GOLDEN.itemisedRefundId,
      'poll',
    )) as SyncRecord;
  });

  after(async () => {
    await helper.unload();
    await square.stop();
    await x3.stop();
  });

  test('held while the sale failed, posted once the sale is', async () => {
    assert.equal(refundedSaleKey(refund), sale.key);
    const ledger = ledgerOf('cfg-ledger');
    ledger.receive(sale);
    ledger.setState(sale.key, 'failed', 'X3 answered 503');
    ledger.receive(refund);
    const held = Inbox.of<Out>('held');
    const refunds = Inbox.of<Out>('refunds');
    const sales = Inbox.of<Out>('sales');
    const before = x3.documents();

    send('map-refunds', refund);

    const [hold] = await held.receive(1, 5_000);
    assert.deepEqual(hold.held, [
      `its sale ${sale.key} is not in X3 yet (failed)`,
    ]);
    assert.equal(ledger.stateOf(refund.key), 'held');
    assert.equal(x3.documents().entries.length, before.entries.length);
    assert.equal(x3.documents().invoices.length, before.invoices.length);

    send('map-sales', sale);

    await sales.receive(1, 10_000);
    const [released] = await refunds.receive(1, 10_000);
    assert.equal(released.payload.key, refund.key);
    assert.equal(ledger.stateOf(refund.key), 'posted');
    const after = x3.documents();
    assert.deepEqual(
      after.invoices.slice(before.invoices.length).map((i) => i.category),
      ['invoice', 'creditMemo'],
    );
    assert.ok(ledger.trailOf(refund.key).some((t) => t.stage === 'released'));
  });
});
