import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exchange, statusError } from '../../lib/x3/http';

// A server that answers a document write with a redirect: the write is
// not followed there (fetch would resend it as a GET), and the error
// says where the server pointed.

describe('X3 answering with a redirect', () => {
  let url = '';
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    if (req.url === '/xtrem/api') {
      res.writeHead(302, { Location: '/elsewhere/api' });
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"data":{}}');
  });

  before(async () => {
    await new Promise<void>((resolve) =>
      server.listen(0, '127.0.0.1', resolve),
    );
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  test('is not followed, and fails for good naming the new address', async () => {
    const answer = await exchange(
      `${url}/xtrem/api`,
      { method: 'POST', body: '{"query":"mutation{}"}' },
      { timeoutMs: 2000 },
    );
    assert.equal(answer.status, 302);
    const error = statusError(answer, []);
    assert.ok(error);
    assert.equal(error.code, 'http');
    assert.equal(error.retryable, false);
    assert.match(error.message, /redirect to \/elsewhere\/api/);
    assert.deepEqual(seen, ['POST /xtrem/api']);
  });
});
