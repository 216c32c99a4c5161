import type { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import helper from 'node-red-node-test-helper';
import type { Node, NodeAPI, NodeInitializer, NodeMessage } from 'node-red';
import type { SinonSpy } from 'sinon';
import audit from '../../nodes/sqx3-audit';
import ledger from '../../nodes/sqx3-ledger';
import mapping from '../../nodes/sqx3-mapping';
import squareConfig from '../../nodes/sqx3-square-config';
import squarePoll from '../../nodes/sqx3-square-poll';
import squareWebhook from '../../nodes/sqx3-square-webhook';
import x3Config from '../../nodes/sqx3-x3-config';
import x3Customer from '../../nodes/sqx3-x3-customer';
import x3GlPost from '../../nodes/sqx3-x3-gl-post';
import x3GlReversal from '../../nodes/sqx3-x3-gl-reversal';
import x3Invoice from '../../nodes/sqx3-x3-invoice';
import reconcile from '../../nodes/sqx3-reconcile';
import type { Ledger } from '../../lib/store/ledger';
import { SquareClient } from '../../lib/square/client';
import { customerCode } from '../../lib/ledger/reference';
import {
  createSquareEmulator,
  yesterdayIn,
} from '../../sandbox/square/emulator';
import { createX3Emulator } from '../../sandbox/x3/emulator';
import { seedX3 } from '../../sandbox/seed/x3-setup';
import { GOLDEN, returningCustomers } from '../../sandbox/seed/square-day';
import { saleRecordForOrder } from '../../lib/square/fetch-record';
import type { SyncRecord } from '../../lib/sync/record';
import { SEED_TIMEZONE } from '../../sandbox/seed/business';
import {
  DEMO_API1_PASSWORD,
  DEMO_API1_USER,
  DEMO_SOAP,
} from '../../sandbox/demo';

// What every node test shares: the eleven node modules, a way to reach
// the RED the helper hands them, config nodes aimed at the emulators,
// and small waits that fail with a message instead of hanging.

helper.init(require.resolve('node-red'));
export { helper };

export const PACKAGE_ROOT = path.resolve(__dirname, '..', '..', '..');
export const SQUARE_TOKEN = 'sqx3-demo-token';
export const X3_SECRET = 'sqx3-demo-jwt-secret';
export const SIGNATURE_KEY = 'sqx3-node-test-signature-key';
export const TAB = 'tab1';

export const MODULES: Record<string, NodeInitializer> = {
  'sqx3-square-config': squareConfig,
  'sqx3-square-webhook': squareWebhook,
  'sqx3-square-poll': squarePoll,
  'sqx3-x3-config': x3Config,
  'sqx3-ledger': ledger,
  'sqx3-mapping': mapping,
  'sqx3-x3-customer': x3Customer,
  'sqx3-x3-invoice': x3Invoice,
  'sqx3-x3-gl-post': x3GlPost,
  'sqx3-x3-gl-reversal': x3GlReversal,
  'sqx3-audit': audit,
  'sqx3-reconcile': reconcile,
};

/** All eleven modules; the first one keeps the RED of the latest load. */
export function allModules(): {
  modules: NodeInitializer[];
  red: () => NodeAPI;
} {
  let captured: NodeAPI | undefined;
  const [first, ...rest] = Object.values(MODULES);
  const spy: NodeInitializer = (RED) => {
    captured = RED;
    return first(RED);
  };
  return {
    modules: [spy, ...rest],
    red: () => {
      if (!captured) throw new Error('no flow loaded yet');
      return captured;
    },
  };
}

// Node ids in these flows never equal another property's value (a type,
// a name): Node-RED takes such a match for a config node reference and
// may refuse to start the flow, reporting a cycle.
export type FlowNode = { id: string; type: string; [key: string]: unknown };

function exampleFlow(): FlowNode[] {
  const file = path.join(PACKAGE_ROOT, 'flows', 'Square to Sage X3.json');
  return JSON.parse(fs.readFileSync(file, 'utf8')) as FlowNode[];
}

function exampleNode(type: string): FlowNode {
  const node = exampleFlow().find((n) => n.type === type);
  if (!node) throw new Error(`the example flow has no ${type}`);
  return node;
}

/** The mapping tables of the example flow, as objects to edit. */
export function exampleTables(): Record<string, any> {
  return JSON.parse(String(exampleNode('sqx3-mapping').tables));
}

export function squareConfigNode(id: string, baseUrl: string): FlowNode {
  return { ...exampleNode('sqx3-square-config'), id, baseUrl };
}

export function x3ConfigNode(id: string, url: string): FlowNode {
  return { ...exampleNode('sqx3-x3-config'), id, url };
}

/** An X3 config on classic SOAP, with the emulator's pool and publications. */
export function soapConfigNode(id: string, url: string): FlowNode {
  return { ...x3ConfigNode(id, url), ...DEMO_SOAP };
}

/** The X3 emulator's Basic user, as a SOAP config's credentials. */
export const SOAP_CREDENTIALS = {
  soapUser: DEMO_API1_USER,
  soapPassword: DEMO_API1_PASSWORD,
};

/** DESIGN §5's golden sale as the poll reads it. */
export async function goldenSale(client: SquareClient): Promise<SyncRecord> {
  const record = await saleRecordForOrder(client, GOLDEN.orderId, 'poll');
  if (!record) throw new Error('the golden sale is not in the seeded day');
  return record;
}

export function ledgerNode(id: string): FlowNode {
  return { id, type: 'sqx3-ledger', name: 'sync ledger', file: ':memory:' };
}

export function mappingNode(
  id: string,
  ledgerId: string,
  wires: string[][],
  tables: Record<string, unknown> = exampleTables(),
): FlowNode {
  return {
    id,
    type: 'sqx3-mapping',
    z: TAB,
    ledger: ledgerId,
    tables: JSON.stringify(tables),
    mode: 'invoice',
    creditMemo: true,
    wires,
  };
}

export function writeNode(
  type: string,
  id: string,
  ids: { x3: string; ledger: string },
  wires: string[][],
): FlowNode {
  return { id, type, z: TAB, ...ids, wires };
}

export function sink(id: string): FlowNode {
  return { id, type: 'helper', z: TAB };
}

/**
 * The X3 half of the example flow: sales run mapping -> customer ->
 * invoice -> GL post into the sink 'sales', refunds mapping -> credit
 * memo -> GL reversal into 'refunds'; held records go to 'held'.
 */
export function x3ChainFlow(x3Config: FlowNode): FlowNode[] {
  const cfg = { x3: x3Config.id, ledger: 'cfg-ledger' };
  return [
    tab(),
    x3Config,
    ledgerNode('cfg-ledger'),
    mappingNode('map-sales', 'cfg-ledger', [['customer'], ['held']]),
    writeNode('sqx3-x3-customer', 'customer', cfg, [['invoice']]),
    writeNode('sqx3-x3-invoice', 'invoice', cfg, [['glpost']]),
    writeNode('sqx3-x3-gl-post', 'glpost', cfg, [['sales']]),
    mappingNode('map-refunds', 'cfg-ledger', [['memo'], ['held']]),
    writeNode('sqx3-x3-invoice', 'memo', cfg, [['reversal']]),
    writeNode('sqx3-x3-gl-reversal', 'reversal', cfg, [['refunds']]),
    sink('sales'),
    sink('refunds'),
    sink('held'),
  ];
}

/** An X3 entry's lines as [account, debit, credit]. */
export function entryLines(entry: {
  lines: { account: string; debit: string | null; credit: string | null }[];
}): (string | null)[][] {
  return entry.lines.map((l) => [l.account, l.debit, l.credit]);
}

export function tab(): FlowNode {
  return { id: TAB, type: 'tab', label: 'node tests' };
}

/** Yesterday in the seed's time zone, as the demo seeds it. */
export function seedDate(): string {
  return yesterdayIn(SEED_TIMEZONE, new Date());
}

export async function startSquare(date: string) {
  const square = createSquareEmulator({ seed: { date } });
  const url = await square.start(0, '127.0.0.1');
  const client = new SquareClient({
    baseUrl: url,
    getAccessToken: async () => SQUARE_TOKEN,
  });
  return { square, url, client };
}

export async function startX3() {
  const x3 = createX3Emulator();
  seedX3(x3, {
    customers: returningCustomers().map((c) => ({
      code: customerCode(c.id),
      name: c.name,
    })),
  });
  const url = await x3.start(0, '127.0.0.1');
  return { x3, url };
}

/**
 * helper.load, then a check that every node of the flow was created:
 * Node-RED only logs a node (or a whole flow) that failed to start.
 */
export async function load(
  modules: NodeInitializer[],
  flow: FlowNode[],
  credentials: Record<string, object> = {},
): Promise<void> {
  await helper.load(modules, flow as never, credentials as never);
  const missing = flow
    .filter((n) => n.type !== 'tab' && !helper.getNode(n.id))
    .map((n) => n.id);
  if (missing.length) throw new Error(`not started: ${missing.join(', ')}`);
}

export function ledgerOf(id: string): Ledger {
  return (helper.getNode(id) as unknown as { ledger: Ledger }).ledger;
}

/** Every message that reaches a helper node, in order. */
export class Inbox<M = any> {
  readonly messages: M[] = [];

  constructor(readonly node: Node) {
    node.on('input', (msg: NodeMessage) => this.messages.push(msg as M));
  }

  static of<M = any>(id: string): Inbox<M> {
    return new Inbox<M>(helper.getNode(id));
  }

  /** Resolves once `count` messages in all have arrived. */
  async receive(count: number, timeoutMs = 5000): Promise<M[]> {
    await until(
      `${count} messages at ${this.node.id} (got ${this.messages.length})`,
      () => this.messages.length >= count,
      timeoutMs,
    );
    return this.messages.slice(0, count);
  }

  /** Waits a little and fails if anything beyond `count` arrived. */
  async stays(count: number, ms = 300): Promise<void> {
    await sleep(ms);
    if (this.messages.length !== count) {
      throw new Error(
        `${this.node.id} expected ${count} messages, got ${this.messages.length}`,
      );
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function until(
  what: string,
  probe: () => boolean,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

type Status = { fill?: string; shape?: string; text?: string };

/** The status calls one node made, oldest first. */
export function statuses(node: Node): Status[] {
  return calls(node, 'status').map((args) => args[0] as Status);
}

export function lastStatus(node: Node): Status | undefined {
  return statuses(node).at(-1);
}

/** The arguments of each call of a spied Node method on this node. */
export function calls(
  node: Node,
  method: 'status' | 'log' | 'warn' | 'error',
): unknown[][] {
  const spy = (node as unknown as Record<string, SinonSpy>)[method];
  return spy
    .getCalls()
    .filter((call) => call.thisValue === node)
    .map((call) => call.args);
}

/** Resolves at the node's next log line that starts with `prefix`. */
export function nextLog(of: Node, prefix: string, timeoutMs = 5000) {
  const node = of as unknown as EventEmitter & { id: string };
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      node.removeListener('call:log', onLog);
      reject(new Error(`no "${prefix}" log from ${node.id}`));
    }, timeoutMs);
    function onLog(call: { args: unknown[] }) {
      const line = String(call.args[0]);
      if (!line.startsWith(prefix)) return;
      clearTimeout(timer);
      node.removeListener('call:log', onLog);
      resolve(line);
    }
    node.on('call:log', onLog);
  });
}

export function activeTimers(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout')
    .length;
}
