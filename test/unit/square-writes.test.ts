import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createSquareEmulator } from '../../sandbox/square/emulator';
import {
  checkAgainst,
  type OpenApiDoc,
} from '../../sandbox/square/openapi-check';
import { sharedFile } from './shared-dir';

// Square's write endpoints in the emulator, called over HTTP as a Square
// app calls them: each answer is checked against the OpenAPI response
// schema of its operation (when the spec is beside the checkout), and
// each state change and webhook is asserted.

const SPEC = sharedFile('reference/square-openapi.json');
const doc: OpenApiDoc | undefined = SPEC
  ? JSON.parse(fs.readFileSync(SPEC, 'utf8'))
  : undefined;
let checked = 0;

const EVENT_SCHEMAS: Record<string, string> = {
  'payment.created': 'PaymentCreatedEvent',
  'payment.updated': 'PaymentUpdatedEvent',
  'refund.created': 'RefundCreatedEvent',
  'refund.updated': 'RefundUpdatedEvent',
  'order.created': 'OrderCreatedEvent',
  'order.updated': 'OrderUpdatedEvent',
  'customer.created': 'CustomerCreatedEvent',
  'customer.updated': 'CustomerUpdatedEvent',
  'customer.deleted': 'CustomerDeletedEvent',
  'oauth.authorization.revoked': 'OauthAuthorizationRevokedEvent',
};

describe('emulator write endpoints', () => {
  const emu = createSquareEmulator({ seed: false, refundSettleMs: 20 });
  let base = '';
  const HARBOUR = 'L1HARBOURST01';
  let key = 0;
  const idem = () => `k-${++key}`;

  before(async () => {
    base = await emu.start();
  });
  after(() => emu.stop());

  async function call(
    method: string,
    path: string,
    schema: string,
    body?: unknown,
    status = 200,
  ) {
    const res = await fetch(base + path, {
      method,
      headers: {
        authorization: 'Bearer sqx3-demo-token',
        'content-type': 'application/json',
        'square-version': '2025-08-20',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json();
    assert.equal(
      res.status,
      status,
      `${method} ${path}: ${JSON.stringify(json)}`,
    );
    if (doc) {
      assert.deepEqual(checkAgainst(doc, schema, json), [], `${schema}`);
      checked += 1;
    }
    return json;
  }

  const usd = (amount: number) => ({ amount, currency: 'USD' });

  test('customers: create, update (null removes), version conflict, delete', async () => {
    const created = await call(
      'POST',
      '/v2/customers',
      'CreateCustomerResponse',
      {
        idempotency_key: 'cust-1',
        given_name: 'Ada',
        family_name: 'Lovelace',
        email_address: 'ada@example.test',
        note: 'first',
      },
    );
    const again = await call(
      'POST',
      '/v2/customers',
      'CreateCustomerResponse',
      {
        idempotency_key: 'cust-1',
        given_name: 'Ada',
        family_name: 'Lovelace',
        email_address: 'ada@example.test',
        note: 'first',
      },
    );
    assert.equal(again.customer.id, created.customer.id);
    assert.equal(emu.store.customers.size, 1);
    const reused = await call(
      'POST',
      '/v2/customers',
      'CreateCustomerResponse',
      {
        idempotency_key: 'cust-1',
        given_name: 'Grace',
      },
      400,
    );
    assert.equal(reused.errors[0].code, 'IDEMPOTENCY_KEY_REUSED');
    const empty = await call(
      'POST',
      '/v2/customers',
      'CreateCustomerResponse',
      { note: 'no name' },
      400,
    );
    assert.equal(empty.errors[0].code, 'MISSING_REQUIRED_PARAMETER');

    const id = created.customer.id;
    assert.equal(created.customer.version, 0);
    const updated = await call(
      'PUT',
      `/v2/customers/${id}`,
      'UpdateCustomerResponse',
      { version: 0, family_name: 'King', note: null },
    );
    assert.equal(updated.customer.family_name, 'King');
    assert.equal(updated.customer.note, undefined);
    assert.equal(updated.customer.version, 1);
    const stale = await call(
      'PUT',
      `/v2/customers/${id}`,
      'UpdateCustomerResponse',
      { version: 0, given_name: 'X' },
      409,
    );
    assert.equal(stale.errors[0].code, 'CONFLICT');

    await call('DELETE', `/v2/customers/${id}`, 'DeleteCustomerResponse');
    await call(
      'GET',
      `/v2/customers/${id}`,
      'RetrieveCustomerResponse',
      undefined,
      404,
    );
    const types = emu.events().map((e) => e.type);
    assert.deepEqual(types, [
      'customer.created',
      'customer.updated',
      'customer.deleted',
    ]);
    const deleted = emu.events()[2] as { data: { deleted?: boolean } };
    assert.equal(deleted.data.deleted, true);
  });

  test('an order paid by one card payment completes with its tender', async () => {
    const start = emu.events().length;
    const { order } = await call('POST', '/v2/orders', 'CreateOrderResponse', {
      idempotency_key: idem(),
      order: {
        location_id: HARBOUR,
        line_items: [
          { catalog_object_id: 'VAR_BEANS_HOUSE', quantity: '2' },
          { catalog_object_id: 'VAR_MUG', quantity: '1' },
        ],
        discounts: [
          {
            name: '10% off',
            percentage: '10',
            type: 'FIXED_PERCENTAGE',
            scope: 'ORDER',
          },
        ],
        pricing_options: { auto_apply_taxes: true },
      },
    });
    // the golden numbers: discount 240 + 80, tax 192 + 64
    assert.equal(order.state, 'OPEN');
    assert.deepEqual(
      order.line_items.map((l: any) => l.total_discount_money.amount),
      [240, 80],
    );
    assert.deepEqual(
      order.line_items.map((l: any) => l.total_tax_money.amount),
      [192, 64],
    );
    assert.equal(order.net_amount_due_money.amount, 3136);

    const short = await call(
      'POST',
      '/v2/payments',
      'CreatePaymentResponse',
      {
        idempotency_key: idem(),
        source_id: 'cnon:card-nonce-ok',
        amount_money: usd(3000),
        order_id: order.id,
      },
      400,
    );
    assert.equal(short.errors[0].code, 'PAYMENT_AMOUNT_MISMATCH');

    const body = {
      idempotency_key: 'pay-golden',
      source_id: 'cnon:card-nonce-ok',
      amount_money: usd(3136),
      tip_money: usd(300),
      order_id: order.id,
    };
    const { payment } = await call(
      'POST',
      '/v2/payments',
      'CreatePaymentResponse',
      body,
    );
    const replay = await call(
      'POST',
      '/v2/payments',
      'CreatePaymentResponse',
      body,
    );
    assert.equal(replay.payment.id, payment.id);
    assert.equal(payment.status, 'COMPLETED');
    assert.equal(payment.total_money.amount, 3436);
    assert.equal(payment.card_details.status, 'CAPTURED');
    assert.equal(payment.processing_fee[0].amount_money.amount, 99);

    const { order: done } = await call(
      'GET',
      `/v2/orders/${order.id}`,
      'RetrieveOrderResponse',
    );
    assert.equal(done.state, 'COMPLETED');
    assert.equal(done.total_money.amount, 3436);
    assert.equal(done.total_tip_money.amount, 300);
    assert.deepEqual(
      done.tenders.map((t: any) => [t.id, t.type, t.amount_money.amount]),
      [[payment.id, 'CARD', 3436]],
    );
    const types = emu
      .events()
      .slice(start)
      .map((e) => e.type);
    assert.deepEqual(types, [
      'order.created',
      'payment.created',
      'payment.updated',
      'order.updated',
    ]);
  });

  test('two tenders through PayOrder: delayed card + cash', async () => {
    const { order } = await call('POST', '/v2/orders', 'CreateOrderResponse', {
      idempotency_key: idem(),
      order: {
        location_id: HARBOUR,
        line_items: [
          { catalog_object_id: 'VAR_GRINDER', quantity: '1' },
          { name: 'Gift wrap', quantity: '1', base_price_money: usd(300) },
        ],
        taxes: [
          {
            catalog_object_id: 'TAX_NYC_SALES',
            name: 'NYC sales tax',
            percentage: '8.875',
            scope: 'ORDER',
          },
        ],
      },
    });
    const due = order.net_amount_due_money.amount;
    assert.equal(due, 4800 + 399 + 27);
    const { payment: card } = await call(
      'POST',
      '/v2/payments',
      'CreatePaymentResponse',
      {
        idempotency_key: idem(),
        source_id: 'cnon:card-nonce-ok',
        autocomplete: false,
        amount_money: usd(3000),
        order_id: order.id,
      },
    );
    assert.equal(card.status, 'APPROVED');
    assert.equal(card.card_details.status, 'AUTHORIZED');
    assert.equal(card.delay_action, 'CANCEL');
    const { payment: cash } = await call(
      'POST',
      '/v2/payments',
      'CreatePaymentResponse',
      {
        idempotency_key: idem(),
        source_id: 'CASH',
        autocomplete: false,
        amount_money: usd(due - 3000),
        order_id: order.id,
        cash_details: { buyer_supplied_money: usd(2500) },
      },
    );
    assert.equal(
      cash.cash_details.change_back_money.amount,
      2500 - (due - 3000),
    );

    const wrong = await call(
      'POST',
      `/v2/orders/${order.id}/pay`,
      'PayOrderResponse',
      {
        idempotency_key: idem(),
        payment_ids: [card.id],
      },
      400,
    );
    assert.equal(wrong.errors[0].code, 'PAYMENT_AMOUNT_MISMATCH');
    const { order: paid } = await call(
      'POST',
      `/v2/orders/${order.id}/pay`,
      'PayOrderResponse',
      {
        idempotency_key: idem(),
        payment_ids: [card.id, cash.id],
      },
    );
    assert.equal(paid.state, 'COMPLETED');
    assert.deepEqual(paid.tenders.map((t: any) => t.type).sort(), [
      'CARD',
      'CASH',
    ]);
    const { payment: captured } = await call(
      'GET',
      `/v2/payments/${card.id}`,
      'GetPaymentResponse',
    );
    assert.equal(captured.status, 'COMPLETED');
  });

  test('delayed capture: CompletePayment, CancelPayment; external payments', async () => {
    const { payment } = await call(
      'POST',
      '/v2/payments',
      'CreatePaymentResponse',
      {
        idempotency_key: idem(),
        source_id: 'cnon:card-nonce-ok',
        autocomplete: false,
        amount_money: usd(1500),
        location_id: HARBOUR,
        delay_duration: 'PT12H',
      },
    );
    assert.equal(payment.status, 'APPROVED');
    assert.equal(
      Date.parse(payment.delayed_until) - Date.parse(payment.created_at),
      12 * 3600e3,
    );
    const { payment: done } = await call(
      'POST',
      `/v2/payments/${payment.id}/complete`,
      'CompletePaymentResponse',
      { version_token: payment.version_token },
    );
    assert.equal(done.status, 'COMPLETED');
    const { order } = await call(
      'GET',
      `/v2/orders/${done.order_id}`,
      'RetrieveOrderResponse',
    );
    assert.equal(order.state, 'COMPLETED');
    assert.equal(order.line_items[0].item_type, 'CUSTOM_AMOUNT');
    const twice = await call(
      'POST',
      `/v2/payments/${payment.id}/complete`,
      'CompletePaymentResponse',
      {},
      400,
    );
    assert.equal(twice.errors[0].category, 'INVALID_REQUEST_ERROR');

    const { payment: held } = await call(
      'POST',
      '/v2/payments',
      'CreatePaymentResponse',
      {
        idempotency_key: idem(),
        source_id: 'cnon:card-nonce-ok',
        autocomplete: false,
        amount_money: usd(700),
        location_id: HARBOUR,
      },
    );
    const { payment: voided } = await call(
      'POST',
      `/v2/payments/${held.id}/cancel`,
      'CancelPaymentResponse',
      {},
    );
    assert.equal(voided.status, 'CANCELED');
    assert.equal(voided.card_details.status, 'VOIDED');

    const { payment: ext } = await call(
      'POST',
      '/v2/payments',
      'CreatePaymentResponse',
      {
        idempotency_key: idem(),
        source_id: 'EXTERNAL',
        amount_money: usd(900),
        location_id: HARBOUR,
        external_details: { type: 'CHECK', source: 'Cheque 1042' },
      },
    );
    assert.equal(ext.source_type, 'EXTERNAL');
    assert.equal(ext.processing_fee, undefined);
  });

  test('test nonces that fail answer PAYMENT_METHOD_ERROR with a FAILED payment', async () => {
    const cases: Record<string, string> = {
      'cnon:card-nonce-declined': 'GENERIC_DECLINE',
      'cnon:card-nonce-rejected-cvv': 'CVV_FAILURE',
      'cnon:card-nonce-rejected-postalcode': 'ADDRESS_VERIFICATION_FAILURE',
      'cnon:card-nonce-rejected-expiration': 'INVALID_EXPIRATION',
    };
    for (const [nonce, code] of Object.entries(cases)) {
      const res = await call(
        'POST',
        '/v2/payments',
        'CreatePaymentResponse',
        {
          idempotency_key: idem(),
          source_id: nonce,
          amount_money: usd(500),
          location_id: HARBOUR,
        },
        400,
      );
      assert.equal(res.errors[0].category, 'PAYMENT_METHOD_ERROR');
      assert.equal(res.errors[0].code, code);
      assert.equal(res.payment.status, 'FAILED');
    }
  });

  test('RefundPayment: partial, full, itemised through a return order', async () => {
    const sale = emu.createSale({
      locationId: HARBOUR,
      lines: [
        { variationId: 'VAR_BEANS_HOUSE', quantity: 2 },
        { variationId: 'VAR_MUG' },
      ],
      discountPercent: '10',
      tip: 300,
    });
    const paymentId = sale.payments[0].id;
    const start = emu.events().length;

    const { order: ret } = await call(
      'POST',
      '/v2/orders',
      'CreateOrderResponse',
      {
        idempotency_key: idem(),
        order: {
          location_id: HARBOUR,
          returns: [
            {
              source_order_id: sale.order.id,
              return_line_items: [
                {
                  source_line_item_uid: sale.order.line_items?.[1].uid,
                  quantity: '1',
                },
              ],
            },
          ],
        },
      },
    );
    assert.equal(ret.state, 'OPEN');
    assert.equal(ret.return_amounts.total_money.amount, 784);

    const { refund } = await call(
      'POST',
      '/v2/refunds',
      'RefundPaymentResponse',
      {
        idempotency_key: 'refund-mug',
        payment_id: paymentId,
        amount_money: usd(784),
        reason: 'chipped mug',
      },
    );
    assert.equal(refund.status, 'PENDING');
    assert.equal(refund.order_id, ret.id);
    const { refund: partial } = await call(
      'POST',
      '/v2/refunds',
      'RefundPaymentResponse',
      {
        idempotency_key: idem(),
        payment_id: paymentId,
        amount_money: usd(1000),
      },
    );
    assert.notEqual(partial.order_id, ret.id);
    const over = await call(
      'POST',
      '/v2/refunds',
      'RefundPaymentResponse',
      {
        idempotency_key: idem(),
        payment_id: paymentId,
        amount_money: usd(3436),
      },
      400,
    );
    assert.equal(over.errors[0].code, 'REFUND_AMOUNT_INVALID');
    const { refund: rest } = await call(
      'POST',
      '/v2/refunds',
      'RefundPaymentResponse',
      {
        idempotency_key: idem(),
        payment_id: paymentId,
        amount_money: usd(3436 - 784 - 1000),
      },
    );

    await new Promise((r) => setTimeout(r, 80));
    const { refund: settled } = await call(
      'GET',
      `/v2/refunds/${refund.id}`,
      'GetPaymentRefundResponse',
    );
    assert.equal(settled.status, 'COMPLETED');
    assert.ok(settled.processing_fee[0].amount_money.amount < 0);
    const { order: returned } = await call(
      'GET',
      `/v2/orders/${ret.id}`,
      'RetrieveOrderResponse',
    );
    assert.equal(returned.state, 'COMPLETED');
    assert.equal(returned.returns[0].return_line_items[0].item_type, 'ITEM');
    const { order: bare } = await call(
      'GET',
      `/v2/orders/${partial.order_id}`,
      'RetrieveOrderResponse',
    );
    assert.equal(
      bare.returns[0].return_line_items[0].item_type,
      'CUSTOM_AMOUNT',
    );
    const { payment } = await call(
      'GET',
      `/v2/payments/${paymentId}`,
      'GetPaymentResponse',
    );
    assert.equal(payment.refunded_money.amount, 3436);
    assert.deepEqual(payment.refund_ids, [refund.id, partial.id, rest.id]);

    const types = emu
      .events()
      .slice(start)
      .map((e) => String(e.type));
    assert.equal(types.filter((t) => t === 'refund.created').length, 3);
    assert.equal(types.filter((t) => t === 'refund.updated').length, 3);
  });

  test('OAuth: ObtainToken, RetrieveTokenStatus, RevokeToken', async () => {
    const post = async (
      path: string,
      body: unknown,
      headers: Record<string, string> = {},
    ) => {
      const res = await fetch(base + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
      return { status: res.status, json: await res.json() };
    };
    const { json: codeBody } = await post('/_emulator/oauth/codes', {});
    const token = await post('/oauth2/token', {
      client_id: 'sqx3-demo-app',
      client_secret: 'sqx3-demo-secret',
      grant_type: 'authorization_code',
      code: codeBody.code,
    });
    assert.equal(token.status, 200);
    const status = await post(
      '/oauth2/token/status',
      {},
      { authorization: `Bearer ${token.json.access_token}` },
    );
    assert.equal(status.status, 200);
    const wrong = await post(
      '/oauth2/revoke',
      { client_id: 'sqx3-demo-app', access_token: token.json.access_token },
      { authorization: 'Client nope' },
    );
    assert.equal(wrong.status, 401);
    const revoked = await post(
      '/oauth2/revoke',
      { client_id: 'sqx3-demo-app', access_token: token.json.access_token },
      { authorization: 'Client sqx3-demo-secret' },
    );
    assert.deepEqual(revoked.json, { success: true });
    const after = await post(
      '/oauth2/token/status',
      {},
      { authorization: `Bearer ${token.json.access_token}` },
    );
    assert.equal(after.status, 401);
    assert.equal(after.json.errors[0].code, 'ACCESS_TOKEN_REVOKED');
    if (doc) {
      for (const [schema, body] of [
        ['ObtainTokenResponse', token.json],
        ['RetrieveTokenStatusResponse', status.json],
        ['RevokeTokenResponse', revoked.json],
        ['RetrieveTokenStatusResponse', after.json],
      ] as const) {
        assert.deepEqual(checkAgainst(doc, schema, body), [], schema);
      }
    }
    const last = emu.events().at(-1) as { type: string; data: any };
    assert.equal(last.type, 'oauth.authorization.revoked');
    assert.equal(last.data.object.revocation.revoker_type, 'APPLICATION');
  });

  test(
    'every event so far matches its OpenAPI event schema',
    { skip: !doc },
    () => {
      const events = emu.events();
      for (const event of events) {
        const name = EVENT_SCHEMAS[String(event.type)];
        assert.ok(name, String(event.type));
        // Square's own customer.deleted example carries data.deleted, which
        // its schema does not declare: the emulator follows the example.
        const problems = checkAgainst(doc as OpenApiDoc, name, event).filter(
          (p) =>
            !(
              name === 'CustomerDeletedEvent' &&
              p === '$.data.deleted: not in the schema'
            ),
        );
        assert.deepEqual(problems, [], name);
      }
      assert.ok(checked > 35, `${checked} responses checked`);
    },
  );
});
