import {
  customerDoc,
  customerTag,
  type CustomerNumbering,
} from '../ledger/customer';
import { deletedNote, mergedNote } from '../ledger/customer-notes';
import { PostingError } from '../ledger/errors';
import { saleCustomerId } from '../ledger/mapping';
import type { CustomerDoc, ResolvedMapping } from '../ledger/types';
import type { CustomerEvent, SyncRecord } from './record';
import { customerTurns } from './turns';

// A Square customer becomes or updates its X3 customer. For a sale, only
// when the sale names a Square customer X3 does not know yet; for a
// customer record, always (an update in Square updates X3). Deletions and
// merges in Square never delete anything in X3: the trail says so.
//
// With X3 numbering the code is X3's: the pair Square id -> X3 code in the
// ledger is the only way back to it, and the customer carries a tag in its
// short name so that a create whose answer was lost is found, not redone.

export interface CustomerLedger {
  x3Customer(squareId: string): string | undefined;
  pairCustomer(squareId: string, x3Code: string): void;
  setState(key: string, state: string, detail?: string): void;
  trail(key: string, stage: string, detail: string): void;
  /** what was last written to a code */
  customerWrite(x3Code: string): CustomerWriteHint | undefined;
  markCustomerWriting(recordKey: string, x3Code: string): void;
  /** runs work in a commit that is on disk when the promise resolves */
  atomicallyBeforeX3<T>(work: () => T): Promise<T>;
  markCustomerWritten(x3Code: string, hash: string): void;
  /** runs work as one transaction */
  atomically<T>(work: () => T): T;
}

interface CustomerWriteHint {
  hash?: string;
  state?: 'writing' | 'written';
  beforeWrite?: () => Promise<void>;
}

export interface CustomerWriter {
  upsertCustomer(
    doc: CustomerDoc,
    last?: CustomerWriteHint,
  ): Promise<{
    code: string;
    created: boolean;
    hash?: string;
    unchanged?: boolean;
  }>;
}

export interface CustomerOutcome {
  code?: string;
  action:
    | 'created'
    | 'updated'
    | 'unchanged'
    | 'known'
    | 'walk-in'
    | 'not-in-square'
    | 'kept';
}

export interface CustomerStepOptions {
  /** default 'derived' */
  numbering?: CustomerNumbering;
}

export async function syncCustomer(
  ledger: CustomerLedger,
  x3: CustomerWriter,
  record: SyncRecord,
  mapping: ResolvedMapping,
  opts: CustomerStepOptions = {},
): Promise<CustomerOutcome> {
  if (record.kind !== 'customer' && !mapping.customerFromSquare) {
    return { code: mapping.customer, action: 'walk-in' };
  }
  // Steps for one Square customer take turns, so each finds the pair and
  // hash of the one before and an unchanged customer is not sent again.
  const squareId =
    record.kind === 'customer'
      ? squareCustomerId(record)
      : (record.square.customer?.id ?? saleCustomerId(record));
  const step = () => customerStep(ledger, x3, record, mapping, opts);
  return squareId ? customerTurns(ledger, squareId, step) : step();
}

/** The step proper, in its Square customer's turn. */
async function customerStep(
  ledger: CustomerLedger,
  x3: CustomerWriter,
  record: SyncRecord,
  mapping: ResolvedMapping,
  opts: CustomerStepOptions,
): Promise<CustomerOutcome> {
  const customer = record.square.customer;
  const isCustomerRecord = record.kind === 'customer';

  if (isCustomerRecord && record.customerEvent?.deleted) {
    return keepDeleted(ledger, record);
  }
  if (!isCustomerRecord) {
    const squareId = customer?.id ?? saleCustomerId(record);
    const known = squareId ? ledger.x3Customer(squareId) : undefined;
    if (known) return { code: known, action: 'known' };
    if (!customer && opts.numbering === 'x3') {
      throw new PostingError(
        'UNMAPPED',
        `Square customer ${squareId} has no X3 customer and Square no ` +
          'longer returns it; map it in the customers table',
      );
    }
  }
  if (!customer) return { code: mapping.customer, action: 'not-in-square' };

  const doc = customerDoc(
    customer,
    mapping,
    codeOptions(ledger, customer.id, mapping, opts),
  );
  // Written before X3 is called: a ledger that cannot record the step
  // stops it here, and X3 is not asked for anything.
  const target = doc.code || `numbered by X3, short name ${doc.tag}`;
  let marked = false;
  const mark = async () => {
    const code = doc.code;
    if (code) {
      // the mark shares the commit and disk sync of the steps around it,
      // instead of a sync of its own that holds the event loop
      await ledger.atomicallyBeforeX3(() =>
        ledger.markCustomerWriting(record.key, code),
      );
    } else {
      ledger.trail(record.key, 'customer-sync', `X3 customer ${target}`);
    }
    marked = true;
  };
  // With the ledger's note of the last write, an unchanged customer is
  // not sent again; the writer marks the step just before calling X3.
  const last = doc.code ? ledger.customerWrite(doc.code) : undefined;
  const result = await x3.upsertCustomer(doc, { ...last, beforeWrite: mark });

  const action = result.unchanged
    ? 'unchanged'
    : result.created
      ? 'created'
      : 'updated';
  const finish = () => {
    if (!marked && !result.unchanged) {
      ledger.trail(record.key, 'customer-sync', `X3 customer ${target}`);
    }
    ledger.pairCustomer(customer.id, result.code);
    // X3 numbering: doc.code is blank, result.code is X3's
    if (result.hash && !result.unchanged) {
      ledger.markCustomerWritten(result.code, result.hash);
    }
    ledger.trail(
      record.key,
      `customer-${action}`,
      `X3 customer ${result.code}`,
    );
    const merge = isCustomerRecord ? record.customerEvent?.merge : undefined;
    if (merge) noteMerge(ledger, record.key, merge);
    if (isCustomerRecord) ledger.setState(record.key, 'posted', result.code);
  };
  ledger.atomically(finish);
  return { code: result.code, action };
}

function codeOptions(
  ledger: CustomerLedger,
  squareId: string,
  mapping: ResolvedMapping,
  opts: CustomerStepOptions,
): { code?: string; tag?: string } {
  // A code from the customers table is the user's choice in either mode.
  if (opts.numbering !== 'x3' || !mapping.customerFromSquare) return {};
  return {
    code: ledger.x3Customer(squareId) ?? '',
    tag: customerTag(squareId),
  };
}

/** The Square customer of a customer record (a deleted one may be bare). */
function squareCustomerId(record: SyncRecord): string {
  return record.square.customer?.id ?? record.key.split(':')[1];
}

/** customer.deleted: nothing is sent to X3; the trail says what stays. */
function keepDeleted(
  ledger: CustomerLedger,
  record: SyncRecord,
): CustomerOutcome {
  const code = ledger.x3Customer(squareCustomerId(record));
  const merge = record.customerEvent?.merge;
  const note = merge ? noteMerge(ledger, record.key, merge) : deletedNote(code);
  if (!merge) ledger.trail(record.key, 'customer-kept', note);
  // posted: X3 holds a customer for it, and keeps it
  ledger.setState(record.key, code ? 'posted' : 'skipped', note);
  return { code, action: 'kept' };
}

/**
 * The merge note on this record's trail. Square sends customer.deleted
 * for each merged customer and customer.created for the new one, each
 * with the merge, so every affected record gets the note once.
 */
function noteMerge(
  ledger: CustomerLedger,
  key: string,
  merge: NonNullable<CustomerEvent['merge']>,
): string {
  const codes = merge.from_customer_ids.map((id) => ledger.x3Customer(id));
  const note = mergedNote(merge, codes);
  ledger.trail(key, 'customer-merged', note);
  return note;
}
