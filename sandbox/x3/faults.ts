import type * as http from 'node:http';
import type { QuotaFault, X3Fault } from './types';

// The faults a test can switch on in the X3 emulator, and the decision
// each one makes about an incoming call.

export type QuotaPhase = 'normal' | 'slow' | 'refused';

export interface QuotaVerdict {
  phase: QuotaPhase;
  /** ms until the period ends, for Retry-After */
  remainingMs: number;
}

export class FaultState {
  latencyMs = 0;
  /** calls X3 serves at once (its web-service pool); 0: no limit */
  poolSize = 0;
  private busy = 0;
  private readonly queue: (() => void)[] = [];
  status?: { status: number; count: number; retryAfter?: number };
  commitThenTimeout?: { count: number; closeAfterMs: number };
  private unauthorizedAfter?: number;
  /** bearer tokens X3 stopped accepting (the 401 mid-batch fault) */
  readonly revoked = new Set<string>();
  private quota?: Required<QuotaFault> & { used: number; periodStart: number };
  /** SOAP calls left that find no web-service child process in the pool */
  soapPoolEmpty?: { count: number };
  /** SOAP public names taken out of publication */
  readonly unpublished = new Set<string>();

  constructor(private readonly now: () => number) {}

  set(fault: X3Fault): void {
    if (fault.kind === 'none') {
      this.latencyMs = 0;
      this.poolSize = 0;
      this.status = undefined;
      this.commitThenTimeout = undefined;
      this.unauthorizedAfter = undefined;
      this.revoked.clear();
      this.quota = undefined;
      this.soapPoolEmpty = undefined;
      this.unpublished.clear();
    } else if (fault.kind === 'soap-pool-empty') {
      // no count: the pool stays empty until the faults are cleared
      this.soapPoolEmpty = {
        count: callCount(fault, Number.MAX_SAFE_INTEGER),
      };
    } else if (fault.kind === 'soap-unpublished') {
      this.unpublished.add(fault.publication);
    } else if (fault.kind === 'latency') {
      this.latencyMs = fault.ms;
      this.poolSize = fault.pool ?? 0;
    } else if (fault.kind === 'status') {
      this.status = {
        status: fault.status,
        count: callCount(fault),
        retryAfter: fault.retryAfter,
      };
    } else if (fault.kind === 'commit-then-timeout') {
      this.commitThenTimeout = {
        count: callCount(fault),
        closeAfterMs: fault.closeAfterMs ?? 2000,
      };
    } else if (fault.kind === 'unauthorized') {
      this.unauthorizedAfter = fault.after ?? 0;
    } else if (fault.kind === 'quota') {
      this.quota = {
        kind: 'quota',
        limit: fault.limit,
        grace: fault.grace ?? Math.max(1, Math.floor(fault.limit / 10)),
        slowMs: fault.slowMs ?? 200,
        periodMs: fault.periodMs ?? 3_600_000,
        unit: fault.unit ?? 'requests',
        used: 0,
        periodStart: this.now(),
      };
    } else {
      throw new Error(`unknown fault ${(fault as { kind: string }).kind}`);
    }
  }

  /**
   * Counts an accepted bearer call; once the 401 fault's countdown is
   * over, every token seen so far (this one included) is refused.
   */
  acceptBearer(token: string, seen: Set<string>): boolean {
    if (this.revoked.has(token)) return false;
    if (this.unauthorizedAfter === undefined) return true;
    if (this.unauthorizedAfter > 0) {
      this.unauthorizedAfter--;
      return true;
    }
    this.unauthorizedAfter = undefined;
    for (const known of seen) this.revoked.add(known);
    this.revoked.add(token);
    return false;
  }

  /** Where the licence quota stands for the next call. */
  quotaVerdict(): QuotaVerdict | null {
    const q = this.quota;
    if (!q) return null;
    const now = this.now();
    if (now - q.periodStart >= q.periodMs) {
      q.periodStart = now - ((now - q.periodStart) % q.periodMs);
      q.used = 0;
    }
    const remainingMs = q.periodStart + q.periodMs - now;
    const phase: QuotaPhase =
      q.used < q.limit
        ? 'normal'
        : q.used < q.limit + q.grace
          ? 'slow'
          : 'refused';
    return { phase, remainingMs };
  }

  /** Adds what a served call used: one request, or its answer's bytes. */
  chargeQuota(bytes: number): void {
    if (!this.quota) return;
    this.quota.used += this.quota.unit === 'bytes' ? bytes : 1;
  }

  /**
   * Takes a pool slot for a call, waiting for one when the pool is full,
   * and paces its answer: with a latency fault the answer leaves that
   * long after the slot was taken, X3's own work included, as a server
   * that answers in that time does (the emulator's work on a machine it
   * shares with the client is not added on top). The slot frees once the
   * answer is out; call the returned function when the handler is done,
   * which frees it at once for a call left unanswered.
   */
  async serve(res: http.ServerResponse): Promise<() => void> {
    const release = await this.slot();
    res.once('close', release);
    res.once('finish', release);
    const answered = hold(res, performance.now() + this.latencyMs);
    return () => {
      if (!answered()) release();
    };
  }

  /** Waits for a free pool slot; call the returned function when done. */
  private async slot(): Promise<() => void> {
    if (this.poolSize > 0 && this.busy >= this.poolSize) {
      await new Promise<void>((resolve) => this.queue.push(resolve));
    } else {
      this.busy++;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.queue.shift();
      if (next) next();
      else this.busy--;
    };
  }

  get slowMs(): number {
    return this.quota?.slowMs ?? 0;
  }
}

/**
 * How many calls a counted fault hits. A fault whose count has no
 * default is refused without one, since arming nothing would pass for a
 * fault that X3 shrugged off.
 */
function callCount(
  fault: { kind: string; count?: unknown },
  byDefault?: number,
) {
  const { count } = fault;
  if (count === undefined && byDefault !== undefined) return byDefault;
  if (count === undefined) {
    throw new Error(`${fault.kind} needs count, the calls it hits`);
  }
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
    throw new Error('count must be a whole number of calls');
  }
  return count;
}

/**
 * Delays the end of a response until `due` (performance.now() time);
 * returns whether the handler has ended it yet.
 */
function hold(res: http.ServerResponse, due: number): () => boolean {
  let ended = false;
  const end = res.end.bind(res) as (...args: unknown[]) => void;
  res.end = ((...args: unknown[]) => {
    ended = true;
    const wait = due - performance.now();
    if (wait <= 0) end(...args);
    else setTimeout(() => end(...args), wait);
    return res;
  }) as typeof res.end;
  return () => ended;
}
