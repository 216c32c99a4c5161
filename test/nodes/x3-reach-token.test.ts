import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createX3Emulator } from '../../sandbox/x3/emulator';
import {
  allModules,
  calls,
  helper,
  lastStatus,
  load,
  tab,
  until,
  x3ConfigNode,
} from './kit';

// Story: X3 refused the refresh token ("re-authorise X3", red), then X3
// stops answering api1 for a while and comes back. X3 answering again
// does not re-authorise the app: the users still say so afterwards.

const CLOUD = {
  clientId: 'cloud-app',
  clientSecret: 'cloud-secret',
  refreshToken: 'entered-refresh-token',
};

describe('X3 not answering over a token trouble', () => {
  const x3 = createX3Emulator({ cloud: CLOUD });
  const { modules } = allModules();
  let down = false;
  const front = http.createServer((req, res) => {
    if (down) return req.socket.destroy();
    res.setHeader('content-type', 'application/json');
    res.end('{"$resources":[]}');
  });
  let dir = '';

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqx3-x3-reach-'));
    helper.settings({ userDir: dir });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  });
  after(async () => {
    await helper.unload();
    front.closeAllConnections();
    front.close();
    await x3.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the re-authorise status outlasts X3 not answering', async () => {
    const tokenUrl = `${await x3.start()}/v1/token`;
    const url = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
    const flow = [
      tab(),
      {
        ...x3ConfigNode('cfg-x3', url),
        authMode: 'cloud-oauth',
        clientId: CLOUD.clientId,
        tokenUrl,
      },
      { id: 'cfg-ledger', type: 'sqx3-ledger', name: 'l', file: ':memory:' },
      {
        id: 'inv',
        type: 'sqx3-x3-invoice',
        z: 'tab1',
        x3: 'cfg-x3',
        ledger: 'cfg-ledger',
        wires: [[]],
      },
    ];
    await load(modules, flow, {
      'cfg-x3': {
        clientSecret: CLOUD.clientSecret,
        refreshToken: 'revoked-long-ago',
        username: 'sqx3',
        password: 'sqx3-demo',
      },
    });
    const inv = () => lastStatus(helper.getNode('inv'));
    const config = helper.getNode('cfg-x3');
    const tested = await helper.request().post('/sqx3/x3-config/cfg-x3/test');
    assert.match(String(tested.body.message), /re-authorise/);
    assert.equal(inv()?.text, 're-authorise X3');

    down = true;
    const sites = helper.request().get('/sqx3/x3/cfg-x3/reference/sites');
    const listed = new Promise((resolve) => sites.end(resolve));
    await until('the config node warned', () =>
      calls(config, 'warn').some((args) => /not answering/.test(`${args}`)),
    );
    down = false;
    await listed;
    await until('X3 answered again', () =>
      calls(config, 'log').some((args) => /answering again/.test(`${args}`)),
    );
    assert.deepEqual(inv(), {
      fill: 'red',
      shape: 'ring',
      text: 're-authorise X3',
    });
  });
});
