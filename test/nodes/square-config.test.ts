import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import supertest from 'supertest';
import type { Node, NodeInitializer } from 'node-red';
import {
  createSquareEmulator,
  type SquareEmulator,
} from '../../sandbox/square/emulator';
import {
  Inbox,
  SIGNATURE_KEY,
  allModules,
  calls,
  helper,
  lastStatus,
  load,
  sink,
  sleep,
  squareConfigNode,
  tab,
  until,
} from './kit';

// The Square config node and the nodes that use it: "test connection"
// reads the token status, a revoked grant turns every user red and
// reaches Catch once, and the poll node runs one poll at a time.

const catchNode =
  require('@node-red/nodes/core/common/25-catch.js') as NodeInitializer;
const URL = 'https://shop.example.test/square/webhook';

function sign(body: string): string {
  return createHmac('sha256', SIGNATURE_KEY)
    .update(URL + body)
    .digest('base64');
}

describe('sqx3-square-config with its users', () => {
  const { modules, red } = allModules();
  let square: SquareEmulator;
  let url = '';
  let tokens: {
    access_token: string;
    refresh_token: string;
    expires_at: string;
  };

  before(async () => {
    square = createSquareEmulator({ seed: false });
    url = await square.start();
    tokens = square.oauth.obtainToken({
      client_id: 'sqx3-demo-app',
      client_secret: 'sqx3-demo-secret',
      grant_type: 'authorization_code',
      code: square.oauth.issueCode(),
    });
    await load(
      [...modules, catchNode],
      [
        tab(),
        { ...squareConfigNode('cfg-square', url), authMode: 'oauth' },
        { id: 'cfg-ledger', type: 'sqx3-ledger', name: 'l', file: ':memory:' },
        {
          id: 'wh',
          type: 'sqx3-square-webhook',
          z: 'tab1',
          square: 'cfg-square',
          ledger: 'cfg-ledger',
          path: '/cfg-test',
          notificationUrl: URL,
          wires: [['out']],
        },
        {
          id: 'poll',
          type: 'sqx3-square-poll',
          z: 'tab1',
          square: 'cfg-square',
          ledger: 'cfg-ledger',
          kinds: 'sale',
          startDelaySec: '3600',
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
      ],
      {
        'cfg-square': {
          accessToken: tokens.access_token,
          refreshToken: tokens.refresh_token,
          clientId: 'sqx3-demo-app',
          clientSecret: 'sqx3-demo-secret',
          expiresAt: tokens.expires_at,
        },
        wh: { signatureKey: SIGNATURE_KEY },
      },
    );
  });

  after(async () => {
    await helper.unload();
    await square.stop();
  });

  test('"test connection" reports the token status', async () => {
    const res = await helper
      .request()
      .post('/sqx3/square-config/cfg-square/test');
    assert.equal(res.status, 200);
    assert.equal(res.body.ok, true, JSON.stringify(res.body));
    assert.equal(res.body.expiresAt, tokens.expires_at);
    assert.ok(res.body.scopes.includes('PAYMENTS_READ'));
    assert.equal(res.body.tokenState, 'ok');
    assert.equal(JSON.stringify(res.body).includes(tokens.access_token), false);
    assert.equal(square.requestCounts()['POST /oauth2/token/status'], 1);
  });

  test('"poll now" from the editor and by msg; never two polls at once', async () => {
    const poll = helper.getNode('poll') as Node;
    const polled = () =>
      calls(poll, 'log').filter((a) => String(a[0]).startsWith('polled'));
    const before = polled().length;
    const lists = () => square.requestCounts()['GET /v2/locations'] ?? 0;
    const listsBefore = lists();

    const res = await helper.request().post('/sqx3/square-poll/poll/poll');
    poll.receive({ topic: 'poll' } as never);
    poll.receive({ topic: 'poll' } as never);
    poll.receive({ topic: 'poll' } as never);

    assert.equal(res.status, 200);
    await until('two polls', () => polled().length >= before + 2, 5000);
    await sleep(300);
    // the first poll ran, the three requests meanwhile made one more
    assert.equal(polled().length, before + 2);
    assert.equal(lists() - listsBefore, 2);
  });

  test('a revoked grant turns every user red and reaches Catch once', async () => {
    const caught = Inbox.of('caught');
    square.revokeAuthorization('MERCHANT');
    const event = square.events().at(-1) as { type: string };
    assert.equal(event.type, 'oauth.authorization.revoked');
    const body = JSON.stringify(event);

    const res = await supertest(red().httpNode as never)
      .post('/cfg-test')
      .set('content-type', 'application/json')
      .set('x-square-hmacsha256-signature', sign(body))
      .send(body);

    assert.equal(res.status, 200);
    const [msg] = await caught.receive(1);
    assert.match(String(msg.error?.message), /re-authorise Square/);
    assert.equal(msg.payload.reason, 'ACCESS_TOKEN_REVOKED');
    for (const id of ['poll', 'wh']) {
      assert.equal(
        lastStatus(helper.getNode(id))?.text,
        're-authorise Square',
        id,
      );
    }
    (helper.getNode('poll') as Node).receive({ topic: 'poll' } as never);
    await sleep(300);
    assert.equal(caught.messages.length, 1);
    const tested = await helper
      .request()
      .post('/sqx3/square-config/cfg-square/test');
    assert.equal(tested.body.ok, false);
  });
});
