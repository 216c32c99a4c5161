import { parseRetryAfter, isRetryableStatus } from '../sync/backoff';
import { X3Error } from './errors';
import type { X3Reach } from './reach';
import { send, type AnswerHeaders } from './send';

// One HTTP exchange with X3, with a deadline. A timeout or a dropped
// connection is retryable, but X3 may have committed a write before it
// happened, so writers look before they post again.

export type FetchLike = typeof fetch;

export interface HttpAnswer {
  status: number;
  headers: AnswerHeaders;
  text: string;
}

export interface ExchangeOptions {
  /** covers the wait for a call slot, the request and the whole body */
  timeoutMs: number;
  /** sends through this fetch instead of Node's http (tests' fakes) */
  fetch?: FetchLike;
  /** the X3 config's cap on calls in flight; none: no cap */
  callLimit?: CallLimit;
  /** over Node's http, a longer answer fails the call (send's default) */
  maxAnswerBytes?: number;
  /** told whether X3 answered (lib/x3/reach.ts) */
  reach?: X3Reach;
}

export interface ExchangeRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

export async function exchange(
  url: string,
  init: ExchangeRequest,
  options: ExchangeOptions,
): Promise<HttpAnswer> {
  const { timeoutMs, callLimit } = options;
  const deadline = new Deadline(timeoutMs);
  let held: CallLimit | undefined;
  let asked = false;
  try {
    if (callLimit) {
      await callLimit.take(deadline);
      held = callLimit;
    }
    if (deadline.reason) throw deadline.reason;
    asked = true;
    const answer = options.fetch
      ? await viaFetch(options.fetch, url, init, deadline)
      : await send(
          url,
          { ...init, maxAnswerBytes: options.maxAnswerBytes },
          (destroy) => deadline.onExpire(destroy),
        );
    options.reach?.answered();
    return answer;
  } catch (error) {
    const failure = transportError(error, timeoutMs);
    // a call that timed out waiting for a slot never reached X3: X3 is
    // busy with the calls ahead of it, not silent
    if (asked) options.reach?.unanswered(failure.message);
    throw failure;
  } finally {
    deadline.clear();
    held?.give();
  }
}

/** A fetch handed in: its answer read the same way, redirects not followed. */
async function viaFetch(
  fetchImpl: FetchLike,
  url: string,
  init: ExchangeRequest,
  deadline: Deadline,
): Promise<HttpAnswer> {
  const controller = new AbortController();
  deadline.onExpire((reason) => controller.abort(reason));
  const response = await fetchImpl(url, {
    ...init,
    redirect: 'manual',
    signal: controller.signal,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text };
}

/**
 * A call's deadline: one unref'd timer (a deadline alone never holds Node
 * open), cleared when the call ends, and what to undo when it passes.
 */
export class Deadline {
  reason?: Error;
  private readonly timer: NodeJS.Timeout;
  private listeners: ((reason: Error) => void)[] = [];

  constructor(ms: number) {
    this.timer = setTimeout(() => this.expire(), ms);
    this.timer.unref();
  }

  /** Calls listener when the deadline passes (at once if it has). */
  onExpire(listener: (reason: Error) => void): () => void {
    if (this.reason) {
      listener(this.reason);
      return () => undefined;
    }
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  clear(): void {
    clearTimeout(this.timer);
    this.listeners = [];
  }

  private expire(): void {
    this.reason = timeoutReason();
    const listeners = this.listeners;
    this.listeners = [];
    for (const listener of listeners) listener(this.reason);
  }
}

function timeoutReason(): DOMException {
  return new DOMException('X3 call deadline passed', 'TimeoutError');
}

function transportError(error: unknown, timeoutMs: number): X3Error {
  const name = (error as Error).name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new X3Error('timeout', `X3 did not answer within ${timeoutMs} ms`, {
      retryable: true,
      cause: error,
    });
  }
  return new X3Error('network', `X3 unreachable: ${(error as Error).message}`, {
    retryable: true,
    cause: error,
  });
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
  const location = answer.headers.get('location');
  const text =
    messages.length > 0
      ? messages.join('; ')
      : location && answer.status >= 300 && answer.status < 400
        ? `a redirect to ${location}; set the X3 server URL to where it ` +
          'points'
        : `HTTP ${answer.status}`;
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
 * At most `max` X3 calls in flight (X3's web-service pool); callers past
 * that wait their turn in order. exchange holds a slot until the answer
 * is read in full. A caller whose deadline passes while it waits leaves
 * the queue, and X3 never saw it.
 */
export class CallLimit {
  private readonly max: number;
  private running = 0;
  private readonly queue: (() => void)[] = [];

  constructor(max: number) {
    this.max = Math.max(1, Math.floor(max) || 1);
  }

  /** Resolves when a slot is free; rejects with the deadline's reason. */
  take(deadline: Deadline): Promise<void> {
    if (this.running < this.max) {
      this.running += 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const go = () => {
        leave();
        this.running += 1;
        resolve();
      };
      this.queue.push(go);
      const leave = deadline.onExpire((reason) => {
        const at = this.queue.indexOf(go);
        if (at >= 0) this.queue.splice(at, 1);
        reject(reason);
      });
    });
  }

  give(): void {
    this.running -= 1;
    this.queue.shift()?.();
  }
}
