import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Node } from 'node-red';
import {
  createSquareEmulator,
  type SquareEmulator,
} from '../../sandbox/square/emulator';
import { SquareTokenManager } from '../../lib/square/token-manager';
import type { SquareConfigNode } from '../../lib/node-red/config-types';
import { helper, load, MODULES } from './kit';

// A PKCE refresh token is single-use. Node-RED writes its credential store
// only on deploy, so a restart between a refresh and the next deploy must
// still start from the newest refresh token, never the spent one.

describe('Square PKCE tokens survive a restart', () => {
  let emu: SquareEmulator;
  let url = '';
  let userDir = '';
  const presented: string[] = [];

  before(async () => {
    emu = createSquareEmulator({ seed: false });
    url = await emu.start();
    const obtain = emu.oauth.obtainToken.bind(emu.oauth);
    emu.oauth.obtainToken = (body) => {
      if (body.grant_type === 'refresh_token') {
        presented.push(String(body.refresh_token));
      }
      return obtain(body);
    };
    userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqx3-pkce-'));
    helper.settings({ userDir });
  });

  after(async () => {
    helper.settings({});
    await emu.stop();
    fs.rmSync(userDir, { recursive: true, force: true });
  });

  test('the refresh after a restart presents the rotated token', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const first = new SquareTokenManager({
      mode: 'pkce',
      clientId: 'sqx3-demo-app',
      baseUrl: url,
      persist: async () => undefined,
    });
    await first.exchangeCode(emu.oauth.issueCode(challenge), verifier);
    const entered = first.snapshot();
    // Entered as if it expired tomorrow, so the node renews it at once.
    const soon = new Date(Date.now() + 24 * 3600 * 1000).toISOString();
    const flow = [
      {
        id: 'sq',
        type: 'sqx3-square-config',
        environment: 'custom',
        baseUrl: url,
        authMode: 'pkce',
      },
    ];
    const credentials = {
      sq: {
        accessToken: entered.accessToken,
        refreshToken: entered.refreshToken,
        clientId: 'sqx3-demo-app',
        expiresAt: soon,
      },
    };
    const config = () => helper.getNode('sq') as Node & SquareConfigNode;

    await load([MODULES['sqx3-square-config']], flow, credentials);
    await config().client.listLocations();
    assert.equal(presented.length, 1, 'renewed on first use');
    assert.equal(presented[0], entered.refreshToken);
    const file = path.join(userDir, 'sqx3-square-tokens-sq.json');
    assert.ok(fs.existsSync(file), 'rotated tokens written to their file');
    const sealed = fs.readFileSync(file, 'utf8');
    assert.ok(!sealed.includes(entered.accessToken), 'file is encrypted');
    await helper.unload();

    // Restart with the credentials as Node-RED last saved them.
    await load([MODULES['sqx3-square-config']], flow, credentials);
    await config().client.listLocations();
    await config().tokens?.refresh();
    await helper.unload();

    assert.equal(presented.length, 2);
    assert.notEqual(presented[1], entered.refreshToken, 'never the spent one');
    assert.equal(new Set(presented).size, 2);
  });
});
