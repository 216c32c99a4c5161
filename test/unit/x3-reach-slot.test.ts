import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CallLimit, exchange } from '../../lib/x3/http';
import { X3Reach } from '../../lib/x3/reach';
import { closedPort } from './closed-port';

// A call that times out waiting for a call slot never reached X3: X3 is
// busy answering the calls ahead of it, so it is not "not answering".

describe('X3 reach and the call-slot wait', () => {
  let url = '';
  const server = http.createServer((req, res) => {
    setTimeout(() => res.end('{}'), 300);
  });

  before(async () => {
    await new Promise<void>((resolve) =>
      server.listen(0, '127.0.0.1', resolve),
    );
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  test('a slot wait past the deadline is not X3 not answering', async () => {
    const heard: (string | undefined)[] = [];
    const reach = new X3Reach((problem) => heard.push(problem));
    const callLimit = new CallLimit(1);
    const slow = exchange(url, {}, { timeoutMs: 2000, callLimit, reach });
    await assert.rejects(
      exchange(url, {}, { timeoutMs: 50, callLimit, reach }),
      { code: 'timeout' },
    );
    assert.deepEqual(heard, [], 'X3 was never asked');
    assert.equal(reach.trouble, undefined);
    assert.equal((await slow).status, 200);
    assert.deepEqual(heard, []);
  });

  test('many concurrent refused calls report once, one answer clears', async () => {
    const heard: (string | undefined)[] = [];
    const reach = new X3Reach((problem) => heard.push(problem));
    const callLimit = new CallLimit(4);
    const dead = `http://127.0.0.1:${await closedPort()}/`;
    const calls = Array.from({ length: 40 }, () =>
      exchange(dead, {}, { timeoutMs: 2000, callLimit, reach }).catch(
        (e: Error) => e,
      ),
    );
    await Promise.all(calls);
    assert.equal(heard.length, 1);
    await exchange(url, {}, { timeoutMs: 2000, callLimit, reach });
    assert.deepEqual(heard.slice(1), [undefined]);
  });
});
