import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  MODULES,
  PACKAGE_ROOT,
  SIGNATURE_KEY,
  SQUARE_TOKEN,
  X3_SECRET,
  allModules,
  helper,
  lastStatus,
  ledgerNode,
  load,
  seedDate,
  sink,
  squareConfigNode,
  startSquare,
  startX3,
  tab,
  writeNode,
  x3ConfigNode,
  type FlowNode,
} from './kit';

// Story: a user drops one of every node on a tab, points the three config
// nodes at Square, X3 and a ledger, and deploys. Every node starts and
// finds its config nodes; one whose config is gone says so.

const ids = { x3: 'cfg-x3', ledger: 'cfg-ledger' };

function everyNode(squareUrl: string, x3Url: string): FlowNode[] {
  const z = 'tab1';
  return [
    tab(),
    squareConfigNode('cfg-square', squareUrl),
    x3ConfigNode('cfg-x3', x3Url),
    ledgerNode('cfg-ledger'),
    {
      id: 'webhook',
      type: 'sqx3-square-webhook',
      z,
      square: 'cfg-square',
      ledger: 'cfg-ledger',
      path: '/square/webhook',
      notificationUrl: 'http://127.0.0.1:1880/square/webhook',
      wires: [['out']],
    },
    {
      id: 'poll',
      type: 'sqx3-square-poll',
      z,
      square: 'cfg-square',
      ledger: 'cfg-ledger',
      startDelaySec: '3600',
      wires: [['out']],
    },
    {
      id: 'mapping',
      type: 'sqx3-mapping',
      z,
      ledger: 'cfg-ledger',
      tables: '{}',
      wires: [['out'], ['out']],
    },
    writeNode('sqx3-x3-customer', 'customer', ids, [['out']]),
    writeNode('sqx3-x3-invoice', 'invoice', ids, [['out']]),
    writeNode('sqx3-x3-gl-post', 'glpost', ids, [['out']]),
    writeNode('sqx3-x3-gl-reversal', 'reversal', ids, [['out']]),
    {
      id: 'audit',
      type: 'sqx3-audit',
      z,
      ledger: 'cfg-ledger',
      wires: [['out'], ['out']],
    },
    writeNode(
      'sqx3-x3-invoice',
      'orphan',
      { x3: 'gone', ledger: 'cfg-ledger' },
      [[]],
    ),
    {
      id: 'reconcile',
      type: 'sqx3-reconcile',
      z,
      square: 'cfg-square',
      x3: 'cfg-x3',
      mapping: 'mapping',
      wires: [['out']],
    },
    sink('out'),
  ];
}

function packageNodes(): Record<string, string> {
  const file = path.join(PACKAGE_ROOT, 'package.json');
  return JSON.parse(fs.readFileSync(file, 'utf8'))['node-red'].nodes;
}

const credentials = {
  'cfg-square': { accessToken: SQUARE_TOKEN },
  'cfg-x3': { secret: X3_SECRET, username: 'sqx3', password: 'sqx3-demo' },
  webhook: { signatureKey: SIGNATURE_KEY },
};

describe('all eleven node types load together', () => {
  const { modules } = allModules();
  let stop: () => Promise<void>;
  let locations = 0;

  before(async () => {
    const { square, url: squareUrl } = await startSquare(seedDate());
    locations = square.store.locations.size;
    const { x3, url: x3Url } = await startX3();
    stop = async () => {
      await square.stop();
      await x3.stop();
    };
    await load(modules, everyNode(squareUrl, x3Url), credentials);
  });

  after(async () => {
    await helper.unload();
    await stop();
  });

  test('every type in package.json is registered and instantiated', () => {
    const nodes = packageNodes();
    assert.deepEqual(Object.keys(nodes).sort(), Object.keys(MODULES).sort());
    for (const [type, file] of Object.entries(nodes)) {
      assert.equal(file, `dist/nodes/${type}.js`);
    }
    assert.equal(modules.length, 12);
    for (const type of Object.keys(MODULES)) {
      const flowNodes = everyNode('', '').filter((n) => n.type === type);
      assert.ok(flowNodes.length > 0, `${type} is in the test flow`);
      for (const { id } of flowNodes) {
        const node = helper.getNode(id);
        assert.ok(node, `${id} (${type}) was created`);
        assert.equal(node.type, type);
      }
    }
  });

  test('the config nodes hand out their Square client, X3 gateway and ledger', () => {
    const square = helper.getNode('cfg-square') as any;
    const x3 = helper.getNode('cfg-x3') as any;
    const ledger = helper.getNode('cfg-ledger') as any;
    assert.equal(typeof square.client.listLocations, 'function');
    assert.deepEqual(square.locationIds, []);
    assert.equal(typeof x3.gateway.postDocument, 'function');
    const counts = Object.values(
      ledger.ledger.counts() as Record<string, number>,
    );
    assert.equal(
      counts.reduce((a, b) => a + b, 0),
      0,
    );
  });

  test('nodes that found their config nodes show no red status', () => {
    for (const id of [
      'webhook',
      'poll',
      'customer',
      'invoice',
      'glpost',
      'reversal',
      'audit',
    ]) {
      const status = lastStatus(helper.getNode(id));
      assert.notEqual(status?.fill, 'red', `${id}: ${status?.text}`);
    }
    assert.deepEqual(lastStatus(helper.getNode('webhook')), {
      fill: 'green',
      shape: 'dot',
      text: 'listening on /square/webhook',
    });
    assert.equal(
      lastStatus(helper.getNode('audit'))?.text,
      '0 posted · 0 held · 0 failed',
    );
  });

  test('a node whose X3 config is missing says so in red', () => {
    assert.deepEqual(lastStatus(helper.getNode('orphan')), {
      fill: 'red',
      shape: 'ring',
      text: 'missing config',
    });
  });

  test('"test connection" reaches both emulators', async () => {
    const square = await helper
      .request()
      .post('/sqx3/square-config/cfg-square/test');
    assert.equal(square.status, 200);
    assert.equal(square.body.ok, true);
    assert.equal(
      square.body.message,
      `${locations} locations, token does not expire`,
    );

    const x3 = await helper.request().post('/sqx3/x3-config/cfg-x3/test');
    assert.equal(x3.status, 200);
    assert.equal(x3.body.ok, true, x3.body.message);
    assert.equal(
      x3.body.message,
      'GraphQL ok (customers readable), api1 ok (3 sites)',
    );

    const missing = await helper.request().post('/sqx3/x3-config/nope/test');
    assert.equal(missing.status, 404);
  });
});
