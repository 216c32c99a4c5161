import { PostingError } from './errors';

// X3 wants the accounting date as the seller saw it: a sale closed at
// 23:30 in New York belongs to that day, not to the next UTC day.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let found = formatters.get(timeZone);
  if (!found) {
    found = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    formatters.set(timeZone, found);
  }
  return found;
}

/** YYYY-MM-DD of an RFC 3339 time in an IANA time zone (default UTC). */
export function accountingDate(time: string, timeZone = 'UTC'): string {
  const at = new Date(time);
  if (Number.isNaN(at.getTime())) {
    throw new PostingError('BAD_DATA', `not a time: ${time}`);
  }

  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = formatter(timeZone).formatToParts(at);
  } catch {
    throw new PostingError('BAD_DATA', `unknown time zone ${timeZone}`);
  }

  const part = (type: string) => parts.find((p) => p.type === type)?.value;
  return `${part('year')}-${part('month')}-${part('day')}`;
}

export function isIsoDate(value: string): boolean {
  return (
    /^\d{4}-\d{2}-\d{2}$/.test(value) &&
    !Number.isNaN(Date.parse(`${value}T00:00:00Z`))
  );
}
