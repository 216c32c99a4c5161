import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRetryAfter } from '../../lib/sync/backoff';

// Retry-After as servers and proxies send it: seconds, an HTTP date, or a
// header sent twice and joined into one line.

describe('Retry-After', () => {
  const now = Date.parse('2026-12-05T02:00:00Z');

  test('seconds', () => {
    assert.equal(parseRetryAfter('7', now), 7000);
    assert.equal(parseRetryAfter('0', now), 0);
  });

  test('an HTTP date, its comma included', () => {
    assert.equal(parseRetryAfter('Sat, 05 Dec 2026 02:00:30 GMT', now), 30000);
  });

  test('sent twice and joined by a proxy: the first value', () => {
    assert.equal(parseRetryAfter('5, 5', now), 5000);
  });

  test('nothing usable: no wait of its own', () => {
    assert.equal(parseRetryAfter(undefined, now), undefined);
    assert.equal(parseRetryAfter('soon', now), undefined);
  });
});
