import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  advanceCursor,
  pollWindow,
  PollWindowError,
  sweepWindow,
} from '../../lib/sync/poll-window';

const now = new Date('2025-03-01T12:00:00.000Z');

test('a first run reads the last 24 hours, or from backfillFrom', () => {
  assert.deepEqual(pollWindow(undefined, now), {
    begin: '2025-02-28T12:00:00.000Z',
    end: '2025-03-01T12:00:00.000Z',
  });
  assert.deepEqual(
    pollWindow(undefined, now, { backfillFrom: '2025-01-01T00:00:00Z' }),
    {
      begin: '2025-01-01T00:00:00.000Z',
      end: '2025-03-01T12:00:00.000Z',
    },
  );
});

test('later runs start the overlap before the cursor', () => {
  const cursor = '2025-03-01T11:59:00.000Z';
  assert.equal(pollWindow(cursor, now).begin, '2025-03-01T11:54:00.000Z');
  assert.equal(
    pollWindow(cursor, now, { overlapSec: 60, backfillFrom: '2025-01-01' })
      .begin,
    '2025-03-01T11:58:00.000Z',
  );
  assert.equal(
    pollWindow('2025-03-01T06:59:00-05:00', now, { overlapSec: 0 }).begin,
    '2025-03-01T11:59:00.000Z',
  );
});

test('a cursor ahead of the clock still gives a window', () => {
  const window = pollWindow('2025-03-01T13:00:00Z', now, { overlapSec: 300 });
  assert.deepEqual(window, {
    begin: '2025-03-01T11:55:00.000Z',
    end: '2025-03-01T12:00:00.000Z',
  });
});

test('a broken cursor is an error, not a silent full rescan', () => {
  assert.throws(() => pollWindow('yesterday', now), PollWindowError);
  assert.throws(
    () => pollWindow(undefined, now, { backfillFrom: 'soon' }),
    /backfillFrom/,
  );
});

test('the cursor moves to the window end and never back', () => {
  const window = pollWindow('2025-03-01T11:59:00Z', now);
  assert.equal(advanceCursor(undefined, window), '2025-03-01T12:00:00.000Z');
  assert.equal(
    advanceCursor('2025-03-01T11:59:00Z', window),
    '2025-03-01T12:00:00.000Z',
  );
  assert.equal(
    advanceCursor('2025-03-01T12:30:00Z', window),
    '2025-03-01T12:30:00.000Z',
  );
});

test('the sweep reads the last N hours', () => {
  assert.deepEqual(sweepWindow(now, 72), {
    begin: '2025-02-26T12:00:00.000Z',
    end: '2025-03-01T12:00:00.000Z',
  });
  assert.throws(() => sweepWindow(now, 0), PollWindowError);
});
