// The updated_at range one poll asks Square for. Each window starts a
// little before the last one ended, because Square's lists are eventually
// consistent and a change can show up seconds after its updated_at; the
// overlap makes those reappear, and the ledger drops the duplicates.

export interface PollWindow {
  /** RFC 3339, inclusive */
  begin: string;
  /** RFC 3339 */
  end: string;
}

export interface PollWindowOptions {
  /** default 300 */
  overlapSec?: number;
  /** where a first run starts instead of 24 hours back */
  backfillFrom?: string;
}

export const DEFAULT_OVERLAP_SEC = 300;

const HOUR_MS = 3_600_000;
const FIRST_RUN_MS = 24 * HOUR_MS;

export class PollWindowError extends Error {
  readonly code = 'POLL_WINDOW';

  constructor(message: string) {
    super(message);
    this.name = 'PollWindowError';
  }
}

function time(value: string, what: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) {
    throw new PollWindowError(`${what} is not an ISO time: "${value}"`);
  }
  return ms;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function pollWindow(
  cursor: string | undefined,
  now: Date,
  opts: PollWindowOptions = {},
): PollWindow {
  const overlapMs = (opts.overlapSec ?? DEFAULT_OVERLAP_SEC) * 1000;
  if (!Number.isFinite(overlapMs) || overlapMs < 0) {
    throw new PollWindowError(`overlapSec must be 0 or more`);
  }
  const end = now.getTime();

  let begin: number;
  if (cursor) begin = time(cursor, 'the poll cursor') - overlapMs;
  else if (opts.backfillFrom) begin = time(opts.backfillFrom, 'backfillFrom');
  else begin = end - FIRST_RUN_MS;

  // a cursor ahead of this clock (clock skew) still gives a sane window
  begin = Math.min(begin, end - overlapMs);
  return { begin: iso(begin), end: iso(end) };
}

/**
 * The cursor after a poll that read the whole window: its end, never
 * earlier than the cursor already stored.
 */
export function advanceCursor(
  cursor: string | undefined,
  window: PollWindow,
): string {
  const end = time(window.end, 'the window end');
  if (!cursor) return iso(end);
  return iso(Math.max(time(cursor, 'the poll cursor'), end));
}

/** The daily sweep: the last `hours` hours, for late offline payments. */
export function sweepWindow(now: Date, hours: number): PollWindow {
  if (!(hours > 0)) throw new PollWindowError('sweep hours must be above 0');
  const end = now.getTime();
  return { begin: iso(end - hours * HOUR_MS), end: iso(end) };
}
