import type { SyncRecord } from '../sync/record';
import { accountingDate, isIsoDate } from './dates';
import { clip } from './describe';
import type { EntryHeader } from './entry';
import { PostingError } from './errors';
import { documentReference } from './reference';
import type { PostingMode, PostingPlan, ResolvedMapping } from './types';

export interface PlanOptions {
  mode: PostingMode;
  /** invoice mode: an itemised return becomes a credit memo */
  itemisedCreditMemo: boolean;
  /** accounting date YYYY-MM-DD, instead of the one Square's time gives */
  date?: string;
}

/** What every document of one record shares. */
export class DocContext {
  constructor(
    readonly record: SyncRecord,
    readonly mapping: ResolvedMapping,
    readonly date: string,
    /** short Square id for descriptions */
    readonly short: string,
  ) {}

  docKey(kind: string): string {
    return `${this.record.key}#${kind}`;
  }

  header(kind: string, description: string): EntryHeader {
    const docKey = this.docKey(kind);
    return {
      docKey,
      reference: documentReference(docKey),
      site: this.mapping.site,
      date: this.date,
      currency: this.mapping.currency,
      description: clip(description),
    };
  }
}

/** opts.date, else Square's time as a date in the location's zone. */
export function documentDate(
  record: SyncRecord,
  time: string | undefined,
  opts: PlanOptions,
): string {
  if (opts.date !== undefined) {
    if (!isIsoDate(opts.date)) {
      throw new PostingError('BAD_DATA', `date ${opts.date} is not YYYY-MM-DD`);
    }
    return opts.date;
  }
  if (!time) {
    throw new PostingError('BAD_DATA', `${record.key} carries no date`);
  }
  // Without a location time zone the date is the UTC one, which can be a
  // day off for sales near midnight.
  return accountingDate(time, record.square.location?.timezone || 'UTC');
}

export function skipped(record: SyncRecord, reason: string): PostingPlan {
  return { recordKey: record.key, documents: [], skipReason: reason };
}
