import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from 'node-red';
import type { SquareClient } from '../../lib/square/client';
import { refundRecord } from '../../lib/square/fetch-record';
import type { SyncRecord } from '../../lib/sync/record';
import type { X3Result } from '../../lib/node-red/write-node';
import type { SquareEmulator } from '../../sandbox/square/emulator';
import type { X3Emulator } from '../../sandbox/x3/emulator';
import { GOLDEN } from '../../sandbox/seed/square-day';
import {
  goldenSale,
  Inbox,
  X3_SECRET,
  allModules,
  helper,
  lastStatus,
  load,
  ledgerOf,
  seedDate,
  startSquare,
  startX3,
  x3ChainFlow,
  x3ConfigNode,
  entryLines,
  type FlowNode,
} from './kit';

// Story: the X3 half of the example flow against the X3 emulator. A sale
// runs mapping -> X3 customer -> X3 invoice -> X3 GL post; a refund runs
// mapping -> X3 invoice (credit memo) -> X3 GL reversal. The golden sale
// becomes one invoice, one receipt entry and one fee entry; sending it
// again changes nothing in X3 and answers with the same numbers. The
// mug's return becomes a credit memo, the receipt's reversal and the
// part of the fee Square gave back.

type Out = { topic: string; payload: SyncRecord; x3: X3Result };

function flow(x3Url: string): FlowNode[] {
  return x3ChainFlow(x3ConfigNode('cfg-x3', x3Url));
}

describe('the X3 write chain', () => {
  const { modules } = allModules();
  let square: SquareEmulator;
  let client: SquareClient;
  let x3: X3Emulator;
  let sales: Inbox<Out>;
  let refunds: Inbox<Out>;
  let sale: SyncRecord;

  const send = (mappingId: string, record: SyncRecord) => {
    ledgerOf('cfg-ledger').receive(record);
    const node: Node = helper.getNode(mappingId);
    node.receive({ topic: record.kind, payload: record } as never);
  };

  before(async () => {
    ({ square, client } = await startSquare(seedDate()));
    const started = await startX3();
    x3 = started.x3;
    await load(modules, flow(started.url), {
      'cfg-x3': { secret: X3_SECRET },
    });
    sales = Inbox.of<Out>('sales');
    refunds = Inbox.of<Out>('refunds');
    sale = await goldenSale(client);
  });

  after(async () => {
    await helper.unload();
    await square.stop();
    await x3.stop();
  });

  test('the golden sale posts one invoice, one receipt and one fee entry', async () => {
    send('map-sales', sale);

    const [msg] = await sales.receive(1, 10_000);
    const docs = x3.documents();
    assert.equal(docs.invoices.length, 1);
    assert.equal(docs.entries.length, 2);

    const [invoice] = docs.invoices;
    assert.equal(invoice.salesSite, 'NYC01');
    assert.equal(invoice.billToCustomer, 'WALKIN');
    assert.equal(invoice.totalAmountExcludingTax, '28.80');
    assert.equal(invoice.totalTaxAmount, '2.56');
    assert.deepEqual(
      invoice.lines.map((l) => [l.product, l.quantity, l.netAmount]),
      [
        ['BEANS-HOUSE', '2', '21.60'],
        ['MUG-STD', '1', '7.20'],
      ],
    );

    const [receipt, fee] = docs.entries;
    assert.equal(receipt.journalEntryType, 'SQRCP');
    assert.deepEqual(entryLines(receipt), [
      ['CLEARING-CARD', '34.36', null],
      ['AR-TRADE', null, '31.36'],
      ['TIPS-PAYABLE', null, '3.00'],
    ]);
    assert.equal(fee.journalEntryType, 'SQFEE');
    assert.deepEqual(entryLines(fee), [
      ['FEES', '1.04', null],
      ['CLEARING-CARD', null, '1.04'],
    ]);

    assert.deepEqual(msg.x3, {
      customer: 'WALKIN',
      invoices: [invoice.id],
      entries: [receipt.id, fee.id],
      sent: 3,
    });
    const row = ledgerOf('cfg-ledger').get(sale.key);
    assert.equal(row?.state, 'posted');
    assert.match(lastStatus(helper.getNode('glpost'))?.text ?? '', /^2 posted/);
  });

  test('the same message again posts nothing, same numbers', async () => {
    const before = x3.documents();
    const first = sales.messages[0];

    send('map-sales', sale);

    const [, again] = await sales.receive(2, 10_000);
    const after = x3.documents();
    assert.equal(after.invoices.length, before.invoices.length);
    assert.equal(after.entries.length, before.entries.length);
    assert.equal(after.customers.length, before.customers.length);
    assert.deepEqual(again.x3, { ...first.x3, sent: 0 });
    assert.equal(ledgerOf('cfg-ledger').get(sale.key)?.state, 'posted');
    const duplicates = ledgerOf('cfg-ledger')
      .trailOf(sale.key)
      .filter((entry) => entry.stage === 'duplicate');
    assert.equal(duplicates.length, 3);
  });

  test('the mug return: credit memo, receipt reversal, fee back', async () => {
    const refund = await refundRecord(client, GOLDEN.itemisedRefundId, 'poll');
    assert.ok(refund);
    const before = x3.documents();

    send('map-refunds', refund);

    const [msg] = await refunds.receive(1, 10_000);
    const after = x3.documents();
    const memos = after.invoices.slice(before.invoices.length);
    const entries = after.entries.slice(before.entries.length);
    assert.deepEqual(
      memos.map((m) => [m.category, m.totalAmountIncludingTax]),
      [['creditMemo', '7.84']],
    );
    assert.deepEqual(
      memos[0].lines.map((l) => l.product),
      ['MUG-STD'],
    );
    assert.deepEqual(
      entries.map((e) => e.journalEntryType),
      ['SQREV', 'SQFEE'],
    );
    const [reversal, feeBack] = entries;
    assert.deepEqual(entryLines(reversal), [
      ['AR-TRADE', '7.84', null],
      ['CLEARING-CARD', null, '7.84'],
    ]);
    assert.deepEqual(entryLines(feeBack), [
      ['CLEARING-CARD', '0.24', null],
      ['FEES', null, '0.24'],
    ]);
    assert.deepEqual(msg.x3, {
      invoices: [memos[0].id],
      entries: [reversal.id, feeBack.id],
      sent: 3,
    });
    assert.equal(ledgerOf('cfg-ledger').get(refund.key)?.state, 'posted');
  });
});
