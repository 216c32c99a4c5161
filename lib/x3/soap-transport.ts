import type {
  CustomerDoc,
  InvoiceDoc,
  JournalEntryDoc,
  X3Document,
} from '../ledger/types';
import { BackoffOptions, DEFAULT_BACKOFF, withBackoff } from '../sync/backoff';
import { X3Error } from './errors';
import type { CallLimit, FetchLike } from './http';
import { X3SoapClient } from './soap-client';
import type { SoapKey } from './soap-envelope';
import {
  soapCustomerXml,
  soapEntryXml,
  soapInvoiceXml,
  SoapTemplates,
} from './soap-render';
import {
  fieldOf,
  messageText,
  parseResultXml,
  rowsOf,
  SoapResult,
} from './soap-result';
import { checkEntry, X3Setup } from './view-models';
import type { X3Reach } from './reach';

// The X3Gateway's four methods over X3's classic SOAP web services, on
// the publications an administrator set up (GESAWE).

/** The public names of the three publications. */
export interface SoapPublications {
  customer: string;
  invoice: string;
  entry: string;
}

export const DEFAULT_PUBLICATIONS: SoapPublications = {
  customer: 'YBPC',
  invoice: 'YWSSIH',
  entry: 'WSGAS',
};

export interface X3SoapSettings {
  user: string;
  password: string;
  poolAlias: string;
  /** message language, ENG by default */
  codeLang?: string;
  poolId?: string;
  requestConfig?: string;
  publications?: Partial<SoapPublications>;
  templates?: SoapTemplates;
}

export interface X3SoapTransportOptions {
  baseUrl: string;
  soap: X3SoapSettings;
  setup: X3Setup;
  timeoutMs?: number;
  backoff?: BackoffOptions;
  fetch?: FetchLike;
  callLimit?: CallLimit;
  /** told whether X3 answers (lib/x3/reach.ts) */
  reach?: X3Reach;
  onWarning?: (message: string) => void;
}

// X3's refusal of a second document with the same reference, where the
// site set it up: the document already holding it, which is our post.
const REGISTERED = /already registered in document\s+([^\s,;]*[^\s,;.])/i;

/** The number X3 names in an "already registered" refusal, else null. */
export function registeredNumber(result: SoapResult): string | null {
  for (const m of result.messages) {
    const hit = REGISTERED.exec(m.message);
    if (hit) return hit[1];
  }
  return null;
}

/** The error for a status 0 answer: X3's own messages, never retried. */
export function refusal(result: SoapResult, what: string): X3Error {
  const messages = result.messages.map((m) => m.message);
  const text = messageText(result);
  const unknown =
    /web ?service|publi/i.test(text) && /unknown|not publ/i.test(text);
  return new X3Error(unknown ? 'config' : 'business', `X3 ${what}: ${text}`, {
    messages,
  });
}

export class X3SoapTransport {
  readonly publications: SoapPublications;
  private readonly client: X3SoapClient;
  private readonly backoff: BackoffOptions;

  constructor(private readonly options: X3SoapTransportOptions) {
    const { soap } = options;
    if (!soap.user || !soap.poolAlias) {
      throw new X3Error(
        'config',
        'the SOAP transport needs a pool alias and a SOAP user',
      );
    }
    this.publications = {
      ...DEFAULT_PUBLICATIONS,
      ...defined(soap.publications),
    };
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.client = new X3SoapClient({
      baseUrl: options.baseUrl,
      user: soap.user,
      password: soap.password,
      context: {
        codeLang: soap.codeLang || 'ENG',
        poolAlias: soap.poolAlias,
        poolId: soap.poolId,
        requestConfig: soap.requestConfig,
      },
      timeoutMs: options.timeoutMs,
      backoff: this.backoff,
      fetch: options.fetch,
      callLimit: options.callLimit,
      reach: options.reach,
      onWarning: options.onWarning,
    });
  }

  /** Creates the customer, or modifies it when its code exists already. */
  async upsertCustomer(
    doc: CustomerDoc,
  ): Promise<{ code: string; created: boolean }> {
    const name = this.publications.customer;
    const template = this.options.soap.templates?.customer;

    // Read, then write: a retry after a lost answer finds the customer
    // and modifies it, so repeating the whole step is harmless. Without a
    // code (X3 numbering) the customer is found by its short name. The
    // step is what retries; its reads are tried once per attempt.
    return withBackoff(async () => {
      const known = doc.code || (await this.findTaggedCustomer(doc.tag));
      const keys = [{ key: 'BPCNUM', value: known }];
      const found = known
        ? await this.client.call({
            operation: 'read',
            publicName: name,
            objectKeys: keys,
          })
        : undefined;
      const created = found?.status !== 1;
      const objectXml = soapCustomerXml({ ...doc, code: known }, template);
      const answer = created
        ? await this.client.save(name, objectXml)
        : await this.client.modify(name, keys, objectXml);
      if (answer.status !== 1) {
        throw refusal(answer, `refused customer ${known || doc.name}`);
      }
      const code = answer.resultXml
        ? fieldOf(parseResultXml(answer.resultXml), 'BPCNUM')
        : undefined;
      if (!code && !known) {
        throw new X3Error('bad-response', 'X3 saved a customer without code');
      }
      return { code: code || known, created };
    }, this.backoff);
  }

  /** The X3 customer whose short name is `tag`, '' when there is none. */
  private async findTaggedCustomer(tag: string | undefined): Promise<string> {
    if (!tag) return '';
    const name = this.publications.customer;
    const keys = [{ key: 'BPRSHO', value: tag }];
    const result = await this.client.queryOnce(name, keys, 2);
    if (result.status !== 1) throw refusal(result, `could not look for ${tag}`);
    if (!result.resultXml) return '';
    const rows = rowsOf(parseResultXml(result.resultXml));
    if (rows.length > 1) {
      throw new X3Error(
        'invalid-document',
        `X3 has several customers with short name ${tag}; keep one`,
      );
    }
    return rows[0]?.BPCNUM ?? '';
  }

  /** The number of the X3 document already carrying doc.reference. */
  findDocument(doc: X3Document): Promise<string | null> {
    return withBackoff(() => this.documentHolding(doc), this.backoff);
  }

  /** findDocument tried once, for a step that retries as a whole. */
  private async documentHolding(doc: X3Document): Promise<string | null> {
    const name = this.publicationOf(doc);
    const keys: SoapKey[] = [
      {
        key: doc.type === 'invoice' ? 'INVREF' : 'BPRVCR',
        value: doc.reference,
      },
    ];
    const result = await this.client.queryOnce(name, keys, 1);
    if (result.status !== 1) {
      throw refusal(result, `could not look for ${doc.reference}`);
    }
    if (!result.resultXml) return null;
    const [row] = rowsOf(parseResultXml(result.resultXml));
    return row?.NUM || null;
  }

  /**
   * Posts the document and returns its X3 number. After a failure that
   * may have committed (a timeout, a dropped connection, a 5xx), the next
   * attempt first queries the reference, so X3 never gets it twice.
   */
  async postDocument(doc: X3Document): Promise<string> {
    const objectXml =
      doc.type === 'invoice' ? this.invoiceXml(doc) : this.entryXml(doc);
    const name = this.publicationOf(doc);

    return withBackoff(async (attempt) => {
      if (attempt > 1) {
        const existing = await this.documentHolding(doc);
        if (existing) return existing;
      }
      const result = await this.client.save(name, objectXml);
      if (result.status !== 1) {
        const registered = registeredNumber(result);
        if (registered) {
          this.options.onWarning?.(
            `X3 already holds ${doc.kind} ${doc.reference} as ` +
              `${registered}: recorded as posted, nothing new in X3`,
          );
          return registered;
        }
        throw refusal(result, `refused ${doc.kind} ${doc.reference}`);
      }
      const number = result.resultXml
        ? fieldOf(parseResultXml(result.resultXml), 'NUM')
        : undefined;
      if (!number) {
        throw new X3Error(
          'bad-response',
          `X3 saved ${doc.kind} ${doc.reference} without a number`,
        );
      }
      return number;
    }, this.backoff);
  }

  /** Queries each publication for one record: pool, user, publications. */
  async testConnection(): Promise<string> {
    const names = Object.values(this.publications);
    for (const name of names) {
      const result = await this.client.query(name, [], 1);
      if (result.status !== 1) throw refusal(result, `publication ${name}`);
    }
    return `SOAP ok (pool ${this.client.poolAlias}: ${names.join(', ')} answer)`;
  }

  private publicationOf(doc: X3Document): string {
    return doc.type === 'invoice'
      ? this.publications.invoice
      : this.publications.entry;
  }

  private invoiceXml(doc: InvoiceDoc): string {
    return soapInvoiceXml(
      doc,
      this.options.setup,
      this.options.soap.templates?.invoice,
    );
  }

  private entryXml(doc: JournalEntryDoc): string {
    checkEntry(doc);
    return soapEntryXml(
      doc,
      this.options.setup,
      this.options.soap.templates?.entry,
    );
  }
}

function defined<T extends object>(value: T | undefined): Partial<T> {
  return Object.fromEntries(
    Object.entries(value ?? {}).filter(([, v]) => v !== undefined && v !== ''),
  ) as Partial<T>;
}
