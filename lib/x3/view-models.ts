import type {
  CustomerDoc,
  EntryKind,
  InvoiceDoc,
  JournalEntryDoc,
} from '../ledger/types';
import { nameLines } from '../ledger/customer';
import { cutText } from '../ledger/text';
import { toDecimal } from './decimal';
import { X3Error } from './errors';

// What the templates see: the document's fields with amounts as decimal
// strings and the X3 codes that come from setup rather than the document.
// Free text is cut to the length X3 stores; codes are never cut.

/** The X3 codes a folder's setup decides, not the documents. */
export interface X3Setup {
  /** SIVTYP of category invoice */
  invoiceType: string;
  /** SIVTYP of category credit memo */
  creditMemoType: string;
  /** TYP per entry kind; refund-receipt falls back to refund, fee-refund to fee */
  entryTypes: Partial<Record<EntryKind, string>>;
}

const FALLBACK: Partial<Record<EntryKind, EntryKind>> = {
  'refund-receipt': 'refund',
  'fee-refund': 'fee',
};

const cut = (text: string | undefined, max: number) =>
  text === undefined ? undefined : cutText(text, max);

// A key a view adds goes before the spread of the document, not after:
// V8 builds the object many times faster. No document type has such a key.

function withLast<T>(items: T[]): ({ last: boolean } & T)[] {
  return items.map((item, i) => ({ last: i === items.length - 1, ...item }));
}

export function entryType(setup: X3Setup, kind: EntryKind): string {
  const type = setup.entryTypes[kind] ?? setup.entryTypes[FALLBACK[kind]!];
  if (!type) {
    throw new X3Error('config', `no X3 entry type set up for ${kind} entries`);
  }
  return type;
}

export function invoiceView(doc: InvoiceDoc, setup: X3Setup) {
  const money = (minor: number) => toDecimal(minor, doc.currency);
  return {
    invoiceType:
      doc.kind === 'invoice' ? setup.invoiceType : setup.creditMemoType,
    ...doc,
    lines: withLast(
      doc.lines.map((line) => ({
        ...line,
        description: cut(line.description, 30),
        grossPrice: money(line.grossPrice),
        discount: money(line.discount),
        taxAmount: money(line.taxAmount),
        netAmount: money(line.netAmount),
      })),
    ),
    totalNet: money(doc.totalNet),
    totalTax: money(doc.totalTax),
  };
}

export function entryView(doc: JournalEntryDoc, setup: X3Setup) {
  return {
    entryType: entryType(setup, doc.kind),
    ...doc,
    description: cut(doc.description, 30),
    lines: withLast(
      doc.lines.map((line) => {
        const amount = toDecimal(line.amount, doc.currency);
        return {
          debit: line.side === 'debit' ? amount : undefined,
          credit: line.side === 'credit' ? amount : undefined,
          ...line,
          description: cut(line.description, 30),
        };
      }),
    ),
  };
}

// The bundled GraphQL template sends BPRNAM(0) alone: the docs do not say
// how a customer mutation carries the second line. A folder whose API
// operation maps it can use companyName2 in its own template.
export function customerView(doc: CustomerDoc) {
  const [companyName, companyName2] = nameLines(doc.name);
  return {
    companyName,
    companyName2,
    shortName: doc.tag ?? cut(doc.name, 10)?.trimEnd(),
    ...doc,
    addressLine1: cut(doc.addressLine1, 50),
    addressLine2: cut(doc.addressLine2, 50),
    city: cut(doc.city, 40),
    email: cut(doc.email, 80),
    phone: cut(doc.phone, 40),
  };
}

/** Refuses, before any call, an entry X3 would refuse for its amounts. */
export function checkEntry(doc: JournalEntryDoc): void {
  let debit = 0;
  let credit = 0;
  for (const line of doc.lines) {
    if (!Number.isSafeInteger(line.amount) || line.amount <= 0) {
      throw new X3Error(
        'invalid-document',
        `entry ${doc.reference}: line on ${line.account} has amount ${line.amount}`,
      );
    }
    if (line.side === 'debit') debit += line.amount;
    else credit += line.amount;
  }
  if (debit !== credit) {
    throw new X3Error(
      'unbalanced',
      `entry ${doc.reference} does not balance: ` +
        `debit ${toDecimal(debit, doc.currency)}, ` +
        `credit ${toDecimal(credit, doc.currency)} ${doc.currency}`,
    );
  }
}
