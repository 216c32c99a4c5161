import type { Node, NodeAPI, NodeDef, NodeMessageInFlow } from 'node-red';
import type { LedgerConfigNode } from '../lib/node-red/config-types';
import { fail, ok, warn, type Done, type Send, onInput } from '../lib/node-red/kit';
import { parseReplay, replayRecords } from '../lib/sync/replay';
import type { SyncRecord } from '../lib/sync/record';

interface Def extends NodeDef {
  ledger: string;
}

type In = NodeMessageInFlow & {
  payload: unknown;
  error?: { message?: string; source?: { type?: string } };
  held?: string[];
  x3?: { customer?: string; invoices: string[]; entries: string[] };
};

export = function register(RED: NodeAPI) {
  function Audit(this: Node, config: Def) {
    RED.nodes.createNode(this, config);
    const store = RED.nodes.getNode(config.ledger) as LedgerConfigNode | null;
    if (!store) {
      this.status({ fill: 'red', shape: 'ring', text: 'missing ledger' });
      return;
    }
    const ledger = store.ledger;

    const showCounts = () => {
      const counts = ledger.counts() as Record<string, number>;
      const text =
        `${counts.posted ?? 0} posted · ${counts.held ?? 0} held · ` +
        `${counts.failed ?? 0} failed`;
      ((counts.held ?? 0) + (counts.failed ?? 0) > 0 ? warn : ok)(this, text);
    };

    onInput(this, (msg: In, send: Send, done: Done) => {
      try {
        if (msg.topic === 'replay') {
          let replayed = 0;
          for (const record of replayRecords(ledger, parseReplay(msg.payload))) {
            replayed += 1;
            send([{ topic: record.kind, payload: record }, null]);
          }
          this.log(`replayed ${replayed} records`);
          send([null, { topic: 'replayed', payload: { replayed } }]);
        } else if (msg.topic === 'list') {
          const query = (msg.payload ?? {}) as Record<string, string>;
          const rows = ledger.list({ ...query, limit: 100 });
          send([null, { topic: 'list', payload: rows.map(summaryOf) }]);
        } else if (msg.topic === 'trail') {
          const key = String(msg.payload);
          send([null, { topic: 'trail', payload: ledger.trailOf(key) }]);
        } else {
          send([null, report(msg)]);
        }
        showCounts();
        done();
      } catch (error) {
        fail(this, done, error);
      }
    });

    const report = (msg: In) => {
      const record = msg.payload as SyncRecord | undefined;
      const key = record?.key ?? 'unknown';
      if (msg.error) {
        const message = msg.error.message ?? 'failed';
        // An error about a record the ledger never stored (a bad replay
        // key, say) is reported only; throwing here would loop via Catch.
        const row = record?.key ? ledger.get(key) : undefined;
        if (row && row.state !== 'failed') {
          ledger.setState(key, 'failed', message);
        }
        return { topic: 'failed', payload: { key, error: message } };
      }
      const row = record?.key ? ledger.get(key) : undefined;
      const state = row?.state ?? (msg.held ? 'held' : 'unknown');
      ledger.trail(key, 'audited', state);
      return {
        topic: state,
        payload: {
          summary: summarise(key, state, msg),
          key,
          state,
          detail: msg.held ?? row?.detail,
          x3: msg.x3,
        },
      };
    };

    showCounts();
  }

  RED.nodes.registerType('sqx3-audit', Audit);
};

function summarise(key: string, state: string, msg: In): string {
  if (msg.held) return `${key} held: missing ${msg.held.join('; ')}`;
  const x3 = msg.x3;
  if (!x3) return `${key} ${state}`;
  const parts = [
    ...x3.invoices.map((number) => `invoice ${number}`),
    ...x3.entries.map((number) => `entry ${number}`),
  ];
  if (x3.customer && parts.length === 0) parts.push(`customer ${x3.customer}`);
  return `${key} ${state}${parts.length ? `: ${parts.join(', ')}` : ''}`;
}

function summaryOf(row: {
  key: string;
  state: string;
  detail?: string | null;
}) {
  return { key: row.key, state: row.state, detail: row.detail };
}
