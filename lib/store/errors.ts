import type { Retryable } from '../sync/backoff';

// Why a ledger call failed. LEDGER_WRITE means nothing was stored: a caller
// that got this from markPosting must not call X3.

export type LedgerErrorCode =
  | 'LEDGER_OPEN'
  | 'LEDGER_WRITE'
  | 'LEDGER_READ'
  | 'LEDGER_STATE'
  | 'LEDGER_INPUT';

export class LedgerError extends Error implements Retryable {
  readonly code: LedgerErrorCode;
  readonly retryable: boolean;
  /** SQLite's own code (SQLITE_FULL, SQLITE_READONLY...) when there is one */
  readonly sqliteCode?: string;

  constructor(
    code: LedgerErrorCode,
    message: string,
    options: { sqliteCode?: string; retryable?: boolean; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'LedgerError';
    this.code = code;
    this.sqliteCode = options.sqliteCode;
    this.retryable = options.retryable ?? false;
  }
}

const REASONS: Record<string, string> = {
  SQLITE_FULL: 'the disk is full',
  SQLITE_READONLY: 'the file is read-only',
  SQLITE_READONLY_DBMOVED: 'the file was moved or removed while open',
  SQLITE_CANTOPEN: 'the file cannot be opened',
  SQLITE_PERM: 'permission denied',
  SQLITE_BUSY: 'another process holds the write lock',
  SQLITE_LOCKED: 'the database is locked',
  SQLITE_CORRUPT: 'the file is corrupt',
  SQLITE_NOTADB: 'the file is not a SQLite database',
};

function reasonOf(sqliteCode: string): string {
  if (REASONS[sqliteCode]) return REASONS[sqliteCode];
  if (sqliteCode.startsWith('SQLITE_IOERR')) return 'a disk I/O error';
  if (sqliteCode.startsWith('SQLITE_READONLY')) return REASONS.SQLITE_READONLY;
  if (sqliteCode.startsWith('SQLITE_BUSY')) return REASONS.SQLITE_BUSY;
  return 'an SQLite error';
}

/** Turns whatever better-sqlite3 threw into a LedgerError. */
export function toLedgerError(
  error: unknown,
  code: LedgerErrorCode,
  what: string,
  file: string,
): LedgerError {
  if (error instanceof LedgerError) return error;

  const sqliteCode = (error as { code?: unknown })?.code;
  if (typeof sqliteCode !== 'string' || !sqliteCode.startsWith('SQLITE_')) {
    const text = error instanceof Error ? error.message : String(error);
    return new LedgerError(
      code,
      `sync ledger ${file}: ${what} failed: ${text}`,
      {
        cause: error,
      },
    );
  }

  const reason = reasonOf(sqliteCode);
  return new LedgerError(
    code,
    `sync ledger ${file}: ${what} failed: ${reason} (${sqliteCode})`,
    {
      sqliteCode,
      retryable: sqliteCode.startsWith('SQLITE_BUSY'),
      cause: error,
    },
  );
}
