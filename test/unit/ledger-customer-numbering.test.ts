import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { customerTag } from '../../lib/ledger/customer';
import { customerCode } from '../../lib/ledger/reference';
import type { Customer } from '../../lib/square/types';
import { Ledger } from '../../lib/store/ledger';
import { syncCustomer } from '../../lib/sync/customer-step';
import {
  recordKey,
  type CustomerEvent,
  type SyncRecord,
} from '../../lib/sync/record';
import { X3Error } from '../../lib/x3/errors';
import { X3Gateway, type X3GatewayOptions } from '../../lib/x3/gateway';
import { createX3Emulator } from '../../sandbox/x3/emulator';
import { SEED_SETUP } from '../../sandbox/x3/fixtures';
import { demoTokens, customerMapping } from './x3-demo';

// Customer rules against the X3 emulator and a real (in-memory) ledger:
// X3 numbering with the pair kept in the ledger, a create whose answer is
// lost found again by its tag, and deletions and merges in Square that
// leave every X3 customer in place with a note in the trail.

const emulator = createX3Emulator();
let baseUrl = '';
let ledger: Ledger;

function gateway(extra: Partial<X3GatewayOptions> = {}): X3Gateway {
  return new X3Gateway({
    baseUrl,
    endpoint: 'SEED',
    tokens: demoTokens(),
    setup: SEED_SETUP,
    backoff: { attempts: 1, baseMs: 1, maxMs: 5 },
    ...extra,
  });
}

const person = (id: string, given: string): Customer => ({
  id,
  given_name: given,
  family_name: 'Okafor',
  email_address: `${given.toLowerCase()}@example.com`,
  version: 1,
});

function customerRecord(
  customer: Customer,
  customerEvent?: CustomerEvent,
): SyncRecord {
  return {
    key: recordKey('customer', customer.id),
    kind: 'customer',
    version: String(customer.version ?? 1),
    source: 'webhook',
    square: { customer },
    receivedAt: '2026-03-14T15:00:00.000Z',
    ...(customerEvent ? { customerEvent } : {}),
  };
}

function saleRecord(orderId: string, customerId: string): SyncRecord {
  return {
    key: recordKey('sale', orderId),
    kind: 'sale',
    version: '1',
    source: 'webhook',
    square: {
      order: {
        id: orderId,
        location_id: 'L1HARBOURST01',
        customer_id: customerId,
      } as never,
    },
    receivedAt: '2026-03-14T15:00:00.000Z',
  };
}

const sync = (
  record: SyncRecord,
  x3 = gateway(),
  numbering: 'x3' | 'derived' = 'x3',
) => {
  ledger.receive(record);
  return syncCustomer(
    ledger,
    x3,
    record,
    customerMapping(
      record.square.customer?.id ?? record.square.order!.customer_id!,
    ),
    { numbering },
  );
};

const x3Customers = () => emulator.documents().customers;
const trailText = (key: string) =>
  ledger.trailOf(key).map((t) => `${t.stage}: ${t.detail}`);

before(async () => {
  baseUrl = await emulator.start(0, '127.0.0.1');
});
beforeEach(() => {
  emulator.reset();
  emulator.setFault({ kind: 'none' });
  ledger = Ledger.open(':memory:');
});
after(() => emulator.stop());

describe('X3 numbering', () => {
  const ada = person('ADA0000000000000000000000A', 'Ada');

  test('X3 gives the code; the ledger pairs it; later syncs update it', async () => {
    const before = x3Customers().length;
    const first = await sync(customerRecord(ada));
    assert.deepEqual(first, { code: 'CU0000001', action: 'created' });
    assert.equal(ledger.x3Customer(ada.id), 'CU0000001');

    const stored = x3Customers().filter((c) => c.code === 'CU0000001');
    assert.equal(stored.length, 1);
    assert.equal(stored[0].shortName, customerTag(ada.id));
    assert.equal(stored[0].shortName, 'SQ' + customerCode(ada.id).slice(2, 10));
    assert.equal(stored[0].companyName, 'Ada Okafor');

    const renamed = { ...ada, given_name: 'Adaeze', version: 2 };
    const second = await sync(customerRecord(renamed));
    assert.deepEqual(second, { code: 'CU0000001', action: 'updated' });
    assert.equal(x3Customers().length, before + 1);
    assert.equal(
      x3Customers().find((c) => c.code === 'CU0000001')?.companyName,
      'Adaeze Okafor',
    );
    assert.equal(
      x3Customers().find((c) => c.code === 'CU0000001')?.shortName,
      customerTag(ada.id),
    );

    const sale = await sync(saleRecord('ORDER-ADA-1', ada.id));
    assert.deepEqual(sale, { code: 'CU0000001', action: 'known' });
  });

  test('a sale naming a new customer creates it with the next X3 number', async () => {
    await sync(customerRecord(ada));
    const bo = person('BO00000000000000000000000B', 'Bo');
    const record = { ...saleRecord('ORDER-BO-1', bo.id) };
    record.square = { ...record.square, customer: bo };
    assert.deepEqual(await sync(record), {
      code: 'CU0000002',
      action: 'created',
    });
    assert.equal(ledger.x3Customer(bo.id), 'CU0000002');
  });

  test('a create whose answer is lost is found again, not made twice', async () => {
    const before = x3Customers().length;
    emulator.setFault({
      kind: 'commit-then-timeout',
      count: 1,
      closeAfterMs: 30,
    });
    const x3 = gateway({
      timeoutMs: 2000,
      backoff: { attempts: 3, baseMs: 1, maxMs: 5 },
    });
    const outcome = await sync(customerRecord(ada), x3);
    assert.equal(outcome.code, 'CU0000001');
    assert.equal(x3Customers().length, before + 1);
    assert.equal(ledger.x3Customer(ada.id), 'CU0000001');
  });

  test('after a run that gave up, the next run adopts the customer', async () => {
    const before = x3Customers().length;
    emulator.setFault({
      kind: 'commit-then-timeout',
      count: 1,
      closeAfterMs: 30,
    });
    await assert.rejects(
      sync(customerRecord(ada)),
      (error: X3Error) => error.retryable === true,
    );
    assert.equal(ledger.x3Customer(ada.id), undefined);
    assert.equal(x3Customers().length, before + 1);

    const again = await sync(customerRecord(ada));
    assert.deepEqual(again, { code: 'CU0000001', action: 'updated' });
    assert.equal(x3Customers().length, before + 1);
    assert.equal(ledger.x3Customer(ada.id), 'CU0000001');
  });

  test('the default stays the derived 15-character code', async () => {
    const outcome = await sync(customerRecord(ada), gateway(), 'derived');
    assert.deepEqual(outcome, {
      code: customerCode(ada.id),
      action: 'created',
    });
    const stored = x3Customers().find((c) => c.code === customerCode(ada.id));
    assert.equal(stored?.shortName, 'Ada Okafor'.slice(0, 10));
  });
});

describe('deletions and merges in Square', () => {
  const ann = person('ANN000000000000000000000AA', 'Ann');
  const ben = person('BEN000000000000000000000BB', 'Ben');
  const merged = person('MRG000000000000000000000CC', 'Annben');
  const merge = {
    from_customer_ids: [ann.id, ben.id],
    to_customer_id: merged.id,
  };

  test('customer.deleted: nothing sent to X3, the trail says it stays', async () => {
    await sync(customerRecord(ann));
    const count = x3Customers().length;
    const deleted = customerRecord({ ...ann, version: 2 }, { deleted: true });
    const outcome = await sync(deleted);
    assert.deepEqual(outcome, { code: 'CU0000001', action: 'kept' });
    assert.equal(x3Customers().length, count);
    assert.deepEqual(
      trailText(deleted.key).filter((t) => t.startsWith('customer-kept')),
      ['customer-kept: deleted in Square, kept in X3 as CU0000001'],
    );
    assert.equal(ledger.get(deleted.key)?.state, 'posted');
  });

  test('a merge: the new customer is made, the old ones stay and are flagged', async () => {
    await sync(customerRecord(ann));
    await sync(customerRecord(ben));
    const count = x3Customers().length;
    const note =
      `merged in Square into ${merged.id}: ` +
      'X3 customers CU0000001 and CU0000002 kept; review';

    const created = await sync(customerRecord(merged, { merge }));
    assert.deepEqual(created, { code: 'CU0000003', action: 'created' });
    assert.equal(ledger.x3Customer(merged.id), 'CU0000003');
    assert.deepEqual(
      trailText(recordKey('customer', merged.id)).filter((t) =>
        t.startsWith('customer-merged'),
      ),
      [`customer-merged: ${note}`],
    );

    for (const old of [ann, ben]) {
      const gone = customerRecord(
        { ...old, version: 2 },
        {
          deleted: true,
          merge,
        },
      );
      assert.equal((await sync(gone)).action, 'kept');
      assert.deepEqual(
        trailText(gone.key).filter((t) => t.startsWith('customer-merged')),
        [`customer-merged: ${note}`],
      );
      assert.equal(ledger.get(gone.key)?.state, 'posted');
      assert.equal(ledger.get(gone.key)?.detail, note);
    }
    assert.equal(x3Customers().length, count + 1);

    // sales of the old Square ids keep posting to their X3 customers
    assert.deepEqual(await sync(saleRecord('ORDER-ANN-9', ann.id)), {
      code: 'CU0000001',
      action: 'known',
    });
    assert.deepEqual(await sync(saleRecord('ORDER-BEN-9', ben.id)), {
      code: 'CU0000002',
      action: 'known',
    });
  });
});
