import { parseClock, type PollCalendar } from './calendar-config';
import { addDays, localTime, zonedInstant, type LocalTime } from './zoned-time';

export {
  CalendarError,
  DEFAULT_CALENDAR,
  parseCalendar,
  type CalendarSettings,
  type PollCalendar,
} from './calendar-config';

// The poll schedule in the merchant's own time zone. Hours are wall-clock
// hours, so on a daylight-saving day the store still opens at 07:00 local
// and the instants shift, not the hours.

const WEEK_AHEAD = 8;

function hours(cal: PollCalendar): { open: number; close: number } {
  return { open: parseClock(cal.open), close: parseClock(cal.close, true) };
}

export function isBusinessTime(cal: PollCalendar, now: Date): boolean {
  const local = localTime(cal.timeZone, now);
  const { open, close } = hours(cal);
  const isDay = (weekday: number) => cal.businessDays.includes(weekday);

  if (open < close) {
    return (
      isDay(local.weekday) && local.minutes >= open && local.minutes < close
    );
  }
  // Hours past midnight belong to the business day that opened them.
  const yesterday = (local.weekday + 6) % 7;
  return (
    (isDay(local.weekday) && local.minutes >= open) ||
    (isDay(yesterday) && local.minutes < close)
  );
}

/** The first local `minutes` of a matching day strictly after `now`. */
function nextLocal(
  cal: PollCalendar,
  now: Date,
  minutes: number,
  onDay: (weekday: number) => boolean,
): Date | undefined {
  const today: LocalTime = localTime(cal.timeZone, now);
  for (let ahead = 0; ahead <= WEEK_AHEAD; ahead++) {
    const date = addDays(today, ahead);
    if (!onDay(date.weekday)) continue;
    const at = zonedInstant(cal.timeZone, date, minutes);
    if (at.getTime() > now.getTime()) return at;
  }
  return undefined;
}

/** When the next business period starts, if any day is a business day. */
export function nextOpenAt(cal: PollCalendar, now: Date): Date | undefined {
  const { open } = hours(cal);
  return nextLocal(cal, now, open, (d) => cal.businessDays.includes(d));
}

/**
 * When to poll next: a business interval away during business hours;
 * otherwise an off-hours interval away, or the opening if that is sooner.
 */
export function nextPollAt(cal: PollCalendar, now: Date): Date {
  if (isBusinessTime(cal, now)) {
    return new Date(now.getTime() + cal.businessIntervalSec * 1000);
  }

  const offHours = now.getTime() + cal.offHoursIntervalSec * 1000;
  const opening = nextOpenAt(cal, now)?.getTime() ?? Infinity;
  return new Date(Math.min(offHours, opening));
}

/** The next daily sweep, every day of the week, strictly after `now`. */
export function nextSweepAt(cal: PollCalendar, now: Date): Date {
  const at = nextLocal(cal, now, parseClock(cal.dailySweepAt), () => true);
  // nextLocal always finds one within two days when every day matches
  return at as Date;
}
