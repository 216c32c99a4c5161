import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import supertest from 'supertest';
import type { Node } from 'node-red';
import {
  customerRecord,
  saleRecordForOrder,
} from '../../lib/square/fetch-record';
import type { SquareClient } from '../../lib/square/client';
import type { SyncRecord } from '../../lib/sync/record';
import type { SquareEmulator } from '../../sandbox/square/emulator';
import type { X3Emulator } from '../../sandbox/x3/emulator';
import { GOLDEN, returningCustomers } from '../../sandbox/seed/square-day';
import {
  Inbox,
  SIGNATURE_KEY,
  SQUARE_TOKEN,
  X3_SECRET,
  allModules,
  helper,
  lastStatus,
  ledgerOf,
  load,
  mappingNode,
  seedDate,
  sink,
  squareConfigNode,
  startSquare,
  startX3,
  statuses,
  tab,
  until,
  writeNode,
  x3ConfigNode,
  type FlowNode,
} from './kit';

// Story: a write node or the webhook node turns red itself when a ledger
// call fails under it. Once the ledger works again, whether or not the
// ledger node ever showed the trouble, each of them goes back to the
// status it shows when all is well: its count, or the path it listens on.

const CHECK_MS = 40;
const PATH = '/square/webhook';
const NOTIFICATION_URL = 'https://shop.example.test/square/webhook';

type Msg = { topic: string; payload: SyncRecord; mapping?: unknown };

const cfg = { x3: 'cfg-x3', ledger: 'cfg-ledger' };

function flow(file: string, x3Url: string, squareUrl: string): FlowNode[] {
  return [
    tab(),
    x3ConfigNode('cfg-x3', x3Url),
    squareConfigNode('cfg-square', squareUrl),
    { id: 'cfg-ledger', type: 'sqx3-ledger', name: 'ledger', file },
    mappingNode('map', 'cfg-ledger', [['mapped'], ['held']]),
    writeNode('sqx3-x3-customer', 'customer', cfg, [['out']]),
    writeNode('sqx3-x3-invoice', 'invoice', cfg, [['out']]),
    {
      id: 'webhook',
      type: 'sqx3-square-webhook',
      z: 'tab1',
      square: 'cfg-square',
      ledger: 'cfg-ledger',
      path: PATH,
      notificationUrl: NOTIFICATION_URL,
      wires: [[]],
    },
    sink('mapped'),
    sink('held'),
    sink('out'),
  ];
}

const green = (text: string) => ({ fill: 'green', shape: 'dot', text });

describe('ledger trouble on the write and webhook nodes', () => {
  const { modules, red } = allModules();
  let dir: string;
  let square: SquareEmulator;
  let client: SquareClient;
  let x3: X3Emulator;
  let x3Url: string;
  let squareUrl: string;
  let sale: SyncRecord;
  let customer: SyncRecord;

  /** The record through the mapping node, as the write nodes get it. */
  const mapped = async (record: SyncRecord): Promise<Msg> => {
    const inbox = Inbox.of<Msg>('mapped');
    ledgerOf('cfg-ledger').receive(record);
    helper.getNode('map').receive({ topic: record.kind, payload: record });
    const [msg] = await inbox.receive(1);
    ledgerOf('cfg-ledger').flush();
    return msg;
  };

  const start = async (name: string) => {
    const file = path.join(dir, name);
    await load(modules, flow(file, x3Url, squareUrl), {
      'cfg-x3': { secret: X3_SECRET },
      'cfg-square': { accessToken: SQUARE_TOKEN },
      webhook: { signatureKey: SIGNATURE_KEY },
    });
    return file;
  };

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqx3-ledger-trouble-'));
    helper.settings({ sqx3LedgerCheckMs: CHECK_MS } as never);
    let url: string;
    ({ square, client, url } = await startSquare(seedDate()));
    squareUrl = url;
    const started = await startX3();
    x3 = started.x3;
    x3Url = started.url;
    sale = (await saleRecordForOrder(client, GOLDEN.orderId, 'poll'))!;
    const [known] = returningCustomers();
    customer = (await customerRecord(client, known.id, 'poll'))!;
  });

  afterEach(async () => {
    await helper.unload();
  });

  after(async () => {
    helper.settings({});
    await square.stop();
    await x3.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a read-only ledger: red on the write nodes, then their counts', async () => {
    const file = await start('read-only.sqlite');
    const invoice: Node = helper.getNode('invoice');
    const customerNode: Node = helper.getNode('customer');
    const saleMsg = await mapped(sale);
    const customerMsg = await mapped(customer);

    fs.chmodSync(file, 0o444);
    await until('the ledger shows its trouble', () =>
      [invoice, customerNode].every((n) => lastStatus(n)?.fill === 'red'),
    );
    invoice.receive(saleMsg);
    customerNode.receive(customerMsg);
    await until('the invoice node red itself', () =>
      statuses(invoice).some((s) => s.text === 'ledger not writable'),
    );
    await until('the customer node red itself', () =>
      statuses(customerNode).some((s) => /LEDGER|ledger/.test(s.text ?? '')),
    );
    assert.equal(lastStatus(invoice)?.fill, 'red');
    assert.equal(lastStatus(customerNode)?.fill, 'red');

    fs.chmodSync(file, 0o600);
    await until('the invoice node shows its count', () =>
      same(lastStatus(invoice), green('0 posted')),
    );
    await until('the customer node shows its count', () =>
      same(lastStatus(customerNode), green('0 customers synced')),
    );
    // the mapping node, red only through the ledger node, gets its counts
    const map: Node = helper.getNode('map');
    assert.ok(statuses(map).some((s) => s.fill === 'red'));
    await until('the mapping node shows its counts', () =>
      same(lastStatus(map), green('2 mapped · 0 held')),
    );
    assert.equal(x3.documents().invoices.length, 0);
  });

  test('a commit that fails under the invoice node: red, then its count', async () => {
    await start('failed-commit.sqlite');
    const invoice: Node = helper.getNode('invoice');
    const saleMsg = await mapped(sale);

    // the next commit, holding the invoice's `posting` mark, fails on I/O
    const store = ledgerOf('cfg-ledger');
    const db = (store as unknown as { db: { exec(sql: string): unknown } }).db;
    const exec = db.exec.bind(db);
    let failing = true;
    db.exec = (sql: string) => {
      if (sql === 'COMMIT' && failing) {
        failing = false;
        throw new Error('disk I/O error');
      }
      return exec(sql);
    };
    invoice.receive(saleMsg);

    await until('the invoice node red itself', () =>
      statuses(invoice).some((s) => s.text === 'ledger not writable'),
    );
    await until('the invoice node shows its count', () =>
      same(lastStatus(invoice), green('0 posted')),
    );
    // the ledger node reopened the file without showing any trouble
    const reds = statuses(invoice).filter((s) => s.fill === 'red');
    assert.deepEqual(
      reds.map((s) => s.text),
      ['ledger not writable'],
    );
    assert.equal(x3.documents().invoices.length, 0);
  });

  test('a delivery the ledger cannot store: red, then listening again', async () => {
    const file = await start('webhook.sqlite');
    const webhook: Node = helper.getNode('webhook');
    const body = JSON.stringify({
      event_id: 'evt-ledger-read-only',
      type: 'customer.updated',
      data: { type: 'customer', id: 'NO_SUCH_CUSTOMER' },
    });
    const signature = createHmac('sha256', SIGNATURE_KEY)
      .update(NOTIFICATION_URL + body)
      .digest('base64');

    fs.chmodSync(file, 0o444);
    await until('the ledger shows its trouble', () =>
      same(lastStatus(webhook), {
        fill: 'red',
        shape: 'ring',
        text: 'ledger file read-only',
      }),
    );
    const res = await supertest(red().httpNode)
      .post(PATH)
      .set('content-type', 'application/json')
      .set('x-square-hmacsha256-signature', signature)
      .send(body);
    assert.equal(res.status, 503);
    assert.deepEqual(lastStatus(webhook), {
      fill: 'red',
      shape: 'ring',
      text: 'sqx3-square-webhook.status.ledgerUnavailable',
    });

    fs.chmodSync(file, 0o600);
    await until('the webhook node listens again', () =>
      same(lastStatus(webhook), green(`listening on ${PATH}`)),
    );
  });
});

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
