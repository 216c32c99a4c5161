import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Ledger } from '../../lib/store/ledger';
import { InFlight } from '../../lib/sync/in-flight';
import type { SyncRecord } from '../../lib/sync/record';

// The poll's back-pressure on a real (in-memory) ledger: a record may be
// sent only while fewer than `max` sent ones are short of a final state.

function sale(id: string): SyncRecord {
  return {
    key: `sale:${id}`,
    kind: 'sale',
    version: '1',
    source: 'poll',
    square: { order: { id, location_id: 'L1' } },
    receivedAt: '2025-03-01T10:00:01Z',
  };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('records in flight between the poll and the write nodes', () => {
  test('waits for a final state, not for any state change', async () => {
    const ledger = Ledger.open(':memory:');
    const gate = new InFlight(ledger, 2);
    for (const id of ['A', 'B', 'C']) ledger.receive(sale(id));
    await gate.room();
    gate.add('sale:A');
    await gate.room();
    gate.add('sale:B');

    let open = false;
    const waiting = gate.room().then(() => (open = true));
    ledger.setState('sale:A', 'mapped');
    ledger.setState('sale:B', 'mapped');
    await tick();
    assert.equal(open, false);
    ledger.setState('sale:C', 'skipped'); // not one of those sent
    await tick();
    assert.equal(open, false);

    ledger.setState('sale:B', 'held');
    await waiting;
    assert.equal(gate.size, 1);
    gate.close();
    ledger.close();
  });

  test('a rolled-back state does not open the gate', async () => {
    const ledger = Ledger.open(':memory:');
    const gate = new InFlight(ledger, 1);
    ledger.receive(sale('R'));
    gate.add('sale:R');
    let open = false;
    const waiting = gate.room().then(() => (open = true));
    assert.throws(() =>
      ledger.atomically(() => {
        ledger.setState('sale:R', 'skipped');
        throw new Error('rolled back');
      }),
    );
    await tick();
    assert.equal(open, false);
    ledger.setState('sale:R', 'failed', 'X3 refused');
    await waiting;
    gate.close();
    ledger.close();
  });

  test('a flow that never moves what it gets is not held back', async () => {
    const ledger = Ledger.open(':memory:');
    const stalls: [number, boolean][] = [];
    const gate = new InFlight(ledger, 2, 30, (held, tracked) =>
      stalls.push([held, tracked]),
    );
    for (const id of ['1', '2', '3', '4', '5']) {
      ledger.receive(sale(id));
      await gate.room();
      gate.add(`sale:${id}`);
    }
    assert.deepEqual(stalls, [[2, false]]);
    assert.equal(gate.size, 0);
    gate.close();
    ledger.close();
  });

  test('a stuck flow is let through a batch at a time', async () => {
    const ledger = Ledger.open(':memory:');
    const stalls: [number, boolean][] = [];
    const gate = new InFlight(ledger, 2, 30, (held, tracked) =>
      stalls.push([held, tracked]),
    );
    for (const id of ['1', '2', '3', '4', '5']) {
      ledger.receive(sale(id));
      await gate.room();
      gate.add(`sale:${id}`);
      ledger.setState(`sale:${id}`, 'mapped');
    }
    assert.deepEqual(stalls, [
      [2, true],
      [2, true],
    ]);
    assert.equal(gate.size, 1);
    gate.close();
    ledger.close();
  });
});
