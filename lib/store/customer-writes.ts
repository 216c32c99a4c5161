import type { Database, Statement } from 'better-sqlite3';

// X3 customer code -> the hash of the customer the connector last sent
// there, and whether that write was answered. `writing` means an answer
// may have been lost: the next write reads X3 before it creates.

export type CustomerWriteState = 'writing' | 'written';

export interface CustomerWrite {
  hash?: string;
  state: CustomerWriteState;
}

export class CustomerWrites {
  private readonly select: Statement;
  private readonly writing: Statement;
  private readonly written: Statement;

  constructor(db: Database) {
    this.select = db.prepare(
      'SELECT hash, state FROM customer_writes WHERE x3_code = ?',
    );
    this.writing = db.prepare(
      `INSERT INTO customer_writes (x3_code, hash, state, updated_at)
       VALUES (?, NULL, 'writing', ?)
       ON CONFLICT (x3_code) DO UPDATE SET state = 'writing',
         updated_at = excluded.updated_at`,
    );
    this.written = db.prepare(
      `INSERT INTO customer_writes (x3_code, hash, state, updated_at)
       VALUES (?, ?, 'written', ?)
       ON CONFLICT (x3_code) DO UPDATE SET hash = excluded.hash,
         state = 'written', updated_at = excluded.updated_at`,
    );
  }

  get(code: string): CustomerWrite | undefined {
    const row = this.select.get(code) as
      { hash: string | null; state: CustomerWriteState } | undefined;
    if (!row) return undefined;
    return row.hash === null
      ? { state: row.state }
      : { hash: row.hash, state: row.state };
  }

  markWriting(code: string, at: string): void {
    this.writing.run(code, at);
  }

  markWritten(code: string, hash: string, at: string): void {
    this.written.run(code, hash, at);
  }
}
