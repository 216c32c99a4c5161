import type { Database, Statement } from 'better-sqlite3';
import type { RecordState } from './types';

// Record counts by state without a scan per call, and the record state
// changes this process committed, for whoever waits on them (the poll's
// back-pressure). Moves are collected inside a transaction and applied
// only once it commits (a savepoint that rolls back drops its own); a
// commit by another connection (PRAGMA data_version changes) makes the
// next count a fresh scan.

export type StateListener = (key: string, state: RecordState) => void;

interface Move {
  key: string;
  from: RecordState | undefined;
  to: RecordState;
}

export class Tally {
  private pending: Move[] = [];
  private counts?: Record<RecordState, number>;
  private version = -1;
  private readonly listeners = new Set<StateListener>();

  /** prepared once: db.pragma() prepares its statement on every call */
  private readonly dataVersion: Statement;

  constructor(db: Database) {
    this.dataVersion = db.prepare('PRAGMA data_version').pluck();
  }

  moved(key: string, from: RecordState | undefined, to: RecordState): void {
    this.pending.push({ key, from, to });
  }

  committed(): void {
    const moves = this.pending;
    this.pending = [];
    if (this.counts) applied(this.counts, moves, 1);
    for (const { key, to } of moves) {
      for (const listener of this.listeners) {
        try {
          listener(key, to);
        } catch {
          // a listener's fault is its own; the write is committed
        }
      }
    }
  }

  rolledBack(): void {
    this.pending = [];
  }

  /** How many moves are pending: where a savepoint starts. */
  mark(): number {
    return this.pending.length;
  }

  /** A savepoint rolled back: its moves are undone, the earlier kept. */
  rolledBackTo(mark: number): void {
    this.pending.length = Math.min(mark, this.pending.length);
  }

  /** Counts as this connection sees them: its open transaction's too. */
  read(scan: () => Record<RecordState, number>): Record<RecordState, number> {
    const version = this.dataVersion.get() as number;
    if (!this.counts || version !== this.version) {
      // A scan sees the open transaction's moves, which are applied again
      // when it commits: the cache keeps only what is committed.
      this.counts = applied(scan(), this.pending, -1);
      this.version = version;
    }
    return applied({ ...this.counts }, this.pending, 1);
  }

  listen(listener: StateListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

function applied(
  counts: Record<RecordState, number>,
  moves: readonly Move[],
  sign: 1 | -1,
): Record<RecordState, number> {
  for (const { from, to } of moves) {
    counts[to] += sign;
    if (from) counts[from] -= sign;
  }
  return counts;
}
