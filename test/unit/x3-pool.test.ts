import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createX3Emulator } from '../../sandbox/x3/emulator';

// The latency fault's pool: X3 serves at most that many calls at once and
// queues the rest, as a web-service pool of that size does.

describe('X3 emulator web-service pool', () => {
  const x3 = createX3Emulator();
  let url = '';

  before(async () => {
    url = await x3.start(0, '127.0.0.1');
  });
  after(() => x3.stop());

  async function burst(calls: number): Promise<number> {
    const started = performance.now();
    const answers = await Promise.all(
      Array.from({ length: calls }, () =>
        fetch(`${url}/xtrem/api`, {
          method: 'POST',
          headers: { 'x-xtrem-endpoint': 'SEED' },
          body: '{}',
        }),
      ),
    );
    for (const res of answers) {
      assert.equal(res.status, 401);
      await res.text();
    }
    return performance.now() - started;
  }

  test('without a pool, calls wait the latency side by side', async () => {
    x3.setFault({ kind: 'latency', ms: 80 });
    const ms = await burst(6);
    // three rounds would take 240 ms at least
    assert.ok(ms >= 75 && ms < 235, `${ms} ms`);
  });

  test('a pool of 2 serves 6 calls in three rounds', async () => {
    x3.setFault({ kind: 'latency', ms: 80, pool: 2 });
    const ms = await burst(6);
    assert.ok(ms >= 235, `${ms} ms`);
  });

  test('the none fault lifts the pool', async () => {
    x3.setFault({ kind: 'none' });
    x3.setFault({ kind: 'latency', ms: 80 });
    const ms = await burst(6);
    assert.ok(ms < 235, `${ms} ms`);
  });
});
