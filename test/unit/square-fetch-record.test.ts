import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SquareClient } from '../../lib/square/client';
import {
  customerRecord,
  recordsForEvent,
  refundRecord,
  saleRecordForOrder,
} from '../../lib/square/fetch-record';
import type { WebhookEvent } from '../../lib/square/types';
import { createSquareEmulator } from '../../sandbox/square/emulator';
import { GOLDEN, seedSummary } from '../../sandbox/seed/square-day';

const NOW = new Date('2025-06-12T12:00:00Z');
const opts = { now: () => NOW };

describe('SyncRecords from Square objects', () => {
  const emu = createSquareEmulator({
    seed: { date: '2025-06-10' },
    now: () => NOW,
  });
  let client: SquareClient;

  before(async () => {
    const base = await emu.start();
    client = new SquareClient({
      baseUrl: base,
      getAccessToken: async () => 'sqx3-demo-token',
    });
  });
  after(() => emu.stop());

  test('the golden sale: order, its payment, its location', async () => {
    const record = await saleRecordForOrder(
      client,
      GOLDEN.orderId,
      'poll',
      opts,
    );
    assert.ok(record);
    assert.equal(record.key, `sale:${GOLDEN.orderId}`);
    assert.equal(record.kind, 'sale');
    assert.equal(record.version, '4');
    assert.equal(record.source, 'poll');
    assert.equal(record.receivedAt, NOW.toISOString());
    assert.equal(record.square.order?.total_money?.amount, 3436);
    assert.deepEqual(
      record.square.payments?.map((p) => p.id),
      [GOLDEN.paymentId],
    );
    assert.equal(
      record.square.payments?.[0].processing_fee?.[0].amount_money?.amount,
      104,
    );
    assert.equal(record.square.location?.name, 'Harbour Street');
    assert.equal(record.square.customer, undefined);
  });

  test('an OPEN order and a return order give no sale record', async () => {
    const [openId] = seedSummary('2025-06-10').openOrderIds;
    assert.equal(await saleRecordForOrder(client, openId, 'poll'), null);
    assert.equal(
      await saleRecordForOrder(client, GOLDEN.itemisedReturnOrderId, 'poll'),
      null,
    );
    assert.equal(await saleRecordForOrder(client, 'UNKNOWN', 'poll'), null);
  });

  test('the itemised refund links return order, sale and payment', async () => {
    const record = await refundRecord(
      client,
      GOLDEN.itemisedRefundId,
      'poll',
      opts,
    );
    assert.ok(record);
    assert.equal(record.key, `refund:${GOLDEN.itemisedRefundId}`);
    assert.equal(record.version, record.square.refund?.updated_at);
    assert.equal(record.square.refund?.amount_money?.amount, 784);
    assert.equal(record.square.returnOrder?.id, GOLDEN.itemisedReturnOrderId);
    assert.equal(record.square.order?.id, GOLDEN.orderId);
    assert.equal(record.square.payments?.[0].id, GOLDEN.paymentId);
    assert.equal(record.square.location?.id, 'L1HARBOURST01');
  });

  test('the bare refund, given as an object', async () => {
    const refund = await client.getRefund(GOLDEN.bareRefundId);
    const record = await refundRecord(client, refund, 'webhook');
    assert.equal(
      record?.square.returnOrder?.returns?.[0].return_line_items?.[0].item_type,
      'CUSTOM_AMOUNT',
    );
    assert.equal(record?.square.order?.id, GOLDEN.orderId);
  });

  test('a PENDING refund gives no record until completed', async () => {
    const { refund } = emu.createRefund({
      paymentId: [...emu.store.payments.values()].find(
        (p) => p.source_type === 'CASH' && p.status === 'COMPLETED',
      )?.id as string,
      amount: 100,
      status: 'PENDING',
    });
    assert.equal(await refundRecord(client, refund.id, 'poll'), null);
    emu.completeRefund(refund.id);
    const record = await refundRecord(client, refund.id, 'poll');
    assert.equal(record?.square.refund?.status, 'COMPLETED');
    assert.equal(record?.square.refund?.destination_type, 'CASH');
  });

  test('customer records carry the version', async () => {
    const record = await customerRecord(
      client,
      '0SYVDPFS1YPY8BRHX1GHKE2IDX',
      'poll',
    );
    assert.equal(record?.key, 'customer:0SYVDPFS1YPY8BRHX1GHKE2IDX');
    assert.equal(record?.version, '0');
  });

  test('webhook events map to the records they point at', async () => {
    const events = emu.events() as unknown as WebhookEvent[];
    const payment = events.find(
      (e) => e.type === 'payment.updated' && e.data?.id === GOLDEN.paymentId,
    );
    assert.ok(payment);
    const sale = await recordsForEvent(client, payment);
    assert.deepEqual(
      sale.map((r) => r.key),
      [`sale:${GOLDEN.orderId}`],
    );
    assert.equal(sale[0].source, 'webhook');

    const created = events.find(
      (e) => e.type === 'payment.created' && e.data?.id === GOLDEN.paymentId,
    );
    assert.equal(
      (created?.data?.object?.payment as { status: string }).status,
      'APPROVED',
    );

    const orderEvent = events.find(
      (e) => e.type === 'order.updated' && e.data?.id === GOLDEN.orderId,
    );
    assert.equal(orderEvent?.data?.type, 'order_updated');
    const fromOrder = await recordsForEvent(client, orderEvent!);
    assert.equal(fromOrder[0].key, `sale:${GOLDEN.orderId}`);

    const refundEvent = events.find(
      (e) => e.type === 'refund.updated' && e.data?.id === GOLDEN.bareRefundId,
    );
    const refunds = await recordsForEvent(client, refundEvent!);
    assert.equal(refunds[0].key, `refund:${GOLDEN.bareRefundId}`);

    const customer = await recordsForEvent(client, {
      type: 'customer.updated',
      event_id: 'e1',
      data: { type: 'customer', id: '0SYVDPFS1YPY8BRHX1GHKE2IDX' },
    });
    assert.equal(customer[0].kind, 'customer');
    const other = await recordsForEvent(client, {
      type: 'inventory.count.updated',
      event_id: 'e2',
    });
    assert.deepEqual(other, []);
  });
});
