import type { Database } from 'better-sqlite3';

// Schema changes, one step per version. PRAGMA user_version holds how many
// steps a file has had; a later release appends steps and never edits one.

export type Migration = (db: Database) => void;

const V1_TABLES = `
  CREATE TABLE records (
    key        TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    version    TEXT NOT NULL,
    state      TEXT NOT NULL,
    record     TEXT,
    attempts   INTEGER NOT NULL DEFAULT 0,
    detail     TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    square_at  TEXT NOT NULL
  );
  CREATE INDEX records_state ON records (state, square_at);
  CREATE INDEX records_square_at ON records (square_at);

  CREATE TABLE documents (
    doc_key    TEXT PRIMARY KEY,
    record_key TEXT NOT NULL,
    type       TEXT NOT NULL,
    reference  TEXT NOT NULL,
    state      TEXT NOT NULL,
    number     TEXT,
    error      TEXT,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX documents_record ON documents (record_key);

  CREATE TABLE trail (
    id     INTEGER PRIMARY KEY AUTOINCREMENT,
    key    TEXT NOT NULL,
    at     TEXT NOT NULL,
    stage  TEXT NOT NULL,
    detail TEXT NOT NULL,
    data   TEXT
  );
  CREATE INDEX trail_key ON trail (key, id);
  CREATE TRIGGER trail_no_update BEFORE UPDATE ON trail
    BEGIN SELECT RAISE(ABORT, 'the trail is append-only'); END;
  CREATE TRIGGER trail_no_delete BEFORE DELETE ON trail
    BEGIN SELECT RAISE(ABORT, 'the trail is append-only'); END;

  CREATE TABLE cursors (
    name       TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );

  CREATE TABLE events (
    event_id    TEXT PRIMARY KEY,
    type        TEXT NOT NULL,
    received_at TEXT NOT NULL
  );
  CREATE INDEX events_received ON events (received_at);

  CREATE TABLE customer_pairs (
    square_id  TEXT PRIMARY KEY,
    x3_code    TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
`;

// What the connector last wrote to each X3 customer code: the hash of the
// rendered customer, and whether the write's answer came back.
const V2_CUSTOMER_WRITES = `
  CREATE TABLE customer_writes (
    x3_code    TEXT PRIMARY KEY,
    hash       TEXT,
    state      TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
`;

// The stored SyncRecord (kilobytes of JSON) apart from the row whose state
// changes several times a record: SQLite rewrites a whole row, overflow
// pages and all, on every update. records.record is left NULL.
const V3_PAYLOADS = `
  CREATE TABLE payloads (
    key    TEXT PRIMARY KEY,
    record TEXT NOT NULL
  );
  INSERT INTO payloads (key, record)
    SELECT key, record FROM records WHERE record IS NOT NULL;
  UPDATE records SET record = NULL WHERE record IS NOT NULL;
`;

export const MIGRATIONS: readonly Migration[] = [
  (db) => db.exec(V1_TABLES),
  (db) => db.exec(V2_CUSTOMER_WRITES),
  (db) => db.exec(V3_PAYLOADS),
];

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Runs the steps a file lacks, each in its own transaction. */
export function migrate(
  db: Database,
  steps: readonly Migration[] = MIGRATIONS,
): number {
  const current = schemaVersion(db);
  if (current > steps.length) {
    throw new Error(
      `schema version ${current} is newer than this release knows ` +
        `(${steps.length}); upgrade the package`,
    );
  }

  for (let version = current; version < steps.length; version++) {
    db.transaction(() => {
      // another process may have run this step while we waited for the lock
      if (schemaVersion(db) !== version) return;
      steps[version](db);
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
  return steps.length;
}
