import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { countBacklog, planBacklog, seedBacklog } from '../../bench/seed';
import { parseCpuTimes, parseMemoryMb } from '../../bench/proc';
import { percentiles } from '../../bench/webhook';
import { createSquareEmulator } from '../../sandbox/square/emulator';

describe('benchmark backlog', () => {
  const end = new Date('2026-11-20T12:00:00Z');

  test('plans 5 % refunds, mixed tenders and customers, all in the past', () => {
    const plan = planBacklog(1000, end);
    const counts = countBacklog(plan);
    assert.equal(counts.sales, 1000);
    assert.equal(counts.refunds, 50);
    assert.equal(counts.itemisedRefunds, 25);
    assert.equal(counts.records, 1000 + 50 + counts.customers);
    assert.ok(counts.customers >= 50, `${counts.customers} customers`);
    assert.deepEqual(Object.keys(counts.tenders).sort(), [
      'CARD',
      'CASH',
      'SPLIT(CARD+CASH)',
      'SQUARE_GIFT_CARD',
    ]);
    const times = [
      ...plan.sales.map((s) => s.at ?? ''),
      ...plan.refunds.map((r) => r.at),
    ].map(Date.parse);
    assert.ok(Math.max(...times) < end.getTime());
    assert.ok(Math.min(...times) > Date.parse(plan.from));
  });

  test('the same size gives the same plan', () => {
    assert.deepEqual(planBacklog(200, end), planBacklog(200, end));
  });

  test('seeds the Square emulator with every sale and refund', () => {
    const square = createSquareEmulator({ seed: false, reference: false });
    const plan = planBacklog(200, end);
    seedBacklog(square, plan);
    const refunds = [...square.store.refunds.values()];
    assert.equal(refunds.length, 10);
    const orders = [...square.store.orders.values()];
    // each refund brings its own return order
    assert.equal(orders.length, 210);
    assert.equal(square.store.customers.size, plan.customers.length);
  });
});

describe('benchmark measures', () => {
  test('reads CPU ticks from /proc/<pid>/stat, names with spaces too', () => {
    const stat =
      '42 (node red) S 1 42 42 0 -1 4194560 100 0 0 0 ' +
      '250 75 0 0 20 0 11 0 1000 123456 789';
    assert.deepEqual(parseCpuTimes(stat), {
      total: 3250,
      user: 2500,
      system: 750,
    });
  });

  test('reads peak and current RSS from /proc/<pid>/status', () => {
    const status = 'Name:\tnode\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\n';
    assert.deepEqual(parseMemoryMb(status), { peakRss: 200, rss: 100 });
  });

  test('percentiles take the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    assert.deepEqual(percentiles(values), { median: 50, p99: 99, max: 100 });
  });
});
