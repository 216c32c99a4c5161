import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createSquareEmulator } from '../../sandbox/square/emulator';
import {
  checkAgainst,
  type OpenApiDoc,
} from '../../sandbox/square/openapi-check';
import { GOLDEN } from '../../sandbox/seed/square-day';
import { sharedFile } from './shared-dir';

const SPEC = sharedFile('reference/square-openapi.json') ?? '';
const skip = SPEC ? false : 'square-openapi.json not found beside the checkout';

describe('emulator responses match the OpenAPI schemas', { skip }, () => {
  const emu = createSquareEmulator({
    seed: { date: '2025-06-10' },
    now: () => new Date('2025-06-12T12:00:00Z'),
  });
  let base = '';
  let doc: OpenApiDoc;

  before(async () => {
    doc = JSON.parse(fs.readFileSync(SPEC, 'utf8'));
    base = await emu.start();
  });
  after(() => emu.stop());

  async function check(schema: string, p: string, body?: unknown) {
    const res = await fetch(base + p, {
      method: body ? 'POST' : 'GET',
      headers: {
        authorization: 'Bearer sqx3-demo-token',
        'content-type': 'application/json',
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    assert.equal(res.status, 200, p);
    const json = await res.json();
    assert.deepEqual(checkAgainst(doc, schema, json), [], `${schema} ${p}`);
    return json;
  }

  const all = ['L1HARBOURST01', 'L2MARKETSQ002', 'L3WEBSTORE003'];

  test('payments, orders, refunds, customers, locations', async () => {
    await check('ListLocationsResponse', '/v2/locations');
    await check('RetrieveLocationResponse', '/v2/locations/main');
    for (const l of all) {
      await check('ListPaymentsResponse', `/v2/payments?location_id=${l}`);
    }
    await check('GetPaymentResponse', `/v2/payments/${GOLDEN.paymentId}`);
    await check('ListPaymentRefundsResponse', '/v2/refunds');
    await check(
      'GetPaymentRefundResponse',
      `/v2/refunds/${GOLDEN.bareRefundId}`,
    );
    const search = await check('SearchOrdersResponse', '/v2/orders/search', {
      location_ids: all,
      query: { filter: { state_filter: { states: ['COMPLETED', 'OPEN'] } } },
    });
    assert.equal(search.orders.length, 33);
    await check(
      'RetrieveOrderResponse',
      `/v2/orders/${GOLDEN.itemisedReturnOrderId}`,
    );
    await check('ListCustomersResponse', '/v2/customers');
    await check('SearchCustomersResponse', '/v2/customers/search', {});
  });

  test('the checker reports a misspelt field and a float amount', () => {
    const bad = {
      payment: { id: 'x', amount_money: { amount: 1.5 }, stauts: 'X' },
    };
    assert.deepEqual(checkAgainst(doc, 'GetPaymentResponse', bad), [
      '$.payment.amount_money.amount: not an integer',
      '$.payment.stauts: not in the schema',
    ]);
  });

  test('webhook events match their event schemas', () => {
    const schemas: Record<string, string> = {
      'payment.created': 'PaymentCreatedEvent',
      'payment.updated': 'PaymentUpdatedEvent',
      'refund.created': 'RefundCreatedEvent',
      'refund.updated': 'RefundUpdatedEvent',
      'order.updated': 'OrderUpdatedEvent',
      'customer.created': 'CustomerCreatedEvent',
    };
    const events = emu.events();
    assert.ok(events.length > 90);
    for (const event of events) {
      const name = schemas[String(event.type)];
      assert.ok(name, String(event.type));
      assert.deepEqual(checkAgainst(doc, name, event), [], name);
    }
  });
});
