import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { localTime } from '../../lib/sync/zoned-time';

// localTime reads a zone's offset once per quarter hour; Intl read at
// every instant is the truth it must match, across daylight-saving
// changes and in zones whose offsets are not whole hours.

function truth(timeZone: string, at: number) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return {
    year: +parts.year,
    month: +parts.month,
    day: +parts.day,
    weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(
      parts.weekday,
    ),
    minutes: +parts.hour * 60 + +parts.minute,
  };
}

const ZONES = [
  'America/New_York',
  'Europe/London',
  'Australia/Lord_Howe', // a 30-minute daylight-saving shift
  'Asia/Kathmandu', // +05:45
  'Pacific/Chatham', // +12:45 / +13:45
  'America/St_Johns', // -03:30 / -02:30
  'UTC',
];

describe('localTime', () => {
  test('matches Intl every 47 minutes 13 seconds through 2026', () => {
    const start = Date.UTC(2026, 0, 1);
    const end = Date.UTC(2027, 0, 1);
    const step = 47 * 60_000 + 13_000;
    for (const zone of ZONES) {
      for (let at = start; at < end; at += step) {
        const got = localTime(zone, new Date(at));
        assert.deepEqual(
          got,
          truth(zone, at),
          `${zone} ${new Date(at).toISOString()}`,
        );
      }
    }
  });

  test('matches Intl the minute either side of each change in New York', () => {
    // 2026-03-08 07:00Z (02:00 EST -> 03:00 EDT), 2026-11-01 06:00Z
    for (const change of [Date.UTC(2026, 2, 8, 7), Date.UTC(2026, 10, 1, 6)]) {
      for (const at of [change - 60_000, change - 1, change, change + 60_000]) {
        assert.deepEqual(
          localTime('America/New_York', new Date(at)),
          truth('America/New_York', at),
        );
      }
    }
  });
});
