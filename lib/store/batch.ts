import type { Database, Transaction } from 'better-sqlite3';

// Group commit. The writes made within a few milliseconds share one
// transaction, committed when that window closes, or at once when a
// caller needs them committed. Each write runs as a savepoint inside it,
// so a step that throws undoes only its own writes. Every record in
// flight writes its states, documents and trail lines into the same few
// commits, so SQLite writes each B-tree page once per window instead of
// once per step.
//
// A process killed inside a window loses that window's writes, as a
// suffix of everything it wrote (never one in the middle), just as a
// power cut under synchronous=NORMAL loses the last commits. A write that
// lets X3 be called waits for its batch to commit and sync before the
// call, so X3 never holds a document the ledger has not marked.

export interface BatchHooks {
  /** before a batch opens; throws to refuse it (the file is gone) */
  opening(): void;
  committed(): void;
  rolledBack(): void;
}

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

export class Batch {
  private open = false;
  private waiters: Waiter[] = [];
  private timer?: NodeJS.Timeout;
  /** why the last batch could not commit, if it could not */
  failure?: unknown;
  private readonly step: Transaction<(work: () => unknown) => unknown>;

  constructor(
    private readonly db: Database,
    private readonly hooks: BatchHooks,
    /** how long a batch stays open for more writes */
    private readonly windowMs: number,
  ) {
    // inside the open transaction, better-sqlite3 runs this as a savepoint
    this.step = db.transaction((work: () => unknown) => work());
  }

  /** Runs work in the open batch, opening one if none is. */
  run<T>(work: () => T): T {
    if (!this.open) this.begin();
    return this.step(work) as T;
  }

  /** Resolves once the batch open now has committed (at once if none). */
  committed(): Promise<void> {
    if (!this.open) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
    });
  }

  /** Commits the open batch now; throws if it could not be committed. */
  commit(): void {
    if (!this.open) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.open = false;
    const waiters = this.waiters;
    this.waiters = [];
    try {
      this.db.exec('COMMIT');
    } catch (error) {
      this.rollBack();
      this.failure = error;
      this.hooks.rolledBack();
      for (const waiter of waiters) waiter.reject(error);
      throw error;
    }
    this.hooks.committed();
    for (const waiter of waiters) waiter.resolve();
  }

  private begin(): void {
    this.hooks.opening();
    this.db.exec('BEGIN IMMEDIATE');
    this.open = true;
    this.timer = setTimeout(() => {
      try {
        this.commit();
      } catch {
        // kept in `failure`; the ledger refuses writes from now on
      }
    }, this.windowMs);
  }

  private rollBack(): void {
    try {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
    } catch {
      // SQLite rolls back by itself when a commit fails on I/O
    }
  }
}
