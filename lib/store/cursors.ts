import type { Database, Statement } from 'better-sqlite3';

// Named positions the poll node resumes from (one per Square list).

export class Cursors {
  private readonly select: Statement;
  private readonly upsert: Statement;

  constructor(db: Database) {
    this.select = db.prepare('SELECT value FROM cursors WHERE name = ?');
    this.upsert = db.prepare(
      `INSERT INTO cursors (name, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET value = excluded.value,
         updated_at = excluded.updated_at`,
    );
  }

  get(name: string): string | undefined {
    const row = this.select.get(name) as { value: string } | undefined;
    return row?.value;
  }

  set(name: string, value: string, at: string): void {
    this.upsert.run(name, value, at);
  }
}
