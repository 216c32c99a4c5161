import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SquareClient } from '../../lib/square/client';

// The client reads what Square sends as it is: unknown fields and enum
// values stay, timestamps keep their precision, integers stay exact, and
// an amount a JS number cannot hold exactly fails instead of rounding.

describe('SquareClient tolerant parsing', () => {
  let body = '';
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  let client: SquareClient;

  before(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    client = new SquareClient({
      baseUrl: `http://127.0.0.1:${port}`,
      getAccessToken: async () => 't',
      backoff: { attempts: 1, baseMs: 1, maxMs: 1 },
    });
  });
  after(() => new Promise((r) => server.close(r)));

  test('unknown fields, new enum values and 9-digit timestamps are kept', async () => {
    body =
      '{"payment":{"id":"p1","status":"SOMETHING_NEW","created_at":' +
      '"2019-10-29T18:38:45.455006797Z","updated_at":"2020-05-08T21:41:12-05:00",' +
      '"brand_new_field":{"x":[1,2]},"total_money":{"amount":9007199254740991,' +
      '"currency":"USD"}}}';
    const payment = await client.getPayment('p1');
    assert.equal(payment.status, 'SOMETHING_NEW');
    assert.deepEqual(payment.brand_new_field, { x: [1, 2] });
    assert.equal(payment.created_at, '2019-10-29T18:38:45.455006797Z');
    const created = Date.parse(payment.created_at as string);
    assert.equal(created, Date.parse('2019-10-29T18:38:45.455Z'));
    assert.equal(
      Date.parse(payment.updated_at as string),
      Date.parse('2020-05-09T02:41:12Z'),
    );
    assert.equal(payment.total_money?.amount, Number.MAX_SAFE_INTEGER);
  });

  test('an amount past 2^53 fails, not rounds', async () => {
    body =
      '{"payment":{"id":"p2","total_money":' +
      '{"amount":9007199254740993,"currency":"USD"}}}';
    await assert.rejects(
      client.getPayment('p2'),
      (error: any) =>
        error.code === 'SQUARE_UNSAFE_AMOUNT' && error.retryable === false,
    );
  });
});
