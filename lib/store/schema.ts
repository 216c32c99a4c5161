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

// A number for each record, given in the order records arrive, so the
// rows a record writes over its life (trail lines, documents, its stored
// payload) sit beside those of the other records in flight, at the end
// of their index, instead of on a page chosen by its Square id: a commit
// then writes a few pages, not one per record it touched. Trail lines
// and documents of a key with no record (a webhook for an object not
// synced) keep an index by key. records.record, emptied by V3, goes.
const V4_RECORD_NUMBERS = `
  CREATE TABLE records_v4 (
    id         INTEGER PRIMARY KEY,
    key        TEXT NOT NULL UNIQUE,
    kind       TEXT NOT NULL,
    version    TEXT NOT NULL,
    state      TEXT NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    detail     TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    square_at  TEXT NOT NULL
  );
  INSERT INTO records_v4 (key, kind, version, state, attempts, detail,
      created_at, updated_at, square_at)
    SELECT key, kind, version, state, attempts, detail, created_at,
      updated_at, square_at
    FROM records ORDER BY rowid;
  DROP TABLE records;
  ALTER TABLE records_v4 RENAME TO records;
  CREATE INDEX records_state ON records (state, square_at);
  CREATE INDEX records_square_at ON records (square_at);

  CREATE TABLE payloads_v4 (
    id     INTEGER PRIMARY KEY REFERENCES records (id),
    record TEXT NOT NULL
  );
  INSERT INTO payloads_v4 (id, record)
    SELECT r.id, p.record FROM payloads p JOIN records r ON r.key = p.key;
  DROP TABLE payloads;
  ALTER TABLE payloads_v4 RENAME TO payloads;

  DROP TRIGGER trail_no_update;
  ALTER TABLE trail ADD COLUMN rec INTEGER REFERENCES records (id);
  UPDATE trail SET rec = (SELECT id FROM records WHERE records.key = trail.key);
  CREATE TRIGGER trail_no_update BEFORE UPDATE ON trail
    BEGIN SELECT RAISE(ABORT, 'the trail is append-only'); END;
  DROP INDEX trail_key;
  CREATE INDEX trail_rec ON trail (rec, id) WHERE rec IS NOT NULL;
  CREATE INDEX trail_key ON trail (key, id) WHERE rec IS NULL;

  ALTER TABLE documents ADD COLUMN rec INTEGER REFERENCES records (id);
  UPDATE documents
    SET rec = (SELECT id FROM records WHERE records.key = record_key);
  DROP INDEX documents_record;
  CREATE INDEX documents_rec ON documents (rec) WHERE rec IS NOT NULL;
  CREATE INDEX documents_record ON documents (record_key) WHERE rec IS NULL;
`;

export const MIGRATIONS: readonly Migration[] = [
  (db) => db.exec(V1_TABLES),
  (db) => db.exec(V2_CUSTOMER_WRITES),
  (db) => db.exec(V3_PAYLOADS),
  (db) => db.exec(V4_RECORD_NUMBERS),
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
