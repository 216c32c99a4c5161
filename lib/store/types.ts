import type { RecordKind, SyncRecord } from '../sync/record';

// The rows the sync ledger hands back. Times are ISO 8601 strings in UTC.

export const RECORD_STATES = [
  'received',
  'held',
  'mapped',
  'posting',
  'posted',
  'failed',
  'skipped',
] as const;

export type RecordState = (typeof RECORD_STATES)[number];

export type ReceiveOutcome = 'new' | 'newer' | 'duplicate' | 'stale';

export interface ReceiveResult {
  outcome: ReceiveOutcome;
  /** the record's state after the call */
  state: RecordState;
}

export interface StoredRecord {
  key: string;
  kind: RecordKind;
  version: string;
  state: RecordState;
  /** undefined once prunePayloads has dropped it */
  record?: SyncRecord;
  attempts: number;
  /** why the record is held or failed, or the last state's note */
  detail?: string;
  createdAt: string;
  updatedAt: string;
  /** order closed_at / refund created_at / customer updated_at, in UTC */
  squareAt: string;
}

export interface ListQuery {
  /** a RecordState; plain string so commands from messages type-check */
  state?: RecordState | string;
  kind?: RecordKind | string;
  /** squareAt >= from (ISO time or YYYY-MM-DD, UTC) */
  from?: string;
  /** squareAt < to */
  to?: string;
  /** default 100 */
  limit?: number;
  offset?: number;
}

export type DocumentType = 'invoice' | 'entry' | 'customer';
export type DocumentState = 'posting' | 'posted' | 'failed';

export interface StoredDocument {
  docKey: string;
  recordKey: string;
  type: DocumentType;
  reference: string;
  state: DocumentState;
  /** the X3 document number once posted */
  number?: string;
  error?: string;
  updatedAt: string;
}

export interface TrailEntry {
  id: number;
  key: string;
  at: string;
  stage: string;
  detail: string;
  data?: unknown;
}
