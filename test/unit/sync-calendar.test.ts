import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CalendarError,
  DEFAULT_CALENDAR,
  isBusinessTime,
  nextOpenAt,
  nextPollAt,
  nextSweepAt,
  parseCalendar,
  type PollCalendar,
} from '../../lib/sync/calendar';

// America/New_York in 2025: clocks go 02:00 EST -> 03:00 EDT on Sunday
// 9 March and 02:00 EDT -> 01:00 EST on Sunday 2 November.
const ny: PollCalendar = { ...DEFAULT_CALENDAR, timeZone: 'America/New_York' };
const at = (iso: string) => new Date(iso);
const iso = (date: Date | undefined) => date?.toISOString();

describe('business time in New York across daylight saving', () => {
  test('07:00 local is 12:00Z in winter and 11:00Z in summer', () => {
    assert.equal(isBusinessTime(ny, at('2025-03-07T11:59:59Z')), false);
    assert.equal(isBusinessTime(ny, at('2025-03-07T12:00:00Z')), true);
    assert.equal(isBusinessTime(ny, at('2025-03-10T10:59:59Z')), false);
    assert.equal(isBusinessTime(ny, at('2025-03-10T11:00:00Z')), true);
    // 22:00 EDT closes
    assert.equal(isBusinessTime(ny, at('2025-03-11T01:59:00Z')), true);
    assert.equal(isBusinessTime(ny, at('2025-03-11T02:00:00Z')), false);
  });

  test('Sunday is off by default', () => {
    assert.equal(isBusinessTime(ny, at('2025-03-09T16:00:00Z')), false);
  });

  test('the opening after the spring change is 11:00Z', () => {
    // Saturday 8 March 23:00 EST
    const now = at('2025-03-09T04:00:00Z');
    assert.equal(iso(nextOpenAt(ny, now)), '2025-03-10T11:00:00.000Z');
    const slow = { ...ny, offHoursIntervalSec: 172_800 };
    assert.equal(iso(nextPollAt(slow, now)), '2025-03-10T11:00:00.000Z');
    assert.equal(iso(nextPollAt(ny, now)), '2025-03-09T04:15:00.000Z');
  });

  test('the opening after the autumn change is 12:00Z', () => {
    // Saturday 1 November 22:30 EDT
    const now = at('2025-11-02T02:30:00Z');
    assert.equal(iso(nextOpenAt(ny, now)), '2025-11-03T12:00:00.000Z');
  });

  test('polls every minute in hours, and wakes at the opening', () => {
    assert.equal(
      iso(nextPollAt(ny, at('2025-03-10T15:00:00Z'))),
      '2025-03-10T15:01:00.000Z',
    );
    // 06:50 EDT: the opening at 07:00 comes before 07:05
    assert.equal(
      iso(nextPollAt(ny, at('2025-03-10T10:50:00Z'))),
      '2025-03-10T11:00:00.000Z',
    );
  });

  test('the daily sweep follows local 03:00 through the change', () => {
    assert.equal(
      iso(nextSweepAt(ny, at('2025-03-08T04:00:00Z'))),
      '2025-03-08T08:00:00.000Z',
    );
    assert.equal(
      iso(nextSweepAt(ny, at('2025-03-08T08:00:00Z'))),
      '2025-03-09T07:00:00.000Z',
    );
  });

  test('a sweep time skipped in spring runs just after the gap', () => {
    const cal = { ...ny, dailySweepAt: '02:30' };
    assert.equal(
      iso(nextSweepAt(cal, at('2025-03-09T05:00:00Z'))),
      '2025-03-09T07:30:00.000Z',
    );
  });

  test('a sweep time repeated in autumn runs once, at the first', () => {
    const cal = { ...ny, dailySweepAt: '01:30' };
    const first = nextSweepAt(cal, at('2025-11-02T04:00:00Z'));
    assert.equal(iso(first), '2025-11-02T05:30:00.000Z');
    assert.equal(iso(nextSweepAt(cal, first)), '2025-11-03T06:30:00.000Z');
  });

  test('hours past midnight belong to the day that opened them', () => {
    const bar = { ...ny, businessDays: [5], open: '18:00', close: '02:00' };
    // Saturday 01:00 EST, Friday's night
    assert.equal(isBusinessTime(bar, at('2025-11-08T06:00:00Z')), true);
    assert.equal(isBusinessTime(bar, at('2025-11-08T08:00:00Z')), false);
    // Friday 17:59 EST, not yet
    assert.equal(isBusinessTime(bar, at('2025-11-07T22:59:00Z')), false);
  });
});

describe('calendar settings', () => {
  test('blank settings take the defaults', () => {
    const cal = parseCalendar({
      open: '',
      close: undefined,
      businessDays: ' ',
    });
    assert.deepEqual(cal, DEFAULT_CALENDAR);
  });

  test('days, times and numbers as strings', () => {
    const cal = parseCalendar({
      timeZone: 'Europe/Paris',
      businessDays: 'Sat-Mon',
      open: '7:30',
      close: '24:00',
      businessIntervalSec: '30',
      offHoursIntervalSec: '600',
      dailySweepAt: '04:15',
      sweepHours: '48',
    });
    assert.deepEqual(cal, {
      timeZone: 'Europe/Paris',
      businessDays: [0, 1, 6],
      open: '07:30',
      close: '24:00',
      businessIntervalSec: 30,
      offHoursIntervalSec: 600,
      dailySweepAt: '04:15',
      sweepHours: 48,
    });
    assert.deepEqual(
      parseCalendar({ businessDays: 'mon,Wednesday,5' }).businessDays,
      [1, 3, 5],
    );
    assert.equal(parseCalendar({}, 'Asia/Tokyo').timeZone, 'Asia/Tokyo');
  });

  test('every problem is named in one error', () => {
    assert.throws(
      () =>
        parseCalendar({
          timeZone: 'Mars/Olympus',
          businessDays: 'Mon-Funday',
          open: '7am',
          businessIntervalSec: '0',
        }),
      (e: unknown) =>
        e instanceof CalendarError &&
        e.code === 'CALENDAR_INVALID' &&
        /timeZone "Mars\/Olympus" is not a known IANA time zone/.test(
          e.message,
        ) &&
        /businessDays "Funday" is not a day/.test(e.message) &&
        /open must be HH:MM/.test(e.message) &&
        /businessIntervalSec must be a whole number from 1/.test(e.message),
    );
    assert.throws(
      () => parseCalendar({ open: '08:00', close: '8:00' }),
      /must differ/,
    );
    assert.throws(
      () => parseCalendar({ dailySweepAt: '24:00' }),
      /dailySweepAt/,
    );
  });
});
