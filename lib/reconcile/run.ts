import { accountingDate } from '../ledger/dates';
import type { MappingTables, PostingMode } from '../ledger/types';
import type { X3ReadBack } from '../x3/read-back';
import { reconcile, type Reconciliation } from './reconcile';
import { addDays } from './square-records';
import type { SkuLookup } from './skus';
import { SquareReads, type SquareReader } from './square-reads';

// One reconciliation run as a node or the command asks for it: a date
// range (default: yesterday in the first location's time zone) over some
// locations (default: every location the mapping has a site for).

export interface RunRequest {
  from?: string;
  to?: string;
  locationIds?: string[];
}

export interface RunOptions {
  tables: MappingTables;
  mode: PostingMode;
  /** the catalog SKUs the posting maps by: the mapping node's lookup */
  skus?: SkuLookup;
  square: SquareReader;
  x3: Pick<X3ReadBack, 'invoices' | 'entries'>;
  now?: Date;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export async function runReconciliation(
  request: RunRequest,
  opts: RunOptions,
): Promise<Reconciliation[]> {
  const locationIds = request.locationIds?.length
    ? request.locationIds
    : Object.keys(opts.tables.sites);
  if (locationIds.length === 0) {
    throw new Error('no location to reconcile: the mapping has no sites');
  }

  // one run, one set of reads: a refund at one location may be of a sale
  // at another, and the first location is read for the date as well
  const square = SquareReads.of(opts.square);
  let { from, to } = request;
  if (!from) {
    const first = await square.retrieveLocation(locationIds[0]);
    const today = accountingDate(
      (opts.now ?? new Date()).toISOString(),
      first.timezone || 'UTC',
    );
    from = addDays(today, -1);
  }
  to = to || from;
  for (const date of [from, to]) {
    if (!DATE.test(date)) throw new Error(`${date} is not YYYY-MM-DD`);
  }
  if (to < from) throw new Error(`${to} is before ${from}`);

  const results: Reconciliation[] = [];
  for (const locationId of locationIds) {
    results.push(await reconcile({ ...opts, square, from, to, locationId }));
  }
  return results;
}
