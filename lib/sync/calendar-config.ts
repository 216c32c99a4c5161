import { isTimeZone } from './zoned-time';

// When the poll node asks Square for changes: often during business
// hours, rarely outside them, and one wide sweep a day for offline
// payments that reach Square late. Parsed from the node's string settings.

export interface PollCalendar {
  /** IANA zone the hours are in, e.g. America/New_York */
  timeZone: string;
  /** 0 = Sunday .. 6 = Saturday */
  businessDays: number[];
  /** HH:MM local; a close before the open runs past midnight */
  open: string;
  /** HH:MM local, 24:00 allowed */
  close: string;
  businessIntervalSec: number;
  offHoursIntervalSec: number;
  /** HH:MM local, every day */
  dailySweepAt: string;
  sweepHours: number;
}

export const DEFAULT_CALENDAR: Readonly<PollCalendar> = Object.freeze({
  timeZone: 'UTC',
  businessDays: [1, 2, 3, 4, 5, 6],
  open: '07:00',
  close: '22:00',
  businessIntervalSec: 60,
  offHoursIntervalSec: 900,
  dailySweepAt: '03:00',
  sweepHours: 72,
});

/** Node settings as the editor stores them: strings, possibly empty. */
export interface CalendarSettings {
  timeZone?: string;
  /** "1-6", "Mon-Sat", "mon,wed,fri", "0,6" */
  businessDays?: string | number[];
  open?: string;
  close?: string;
  businessIntervalSec?: string | number;
  offHoursIntervalSec?: string | number;
  dailySweepAt?: string;
  sweepHours?: string | number;
}

export class CalendarError extends Error {
  readonly code = 'CALENDAR_INVALID';

  constructor(message: string) {
    super(message);
    this.name = 'CalendarError';
  }
}

const SHORT_DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const LONG_DAYS = [
  'sunday',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
];

function blank(value: unknown): boolean {
  return value === undefined || value === null || String(value).trim() === '';
}

function day(token: string): number {
  const text = token.trim().toLowerCase();
  if (/^[0-6]$/.test(text)) return Number(text);
  const index = Math.max(SHORT_DAYS.indexOf(text), LONG_DAYS.indexOf(text));
  if (index < 0) throw new Error(`"${token.trim()}" is not a day`);
  return index;
}

export function parseDays(value: string | number[]): number[] {
  const days = new Set<number>();
  const tokens = Array.isArray(value) ? value.map(String) : value.split(',');
  for (const token of tokens.filter((t) => t.trim() !== '')) {
    const [first, last, extra] = token.split('-');
    if (extra !== undefined) throw new Error(`"${token.trim()}" is not a day`);
    const from = day(first);
    const to = last === undefined ? from : day(last);
    // a range may wrap the week: Sat-Mon is 6, 0, 1
    for (let d = from; ; d = (d + 1) % 7) {
      days.add(d);
      if (d === to) break;
    }
  }
  return [...days].sort((a, b) => a - b);
}

/** Minutes since midnight for HH:MM; 24:00 only when allowed. */
export function parseClock(value: string, allowMidnightEnd = false): number {
  const match = /^(\d{1,2}):(\d{2})$/.exec(value.trim());
  const hours = match ? Number(match[1]) : NaN;
  const minutes = match ? Number(match[2]) : NaN;
  const end = allowMidnightEnd && hours === 24 && minutes === 0;
  if (!end && !(hours <= 23 && minutes <= 59)) {
    throw new Error(`must be HH:MM (24-hour clock), got "${value}"`);
  }
  return hours * 60 + minutes;
}

function count(value: string | number, min: number, max: number): number {
  const n = Number(String(value).trim());
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(
      `must be a whole number from ${min} to ${max}, got "${value}"`,
    );
  }
  return n;
}

/**
 * A calendar from node settings; blank settings take the defaults. All
 * problems are reported together in one CalendarError.
 */
export function parseCalendar(
  settings: CalendarSettings = {},
  fallbackTimeZone?: string,
): PollCalendar {
  const cal: PollCalendar = {
    ...DEFAULT_CALENDAR,
    businessDays: [...DEFAULT_CALENDAR.businessDays],
  };
  const problems: string[] = [];
  const field = <K extends keyof PollCalendar>(
    name: K,
    read: (value: NonNullable<CalendarSettings[K]>) => PollCalendar[K],
  ) => {
    const value = settings[name];
    if (blank(value)) return;
    try {
      cal[name] = read(value as NonNullable<CalendarSettings[K]>);
    } catch (error) {
      problems.push(`${name} ${(error as Error).message}`);
    }
  };

  if (!blank(fallbackTimeZone)) cal.timeZone = String(fallbackTimeZone);
  field('timeZone', (zone) => {
    if (!isTimeZone(zone.trim())) {
      throw new Error(`"${zone}" is not a known IANA time zone`);
    }
    return zone.trim();
  });
  field('businessDays', (days) => {
    const parsed = parseDays(days);
    if (!parsed.length) throw new Error('needs at least one day');
    return parsed;
  });
  field('open', (v) => (parseClock(v), v.trim().padStart(5, '0')));
  field('close', (v) => (parseClock(v, true), v.trim().padStart(5, '0')));
  field('businessIntervalSec', (v) => count(v, 1, 86_400));
  field('offHoursIntervalSec', (v) => count(v, 1, 86_400));
  field('dailySweepAt', (v) => (parseClock(v), v.trim().padStart(5, '0')));
  field('sweepHours', (v) => count(v, 1, 720));

  if (
    !problems.length &&
    parseClock(cal.open) === parseClock(cal.close, true)
  ) {
    problems.push('open and close must differ');
  }
  if (!isTimeZone(cal.timeZone)) {
    problems.push(`timeZone "${cal.timeZone}" is not a known IANA time zone`);
  }
  if (problems.length) {
    throw new CalendarError(`poll calendar: ${problems.join('; ')}`);
  }
  return cal;
}
