import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createX3Emulator } from '../../sandbox/x3/emulator';
import { seedX3 } from '../../sandbox/seed/x3-setup';
import { SEED_SETUP, sampleInvoice } from '../../sandbox/x3/fixtures';
import { X3Gateway } from '../../lib/x3/gateway';
import { X3TokenManager } from '../../lib/x3/jwt-manager';

// /_emulator/stats counts classic SOAP calls by operation beside the
// GraphQL ones, so a user can see which transport posted the documents.

const DATE = '2026-03-14';
const emulator = createX3Emulator({
  openPeriods: [{ start: '2026-01-01', end: '2026-12-31' }],
});
let baseUrl = '';

before(async () => {
  seedX3(emulator);
  baseUrl = await emulator.start(0, '127.0.0.1');
});
after(() => emulator.stop());

test('SOAP calls are counted by operation', async () => {
  const x3 = new X3Gateway({
    baseUrl,
    endpoint: 'SEED',
    tokens: new X3TokenManager({ mode: 'basic', user: 'x', password: 'y' }),
    setup: SEED_SETUP,
    transport: 'soap',
    soap: { user: 'sqx3', password: 'sqx3-demo', poolAlias: 'SEED' },
  });
  const invoice = sampleInvoice('SOAPSTATS1', DATE);

  const stats = async () =>
    (await (await fetch(`${baseUrl}/_emulator/stats`)).json()) as {
      soapCalls: Record<string, number>;
      graphqlQueries: number;
      graphqlMutations: number;
    };
  const lookUps = (s: { soapCalls: Record<string, number> }) =>
    s.soapCalls.query + s.soapCalls.read;

  const number = await x3.postDocument(invoice);
  const posted = await stats();
  assert.equal(await x3.findDocument(invoice), number);
  const found = await stats();

  assert.deepEqual(Object.keys(found.soapCalls).sort(), [
    'delete',
    'modify',
    'query',
    'read',
    'save',
  ]);
  assert.equal(posted.soapCalls.save, 1);
  assert.ok(lookUps(found) > lookUps(posted), 'the look-up is counted');
  assert.equal(found.graphqlMutations + found.graphqlQueries, 0);
});
