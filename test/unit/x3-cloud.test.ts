import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import jwt from 'jsonwebtoken';
import { createX3Emulator } from '../../sandbox/x3/emulator';
import { X3RestClient } from '../../lib/x3/rest-client';
import { X3Error } from '../../lib/x3/errors';

// The emulator's cloud token service: approval at /v1/token/authorise,
// the code grant, refresh with rotation, deletion, 5-minute tokens.

let clock = Date.parse('2026-06-01T09:00:00Z');
const app = {
  clientId: 'cloud-app',
  clientSecret: 'cloud-secret',
  refreshToken: 'first-refresh',
  redirectUris: ['http://127.0.0.1:1880/sqx3/x3/callback'],
};
const emulator = createX3Emulator({ now: () => clock, cloud: app });
let base = '';

before(async () => {
  base = await emulator.start();
});
beforeEach(() => emulator.reset());
after(() => emulator.stop());

async function token(form: Record<string, string>, method = 'POST') {
  const res = await fetch(`${base}/v1/token`, {
    method,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: app.clientId,
      client_secret: app.clientSecret,
      ...form,
    }).toString(),
  });
  return { status: res.status, body: await res.json() };
}

async function read(accessToken: string) {
  const res = await fetch(`${base}/xtrem/api`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${accessToken}`,
      'x-xtrem-endpoint': 'SEED',
    },
    body: JSON.stringify({
      query: '{ x3MasterData { customer { read(_id: "WALKIN") { code } } } }',
    }),
  });
  return res.status;
}

describe('cloud token service', () => {
  test('approval redirects with a code; the code is good once', async () => {
    const url = new URL(`${base}/v1/token/authorise`);
    url.search = new URLSearchParams({
      client_id: app.clientId,
      scope: 'api.graphql',
      state: 'xyz',
      redirect_uri: app.redirectUris[0],
    }).toString();
    const res = await fetch(url, { redirect: 'manual' });
    assert.equal(res.status, 302);
    const back = new URL(res.headers.get('location')!);
    assert.equal(back.origin + back.pathname, app.redirectUris[0]);
    assert.equal(back.searchParams.get('state'), 'xyz');
    const code = back.searchParams.get('code')!;

    const form = {
      grant_type: 'authorization_code',
      code,
      redirect_uri: app.redirectUris[0],
    };
    const first = await token(form);
    assert.equal(first.status, 200);
    assert.equal(first.body.expires_in, 300);
    const claims = jwt.decode(first.body.access_token) as jwt.JwtPayload;
    assert.equal(claims.exp! - claims.iat!, 300);
    assert.equal(claims.azp, app.clientId);
    assert.equal(await read(first.body.access_token), 200);
    assert.equal((await token(form)).body.error, 'invalid_grant');
    // the new approval replaced the old pair
    assert.equal(emulator.refreshTokenLive(app.refreshToken), false);
    assert.equal(emulator.refreshTokenLive(first.body.refresh_token), true);
  });

  test('an unknown redirect is refused', async () => {
    const res = await fetch(
      `${base}/v1/token/authorise?client_id=cloud-app` +
        '&redirect_uri=http://evil.example/cb',
      { redirect: 'manual' },
    );
    assert.equal(res.status, 400);
  });

  test('access tokens die after 5 minutes; refresh rotates', async () => {
    const first = await token({
      grant_type: 'refresh_token',
      refresh_token: app.refreshToken,
    });
    assert.equal(first.status, 200);
    clock += 299_000;
    assert.equal(await read(first.body.access_token), 200);
    clock += 1_000;
    assert.equal(await read(first.body.access_token), 401);

    const again = await token({
      grant_type: 'refresh_token',
      refresh_token: app.refreshToken,
    });
    assert.deepEqual([again.status, again.body.error], [400, 'invalid_grant']);
    const second = await token({
      grant_type: 'refresh_token',
      refresh_token: first.body.refresh_token,
    });
    assert.equal(second.status, 200);
    assert.notEqual(second.body.refresh_token, first.body.refresh_token);
  });

  test('a refresh token dies after 30 days', async () => {
    clock += 30 * 86_400_000;
    const late = await token({
      grant_type: 'refresh_token',
      refresh_token: app.refreshToken,
    });
    assert.equal(late.body.error, 'invalid_grant');
  });

  test('a deleted refresh token is dead, and so are its access tokens', async () => {
    const pair = await token({
      grant_type: 'refresh_token',
      refresh_token: app.refreshToken,
    });
    const deleted = await token(
      { refresh_token: pair.body.refresh_token },
      'DELETE',
    );
    assert.equal(deleted.status, 200);
    assert.equal(await read(pair.body.access_token), 401);
    const after = await token({
      grant_type: 'refresh_token',
      refresh_token: pair.body.refresh_token,
    });
    assert.equal(after.body.error, 'invalid_grant');
  });

  test('a wrong client secret is invalid_client', async () => {
    const res = await token({
      grant_type: 'refresh_token',
      refresh_token: app.refreshToken,
      client_secret: 'nope',
    });
    assert.deepEqual([res.status, res.body.error], [401, 'invalid_client']);
  });
});

describe('api1 behind OAuth2 only, unknown keys as 200', () => {
  // built here, on the clock the tests above have moved
  let cloudOnly: ReturnType<typeof createX3Emulator>;
  let diag200: ReturnType<typeof createX3Emulator>;
  let url = '';
  let url200 = '';
  before(async () => {
    cloudOnly = createX3Emulator({
      now: () => clock,
      cloud: app,
      basic: false,
    });
    diag200 = createX3Emulator({ notFoundStatus: 200 });
    url = await cloudOnly.start();
    url200 = await diag200.start();
  });
  after(async () => {
    await cloudOnly.stop();
    await diag200.stop();
  });

  test('Basic is refused; a cloud access token reads', async () => {
    const sites = `${url}/api1/x3/erp/SEED/FACILITY?representation=FACILITY.$query`;
    const basic = await fetch(sites, {
      headers: {
        authorization:
          'Basic ' + Buffer.from('sqx3:sqx3-demo').toString('base64'),
      },
    });
    assert.equal(basic.status, 401);
    assert.equal(basic.headers.get('www-authenticate'), 'Bearer');

    const res = await fetch(`${url}/v1/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: app.clientId,
        client_secret: app.clientSecret,
        refresh_token: app.refreshToken,
      }).toString(),
    });
    const { access_token: accessToken } = await res.json();
    const read = await fetch(sites, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    assert.equal(read.status, 200);
    assert.equal((await read.json()).$resources.length, 3);
  });

  test('an unknown key is 200 with a diagnosis, read as not-found', async () => {
    const rest = new X3RestClient({
      baseUrl: url200,
      endpoint: 'SEED',
      basic: { user: 'sqx3', password: 'sqx3-demo' },
      backoff: { attempts: 1, baseMs: 1, maxMs: 1 },
    });
    await assert.rejects(
      rest.details('BPCUSTOMER', 'NOPE'),
      (error: X3Error) =>
        error.code === 'not-found' &&
        error.status === 200 &&
        /NOPE : Record does not exist/.test(error.message),
    );
    const found = await rest.details('BPCUSTOMER', 'WALKIN');
    assert.equal(found.BPCNUM, 'WALKIN');
  });
});
