import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { X3Gateway } from '../../lib/x3/gateway';
import { X3TokenManager } from '../../lib/x3/jwt-manager';
import type { CustomerDoc } from '../../lib/ledger/types';
import { createX3Emulator } from '../../sandbox/x3/emulator';
import { SEED_SETUP } from '../../sandbox/x3/fixtures';
import { X3_SETUP } from '../../sandbox/seed/business';
import { seedX3 } from '../../sandbox/seed/x3-setup';

// upsertCustomer with what the ledger knows of the code: the X3 requests
// each case costs, as the emulator counts them.

describe('customer writes the ledger knows about', () => {
  const x3 = createX3Emulator();
  let gateway: X3Gateway;

  before(async () => {
    seedX3(x3, { customers: [{ code: 'SQ-HAND', name: 'Made by hand' }] });
    const baseUrl = await x3.start(0, '127.0.0.1');
    gateway = new X3Gateway({
      baseUrl,
      endpoint: 'SEED',
      setup: SEED_SETUP,
      tokens: new X3TokenManager({
        mode: 'connected-app',
        clientId: 'sqx3-demo-app',
        secret: 'sqx3-demo-jwt-secret',
        user: 'SQX3',
        validitySeconds: 600,
      }),
    });
  });
  after(() => x3.stop());

  function doc(code: string, name: string): CustomerDoc {
    return {
      type: 'customer',
      docKey: `customer:${code}#customer`,
      code,
      category: X3_SETUP.customerCategory,
      name,
      currency: 'USD',
      country: 'US',
    };
  }

  async function counted<T>(work: () => Promise<T>) {
    const before = x3.stats();
    const result = await work();
    const after = x3.stats();
    return {
      result,
      reads: after.graphqlQueries - before.graphqlQueries,
      writes: after.graphqlMutations - before.graphqlMutations,
    };
  }

  test('a new code: one create, no read; then unchanged: nothing', async () => {
    let marks = 0;
    const beforeWrite = () => void marks++;
    const first = await counted(() =>
      gateway.upsertCustomer(doc('SQ-NEW', 'Ada Lovelace'), { beforeWrite }),
    );
    assert.deepEqual([first.reads, first.writes, marks], [0, 1, 1]);
    assert.equal(first.result.created, true);
    assert.match(first.result.hash ?? '', /^[0-9a-f]{64}$/);

    const again = await counted(() =>
      gateway.upsertCustomer(doc('SQ-NEW', 'Ada Lovelace'), {
        hash: first.result.hash,
        state: 'written',
        beforeWrite,
      }),
    );
    assert.deepEqual([again.reads, again.writes, marks], [0, 0, 1]);
    assert.equal(again.result.unchanged, true);

    const renamed = await counted(() =>
      gateway.upsertCustomer(doc('SQ-NEW', 'Ada King'), {
        hash: first.result.hash,
        state: 'written',
        beforeWrite,
      }),
    );
    assert.deepEqual([renamed.reads, renamed.writes, marks], [0, 1, 2]);
    assert.equal(renamed.result.created, false);
    assert.notEqual(renamed.result.hash, first.result.hash);
    const stored = x3.documents().customers.find((c) => c.code === 'SQ-NEW');
    assert.equal(stored?.companyName, 'Ada King');
  });

  test('a code X3 has already: the refused create becomes an update', async () => {
    const run = await counted(() =>
      gateway.upsertCustomer(doc('SQ-HAND', 'Renamed'), {}),
    );
    assert.deepEqual([run.reads, run.writes], [0, 2]);
    assert.equal(run.result.created, false);
    const named = x3.documents().customers.filter((c) => c.code === 'SQ-HAND');
    assert.deepEqual(
      named.map((c) => c.companyName),
      ['Renamed'],
    );
  });

  test('an unanswered earlier write: read first, never a blind create', async () => {
    const run = await counted(() =>
      gateway.upsertCustomer(doc('SQ-LOST', 'Grace Hopper'), {
        state: 'writing',
      }),
    );
    assert.deepEqual([run.reads, run.writes], [1, 1]);
    assert.equal(run.result.created, true);
    const after = await counted(() =>
      gateway.upsertCustomer(doc('SQ-LOST', 'Grace Hopper'), {
        state: 'writing',
      }),
    );
    assert.deepEqual([after.reads, after.writes], [1, 1]);
    assert.equal(after.result.created, false);
    assert.equal(
      x3.documents().customers.filter((c) => c.code === 'SQ-LOST').length,
      1,
    );
  });
});
