import type { Database } from 'better-sqlite3';
import type { SyncRecord } from '../sync/record';
import { Cursors } from './cursors';
import { Documents } from './documents';
import { LedgerError, toLedgerError } from './errors';
import { Events } from './events';
import { fileProblem, MEMORY, openFile } from './open';
import { CustomerPairs } from './pairs';
import { Records } from './records';
import { Trail } from './trail';
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
// write method returns, its transaction is committed and synced to disk.

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
  private readonly now: () => Date;
  private closed = false;

  private constructor(
    private readonly db: Database,
    readonly file: string,
    private readonly identity: string | undefined,
    options: LedgerOptions,
  ) {
    this.now = options.now ?? (() => new Date());
    this.log = new Trail(db);
    this.records = new Records(db, this.log);
    this.docs = new Documents(db, this.log);
    this.cursors = new Cursors(db);
    this.events = new Events(db);
    this.pairs = new CustomerPairs(db);
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
    return this.read('counts', () => this.records.counts());
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
    this.write('markPosting', () =>
      this.docs.markPosting(docKey, recordKey, type, reference, this.at()),
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

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  private at(): string {
    return this.now().toISOString();
  }

  private write<T>(what: string, work: () => T): T {
    this.checkOpen(what);
    this.checkFile(what);
    let result: T;
    try {
      result = this.db.transaction(work).immediate();
    } catch (error) {
      throw toLedgerError(error, 'LEDGER_WRITE', what, this.file);
    }
    this.checkFile(what);
    return result;
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
