import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import jwt from 'jsonwebtoken';
import { createX3Emulator } from '../../sandbox/x3/emulator';
import { X3GraphQLClient } from '../../lib/x3/graphql-client';
import { X3TokenManager } from '../../lib/x3/jwt-manager';
import { X3Error } from '../../lib/x3/errors';

// The emulator runs on a clock the tests move; each client gets its own.
let serverNow = Date.parse('2026-05-01T12:00:00Z');
const emulator = createX3Emulator({ now: () => serverNow });
let base = '';
const once = { attempts: 1, baseMs: 1, maxMs: 1 };
const app = {
  mode: 'connected-app' as const,
  clientId: 'sqx3-demo-app',
  secret: 'sqx3-demo-jwt-secret',
  user: 'SQX3',
};
const SITES = '{ x3MasterData { customer { read(_id: "WALKIN") { code } } } }';

before(async () => {
  base = await emulator.start();
});
after(() => emulator.stop());

function client(tokens: X3TokenManager) {
  return new X3GraphQLClient({
    baseUrl: base,
    endpoint: 'SEED',
    tokens,
    backoff: once,
  });
}

async function rawPost(claims: object, secret = app.secret) {
  const token = jwt.sign(claims, secret, { algorithm: 'HS256' });
  const res = await fetch(`${base}/xtrem/api`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      'x-xtrem-endpoint': 'SEED',
    },
    body: JSON.stringify({ query: SITES }),
  });
  return { status: res.status, body: await res.json() };
}

describe('connected-app JWT at the emulator', () => {
  const now = () => Math.floor(serverNow / 1000);

  test('a valid token reads', async () => {
    const r = await rawPost({
      iss: app.clientId,
      sub: 'SQX3',
      iat: now(),
      exp: now() + 60,
    });
    assert.equal(r.status, 200);
    assert.equal(r.body.data.x3MasterData.customer.read.code, 'WALKIN');
  });

  test('iat in the future is GraphQL error 21', async () => {
    const r = await rawPost({
      iss: app.clientId,
      iat: now() + 90,
      exp: now() + 150,
    });
    assert.equal(r.status, 200);
    assert.equal(r.body.errors[0].extensions.code, 21);
    assert.match(r.body.errors[0].message, /^21 /);
  });

  test('lifetime above the validity, bad signature, unknown client: 401', async () => {
    const long = await rawPost({
      iss: app.clientId,
      iat: now(),
      exp: now() + 601,
    });
    assert.equal(long.status, 401);
    assert.match(long.body.errors[0].message, /lifetime/);
    const forged = await rawPost(
      { iss: app.clientId, iat: now(), exp: now() + 60 },
      'x',
    );
    assert.equal(forged.status, 401);
    const stranger = await rawPost({
      iss: 'other',
      iat: now(),
      exp: now() + 60,
    });
    assert.equal(stranger.status, 401);
  });

  test('an expired token is a 401', async () => {
    const r = await rawPost({
      iss: app.clientId,
      iat: now() - 120,
      exp: now() - 1,
    });
    assert.equal(r.status, 401);
    assert.match(r.body.errors[0].message, /expired/);
  });
});

describe('X3TokenManager with the GraphQL client', () => {
  test('signs iss, sub, iat 30 s back, lifetime within the validity', async () => {
    const tokens = new X3TokenManager(
      { ...app, validitySeconds: 300 },
      { now: () => serverNow },
    );
    const header = await tokens.authorization();
    const claims = jwt.decode(header.slice('Bearer '.length)) as jwt.JwtPayload;
    assert.equal(claims.iss, 'sqx3-demo-app');
    assert.equal(claims.sub, 'SQX3');
    assert.equal(claims.aud, undefined);
    assert.equal(claims.iat, Math.floor(serverNow / 1000) - 30);
    assert.equal(claims.exp! - claims.iat!, 300);
    assert.equal(await tokens.authorization(), header);
  });

  test('a client clock 120 s behind X3 still works', async () => {
    const tokens = new X3TokenManager(app, { now: () => serverNow - 120_000 });
    const data = await client(tokens).query<any>(SITES);
    assert.equal(data.x3MasterData.customer.read.code, 'WALKIN');
  });

  test('a client clock ahead gets error 21, then signs from X3 time', async () => {
    const tokens = new X3TokenManager(app, { now: () => serverNow + 120_000 });
    const data = await client(tokens).query<any>(SITES);
    assert.equal(data.x3MasterData.customer.read.code, 'WALKIN');
    assert.equal(tokens.state.renewals, 2);
  });

  test('error 21 reaches the caller when adjusting cannot help', async () => {
    const tokens = new X3TokenManager(
      { ...app, skewSeconds: -200 },
      { now: () => serverNow },
    );
    await assert.rejects(
      client(tokens).query(SITES),
      (error: X3Error) =>
        error.code === 'iat-future' && /21/.test(error.message),
    );
  });

  test('expired at X3 (drifted clock): 401, re-sign, success', async () => {
    let clientNow = serverNow;
    const tokens = new X3TokenManager(app, { now: () => clientNow });
    const gql = client(tokens);
    await gql.query(SITES);
    const first = await tokens.authorization();

    clientNow += 500_000;
    serverNow += 580_000;
    const data = await gql.query<any>(SITES);
    assert.equal(data.x3MasterData.customer.read.code, 'WALKIN');
    assert.equal(tokens.state.renewals, 2);
    assert.notEqual(await tokens.authorization(), first);
  });

  test('re-signs within 60 s of expiry, not before', async () => {
    let clientNow = serverNow;
    const tokens = new X3TokenManager(
      { ...app, lifetimeSeconds: 200 },
      { now: () => clientNow },
    );
    const first = await tokens.authorization();
    clientNow += 100_000; // 70 s left (iat is 30 s back)
    assert.equal(await tokens.authorization(), first);
    clientNow += 15_000; // 55 s left
    assert.notEqual(await tokens.authorization(), first);
    assert.equal(tokens.state.renewals, 2);
  });
});
