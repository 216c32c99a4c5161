import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { customerCode } from '../../lib/ledger/reference';
import type { Customer } from '../../lib/square/types';
import { Ledger } from '../../lib/store/ledger';
import {
  syncCustomer,
  type CustomerWriter,
} from '../../lib/sync/customer-step';
import { recordKey, type SyncRecord } from '../../lib/sync/record';
import { X3Gateway } from '../../lib/x3/gateway';
import { createX3Emulator } from '../../sandbox/x3/emulator';
import { SEED_SETUP } from '../../sandbox/x3/fixtures';
import { demoTokens, customerMapping } from './x3-demo';

// Several sales of one Square customer arrive at once (a busy till, a
// poll catching up): the customer step runs for each, and all but the
// first must find the first's write in the ledger instead of sending the
// same customer to X3 again. Different customers still go side by side.

const emulator = createX3Emulator();
let baseUrl = '';
let ledger: Ledger;

/** The gateway, counting customer writes in flight at once. */
function countingWriter(): CustomerWriter & { most: number } {
  const x3 = new X3Gateway({
    baseUrl,
    endpoint: 'SEED',
    tokens: demoTokens(),
    setup: SEED_SETUP,
    backoff: { attempts: 1, baseMs: 1, maxMs: 5 },
  });
  let now = 0;
  const writer = {
    most: 0,
    async upsertCustomer(...args: Parameters<X3Gateway['upsertCustomer']>) {
      now += 1;
      writer.most = Math.max(writer.most, now);
      try {
        return await x3.upsertCustomer(...args);
      } finally {
        now -= 1;
      }
    },
  };
  return writer;
}

const person = (id: string, given: string): Customer => ({
  id,
  given_name: given,
  family_name: 'Mensah',
  email_address: `${given.toLowerCase()}@example.com`,
  version: 1,
});

function saleRecord(orderId: string, customer: Customer): SyncRecord {
  return {
    key: recordKey('sale', orderId),
    kind: 'sale',
    version: '1',
    source: 'webhook',
    square: {
      order: {
        id: orderId,
        location_id: 'L1HARBOURST01',
        customer_id: customer.id,
      } as never,
      customer,
    },
    receivedAt: '2026-03-14T15:00:00.000Z',
  };
}

function customerRecord(customer: Customer): SyncRecord {
  return {
    key: recordKey('customer', customer.id),
    kind: 'customer',
    version: String(customer.version ?? 1),
    source: 'webhook',
    square: { customer },
    receivedAt: '2026-03-14T15:00:00.000Z',
  };
}

function syncAll(
  records: SyncRecord[],
  x3: CustomerWriter,
  numbering: 'x3' | 'derived',
) {
  for (const record of records) ledger.receive(record);
  return Promise.all(
    records.map((record) =>
      syncCustomer(
        ledger,
        x3,
        record,
        customerMapping(record.square.customer!.id),
        {
          numbering,
        },
      ),
    ),
  );
}

const writes = () => emulator.stats().graphqlMutations;
/** what the trail says a customer step did with X3 */
const customerLines = (key: string) =>
  ledger
    .trailOf(key)
    .filter((t) => /^customer-(created|updated|unchanged)$/.test(t.stage))
    .map((t) => `${t.stage}: ${t.detail}`);

before(async () => {
  baseUrl = await emulator.start(0, '127.0.0.1');
});
beforeEach(() => {
  emulator.reset();
  emulator.setFault({ kind: 'none' });
  ledger = Ledger.open(':memory:');
});
after(() => emulator.stop());

describe('steps for one Square customer take turns', () => {
  const kofi = person('KOFI00000000000000000000KK', 'Kofi');
  const sales = [1, 2, 3, 4].map((n) => saleRecord(`ORDER-KOFI-${n}`, kofi));

  test('four sales at once: one X3 customer write', async () => {
    const x3 = countingWriter();
    const before = writes();

    const outcomes = await syncAll(sales, x3, 'derived');

    const code = customerCode(kofi.id);
    assert.deepEqual(outcomes, [
      { code, action: 'created' },
      { code, action: 'known' },
      { code, action: 'known' },
      { code, action: 'known' },
    ]);
    assert.equal(writes() - before, 1);
    assert.equal(x3.most, 1);
    assert.deepEqual(customerLines(sales[0].key), [
      `customer-created: X3 customer ${code}`,
    ]);
    for (const sale of sales.slice(1)) {
      assert.deepEqual(customerLines(sale.key), []);
    }
  });

  test('X3 numbering: four sales at once create one customer', async () => {
    const x3 = countingWriter();
    const customers = emulator.documents().customers.length;
    const before = writes();

    const outcomes = await syncAll(sales, x3, 'x3');

    assert.deepEqual(
      outcomes.map((o) => o.action),
      ['created', 'known', 'known', 'known'],
    );
    assert.ok(outcomes.every((o) => o.code === 'CU0000001'));
    assert.equal(emulator.documents().customers.length, customers + 1);
    assert.equal(writes() - before, 1);
    assert.equal(ledger.x3Customer(kofi.id), 'CU0000001');
  });

  test("the customer's record beside its sale: sent once, then unchanged", async () => {
    const x3 = countingWriter();
    const record = customerRecord(kofi);
    const before = writes();

    const outcomes = await syncAll([sales[0], record], x3, 'derived');

    const code = customerCode(kofi.id);
    assert.deepEqual(outcomes, [
      { code, action: 'created' },
      { code, action: 'unchanged' },
    ]);
    assert.equal(writes() - before, 1);
    assert.deepEqual(customerLines(record.key), [
      `customer-unchanged: X3 customer ${code}`,
    ]);
  });
});

describe('X3 numbering and an unchanged customer', () => {
  test('the number X3 gave is what the next sync compares with', async () => {
    const lena = person('LENA00000000000000000000LL', 'Lena');
    const x3 = countingWriter();
    const before = writes();

    const [first] = await syncAll([saleRecord('ORDER-LENA-1', lena)], x3, 'x3');
    const [again] = await syncAll([customerRecord(lena)], x3, 'x3');

    assert.equal(first.action, 'created');
    // the same customer, now under X3's code: nothing to send
    assert.deepEqual(again, { code: first.code, action: 'unchanged' });
    assert.equal(writes() - before, 1);
  });
});

describe('different customers', () => {
  test('go to X3 side by side', async () => {
    // each X3 call takes a while: two writes overlap only if not queued
    emulator.setFault({ kind: 'latency', ms: 150 });
    const x3 = countingWriter();
    const ama = person('AMA000000000000000000000AA', 'Ama');
    const yaw = person('YAW000000000000000000000YY', 'Yaw');
    const before = writes();

    const outcomes = await syncAll(
      [saleRecord('ORDER-AMA-1', ama), saleRecord('ORDER-YAW-1', yaw)],
      x3,
      'derived',
    );

    assert.deepEqual(
      outcomes.map((o) => o.action),
      ['created', 'created'],
    );
    assert.equal(writes() - before, 2);
    assert.equal(x3.most, 2);
  });
});
