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
import type { X3TokenManager } from './jwt-manager';
import type { X3Reach } from './reach';

// X3's GraphQL API at /xtrem/api. Reads are retried with backoff, unless
// the caller retries a whole step itself; a write is sent once (X3 has no
// idempotency key), and the caller decides how to recover, after looking
// for what X3 may already hold.

export interface X3GraphQLOptions {
  baseUrl: string;
  /** the folder's Syracuse endpoint, sent as x-xtrem-endpoint */
  endpoint: string;
  tokens: X3TokenManager;
  timeoutMs?: number;
  backoff?: BackoffOptions;
  /** defaults to /xtrem/api; a cloud gateway uses /v1/service/<ep>/api */
  path?: string;
  fetch?: FetchLike;
  callLimit?: CallLimit;
  /** told whether X3 answers (lib/x3/reach.ts) */
  reach?: X3Reach;
  onWarning?: (message: string) => void;
}

export interface Connection<N> {
  edges: { cursor: string; node: N }[];
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
}

interface GraphQLErrorJson {
  message?: string;
  extensions?: {
    code?: string | number;
    diagnoses?: { message?: string }[];
  };
}

function graphqlError(errors: GraphQLErrorJson[]): X3Error {
  const first = errors[0] ?? {};
  const code = first.extensions?.code;
  const messages = errors.flatMap(
    (e) =>
      e.extensions?.diagnoses?.map((d) => String(d.message)) ?? [
        String(e.message),
      ],
  );
  const text = messages.join('; ');
  if (code === 21 || /^21\b/.test(String(first.message))) {
    return new X3Error('iat-future', `X3 refused the token: ${text}`, {
      messages,
    });
  }
  const business = code === 'BUSINESS_RULE';
  return new X3Error(business ? 'business' : 'graphql', `X3: ${text}`, {
    messages,
  });
}

export class X3GraphQLClient {
  private readonly url: string;
  private readonly timeoutMs: number;

  constructor(private readonly options: X3GraphQLOptions) {
    this.url = trimSlash(options.baseUrl) + (options.path ?? '/xtrem/api');
    this.timeoutMs = options.timeoutMs ?? 30_000;
    const warning = plainHttpWarning(options.baseUrl);
    if (warning) options.onWarning?.(warning);
  }

  /** A read: retried with backoff while X3 is busy or unreachable. */
  query<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    return withBackoff(
      () => this.send<T>(query, variables),
      this.options.backoff ?? DEFAULT_BACKOFF,
    );
  }

  /**
   * A read tried once, for a step that retries as a whole: retrying
   * here too would multiply its attempts by these.
   */
  queryOnce<T>(
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<T> {
    return this.send<T>(query, variables);
  }

  /** A write, sent once; a failure may still have been committed. */
  mutate<T>(
    mutation: string,
    variables: Record<string, unknown> = {},
  ): Promise<T> {
    return this.send<T>(mutation, variables);
  }

  /** Every node of a Relay connection, page after page. */
  async queryAll<T, N>(
    query: string,
    variables: Record<string, unknown>,
    select: (data: T) => Connection<N>,
  ): Promise<N[]> {
    const nodes: N[] = [];
    let after: string | null = null;
    for (;;) {
      const data = await this.query<T>(query, { ...variables, after });
      const page = select(data);
      nodes.push(...page.edges.map((e) => e.node));
      if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return nodes;
      after = page.pageInfo.endCursor;
    }
  }

  private async send<T>(
    query: string,
    variables: Record<string, unknown>,
  ): Promise<T> {
    let reauthorized = false;
    let reclocked = false;
    for (;;) {
      const { answer, authorization } = await this.post(query, variables);
      const date = Date.parse(answer.headers.get('date') ?? '');
      if (answer.status === 401 && !reauthorized) {
        reauthorized = true;
        this.options.tokens.invalidate(authorization);
        continue;
      }
      try {
        const data = this.read<T>(answer);
        this.options.tokens.observeServerTime(date);
        return data;
      } catch (error) {
        if ((error as X3Error).code !== 'iat-future' || reclocked) throw error;
        reclocked = true;
        this.options.tokens.adjustClock(date);
      }
    }
  }

  private async post(
    query: string,
    variables: Record<string, unknown>,
  ): Promise<{ answer: HttpAnswer; authorization: string }> {
    const authorization = await this.options.tokens.authorization();
    const answer = await exchange(
      this.url,
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Accept: 'application/json',
          Authorization: authorization,
          'x-xtrem-endpoint': this.options.endpoint,
        },
        body: JSON.stringify({ query, variables }),
      },
      {
        timeoutMs: this.timeoutMs,
        fetch: this.options.fetch,
        callLimit: this.options.callLimit,
        reach: this.options.reach,
      },
    );
    return { answer, authorization };
  }

  private read<T>(answer: HttpAnswer): T {
    const body = parseJson(answer) as
      { data?: T; errors?: GraphQLErrorJson[] } | undefined;
    const errors = body?.errors ?? [];
    if (answer.status === 401) {
      throw new X3Error(
        'unauthorized',
        'X3 refused the credentials (401): ' +
          errors.map((e) => e.message).join('; '),
        { status: 401 },
      );
    }
    const failure = statusError(
      answer,
      errors.map((e) => String(e.message)),
    );
    if (failure && failure.retryable) throw failure;
    if (errors.length > 0) throw graphqlError(errors);
    if (failure) throw failure;
    if (!body || body.data === undefined || body.data === null) {
      throw new X3Error('bad-response', 'X3 answered without data', {
        status: answer.status,
      });
    }
    return body.data;
  }
}
