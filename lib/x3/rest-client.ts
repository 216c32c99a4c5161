import { BackoffOptions, DEFAULT_BACKOFF, withBackoff } from '../sync/backoff';
import { X3Error } from './errors';
import {
  exchange,
  FetchLike,
  parseJson,
  plainHttpWarning,
  statusError,
  trimSlash,
} from './http';

// The read side of X3's REST API (api1): $query lists followed through
// $links.$next to the end, $details for one record, HTTP Basic auth.

export interface X3RestOptions {
  baseUrl: string;
  endpoint: string;
  basic: { user: string; password: string };
  timeoutMs?: number;
  backoff?: BackoffOptions;
  fetch?: FetchLike;
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
    this.root = `${trimSlash(options.baseUrl)}/api1/x3/erp/` +
      encodeURIComponent(options.endpoint);
    this.origin = new URL(options.baseUrl).origin;
    const { user, password } = options.basic;
    this.authorization =
      'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');
    const warning = plainHttpWarning(options.baseUrl);
    if (warning) options.onWarning?.(warning);
  }

  async query(cls: string, opts: Api1QueryOptions = {}): Promise<Api1Resource[]> {
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
    const quoted = `('${key.replace(/'/g, "''")}')`;
    const url = `${this.root}/${encodeURIComponent(cls)}${quoted}` +
      `?representation=${encodeURIComponent(representation)}.$details`;
    return this.get(url);
  }

  // Basic credentials go only to the configured server, even when X3
  // builds its paging links from another host name.
  private sameOrigin(link: string): string {
    const url = new URL(link, this.origin);
    return this.origin + url.pathname + url.search;
  }

  private get<T>(url: string): Promise<T> {
    return withBackoff(async () => {
      const answer = await exchange(url, {
        headers: { Authorization: this.authorization, Accept: 'application/json' },
      }, this.options.timeoutMs ?? 30_000, this.options.fetch);

      const body = parseJson(answer) as Api1Page | undefined;
      const messages = (body?.$diagnoses ?? [])
        .filter((d) => d.$severity !== 'info' && d.$severity !== 'warning')
        .map((d) => String(d.$message));
      if (answer.status === 401) {
        throw new X3Error('unauthorized', 'X3 refused the Basic credentials', {
          status: 401,
        });
      }
      if (answer.status === 404) {
        throw new X3Error('not-found', `X3: ${messages.join('; ') || 'not found'}`, {
          status: 404,
          messages,
        });
      }
      const failure = statusError(answer, messages);
      if (failure) throw failure;
      if (messages.length > 0) {
        throw new X3Error('business', `X3: ${messages.join('; ')}`, { messages });
      }
      if (!body) throw new X3Error('bad-response', 'X3 answered without JSON');
      return body as T;
    }, this.options.backoff ?? DEFAULT_BACKOFF);
  }
}
