import type { SyncRecord } from '../sync/record';
import { LedgerError } from './errors';

// The Square time a record is filed under for date-range replay: when the
// sale closed, when the refund was made, when the customer last changed.

function utc(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

export function squareTimeOf(record: SyncRecord, fallback: string): string {
  const { order, refund, returnOrder, customer } = record.square;
  const candidates =
    record.kind === 'sale'
      ? [order?.closed_at, order?.updated_at, order?.created_at]
      : record.kind === 'refund'
        ? [refund?.created_at, returnOrder?.created_at]
        : [customer?.updated_at, customer?.created_at];

  for (const value of [...candidates, record.receivedAt]) {
    const at = utc(value);
    if (at) return at;
  }
  return fallback;
}

/** ISO time or YYYY-MM-DD (midnight UTC) as a UTC ISO string. */
export function boundary(value: string, name: string): string {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const at = utc(day ? `${value}T00:00:00Z` : value);
  if (at) return at;
  throw new LedgerError(
    'LEDGER_INPUT',
    `${name} must be an ISO date or time, got "${value}"`,
  );
}
