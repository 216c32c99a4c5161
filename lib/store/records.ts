import type { Database, Statement } from 'better-sqlite3';
import type { SyncRecord } from '../sync/record';
import { LedgerError } from './errors';
import { boundary, squareTimeOf } from './square-time';
import { canMove, stateOnNewerVersion } from './states';
import type { Trail } from './trail';
import {
  RECORD_STATES,
  type ListQuery,
  type ReceiveResult,
  type RecordState,
  type StoredRecord,
} from './types';
import { compareVersions } from './version';

// One row per record key: the latest Square version and where it stands,
// and the stored SyncRecord beside it in payloads (written when a version
// arrives, not when the state moves). Every method here runs inside a
// transaction the Ledger opens.

interface RecordRow {
  key: string;
  kind: StoredRecord['kind'];
  version: string;
  state: RecordState;
  record: string | null;
  attempts: number;
  detail: string | null;
  created_at: string;
  updated_at: string;
  square_at: string;
}

const KINDS = ['sale', 'refund', 'customer'];
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 10_000;
const DAY_MS = 86_400_000;
const COLUMNS = `r.key, r.kind, r.version, r.state, p.record, r.attempts,
  r.detail, r.created_at, r.updated_at, r.square_at`;
const JOINED = 'records r LEFT JOIN payloads p ON p.id = r.id';

function toStored(row: RecordRow): StoredRecord {
  return {
    key: row.key,
    kind: row.kind,
    version: row.version,
    state: row.state,
    ...(row.record === null ? {} : { record: JSON.parse(row.record) }),
    attempts: row.attempts,
    ...(row.detail === null ? {} : { detail: row.detail }),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    squareAt: row.square_at,
  };
}

function checkRecord(record: SyncRecord): void {
  const ok =
    typeof record?.key === 'string' &&
    KINDS.includes(record.kind) &&
    record.key.startsWith(`${record.kind}:`) &&
    record.key.length > record.kind.length + 1 &&
    typeof record.version === 'string' &&
    record.version !== '';
  if (!ok) {
    throw new LedgerError(
      'LEDGER_INPUT',
      'not a SyncRecord: it needs a "kind:id" key matching its kind ' +
        'and a non-empty version',
    );
  }
}

export class Records {
  private readonly one: Statement;
  private readonly insert: Statement;
  private readonly replace: Statement;
  private readonly state: Statement;
  private readonly attempt: Statement;
  private readonly countAll: Statement;
  private readonly prune: Statement;
  private readonly stateOnly: Statement;
  private readonly versionOnly: Statement;
  private readonly keep: Statement;

  constructor(
    private readonly db: Database,
    private readonly trail: Trail,
    /** told of every state a record takes, inside the transaction */
    private readonly moved: (
      key: string,
      from: RecordState | undefined,
      to: RecordState,
    ) => void = () => undefined,
  ) {
    this.one = db.prepare(`SELECT ${COLUMNS} FROM ${JOINED} WHERE r.key = ?`);
    this.versionOnly = db.prepare(
      'SELECT version, state, detail FROM records WHERE key = ?',
    );
    this.insert = db.prepare(
      `INSERT INTO records (key, kind, version, state, attempts,
         created_at, updated_at, square_at)
       VALUES (@key, @kind, @version, 'received', 0, @at, @at, @squareAt)`,
    );
    this.replace = db.prepare(
      `UPDATE records SET version = @version, state = @state,
         detail = @detail, updated_at = @at, square_at = @squareAt
       WHERE key = @key`,
    );
    this.keep = db.prepare(
      `INSERT INTO payloads (id, record)
       VALUES ((SELECT id FROM records WHERE key = ?), ?)
       ON CONFLICT (id) DO UPDATE SET record = excluded.record`,
    );
    this.state = db.prepare(
      'UPDATE records SET state = ?, detail = ?, updated_at = ? WHERE key = ?',
    );
    this.attempt = db.prepare(
      `UPDATE records SET attempts = attempts + 1, updated_at = ?
       WHERE key = ? RETURNING attempts`,
    );
    this.countAll = db.prepare(
      'SELECT state, COUNT(*) AS n FROM records GROUP BY state',
    );
    this.stateOnly = db.prepare(
      'SELECT state, detail FROM records WHERE key = ?',
    );
    this.prune = db.prepare(
      `DELETE FROM payloads WHERE id IN (SELECT id FROM records
         WHERE state IN ('posted', 'skipped') AND updated_at < ?)`,
    );
  }

  receive(record: SyncRecord, at: string): ReceiveResult {
    checkRecord(record);

    const row = this.versionOnly.get(record.key) as
      Pick<RecordRow, 'version' | 'state' | 'detail'> | undefined;
    const from = `from ${record.source}`;
    // A poll re-reads its overlap window on purpose; only repeats from
    // elsewhere (a redelivered webhook, a replay) are worth a trail line.
    const noteRepeat = record.source !== 'poll';

    if (!row) {
      const json = JSON.stringify(record);
      const squareAt = squareTimeOf(record, at);
      this.insert.run({ ...record, at, squareAt });
      this.keep.run(record.key, json);
      this.moved(record.key, undefined, 'received');
      const detail = `version ${record.version} ${from}`;
      this.trail.append(record.key, at, 'received', detail);
      return { outcome: 'new', state: 'received' };
    }

    const order = compareVersions(record.version, row.version);
    if (order === 0) {
      const detail = `version ${record.version} again ${from}`;
      if (noteRepeat) this.trail.append(record.key, at, 'duplicate', detail);
      return { outcome: 'duplicate', state: row.state };
    }
    if (order < 0) {
      const detail = `version ${record.version} ${from} is older than ${row.version}`;
      if (noteRepeat) this.trail.append(record.key, at, 'stale', detail);
      return { outcome: 'stale', state: row.state };
    }

    const state = stateOnNewerVersion(row.state);
    const detail = state === row.state ? row.detail : null;
    const json = JSON.stringify(record);
    const squareAt = squareTimeOf(record, at);
    this.replace.run({ ...record, state, detail, at, squareAt });
    this.keep.run(record.key, json);
    this.moved(record.key, row.state, state);
    const kept = state === row.state ? `, stays ${state}` : '';
    const note = `newer version ${record.version} (was ${row.version}) ${from}${kept}`;
    this.trail.append(record.key, at, 'received', note);
    return { outcome: 'newer', state };
  }

  get(key: string): StoredRecord | undefined {
    const row = this.one.get(key) as RecordRow | undefined;
    return row && toStored(row);
  }

  setState(key: string, to: RecordState, at: string, detail?: string): void {
    if (!RECORD_STATES.includes(to)) {
      throw new LedgerError('LEDGER_INPUT', `unknown record state "${to}"`);
    }
    const row = this.stateOnly.get(key) as { state: RecordState } | undefined;
    if (!row) {
      throw new LedgerError('LEDGER_INPUT', `no record ${key} in the ledger`);
    }
    if (!canMove(row.state, to)) {
      throw new LedgerError(
        'LEDGER_STATE',
        `${key} cannot go from ${row.state} to ${to}`,
      );
    }

    this.state.run(to, detail ?? null, at, key);
    this.moved(key, row.state, to);
    this.trail.append(key, at, to, detail ?? `${row.state} -> ${to}`);
  }

  /** The state alone, without parsing the stored record. */
  stateOf(key: string): RecordState | undefined {
    const row = this.stateOnly.get(key) as { state: RecordState } | undefined;
    return row?.state;
  }

  /** State and detail, without parsing the stored record. */
  glance(key: string): { state: RecordState; detail?: string } | undefined {
    const row = this.stateOnly.get(key) as
      { state: RecordState; detail: string | null } | undefined;
    if (!row) return undefined;
    return row.detail === null
      ? { state: row.state }
      : { state: row.state, detail: row.detail };
  }

  incrementAttempts(key: string, at: string): number {
    const row = this.attempt.get(at, key) as { attempts: number } | undefined;
    if (!row) {
      throw new LedgerError('LEDGER_INPUT', `no record ${key} in the ledger`);
    }
    return row.attempts;
  }

  list(query: ListQuery = {}): StoredRecord[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.state && !RECORD_STATES.includes(query.state as RecordState)) {
      throw new LedgerError('LEDGER_INPUT', `unknown state "${query.state}"`);
    }
    if (query.kind && !KINDS.includes(query.kind)) {
      throw new LedgerError('LEDGER_INPUT', `unknown kind "${query.kind}"`);
    }
    if (query.state) {
      where.push('r.state = ?');
      params.push(query.state);
    }
    if (query.kind) {
      where.push('r.kind = ?');
      params.push(query.kind);
    }
    if (query.from) {
      where.push('r.square_at >= ?');
      params.push(boundary(query.from, 'from'));
    }
    if (query.to) {
      where.push('r.square_at < ?');
      params.push(boundary(query.to, 'to'));
    }

    const limit = Math.min(
      Math.max(query.limit ?? DEFAULT_LIMIT, 0),
      MAX_LIMIT,
    );
    const offset = Math.max(query.offset ?? 0, 0);
    const sql =
      `SELECT ${COLUMNS} FROM ${JOINED}` +
      (where.length ? ` WHERE ${where.join(' AND ')}` : '') +
      ' ORDER BY r.square_at, r.key LIMIT ? OFFSET ?';
    const rows = this.db.prepare(sql).all(...params, limit, offset);
    return (rows as RecordRow[]).map(toStored);
  }

  counts(): Record<RecordState, number> {
    const counts = Object.fromEntries(RECORD_STATES.map((s) => [s, 0]));
    for (const row of this.countAll.all() as { state: string; n: number }[]) {
      counts[row.state] = row.n;
    }
    return counts as Record<RecordState, number>;
  }

  /** Drops stored payloads of settled records; rows and trail stay. */
  prunePayloads(olderThanDays: number, now: Date): number {
    const cutoff = new Date(now.getTime() - olderThanDays * DAY_MS);
    return this.prune.run(cutoff.toISOString()).changes;
  }
}
