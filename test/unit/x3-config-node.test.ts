import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { NodeInitializer } from 'node-red';
import { createX3Emulator } from '../../sandbox/x3/emulator';
import {
  Inbox,
  allModules,
  helper,
  lastStatus,
  load,
  sink,
  tab,
  x3ConfigNode,
} from '../nodes/kit';

// The X3 config node in Node-RED (through the test helper): "test
// connection", cloud tokens that survive a restart right after a refresh,
// and a dead refresh token that turns the write nodes red and reaches
// Catch.

const catchNode =
  require('@node-red/nodes/core/common/25-catch.js') as NodeInitializer;
const CLOUD = {
  clientId: 'cloud-app',
  clientSecret: 'cloud-secret',
  refreshToken: 'entered-refresh-token',
};
let clock = Date.parse('2026-06-01T09:00:00Z');
const x3 = createX3Emulator({ now: () => clock, cloud: CLOUD });
const { modules } = allModules();
let url = '';
let dir = '';

before(async () => {
  url = await x3.start();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqx3-x3-config-'));
  helper.settings({ userDir: dir });
  await new Promise<void>((resolve) => helper.startServer(resolve));
});
afterEach(() => helper.unload());
after(async () => {
  await new Promise<void>((resolve) => helper.stopServer(resolve));
  await x3.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

function flow(auth: Record<string, string>) {
  return [
    tab(),
    { ...x3ConfigNode('cfg-x3', url), ...auth },
    { id: 'cfg-ledger', type: 'sqx3-ledger', name: 'l', file: ':memory:' },
    {
      id: 'inv',
      type: 'sqx3-x3-invoice',
      z: 'tab1',
      x3: 'cfg-x3',
      ledger: 'cfg-ledger',
      wires: [['out']],
    },
    {
      id: 'gl',
      type: 'sqx3-x3-gl-post',
      z: 'tab1',
      x3: 'cfg-x3',
      ledger: 'cfg-ledger',
      wires: [['out']],
    },
    {
      id: 'catcher',
      type: 'catch',
      z: 'tab1',
      scope: null,
      uncaught: false,
      wires: [['caught']],
    },
    sink('out'),
    sink('caught'),
  ];
}

const cloudNode = {
  authMode: 'cloud-oauth',
  clientId: CLOUD.clientId,
  tokenUrl: '',
};

async function testConnection() {
  const res = await helper.request().post('/sqx3/x3-config/cfg-x3/test');
  assert.equal(res.status, 200);
  return res.body as { ok: boolean; message: string };
}

describe('sqx3-x3-config', () => {
  test('"test connection" checks GraphQL and api1', async () => {
    await load([...modules, catchNode], flow({}), {
      'cfg-x3': {
        secret: 'sqx3-demo-jwt-secret',
        username: 'sqx3',
        password: 'sqx3-demo',
      },
    });
    const tested = await testConnection();
    assert.deepEqual(tested, {
      ok: true,
      message: 'GraphQL ok (customers readable), api1 ok (3 sites)',
    });
  });

  test("a wrong JWT secret fails the test with X3's refusal", async () => {
    await load([...modules, catchNode], flow({}), {
      'cfg-x3': { secret: 'wrong' },
    });
    const tested = await testConnection();
    assert.equal(tested.ok, false);
    assert.match(tested.message, /401.*signature/);
  });

  test('cloud: a restart right after a refresh resumes the rotated token', async () => {
    const creds = {
      'cfg-x3': {
        clientSecret: CLOUD.clientSecret,
        refreshToken: CLOUD.refreshToken,
      },
    };
    const node = { ...cloudNode, tokenUrl: `${url}/v1/token` };
    const refreshes = () => x3.stats().tokenRefreshes;
    await load([...modules, catchNode], flow(node), creds);
    assert.equal((await testConnection()).ok, true);
    assert.equal(refreshes(), 1);
    const file = path.join(dir, 'sqx3-x3-tokens-cfg-x3.json');
    assert.ok(fs.existsSync(file));
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);

    // the entered token is dead now; Node-RED restarts with it
    assert.equal(x3.refreshTokenLive(CLOUD.refreshToken), false);
    await helper.unload();
    await load([...modules, catchNode], flow(node), creds);
    assert.equal((await testConnection()).ok, true);
    assert.equal(refreshes(), 1, 'the stored access token still serves');
    clock += 300_000;
    assert.equal((await testConnection()).ok, true);
    assert.equal(refreshes(), 2);
    assert.equal(lastStatus(helper.getNode('inv')), undefined);
  });

  test('cloud: a dead refresh token turns the users red and reaches Catch', async () => {
    await load(
      [...modules, catchNode],
      flow({
        ...cloudNode,
        tokenUrl: `${url}/v1/token`,
      }),
      {
        'cfg-x3': {
          clientSecret: CLOUD.clientSecret,
          refreshToken: 'revoked-long-ago',
        },
      },
    );
    const caught = Inbox.of('caught');

    const tested = await testConnection();
    assert.equal(tested.ok, false);
    assert.match(tested.message, /invalid_grant.*re-authorise/);
    for (const id of ['inv', 'gl']) {
      const status = lastStatus(helper.getNode(id));
      assert.equal(status?.fill, 'red', id);
      assert.equal(status?.text, 're-authorise X3', id);
    }
    // one report per tab, from one of the users on it
    const [msg] = await caught.receive(1);
    assert.equal(msg.topic, 're-authorise');
    assert.match(String(msg.error?.message), /re-authorise the app/);
    assert.equal(msg.error?.source?.id, 'inv');

    // asked again: no call to X3's token service, no second report
    const before = x3.stats().tokenRequests;
    assert.equal((await testConnection()).ok, false);
    assert.equal(x3.stats().tokenRequests, before);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(caught.messages.length, 1);
  });
});
