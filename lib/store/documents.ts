import type { Database, Statement } from 'better-sqlite3';
import { LedgerError } from './errors';
import type { Trail } from './trail';
import type { DocumentType, StoredDocument } from './types';

// One row per X3 document. A document is marked posting before the X3
// call, so after a crash the row says which reference to look up in X3
// before anything is posted again.

interface DocumentRow {
  doc_key: string;
  record_key: string;
  type: DocumentType;
  reference: string;
  state: StoredDocument['state'];
  number: string | null;
  error: string | null;
  updated_at: string;
}

const TYPES: readonly DocumentType[] = ['invoice', 'entry', 'customer'];

function toStored(row: DocumentRow): StoredDocument {
  return {
    docKey: row.doc_key,
    recordKey: row.record_key,
    type: row.type,
    reference: row.reference,
    state: row.state,
    ...(row.number === null ? {} : { number: row.number }),
    ...(row.error === null ? {} : { error: row.error }),
    updatedAt: row.updated_at,
  };
}

export class Documents {
  private readonly one: Statement;
  private readonly ofRecord: Statement;
  private readonly upsert: Statement;
  private readonly posted: Statement;
  private readonly failed: Statement;

  constructor(
    db: Database,
    private readonly trail: Trail,
  ) {
    this.one = db.prepare('SELECT * FROM documents WHERE doc_key = ?');
    // filed under the record's number when it has a record (schema V4)
    this.ofRecord = db.prepare(
      `SELECT * FROM documents
         WHERE rec = (SELECT id FROM records WHERE key = ?)
       UNION ALL
       SELECT * FROM documents WHERE rec IS NULL AND record_key = ?
       ORDER BY doc_key`,
    );
    this.upsert = db.prepare(
      `INSERT INTO documents (doc_key, rec, record_key, type, reference,
         state, updated_at)
       VALUES (?, (SELECT id FROM records WHERE key = ?), ?, ?, ?,
         'posting', ?)
       ON CONFLICT (doc_key) DO UPDATE SET state = 'posting', error = NULL,
         updated_at = excluded.updated_at
       WHERE documents.state != 'posted'
         AND documents.record_key = excluded.record_key
         AND documents.reference = excluded.reference`,
    );
    this.posted = db.prepare(
      `UPDATE documents SET state = 'posted', number = ?, error = NULL,
         updated_at = ? WHERE doc_key = ? AND state != 'posted'
       RETURNING record_key, type`,
    );
    this.failed = db.prepare(
      `UPDATE documents SET state = 'failed', error = ?, updated_at = ?
       WHERE doc_key = ?`,
    );
  }

  get(docKey: string): StoredDocument | undefined {
    const row = this.one.get(docKey) as DocumentRow | undefined;
    return row && toStored(row);
  }

  of(recordKey: string): StoredDocument[] {
    return (this.ofRecord.all(recordKey, recordKey) as DocumentRow[]).map(
      toStored,
    );
  }

  markPosting(
    docKey: string,
    recordKey: string,
    type: DocumentType,
    reference: string,
    at: string,
  ): void {
    if (!TYPES.includes(type) || !docKey || !recordKey || !reference) {
      throw new LedgerError(
        'LEDGER_INPUT',
        `markPosting needs a docKey, record key, reference and a type ` +
          `of ${TYPES.join(', ')}`,
      );
    }
    // The upsert leaves a posted row, or one of another record or
    // reference, as it is; only then is the row read, to say why.
    if (
      this.upsert.run(docKey, recordKey, recordKey, type, reference, at)
        .changes === 0
    ) {
      const row = this.must(docKey);
      throw new LedgerError(
        'LEDGER_STATE',
        row.state === 'posted'
          ? `${docKey} is already posted as ${row.type} ${row.number}`
          : `${docKey} is stored for ${row.record_key} with reference ` +
              `${row.reference}`,
      );
    }
    const detail = `${type} ${reference} for ${docKey}`;
    this.trail.append(recordKey, at, 'posting', detail, { docKey });
  }

  markPosted(docKey: string, number: string, at: string): void {
    if (!number) {
      throw new LedgerError('LEDGER_INPUT', `${docKey}: empty X3 number`);
    }
    // Moves a row not yet posted; a posted or missing one is read to say
    // why nothing moved.
    const row = this.posted.get(number, at, docKey) as
      Pick<DocumentRow, 'record_key' | 'type'> | undefined;
    if (!row) {
      const stored = this.must(docKey);
      if (stored.number === number) return;
      throw new LedgerError(
        'LEDGER_STATE',
        `${docKey} is already posted as ${stored.type} ${stored.number}, ` +
          `not ${number}`,
      );
    }
    const detail = `${docKey} posted as ${row.type} ${number}`;
    this.trail.append(row.record_key, at, 'posted', detail, { docKey, number });
  }

  markFailed(docKey: string, message: string, at: string): void {
    const row = this.must(docKey);
    if (row.state === 'posted') {
      throw new LedgerError(
        'LEDGER_STATE',
        `${docKey} is already posted as ${row.type} ${row.number}`,
      );
    }
    this.failed.run(message, at, docKey);
    const detail = `${docKey} failed: ${message}`;
    this.trail.append(row.record_key, at, 'failed', detail, { docKey });
  }

  private must(docKey: string): DocumentRow {
    const row = this.one.get(docKey) as DocumentRow | undefined;
    if (!row) {
      throw new LedgerError(
        'LEDGER_INPUT',
        `no document ${docKey} in the ledger: call markPosting first`,
      );
    }
    return row;
  }
}
