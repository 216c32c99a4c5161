import * as path from 'node:path';
import type { NodeAPI, NodeDef } from 'node-red';
import { Ledger } from '../lib/store/ledger';
import { LedgerError } from '../lib/store/errors';
import { fileIdentity, fileProblem, MEMORY } from '../lib/store/open';
import { LedgerHealth, Users, errorText } from '../lib/node-red/kit';
import type { LedgerConfigNode } from '../lib/node-red/config-types';

// The ledger shows its own trouble on every node using it: a file that
// cannot be opened or written turns them red with a short reason, and
// they are cleared once it is writable again. A ledger that failed to
// open is retried, so fixing the folder's permission needs no redeploy.
// Every look is also passed to `health`, so that a node red from a ledger
// call of its own goes back to its usual status once the ledger works.

interface LedgerDef extends NodeDef {
  file?: string;
}

/** How often the file is looked at; tests set sqx3LedgerCheckMs lower. */
const CHECK_MS = 5000;

/** Writes that failed in SQLite itself (disk full, I/O) rather than on the file. */
const CALL_TROUBLE = new Set(['LEDGER_WRITE', 'LEDGER_OPEN']);

function shortReason(message: string): string {
  if (/removed/.test(message)) return 'ledger file removed';
  if (/replaced/.test(message)) return 'ledger file replaced';
  if (/read-only|not writable|permission|EACCES|EPERM/i.test(message)) {
    return 'ledger file read-only';
  }
  if (/disk is full/.test(message)) return 'ledger disk full';
  if (/corrupt|not a SQLite/.test(message)) return 'ledger file damaged';
  return 'ledger unavailable';
}

export = function register(RED: NodeAPI) {
  function LedgerNode(this: LedgerConfigNode, config: LedgerDef) {
    RED.nodes.createNode(this, config);
    this.users = new Users();
    this.health = new LedgerHealth();

    const userDir = RED.settings.userDir ?? process.cwd();
    const name = config.file || 'sqx3-ledger.sqlite';
    const file = name === MEMORY ? name : path.resolve(userDir, name);
    let current: Ledger | undefined;
    let identity: string | undefined;
    let openError: Error | undefined;
    let fileTrouble: string | undefined;
    let callTrouble: string | undefined;
    const failedCalls = new Set<string>();
    let shown: string | undefined;

    const update = () => {
      const reason =
        fileTrouble ?? (failedCalls.size ? callTrouble : undefined);
      if (reason !== shown) {
        shown = reason;
        if (reason) this.users.show('red', reason);
        else this.users.clear();
      }
      this.health.report(reason);
    };

    const open = (): void => {
      try {
        const started = Date.now();
        current = Ledger.open(file);
        if (current.upgradedFrom !== undefined) {
          this.log(
            `sync ledger ${file} brought from schema version ` +
              `${current.upgradedFrom} up to date in ${Date.now() - started} ms`,
          );
        }
        identity = fileIdentity(file);
        openError = undefined;
        fileTrouble = undefined;
        // refusals by the connection just replaced say nothing of this one
        failedCalls.clear();
        this.log(`sync ledger open at ${file}`);
        if (file === MEMORY) {
          this.warn(
            'sync ledger kept in memory: what was posted is forgotten at ' +
              'the next restart or full deploy, and X3 may then be sent ' +
              'the same sales again; give it a file for real books',
          );
        }
      } catch (error) {
        const first = !openError;
        openError = error as Error;
        fileTrouble = shortReason(errorText(error));
        if (first) {
          this.error(
            `sync ledger ${file} could not be opened: ${errorText(error)}; ` +
              'retrying',
          );
        }
      }
      update();
    };

    const check = () => {
      if (!current) {
        open();
        return;
      }
      const failure = current.failure;
      if (failure !== undefined && !fileProblem(file, identity)) {
        // Steps in flight went on past writes that were never kept: the
        // next poll reads their records again, and marks on disk are
        // looked up in X3 before anything is posted again.
        this.warn(
          `sync ledger ${file}: a commit failed (${failure}); reopening`,
        );
        current.close();
        current = undefined;
        open();
        return;
      }
      if (file === MEMORY) return;
      const problem = fileProblem(file, identity);
      const next = problem ? shortReason(problem) : undefined;
      if (next && next !== fileTrouble) {
        this.error(`sync ledger ${file}: ${problem}; nothing can be recorded`);
      } else if (!next && fileTrouble) {
        this.log(`sync ledger ${file} is writable again`);
        // the calls that failed on the file will work now
        failedCalls.clear();
      }
      fileTrouble = next;
      update();
    };

    // Users keep this object; the ledger behind it may open later.
    this.ledger = new Proxy({} as Ledger, {
      get: (_target, prop) => {
        if (prop === 'file') return file;
        const ledger = current;
        if (!ledger) {
          return () => {
            throw new LedgerError(
              'LEDGER_OPEN',
              `sync ledger ${file} is not open: ` +
                errorText(openError ?? 'closed'),
            );
          };
        }
        const value: unknown = Reflect.get(ledger, prop, ledger);
        if (typeof value !== 'function') return value;
        const call = String(prop);
        return (...args: unknown[]) => {
          try {
            const result: unknown = value.apply(ledger, args);
            if (failedCalls.delete(call)) update();
            return result;
          } catch (error) {
            if (error instanceof LedgerError && CALL_TROUBLE.has(error.code)) {
              failedCalls.add(call);
              callTrouble = shortReason(error.message);
              update();
            }
            throw error;
          }
        };
      },
    });

    open();
    // An in-memory ledger that opened has no file to watch.
    const every =
      Number(
        (RED.settings as { sqx3LedgerCheckMs?: number }).sqx3LedgerCheckMs,
      ) || CHECK_MS;
    const timer =
      file === MEMORY && current ? undefined : setInterval(check, every);

    this.on('close', (_removed: boolean, done: () => void) => {
      clearInterval(timer);
      current?.close();
      current = undefined;
      done();
    });
  }

  RED.nodes.registerType('sqx3-ledger', LedgerNode);
};
