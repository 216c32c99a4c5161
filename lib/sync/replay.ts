import { UNFINISHED_STATES } from '../store/states';
import type { SyncRecord } from './record';

// Replay commands, as an inject node sends them to the audit node:
//   "sale:ORDER_ID" or {key}            one record
//   {state: "failed"} / {state: "held"} every record in that state
//   {from: "2026-12-01", to: "2026-12-03"} records of Square dates in range

export type ReplayCommand =
  { key: string } | { state: 'failed' | 'held' } | { from: string; to: string };

/**
 * A command the user got wrong (a key the ledger does not hold, a bad
 * shape): reported in one line, without a stack, as input and not as a
 * fault of the connector.
 */
export class CommandError extends Error {
  readonly code = 'COMMAND_INVALID';

  constructor(message: string) {
    super(message);
    this.name = 'CommandError';
  }
}

export interface ReplayLedger {
  get(key: string): { record?: SyncRecord | null } | undefined;
  list(query: {
    state?: string;
    from?: string;
    to?: string;
    limit?: number;
    offset?: number;
  }): Array<{ key: string; record?: SyncRecord | null; updatedAt?: string }>;
  trail(key: string, stage: string, detail: string): void;
}

export function parseReplay(payload: unknown): ReplayCommand {
  if (typeof payload === 'string' && payload.includes(':')) {
    return { key: payload.trim() };
  }
  const p = (payload ?? {}) as Record<string, unknown>;
  if (typeof p.key === 'string') return { key: p.key };
  if (p.state === 'failed' || p.state === 'held') return { state: p.state };
  if (typeof p.from === 'string' && typeof p.to === 'string') {
    const day = /^\d{4}-\d{2}-\d{2}/;
    if (!day.test(p.from) || !day.test(p.to)) {
      throw new CommandError('replay from and to are dates, YYYY-MM-DD');
    }
    if (p.from > p.to) {
      throw new CommandError(
        `replay range runs backwards: ${p.from} is after ${p.to}`,
      );
    }
    return { from: p.from, to: p.to };
  }
  throw new CommandError(
    'replay needs a record key, {state: "failed"|"held"} or {from, to}',
  );
}

export function* replayRecords(
  ledger: ReplayLedger,
  command: ReplayCommand,
  pageSize = 200,
): Generator<SyncRecord> {
  if ('key' in command) {
    const row = ledger.get(command.key);
    if (!row?.record) {
      throw new CommandError(`no stored record ${command.key}`);
    }
    yield asReplay(ledger, row.record);
    return;
  }
  // Keys are collected first: replaying changes states, which would
  // otherwise shift the pages of a state query under our feet.
  const keys: SyncRecord[] = [];
  for (let offset = 0; ; offset += pageSize) {
    const page = ledger.list({ ...command, limit: pageSize, offset });
    for (const row of page) if (row.record) keys.push(row.record);
    if (page.length < pageSize) break;
  }
  for (const record of keys) yield asReplay(ledger, record);
}

/**
 * Records left in an unfinished state by an earlier run (last touched
 * before `before`, an ISO time), re-emitted as replays.
 */
export function* unfinishedRecords(
  ledger: ReplayLedger,
  before: string,
  pageSize = 200,
): Generator<SyncRecord> {
  const found: Array<{ record: SyncRecord; state: string }> = [];
  for (const state of UNFINISHED_STATES) {
    for (let offset = 0; ; offset += pageSize) {
      const page = ledger.list({ state, limit: pageSize, offset });
      for (const row of page) {
        const stale = row.updatedAt !== undefined && row.updatedAt < before;
        if (row.record && stale) found.push({ record: row.record, state });
      }
      if (page.length < pageSize) break;
    }
  }
  for (const { record, state } of found) {
    ledger.trail(record.key, 'resumed', `left ${state} by an earlier run`);
    yield { ...record, source: 'replay' };
  }
}

function asReplay(ledger: ReplayLedger, record: SyncRecord): SyncRecord {
  ledger.trail(record.key, 'replay', `replayed from ${record.source}`);
  return { ...record, source: 'replay' };
}
