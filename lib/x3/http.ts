import { parseRetryAfter, isRetryableStatus } from '../sync/backoff';
import { X3Error } from './errors';

// One HTTP exchange with X3 through fetch, with a deadline. A timeout or
// a dropped connection is retryable, but X3 may have committed a write
// before it happened, so writers look before they post again.

export type FetchLike = typeof fetch;

export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
}

export async function exchange(
  url: string,
  init: RequestInit,
  timeoutMs: number,
  fetchImpl: FetchLike = fetch,
): Promise<HttpAnswer> {
  let response: Response;
  let text: string;
  try {
    response = await fetchImpl(url, {
      ...init,
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await response.text();
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      throw new X3Error('timeout', `X3 did not answer within ${timeoutMs} ms`, {
        retryable: true,
        cause: error,
      });
    }
    throw new X3Error(
      'network',
      `X3 unreachable: ${(error as Error).message}`,
      {
        retryable: true,
        cause: error,
      },
    );
  }
  return { status: response.status, headers: response.headers, text };
}

/** An X3Error for a status that is not a success, or null. */
export function statusError(
  answer: HttpAnswer,
  messages: string[],
): X3Error | null {
  if (answer.status >= 200 && answer.status < 300) return null;
  const retryable = isRetryableStatus(answer.status);
  const retryAfterMs = parseRetryAfter(
    answer.headers.get('retry-after') ?? undefined,
  );
  const text =
    messages.length > 0 ? messages.join('; ') : `HTTP ${answer.status}`;
  // X3's licence caps web-service volume per period; past the grace it
  // refuses calls until the period ends.
  const licence = messages.some((m) => /licen[cs]e/i.test(m));
  return new X3Error(
    licence ? 'licence' : 'http',
    `X3 answered ${answer.status}: ${text}`,
    {
      status: answer.status,
      retryable,
      retryAfterMs,
      messages,
    },
  );
}

export function parseJson(answer: HttpAnswer): unknown {
  if (answer.text === '') return undefined;
  try {
    return JSON.parse(answer.text);
  } catch {
    return undefined;
  }
}

const LOOPBACK = /^(localhost|127(\.\d+){3}|\[::1\])$/i;

/** Says so when credentials would travel unencrypted off this machine. */
export function plainHttpWarning(baseUrl: string): string | null {
  const url = new URL(baseUrl);
  if (url.protocol !== 'http:' || LOOPBACK.test(url.hostname)) return null;
  return (
    `X3 at ${url.host} is reached over plain HTTP: credentials and ` +
    'tokens travel unencrypted; use HTTPS outside a test network'
  );
}

export function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/**
 * fetch with at most `max` X3 calls in flight (X3's web-service pool);
 * callers past that wait their turn in order. A call's slot is held until
 * its answer is read in full. A caller whose deadline passes while it
 * waits leaves the queue with the abort, and X3 never saw it.
 */
export function limitCalls(max: number, fetchImpl: FetchLike = fetch) {
  const limit = Math.max(1, Math.floor(max) || 1);
  let running = 0;
  const queue: (() => void)[] = [];

  const release = () => {
    running -= 1;
    const next = queue.shift();
    if (next) next();
  };
  const slot = (signal?: AbortSignal | null) =>
    new Promise<void>((resolve, reject) => {
      if (running < limit) {
        running += 1;
        resolve();
        return;
      }
      const go = () => {
        signal?.removeEventListener('abort', abort);
        running += 1;
        resolve();
      };
      const abort = () => {
        const at = queue.indexOf(go);
        if (at >= 0) queue.splice(at, 1);
        reject(signal?.reason);
      };
      queue.push(go);
      signal?.addEventListener('abort', abort, { once: true });
    });

  const limited = async (
    input: Parameters<FetchLike>[0],
    init?: RequestInit,
  ): Promise<Response> => {
    await slot(init?.signal);
    try {
      const response = await fetchImpl(input, init);
      const body = await response.arrayBuffer();
      const bodiless = [101, 204, 205, 304].includes(response.status);
      return new Response(bodiless ? null : body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    } finally {
      release();
    }
  };
  return limited as FetchLike;
}
