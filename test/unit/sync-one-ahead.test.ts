import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { oneAhead } from '../../lib/sync/poller';

// The poll reads Square's next page while the flow takes the current one:
// one page ahead, never more, and a failed read still reaches the poll.

describe('oneAhead', () => {
  test('reads the next page while this one is used, one at most', async () => {
    const log: string[] = [];
    async function* pages() {
      for (let i = 1; i <= 3; i++) {
        log.push(`read ${i}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        yield i;
      }
    }
    const seen: number[] = [];
    for await (const page of oneAhead(pages())) {
      log.push(`use ${page}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
      seen.push(page);
    }
    assert.deepEqual(seen, [1, 2, 3]);
    assert.deepEqual(log, [
      'read 1',
      'read 2',
      'use 1',
      'read 3',
      'use 2',
      'use 3',
    ]);
  });

  test('a failed read surfaces when its page is asked for', async () => {
    async function* pages() {
      yield 1;
      throw new Error('Square said no');
    }
    const seen: number[] = [];
    await assert.rejects(async () => {
      for await (const page of oneAhead(pages())) seen.push(page);
    }, /Square said no/);
    assert.deepEqual(seen, [1]);
  });

  test('a consumer that stops early ends the source', async () => {
    let closed = false;
    async function* pages() {
      try {
        for (let i = 1; ; i++) yield i;
      } finally {
        closed = true;
      }
    }
    for await (const page of oneAhead(pages())) if (page === 2) break;
    assert.equal(closed, true);
  });
});
