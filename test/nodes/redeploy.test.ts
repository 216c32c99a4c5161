import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import supertest from 'supertest';
import type { NodeAPI } from 'node-red';
import type { SquareEmulator } from '../../sandbox/square/emulator';
import {
  SIGNATURE_KEY,
  SQUARE_TOKEN,
  activeTimers,
  allModules,
  helper,
  ledgerNode,
  load,
  seedDate,
  sink,
  sleep,
  squareConfigNode,
  startSquare,
  tab,
  type FlowNode,
} from './kit';

// Story: a user deploys the webhook and poll nodes, then deploys again
// and again. Each deploy closes the old nodes and starts new ones, so
// the HTTP server keeps exactly one route and one raw-body capture for
// the webhook path, and exactly the new poll node's timers run. A poll
// still waiting on Square when its node is closed does not come back to
// arm a timer for a node that is gone.

const PATH = '/square/webhook';
const NOTIFICATION_URL = 'https://shop.example.test/square/webhook';

type Layer = { name: string; route?: { path: string } };

function flow(squareUrl: string, deploy: number): FlowNode[] {
  return [
    tab(),
    squareConfigNode('cfg-square', squareUrl),
    ledgerNode('cfg-ledger'),
    {
      id: 'webhook',
      type: 'sqx3-square-webhook',
      z: 'tab1',
      name: `webhook ${deploy}`,
      square: 'cfg-square',
      ledger: 'cfg-ledger',
      path: PATH,
      notificationUrl: NOTIFICATION_URL,
      wires: [['records']],
    },
    {
      id: 'poll',
      type: 'sqx3-square-poll',
      z: 'tab1',
      name: `poll ${deploy}`,
      square: 'cfg-square',
      ledger: 'cfg-ledger',
      startDelaySec: '3600',
      wires: [['records']],
    },
    sink('records'),
  ];
}

const credentials = {
  'cfg-square': { accessToken: SQUARE_TOKEN },
  webhook: { signatureKey: SIGNATURE_KEY },
};

function stackOf(RED: NodeAPI): Layer[] {
  return (RED.httpNode as unknown as { _router: { stack: Layer[] } })._router
    .stack;
}

function webhookLayers(RED: NodeAPI) {
  const stack = stackOf(RED);
  return {
    size: stack.length,
    routes: stack.filter((l) => l.route?.path === PATH).length,
    captures: stack.filter((l) => l.name === 'middleware').length,
    captureFirst: stack[0]?.name === 'middleware',
  };
}

describe('redeploying the webhook and poll nodes', () => {
  const { modules, red } = allModules();
  let square: SquareEmulator;
  let url: string;
  let timersBefore: number;
  let timersDeployed: number;
  let layers: ReturnType<typeof webhookLayers>;

  before(async () => {
    ({ square, url } = await startSquare(seedDate()));
    timersBefore = activeTimers();
    await load(modules, flow(url, 0), credentials);
    timersDeployed = activeTimers();
    layers = webhookLayers(red());
  });

  after(async () => {
    await helper.unload();
    await square.stop();
  });

  test('one deploy: one route, one capture ahead of it, and the poll timers', () => {
    assert.equal(layers.routes, 1);
    assert.equal(layers.captures, 1);
    assert.ok(layers.captureFirst, 'the raw-body capture runs first');
    assert.equal(timersDeployed - timersBefore, 2, 'next poll and daily sweep');
  });

  test('five full deploys leave the same layers and timers', async () => {
    for (let deploy = 1; deploy <= 5; deploy++) {
      await helper.setFlows(
        flow(url, deploy) as never,
        'full',
        credentials as never,
      );

      assert.equal(helper.getNode('poll').name, `poll ${deploy}`);
      assert.deepEqual(webhookLayers(red()), layers, `after deploy ${deploy}`);
      assert.equal(
        activeTimers(),
        timersDeployed,
        `timers after deploy ${deploy}`,
      );
    }

    const body = '{"event_id":"e-after-redeploys","type":"customer.deleted"}';
    const signature = createHmac('sha256', SIGNATURE_KEY)
      .update(NOTIFICATION_URL + body)
      .digest('base64');
    const res = await supertest(red().httpNode)
      .post(PATH)
      .set('content-type', 'application/json')
      .set('x-square-hmacsha256-signature', signature)
      .send(body);
    assert.equal(res.status, 200);
    assert.equal(res.text, 'accepted');
  });

  test('a poll in flight when its node closes arms no timer afterwards', async () => {
    square.setFault({ status: 400, path: '/v2/locations', delayMs: 300 });
    const old = helper.getNode('poll');
    const failed = new Promise((resolve) => old.once('call:error', resolve));
    old.receive({ topic: 'poll' } as never);
    await sleep(50);

    await helper.setFlows(flow(url, 6) as never, 'full', credentials as never);
    await failed;
    await sleep(50);

    assert.notEqual(helper.getNode('poll'), old);
    assert.equal(activeTimers(), timersDeployed);
  });

  test('unload removes the route, the capture and every timer', async () => {
    const RED = red();

    await helper.unload();

    const after = webhookLayers(RED);
    assert.equal(after.routes, 0);
    assert.equal(after.captures, 0);
    assert.equal(activeTimers(), timersBefore);
  });
});
