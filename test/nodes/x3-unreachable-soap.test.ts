import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from 'node-red';
import type { SyncRecord } from '../../lib/sync/record';
import type { SquareEmulator } from '../../sandbox/square/emulator';
import { createX3Emulator, type X3Emulator } from '../../sandbox/x3/emulator';
import {
  soapConfigNode,
  SOAP_CREDENTIALS,
  goldenSale,
  Inbox,
  allModules,
  helper,
  lastStatus,
  load,
  ledgerOf,
  seedDate,
  startSquare,
  until,
  x3ChainFlow,
} from './kit';
import { closedPort } from '../unit/closed-port';
import { X3_USERS, duplicates, notAnswering } from './x3-down';

// Story: the X3 config posts through classic SOAP, and X3 is down when a
// sale comes. The SOAP call that met a closed port makes every node of
// that config show "X3 not answering", not only the one that called.
// X3 comes up on that address during the retries: the sale's invoice
// and entries are in X3 once each, and the warning is gone everywhere.

describe('X3 not answering over SOAP', () => {
  const { modules } = allModules();
  let square: SquareEmulator;
  let x3: X3Emulator | undefined;
  let port: number;
  let sale: SyncRecord;

  before(async () => {
    let client;
    ({ square, client } = await startSquare(seedDate()));
    port = await closedPort();
    const flow = x3ChainFlow(
      soapConfigNode('cfg-x3', `http://127.0.0.1:${port}`),
    );
    await load(modules, flow, {
      'cfg-x3': SOAP_CREDENTIALS,
    });
    sale = await goldenSale(client);
  });

  after(async () => {
    await helper.unload();
    await square.stop();
    await x3?.stop();
  });

  test('a refused SOAP call warns every node until X3 answers', async () => {
    const sales = Inbox.of('sales');
    const node = (id: string): Node => helper.getNode(id);
    const warned = (id: string) => notAnswering(node(id));

    ledgerOf('cfg-ledger').receive(sale);
    node('map-sales').receive({ topic: 'sale', payload: sale } as never);
    await until('the reversal node warned', () => warned('reversal'), 5000);
    for (const id of X3_USERS) assert.ok(warned(id), `${id} warned`);
    assert.equal(sales.messages.length, 0);

    // X3 back on the same address, before the invoice step gives up
    x3 = createX3Emulator();
    await x3.start(port, '127.0.0.1');
    await sales.receive(1, 15_000);

    const docs = x3.documents();
    assert.equal(docs.invoices.length, 1, 'one invoice');
    assert.equal(docs.entries.length, 2, 'a receipt and a fee entry');
    assert.deepEqual(duplicates(x3), []);
    assert.equal(x3.stats().graphqlMutations, 0, 'written through SOAP');
    assert.equal(ledgerOf('cfg-ledger').get(sale.key)?.state, 'posted');

    for (const id of X3_USERS) assert.ok(!warned(id), `${id} still warned`);
    assert.deepEqual(lastStatus(node('reversal')), {});
    assert.deepEqual(lastStatus(node('memo')), {});
    assert.match(String(lastStatus(node('glpost'))?.text), /posted/);
    await sales.stays(1);
  });
});
