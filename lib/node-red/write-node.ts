import type { Node, NodeAPI, NodeDef, NodeMessageInFlow } from 'node-red';
import { planPosting } from '../ledger/plan';
import type {
  PostingMode,
  PostingPlan,
  ResolvedMapping,
  X3Document,
} from '../ledger/types';
import type { SyncRecord } from '../sync/record';
import { postStep } from '../sync/write-step';
import type { LedgerConfigNode, X3ConfigNode } from './config-types';
import { LedgerError } from '../store/errors';
import {
  LedgerTrouble,
  busy,
  errorText,
  fail,
  ok,
  onInput,
  type Done,
  type Send,
  logsDebug,
} from './kit';

// The input handler of the invoice, GL post and GL reversal nodes: each
// posts its own share of a record's documents; messages of other topics
// pass through untouched, so the nodes can be chained in any order.

export type WriteMsg = NodeMessageInFlow & {
  payload: SyncRecord;
  mapping?: ResolvedMapping;
  posting?: { mode: PostingMode; itemisedCreditMemo: boolean };
  x3?: X3Result;
};

export interface X3Result {
  customer?: string;
  invoices: string[];
  entries: string[];
  /** documents this message had X3 create; 0 when all were there already */
  sent?: number;
}

export interface WriteNodeOptions {
  store: LedgerConfigNode;
  x3: X3ConfigNode;
  topics: string[];
  mine: (doc: X3Document) => boolean;
  /** settings.js keeps debug lines (kit.ts logsDebug) */
  logsDebug?: boolean;
}

// The invoice and GL nodes of one path get the same record and mapping
// objects (Node-RED clones a message only for a second wire), so the
// second node takes the first one's plan instead of planning again.
const plans = new WeakMap<
  ResolvedMapping,
  { record: SyncRecord; key: string; plan: PostingPlan }
>();

function planOf(
  record: SyncRecord,
  mapping: ResolvedMapping,
  posting: { mode: PostingMode; itemisedCreditMemo: boolean },
): PostingPlan {
  const key = `${posting.mode}:${posting.itemisedCreditMemo}`;
  const known = plans.get(mapping);
  if (known && known.record === record && known.key === key) {
    return known.plan;
  }
  const plan = planPosting(record, mapping, posting);
  plans.set(mapping, { record, key, plan });
  return plan;
}

/** Status shown at most this often: a backlog moves thousands a minute. */
const STATUS_EVERY_MS = 500;

export function writeHandler(node: Node, opts: WriteNodeOptions) {
  let posted = 0;
  let counting = false;
  const ledger = opts.store.ledger;
  // The latest status wins; while records keep coming, one is painted
  // every STATUS_EVERY_MS at most; an idle node shows its count at once.
  let shownAt = 0;
  let active = 0;
  let latest: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  const paint = () => {
    clearTimeout(timer);
    timer = undefined;
    shownAt = Date.now();
    latest?.();
  };
  const show = (next: () => void) => {
    latest = next;
    const wait = shownAt + STATUS_EVERY_MS - Date.now();
    if (wait <= 0 || active === 0) paint();
    else if (!timer) timer = setTimeout(paint, wait).unref();
  };
  // Back from the ledger's trouble: the count, or nothing before a record.
  const trouble = new LedgerTrouble(node, opts.store.health, () => {
    if (counting) ok(node, `${posted} posted`);
    else node.status({});
  });

  return async (msg: WriteMsg, send: Send, done: Done) => {
    const record = msg.payload;
    if (!opts.topics.includes(record?.kind)) {
      send(msg);
      done();
      return;
    }
    if (!msg.mapping) {
      fail(node, done, new Error(`${record.key} has no msg.mapping`));
      return;
    }

    counting = true;
    try {
      const plan = planOf(record, msg.mapping, {
        mode: msg.posting?.mode ?? 'invoice',
        itemisedCreditMemo: msg.posting?.itemisedCreditMemo ?? true,
      });
      if (plan.documents.length === 0) {
        ledger.setState(record.key, 'skipped', plan.skipReason ?? 'nothing');
        send(msg);
        done();
        return;
      }

      active += 1;
      show(() => busy(node, record.key));
      const step = await postStep({
        ledger,
        x3: opts.x3.gateway,
        plan,
        mine: opts.mine,
      }).finally(() => (active -= 1));
      const x3 = msg.x3 ?? { invoices: [], entries: [] };
      for (const result of step.results) {
        const doc = plan.documents.find((d) => d.docKey === result.docKey);
        const list = doc?.type === 'invoice' ? x3.invoices : x3.entries;
        if (!list.includes(result.number)) list.push(result.number);
        if (result.outcome === 'posted') {
          posted += 1;
          x3.sent = (x3.sent ?? 0) + 1;
        }
      }
      x3.sent ??= 0;
      if (opts.logsDebug && step.results.length > 0) {
        // The trail holds every step; the log only at debug level.
        node.debug(
          `${record.key} ${describe(step.results)}` +
            (step.complete ? ' (record posted)' : ''),
        );
      }
      show(() => ok(node, `${posted} posted`));
      send({ ...msg, x3 });
      done();
    } catch (error) {
      // the red status below is not painted over by a pending one
      clearTimeout(timer);
      timer = undefined;
      if (error instanceof LedgerError && error.code === 'LEDGER_WRITE') {
        // postOnce calls X3 only after the ledger recorded `posting`.
        trouble.show('ledger not writable');
        done(new Error(`${record.key}: ${error.message}`));
        return;
      }
      try {
        ledger.setState(record.key, 'failed', errorText(error));
      } catch {
        // The ledger itself failing is reported below with the cause.
      }
      // Catch and the debug sidebar see which record failed, and why.
      const named = new Error(`${record.key}: ${errorText(error)}`);
      if (error instanceof Error) named.name = error.name;
      trouble.fail(done, named, error);
    }
  };
}

function describe(results: { number: string; outcome: string }[]): string {
  return results.map((r) => `${r.outcome} ${r.number}`).join(', ');
}

interface WriteNodeDef extends NodeDef {
  x3: string;
  ledger: string;
}

/** Registers one of the X3 write node types: invoice, GL post, reversal. */
export function registerWriteNode(
  RED: NodeAPI,
  type: string,
  share: Pick<WriteNodeOptions, 'topics' | 'mine'>,
): void {
  function WriteNode(this: Node, config: WriteNodeDef) {
    RED.nodes.createNode(this, config);
    const x3 = RED.nodes.getNode(config.x3) as X3ConfigNode | null;
    const store = RED.nodes.getNode(config.ledger) as LedgerConfigNode | null;
    if (!x3 || !store) {
      this.status({ fill: 'red', shape: 'ring', text: 'missing config' });
      return;
    }
    store.users.add(this);
    x3.register?.(this);
    this.on('close', () => {
      store.users.remove(this);
      x3.deregister?.(this);
    });

    const debug = logsDebug(RED.settings);
    onInput(
      this,
      writeHandler(this, { store, x3, logsDebug: debug, ...share }),
    );
  }

  RED.nodes.registerType(type, WriteNode);
}
