import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import supertest from 'supertest';
import type { SyncRecord } from '../../lib/sync/record';
import { GOLDEN } from '../../sandbox/seed/square-day';
import {
  Inbox,
  SIGNATURE_KEY,
  SQUARE_TOKEN,
  allModules,
  calls,
  helper,
  ledgerNode,
  load,
  ledgerOf,
  seedDate,
  sink,
  squareConfigNode,
  startSquare,
  tab,
  type FlowNode,
} from './kit';

// Story: Square POSTs a signed event to the webhook node's path on
// Node-RED's HTTP server. A good signature gets a 200 and the sale the
// event is about comes out of the node; anything forged, altered, too
// big or repeated gets the documented answer and emits nothing.

const PATH = '/square/webhook';
const NOTIFICATION_URL = 'https://shop.example.test/square/webhook';
const MAX_BYTES = 8192;

type Event = { event_id: string; type: string; data: { id: string } };
type Out = { topic: string; payload: SyncRecord };

function sign(body: string, key = SIGNATURE_KEY): string {
  return createHmac('sha256', key)
    .update(NOTIFICATION_URL + body)
    .digest('base64');
}

function flow(squareUrl: string): FlowNode[] {
  return [
    tab(),
    squareConfigNode('cfg-square', squareUrl),
    ledgerNode('cfg-ledger'),
    {
      id: 'webhook',
      type: 'sqx3-square-webhook',
      z: 'tab1',
      square: 'cfg-square',
      ledger: 'cfg-ledger',
      path: PATH,
      notificationUrl: NOTIFICATION_URL,
      maxBytes: String(MAX_BYTES),
      wires: [['records']],
    },
    sink('records'),
  ];
}

describe('sqx3-square-webhook', () => {
  const { modules, red } = allModules();
  let events: Event[];
  let stopSquare: () => Promise<void>;
  let records: Inbox<Out>;
  let http: () => supertest.Agent;

  const deliver = (body: string, signature?: string) => {
    const req = http().post(PATH).set('content-type', 'application/json');
    if (signature !== undefined)
      req.set('x-square-hmacsha256-signature', signature);
    return req.send(body);
  };

  before(async () => {
    const { square, url } = await startSquare(seedDate());
    events = square.events() as Event[];
    stopSquare = () => square.stop();
    await load(modules, flow(url), {
      'cfg-square': { accessToken: SQUARE_TOKEN },
      webhook: { signatureKey: SIGNATURE_KEY },
    });
    const app = red().httpNode;
    http = () => supertest(app);
    records = Inbox.of<Out>('records');
  });

  after(async () => {
    await helper.unload();
    await stopSquare();
  });

  test('a signed payment.updated answers 200 and emits its sale', async () => {
    const event = events.find(
      (e) => e.type === 'payment.updated' && e.data.id === GOLDEN.paymentId,
    ) as Event;
    const body = JSON.stringify(event);
    const woken: string[] = [];
    (helper.getNode('cfg-square') as any).bus.once('wake', (type: string) =>
      woken.push(type),
    );

    const res = await deliver(body, sign(body));

    assert.equal(res.status, 200);
    assert.equal(res.text, 'accepted');
    const [msg] = await records.receive(1);
    assert.equal(msg.topic, 'sale');
    assert.equal(msg.payload.key, `sale:${GOLDEN.orderId}`);
    assert.equal(msg.payload.source, 'webhook');
    assert.equal(msg.payload.square.order?.total_money?.amount, 3436);
    assert.deepEqual(
      msg.payload.square.payments?.map((p) => p.id),
      [GOLDEN.paymentId],
    );
    assert.deepEqual(woken, ['payment.updated']);
    assert.equal(
      ledgerOf('cfg-ledger').get(msg.payload.key)?.state,
      'received',
    );
  });

  test('the same event delivered twice emits one record', async () => {
    const event = events.find((e) => e.type === 'customer.created') as Event;
    const body = JSON.stringify(event);
    const before = records.messages.length;

    const first = await deliver(body, sign(body));
    const second = await deliver(body, sign(body));

    assert.equal(first.status, 200);
    assert.equal(second.status, 200);
    assert.equal(second.text, 'duplicate event');
    const all = await records.receive(before + 1);
    assert.equal(all[before].payload.key, `customer:${event.data.id}`);
    await records.stays(before + 1);
  });

  test('a delivery without a signature gets 401 and emits nothing', async () => {
    const body = JSON.stringify(events.find((e) => e.type === 'order.updated'));
    const before = records.messages.length;

    const res = await deliver(body);

    assert.equal(res.status, 401);
    await records.stays(before);
  });

  test('a wrong signature gets 403', async () => {
    const body = JSON.stringify(events.find((e) => e.type === 'order.updated'));
    const before = records.messages.length;

    const res = await deliver(body, sign(body, 'someone-elses-key'));

    assert.equal(res.status, 403);
    await records.stays(before);
    const warned = calls(helper.getNode('webhook'), 'warn').map((a) => a[0]);
    assert.ok(
      warned.some((w) =>
        String(w).startsWith('webhook refused: invalid signature;'),
      ),
    );
  });

  test('the signed body re-serialised (pretty-printed) gets 403', async () => {
    const event = events.find((e) => e.type === 'refund.updated');
    const body = JSON.stringify(event);
    const pretty = JSON.stringify(event, null, 2);
    const before = records.messages.length;

    const res = await deliver(pretty, sign(body));

    assert.equal(res.status, 403);
    await records.stays(before);
  });

  test('a body over maxBytes gets 413, however well signed', async () => {
    const event = events.find((e) => e.type === 'order.updated');
    const body = JSON.stringify({ ...event, padding: 'x'.repeat(MAX_BYTES) });
    assert.ok(Buffer.byteLength(body) > MAX_BYTES);

    const res = await deliver(body, sign(body));

    assert.equal(res.status, 413);
  });

  test('after unload the path is gone from the HTTP server', async () => {
    const body = JSON.stringify(events[0]);
    assert.equal((await deliver(body)).status, 401);

    await helper.unload();

    assert.equal((await deliver(body, sign(body))).status, 404);
  });
});
