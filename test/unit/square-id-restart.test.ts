import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSquareEmulator } from '../../sandbox/square/emulator';
import type { Order, Payment } from '../../lib/square/types';

// Two starts of the emulator with the same seed date stand for a user who
// restarts it: the seeded day is the same, but a sale made after the
// seed gets ids no earlier start gave out, as real Square ids never repeat.

const DATE = '2025-06-10';
const NOW = new Date('2025-06-12T12:00:00Z');
const starts = [1, 2].map(() =>
  createSquareEmulator({ seed: { date: DATE }, now: () => NOW }),
);
const urls: string[] = [];

before(async () => {
  for (const emu of starts) urls.push(await emu.start(0, '127.0.0.1'));
});
after(() => Promise.all(starts.map((emu) => emu.stop())));

async function sale(url: string) {
  const res = await fetch(`${url}/_emulator/sales`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      locationId: 'L2MARKETSQ002',
      lines: [{ variationId: 'VAR_FILTERS', quantity: 1 }],
      tenders: [{ type: 'CARD', brand: 'VISA' }],
    }),
  });
  assert.equal(res.status, 200);
  return (await res.json()) as { order: Order; payments: Payment[] };
}

describe('Square emulator ids across restarts', () => {
  test('the seeded orders keep their ids', () => {
    const [first, second] = starts.map((emu) => [...emu.store.orders.keys()]);
    assert.ok(first.length > 10);
    assert.deepEqual(second, first);
  });

  test('a sale after the seed gets ids no other start gave out', async () => {
    const [first, second] = [await sale(urls[0]), await sale(urls[1])];

    assert.notEqual(first.order.id, second.order.id);
    assert.notEqual(first.payments[0].id, second.payments[0].id);
    assert.ok(!starts[0].store.orders.has(second.order.id));
    assert.ok(!starts[1].store.orders.has(first.order.id));
  });
});
