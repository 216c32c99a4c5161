import type { Database } from 'better-sqlite3';
import { RECORD_STATES, type RecordState } from './types';

// Record counts by state without a scan per call, and the record state
// changes this process committed, for whoever waits on them (the poll's
// back-pressure). Moves are collected inside a transaction and applied
// only once it commits; a commit by another connection (PRAGMA
// data_version changes) makes the next count a fresh scan.

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

  constructor(private readonly db: Database) {}

  moved(key: string, from: RecordState | undefined, to: RecordState): void {
    this.pending.push({ key, from, to });
  }

  committed(): void {
    const moves = this.pending;
    this.pending = [];
    for (const { key, from, to } of moves) {
      if (this.counts) {
        if (from) this.counts[from] -= 1;
        this.counts[to] += 1;
      }
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

  read(scan: () => Record<RecordState, number>): Record<RecordState, number> {
    const version = this.db.pragma('data_version', { simple: true }) as number;
    if (!this.counts || version !== this.version) {
      this.counts = scan();
      this.version = version;
    }
    return Object.fromEntries(
      RECORD_STATES.map((state) => [state, this.counts![state]]),
    ) as Record<RecordState, number>;
  }

  listen(listener: StateListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
