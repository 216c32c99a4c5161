import type { Node, NodeAPI, NodeDef, NodeMessageInFlow } from 'node-red';
import type { LedgerConfigNode } from '../lib/node-red/config-types';
import {
  broken,
  fail,
  ok,
  shorten,
  warn,
  type Done,
  type Send,
  onInput,
} from '../lib/node-red/kit';
import {
  CommandError,
  parseReplay,
  replayRecords,
  unfinishedRecords,
} from '../lib/sync/replay';
import type { SyncRecord } from '../lib/sync/record';
import { listLine, summarise } from '../lib/node-red/audit-lines';
import type { X3Result } from '../lib/node-red/write-node';

// The end of every path: records each message's outcome in the ledger,
// shows the counts, re-emits stored records (replay commands, and on
// start the records an earlier run left half-way), and drops the stored
// Square payloads of settled records after the retention period.

interface Def extends NodeDef {
  ledger: string;
  /** days to keep the payload of posted records; empty keeps them */
  retentionDays?: string | number;
  /** seconds after start before unfinished records are picked up */
  resumeAfterSec?: string | number;
  /** where a replay command's argument is read: msg.payload by default */
  replay?: string;
  replayType?: string;
}

type In = NodeMessageInFlow & {
  payload: unknown;
  error?: { message?: string; source?: { id?: string; type?: string } };
  held?: string[];
  x3?: X3Result;
};

const DAY_MS = 86_400_000;
const DEFAULT_RESUME_SEC = 5;

export = function register(RED: NodeAPI) {
  function Audit(this: Node, config: Def) {
    RED.nodes.createNode(this, config);
    const store = RED.nodes.getNode(config.ledger) as LedgerConfigNode | null;
    if (!store) {
      this.status({
        fill: 'red',
        shape: 'ring',
        text: 'sqx3-audit.status.missingLedger',
      });
      return;
    }
    const ledger = store.ledger;
    const startedAt = new Date().toISOString();
    const timers: NodeJS.Timeout[] = [];

    const showCounts = () => {
      const counts = ledger.counts() as Record<string, number>;
      const text =
        `${counts.posted ?? 0} posted · ${counts.held ?? 0} held · ` +
        `${counts.failed ?? 0} failed`;
      ((counts.held ?? 0) + (counts.failed ?? 0) > 0 ? warn : ok)(this, text);
    };
    store.users.add(this, showCounts);
    this.on('close', () => store.users.remove(this));

    const emit = (send: Send, records: Iterable<SyncRecord>): number => {
      let count = 0;
      for (const record of records) {
        count += 1;
        send([{ topic: record.kind, payload: record }, null]);
      }
      return count;
    };

    const replayArgument = (msg: In): Promise<unknown> =>
      new Promise((resolve, reject) => {
        RED.util.evaluateNodeProperty(
          config.replay || 'payload',
          config.replayType || 'msg',
          this,
          msg,
          (error: Error | null, value: unknown) =>
            error ? reject(error) : resolve(value),
        );
      });

    onInput(this, async (msg: In, send: Send, done: Done) => {
      // Our own error about a held record, back through a Catch node.
      if (msg.error?.source?.id === this.id) {
        done();
        return;
      }
      try {
        if (msg.topic === 'replay') {
          const command = parseReplay(commandOf(await replayArgument(msg)));
          const replayed = emit(send, replayRecords(ledger, command));
          this.log(`replayed ${replayed} record${replayed === 1 ? '' : 's'}`);
          send([
            null,
            {
              topic: 'replayed',
              payload: { replayed },
              summary: `replayed ${replayed} record${replayed === 1 ? '' : 's'}`,
            },
          ]);
        } else if (msg.topic === 'list') {
          const query = (msg.payload ?? {}) as Record<string, string>;
          const rows = ledger.list({ ...query, limit: 100 });
          const listed = rows.map(summaryOf);
          send([
            null,
            { topic: 'list', payload: listed, summary: listLine(listed) },
          ]);
        } else if (msg.topic === 'trail') {
          const key = String(msg.payload);
          const trail = ledger.trailOf(key);
          const last = trail.at(-1);
          send([
            null,
            {
              topic: 'trail',
              payload: trail,
              summary:
                `${key}: ${trail.length} trail entries` +
                (last
                  ? `, last ${last.stage} ${last.detail ?? ''}`.trimEnd()
                  : ''),
            },
          ]);
        } else if (msg.topic === 'prune') {
          const days = Number(msg.payload ?? config.retentionDays);
          const pruned = prune(days);
          send([
            null,
            {
              topic: 'pruned',
              payload: { pruned },
              summary: `dropped the stored payload of ${pruned} records`,
            },
          ]);
        } else {
          if (!msg.error && !(msg.payload as SyncRecord | undefined)?.key) {
            throw new CommandError(
              `unknown command "${String(msg.topic)}": send a sync record, ` +
                'or topic replay, list, trail or prune',
            );
          }
          const out = report(msg);
          send([null, { ...out, summary: out.payload.summary }]);
          if (out.topic === 'held') {
            // Catch nodes see holds as they see failures.
            this.error(String(out.payload.summary), msg);
          }
        }
        showCounts();
        done();
      } catch (error) {
        if (error instanceof CommandError) {
          // the user's input, not a fault: one line for Catch, no stack
          broken(this, shorten(error.message, 40));
          this.error(error.message, msg);
          done();
          return;
        }
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
        const row = record?.key ? ledger.glance(key) : undefined;
        if (row && row.state !== 'failed') {
          ledger.setState(key, 'failed', message);
        }
        return {
          topic: 'failed',
          payload: {
            summary: `${key} failed: ${message}`,
            key,
            error: message,
          },
        };
      }
      // state and detail only: the stored record is not parsed again
      const row = record?.key ? ledger.glance(key) : undefined;
      const state = row?.state ?? (msg.held ? 'held' : 'unknown');
      if (row) ledger.trail(key, 'audited', state);
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

    const prune = (days: number): number => {
      if (!Number.isFinite(days) || days <= 0) {
        throw new CommandError('prune needs a number of days greater than 0');
      }
      const pruned = ledger.prunePayloads(days);
      if (pruned > 0) {
        this.log(
          `dropped the stored payload of ${pruned} records ` +
            `settled over ${days} days ago; their trail stays`,
        );
      }
      return pruned;
    };

    const retention = Number(config.retentionDays);
    if (config.retentionDays !== '' && retention > 0) {
      const sweep = () => {
        try {
          prune(retention);
        } catch (error) {
          this.error(`payload retention: ${(error as Error).message}`);
        }
      };
      timers.push(setTimeout(sweep, 1000), setInterval(sweep, DAY_MS));
    }

    // Records a stopped or killed run left half-way go round again; the
    // write nodes look every `posting` document up in X3 before posting.
    const resumeSec =
      config.resumeAfterSec === undefined || config.resumeAfterSec === ''
        ? DEFAULT_RESUME_SEC
        : Number(config.resumeAfterSec);
    if (resumeSec >= 0) {
      timers.push(
        setTimeout(() => {
          try {
            const records = unfinishedRecords(ledger, startedAt);
            const count = emit((m) => this.send(m), records);
            if (count > 0) this.log(`resumed ${count} unfinished records`);
            showCounts();
          } catch (error) {
            this.error(
              `resuming unfinished records: ${(error as Error).message}`,
            );
          }
        }, resumeSec * 1000),
      );
    }

    this.on('close', (_removed: boolean, done: () => void) => {
      for (const timer of timers) clearTimeout(timer);
      done();
    });

    try {
      showCounts();
    } catch (error) {
      // The ledger node shows its own trouble on this node.
      this.error(`ledger counts: ${(error as Error).message}`);
    }
  }

  RED.nodes.registerType('sqx3-audit', Audit);
};

/** A typed-in command: "failed", "held", a record key or JSON text. */
function commandOf(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (text === 'failed' || text === 'held') return { state: text };
  if (!text.startsWith('{')) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new CommandError(`replay command is not JSON: ${shorten(text, 40)}`);
  }
}

function summaryOf(row: {
  key: string;
  state: string;
  detail?: string | null;
}) {
  return { key: row.key, state: row.state, detail: row.detail };
}
