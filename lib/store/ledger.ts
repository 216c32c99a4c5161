import type { Database } from 'better-sqlite3';
import fs from 'node:fs';
import type { SyncRecord } from '../sync/record';
import { Cursors } from './cursors';
import { Documents } from './documents';
import { LedgerError, toLedgerError } from './errors';
import { Events } from './events';
import { fileProblem, MEMORY, openFile } from './open';
import { CustomerPairs } from './pairs';
import { Records } from './records';
import { Tally, type StateListener } from './tally';
import { Trail } from './trail';
import { CustomerWrites, type CustomerWrite } from './customer-writes';
import type {
  DocumentType,
  ListQuery,
  ReceiveResult,
  RecordState,
  StoredDocument,
  StoredRecord,
  TrailEntry,
} from './types';

// The sync ledger: what the connector has seen from Square, what it made
// of it in X3, and the trail of every step. Synchronous on purpose: when a
// write method returns, its transaction is committed. atomically() groups
// the writes of one step into one transaction.
//
// Durability: the file is in WAL mode with synchronous=NORMAL, so a commit
// survives the process being killed at once, and an OS crash or power cut
// can lose only the last commits, as a suffix (never one in the middle).
// The writes that let X3 be called (markPosting, markCustomerWriting, and
// atomically(work, true)) commit with synchronous=FULL: the WAL is synced
// with everything before it, so such a mark is on disk before any X3
// call (atomicallyBeforeX3 commits first and syncs the WAL off the main
// thread before it resolves: the same order, one fsync for every step
// waiting). Whatever a power cut takes after it (a document's number, a state,
// a trail line) leaves the document `posting`, which makes the next run
// look its reference up in X3 before anything is posted again.

export interface LedgerOptions {
  /** replaced in tests */
  now?: () => Date;
}

export class Ledger {
  private readonly records: Records;
  private readonly docs: Documents;
  private readonly log: Trail;
  private readonly cursors: Cursors;
  private readonly events: Events;
  private readonly pairs: CustomerPairs;
  private readonly customerWrites: CustomerWrites;
  private readonly tally: Tally;
  private readonly now: () => Date;
  private closed = false;
  /** > 0 inside a transaction: write methods join it */
  private depth = 0;
  /** the open transaction syncs on commit: X3 may be called after it */
  private durable = false;
  /** the WAL sync running now, and the one queued after it */
  private syncing?: Promise<void>;
  private nextSync?: Promise<void>;

  private constructor(
    private readonly db: Database,
    readonly file: string,
    private readonly identity: string | undefined,
    options: LedgerOptions,
  ) {
    this.now = options.now ?? (() => new Date());
    this.log = new Trail(db);
    this.tally = new Tally(db);
    this.records = new Records(db, this.log, (key, from, to) =>
      this.tally.moved(key, from, to),
    );
    this.docs = new Documents(db, this.log);
    this.cursors = new Cursors(db);
    this.events = new Events(db);
    this.pairs = new CustomerPairs(db);
    this.customerWrites = new CustomerWrites(db);
  }

  /**
   * Runs work, which calls write methods of this ledger, as one
   * transaction: when it returns, all of them are committed; when it
   * throws, none is. beforeX3: synced to disk on commit, as a step that
   * calls X3 next needs (markPosting and markCustomerWriting inside work
   * require it). Only synchronous work: no await inside.
   */
  atomically<T>(work: () => T, beforeX3 = false): T {
    return this.write('atomically', work, beforeX3);
  }

  /**
   * atomically(work, true) without holding the process while the disk
   * syncs: the transaction commits at once, and the promise resolves only
   * once the WAL holding it is synced, so the X3 call may start. The sync
   * runs on libuv's thread pool and serves every step waiting at that
   * moment: concurrent documents share one fsync, and the event loop keeps
   * serving X3's answers meanwhile.
   */
  atomicallyBeforeX3<T>(work: () => T): Promise<T> {
    // A refused write throws here, at once, as the other write methods do.
    const result = this.write('atomically', work, true, true);
    if (this.file === MEMORY) return Promise.resolve(result);
    return this.flushed().then(
      () => {
        this.checkFile('atomically');
        return result;
      },
      (error: unknown) => {
        throw toLedgerError(error, 'LEDGER_WRITE', 'syncing', this.file);
      },
    );
  }

  /** Opens or creates a ledger file; ':memory:' for tests. */
  static open(file: string, options: LedgerOptions = {}): Ledger {
    const opened = openFile(file);
    return new Ledger(opened.db, opened.file, opened.identity, options);
  }

  // records

  receive(record: SyncRecord): ReceiveResult {
    return this.write('receive', () => this.records.receive(record, this.at()));
  }

  get(key: string): StoredRecord | undefined {
    return this.read('get', () => this.records.get(key));
  }

  setState(key: string, state: RecordState, detail?: string): void {
    this.write('setState', () =>
      this.records.setState(key, state, this.at(), detail),
    );
  }

  /** A record's state without its stored payload. */
  stateOf(key: string): RecordState | undefined {
    return this.read('stateOf', () => this.records.stateOf(key));
  }

  /** A record's state and detail without its stored payload. */
  glance(key: string): { state: RecordState; detail?: string } | undefined {
    return this.read('glance', () => this.records.glance(key));
  }

  /**
   * Calls listener with each record state this process commits, once the
   * transaction holding it has committed; returns the unsubscribe.
   */
  onState(listener: StateListener): () => void {
    return this.tally.listen(listener);
  }

  /** Returns the new attempt count. */
  incrementAttempts(key: string): number {
    return this.write('incrementAttempts', () =>
      this.records.incrementAttempts(key, this.at()),
    );
  }

  list(query: ListQuery = {}): StoredRecord[] {
    return this.read('list', () => this.records.list(query));
  }

  counts(): Record<RecordState, number> {
    return this.read('counts', () =>
      this.tally.read(() => this.records.counts()),
    );
  }

  /** Drops the stored SyncRecord of posted/skipped records; the trail stays. */
  prunePayloads(olderThanDays: number): number {
    return this.write('prunePayloads', () =>
      this.records.prunePayloads(olderThanDays, this.now()),
    );
  }

  // documents

  document(docKey: string): StoredDocument | undefined {
    return this.read('document', () => this.docs.get(docKey));
  }

  documentsOf(recordKey: string): StoredDocument[] {
    return this.read('documentsOf', () => this.docs.of(recordKey));
  }

  /** Durable before it returns: only then may the X3 call start. */
  markPosting(
    docKey: string,
    recordKey: string,
    type: DocumentType,
    reference: string,
  ): void {
    this.write(
      'markPosting',
      () =>
        this.docs.markPosting(docKey, recordKey, type, reference, this.at()),
      true,
    );
  }

  markPosted(docKey: string, number: string): void {
    this.write('markPosted', () =>
      this.docs.markPosted(docKey, number, this.at()),
    );
  }

  markDocumentFailed(docKey: string, message: string): void {
    this.write('markDocumentFailed', () =>
      this.docs.markFailed(docKey, message, this.at()),
    );
  }

  // trail

  trail(key: string, stage: string, detail: string, data?: unknown): number {
    return this.write('trail', () =>
      this.log.append(key, this.at(), stage, detail, data),
    );
  }

  trailOf(key: string): TrailEntry[] {
    return this.read('trailOf', () => this.log.of(key));
  }

  // cursors, webhook events, id pairs

  getCursor(name: string): string | undefined {
    return this.read('getCursor', () => this.cursors.get(name));
  }

  setCursor(name: string, value: string): void {
    this.write('setCursor', () => this.cursors.set(name, value, this.at()));
  }

  /** true the first time this event id is seen, false for a repeat */
  rememberEvent(eventId: string, type: string): boolean {
    return this.write('rememberEvent', () =>
      this.events.remember(eventId, type, this.at()),
    );
  }

  pruneEvents(olderThanDays: number): number {
    return this.write('pruneEvents', () =>
      this.events.prune(olderThanDays, this.now()),
    );
  }

  pairCustomer(squareId: string, x3Code: string): void {
    this.write('pairCustomer', () =>
      this.pairs.pair(squareId, x3Code, this.at()),
    );
  }

  x3Customer(squareId: string): string | undefined {
    return this.read('x3Customer', () => this.pairs.x3Code(squareId));
  }

  /** What the connector last sent to this X3 customer code, if anything. */
  customerWrite(x3Code: string): CustomerWrite | undefined {
    return this.read('customerWrite', () => this.customerWrites.get(x3Code));
  }

  /** Durable before it returns: only then may the X3 call start. */
  markCustomerWriting(recordKey: string, x3Code: string): void {
    this.write(
      'markCustomerWriting',
      () => {
        const at = this.at();
        this.customerWrites.markWriting(x3Code, at);
        const detail = `X3 customer ${x3Code}`;
        this.log.append(recordKey, at, 'customer-sync', detail);
      },
      true,
    );
  }

  /** X3 answered: the rendered customer's hash, kept to skip a resend. */
  markCustomerWritten(x3Code: string, hash: string): void {
    this.write('markCustomerWritten', () =>
      this.customerWrites.markWritten(x3Code, hash, this.at()),
    );
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  private at(): string {
    return this.now().toISOString();
  }

  /** Resolves once every commit made before the call is on disk. */
  private flushed(): Promise<void> {
    if (!this.syncing) {
      this.syncing = syncWal(this.file).finally(() => {
        this.syncing = undefined;
      });
      return this.syncing;
    }
    // The running sync may have started before this caller's commit.
    this.nextSync ??= this.syncing
      .catch(() => undefined)
      .then(() => {
        this.nextSync = undefined;
        return this.flushed();
      });
    return this.nextSync;
  }

  private write<T>(
    what: string,
    work: () => T,
    beforeX3 = false,
    syncLater = false,
  ): T {
    this.checkOpen(what);
    if (this.depth > 0) {
      if (beforeX3 && !this.durable) {
        throw new LedgerError(
          'LEDGER_STATE',
          `${what} lets X3 be called: run it alone or in ` +
            'atomically(work, true), which syncs it to disk',
        );
      }
      return work();
    }

    this.checkFile(what);
    let result: T;
    this.depth += 1;
    this.durable = beforeX3;
    try {
      if (beforeX3 && !syncLater) this.db.pragma('synchronous = FULL');
      result = this.db.transaction(work).immediate();
    } catch (error) {
      this.tally.rolledBack();
      throw toLedgerError(error, 'LEDGER_WRITE', what, this.file);
    } finally {
      this.depth -= 1;
      this.durable = false;
      if (beforeX3 && !syncLater) this.syncNormally();
    }
    this.tally.committed();
    // A write that lets X3 be called must not have gone to a removed file.
    if (beforeX3 && !syncLater) this.checkFile(what);
    return result;
  }

  private syncNormally(): void {
    try {
      this.db.pragma('synchronous = NORMAL');
    } catch {
      // left at FULL: slower, never less safe
    }
  }

  private read<T>(what: string, work: () => T): T {
    this.checkOpen(what);
    try {
      return work();
    } catch (error) {
      throw toLedgerError(error, 'LEDGER_READ', what, this.file);
    }
  }

  private checkOpen(what: string): void {
    if (!this.closed) return;
    throw new LedgerError(
      'LEDGER_OPEN',
      `sync ledger ${this.file}: ${what} after close`,
    );
  }

  /** SQLite keeps writing to a deleted file; that is not "on disk". */
  private checkFile(what: string): void {
    if (this.file === MEMORY) return;
    const problem = fileProblem(this.file, this.identity);
    if (!problem) return;
    throw new LedgerError(
      'LEDGER_WRITE',
      `sync ledger ${this.file}: ${what} failed: ${problem}; nothing was ` +
        'recorded; restore the file (or its write permission) and redeploy',
    );
  }
}

/**
 * fsync of the WAL file (every commit so far is in it, or was checkpointed
 * into the database file, which a NORMAL checkpoint syncs itself). fsync
 * works on the file, not the descriptor: SQLite's writes are included.
 */
async function syncWal(file: string): Promise<void> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(`${file}-wal`, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    handle = await fs.promises.open(file, 'r');
  }
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
