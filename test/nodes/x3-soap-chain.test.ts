import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from 'node-red';
import { customerRecord, refundRecord } from '../../lib/square/fetch-record';
import type { SquareClient } from '../../lib/square/client';
import type { SyncRecord } from '../../lib/sync/record';
import type { X3Result } from '../../lib/node-red/write-node';
import type { SquareEmulator } from '../../sandbox/square/emulator';
import type { X3Emulator } from '../../sandbox/x3/emulator';
import { GOLDEN } from '../../sandbox/seed/square-day';
import {
  soapConfigNode,
  SOAP_CREDENTIALS,
  goldenSale,
  Inbox,
  allModules,
  calls,
  helper,
  load,
  ledgerOf,
  seedDate,
  startSquare,
  startX3,
  x3ChainFlow,
  entryLines,
  type FlowNode,
} from './kit';

// Story: the X3 half of the example flow with the X3 config node set to
// the SOAP transport. The golden sale runs mapping -> customer -> invoice
// -> GL post and X3 holds its invoice, receipt and fee entry once, all
// written through classic SOAP (no GraphQL call at all); the same sale
// again posts nothing new and answers with the same numbers. The config
// node's "test connection" queries the three publications. A Square
// customer with an accented name becomes an X3 customer, intact. The
// mug's return becomes a credit memo and the receipt's reversal.

type Out = { topic: string; payload: SyncRecord; x3: X3Result };

function flow(x3Url: string): FlowNode[] {
  return x3ChainFlow(soapConfigNode('cfg-x3', x3Url));
}

describe('the X3 write chain over SOAP', () => {
  const { modules } = allModules();
  let square: SquareEmulator;
  let x3: X3Emulator;
  let sales: Inbox<Out>;
  let sale: SyncRecord;
  let client: SquareClient;

  const send = (record: SyncRecord, mapping = 'map-sales') => {
    ledgerOf('cfg-ledger').receive(record);
    const node: Node = helper.getNode(mapping);
    node.receive({ topic: record.kind, payload: record } as never);
  };

  before(async () => {
    ({ square, client } = await startSquare(seedDate()));
    const started = await startX3();
    x3 = started.x3;
    await new Promise<void>((resolve) => helper.startServer(resolve));
    // SOAP credentials only: GraphQL reads fall back to the SOAP user.
    await load(modules, flow(started.url), {
      'cfg-x3': SOAP_CREDENTIALS,
    });
    sales = Inbox.of<Out>('sales');
    sale = await goldenSale(client);
  });

  after(async () => {
    await helper.unload();
    await new Promise<void>((resolve) => helper.stopServer(() => resolve()));
    await square.stop();
    await x3.stop();
  });

  test('the golden sale: one invoice, a receipt and a fee entry', async () => {
    send(sale);

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
    assert.equal(ledgerOf('cfg-ledger').get(sale.key)?.state, 'posted');
    const stats = x3.stats();
    assert.equal(stats.graphqlMutations, 0);
    assert.equal(stats.graphqlQueries, 0);
    assert.ok(stats.requests >= 3, `${stats.requests} requests`);

    // the config node said once that GraphQL reads use the SOAP user
    const warned = calls(helper.getNode('cfg-x3'), 'warn').map(String);
    assert.ok(warned.some((w) => /GraphQL reads use the SOAP user/.test(w)));
  });

  test('the same sale again posts nothing new, same numbers', async () => {
    const before = x3.documents();
    const requests = x3.stats().requests;
    const first = sales.messages[0];

    send(sale);

    const [, again] = await sales.receive(2, 10_000);
    const after = x3.documents();
    assert.equal(after.invoices.length, before.invoices.length);
    assert.equal(after.entries.length, before.entries.length);
    assert.deepEqual(again.x3, { ...first.x3, sent: 0 });
    assert.equal(x3.stats().requests, requests);
    assert.equal(ledgerOf('cfg-ledger').get(sale.key)?.state, 'posted');
  });

  test('"test connection" queries each SOAP publication', async () => {
    const res = await helper.request().post('/sqx3/x3-config/cfg-x3/test');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, {
      ok: true,
      message: 'SOAP ok (pool SEED: YBPC, YWSSIH, WSGAS answer)',
    });
  });

  test('a customer named with accents is created intact', async () => {
    const customer = square.upsertCustomer({
      given_name: 'Maria',
      family_name: 'da Conceição',
      email_address: 'maria.conceicao@example.com',
    });
    const count = sales.messages.length;
    send((await customerRecord(client, customer.id, 'poll')) as SyncRecord);

    const [msg] = (await sales.receive(count + 1, 10_000)).slice(count);
    const code = String(msg.x3.customer);
    const stored = x3.documents().customers.filter((c) => c.code === code);
    assert.equal(stored.length, 1);
    assert.equal(stored[0].companyName, 'Maria da Conceição');
    assert.equal(ledgerOf('cfg-ledger').x3Customer(customer.id), code);
    assert.equal(x3.stats().graphqlMutations, 0);
  });

  test('the mug return: a credit memo and the reversals', async () => {
    const refund = await refundRecord(client, GOLDEN.itemisedRefundId, 'poll');
    assert.ok(refund);
    const before = x3.documents();
    const refunds = Inbox.of<Out>('refunds');

    send(refund, 'map-refunds');

    const [msg] = await refunds.receive(1, 10_000);
    const after = x3.documents();
    const memos = after.invoices.slice(before.invoices.length);
    const entries = after.entries.slice(before.entries.length);
    assert.deepEqual(
      memos.map((m) => [m.category, m.totalAmountIncludingTax]),
      [['creditMemo', '7.84']],
    );
    assert.deepEqual(
      entries.map((e) => [e.journalEntryType, entryLines(e)]),
      [
        [
          'SQREV',
          [
            ['AR-TRADE', '7.84', null],
            ['CLEARING-CARD', null, '7.84'],
          ],
        ],
        [
          'SQFEE',
          [
            ['CLEARING-CARD', '0.24', null],
            ['FEES', null, '0.24'],
          ],
        ],
      ],
    );
    assert.deepEqual(msg.x3, {
      invoices: [memos[0].id],
      entries: entries.map((e) => e.id),
      sent: 1 + entries.length,
    });
    assert.equal(ledgerOf('cfg-ledger').get(refund.key)?.state, 'posted');
  });
});
