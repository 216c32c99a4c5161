import { createHash } from 'node:crypto';
import { parseMappingTables } from './mapping-tables';
import type { MappingTables } from './types';

// Tables a flow sets by message (topic 'tables' or 'import-csv') are kept
// in the sync ledger, so a restart does not lose them. They are kept with
// the hash of the tables deployed in the editor at the time: a later
// deploy that changes those tables wins, and the kept ones are set aside.
//
// They live in the ledger's table of named values (the one the poll
// node keeps its cursors in), under "mapping-tables:<node id>".

export interface NamedValues {
  getCursor(name: string): string | undefined;
  setCursor(name: string, value: string): void;
}

interface Kept {
  basedOn: string;
  via: string;
  at: string;
  tables: MappingTables;
}

export interface TablesChoice {
  tables: MappingTables;
  source: 'deployed' | 'kept';
  /** one line for the node's log */
  note: string;
}

const keyOf = (nodeId: string) => `mapping-tables:${nodeId}`;

/** The hash of the tables as deployed (the node's `tables` text). */
export function deployedHash(text: string | undefined): string {
  return createHash('sha256')
    .update(text ?? '')
    .digest('hex');
}

export function keepTables(
  store: NamedValues,
  nodeId: string,
  basedOn: string,
  tables: MappingTables,
  via: string,
  at: Date = new Date(),
): void {
  const kept: Kept = { basedOn, via, at: at.toISOString(), tables };
  store.setCursor(keyOf(nodeId), JSON.stringify(kept));
}

/** The kept tables when they rest on these deployed ones, else these. */
export function chooseTables(
  store: NamedValues,
  nodeId: string,
  deployed: MappingTables,
  basedOn: string,
): TablesChoice {
  const text = store.getCursor(keyOf(nodeId));
  if (!text) {
    return {
      tables: deployed,
      source: 'deployed',
      note: 'the deployed tables',
    };
  }

  let kept: Kept;
  try {
    kept = JSON.parse(text) as Kept;
    kept.tables = parseMappingTables(JSON.stringify(kept.tables));
  } catch (error) {
    return {
      tables: deployed,
      source: 'deployed',
      note:
        'the deployed tables (the tables kept in the ledger are unreadable: ' +
        `${(error as Error).message})`,
    };
  }
  const when = `set by msg (${kept.via}) at ${kept.at}`;
  if (kept.basedOn !== basedOn) {
    return {
      tables: deployed,
      source: 'deployed',
      note:
        'the deployed tables: they changed in the editor since the tables ' +
        `${when}, which are set aside`,
    };
  }
  return { tables: kept.tables, source: 'kept', note: `the tables ${when}` };
}
