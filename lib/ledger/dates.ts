import { isTimeZone, localTime } from '../sync/zoned-time';
import { PostingError } from './errors';

// X3 wants the accounting date as the seller saw it: a sale closed at
// 23:30 in New York belongs to that day, not to the next UTC day.

/** YYYY-MM-DD of an RFC 3339 time in an IANA time zone (default UTC). */
export function accountingDate(time: string, timeZone = 'UTC'): string {
  const at = new Date(time);
  if (Number.isNaN(at.getTime())) {
    throw new PostingError('BAD_DATA', `not a time: ${time}`);
  }
  if (!isTimeZone(timeZone)) {
    throw new PostingError('BAD_DATA', `unknown time zone ${timeZone}`);
  }

  const local = localTime(timeZone, at);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${local.year}-${two(local.month)}-${two(local.day)}`;
}

export function isIsoDate(value: string): boolean {
  return (
    /^\d{4}-\d{2}-\d{2}$/.test(value) &&
    !Number.isNaN(Date.parse(`${value}T00:00:00Z`))
  );
}
