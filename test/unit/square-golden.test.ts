import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createSquareEmulator } from '../../sandbox/square/emulator';
import {
  GOLDEN,
  RETURNING_CUSTOMER_IDS,
  returningCustomers,
  seedSummary,
} from '../../sandbox/seed/square-day';
import { apportion, percentOf } from '../../sandbox/square/money';
import type { Order } from '../../lib/square/types';

const DATE = '2025-06-10';
const NOW = () => new Date('2025-06-12T12:00:00Z');

const amount = (m: { amount?: number | null } | undefined) => m?.amount;

describe('Square arithmetic', () => {
  test('percentages round half up, parts add up', () => {
    assert.equal(percentOf(2160, '8.875'), 192);
    assert.equal(percentOf(720, '8.875'), 64);
    assert.equal(percentOf(200, '2.5'), 5);
    assert.deepEqual(apportion(320, [2400, 800]), [240, 80]);
    assert.deepEqual(apportion(1000, [2160, 720, 256]), [689, 229, 82]);
    assert.deepEqual(apportion(10, [1, 1, 1]), [4, 3, 3]);
  });
});

describe('the golden sale as the emulator computes it', () => {
  const emu = createSquareEmulator({ seed: { date: DATE }, now: NOW });
  const order = emu.store.orders.get(GOLDEN.orderId) as Order;
  const payment = emu.store.payments.get(GOLDEN.paymentId);

  test('lines, discount, tax, tip and total', () => {
    assert.equal(order.state, 'COMPLETED');
    assert.equal(order.location_id, 'L1HARBOURST01');
    const [beans, mug] = order.line_items ?? [];
    assert.equal(beans.catalog_object_id, 'VAR_BEANS_HOUSE');
    assert.equal(beans.quantity, '2');
    assert.equal(amount(beans.gross_sales_money), 2400);
    assert.equal(amount(beans.total_discount_money), 240);
    assert.equal(amount(beans.total_tax_money), 192);
    assert.equal(amount(mug.gross_sales_money), 800);
    assert.equal(amount(mug.total_discount_money), 80);
    assert.equal(amount(mug.total_tax_money), 64);
    assert.equal(amount(order.total_discount_money), 320);
    assert.equal(amount(order.total_tax_money), 256);
    assert.equal(amount(order.total_tip_money), 300);
    assert.equal(amount(order.total_money), 3436);
  });

  test('one VISA tender of 3436 whose id is the payment id, fee 104', () => {
    assert.equal(order.tenders?.length, 1);
    const tender = order.tenders?.[0];
    assert.equal(tender?.id, GOLDEN.paymentId);
    assert.equal(tender?.type, 'CARD');
    assert.equal(amount(tender?.amount_money), 3436);
    assert.equal(tender?.card_details?.card?.card_brand, 'VISA');
    assert.equal(payment?.status, 'COMPLETED');
    assert.equal(amount(payment?.amount_money), 3136);
    assert.equal(amount(payment?.tip_money), 300);
    assert.equal(amount(payment?.total_money), 3436);
    assert.equal(amount(payment?.processing_fee?.[0].amount_money), 104);
  });

  test('the itemised mug return: 784 back, tax 64, discount 80', () => {
    const refund = emu.store.refunds.get(GOLDEN.itemisedRefundId);
    assert.equal(refund?.status, 'COMPLETED');
    assert.equal(amount(refund?.amount_money), 784);
    assert.equal(refund?.order_id, GOLDEN.itemisedReturnOrderId);
    assert.equal(amount(refund?.processing_fee?.[0].amount_money), -24);
    const ret = emu.store.orders.get(GOLDEN.itemisedReturnOrderId) as Order;
    assert.equal(ret.returns?.[0].source_order_id, GOLDEN.orderId);
    const line = ret.returns?.[0].return_line_items?.[0];
    assert.equal(line?.source_line_item_uid, order.line_items?.[1].uid);
    assert.equal(line?.item_type, 'ITEM');
    assert.equal(amount(line?.total_money), 784);
    assert.equal(amount(ret.return_amounts?.tax_money), 64);
    assert.equal(amount(ret.return_amounts?.discount_money), 80);
    assert.equal(amount(ret.total_money), 0);
    assert.equal(ret.refunds?.[0].tender_id, GOLDEN.paymentId);
  });

  test('the bare 1000 refund is a CUSTOM_AMOUNT return', () => {
    const refund = emu.store.refunds.get(GOLDEN.bareRefundId);
    assert.equal(amount(refund?.amount_money), 1000);
    assert.equal(amount(refund?.processing_fee?.[0].amount_money), -30);
    const ret = emu.store.orders.get(GOLDEN.bareReturnOrderId) as Order;
    const line = ret.returns?.[0].return_line_items?.[0];
    assert.equal(line?.item_type, 'CUSTOM_AMOUNT');
    assert.equal(amount(ret.return_amounts?.total_money), 1000);
    assert.equal(amount(ret.return_amounts?.tax_money), 0);
    assert.equal(amount(payment?.refunded_money), 1784);
    assert.deepEqual(payment?.refund_ids, [
      GOLDEN.itemisedRefundId,
      GOLDEN.bareRefundId,
    ]);
  });

  test('the mug cannot be returned twice', () => {
    assert.throws(
      () =>
        emu.createRefund({
          paymentId: GOLDEN.paymentId,
          lines: [{ lineUid: order.line_items?.[1].uid as string }],
        }),
      /Cannot return 1 of 0/,
    );
  });
});

describe('the seeded day', () => {
  test('counts match the summary and the brief', () => {
    const summary = seedSummary(DATE);
    assert.equal(summary.completedOrders, 30);
    assert.equal(summary.openOrders, 1);
    assert.equal(summary.refunds, 2);
    assert.equal(summary.customers, 7);
    assert.equal(summary.returningCustomerIds.length, 4);
    assert.deepEqual(summary.returningCustomerIds, RETURNING_CUSTOMER_IDS);
    assert.equal(returningCustomers(DATE)[0].name, 'Maya Okafor');

    const emu = createSquareEmulator({
      seed: { date: DATE },
      reference: false,
      now: NOW,
    });
    const orders = [...emu.store.orders.values()];
    const sales = orders.filter((o) => o.line_items?.length);
    const completed = sales.filter((o) => o.state === 'COMPLETED');
    assert.equal(completed.length, 30);
    assert.deepEqual(
      completed.map((o) => o.id).sort(),
      [...summary.completedOrderIds].sort(),
    );
    assert.equal(sales.filter((o) => o.state === 'OPEN').length, 1);
    assert.equal(emu.store.refunds.size, 2);
    assert.equal(emu.store.customers.size, 7);
  });

  test('covers every tender kind, walk-ins, customers and a zero-tax seat', () => {
    const emu = createSquareEmulator({ seed: { date: DATE }, now: NOW });
    const sales = [...emu.store.orders.values()].filter(
      (o) =>
        o.line_items?.length &&
        o.state === 'COMPLETED' &&
        o.location_id.startsWith('L'),
    );
    const types = new Set(
      sales.flatMap((o) => o.tenders ?? []).map((t) => t.type),
    );
    assert.deepEqual([...types].sort(), ['CARD', 'CASH', 'SQUARE_GIFT_CARD']);
    const brands = new Set(
      sales
        .flatMap((o) => o.tenders ?? [])
        .map((t) => t.card_details?.card?.card_brand)
        .filter(Boolean),
    );
    assert.ok(brands.size >= 4, `brands: ${[...brands]}`);
    assert.ok(sales.some((o) => (o.tenders ?? []).length === 2));
    assert.ok(sales.some((o) => o.customer_id));
    assert.ok(sales.some((o) => !o.customer_id));
    assert.ok(sales.some((o) => amount(o.total_tip_money)));
    const seat = sales.find((o) =>
      o.line_items?.some((l) => l.catalog_object_id === 'VAR_BREW_CLASS'),
    );
    assert.equal(amount(seat?.total_tax_money), 0);
    assert.equal(amount(seat?.total_money), 2500);
    for (const o of sales) {
      const paid = (o.tenders ?? []).reduce(
        (a, t) => a + (amount(t.amount_money) ?? 0),
        0,
      );
      assert.equal(paid, amount(o.total_money), o.id);
    }
  });

  test('is deterministic: same date, same ids and amounts', () => {
    const a = createSquareEmulator({ seed: { date: DATE }, now: NOW });
    const b = createSquareEmulator({ seed: { date: DATE }, now: NOW });
    const digest = (e: typeof a) =>
      JSON.stringify(
        [...e.store.orders.values()]
          .map((o) => [o.id, amount(o.total_money), o.created_at])
          .sort(),
      );
    assert.equal(digest(a), digest(b));
    const c = createSquareEmulator({ seed: { date: '2025-06-11' }, now: NOW });
    assert.notEqual(digest(a), digest(c));
  });

  test('sales fall in New York business hours of the date', () => {
    const emu = createSquareEmulator({ seed: { date: DATE }, now: NOW });
    for (const o of emu.store.orders.values()) {
      if (!o.location_id.startsWith('L') || !o.created_at) continue;
      const t = Date.parse(o.created_at);
      assert.ok(t >= Date.parse('2025-06-10T12:00:00Z'), o.created_at);
      assert.ok(t <= Date.parse('2025-06-10T23:30:00Z'), o.created_at);
    }
  });
});
