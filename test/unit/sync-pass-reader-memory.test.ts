import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { SquareClient } from '../../lib/square/client';
import type { Customer, Payment } from '../../lib/square/types';
import { PassReader } from '../../lib/sync/pass-reader';

// A backfill pass keeps every refunded payment its sale pages listed until
// the refund pages come: one more every twenty sales or so in a long
// backlog. What V8's heap keeps of them V8 multiplies when it sizes its
// heap (a 100,000-sale backlog's RSS grew with it), so it must stay small
// beside the JSON itself.

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const client = {
  getPayment: () => assert.fail('a remembered payment needs no GET'),
  retrieveCustomer: () => assert.fail('a remembered customer needs no GET'),
} as unknown as SquareClient;

function payment(i: number): Payment {
  return {
    id: `PAY${String(i).padStart(20, '0')}`,
    created_at: '2026-12-01T10:00:00.000Z',
    updated_at: '2026-12-01T10:05:00.000Z',
    amount_money: { amount: 1000 + i, currency: 'USD' },
    total_money: { amount: 1000 + i, currency: 'USD' },
    status: 'COMPLETED',
    source_type: 'CARD',
    location_id: 'L1',
    order_id: `ORD${i}`,
    receipt_url: `https://squareup.example/receipt/${'r'.repeat(40)}${i}`,
    card_details: {
      status: 'CAPTURED',
      card: { card_brand: 'VISA', last_4: '1111', fingerprint: 'f'.repeat(80) },
    },
    refund_ids: [`REF${i}`],
    note: 'n'.repeat(900),
  } as Payment;
}

function liveHeap(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

function customer(i: number): Customer {
  return {
    id: `CUST${String(i).padStart(22, '0')}`,
    created_at: '2026-12-01T10:00:00.000Z',
    updated_at: '2026-12-01T10:00:00.000Z',
    given_name: 'Ada',
    family_name: 'Lovelace',
    email_address: `ada${i}@example.invalid`,
    phone_number: '+15555550100',
    reference_id: `ref${i}`,
    version: 1,
  } as Customer;
}

describe('what one poll pass remembers', () => {
  const count = 4000;

  test('a refunded payment costs V8 heap a fraction of its JSON', async () => {
    const reader = new PassReader(client, []);
    const json = JSON.stringify(payment(1)).length;
    const before = liveHeap();
    for (let from = 0; from < count; from += 100) {
      reader.rememberPayments(
        Array.from({ length: 100 }, (_, k) => payment(from + k)),
      );
    }
    const perItem = (liveHeap() - before) / count;
    assert.ok(
      perItem < json / 3,
      `${Math.round(perItem)} B of heap per ${json} B payment`,
    );
    assert.deepEqual(await reader.getPayment(payment(7).id), payment(7));
  });

  test('a remembered customer reads back as it was', async () => {
    const reader = new PassReader(client, []);
    reader.rememberCustomers([customer(1), customer(2)]);
    assert.deepEqual(
      await reader.retrieveCustomer(customer(2).id),
      customer(2),
    );
  });
});
