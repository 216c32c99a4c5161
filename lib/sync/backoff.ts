// Exponential backoff with full jitter, bounded in attempts and in the
// longest single wait. A Retry-After the server sent wins over the
// computed delay (still capped), because the server knows its own limit.

export interface BackoffOptions {
  /** attempts in all, the first one included */
  attempts: number;
  baseMs: number;
  maxMs: number;
  /** replaced in tests to make waits instant or observable */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** called before each wait, for logging */
  onRetry?: (info: RetryInfo) => void;
}

export interface RetryInfo {
  attempt: number;
  delayMs: number;
  error: unknown;
}

/** An error that says whether trying again can help. */
export interface Retryable {
  retryable?: boolean;
  retryAfterMs?: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = {
  attempts: 5,
  baseMs: 500,
  maxMs: 30_000,
};

const realSleep = (ms: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, ms));

export function backoffDelay(
  attempt: number,
  opts: BackoffOptions,
  retryAfterMs?: number,
): number {
  if (retryAfterMs !== undefined && retryAfterMs >= 0) {
    return Math.min(retryAfterMs, opts.maxMs);
  }
  const ceiling = Math.min(opts.maxMs, opts.baseMs * 2 ** (attempt - 1));
  const random = opts.random ?? Math.random;
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export function isRetryable(error: unknown): boolean {
  return Boolean((error as Retryable | undefined)?.retryable);
}

export async function withBackoff<T>(
  work: (attempt: number) => Promise<T>,
  opts: BackoffOptions = DEFAULT_BACKOFF,
): Promise<T> {
  const sleep = opts.sleep ?? realSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work(attempt);
    } catch (error) {
      if (!isRetryable(error) || attempt >= opts.attempts) throw error;

      const hint = (error as Retryable).retryAfterMs;
      const delayMs = backoffDelay(attempt, opts, hint);
      opts.onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs);
    }
  }
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(
  value: string | undefined,
  now: number = Date.now(),
): number | undefined {
  if (!value) return undefined;
  // "5, 5": a header sent twice and joined by a proxy; the first counts
  const first = value.split(',')[0].trim();
  const seconds = first === '' ? NaN : Number(first);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Statuses worth another try on either side: throttling and outages. */
export function isRetryableStatus(status: number | undefined): boolean {
  return status === 408 || status === 429 || (status ?? 0) >= 500;
}
