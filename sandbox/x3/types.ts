// The setup and the documents the X3 emulator holds. Codes follow the X3
// tables they stand for (FACILITY, ITMMASTER, GACCOUNT, TABVAT, TABSIVTYP,
// GJOURNALT); the shapes are the emulator's own.

export interface SeedCompany {
  code: string;
  name: string;
  currency: string;
  country: string;
}

export interface SeedSite {
  code: string;
  name: string;
  company: string;
}

export interface SeedCurrency {
  code: string;
  description: string;
  /** digits after the decimal point: USD 2, JPY 0 */
  decimals: number;
}

export interface SeedProduct {
  code: string;
  description: string;
  category: string;
}

export interface SeedAccount {
  code: string;
  description: string;
  /** a collective (control) account: its lines need a business partner */
  control?: boolean;
}

export interface SeedTaxCode {
  code: string;
  description: string;
  /** percentage as a decimal string, e.g. '8.875' */
  rate: string;
}

export type InvoiceCategory = 'invoice' | 'creditMemo';

export interface SeedInvoiceType {
  code: string;
  category: InvoiceCategory;
  /** first letters of the numbers the sequence counter gives */
  prefix: string;
}

export interface SeedEntryType {
  code: string;
  description: string;
  prefix: string;
}

export interface SeedCustomerCategory {
  code: string;
  description: string;
}

export interface CustomerFields {
  code: string;
  category: string;
  companyName: string;
  /** BPRNAM(1), the second name line classic SOAP can send */
  companyName2?: string;
  shortName?: string;
  currency: string;
  country?: string;
  addressLine1?: string;
  addressLine2?: string;
  addressLine3?: string;
  city?: string;
  postalCode?: string;
  state?: string;
  email?: string;
  phone?: string;
}

export interface X3Seed {
  companies: SeedCompany[];
  sites: SeedSite[];
  currencies: SeedCurrency[];
  products: SeedProduct[];
  accounts: SeedAccount[];
  taxCodes: SeedTaxCode[];
  invoiceTypes: SeedInvoiceType[];
  entryTypes: SeedEntryType[];
  customerCategories: SeedCustomerCategory[];
  customers: CustomerFields[];
}

/** Inclusive range of accounting dates, YYYY-MM-DD. */
export interface OpenPeriod {
  start: string;
  end: string;
}

export interface Stamped {
  uuid: string;
  createdAt: string;
  updatedAt: string;
}

export type StoredCustomer = CustomerFields & Stamped;

export interface StoredInvoiceLine {
  lineNumber: number;
  product: string;
  description: string;
  quantity: string;
  grossPrice: string;
  discountAmount: string;
  taxCode: string;
  taxAmount: string;
  /** quantity x gross price - discount, in the invoice currency */
  netAmount: string;
}

export interface StoredInvoice extends Stamped {
  id: string;
  invoiceType: string;
  category: InvoiceCategory;
  salesSite: string;
  company: string;
  invoiceDate: string;
  billToCustomer: string;
  currency: string;
  customerReference: string;
  status: 'notValidated';
  totalAmountExcludingTax: string;
  totalTaxAmount: string;
  totalAmountIncludingTax: string;
  lines: StoredInvoiceLine[];
}

export interface StoredEntryLine {
  lineNumber: number;
  account: string;
  businessPartner: string | null;
  debit: string | null;
  credit: string | null;
  description: string;
}

export interface StoredEntry extends Stamped {
  id: string;
  journalEntryType: string;
  site: string;
  company: string;
  accountingDate: string;
  transactionCurrency: string;
  description: string;
  sourceDocument: string;
  journalEntryStatus: 'temporary';
  lines: StoredEntryLine[];
}

export interface X3Documents {
  customers: StoredCustomer[];
  invoices: StoredInvoice[];
  entries: StoredEntry[];
}

/** `count`: how many calls the fault hits. */
export type X3Fault =
  /** pool: X3 serves at most that many calls at once, the rest queue */
  | { kind: 'latency'; ms: number; pool?: number }
  | { kind: 'status'; status: number; count: number; retryAfter?: number }
  | { kind: 'commit-then-timeout'; count: number; closeAfterMs?: number }
  /** after `after` more accepted bearer calls, every token seen is dead */
  | { kind: 'unauthorized'; after?: number }
  | QuotaFault
  /** SOAP: no web-service child process free; no count: until cleared */
  | { kind: 'soap-pool-empty'; count?: number }
  /** SOAP: the public name is no longer published (until reset) */
  | { kind: 'soap-unpublished'; publication: string }
  | { kind: 'none' };

/**
 * X3's web-service licence volume: `limit` units per period served
 * normally, then `grace` more served `slowMs` slower, then every call is
 * refused until the period ends.
 */
export interface QuotaFault {
  kind: 'quota';
  limit: number;
  /** default: 10 % of limit, at least 1 */
  grace?: number;
  slowMs?: number;
  /** default one hour, on the emulator's clock */
  periodMs?: number;
  /** what is counted; X3 counts data volume, the default counts calls */
  unit?: 'requests' | 'bytes';
}
