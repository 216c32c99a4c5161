import type {
  CustomerDoc,
  InvoiceDoc,
  JournalEntryDoc,
  X3Document,
} from '../ledger/types';
import { BackoffOptions, DEFAULT_BACKOFF, withBackoff } from '../sync/backoff';
import { X3Error } from './errors';
import type { FetchLike } from './http';
import { X3GraphQLClient } from './graphql-client';
import type { X3TokenManager } from './jwt-manager';
import * as ops from './operations';
import {
  renderCustomer,
  renderEntry,
  renderInvoice,
  X3Templates,
} from './render';
import { X3RestClient } from './rest-client';
import { checkEntry, X3Setup } from './view-models';

// The one door the Node-RED nodes use into X3: customers, documents, the
// duplicate check by reference, and the code lists for mapping checks.

export interface X3GatewayOptions {
  baseUrl: string;
  endpoint: string;
  tokens: X3TokenManager;
  /** api1 credentials, needed by listReference */
  basic?: { user: string; password: string };
  setup: X3Setup;
  templates?: X3Templates;
  timeoutMs?: number;
  backoff?: BackoffOptions;
  fetch?: FetchLike;
  onWarning?: (message: string) => void;
}

export type X3ReferenceKind =
  'sites' | 'accounts' | 'products' | 'customers' | 'taxCodes';

export interface X3ReferenceItem {
  code: string;
  description: string;
}

const REFERENCE: Record<X3ReferenceKind, { cls: string; name: string }> = {
  sites: { cls: 'FACILITY', name: 'FCYNAM' },
  accounts: { cls: 'GACCOUNT', name: 'DES' },
  products: { cls: 'ITMMASTER', name: 'DES1AXX' },
  customers: { cls: 'BPCUSTOMER', name: 'BPCNAM' },
  taxCodes: { cls: 'TABVAT', name: 'DES' },
};

type Edges<N> = { edges: { node: N }[] };

export class X3Gateway {
  private readonly graphql: X3GraphQLClient;
  private readonly rest?: X3RestClient;
  private readonly backoff: BackoffOptions;

  constructor(private readonly options: X3GatewayOptions) {
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.graphql = new X3GraphQLClient({
      baseUrl: options.baseUrl,
      endpoint: options.endpoint,
      tokens: options.tokens,
      timeoutMs: options.timeoutMs,
      backoff: this.backoff,
      fetch: options.fetch,
      onWarning: options.onWarning,
    });
    if (options.basic) {
      this.rest = new X3RestClient({
        baseUrl: options.baseUrl,
        endpoint: options.endpoint,
        basic: options.basic,
        timeoutMs: options.timeoutMs,
        backoff: this.backoff,
        fetch: options.fetch,
      });
    }
  }

  /** Creates the customer, or updates it when its code exists already. */
  async upsertCustomer(
    doc: CustomerDoc,
  ): Promise<{ code: string; created: boolean }> {
    const data = renderCustomer(doc, this.options.templates?.customer);

    // Read, then write: a retry after a lost answer finds the customer and
    // updates it, so repeating the whole step is harmless.
    return withBackoff(async () => {
      const found = await this.graphql.query<{
        x3MasterData: { customer: { read: { code: string } | null } };
      }>(ops.READ_CUSTOMER, { id: doc.code });
      const created = !found.x3MasterData.customer.read;
      const answer = await this.graphql.mutate<{
        x3MasterData: { customer: Record<string, { code: string } | null> };
      }>(created ? ops.CREATE_CUSTOMER : ops.UPDATE_CUSTOMER, { data });
      const result =
        answer.x3MasterData.customer[created ? 'create' : 'update'];
      if (!result) throw new X3Error('bad-response', 'X3 returned no customer');
      return { code: result.code, created };
    }, this.backoff);
  }

  /** The number of the X3 document already carrying doc.reference. */
  async findDocument(doc: X3Document): Promise<string | null> {
    if (doc.type === 'invoice') {
      const data = await this.graphql.query<{
        x3Sales: { salesInvoice: { query: Edges<{ id: string }> } };
      }>(ops.FIND_INVOICE, {
        filter: `{customerReference:${ops.quoted(doc.reference)}}`,
      });
      return data.x3Sales.salesInvoice.query.edges[0]?.node.id ?? null;
    }
    const data = await this.graphql.query<{
      x3Finance: { journalEntry: { query: Edges<{ id: string }> } };
    }>(ops.FIND_ENTRY, {
      filter: `{sourceDocument:${ops.quoted(doc.reference)}}`,
    });
    return data.x3Finance.journalEntry.query.edges[0]?.node.id ?? null;
  }

  /**
   * Posts the document and returns its X3 number. After a failure that
   * may have committed (a timeout, a dropped connection, a 5xx), the next
   * attempt first looks the reference up, so X3 never gets it twice.
   */
  async postDocument(doc: X3Document): Promise<string> {
    const send =
      doc.type === 'invoice' ? this.invoiceSender(doc) : this.entrySender(doc);

    return withBackoff(async (attempt) => {
      if (attempt > 1) {
        const existing = await this.findDocument(doc);
        if (existing) return existing;
      }
      return send();
    }, this.backoff);
  }

  /**
   * Checks both doors: a GraphQL read (credentials, endpoint, token
   * renewal) and, when api1 credentials are set, the sites through api1.
   */
  async testConnection(): Promise<string> {
    const data = await this.graphql.query<{
      x3MasterData: { customer: { query: Edges<{ code: string }> } };
    }>(ops.PING, {});
    const found = data.x3MasterData.customer.query.edges.length;
    const parts = [
      `GraphQL ok (${found ? 'customers readable' : 'no customers'})`,
    ];
    if (this.rest) {
      const sites = await this.listReference('sites');
      parts.push(`api1 ok (${sites.length} sites)`);
    }
    return parts.join(', ');
  }

  /** Codes and names of an X3 table, read through api1. */
  async listReference(kind: X3ReferenceKind): Promise<X3ReferenceItem[]> {
    if (!this.rest) {
      throw new X3Error(
        'config',
        'listing X3 codes needs the api1 user and password',
      );
    }
    const { cls, name } = REFERENCE[kind];
    const rows = await this.rest.query(cls, { count: 200 });
    return rows.map((row) => ({
      code: String(row.$key),
      description: String(row[name] ?? ''),
    }));
  }

  private invoiceSender(doc: InvoiceDoc): () => Promise<string> {
    const data = renderInvoice(
      doc,
      this.options.setup,
      this.options.templates?.invoice,
    );
    return async () => {
      const answer = await this.graphql.mutate<{
        x3Sales: { salesInvoice: { create: { id: string } | null } };
      }>(ops.CREATE_INVOICE, { data });
      return numberOf(answer.x3Sales.salesInvoice.create);
    };
  }

  private entrySender(doc: JournalEntryDoc): () => Promise<string> {
    checkEntry(doc);
    const data = renderEntry(
      doc,
      this.options.setup,
      this.options.templates?.entry,
    );
    return async () => {
      const answer = await this.graphql.mutate<{
        x3Finance: { journalEntry: { create: { id: string } | null } };
      }>(ops.CREATE_ENTRY, { data });
      return numberOf(answer.x3Finance.journalEntry.create);
    };
  }
}

function numberOf(created: { id: string } | null): string {
  if (!created?.id)
    throw new X3Error('bad-response', 'X3 returned no document number');
  return created.id;
}
