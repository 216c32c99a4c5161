import { BackoffOptions, DEFAULT_BACKOFF, withBackoff } from '../sync/backoff';
import { X3Error } from './errors';
import {
  CallLimit,
  exchange,
  FetchLike,
  HttpAnswer,
  parseJson,
  plainHttpWarning,
  statusError,
  trimSlash,
} from './http';
import type { X3Reach } from './reach';

// X3's REST API (api1): $query lists followed through $links.$next to
// the end, $details for one record, $template, $create and $edit on the
// classes X3 rebuilt for them (customers, not invoices or entries), and
// $diagnoses turned into X3Errors. HTTP Basic auth.

export interface X3RestOptions {
  baseUrl: string;
  endpoint: string;
  basic: { user: string; password: string };
  timeoutMs?: number;
  backoff?: BackoffOptions;
  fetch?: FetchLike;
  callLimit?: CallLimit;
  /** told whether X3 answers (lib/x3/reach.ts) */
  reach?: X3Reach;
  onWarning?: (message: string) => void;
}

export interface Api1QueryOptions {
  /** defaults to the class name */
  representation?: string;
  where?: string;
  orderBy?: string;
  /** page size; the pages are followed to the end either way */
  count?: number;
  /** e.g. 'gt.C0001' */
  key?: string;
}

export type Api1Resource = Record<string, unknown> & {
  $key?: string;
  $uuid?: string;
};

interface Api1Page {
  $resources?: Api1Resource[];
  $links?: { $next?: { $url?: string } };
  $diagnoses?: { $severity?: string; $message?: string }[];
}

export class X3RestClient {
  private readonly root: string;
  private readonly origin: string;
  private readonly authorization: string;

  constructor(private readonly options: X3RestOptions) {
    this.root =
      `${trimSlash(options.baseUrl)}/api1/x3/erp/` +
      encodeURIComponent(options.endpoint);
    this.origin = new URL(options.baseUrl).origin;
    const { user, password } = options.basic;
    this.authorization =
      'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');
    const warning = plainHttpWarning(options.baseUrl);
    if (warning) options.onWarning?.(warning);
  }

  async query(
    cls: string,
    opts: Api1QueryOptions = {},
  ): Promise<Api1Resource[]> {
    const params = new URLSearchParams({
      representation: `${opts.representation ?? cls}.$query`,
    });
    if (opts.count) params.set('count', String(opts.count));
    if (opts.where) params.set('where', opts.where);
    if (opts.orderBy) params.set('orderBy', opts.orderBy);
    if (opts.key) params.set('key', opts.key);

    const resources: Api1Resource[] = [];
    let url: string | undefined =
      `${this.root}/${encodeURIComponent(cls)}?${params}`;
    while (url) {
      const page: Api1Page = await this.get(url);
      resources.push(...(page.$resources ?? []));
      const next = page.$links?.$next?.$url;
      url = next ? this.sameOrigin(next) : undefined;
    }
    return resources;
  }

  details(
    cls: string,
    key: string,
    representation: string = cls,
  ): Promise<Record<string, unknown>> {
    return this.get(this.recordUrl(cls, key, representation, '$details'));
  }

  /** Default values for a new record, with X3's $ keys removed. */
  async template(
    cls: string,
    representation: string = cls,
  ): Promise<Record<string, unknown>> {
    const url =
      `${this.root}/${encodeURIComponent(cls)}/$template` +
      `?representation=${encodeURIComponent(representation)}.$create`;
    return withoutDollarKeys(await this.get(url));
  }

  /**
   * Creates a record (POST, 201 + Location). Sent once: X3 has no
   * idempotency key, so a caller that lost the answer looks before
   * it creates again.
   */
  async create(
    cls: string,
    fields: Record<string, unknown>,
    representation: string = cls,
  ): Promise<{ location: string; record: Api1Resource }> {
    const url =
      `${this.root}/${encodeURIComponent(cls)}` +
      `?representation=${encodeURIComponent(representation)}.$create`;
    const { body, answer } = await this.call('POST', url, fields);
    if (answer.status !== 201) {
      throw new X3Error(
        'bad-response',
        `X3 answered ${answer.status} to a create, not 201`,
      );
    }
    return { location: answer.headers.get('location') ?? '', record: body };
  }

  /** Changes the given fields of one record (PUT, partial body). */
  async edit(
    cls: string,
    key: string,
    fields: Record<string, unknown>,
    representation: string = cls,
  ): Promise<Api1Resource> {
    const url = this.recordUrl(cls, key, representation, '$edit');
    return (await this.call('PUT', url, fields)).body;
  }

  private recordUrl(
    cls: string,
    key: string,
    representation: string,
    facet: string,
  ): string {
    const quoted = `('${key.replace(/'/g, "''")}')`;
    return (
      `${this.root}/${encodeURIComponent(cls)}${quoted}` +
      `?representation=${encodeURIComponent(representation)}.${facet}`
    );
  }

  // Basic credentials go only to the configured server, even when X3
  // builds its paging links from another host name.
  private sameOrigin(link: string): string {
    const url = new URL(link, this.origin);
    return this.origin + url.pathname + url.search;
  }

  private get<T>(url: string): Promise<T> {
    return withBackoff(
      async () => (await this.call('GET', url)).body as T,
      this.options.backoff ?? DEFAULT_BACKOFF,
    );
  }

  private async call(
    method: string,
    url: string,
    fields?: Record<string, unknown>,
  ): Promise<{ body: Api1Resource; answer: HttpAnswer }> {
    const headers: Record<string, string> = {
      Authorization: this.authorization,
      Accept: 'application/json',
    };
    if (fields) headers['Content-Type'] = 'application/json';
    const answer = await exchange(
      url,
      {
        method,
        headers,
        body: fields ? JSON.stringify(fields) : undefined,
      },
      {
        timeoutMs: this.options.timeoutMs ?? 30_000,
        fetch: this.options.fetch,
        callLimit: this.options.callLimit,
        reach: this.options.reach,
      },
    );

    const body = parseJson(answer) as Api1Page | undefined;
    const messages = diagnosesOf(body);
    if (answer.status === 401) {
      throw new X3Error('unauthorized', 'X3 refused the Basic credentials', {
        status: 401,
      });
    }
    // Some X3 versions answer an unknown key with 200 and a diagnosis.
    const missing = messages.some((m) => /Record does not exist/i.test(m));
    if (answer.status === 404 || (answer.status === 200 && missing)) {
      throw new X3Error(
        'not-found',
        `X3: ${messages.join('; ') || 'not found'}`,
        {
          status: answer.status,
          messages,
        },
      );
    }
    const failure = statusError(answer, messages);
    if (failure && (failure.retryable || messages.length === 0)) throw failure;
    if (messages.length > 0) {
      throw new X3Error('business', `X3: ${messages.join('; ')}`, {
        messages,
        status: answer.status,
      });
    }
    if (!body) throw new X3Error('bad-response', 'X3 answered without JSON');
    return { body: body as Api1Resource, answer };
  }
}

type Diagnosis = { $severity?: string; $message?: string };

/** Error diagnoses at the top level, in a resource or in its lines. */
function diagnosesOf(body: unknown): string[] {
  const found: string[] = [];
  const visit = (value: unknown, depth: number) => {
    if (!value || typeof value !== 'object' || depth > 3) return;
    if (Array.isArray(value)) {
      for (const item of value) visit(item, depth + 1);
      return;
    }
    const record = value as Record<string, unknown>;
    const list = record.$diagnoses as Diagnosis[] | undefined;
    for (const d of Array.isArray(list) ? list : []) {
      if (d.$severity !== 'info' && d.$severity !== 'warning') {
        found.push(String(d.$message));
      }
    }
    for (const [key, child] of Object.entries(record)) {
      if (key !== '$diagnoses' && key !== '$resources') visit(child, depth + 1);
    }
  };
  visit(body, 0);
  return found;
}

function withoutDollarKeys(value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    if (key.startsWith('$')) continue;
    out[key] = Array.isArray(child)
      ? child.map((item) =>
          item && typeof item === 'object' ? withoutDollarKeys(item) : item,
        )
      : child;
  }
  return out;
}
