import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import supertest from 'supertest';
import type { Node, NodeInitializer } from 'node-red';
import type { SyncRecord } from '../../lib/sync/record';
import { SquareTokenManager } from '../../lib/square/token-manager';
import {
  createSquareEmulator,
  type SquareEmulator,
} from '../../sandbox/square/emulator';
import { GOLDEN } from '../../sandbox/seed/square-day';
import {
  Inbox,
  SIGNATURE_KEY,
  SQUARE_TOKEN,
  allModules,
  calls,
  helper,
  lastStatus,
  load,
  seedDate,
  sink,
  sleep,
  squareConfigNode,
  startSquare,
  tab,
  type FlowNode,
} from './kit';

// The six inputs of issue 3 that must behave as stated, one test each
// (input 5, the official SDK, is test/e2e/square-sdk.test.ts).

const catchNode =
  require('@node-red/nodes/core/common/25-catch.js') as NodeInitializer;

type Out = { topic: string; payload: SyncRecord };
type Event = {
  event_id: string;
  type: string;
  data: { id: string; object?: any };
};

// Square's official vectors, shipped with the emulator's reference data.
const VECTORS = path.resolve(
  __dirname,
  '../../sandbox/seed/square-reference/webhook-signature-vectors.json',
);
const vectorA = fs.existsSync(VECTORS)
  ? (JSON.parse(fs.readFileSync(VECTORS, 'utf8')).vectors as any[]).find(
      (v) => v.name === 'pass_basic',
    )
  : undefined;

const NOTIFICATION_URL = 'https://shop.example.test/square/webhook';

function sign(
  body: string,
  url = NOTIFICATION_URL,
  key = SIGNATURE_KEY,
): string {
  return createHmac('sha256', key)
    .update(url + body)
    .digest('base64');
}

function webhookNode(
  id: string,
  route: string,
  url: string,
  wires: string[][],
  ledger = 'cfg-ledger',
): FlowNode {
  return {
    id,
    type: 'sqx3-square-webhook',
    z: 'tab1',
    square: 'cfg-square',
    ledger,
    path: route,
    notificationUrl: url,
    wires,
  };
}

function fileLedger(id: string, file: string): FlowNode {
  return { id, type: 'sqx3-ledger', name: 'sync ledger', file };
}

function post(app: unknown, route: string, body: string, signature?: string) {
  const req = supertest(app as never)
    .post(route)
    .set('content-type', 'application/json');
  if (signature) req.set('x-square-hmacsha256-signature', signature);
  return req.send(body);
}

function tmpLedger(): string {
  return path.join(
    os.tmpdir(),
    `sqx3-inputs-${randomBytes(6).toString('hex')}.db`,
  );
}

describe('issue 3 inputs that must behave as stated', () => {
  const { modules, red } = allModules();
  let square: SquareEmulator;
  let squareUrl = '';
  let events: Event[] = [];
  const files: string[] = [];

  before(async () => {
    const started = await startSquare(seedDate());
    square = started.square;
    squareUrl = started.url;
    events = square.events() as Event[];
  });

  after(async () => {
    await helper.unload();
    await square.stop();
    for (const f of files) {
      for (const suffix of ['', '-wal', '-shm'])
        fs.rmSync(f + suffix, { force: true });
    }
  });

  test(
    'input 1: vector A to an http:// notification URL is rejected, the exact URL accepted',
    { skip: vectorA ? false : 'webhook-signature-vectors.json not found' },
    async () => {
      const https = vectorA.notification_url as string;
      const plain = https.replace(/^https:/, 'http:');
      await load(
        modules,
        [
          tab(),
          squareConfigNode('cfg-square', squareUrl),
          {
            id: 'cfg-ledger',
            type: 'sqx3-ledger',
            name: 'l',
            file: ':memory:',
          },
          webhookNode('wh-http', '/v/http', plain, [['out']]),
          webhookNode('wh-https', '/v/https', https, [['out']]),
          sink('out'),
        ],
        {
          'cfg-square': { accessToken: SQUARE_TOKEN },
          'wh-http': { signatureKey: vectorA.signature_key },
          'wh-https': { signatureKey: vectorA.signature_key },
        },
      );
      const app = red().httpNode;
      const body = vectorA.body as string;

      const rejected = await post(
        app,
        '/v/http',
        body,
        vectorA.signature_header,
      );
      const accepted = await post(
        app,
        '/v/https',
        body,
        vectorA.signature_header,
      );

      assert.equal(rejected.status, 403);
      assert.equal(accepted.status, 200);
      const logs = calls(helper.getNode('wh-https'), 'log').map((a) =>
        String(a[0]),
      );
      assert.ok(
        logs.some((l) => l.includes('webhooks.test_notification acknowledged')),
        logs.join('\n'),
      );
      await helper.unload();
    },
  );

  test('input 2: a valid body re-serialised (pretty-printed) is rejected', async () => {
    await load(
      modules,
      [
        tab(),
        squareConfigNode('cfg-square', squareUrl),
        { id: 'cfg-ledger', type: 'sqx3-ledger', name: 'l', file: ':memory:' },
        webhookNode('wh', '/in2', NOTIFICATION_URL, [['out']]),
        sink('out'),
      ],
      {
        'cfg-square': { accessToken: SQUARE_TOKEN },
        wh: { signatureKey: SIGNATURE_KEY },
      },
    );
    const out = Inbox.of<Out>('out');
    const event = events.find(
      (e) => e.type === 'payment.updated' && e.data.id === GOLDEN.paymentId,
    );
    const body = JSON.stringify(event);
    const pretty = JSON.stringify(JSON.parse(body), null, 2);

    const res = await post(red().httpNode, '/in2', pretty, sign(body));
    const same = await post(red().httpNode, '/in2', body, sign(body));

    assert.equal(res.status, 403);
    assert.equal(same.status, 200);
    const [msg] = await out.receive(1);
    assert.equal(msg.payload.key, `sale:${GOLDEN.orderId}`);
    await out.stays(1);
    await helper.unload();
  });

  test('input 3: one event twice within a second and again after a restart: one record', async () => {
    const file = tmpLedger();
    files.push(file);
    const flow = [
      tab(),
      squareConfigNode('cfg-square', squareUrl),
      fileLedger('cfg-ledger', file),
      webhookNode('wh', '/in3', NOTIFICATION_URL, [['out']]),
      sink('out'),
    ];
    const creds = {
      'cfg-square': { accessToken: SQUARE_TOKEN },
      wh: { signatureKey: SIGNATURE_KEY },
    };
    const event = events.find((e) => e.type === 'refund.updated') as Event;
    const body = JSON.stringify(event);

    await load(modules, flow, creds);
    let out = Inbox.of<Out>('out');
    const [a, b] = await Promise.all([
      post(red().httpNode, '/in3', body, sign(body)),
      post(red().httpNode, '/in3', body, sign(body)),
    ]);
    assert.deepEqual([a.status, b.status], [200, 200]);
    assert.deepEqual([a.text, b.text].sort(), ['accepted', 'duplicate event']);
    const [msg] = await out.receive(1);
    assert.equal(msg.payload.key, `refund:${event.data.id}`);
    await out.stays(1);

    await helper.unload();
    await load(modules, flow, creds);
    out = Inbox.of<Out>('out');
    const again = await post(red().httpNode, '/in3', body, sign(body));

    assert.equal(again.status, 200);
    assert.equal(again.text, 'duplicate event');
    await out.stays(0, 500);
    await helper.unload();
  });

  test('input 4: payment.created and payment.updated without order.created: the sale once', async () => {
    await load(
      modules,
      [
        tab(),
        squareConfigNode('cfg-square', squareUrl),
        { id: 'cfg-ledger', type: 'sqx3-ledger', name: 'l', file: ':memory:' },
        webhookNode('wh', '/in4', NOTIFICATION_URL, [['out']]),
        sink('out'),
      ],
      {
        'cfg-square': { accessToken: SQUARE_TOKEN },
        wh: { signatureKey: SIGNATURE_KEY },
      },
    );
    const out = Inbox.of<Out>('out');
    const before = square.events().length;
    const { order, payments } = square.createSale({
      locationId: 'L2MARKETSQ002',
      lines: [{ variationId: 'VAR_GRINDER', quantity: 1 }],
      tenders: [{ type: 'CARD', brand: 'MASTERCARD' }],
    });
    const fresh = (square.events() as Event[]).slice(before);
    assert.deepEqual(
      fresh.map((e) => e.type),
      ['payment.created', 'payment.updated', 'order.updated'],
    );
    assert.ok(!fresh.some((e) => e.type === 'order.created'));

    for (const event of fresh.filter((e) => e.type.startsWith('payment.'))) {
      const body = JSON.stringify(event);
      const res = await post(red().httpNode, '/in4', body, sign(body));
      assert.equal(res.status, 200);
    }

    const [msg] = await out.receive(1);
    assert.equal(msg.payload.key, `sale:${order.id}`);
    assert.deepEqual(
      msg.payload.square.payments?.map((p) => p.id),
      [payments[0].id],
    );
    await out.stays(1, 500);
    await helper.unload();
  });

  test(
    'input 6a: a code-flow token expired 16 days ago whose refresh is refused: ' +
      'red, one error at Catch, no retry loop',
    async () => {
      const DAY = 86_400_000;
      let offset = -46 * DAY;
      const emu = createSquareEmulator({
        seed: false,
        now: () => new Date(Date.now() + offset),
      });
      const url = await emu.start();
      try {
        const code = emu.oauth.issueCode();
        const issued = emu.oauth.obtainToken({
          client_id: 'sqx3-demo-app',
          client_secret: 'sqx3-demo-secret',
          grant_type: 'authorization_code',
          code,
        });
        offset = 0;
        assert.ok(
          Date.now() - Date.parse(issued.expires_at) >= 16 * DAY - 60_000,
        );

        await load(
          [...modules, catchNode],
          [
            tab(),
            { ...squareConfigNode('cfg-square', url), authMode: 'oauth' },
            {
              id: 'cfg-ledger',
              type: 'sqx3-ledger',
              name: 'l',
              file: ':memory:',
            },
            webhookNode('wh', '/in6', NOTIFICATION_URL, [['out']]),
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
              accessToken: issued.access_token,
              refreshToken: issued.refresh_token,
              clientId: 'sqx3-demo-app',
              clientSecret: 'sqx3-demo-secret',
              expiresAt: issued.expires_at,
            },
            wh: { signatureKey: SIGNATURE_KEY },
          },
        );
        const caught = Inbox.of('caught');
        const poll = helper.getNode('poll') as Node;

        poll.receive({ topic: 'poll' } as never);
        const [msg] = await caught.receive(1);
        assert.match(String(msg.error?.message), /re-authorise Square/);
        assert.equal(msg.topic, 're-authorise');
        assert.equal(JSON.stringify(msg).includes(issued.refresh_token), false);
        assert.equal(JSON.stringify(msg).includes(issued.access_token), false);

        for (const id of ['poll', 'wh']) {
          const status = lastStatus(helper.getNode(id));
          assert.equal(status?.fill, 'red', id);
          assert.equal(status?.text, 're-authorise Square', id);
        }
        const refreshes = () => emu.requestCounts()['POST /oauth2/token'] ?? 0;
        assert.equal(refreshes(), 1);

        poll.receive({ topic: 'poll' } as never);
        poll.receive({ topic: 'sweep' } as never);
        const event = JSON.stringify({
          merchant_id: 'M',
          type: 'payment.updated',
          event_id: 'e-6a',
          created_at: new Date().toISOString(),
          data: {
            type: 'payment',
            id: 'p1',
            object: { payment: { id: 'p1', order_id: 'o1' } },
          },
        });
        await post(red().httpNode, '/in6', event, sign(event));
        await sleep(400);

        assert.equal(refreshes(), 1, 'no second refresh attempt');
        assert.equal(caught.messages.length, 1, 'one error at Catch');
        assert.equal(lastStatus(helper.getNode('poll'))?.fill, 'red');
        const counts = emu.requestCounts();
        assert.equal(
          Object.keys(counts).filter((k) => k.startsWith('GET /v2')).length,
          0,
        );
      } finally {
        await helper.unload();
        await emu.stop();
      }
    },
  );

  test('input 6b: a PKCE refresh token presented twice fails; the client never does it', async () => {
    const emu = createSquareEmulator({ seed: false });
    const url = await emu.start();
    try {
      const presented: string[] = [];
      const obtain = emu.oauth.obtainToken.bind(emu.oauth);
      emu.oauth.obtainToken = (body) => {
        if (body.grant_type === 'refresh_token')
          presented.push(String(body.refresh_token));
        return obtain(body);
      };
      const verifier = randomBytes(32).toString('base64url');
      const challenge = createHash('sha256')
        .update(verifier)
        .digest('base64url');
      const code = emu.oauth.issueCode(challenge);
      const stored: string[] = [];
      const tokens = new SquareTokenManager({
        mode: 'pkce',
        clientId: 'sqx3-demo-app',
        baseUrl: url,
        persist: async (t) => {
          stored.push(t.refreshToken ?? '');
        },
      });
      await tokens.exchangeCode(code, verifier);
      const first = tokens.snapshot().refreshToken as string;

      const concurrent = await Promise.all([
        tokens.refresh(),
        tokens.refresh(),
        tokens.refresh(),
      ]);
      assert.equal(new Set(concurrent).size, 1, 'one refresh in flight');
      await tokens.refresh();
      await tokens.refresh();

      assert.equal(presented.length, 3);
      assert.equal(
        new Set(presented).size,
        3,
        'each refresh token presented once',
      );
      assert.equal(presented[0], first);
      assert.deepEqual(stored.slice(1, 4), [
        ...presented.slice(1),
        tokens.snapshot().refreshToken,
      ]);

      const replay = await fetch(`${url}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          client_id: 'sqx3-demo-app',
          grant_type: 'refresh_token',
          refresh_token: first,
        }),
      });
      assert.equal(replay.status, 401);
      assert.equal(tokens.state, 'ok');
    } finally {
      await emu.stop();
    }
  });
});
