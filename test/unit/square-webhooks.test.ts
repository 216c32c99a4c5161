import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySquareSignature } from '../../lib/square/webhook-signature';
import { createSquareEmulator } from '../../sandbox/square/emulator';

interface Delivery {
  headers: http.IncomingHttpHeaders;
  body: string;
}

describe('Square emulator webhook deliveries', () => {
  const received: Delivery[] = [];
  let failNext = 0;
  const receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.writeHead(failNext-- > 0 ? 500 : 200).end();
    });
  });
  const emu = createSquareEmulator({ seed: false, webhookRetryMs: [20, 40] });
  let url = '';

  before(async () => {
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const port = (receiver.address() as AddressInfo).port;
    url = `http://127.0.0.1:${port}/square/webhook`;
    await emu.start();
    emu.addWebhookSubscription({
      notificationUrl: url,
      signatureKey: 'test-signature-key',
    });
  });
  after(async () => {
    await emu.stop();
    await new Promise((r) => receiver.close(r));
  });

  test('a sale sends signed payment and order events', async () => {
    received.length = 0;
    const { order, payments } = emu.createSale({
      lines: [{ variationId: 'VAR_MUG', quantity: 1 }],
      tenders: [{ type: 'CARD', brand: 'MASTERCARD' }],
    });
    await emu.webhooks.settled();

    const types = received.map((d) => JSON.parse(d.body).type);
    assert.deepEqual(types, [
      'payment.created',
      'payment.updated',
      'order.updated',
    ]);
    for (const d of received) {
      const signature = d.headers['x-square-hmacsha256-signature'] as string;
      assert.ok(
        verifySquareSignature({
          signatureKey: 'test-signature-key',
          notificationUrl: url,
          rawBody: d.body,
          signature,
        }),
      );
      assert.ok(d.headers['x-square-signature']);
      assert.equal(d.headers['square-environment'], 'Sandbox');
      assert.ok(d.headers['square-initial-delivery-timestamp']);
      assert.equal(d.headers['square-retry-number'], undefined);
    }
    const first = JSON.parse(received[0].body);
    assert.equal(first.merchant_id, 'MLQ7SQX3DEMO1');
    assert.equal(first.data.type, 'payment');
    assert.equal(first.data.id, payments[0].id);
    assert.equal(first.data.object.payment.status, 'APPROVED');
    const last = JSON.parse(received[2].body);
    assert.equal(last.data.object.order_updated.order_id, order.id);
    assert.equal(last.data.object.order_updated.state, 'COMPLETED');
  });

  test('a failed delivery is retried with retry headers', async () => {
    received.length = 0;
    failNext = 1;
    emu.upsertCustomer({ given_name: 'Ada', family_name: 'Quill' });
    await emu.webhooks.settled();

    assert.equal(received.length, 2);
    const [first, retry] = received;
    assert.equal(first.body, retry.body);
    assert.equal(retry.headers['square-retry-number'], '1');
    assert.equal(retry.headers['square-retry-reason'], 'http_error');
    assert.equal(
      retry.headers['square-initial-delivery-timestamp'],
      first.headers['square-initial-delivery-timestamp'],
    );
    assert.equal(JSON.parse(first.body).type, 'customer.created');
  });

  test('duplicate fault delivers the same event id twice', async () => {
    received.length = 0;
    emu.setFault({ webhook: 'duplicate', count: 1 });
    emu.upsertCustomer({ given_name: 'Bo', family_name: 'Lake' });
    await emu.webhooks.settled();
    const ids = received.map((d) => JSON.parse(d.body).event_id);
    assert.equal(ids.length, 2);
    assert.equal(ids[0], ids[1]);
  });
});
