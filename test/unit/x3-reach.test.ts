import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exchange } from '../../lib/x3/http';
import { X3Reach } from '../../lib/x3/reach';
import { closedPort } from './closed-port';

// Whether X3 answers, as the X3 config node shows it on all its users:
// a call that meets no answer reports X3 not answering once, however many
// fail after it; the next answer, even an error status, reports it back.

describe('X3 reach', () => {
  let url = '';
  const server = http.createServer((req, res) => {
    if (req.url === '/silent') return; // never answers
    res.writeHead(req.url === '/busy' ? 503 : 200);
    res.end('{}');
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

  test('reports each change once, not each call', () => {
    const heard: (string | undefined)[] = [];
    const reach = new X3Reach((problem) => heard.push(problem));
    reach.answered();
    reach.unanswered('refused');
    reach.unanswered('refused again');
    assert.equal(reach.trouble, 'refused again');
    reach.answered();
    reach.answered();
    assert.deepEqual(heard, ['refused', undefined]);
  });

  test('a refused connection, a deadline, then an error status', async () => {
    const heard: (string | undefined)[] = [];
    const reach = new X3Reach((problem) => heard.push(problem));
    const dead = `http://127.0.0.1:${await closedPort()}/`;

    await assert.rejects(exchange(dead, {}, { timeoutMs: 2000, reach }), {
      code: 'network',
    });
    assert.equal(heard.length, 1);
    assert.match(heard[0] ?? '', /^X3 unreachable: .*ECONNREFUSED/);

    await assert.rejects(
      exchange(`${url}/silent`, {}, { timeoutMs: 50, reach }),
      { code: 'timeout' },
    );
    assert.match(reach.trouble ?? '', /did not answer within 50 ms/);
    assert.equal(heard.length, 1, 'still the same trouble');

    const busy = await exchange(`${url}/busy`, {}, { timeoutMs: 2000, reach });
    assert.equal(busy.status, 503);
    assert.deepEqual(heard.slice(1), [undefined]);
    assert.equal(reach.trouble, undefined);
  });
});
