import type { Database, Statement } from 'better-sqlite3';

// Webhook event ids already seen. Square retries a delivery with the same
// event_id, so the first sighting wins and the rest are dropped.

const DAY_MS = 86_400_000;

export class Events {
  private readonly insert: Statement;
  private readonly expire: Statement;

  constructor(db: Database) {
    this.insert = db.prepare(
      `INSERT INTO events (event_id, type, received_at) VALUES (?, ?, ?)
       ON CONFLICT (event_id) DO NOTHING`,
    );
    this.expire = db.prepare('DELETE FROM events WHERE received_at < ?');
  }

  /** true the first time an event id is seen */
  remember(eventId: string, type: string, at: string): boolean {
    return this.insert.run(eventId, type, at).changes === 1;
  }

  prune(olderThanDays: number, now: Date): number {
    const cutoff = new Date(now.getTime() - olderThanDays * DAY_MS);
    return this.expire.run(cutoff.toISOString()).changes;
  }
}
