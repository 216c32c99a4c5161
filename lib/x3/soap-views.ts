import { nameLines } from '../ledger/customer';
import { cutText } from '../ledger/text';
import type { CustomerDoc, InvoiceDoc, JournalEntryDoc } from '../ledger/types';
import { X3Error } from './errors';
import { customerView, entryView, invoiceView, X3Setup } from './view-models';

// What the SOAP templates see: the GraphQL views with the values in the
// form classic web services take them: dates as YYYYMMDD, the company
// name as the items of the BPRNAM list (one or two lines, never empty).

export function soapDate(date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    throw new X3Error('invalid-document', `date "${date}" is not YYYY-MM-DD`);
  }
  return date.replace(/-/g, '');
}

export function soapInvoiceView(doc: InvoiceDoc, setup: X3Setup) {
  return { ...invoiceView(doc, setup), date: soapDate(doc.date) };
}

export function soapEntryView(doc: JournalEntryDoc, setup: X3Setup) {
  return { ...entryView(doc, setup), date: soapDate(doc.date) };
}

export function soapCustomerView(doc: CustomerDoc) {
  const names = nameLines(doc.name);
  return {
    ...customerView(doc),
    nameItems: names.map((item) => ({ item })),
    nameCount: names.length,
    addressCode: 'MAIN',
    addressName: cutText(doc.name, 30),
  };
}
