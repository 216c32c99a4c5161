import type { X3Gateway } from './gateway';
import { X3GraphQLClient, type X3GraphQLOptions } from './graphql-client';
import { X3Error } from './errors';
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

// What a refused read means on a site whose config posts through SOAP:
// the read still goes through GraphQL, with the connected app's token.
const REFUSED: X3Error['code'][] = ['unauthorized', 'not-found', 'graphql'];

export class X3ReadBack {
  constructor(
    private readonly graphql: X3GraphQLClient,
    /** the gateway posts through SOAP: say so when GraphQL refuses */
    private readonly postsViaSoap = false,
  ) {}

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
    return new X3ReadBack(client, gateway.transport === 'soap');
  }

  invoices(range: ReadRange): Promise<ReadInvoice[]> {
    return this.explained(
      this.graphql.queryAll(
        INVOICES,
        { filter: rangeFilter('invoiceDate', 'salesSite', range) },
        (data: { x3Sales: { salesInvoice: { query: Page<ReadInvoice> } } }) =>
          data.x3Sales.salesInvoice.query,
      ),
    );
  }

  entries(range: ReadRange): Promise<ReadEntry[]> {
    return this.explained(
      this.graphql.queryAll(
        ENTRIES,
        { filter: rangeFilter('accountingDate', 'site', range) },
        (data: { x3Finance: { journalEntry: { query: Page<ReadEntry> } } }) =>
          data.x3Finance.journalEntry.query,
      ),
    );
  }

  private async explained<T>(read: Promise<T>): Promise<T> {
    try {
      return await read;
    } catch (error) {
      if (
        this.postsViaSoap &&
        error instanceof X3Error &&
        REFUSED.includes(error.code)
      ) {
        throw new X3Error(
          error.code,
          'reconciliation reads X3 through its GraphQL API with the X3 ' +
            "config's connected app, also when the config posts through " +
            `SOAP, and X3 refused the read: ${error.message}`,
          { status: error.status, messages: error.messages, cause: error },
        );
      }
      throw error;
    }
  }
}
