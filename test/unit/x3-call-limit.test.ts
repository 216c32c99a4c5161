import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exchange, limitCalls } from '../../lib/x3/http';

// The cap on X3 calls in flight per X3 config: callers past it queue in
// order and are all answered; one whose deadline passes while queued
// never reaches the server.

describe('X3 calls in flight', () => {
  let url = '';
  let running = 0;
  let peak = 0;
  let served = 0;
  const server = http.createServer((req, res) => {
    running += 1;
    served += 1;
    peak = Math.max(peak, running);
    setTimeout(() => {
      running -= 1;
      res.writeHead(req.url === '/empty' ? 204 : 200);
      res.end(req.url === '/empty' ? undefined : `{"path":"${req.url}"}`);
    }, 30);
  });

  before(async () => {
    await new Promise<void>((resolve) =>
      server.listen(0, '127.0.0.1', resolve),
    );
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('at most the cap at once; every caller answered, none refused', async () => {
    peak = 0;
    const fetchLimited = limitCalls(3);
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        exchange(`${url}/call${i}`, { method: 'POST' }, 5000, fetchLimited),
      ),
    );
    assert.equal(peak, 3);
    assert.deepEqual(
      answers.map((a) => [a.status, JSON.parse(a.text).path]),
      answers.map((_, i) => [200, `/call${i}`]),
    );
    const empty = await exchange(`${url}/empty`, {}, 5000, fetchLimited);
    assert.deepEqual([empty.status, empty.text], [204, '']);
  });

  test('a caller timed out in the queue is never sent', async () => {
    const fetchLimited = limitCalls(1);
    const before = served;
    const results = await Promise.allSettled([
      exchange(`${url}/first`, {}, 5000, fetchLimited),
      exchange(`${url}/late`, {}, 10, fetchLimited),
      exchange(`${url}/third`, {}, 5000, fetchLimited),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    const late = results[1] as PromiseRejectedResult;
    assert.equal(late.reason.code, 'timeout');
    assert.equal(served - before, 2);
  });
});
