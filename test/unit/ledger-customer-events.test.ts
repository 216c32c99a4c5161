import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mergedNote, deletedNote } from '../../lib/ledger/customer-notes';
import { SquareApiError } from '../../lib/square/errors';
import { recordsForEvent } from '../../lib/square/fetch-record';
import type { Customer, WebhookEvent } from '../../lib/square/types';
import { Ledger } from '../../lib/store/ledger';

// customer.* webhook events into customer records: a deletion is built
// from the last state the event carries (Square no longer returns the
// customer) one version on, and a merge's context rides on the record.

const OLD_A = 'OLDA00000000000000000000AA';
const OLD_B = 'OLDB00000000000000000000BB';
const NEW_C = 'NEWC00000000000000000000CC';
const merge = { from_customer_ids: [OLD_A, OLD_B], to_customer_id: NEW_C };

function reader(customers: Customer[]) {
  const reads: string[] = [];
  const client = {
    reads,
    retrieveCustomer: async (id: string) => {
      reads.push(id);
      const found = customers.find((c) => c.id === id);
      if (!found) {
        throw new SquareApiError(404, {
          category: 'INVALID_REQUEST_ERROR',
          code: 'NOT_FOUND',
        });
      }
      return found;
    },
  };
  return client as typeof client & Parameters<typeof recordsForEvent>[0];
}

function event(
  type: string,
  id: string,
  object: Record<string, unknown>,
  deleted?: boolean,
): WebhookEvent {
  return {
    type,
    event_id: `evt-${type}-${id}`,
    created_at: '2026-03-14T15:00:00Z',
    data: {
      type: 'customer',
      id,
      ...(deleted ? { deleted: true } : {}),
      object,
    },
  };
}

const lastState = (id: string, version: number): Customer => ({
  id,
  given_name: 'Ann',
  family_name: 'Ode',
  version,
});

describe('customer webhook events', () => {
  test('customer.deleted: the last state, one version on, flagged', async () => {
    const client = reader([]);
    const records = await recordsForEvent(
      client,
      event('customer.deleted', OLD_A, { customer: lastState(OLD_A, 3) }, true),
    );
    assert.equal(records.length, 1);
    const [record] = records;
    assert.equal(record.key, `customer:${OLD_A}`);
    assert.equal(record.version, '4');
    assert.deepEqual(record.customerEvent, { deleted: true });
    assert.equal(record.square.customer?.given_name, 'Ann');
    assert.deepEqual(client.reads, []);

    // the ledger takes it as news after version 3 was posted
    const ledger = Ledger.open(':memory:');
    ledger.receive({ ...record, version: '3', customerEvent: undefined });
    assert.equal(ledger.receive(record).outcome, 'newer');
    assert.deepEqual(ledger.get(record.key)?.record?.customerEvent, {
      deleted: true,
    });
    ledger.close();
  });

  test('customer.deleted by a merge carries the merge', async () => {
    const records = await recordsForEvent(
      reader([]),
      event(
        'customer.deleted',
        OLD_B,
        { customer: lastState(OLD_B, 7), event_context: { merge } },
        true,
      ),
    );
    assert.equal(records[0].version, '8');
    assert.deepEqual(records[0].customerEvent, { deleted: true, merge });
  });

  test('customer.created by a merge: the new customer, read again', async () => {
    const fresh: Customer = { ...lastState(NEW_C, 1), given_name: 'Annie' };
    const client = reader([fresh]);
    const records = await recordsForEvent(
      client,
      event('customer.created', NEW_C, {
        customer: { ...fresh, given_name: 'stale' },
        event_context: { merge },
      }),
    );
    assert.deepEqual(client.reads, [NEW_C]);
    assert.equal(records[0].square.customer?.given_name, 'Annie');
    assert.equal(records[0].version, '1');
    assert.deepEqual(records[0].customerEvent, { merge });
  });

  test('a plain customer.updated carries no event flag', async () => {
    const records = await recordsForEvent(
      reader([lastState(OLD_A, 2)]),
      event('customer.updated', OLD_A, { customer: lastState(OLD_A, 2) }),
    );
    assert.equal(records[0].customerEvent, undefined);
  });
});

describe('trail notes', () => {
  test('exact words', () => {
    assert.equal(
      deletedNote('CU0000004'),
      'deleted in Square, kept in X3 as CU0000004',
    );
    assert.equal(
      mergedNote(merge, ['SQAAA', 'SQBBB']),
      `merged in Square into ${NEW_C}: X3 customers SQAAA and SQBBB kept; review`,
    );
    assert.equal(
      mergedNote({ ...merge, from_customer_ids: ['x', 'y', 'z'] }, [
        'A1',
        undefined,
        'C3',
      ]),
      `merged in Square into ${NEW_C}: X3 customers A1 and C3 kept; review`,
    );
    assert.equal(
      mergedNote(merge, [undefined, undefined]),
      `merged in Square into ${NEW_C}: no X3 customer to keep; review`,
    );
  });
});
