import { randomUUID } from 'node:crypto';
import {
  Decimal,
  formatUnits,
  multiply,
  parseDecimal,
  rescale,
} from './decimal';
import type { X3Store } from './store';
import type {
  CustomerFields,
  StoredCustomer,
  StoredEntry,
  StoredEntryLine,
  StoredInvoice,
  StoredInvoiceLine,
} from './types';

// The business rules X3 applies when a document is saved. Every problem
// found becomes one diagnosis; if there is any, nothing is stored.

export class X3RuleError extends Error {
  constructor(readonly diagnoses: string[]) {
    super(diagnoses.join('; '));
    this.name = 'X3RuleError';
  }
}

class Checks {
  readonly messages: string[] = [];

  add(message: string): void {
    this.messages.push(message);
  }

  exists(label: string, code: unknown, table: Map<string, unknown>): void {
    if (typeof code !== 'string' || code === '') {
      this.add(`${label} : mandatory field`);
    } else if (!table.has(code)) {
      this.add(`${label} ${code} : Record does not exist`);
    }
  }

  length(label: string, value: unknown, max: number): void {
    if (typeof value === 'string' && value.length > max) {
      this.add(`${label} : ${value.length} characters, maximum ${max}`);
    }
  }

  date(label: string, value: unknown, store: X3Store): void {
    const ok =
      typeof value === 'string' &&
      /^\d{4}-\d{2}-\d{2}$/.test(value) &&
      !Number.isNaN(Date.parse(value));
    if (!ok) this.add(`${label} ${String(value)} : invalid date`);
    else if (!store.isOpen(value)) {
      this.add(`${label} ${value} : period not open`);
    }
  }

  /** A non-negative amount with at most `scale` decimals. */
  amount(label: string, value: unknown, scale: number): Decimal | null {
    const d = parseDecimal(value);
    if (!d || d.units < 0n) {
      this.add(`${label} ${String(value)} : invalid amount`);
      return null;
    }
    if (d.scale > scale) {
      this.add(`${label} ${String(value)} : more than ${scale} decimals`);
      return null;
    }
    return d;
  }

  done(): void {
    if (this.messages.length > 0) throw new X3RuleError(this.messages);
  }
}

function blankToUndefined(fields: Record<string, unknown>) {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (v !== null && v !== undefined) out[k] = v;
  }
  return out;
}

function checkCustomerFields(
  store: X3Store,
  input: Partial<CustomerFields>,
  c: Checks,
): void {
  c.length('Customer', input.code, 15);
  c.exists('Customer category', input.category, store.setup.customerCategories);
  c.length('Customer category', input.category, 5);
  if (!input.companyName) c.add('Company name : mandatory field');
  c.length('Company name', input.companyName, 35);
  c.length('Short description', input.shortName, 10);
  c.exists('Currency', input.currency, store.setup.currencies);
  for (const key of ['addressLine1', 'addressLine2', 'addressLine3'] as const) {
    c.length('Address line', input[key], 50);
  }
  c.length('Postal code', input.postalCode, 10);
  c.length('City', input.city, 40);
  c.length('Email', input.email, 80);
  c.length('Telephone', input.phone, 40);
}

export function createCustomer(
  store: X3Store,
  raw: Partial<CustomerFields>,
): StoredCustomer {
  const input = blankToUndefined(raw) as Partial<CustomerFields>;
  const c = new Checks();
  checkCustomerFields(store, input, c);
  if (input.code && store.customers.has(input.code)) {
    c.add(`Customer ${input.code} : Record already exists`);
  }
  c.done();

  const code = input.code || store.nextNumber('BPC', 'CU', '2000');
  return store.putCustomer({ ...(input as CustomerFields), code });
}

export function updateCustomer(
  store: X3Store,
  raw: Partial<CustomerFields>,
): StoredCustomer {
  const input = blankToUndefined(raw) as Partial<CustomerFields>;
  const existing = input.code ? store.customers.get(input.code) : undefined;
  if (!existing) {
    throw new X3RuleError([
      `Customer ${input.code ?? ''} : Record does not exist`,
    ]);
  }
  const merged = { ...existing, ...input } as CustomerFields;
  const c = new Checks();
  checkCustomerFields(store, merged, c);
  c.done();

  return store.putCustomer(merged);
}

export interface InvoiceLineInput {
  product: string;
  description?: string;
  quantity: string;
  grossPrice: string;
  discountAmount: string;
  taxCode: string;
  taxAmount: string;
}

export interface InvoiceInput {
  salesSite: string;
  invoiceType: string;
  invoiceDate: string;
  billToCustomer: string;
  currency: string;
  customerReference: string;
  lines: InvoiceLineInput[];
}

function invoiceLine(
  store: X3Store,
  line: InvoiceLineInput,
  index: number,
  scale: number,
  c: Checks,
): StoredInvoiceLine {
  const at = `Line ${index + 1}: `;
  c.exists(at + 'Product', line.product, store.setup.products);
  c.exists(at + 'Tax code', line.taxCode, store.setup.taxCodes);
  c.length(at + 'Description', line.description, 30);
  const quantity = parseDecimal(line.quantity);
  if (!quantity || quantity.units <= 0n) {
    c.add(`${at}Quantity ${line.quantity} : invalid quantity`);
  }
  const price = c.amount(at + 'Gross price', line.grossPrice, scale + 4);
  const discount = c.amount(at + 'Discount', line.discountAmount, scale);
  const tax = c.amount(at + 'Tax amount', line.taxAmount, scale);

  let net = 0n;
  if (quantity && price && discount) {
    net = rescale(multiply(quantity, price), scale) - rescale(discount, scale);
    if (net < 0n) c.add(`${at}Discount exceeds the line amount`);
  }
  const product = store.setup.products.get(line.product);
  return {
    lineNumber: (index + 1) * 1000,
    product: line.product,
    description: line.description || product?.description || '',
    quantity: line.quantity,
    grossPrice: line.grossPrice,
    discountAmount: line.discountAmount,
    taxCode: line.taxCode,
    taxAmount: tax ? formatUnits(rescale(tax, scale), scale) : '0',
    netAmount: formatUnits(net, scale),
  };
}

export function createInvoice(
  store: X3Store,
  input: InvoiceInput,
): StoredInvoice {
  const c = new Checks();
  const setup = store.setup;
  c.exists('Sales site', input.salesSite, setup.sites);
  c.exists('Invoice type', input.invoiceType, setup.invoiceTypes);
  c.exists('Customer', input.billToCustomer, store.customers);
  c.exists('Currency', input.currency, setup.currencies);
  c.date('Invoice date', input.invoiceDate, store);
  c.length('Customer reference', input.customerReference, 20);
  const twin =
    store.uniqueReferences && input.customerReference
      ? store.invoices.find(
          (i) => i.customerReference === input.customerReference,
        )
      : undefined;
  if (twin) {
    c.add(
      `Customer reference ${twin.customerReference} : already registered ` +
        `on invoice ${twin.id}`,
    );
  }
  if (input.lines.length === 0) c.add('No lines : document cannot be saved');

  const scale = store.currencyDecimals(input.currency) ?? 2;
  const lines = input.lines.map((l, i) => invoiceLine(store, l, i, scale, c));
  c.done();

  const type = setup.invoiceTypes.get(input.invoiceType)!;
  const site = setup.sites.get(input.salesSite)!;
  const sum = (pick: (l: StoredInvoiceLine) => string) =>
    lines.reduce((acc, l) => acc + rescale(parseDecimal(pick(l))!, scale), 0n);
  const net = sum((l) => l.netAmount);
  const tax = sum((l) => l.taxAmount);
  const stamp = store.nowIso();
  const invoice: StoredInvoice = {
    uuid: randomUUID(),
    createdAt: stamp,
    updatedAt: stamp,
    id: store.nextNumber(`SIV:${type.code}`, type.prefix, input.invoiceDate),
    invoiceType: type.code,
    category: type.category,
    salesSite: site.code,
    company: site.company,
    invoiceDate: input.invoiceDate,
    billToCustomer: input.billToCustomer,
    currency: input.currency,
    customerReference: input.customerReference,
    status: 'notValidated',
    totalAmountExcludingTax: formatUnits(net, scale),
    totalTaxAmount: formatUnits(tax, scale),
    totalAmountIncludingTax: formatUnits(net + tax, scale),
    lines,
  };
  store.invoices.push(invoice);
  return invoice;
}

export interface EntryLineInput {
  account: string;
  businessPartner?: string | null;
  debit?: string | null;
  credit?: string | null;
  description: string;
}

export interface EntryInput {
  journalEntryType: string;
  site: string;
  accountingDate: string;
  transactionCurrency: string;
  description: string;
  sourceDocument: string;
  lines: EntryLineInput[];
}

function entryLine(
  store: X3Store,
  line: EntryLineInput,
  index: number,
  scale: number,
  c: Checks,
): StoredEntryLine & { sign: bigint } {
  const at = `Line ${index + 1}: `;
  const account = store.setup.accounts.get(line.account);
  c.exists(at + 'Account', line.account, store.setup.accounts);
  c.length(at + 'Description', line.description, 30);
  if (account?.control && !line.businessPartner) {
    c.add(
      `${at}Account ${line.account} : collective account, ` +
        'business partner mandatory',
    );
  }
  if (line.businessPartner) {
    c.exists(at + 'Business partner', line.businessPartner, store.customers);
  }

  const hasDebit = line.debit !== null && line.debit !== undefined;
  const hasCredit = line.credit !== null && line.credit !== undefined;
  let sign = 0n;
  if (hasDebit === hasCredit) {
    c.add(`${at}enter either a debit or a credit amount`);
  } else {
    const label = hasDebit ? 'Debit' : 'Credit';
    const d = c.amount(at + label, hasDebit ? line.debit : line.credit, scale);
    if (d && d.units === 0n) c.add(`${at}${label} : amount must not be zero`);
    if (d) sign = (hasDebit ? 1n : -1n) * rescale(d, scale);
  }

  const fmt = (v: string | null | undefined) =>
    v === null || v === undefined
      ? null
      : formatUnits(
          rescale(parseDecimal(v) ?? { units: 0n, scale: 0 }, scale),
          scale,
        );
  return {
    lineNumber: index + 1,
    account: line.account,
    businessPartner: line.businessPartner || null,
    debit: fmt(line.debit),
    credit: fmt(line.credit),
    description: line.description,
    sign,
  };
}

export function createEntry(store: X3Store, input: EntryInput): StoredEntry {
  const c = new Checks();
  const setup = store.setup;
  c.exists('Entry type', input.journalEntryType, setup.entryTypes);
  c.exists('Site', input.site, setup.sites);
  c.exists('Currency', input.transactionCurrency, setup.currencies);
  c.date('Accounting date', input.accountingDate, store);
  c.length('Description', input.description, 30);
  c.length('Source document', input.sourceDocument, 20);
  const twin =
    store.uniqueReferences && input.sourceDocument
      ? store.entries.find((e) => e.sourceDocument === input.sourceDocument)
      : undefined;
  if (twin) {
    c.add(
      `Source document ${twin.sourceDocument} : already registered ` +
        `on entry ${twin.id}`,
    );
  }
  if (input.lines.length < 2) c.add('Entry : at least two lines needed');

  const scale = store.currencyDecimals(input.transactionCurrency) ?? 2;
  const lines = input.lines.map((l, i) => entryLine(store, l, i, scale, c));
  const balance = lines.reduce((acc, l) => acc + l.sign, 0n);
  if (balance !== 0n) {
    const debit = lines
      .filter((l) => l.sign > 0n)
      .reduce((a, l) => a + l.sign, 0n);
    c.add(
      'Entry not balanced : debit ' +
        formatUnits(debit, scale) +
        ', credit ' +
        formatUnits(debit - balance, scale),
    );
  }
  c.done();

  const type = setup.entryTypes.get(input.journalEntryType)!;
  const stamp = store.nowIso();
  const entry: StoredEntry = {
    uuid: randomUUID(),
    createdAt: stamp,
    updatedAt: stamp,
    id: store.nextNumber(`GAS:${type.code}`, type.prefix, input.accountingDate),
    journalEntryType: type.code,
    site: input.site,
    company: setup.sites.get(input.site)!.company,
    accountingDate: input.accountingDate,
    transactionCurrency: input.transactionCurrency,
    description: input.description,
    sourceDocument: input.sourceDocument,
    journalEntryStatus: 'temporary',
    lines: lines.map(({ sign: _sign, ...line }) => line),
  };
  store.entries.push(entry);
  return entry;
}
