import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  SquareTokenManager,
  type SquareTokens,
} from '../../lib/square/token-manager';
import { createSquareEmulator } from '../../sandbox/square/emulator';

const DAY = 24 * 3_600_000;

describe('SquareTokenManager', () => {
  let clock = new Date('2025-06-12T12:00:00Z');
  const now = () => clock;
  const emu = createSquareEmulator({ seed: false, now });
  let base = '';

  before(async () => {
    base = await emu.start();
  });
  after(() => emu.stop());

  async function codeFlowTokens() {
    const res = await fetch(`${base}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_id: 'sqx3-demo-app',
        client_secret: 'sqx3-demo-secret',
        grant_type: 'authorization_code',
        code: emu.oauth.issueCode(),
      }),
    });
    return res.json();
  }

  test('a personal token is used as it is', async () => {
    const tm = new SquareTokenManager({
      mode: 'personal',
      accessToken: 'sqx3-demo-token',
      baseUrl: base,
      persist: async () => assert.fail('nothing to persist'),
    });
    assert.equal(await tm.getAccessToken(), 'sqx3-demo-token');
    assert.equal(tm.state, 'ok');
  });

  test('refreshes within 23 days of expiry, once in flight', async () => {
    const first = await codeFlowTokens();
    const saved: SquareTokens[] = [];
    const tm = new SquareTokenManager({
      mode: 'oauth',
      accessToken: first.access_token,
      refreshToken: first.refresh_token,
      expiresAt: first.expires_at,
      clientId: 'sqx3-demo-app',
      clientSecret: 'sqx3-demo-secret',
      baseUrl: base,
      persist: async (t) => {
        saved.push(t);
      },
      now,
    });
    assert.equal(await tm.getAccessToken(), first.access_token);
    assert.equal(saved.length, 0);

    clock = new Date(clock.getTime() + 8 * DAY);
    const [a, b] = await Promise.all([
      tm.getAccessToken(),
      tm.getAccessToken(),
    ]);
    assert.equal(a, b);
    assert.notEqual(a, first.access_token);
    assert.equal(saved.length, 1);
    assert.equal(saved[0].refreshToken, first.refresh_token);
    assert.equal(saved[0].accessToken, a);
  });

  test('PKCE rotates and persists the refresh token', async () => {
    const verifier = 'pkce-verifier-'.repeat(4);
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const saved: SquareTokens[] = [];
    const tm = new SquareTokenManager({
      mode: 'pkce',
      clientId: 'sqx3-demo-app',
      baseUrl: base,
      persist: async (t) => {
        saved.push(t);
      },
      now,
    });
    await tm.exchangeCode(emu.oauth.issueCode(challenge), verifier);
    const firstRefresh = saved[0].refreshToken;
    assert.ok(saved[0].refreshTokenExpiresAt);
    await tm.refresh();
    assert.equal(saved.length, 2);
    assert.notEqual(saved[1].refreshToken, firstRefresh);
  });

  test('a refused refresh turns into reauthorise', async () => {
    const states: string[] = [];
    const tm = new SquareTokenManager({
      mode: 'oauth',
      accessToken: 'old',
      refreshToken: 'revoked-or-unknown',
      expiresAt: new Date(clock.getTime() + DAY).toISOString(),
      clientId: 'sqx3-demo-app',
      clientSecret: 'sqx3-demo-secret',
      baseUrl: base,
      persist: async () => undefined,
      now,
    });
    tm.on('state', (s: string) => states.push(s));
    await assert.rejects(
      tm.getAccessToken(),
      (
        error: Error & {
          code?: string;
          retryable?: boolean;
        },
      ) => {
        assert.equal(error.code, 'SQUARE_REAUTHORISE');
        assert.equal(error.retryable, false);
        return true;
      },
    );
    assert.equal(tm.state, 'reauthorise');
    assert.deepEqual(states, ['refreshing', 'reauthorise']);
    await assert.rejects(tm.getAccessToken(), /authorise the app again/);
  });

  test('a 503 during refresh is retryable and keeps the state', async () => {
    const first = await codeFlowTokens();
    const tm = new SquareTokenManager({
      mode: 'oauth',
      accessToken: first.access_token,
      refreshToken: first.refresh_token,
      expiresAt: new Date(clock.getTime() + DAY).toISOString(),
      clientId: 'sqx3-demo-app',
      clientSecret: 'sqx3-demo-secret',
      baseUrl: base,
      persist: async () => undefined,
      now,
    });
    emu.setFault({ status: 503, count: 1, path: '/oauth2/token' });
    await assert.rejects(
      tm.getAccessToken(),
      (
        error: Error & {
          code?: string;
          retryable?: boolean;
        },
      ) => {
        assert.equal(error.code, 'SQUARE_TOKEN_REFRESH');
        assert.equal(error.retryable, true);
        return true;
      },
    );
    assert.equal(tm.state, 'ok');
    assert.notEqual(await tm.getAccessToken(), first.access_token);
  });
});
