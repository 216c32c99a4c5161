import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CallLimit, exchange, FetchLike } from '../../lib/x3/http';

// The cap on X3 calls in flight per X3 config: callers past it queue in
// order and are all answered; one whose deadline passes while queued
// never reaches the server. The deadline covers the answer's body too.

describe('X3 calls in flight', () => {
  let url = '';
  let running = 0;
  let peak = 0;
  let served = 0;
  const arrivals: { path: string; at: number }[] = [];
  const server = http.createServer((req, res) => {
    running += 1;
    served += 1;
    peak = Math.max(peak, running);
    arrivals.push({ path: req.url ?? '', at: performance.now() });
    if (req.url?.startsWith('/slow-body')) {
      // headers at once, the body's end only after 250 ms
      res.writeHead(200);
      res.write('{"path":');
      setTimeout(() => {
        running -= 1;
        res.end(`"${req.url}"}`);
      }, 250);
      return;
    }
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
  after(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test('at most the cap at once; every caller answered, none refused', async () => {
    peak = 0;
    const callLimit = new CallLimit(3);
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        exchange(
          `${url}/call${i}`,
          { method: 'POST' },
          { timeoutMs: 5000, callLimit },
        ),
      ),
    );
    assert.equal(peak, 3);
    assert.deepEqual(
      answers.map((a) => [a.status, JSON.parse(a.text).path]),
      answers.map((_, i) => [200, `/call${i}`]),
    );
    const empty = await exchange(
      `${url}/empty`,
      {},
      {
        timeoutMs: 5000,
        callLimit,
      },
    );
    assert.deepEqual([empty.status, empty.text], [204, '']);
  });

  test('callers past the cap wait, and go in the order they came', async () => {
    peak = 0;
    const sent: string[] = [];
    const recording: FetchLike = (input, init) => {
      sent.push(String(input).slice(url.length));
      return fetch(input, init);
    };
    const callLimit = new CallLimit(2);
    const paths = ['/a', '/b', '/c', '/d', '/e'];
    await Promise.all(
      paths.map((path) =>
        exchange(
          `${url}${path}`,
          {},
          {
            timeoutMs: 5000,
            fetch: recording,
            callLimit,
          },
        ),
      ),
    );
    assert.equal(peak, 2);
    assert.deepEqual(sent, paths);
  });

  test('a caller timed out in the queue is never sent', async () => {
    const callLimit = new CallLimit(1);
    const before = served;
    const results = await Promise.allSettled([
      exchange(`${url}/first`, {}, { timeoutMs: 5000, callLimit }),
      exchange(`${url}/late`, {}, { timeoutMs: 10, callLimit }),
      exchange(`${url}/third`, {}, { timeoutMs: 5000, callLimit }),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    const late = results[1] as PromiseRejectedResult;
    assert.equal(late.reason.code, 'timeout');
    assert.equal(served - before, 2);
    assert.ok(!arrivals.some((a) => a.path === '/late'));
  });

  test('the slot is held until the body is read in full', async () => {
    const callLimit = new CallLimit(1);
    const from = arrivals.length;
    const [slow] = await Promise.all([
      exchange(`${url}/slow-body-held`, {}, { timeoutMs: 5000, callLimit }),
      exchange(`${url}/after-slow`, {}, { timeoutMs: 5000, callLimit }),
    ]);
    assert.equal(JSON.parse(slow.text).path, '/slow-body-held');
    const [first, second] = arrivals.slice(from);
    assert.equal(second.path, '/after-slow');
    assert.ok(second.at - first.at >= 240, `${second.at - first.at} ms`);
  });

  test('a body still coming at the deadline is a retryable timeout', async () => {
    const callLimit = new CallLimit(1);
    const started = performance.now();
    const [slow, next] = await Promise.allSettled([
      exchange(`${url}/slow-body-late`, {}, { timeoutMs: 60, callLimit }),
      exchange(`${url}/next`, {}, { timeoutMs: 5000, callLimit }),
    ]);
    assert.equal(slow.status, 'rejected');
    const reason = (slow as PromiseRejectedResult).reason;
    assert.equal(reason.code, 'timeout');
    assert.equal(reason.retryable, true);
    // the slot came free with the timeout, not with the body's end
    assert.equal(next.status, 'fulfilled');
    assert.ok(performance.now() - started < 220);
  });

  test('no server is a retryable network error', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) =>
      closed.listen(0, '127.0.0.1', resolve),
    );
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await assert.rejects(
      exchange(`http://127.0.0.1:${port}/`, {}, { timeoutMs: 5000 }),
      (error: { code?: string; retryable?: boolean }) =>
        error.code === 'network' && error.retryable === true,
    );
  });
});
