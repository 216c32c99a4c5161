import { refundRecord, saleRecordForOrder } from '../square/fetch-record';
import type { Location } from '../square/types';
import { accountingDate } from '../ledger/dates';
import type { SyncRecord } from '../sync/record';
import { SquareReads, type SquareReader } from './square-reads';

// The Square records of a location whose accounting date (in the
// location's time zone, as the posting rules date them) falls in a range:
// completed sales by closing time, completed refunds by creation time.
// Square is asked for a day more on each side, then filtered exactly.
// Pass a run's SquareReads to share its reads with the rest of the run.

export interface DayRange {
  /** YYYY-MM-DD, inclusive */
  from: string;
  /** YYYY-MM-DD, inclusive */
  to: string;
}

export function addDays(date: string, days: number): string {
  const at = new Date(`${date}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

function inRange(time: string | undefined, tz: string, r: DayRange) {
  if (!time) return false;
  const date = accountingDate(time, tz);
  return date >= r.from && date <= r.to;
}

export async function squareRecords(
  reader: SquareReader,
  location: Location,
  range: DayRange,
): Promise<SyncRecord[]> {
  const client = SquareReads.of(reader);
  client.knowLocation(location);
  const tz = location.timezone || 'UTC';
  const begin = `${addDays(range.from, -1)}T00:00:00Z`;
  const end = `${addDays(range.to, 2)}T00:00:00Z`;
  const records: SyncRecord[] = [];

  const orders = client.searchOrders({
    location_ids: [location.id],
    query: {
      filter: {
        state_filter: { states: ['COMPLETED'] },
        date_time_filter: { closed_at: { start_at: begin, end_at: end } },
      },
      sort: { sort_field: 'CLOSED_AT', sort_order: 'ASC' },
    },
    limit: 500,
  });
  for await (const page of orders) {
    for (const order of page.orders ?? []) {
      if (!inRange(order.closed_at, tz, range)) continue;
      const record = await saleRecordForOrder(client, order, 'poll');
      if (record) records.push(record);
    }
  }

  const refunds = client.listRefunds({
    begin_time: begin,
    end_time: end,
    location_id: location.id,
    sort_order: 'ASC',
  });
  for await (const page of refunds) {
    for (const refund of page.refunds ?? []) {
      if (refund.location_id && refund.location_id !== location.id) continue;
      if (!inRange(refund.created_at, tz, range)) continue;
      const record = await refundRecord(client, refund, 'poll');
      if (record) records.push(record);
    }
  }
  return records;
}
