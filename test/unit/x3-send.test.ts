import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exchange } from '../../lib/x3/http';
import { X3Error } from '../../lib/x3/errors';

// X3 calls go over Node's http module, not fetch: bodies with accents
// arrive whole, answers' headers read by name, connections are reused,
// and a connection dropped mid-answer is a retryable network error, never
// a short answer taken for a whole one.

describe('X3 calls over Node http', () => {
  let url = '';
  let connections = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      if (req.url === '/drop') {
        res.writeHead(200, { 'content-length': '100' });
        res.write('{"data":');
        setTimeout(() => res.socket?.destroy(), 20);
        return;
      }
      res.writeHead(200, {
        'content-type': 'application/json',
        'X-Request-Id': 'r-1',
        'set-cookie': ['a=1', 'b=2'],
      });
      res.end(
        JSON.stringify({
          length: req.headers['content-length'],
          body,
        }),
      );
    });
  });
  server.on('connection', () => (connections += 1));

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

  test('a body with accents arrives whole, with its byte length', async () => {
    const body = JSON.stringify({
      city: 'São Paulo',
      name: 'Maria da Conceição',
    });
    const answer = await exchange(
      `${url}/echo`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body },
      { timeoutMs: 5000 },
    );
    assert.equal(answer.status, 200);
    const echoed = JSON.parse(answer.text) as { length: string; body: string };
    assert.equal(echoed.body, body);
    assert.equal(Number(echoed.length), Buffer.byteLength(body));
    assert.notEqual(Number(echoed.length), body.length);
  });

  test('headers are read by name, in any case; repeats joined', async () => {
    const answer = await exchange(`${url}/echo`, {}, { timeoutMs: 5000 });
    assert.equal(answer.headers.get('x-request-id'), 'r-1');
    assert.equal(answer.headers.get('X-Request-Id'), 'r-1');
    assert.equal(answer.headers.get('set-cookie'), 'a=1, b=2');
    assert.equal(answer.headers.get('retry-after'), null);
  });

  test('calls one after another share one connection', async () => {
    const before = connections;
    for (let i = 0; i < 20; i++) {
      await exchange(
        `${url}/echo`,
        { method: 'POST', body: `${i}` },
        {
          timeoutMs: 5000,
        },
      );
    }
    assert.ok(connections - before <= 1, `${connections - before} opened`);
  });

  test('a connection dropped mid-answer is a retryable network error', async () => {
    await assert.rejects(
      exchange(
        `${url}/drop`,
        { method: 'POST', body: '{}' },
        {
          timeoutMs: 5000,
        },
      ),
      (error: unknown) => {
        assert.ok(error instanceof X3Error);
        assert.equal(error.code, 'network');
        assert.equal(error.retryable, true);
        return true;
      },
    );
  });

  test('a URL that is neither http nor https is refused before sending', async () => {
    await assert.rejects(
      exchange('ftp://127.0.0.1/xtrem/api', {}, { timeoutMs: 5000 }),
      /neither http nor https/,
    );
  });
});
