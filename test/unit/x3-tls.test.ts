import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { exchange } from '../../lib/x3/http';
import { X3Error } from '../../lib/x3/errors';

// X3 over HTTPS: the server's certificate is checked (a certificate no
// trusted authority signed is refused, never silently accepted), and a
// site whose X3 uses its own authority trusts it the way Node does, with
// NODE_EXTRA_CA_CERTS. The certificate in test/fixtures is self-signed
// for 127.0.0.1 and serves these tests only.

const fixtures = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures');
const cert = path.join(fixtures, 'x3-tls-cert.pem');
const key = path.join(fixtures, 'x3-tls-key.pem');

describe('X3 over HTTPS', () => {
  let url = '';
  const server = https.createServer(
    { cert: fs.readFileSync(cert), key: fs.readFileSync(key) },
    (req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ body }));
      });
    },
  );

  before(async () => {
    await new Promise<void>((resolve) =>
      server.listen(0, '127.0.0.1', resolve),
    );
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test('a certificate no trusted authority signed is refused', async () => {
    await assert.rejects(
      exchange(
        `${url}/xtrem/api`,
        { method: 'POST', body: '{}' },
        {
          timeoutMs: 5000,
        },
      ),
      (error: unknown) => {
        assert.ok(error instanceof X3Error);
        assert.equal(error.code, 'network');
        assert.match(error.message, /certificate/i);
        return true;
      },
    );
  });

  test("the site's own authority, given to Node, is trusted", async () => {
    const client = path.resolve(__dirname, '..', '..', 'lib', 'x3', 'http.js');
    const script =
      `require(${JSON.stringify(client)}).exchange(process.argv[1], ` +
      `{ method: 'POST', body: '{"city":"São Paulo"}' }, { timeoutMs: 5000 })` +
      `.then((a) => console.log(JSON.stringify([a.status, a.text])),` +
      ` (e) => { console.log(JSON.stringify(['error', e.message])); });`;
    const out = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        ['-e', script, `${url}/xtrem/api`],
        { env: { ...process.env, NODE_EXTRA_CA_CERTS: cert } },
        (error, stdout) => (error ? reject(error) : resolve(stdout)),
      ),
    );
    const [status, text] = JSON.parse(out) as [number, string];
    assert.equal(status, 200, text);
    assert.deepEqual(JSON.parse(text), { body: '{"city":"São Paulo"}' });
  });
});
