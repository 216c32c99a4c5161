import type { Database } from 'better-sqlite3';
import type { SyncRecord } from '../sync/record';
import { Cursors } from './cursors';
import { Documents } from './documents';
import { LedgerError, toLedgerError } from './errors';
import { Events } from './events';
import { Batch } from './batch';
import { WalSync } from './wal-sync';
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
// of it in X3, and the trail of every step. Synchronous on purpose: a
// write method's result is final when it returns, and every read sees it.
// atomically() groups the writes of one step: all of them or none.
//
// Durability: the writes of a few milliseconds are committed together
// (lib/store/batch.ts), in WAL mode with synchronous=NORMAL. A process
// killed inside that window loses the window's writes; an OS crash or a
// power cut can lose the last commits. Either way the loss is a suffix,
// never one in the middle. The writes that let X3 be called
// wait for their commit and a sync of the WAL before they resolve
// (atomicallyBeforeX3, off the main thread and shared by every step
// waiting), or commit alone with synchronous=FULL (markPosting,
// markCustomerWriting, atomically(work, true)). Whatever is lost after
// such a mark (a document's number, a state, a trail line) leaves the
// document `posting`, which makes the next run look its reference up in
// X3 before anything is posted again. flush() commits at once, for an
// answer that must not be given before its writes are kept.

export interface LedgerOptions {
  /** replaced in tests */
  now?: () => Date;
  /** how long writes gather before they commit together (default 10 ms) */
  commitWindowMs?: number;
}

const COMMIT_WINDOW_MS = 10;

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
  /** the transaction collecting the writes of the commit window */
  private readonly batch: Batch;
  private readonly wal: WalSync;
  /** the sync steps wait on now, and its look at the file */
  private lastSync?: { sync: Promise<void>; checked: Promise<void> };

  private constructor(
    private readonly db: Database,
    readonly file: string,
    private readonly identity: string | undefined,
    options: LedgerOptions,
    /** the schema version the file had, if opening brought it up to date */
    readonly upgradedFrom?: number,
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
    this.wal = new WalSync(file);
    this.batch = new Batch(
      db,
      {
        opening: () => this.checkFile('write'),
        committed: () => this.tally.committed(),
        rolledBack: () => this.tally.rolledBack(),
      },
      options.commitWindowMs ?? COMMIT_WINDOW_MS,
    );
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
    const kept = this.batch.committed();
    const synced =
      this.file === MEMORY ? kept : kept.then(() => this.syncedAndChecked());
    return synced.then(
      () => result,
      (error: unknown) => {
        throw toLedgerError(error, 'LEDGER_WRITE', 'syncing', this.file);
      },
    );
  }

  /**
   * A WAL sync, then one look at the file for every step that waited on
   * that sync: none of them may call X3 if the file went meanwhile.
   */
  private syncedAndChecked(): Promise<void> {
    const sync = this.wal.synced();
    if (this.lastSync?.sync !== sync) {
      const checked = sync.then(() => this.checkFile('atomically'));
      this.lastSync = { sync, checked };
    }
    return this.lastSync.checked;
  }

  /**
   * Commits the writes made so far at once (they are otherwise committed
   * when the commit window closes): for an answer that must not be given
   * before they are kept, such as a webhook's 2xx.
   */
  flush(): void {
    this.checkOpen('flush');
    this.commitBatch('flush');
  }

  /** Why the ledger refuses writes after a failed commit, if it does. */
  get failure(): string | undefined {
    const cause = this.batch.failure;
    if (cause === undefined) return undefined;
    return cause instanceof Error ? cause.message : String(cause);
  }

  /** Opens or creates a ledger file; ':memory:' for tests. */
  static open(file: string, options: LedgerOptions = {}): Ledger {
    const opened = openFile(file);
    return new Ledger(
      opened.db,
      opened.file,
      opened.identity,
      options,
      opened.upgradedFrom,
    );
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
    try {
      this.batch.commit();
    } catch {
      // rolled back: as if the process had stopped before the commit
    }
    this.closed = true;
    this.wal.close();
    this.db.close();
  }

  private at(): string {
    return this.now().toISOString();
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
    this.checkCommits(what);
    if (beforeX3 && !syncLater) {
      this.commitBatch(what);
      return this.writeDurably(what, work);
    }

    // the batch may have opened before the file went: look again
    if (beforeX3) this.checkFile(what);
    const mark = this.tally.mark();
    this.depth += 1;
    this.durable = beforeX3;
    try {
      return this.batch.run(work);
    } catch (error) {
      this.tally.rolledBackTo(mark);
      throw toLedgerError(error, 'LEDGER_WRITE', what, this.file);
    } finally {
      this.depth -= 1;
      this.durable = false;
    }
  }

  /** One transaction of its own, on disk (synchronous=FULL) on return. */
  private writeDurably<T>(what: string, work: () => T): T {
    this.checkFile(what);
    let result: T;
    this.depth += 1;
    this.durable = true;
    try {
      this.db.pragma('synchronous = FULL');
      result = this.db.transaction(work).immediate();
    } catch (error) {
      this.tally.rolledBack();
      throw toLedgerError(error, 'LEDGER_WRITE', what, this.file);
    } finally {
      this.depth -= 1;
      this.durable = false;
      this.syncNormally();
    }
    this.tally.committed();
    // A write that lets X3 be called must not have gone to a removed file.
    this.checkFile(what);
    return result;
  }

  private commitBatch(what: string): void {
    try {
      this.batch.commit();
    } catch (error) {
      throw toLedgerError(error, 'LEDGER_WRITE', what, this.file);
    }
  }

  /**
   * After a batch failed to commit, the steps that wrote into it went on
   * believing their writes kept: nothing more is written until the
   * ledger is opened again (the ledger node does so once the file works).
   */
  private checkCommits(what: string): void {
    const failure = this.failure;
    if (failure === undefined) return;
    throw new LedgerError(
      'LEDGER_WRITE',
      `sync ledger ${this.file}: ${what} refused: an earlier commit ` +
        `failed (${failure}); the ledger must be opened again`,
    );
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
