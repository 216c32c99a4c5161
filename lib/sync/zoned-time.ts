// Wall-clock time in an IANA time zone, with nothing but Intl. Offsets
// are read from the platform's zone data, so daylight saving follows
// whatever rules the installed ICU has.

export interface LocalTime {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
  /** 0 = Sunday .. 6 = Saturday */
  weekday: number;
  /** minutes since local midnight */
  minutes: number;
}

const DAY_MS = 86_400_000;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

function parts(timeZone: string, at: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(at)) {
    out[part.type] = part.value;
  }
  return out;
}

/** The local wall-clock reading of an instant, as if it were UTC. */
function wallClockMs(timeZone: string, at: number): number {
  const p = parts(timeZone, at);
  return Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
}

/** Local time minus UTC at an instant, in ms (-5 h in New York winter). */
export function utcOffsetMs(timeZone: string, at: number): number {
  const wholeSecond = Math.floor(at / 1000) * 1000;
  return wallClockMs(timeZone, wholeSecond) - wholeSecond;
}

// Every sale asks for its local date, and Intl's formatToParts is slow:
// the offset is read once per zone and quarter hour. Zones change offset
// at a local quarter hour, which with offsets in quarter hours is a
// quarter hour in UTC too.
const QUARTER_HOUR_MS = 900_000;
const MAX_OFFSETS = 2_000;
const offsets = new Map<string, number>();

function quarterOffsetMs(timeZone: string, at: number): number {
  const start = Math.floor(at / QUARTER_HOUR_MS) * QUARTER_HOUR_MS;
  const key = `${timeZone} ${start}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    offset = wallClockMs(timeZone, start) - start;
    if (offsets.size >= MAX_OFFSETS) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

export function localTime(timeZone: string, at: Date): LocalTime {
  const ms = at.getTime();
  const offset = quarterOffsetMs(timeZone, ms);
  if (offset % 60_000 !== 0) return localTimeOf(parts(timeZone, ms));
  const wall = new Date(ms + offset);
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    weekday: wall.getUTCDay(),
    minutes: wall.getUTCHours() * 60 + wall.getUTCMinutes(),
  };
}

function localTimeOf(p: Record<string, string>): LocalTime {
  return {
    year: +p.year,
    month: +p.month,
    day: +p.day,
    weekday: WEEKDAYS.indexOf(p.weekday),
    minutes: +p.hour * 60 + +p.minute,
  };
}

/** The calendar date `days` after a local date. */
export function addDays(date: LocalTime, days: number): LocalTime {
  const shifted = new Date(
    Date.UTC(date.year, date.month - 1, date.day + days),
  );
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    weekday: shifted.getUTCDay(),
    minutes: 0,
  };
}

/**
 * The instant a local date and time happens in a zone. A time skipped by
 * a spring-forward change maps to the same distance past the gap (02:30
 * becomes 03:30); a time that happens twice in the autumn maps to the
 * first of the two.
 */
export function zonedInstant(
  timeZone: string,
  date: Pick<LocalTime, 'year' | 'month' | 'day'>,
  minutes: number,
): Date {
  const wall = Date.UTC(date.year, date.month - 1, date.day, 0, minutes);
  // Offsets a day either side bracket any single change on that date.
  const before = wall - utcOffsetMs(timeZone, wall - DAY_MS);
  const after = wall - utcOffsetMs(timeZone, wall + DAY_MS);

  const valid = [before, after]
    .filter((at) => wallClockMs(timeZone, at) === wall)
    .sort((a, b) => a - b);
  return new Date(valid.length ? valid[0] : before);
}
