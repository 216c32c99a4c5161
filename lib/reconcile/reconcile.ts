import { documentReference } from '../ledger/reference';
import type { MappingTables, PostingMode } from '../ledger/types';
import type { Location } from '../square/types';
import type { SyncRecord } from '../sync/record';
import type { X3ReadBack } from '../x3/read-back';
import { CATEGORIES, label, merge, ordered, type Figures } from './figures';
import { squareFigures } from './square-side';
import { postingSkip } from './skipped';
import { recordSkus, type SkuLookup } from './skus';
import { SquareReads, type SquareReader } from './square-reads';
import { squareRecords, type DayRange } from './square-records';
import {
  AccountRoles,
  entryFigures,
  guessKind,
  invoiceFigures,
} from './x3-side';

// Square's totals for a location and a date range against what X3 holds
// for its site and the same dates. Each X3 document is tied to its Square
// record by the reference the connector wrote into it, so a difference
// comes with the records behind it; an X3 document no record claims is a
// difference of its own.

export interface ReconcileOptions extends DayRange {
  locationId: string;
  tables: MappingTables;
  mode: PostingMode;
  /** the catalog SKUs the posting maps by: the mapping node's lookup */
  skus?: SkuLookup;
  square: SquareReader;
  x3: Pick<X3ReadBack, 'invoices' | 'entries'>;
}

export interface RecordFigures {
  key: string;
  square: Figures;
  x3: Figures;
  /** X3 numbers of the record's documents */
  documents: string[];
  note?: string;
}

export interface ReconcileRow {
  category: string;
  label: string;
  square: number;
  x3: number;
  difference: number;
  /** the records whose own figures differ here */
  records: string[];
}

export interface StrayDocument {
  number: string;
  type: 'invoice' | 'entry';
  reference: string;
}

/** A record the posting rules post nothing for: not in the rows. */
export interface SkippedRecord {
  key: string;
  /** the posting rules' reason, "zero-value sale" say */
  reason: string;
  /** what Square's side would have counted for it */
  square: Figures;
}

/** An X3 document in another currency than the report's: not added. */
export interface ForeignDocument {
  number: string;
  type: 'invoice' | 'entry';
  currency: string;
  /** the record that claims it, else its reference */
  claimedBy: string;
}

export interface Reconciliation extends DayRange {
  locationId: string;
  site: string;
  currency: string;
  mode: PostingMode;
  rows: ReconcileRow[];
  records: RecordFigures[];
  strays: StrayDocument[];
  skipped: SkippedRecord[];
  otherCurrency: ForeignDocument[];
  /**
   * true when every record ties in every row, no X3 document is unclaimed
   * and none is in another currency
   */
  tied: boolean;
}

const DOC_KINDS = [
  'invoice',
  'credit-memo',
  'receipt',
  'revenue',
  'fee',
  'refund',
  'refund-receipt',
  'fee-refund',
];

/** Rows X3 cannot carry in journal mode: it books sales net. */
const INVOICE_ONLY = new Set(['grossSales', 'discounts']);

function referenceIndex(records: SyncRecord[]) {
  const index = new Map<string, { key: string; kind: string }>();
  for (const record of records) {
    for (const kind of DOC_KINDS) {
      index.set(documentReference(`${record.key}#${kind}`), {
        key: record.key,
        kind,
      });
    }
  }
  return index;
}

export async function reconcile(
  opts: ReconcileOptions,
): Promise<Reconciliation> {
  const site = opts.tables.sites[opts.locationId];
  if (!site) {
    throw new Error(`no X3 site is mapped for location ${opts.locationId}`);
  }
  const square = SquareReads.of(opts.square);
  const location: Location = await square.retrieveLocation(opts.locationId);
  const records = await squareRecords(square, location, opts);
  const skuOf = await recordSkus(records, opts.tables, opts.skus);
  const range = { site, from: opts.from, to: opts.to };
  const [invoices, entries] = await Promise.all([
    opts.x3.invoices(range),
    opts.x3.entries(range),
  ]);

  const currency = location.currency ?? '';
  const byKey = new Map<string, RecordFigures>();
  const skipped: SkippedRecord[] = [];
  for (const record of records) {
    const side = squareFigures(record, opts.tables, opts.mode, skuOf);
    const reason = postingSkip(record, opts.tables, opts.mode, skuOf);
    if (reason) skipped.push({ key: record.key, reason, square: side.figures });
    const note = reason ? `skipped by the posting rules: ${reason}` : side.note;
    byKey.set(record.key, {
      key: record.key,
      square: reason ? {} : side.figures,
      x3: {},
      documents: [],
      ...(note ? { note } : {}),
    });
  }

  const index = referenceIndex(records);
  const roles = new AccountRoles(opts.tables);
  const strays: StrayDocument[] = [];
  const otherCurrency: ForeignDocument[] = [];
  // A document in another currency is listed apart, never summed in.
  const foreign = (
    docCurrency: string,
    reference: string | null,
    number: string,
    type: ForeignDocument['type'],
  ) => {
    if (!currency || !docCurrency || docCurrency === currency) return false;
    const found = reference ? index.get(reference) : undefined;
    otherCurrency.push({
      number,
      type,
      currency: docCurrency,
      claimedBy: found?.key ?? reference ?? '',
    });
    const line = found && byKey.get(found.key);
    if (line) line.documents.push(number);
    return true;
  };
  const claim = (
    reference: string | null,
    number: string,
    type: StrayDocument['type'],
  ): { line: RecordFigures; kind?: string } => {
    const found = reference ? index.get(reference) : undefined;
    const line = found && byKey.get(found.key);
    if (line) {
      line.documents.push(number);
      return { line, kind: found.kind };
    }
    strays.push({ number, type, reference: reference ?? '' });
    const stray = {
      key: `x3:${number}`,
      square: {},
      x3: {},
      documents: [number],
    };
    byKey.set(stray.key, stray);
    return { line: stray };
  };

  for (const invoice of invoices) {
    const ref = invoice.customerReference;
    if (foreign(invoice.currency, ref, invoice.id, 'invoice')) continue;
    const { line, kind } = claim(
      invoice.customerReference,
      invoice.id,
      'invoice',
    );
    merge(line.x3, invoiceFigures(invoice, kind ?? invoice.category));
  }
  for (const entry of entries) {
    const cur = entry.transactionCurrency;
    if (foreign(cur, entry.sourceDocument, entry.id, 'entry')) continue;
    const { line, kind } = claim(entry.sourceDocument, entry.id, 'entry');
    merge(line.x3, entryFigures(entry, kind ?? guessKind(entry, roles), roles));
  }

  const lines = [...byKey.values()];
  const rows = buildRows(lines, opts.mode);
  return {
    from: opts.from,
    to: opts.to,
    locationId: opts.locationId,
    site,
    currency,
    mode: opts.mode,
    rows,
    records: lines,
    strays,
    skipped,
    otherCurrency,
    tied:
      strays.length === 0 &&
      otherCurrency.length === 0 &&
      rows.every((r) => r.records.length === 0),
  };
}

function buildRows(lines: RecordFigures[], mode: PostingMode): ReconcileRow[] {
  // Every fixed category is shown, but rounding and the open receivable
  // only when some record has them.
  const categories = new Set<string>(
    CATEGORIES.filter((c) => c !== 'rounding' && c !== 'receivable'),
  );
  for (const line of lines) {
    for (const c of [...Object.keys(line.square), ...Object.keys(line.x3)]) {
      categories.add(c);
    }
  }

  return ordered(categories)
    .filter((c) => mode === 'invoice' || !INVOICE_ONLY.has(c))
    .map((category) => {
      let square = 0;
      let x3 = 0;
      const records: string[] = [];
      for (const line of lines) {
        const s = line.square[category] ?? 0;
        const x = line.x3[category] ?? 0;
        square += s;
        x3 += x;
        if (s !== x) records.push(line.key);
      }
      return {
        category,
        label: label(category),
        square,
        x3,
        difference: x3 - square,
        records,
      };
    });
}
