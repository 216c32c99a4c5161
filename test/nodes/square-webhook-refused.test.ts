import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import supertest from 'supertest';
import {
  SIGNATURE_KEY,
  SQUARE_TOKEN,
  allModules,
  calls,
  helper,
  ledgerNode,
  load,
  seedDate,
  sink,
  squareConfigNode,
  startSquare,
  tab,
  type FlowNode,
} from './kit';

// Story: someone keeps posting to the webhook path without the right
// signature. Each refusal's warning says which request it was (the
// address it came from, its size, the event id it claims) and never the
// signature it carried or the key.

const PATH = '/square/webhook';
const NOTIFICATION_URL = 'https://shop.example.test/square/webhook';
const EVENT_ID = '6a8f5f28-54a1-4eb0-a98a-3111513fd4fc';

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
      wires: [['records']],
    },
    sink('records'),
  ];
}

describe('sqx3-square-webhook: a refused delivery in the log', () => {
  const { modules, red } = allModules();
  let stopSquare: () => Promise<void>;

  before(async () => {
    const { square, url } = await startSquare(seedDate());
    stopSquare = () => square.stop();
    await load(modules, flow(url), {
      'cfg-square': { accessToken: SQUARE_TOKEN },
      webhook: { signatureKey: SIGNATURE_KEY },
    });
  });

  after(async () => {
    await helper.unload();
    await stopSquare();
  });

  async function refusal(body: string, signature?: string): Promise<string> {
    const node = helper.getNode('webhook');
    const before = calls(node, 'warn').length;
    const req = supertest(red().httpNode)
      .post(PATH)
      .set('content-type', 'application/json');
    if (signature) req.set('x-square-hmacsha256-signature', signature);
    const res = await req.send(body);
    assert.ok(res.status === 401 || res.status === 403, String(res.status));
    const warned = calls(node, 'warn').slice(before);
    assert.equal(warned.length, 1);
    return String(warned[0][0]);
  }

  const body = JSON.stringify({
    event_id: EVENT_ID,
    type: 'payment.updated',
    data: { id: 'PAYMENT1' },
  });

  test('an invalid signature: address, size and event id', async () => {
    const forged = createHmac('sha256', 'someone-elses-key')
      .update(NOTIFICATION_URL + body)
      .digest('base64');

    const line = await refusal(body, forged);

    assert.match(
      line,
      /^webhook refused: invalid signature; from \S*127\.0\.0\.1,/,
    );
    assert.ok(line.includes(`${Buffer.byteLength(body)} bytes`), line);
    assert.ok(line.includes(`event id ${EVENT_ID} (unverified)`), line);
    assert.ok(!line.includes(forged), 'no signature in the log');
    assert.ok(!line.includes(SIGNATURE_KEY), 'no key in the log');
  });

  test('a missing signature, a body that is not JSON', async () => {
    const line = await refusal('hello');

    assert.match(
      line,
      /^webhook refused: missing signature; from \S*127\.0\.0\.1, 5 bytes$/,
    );
  });

  test('an event id of a shape Square never sends is not repeated', async () => {
    const odd = JSON.stringify({ event_id: 'x\nwebhook accepted', type: 't' });

    const line = await refusal(odd);

    assert.ok(!line.includes('\n') && !line.includes('event id'), line);
  });
});
