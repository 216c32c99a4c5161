import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import helper from 'node-red-node-test-helper';
import type { NodeAPI, NodeInitializer } from 'node-red';
import {
  demoFlow,
  loadExampleFlow,
  DEMO_SIGNATURE_KEY,
} from '../../sandbox/demo';
import { DEMO_JWT_SECRET, DEMO_SQUARE_TOKEN } from '../../sandbox/demo';
import {
  createSquareEmulator,
  yesterdayIn,
} from '../../sandbox/square/emulator';
import { createX3Emulator } from '../../sandbox/x3/emulator';
import { seedX3 } from '../../sandbox/seed/x3-setup';
import { returningCustomers } from '../../sandbox/seed/square-day';
import { customerCode } from '../../lib/ledger/reference';
import { SEED_TIMEZONE } from '../../sandbox/seed/business';

// Story: a user edits the example flow and deploys it twenty times, ten
// full deploys and ten "modified nodes" deploys. Afterwards Node-RED holds
// exactly what one deploy leaves: the same HTTP routes, the same timers,
// one wake listener per poll, one ledger user per node that uses the
// ledger, and no extra process or runtime listeners. Then the flow still
// posts the seeded day.

const packageRoot = path.resolve(__dirname, '..', '..', '..');
const pkg = JSON.parse(
  fs.readFileSync(path.join(packageRoot, 'package.json'), 'utf8'),
) as { 'node-red': { nodes: Record<string, string> } };
const DEPLOYS = Number(process.env.SQX3_REDEPLOYS || 20);
const CORE_TYPES = new Set(['inject', 'debug', 'catch']);
const SWITCH = require.resolve('@node-red/nodes/core/function/10-switch.js', {
  paths: [path.dirname(require.resolve('node-red'))],
});

type FlowNode = Record<string, unknown> & { id: string; type: string };
type Layer = { route?: { path: string }; name?: string };

helper.init(require.resolve('node-red'));

/** The example flow; core nodes but the switch stood in for by helpers. */
function exampleFlow(
  urls: { square: string; x3: string; ledgerFile: string },
  deploy: number,
) {
  const flow = demoFlow(loadExampleFlow(packageRoot), {
    ...urls,
    notificationUrl: 'https://shop.example.test/square/webhook',
    backfillFrom: `${yesterdayIn(SEED_TIMEZONE, new Date())}T00:00:00Z`,
    firstPollDelaySec: 3600,
  }) as FlowNode[];
  return flow
    .filter((node) => node.type !== 'comment')
    .map((node) => {
      const { credentials: _credentials, ...rest } = node;
      if (CORE_TYPES.has(node.type)) return { ...rest, type: 'helper' };
      if (node.type === 'sqx3-ledger')
        return { ...rest, file: urls.ledgerFile };
      // Every deploy changes each node of the package but the config
      // nodes, so a "nodes" deploy restarts them and keeps the config nodes.
      if (
        node.type.startsWith('sqx3-') &&
        !node.type.endsWith('config') &&
        node.type !== 'sqx3-ledger'
      ) {
        return { ...rest, name: `${String(node.name)} ${deploy}` };
      }
      return rest;
    });
}

function credentialsOf(flow: FlowNode[]): Record<string, object> {
  const byType: Record<string, object> = {
    'sqx3-square-config': { accessToken: DEMO_SQUARE_TOKEN },
    'sqx3-x3-config': { secret: DEMO_JWT_SECRET },
    'sqx3-square-webhook': { signatureKey: DEMO_SIGNATURE_KEY },
  };
  return Object.fromEntries(
    flow
      .filter((node) => byType[node.type])
      .map((node) => [node.id, byType[node.type]]),
  );
}

function idOf(flow: FlowNode[], type: string): string {
  const node = flow.find((n) => n.type === type);
  assert.ok(node, type);
  return node.id;
}

describe(`${DEPLOYS} redeploys of the example flow`, () => {
  const square = createSquareEmulator({
    seed: { date: yesterdayIn(SEED_TIMEZONE, new Date()) },
  });
  const x3 = createX3Emulator();
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqx3-redeploy-'));
  let urls: { square: string; x3: string; ledgerFile: string };
  let red: NodeAPI | undefined;
  let modules: NodeInitializer[];

  const count = () => {
    const RED = red as NodeAPI & { events?: EventEmitter };
    const stack = (RED.httpNode as unknown as { _router: { stack: Layer[] } })
      ._router.stack;
    const flow = exampleFlow(urls, 0);
    const squareConfig = helper.getNode(
      idOf(flow, 'sqx3-square-config'),
    ) as unknown as {
      bus: EventEmitter;
    };
    const ledger = helper.getNode(idOf(flow, 'sqx3-ledger')) as unknown as {
      users: { nodes: Set<unknown> };
    };
    const events = RED.events;
    return {
      httpLayers: stack.length,
      webhookRoutes: stack.filter((l) => l.route?.path === '/square/webhook')
        .length,
      timers: process.getActiveResourcesInfo().filter((k) => k === 'Timeout')
        .length,
      wakeListeners: squareConfig.bus.listenerCount('wake'),
      ledgerUsers: ledger.users.nodes.size,
      runtimeListeners: events
        ? events
            .eventNames()
            .reduce((n, name) => n + events.listenerCount(name), 0)
        : 0,
      processListeners: process
        .eventNames()
        .reduce((n, name) => n + process.listenerCount(name), 0),
    };
  };

  let baseline: ReturnType<typeof count>;

  before(async () => {
    seedX3(x3, {
      customers: returningCustomers(yesterdayIn(SEED_TIMEZONE, new Date())).map(
        (c) => ({
          code: customerCode(c.id),
          name: c.name,
        }),
      ),
    });
    urls = {
      square: await square.start(0, '127.0.0.1'),
      x3: await x3.start(0, '127.0.0.1'),
      ledgerFile: path.join(userDir, 'sqx3-ledger.sqlite'),
    };
    const loaded = Object.values(pkg['node-red'].nodes).map(
      (file) => require(path.join(packageRoot, file)) as NodeInitializer,
    );
    const [first, ...rest] = loaded;
    modules = [
      (RED) => {
        red = RED;
        return first(RED);
      },
      ...rest,
      require(SWITCH) as NodeInitializer,
    ];
    await helper.startServer();
    const flow = exampleFlow(urls, 0);
    await helper.load(modules, flow as never, credentialsOf(flow) as never);
    for (const node of flow) {
      if (node.type !== 'tab')
        assert.ok(helper.getNode(node.id), `${node.id} started`);
    }
    baseline = count();
  });

  after(async () => {
    await helper.unload();
    await helper.stopServer();
    await square.stop();
    await x3.stop();
    fs.rmSync(userDir, { recursive: true, force: true });
  });

  test('the first deploy: one route, the poll timers, every ledger user', () => {
    const flow = exampleFlow(urls, 0);
    const ledgerUsers = flow.filter(
      (node) =>
        node.ledger === idOf(flow, 'sqx3-ledger') &&
        node.type !== 'sqx3-ledger',
    ).length;
    assert.equal(baseline.webhookRoutes, 1);
    assert.equal(baseline.wakeListeners, 1);
    assert.equal(baseline.ledgerUsers, ledgerUsers);
    assert.ok(ledgerUsers >= 8, `${ledgerUsers} nodes use the ledger`);
  });

  test('full and "nodes" deploys leave nothing behind', async () => {
    const poll = idOf(exampleFlow(urls, 0), 'sqx3-square-poll');
    for (let deploy = 1; deploy <= DEPLOYS; deploy++) {
      const type = deploy % 2 ? 'full' : 'nodes';
      const flow = exampleFlow(urls, deploy);
      await helper.setFlows(flow as never, type, credentialsOf(flow) as never);
      assert.equal(
        helper.getNode(poll).name,
        `Square poll ${deploy}`,
        `${type} deploy`,
      );
      assert.deepEqual(count(), baseline, `after deploy ${deploy} (${type})`);
    }
  });

  test('after the redeploys one poll posts the seeded day, once', async () => {
    const flow = exampleFlow(urls, DEPLOYS);
    const poll = helper.getNode(idOf(flow, 'sqx3-square-poll'));
    const posted = () => x3.documents().invoices.length;
    poll.receive({ topic: 'poll' } as never);
    const deadline = Date.now() + 30_000;
    let last = -1;
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      if (posted() > 0 && posted() === last) break;
      last = posted();
    }
    const invoices = x3
      .documents()
      .invoices.map((doc) => doc.customerReference);
    assert.ok(invoices.length > 0, 'the day was posted');
    assert.equal(new Set(invoices).size, invoices.length, 'each invoice once');
  });
});
