import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Node } from 'node-red';
import { customerRecord } from '../../lib/square/fetch-record';
import type { SquareClient } from '../../lib/square/client';
import type { SyncRecord } from '../../lib/sync/record';
import type { SquareEmulator } from '../../sandbox/square/emulator';
import { createX3Emulator, type X3Emulator } from '../../sandbox/x3/emulator';
import {
  goldenSale,
  Inbox,
  X3_SECRET,
  allModules,
  calls,
  helper,
  lastStatus,
  load,
  ledgerOf,
  seedDate,
  startSquare,
  statuses,
  until,
  x3ChainFlow,
  x3ConfigNode,
  type FlowNode,
} from './kit';
import { closedPort } from '../unit/closed-port';
import { NOT_ANSWERING, X3_USERS, duplicates, notAnswering } from './x3-down';

// Story: X3 is down and a sale is retrying when the user deploys the
// flow again. The new nodes start with no status of the old ones; once
// a call of theirs fails (a new Square customer here: the sale itself
// waits for the old flow's post of the same document, as the ledger
// file is the same) they show "X3 not answering". X3 comes up while the
// old flow still retries: the old config node, closed, paints and says
// nothing more, the new nodes lose the warning, and X3 holds each of
// the sale's documents once.

const credentials = { 'cfg-x3': { secret: X3_SECRET } };

function flow(x3Url: string, ledgerFile: string, deploy: number): FlowNode[] {
  return x3ChainFlow({
    ...x3ConfigNode('cfg-x3', x3Url),
    name: `X3 deploy ${deploy}`,
  }).map((n) => (n.id === 'cfg-ledger' ? { ...n, file: ledgerFile } : n));
}

describe('X3 not answering across a redeploy', () => {
  const { modules } = allModules();
  let square: SquareEmulator;
  let client: SquareClient;
  let x3: X3Emulator | undefined;
  let port: number;
  let dir: string;
  let sale: SyncRecord;

  before(async () => {
    ({ square, client } = await startSquare(seedDate()));
    port = await closedPort();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqx3-redeploy-'));
    const file = path.join(dir, 'ledger.sqlite');
    await load(modules, flow(`http://127.0.0.1:${port}`, file, 0), credentials);
    sale = await goldenSale(client);
  });

  after(async () => {
    await helper.unload();
    await square.stop();
    await x3?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const node = (id: string): Node => helper.getNode(id);
  const send = (record: SyncRecord) => {
    ledgerOf('cfg-ledger').receive(record);
    node('map-sales').receive({ topic: record.kind, payload: record } as never);
  };

  test('new nodes warn anew, the old config falls silent', async () => {
    const oldSales = Inbox.of('sales');
    send(sale);
    await until('the old nodes warned', () => notAnswering(node('reversal')));

    const old = new Map(X3_USERS.map((id) => [id, node(id)]));
    const oldConfig = node('cfg-x3');
    const seen = new Map([...old].map(([id, n]) => [id, statuses(n).length]));
    const configLines = () =>
      [...calls(oldConfig, 'log'), ...calls(oldConfig, 'warn')].length;
    const linesBefore = configLines();

    const file = path.join(dir, 'ledger.sqlite');
    await helper.setFlows(
      flow(`http://127.0.0.1:${port}`, file, 1) as never,
      'full',
      credentials as never,
    );
    for (const id of X3_USERS) {
      assert.notEqual(node(id), old.get(id), `${id} is a new node`);
      assert.deepEqual(statuses(node(id)), [], `${id} starts blank`);
    }

    // what the poll would do: the sale again, then a new customer
    const sales = Inbox.of('sales');
    send(sale);
    await until('the new invoice node took the sale', () =>
      statuses(node('invoice')).some((s) => s.fill === 'blue'),
    );
    const customer = square.upsertCustomer({
      given_name: 'Ines',
      family_name: 'Redeploy',
      email_address: 'ines.redeploy@example.com',
    });
    send((await customerRecord(client, customer.id, 'poll')) as SyncRecord);
    await until('the new nodes warned', () =>
      X3_USERS.every((id) => notAnswering(node(id))),
    );

    // X3 back on the same address while the old flow still retries
    x3 = createX3Emulator();
    await x3.start(port, '127.0.0.1');
    await sales.receive(2, 20_000);
    await sales.stays(2);

    const docs = x3.documents();
    assert.equal(docs.invoices.length, 1, 'one invoice');
    assert.equal(docs.entries.length, 2, 'a receipt and a fee entry');
    assert.deepEqual(duplicates(x3), []);
    const ledger = ledgerOf('cfg-ledger');
    assert.equal(ledger.get(sale.key)?.state, 'posted');
    // the old flow's retry is what posted the invoice; the new one found it
    const stages = ledger.trailOf(sale.key).map((t) => t.stage);
    assert.ok(stages.includes('found-in-x3'), stages.join(', '));

    for (const id of X3_USERS) {
      assert.ok(!notAnswering(node(id)), `new ${id} still warned`);
    }
    assert.deepEqual(lastStatus(node('reversal')), {});

    assert.equal(oldSales.messages.length, 0, 'the old flow sent nothing');
    assert.equal(configLines(), linesBefore, 'the old config said nothing');
    for (const [id, oldNode] of old) {
      const later = statuses(oldNode).slice(seen.get(id));
      const painted = later.filter(
        (s) =>
          s.fill === undefined ||
          (s.fill === NOT_ANSWERING.fill && s.text === NOT_ANSWERING.text),
      );
      assert.deepEqual(painted, [], `the old config painted old ${id}`);
      // only the old invoice node had work in flight to fail on its own
      if (id !== 'invoice') assert.deepEqual(later, [], `old ${id} painted`);
    }
  });
});
