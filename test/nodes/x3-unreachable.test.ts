import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from 'node-red';
import type { SyncRecord } from '../../lib/sync/record';
import type { SquareEmulator } from '../../sandbox/square/emulator';
import { createX3Emulator, type X3Emulator } from '../../sandbox/x3/emulator';
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
  until,
  x3ChainFlow,
  x3ConfigNode,
} from './kit';
import { closedPort } from '../unit/closed-port';

// Story: X3 is down when a sale comes. The node whose call failed is not
// the only one to say so: every node using the X3 config shows "X3 not
// answering", the GL nodes the sale has not reached yet included. X3
// comes back during the retries; the sale posts, and the nodes it never
// reached lose the warning.

describe('X3 not answering', () => {
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
      x3ConfigNode('cfg-x3', `http://127.0.0.1:${port}`),
    );
    await load(modules, flow, { 'cfg-x3': { secret: X3_SECRET } });
    sale = await goldenSale(client);
  });

  after(async () => {
    await helper.unload();
    await square.stop();
    await x3?.stop();
  });

  test('shows on every node of the X3 config until X3 answers', async () => {
    const sales = Inbox.of('sales');
    const node = (id: string): Node => helper.getNode(id);
    const warned = (id: string) => {
      const status = lastStatus(node(id));
      return status?.fill === 'yellow' && status.text === 'X3 not answering';
    };

    ledgerOf('cfg-ledger').receive(sale);
    node('map-sales').receive({ topic: 'sale', payload: sale } as never);
    await until('the reversal node warned', () => warned('reversal'), 5000);
    assert.ok(warned('glpost'), 'the GL post node warned too');
    assert.equal(sales.messages.length, 0);

    // X3 back on the same address, before the write step gives up
    x3 = createX3Emulator();
    await x3.start(port, '127.0.0.1');
    await sales.receive(1, 15_000);
    assert.ok(!warned('reversal'), 'the warning is taken off');
    assert.deepEqual(lastStatus(node('reversal')), {});
    assert.match(String(lastStatus(node('glpost'))?.text), /posted/);
  });
});
