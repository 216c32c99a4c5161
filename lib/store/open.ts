import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { LedgerError, toLedgerError } from './errors';
import { migrate, schemaVersion } from './schema';

// Opens (or creates) the ledger file: owner-only permissions, WAL, a busy
// timeout for a second reader, and the schema brought up to date.

export const MEMORY = ':memory:';

const BUSY_TIMEOUT_MS = 5000;

export interface OpenedFile {
  db: Database.Database;
  /** absolute path, or ':memory:' */
  file: string;
  /** device and inode of the file, to notice it being removed or replaced */
  identity?: string;
  /** the schema version the file had, when this open brought it up to date */
  upgradedFrom?: number;
}

export function fileIdentity(file: string): string | undefined {
  try {
    const stat = fs.statSync(file);
    return `${stat.dev}:${stat.ino}`;
  } catch {
    return undefined;
  }
}

/**
 * Why the open file can no longer take writes, or undefined if it can:
 * removed or replaced (SQLite would go on writing to the unlinked inode),
 * or made read-only (a process running as root would still be allowed
 * to write, so the permission bits are read). One stat: this runs before
 * every transaction; openFile has checked ownership and access.
 */
export function fileProblem(
  file: string,
  identity: string | undefined,
): string | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return 'the file was removed while open';
  }
  if (`${stat.dev}:${stat.ino}` !== identity) {
    return 'the file was replaced while open';
  }
  if ((stat.mode & 0o200) === 0) return 'the file was made read-only';
  return undefined;
}

function createFile(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    fs.closeSync(fs.openSync(file, 'wx', 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

function checkWritable(file: string): void {
  try {
    if ((fs.statSync(file).mode & 0o200) === 0) {
      throw Object.assign(new Error('read-only'), { code: 'EROFS' });
    }
    fs.accessSync(file, fs.constants.R_OK | fs.constants.W_OK);
    fs.accessSync(path.dirname(file), fs.constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'EACCES';
    throw new LedgerError(
      'LEDGER_WRITE',
      `sync ledger ${file}: the file or its folder is read-only (${code}); ` +
        'the ledger needs to write there',
      { cause: error },
    );
  }
}

function configure(db: Database.Database, file: string): void {
  if (file !== MEMORY) db.pragma('journal_mode = WAL');
  // NORMAL: a commit survives the process being killed; a power cut can
  // take the last commits. The Ledger commits the writes that let X3 be
  // called with FULL, which syncs the WAL (lib/store/ledger.ts).
  db.pragma('synchronous = NORMAL');
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma('foreign_keys = ON');
}

export function openFile(given: string): OpenedFile {
  const file = given === MEMORY ? MEMORY : path.resolve(given);
  let db: Database.Database | undefined;
  try {
    if (file !== MEMORY) {
      createFile(file);
      checkWritable(file);
    }
    db = new Database(file, { fileMustExist: file !== MEMORY });
    configure(db, file);
    const before = schemaVersion(db);
    const after = migrate(db);
    return {
      db,
      file,
      identity: file === MEMORY ? undefined : fileIdentity(file),
      // a new file (version 0) is not an upgrade
      ...(before > 0 && before < after ? { upgradedFrom: before } : {}),
    };
  } catch (error) {
    db?.close();
    if (error instanceof LedgerError) throw error;
    throw toLedgerError(error, 'LEDGER_OPEN', 'opening', file);
  }
}
