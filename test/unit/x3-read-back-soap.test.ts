import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { X3ReadBack } from '../../lib/x3/read-back';
import { seedX3 } from '../../sandbox/seed/x3-setup';
import { createX3Emulator } from '../../sandbox/x3/emulator';
import { demoGateway } from './x3-demo-gateway';

// Story: a site posts through classic SOAP with its SOAP user, but its
// connected app is wrong. Reconciliation reads X3 through GraphQL with
// that app, so its read is refused: the error says why a SOAP site meets
// GraphQL here. A GraphQL site keeps X3's own words.

const RANGE = { site: 'HARBOUR', from: '2026-12-01', to: '2026-12-01' };

const emulator = createX3Emulator();
let baseUrl = '';

before(async () => {
  seedX3(emulator);
  baseUrl = await emulator.start(0, '127.0.0.1');
});
after(() => emulator.stop());

describe('reading X3 back for reconciliation', () => {
  test('a SOAP site whose connected app X3 refuses is told why GraphQL', async () => {
    const read = X3ReadBack.of(
      demoGateway(baseUrl, 'soap', 'not-the-app-secret'),
    );
    await assert.rejects(read.invoices(RANGE), (error: Error) => {
      assert.match(
        error.message,
        /reconciliation reads X3 through its GraphQL/,
      );
      assert.match(error.message, /also when the config posts through SOAP/);
      return true;
    });
    await assert.rejects(read.entries(RANGE), /through its GraphQL API/);
  });

  test('a GraphQL site gets X3 refusal as it is', async () => {
    const read = X3ReadBack.of(
      demoGateway(baseUrl, 'graphql', 'not-the-app-secret'),
    );
    await assert.rejects(read.invoices(RANGE), (error: Error) => {
      assert.doesNotMatch(error.message, /SOAP/);
      return true;
    });
  });

  test('a SOAP site with a right connected app reads as any other', async () => {
    const read = X3ReadBack.of(demoGateway(baseUrl, 'soap'));
    assert.deepEqual(await read.invoices(RANGE), []);
  });
});
