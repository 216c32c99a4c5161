import type { CustomerDoc, InvoiceDoc, JournalEntryDoc } from '../ledger/types';
import { X3Error } from './errors';
import { customerView, entryView, invoiceView, X3Setup } from './view-models';

// What the SOAP templates see: the GraphQL views with the values in the
// form classic web services take them: dates as YYYYMMDD, the company
// name as the items of the BPRNAM list (35 characters each, two at most).

export function soapDate(date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    throw new X3Error('invalid-document', `date "${date}" is not YYYY-MM-DD`);
  }
  return date.replace(/-/g, '');
}

/** Cut into pieces of `size` characters, at most `count` of them. */
export function splitText(text: string, size: number, count: number) {
  const items: string[] = [];
  for (let at = 0; at < text.length && items.length < count; at += size) {
    items.push(text.slice(at, at + size));
  }
  return items;
}

export function soapInvoiceView(doc: InvoiceDoc, setup: X3Setup) {
  return { ...invoiceView(doc, setup), date: soapDate(doc.date) };
}

export function soapEntryView(doc: JournalEntryDoc, setup: X3Setup) {
  return { ...entryView(doc, setup), date: soapDate(doc.date) };
}

export function soapCustomerView(doc: CustomerDoc) {
  const view = customerView(doc);
  return {
    ...view,
    nameItems: splitText(doc.name, 35, 2).map((item) => ({ item })),
    nameCount: Math.min(2, Math.ceil(doc.name.length / 35)),
    addressCode: 'MAIN',
    addressName: doc.name.slice(0, 30),
  };
}
