import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseReplay } from '../../lib/sync/replay';

describe('replay commands', () => {
  test('a key, a state and a date range are understood', () => {
    assert.deepEqual(parseReplay('sale:O1'), { key: 'sale:O1' });
    assert.deepEqual(parseReplay({ state: 'held' }), { state: 'held' });
    assert.deepEqual(parseReplay({ from: '2026-12-01', to: '2026-12-03' }), {
      from: '2026-12-01',
      to: '2026-12-03',
    });
  });

  test('a range that runs backwards is refused, not replayed as empty', () => {
    assert.throws(
      () => parseReplay({ from: '2026-12-05', to: '2026-12-01' }),
      /runs backwards: 2026-12-05 is after 2026-12-01/,
    );
  });

  test('a range that is not made of dates is refused', () => {
    assert.throws(
      () => parseReplay({ from: 'yesterday', to: 'today' }),
      /dates, YYYY-MM-DD/,
    );
  });

  test('anything else names the commands it accepts', () => {
    assert.throws(() => parseReplay(42), /record key/);
  });
});
