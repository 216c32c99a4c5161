import { isUnfinished } from '../store/states';
import type { SyncRecord } from './record';

// Decides whether a record fetched from Square goes down the flow. A new
// or newer version does; a duplicate does not, unless an earlier run left
// it half-way (Node-RED stopped between receiving and posting), in which
// case it is picked up again once it has been quiet for a while.

export interface IntakeLedger {
  receive(record: SyncRecord): { outcome: string; state: string };
  get(key: string): { state: string; updatedAt?: string } | undefined;
  trail(key: string, stage: string, detail: string): void;
  /** runs the writes of work as one transaction (lib/store Ledger) */
  atomically?<T>(work: () => T): T;
}

export function admit(
  ledger: IntakeLedger,
  record: SyncRecord,
  stuckAfterMs = 120_000,
  now: number = Date.now(),
): boolean {
  const { outcome, state } = ledger.receive(record);
  if (outcome === 'new' || outcome === 'newer') return true;
  if (outcome !== 'duplicate' || !isUnfinished(state)) return false;

  const updatedAt = Date.parse(ledger.get(record.key)?.updatedAt ?? '');
  if (Number.isNaN(updatedAt) || now - updatedAt < stuckAfterMs) return false;

  ledger.trail(record.key, 'resumed', `left ${state} by an earlier run`);
  return true;
}

/** admit for a page of records, in one ledger transaction: those to send. */
export function admitAll(
  ledger: IntakeLedger,
  records: SyncRecord[],
  stuckAfterMs = 120_000,
  now: number = Date.now(),
): SyncRecord[] {
  const run = () =>
    records.filter((record) => admit(ledger, record, stuckAfterMs, now));
  return ledger.atomically ? ledger.atomically(run) : run();
}
