import type { Database, Statement } from 'better-sqlite3';
import type { TrailEntry } from './types';

// The append-only audit trail. Triggers in the schema refuse UPDATE and
// DELETE on the table, so nothing here or elsewhere can rewrite history.

const MAX_DETAIL = 500;
const LINE = 'id, key, at, stage, detail, data';

interface TrailRow {
  id: number;
  key: string;
  at: string;
  stage: string;
  detail: string;
  data: string | null;
}

export class Trail {
  private readonly insert: Statement;
  private readonly select: Statement;

  constructor(db: Database) {
    // A line is filed under its record's number when the key has a
    // record (lib/store/schema.ts, V4), else under its key alone.
    this.insert = db.prepare(
      `INSERT INTO trail (key, rec, at, stage, detail, data)
       VALUES (?, (SELECT id FROM records WHERE key = ?), ?, ?, ?, ?)`,
    );
    this.select = db.prepare(
      `SELECT ${LINE} FROM trail
         WHERE rec = (SELECT id FROM records WHERE key = ?)
       UNION ALL
       SELECT ${LINE} FROM trail WHERE rec IS NULL AND key = ?
       ORDER BY id`,
    );
  }

  append(
    key: string,
    at: string,
    stage: string,
    detail: string,
    data?: unknown,
  ): number {
    const json = data === undefined ? null : JSON.stringify(data);
    const text =
      detail.length > MAX_DETAIL
        ? detail.slice(0, MAX_DETAIL - 1) + '…'
        : detail;
    return Number(
      this.insert.run(key, key, at, stage, text, json).lastInsertRowid,
    );
  }

  of(key: string): TrailEntry[] {
    return (this.select.all(key, key) as TrailRow[]).map((row) => ({
      id: row.id,
      key: row.key,
      at: row.at,
      stage: row.stage,
      detail: row.detail,
      ...(row.data === null ? {} : { data: JSON.parse(row.data) }),
    }));
  }
}
