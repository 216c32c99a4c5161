import type { Database, Statement } from 'better-sqlite3';

// Square customer id -> the X3 customer code the connector created or
// matched for it.

export class CustomerPairs {
  private readonly select: Statement;
  private readonly upsert: Statement;

  constructor(db: Database) {
    this.select = db.prepare(
      'SELECT x3_code FROM customer_pairs WHERE square_id = ?',
    );
    this.upsert = db.prepare(
      `INSERT INTO customer_pairs (square_id, x3_code, updated_at)
       VALUES (?, ?, ?)
       ON CONFLICT (square_id) DO UPDATE SET x3_code = excluded.x3_code,
         updated_at = excluded.updated_at`,
    );
  }

  pair(squareId: string, x3Code: string, at: string): void {
    this.upsert.run(squareId, x3Code, at);
  }

  x3Code(squareId: string): string | undefined {
    const row = this.select.get(squareId) as { x3_code: string } | undefined;
    return row?.x3_code;
  }
}
