import { createHash } from 'node:crypto';
import type {
  CustomerDoc,
  InvoiceDoc,
  JournalEntryDoc,
  X3Document,
} from '../ledger/types';
import { BackoffOptions, DEFAULT_BACKOFF, withBackoff } from '../sync/backoff';
import { X3Error } from './errors';
import type { CallLimit, FetchLike } from './http';
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
import { soapCustomerXml } from './soap-render';
import { X3SoapSettings, X3SoapTransport } from './soap-transport';
import { checkEntry, X3Setup } from './view-models';
import type { X3Reach } from './reach';

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
  /** the cap on X3 calls in flight, shared by every call made here */
  callLimit?: CallLimit;
  /** told whether X3 answers (lib/x3/reach.ts) */
  reach?: X3Reach;
  onWarning?: (message: string) => void;
  /** 'soap': customers and documents go through classic SOAP */
  transport?: 'graphql' | 'soap';
  /** needed with transport 'soap' */
  soap?: X3SoapSettings;
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
  private readonly soap?: X3SoapTransport;

  /** how customers and documents go to X3 (reads go through GraphQL) */
  get transport(): 'graphql' | 'soap' {
    return this.soap ? 'soap' : 'graphql';
  }

  constructor(private readonly options: X3GatewayOptions) {
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    if (options.transport === 'soap') {
      if (!options.soap) throw new X3Error('config', 'SOAP settings missing');
      this.soap = new X3SoapTransport({ ...options, soap: options.soap });
    }
    this.graphql = new X3GraphQLClient({
      baseUrl: options.baseUrl,
      endpoint: options.endpoint,
      tokens: options.tokens,
      timeoutMs: options.timeoutMs,
      backoff: this.backoff,
      fetch: options.fetch,
      callLimit: options.callLimit,
      reach: options.reach,
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
        callLimit: options.callLimit,
        reach: options.reach,
      });
    }
  }

  /** Creates the customer, or updates it when its code exists already. */
  async upsertCustomer(
    doc: CustomerDoc,
    last?: {
      /** hash of the customer last written to doc.code, when answered */
      hash?: string;
      /** undefined: never written by the connector; writing: unanswered */
      state?: 'writing' | 'written';
      /** called right before the first X3 write (the ledger's mark) */
      beforeWrite?: () => void | Promise<void>;
    },
  ): Promise<{
    code: string;
    created: boolean;
    hash?: string;
    unchanged?: boolean;
  }> {
    if (last) return this.upsertKnownCustomer(doc, last);
    if (this.soap) return this.soap.upsertCustomer(doc);
    // Read, then write: a retry after a lost answer finds the customer and
    // updates it, so repeating the whole step is harmless. Without a code
    // (X3 numbering) the customer is found by the tag in its short name.
    // The step is what retries; its reads are tried once per attempt.
    return withBackoff(async () => {
      const code = doc.code || (await this.findTaggedCustomer(doc.tag));
      const found = code
        ? await this.graphql.queryOnce<{
            x3MasterData: { customer: { read: { code: string } | null } };
          }>(ops.READ_CUSTOMER, { id: code })
        : undefined;
      const created = !found?.x3MasterData.customer.read;
      const data = renderCustomer(
        { ...doc, code: created ? doc.code : code },
        this.options.templates?.customer,
      );
      const answer = await this.graphql.mutate<{
        x3MasterData: { customer: Record<string, { code: string } | null> };
      }>(created ? ops.CREATE_CUSTOMER : ops.UPDATE_CUSTOMER, { data });
      const result =
        answer.x3MasterData.customer[created ? 'create' : 'update'];
      if (!result) throw new X3Error('bad-response', 'X3 returned no customer');
      return { code: result.code, created };
    }, this.backoff);
  }

  /**
   * upsertCustomer with what the ledger knows of the code: an unchanged
   * customer is not sent; a code never written is created without a read,
   * one written and answered is updated without a read. A refusal (the
   * code exists already, or no longer) or a lost answer falls back to
   * read-then-write, so a create is never repeated blindly.
   */
  private async upsertKnownCustomer(
    doc: CustomerDoc,
    last: NonNullable<Parameters<X3Gateway['upsertCustomer']>[1]>,
  ): Promise<Awaited<ReturnType<X3Gateway['upsertCustomer']>>> {
    // the body this transport sends is what "unchanged" compares; the
    // GraphQL data is rendered once, for the hash and the mutation
    const soap = this.options.soap;
    const render = (customer: CustomerDoc) =>
      renderCustomer(customer, this.options.templates?.customer);
    const data = soap ? undefined : render(doc);
    const hashOf = (customer: CustomerDoc, rendered?: unknown) => {
      const body = soap
        ? soapCustomerXml(customer, soap.templates?.customer)
        : JSON.stringify(rendered ?? render(customer));
      return createHash('sha256').update(body).digest('hex');
    };
    const hash = hashOf(doc, data);
    if (doc.code && last.state === 'written' && last.hash === hash) {
      return { code: doc.code, created: false, hash, unchanged: true };
    }

    await last.beforeWrite?.();
    const general = async () => {
      const result = await this.upsertCustomer(doc);
      // X3 numbering: the next sync renders the customer under X3's code,
      // so that is the body an unchanged customer is compared with
      const kept = doc.code ? hash : hashOf({ ...doc, code: result.code });
      return { ...result, hash: kept };
    };
    if (!doc.code || this.soap || last.state === 'writing') return general();
    const write = async (op: 'create' | 'update') => {
      const answer = await this.graphql.mutate<{
        x3MasterData: { customer: Record<string, { code: string } | null> };
      }>(op === 'create' ? ops.CREATE_CUSTOMER : ops.UPDATE_CUSTOMER, { data });
      const result = answer.x3MasterData.customer[op];
      if (!result) throw new X3Error('bad-response', 'X3 returned no customer');
      return { code: result.code, created: op === 'create', hash };
    };
    let op: 'create' | 'update' =
      last.state === 'written' ? 'update' : 'create';
    try {
      return await write(op);
    } catch (error) {
      // X3 had the code already (made by hand, or by an earlier install)
      const messages = (error as { messages?: unknown }).messages;
      const text = `${(error as Error).message} ${String(messages ?? '')}`;
      if (op === 'create' && /already exists/i.test(text)) op = 'update';
      else return general();
    }
    try {
      return await write(op);
    } catch {
      return general();
    }
  }

  /**
   * The X3 customer whose short name is `tag`, '' when there is none;
   * tried once, as a step of upsertCustomer.
   */
  private async findTaggedCustomer(tag: string | undefined): Promise<string> {
    if (!tag) return '';
    const data = await this.graphql.queryOnce<{
      x3MasterData: { customer: { query: Edges<{ code: string }> } };
    }>(ops.FIND_CUSTOMER, { filter: `{shortName:${ops.quoted(tag)}}` });
    const edges = data.x3MasterData.customer.query.edges;
    if (edges.length > 1) {
      throw new X3Error(
        'invalid-document',
        `X3 has several customers with short name ${tag}; keep one`,
      );
    }
    return edges[0]?.node.code ?? '';
  }

  /** The number of the X3 document already carrying doc.reference. */
  findDocument(doc: X3Document): Promise<string | null> {
    if (this.soap) return this.soap.findDocument(doc);
    return withBackoff(() => this.documentHolding(doc), this.backoff);
  }

  /** findDocument over GraphQL tried once, for a step that retries. */
  private async documentHolding(doc: X3Document): Promise<string | null> {
    if (doc.type === 'invoice') {
      const data = await this.graphql.queryOnce<{
        x3Sales: { salesInvoice: { query: Edges<{ id: string }> } };
      }>(ops.FIND_INVOICE, {
        filter: `{customerReference:${ops.quoted(doc.reference)}}`,
      });
      return data.x3Sales.salesInvoice.query.edges[0]?.node.id ?? null;
    }
    const data = await this.graphql.queryOnce<{
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
    if (this.soap) return this.soap.postDocument(doc);
    const send =
      doc.type === 'invoice' ? this.invoiceSender(doc) : this.entrySender(doc);

    return withBackoff(async (attempt) => {
      if (attempt > 1) {
        const existing = await this.documentHolding(doc);
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
    if (this.soap) return this.soap.testConnection();
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
