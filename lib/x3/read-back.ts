import type { X3Gateway } from './gateway';
import { X3GraphQLClient, type X3GraphQLOptions } from './graphql-client';
import { quoted } from './operations';

// Reads posted documents back out of X3 for a site and a date range, with
// their lines, so the books can be tied to Square. Reads only.

export interface ReadInvoiceLine {
  product: string;
  quantity: string;
  grossPrice: string;
  discountAmount: string;
  taxCode: string;
  taxAmount: string;
  netAmount: string;
}

export interface ReadInvoice {
  id: string;
  invoiceType: string;
  category: string;
  salesSite: string;
  invoiceDate: string;
  billToCustomer: string;
  currency: string;
  customerReference: string | null;
  lines: ReadInvoiceLine[];
}

export interface ReadEntryLine {
  account: string;
  businessPartner: string | null;
  debit: string | null;
  credit: string | null;
}

export interface ReadEntry {
  id: string;
  journalEntryType: string;
  site: string;
  accountingDate: string;
  transactionCurrency: string;
  sourceDocument: string | null;
  lines: ReadEntryLine[];
}

export interface ReadRange {
  site: string;
  /** YYYY-MM-DD, inclusive */
  from: string;
  /** YYYY-MM-DD, inclusive */
  to: string;
}

const PAGE = 100;

const INVOICES = `query ($filter: String, $after: String) {
  x3Sales { salesInvoice {
    query(first: ${PAGE}, after: $after, filter: $filter, orderBy: "{_id:1}") {
      edges { cursor node {
        id invoiceType category salesSite invoiceDate billToCustomer
        currency customerReference
        lines { product quantity grossPrice discountAmount taxCode
          taxAmount netAmount }
      } }
      pageInfo { endCursor hasNextPage }
    }
  } }
}`;

const ENTRIES = `query ($filter: String, $after: String) {
  x3Finance { journalEntry {
    query(first: ${PAGE}, after: $after, filter: $filter, orderBy: "{_id:1}") {
      edges { cursor node {
        id journalEntryType site accountingDate transactionCurrency
        sourceDocument
        lines { account businessPartner debit credit }
      } }
      pageInfo { endCursor hasNextPage }
    }
  } }
}`;

function rangeFilter(dateField: string, siteField: string, r: ReadRange) {
  return (
    `{${siteField}:${quoted(r.site)},` +
    `${dateField}:{_gte:${quoted(r.from)},_lte:${quoted(r.to)}}}`
  );
}

type Page<N> = {
  edges: { cursor: string; node: N }[];
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
};

export class X3ReadBack {
  constructor(private readonly graphql: X3GraphQLClient) {}

  static fromOptions(options: X3GraphQLOptions): X3ReadBack {
    return new X3ReadBack(new X3GraphQLClient(options));
  }

  /**
   * The read side of a configured gateway. The gateway keeps its GraphQL
   * client to itself, so this reaches it by name; same tokens, same X3.
   */
  static of(gateway: X3Gateway): X3ReadBack {
    const client = (gateway as unknown as { graphql?: X3GraphQLClient })
      .graphql;
    if (!client) throw new Error('this X3 gateway has no GraphQL client');
    return new X3ReadBack(client);
  }

  invoices(range: ReadRange): Promise<ReadInvoice[]> {
    return this.graphql.queryAll(
      INVOICES,
      { filter: rangeFilter('invoiceDate', 'salesSite', range) },
      (data: { x3Sales: { salesInvoice: { query: Page<ReadInvoice> } } }) =>
        data.x3Sales.salesInvoice.query,
    );
  }

  entries(range: ReadRange): Promise<ReadEntry[]> {
    return this.graphql.queryAll(
      ENTRIES,
      { filter: rangeFilter('accountingDate', 'site', range) },
      (data: { x3Finance: { journalEntry: { query: Page<ReadEntry> } } }) =>
        data.x3Finance.journalEntry.query,
    );
  }
}
