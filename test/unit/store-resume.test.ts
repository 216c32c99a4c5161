import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Ledger } from '../../lib/store/ledger';
import { unfinishedRecords } from '../../lib/sync/replay';
import type { SyncRecord } from '../../lib/sync/record';

// Story: Node-RED was killed with records half-way. On the next start,
// the records an earlier run left received, mapped or posting come round
// again as replays, with a trail line; settled records and records this
// run has touched since it started are left alone.

let clock = Date.parse('2025-03-01T12:00:00.000Z');
const now = () => new Date(clock);

function sale(id: string): SyncRecord {
  return {
    key: `sale:${id}`,
    kind: 'sale',
    version: '1',
    source: 'poll',
    square: { order: { id, location_id: 'L1', version: 1 } },
  } as SyncRecord;
}

test('records an earlier run left unfinished are resumed once', () => {
  const ledger = Ledger.open(':memory:', { now });
  const states = {
    R: [],
    M: ['mapped'],
    P: ['mapped', 'posting'],
    D: ['mapped', 'posting', 'posted'],
    H: ['held'],
    F: ['failed'],
  } as const;
  for (const [id, path] of Object.entries(states)) {
    ledger.receive(sale(id));
    for (const state of path) ledger.setState(`sale:${id}`, state);
  }
  clock += 60_000;
  const startedAt = now().toISOString();
  clock += 1000;
  ledger.receive(sale('NEW'));

  const resumed = [...unfinishedRecords(ledger, startedAt)];

  assert.deepEqual(resumed.map((r) => r.key).sort(), [
    'sale:M',
    'sale:P',
    'sale:R',
  ]);
  assert.ok(resumed.every((r) => r.source === 'replay'));
  assert.deepEqual(
    ledger.trailOf('sale:P').at(-1)?.detail,
    'left posting by an earlier run',
  );
  assert.equal(ledger.trailOf('sale:D').at(-1)?.stage, 'posted');
  assert.equal(ledger.trailOf('sale:NEW').length, 1);
  ledger.close();
});
