import type { Money, Order, Payment, Tender } from '../../lib/square/types';
import { badRequest, fail, notFound } from './errors';
import { squareIds } from './ids';
import { money } from './money';
import { priceOrder } from './order-pricing';
import { itemisedLines, returnTaxesAndDiscounts, type Sums } from './refund';
import { clone, type SquareStore } from './store';

// CreateOrder and PayOrder as a Square app calls them. An order made
// through the API starts OPEN (order.created, with ids and state only);
// it becomes COMPLETED once its payments cover what it is due, which
// adds the tenders and fires order.updated. An order sent with returns
// is a return order waiting for its RefundPayment.

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};

export const API_SOURCE = 'Sqx3 emulator app';

function amounts(
  m: (n: number) => Money,
  total: number,
  tax: number,
  discount: number,
  tip: number,
) {
  return {
    total_money: m(total),
    tax_money: m(tax),
    discount_money: m(discount),
    tip_money: m(tip),
    service_charge_money: m(0),
  };
}

export function createOrder(store: SquareStore, body: Obj): Order {
  const spec = obj(body.order);
  const locationId = String(spec.location_id ?? '');
  const location = store.locations.get(locationId);
  if (!location) {
    badRequest(
      'NOT_FOUND',
      `Location ${locationId} not found.`,
      'order.location_id',
    );
  }
  const customerId =
    typeof spec.customer_id === 'string' ? spec.customer_id : undefined;
  if (customerId && !store.customers.has(customerId)) {
    badRequest(
      'NOT_FOUND',
      `Customer ${customerId} not found.`,
      'order.customer_id',
    );
  }
  const currency = location.currency ?? 'USD';
  const m = (n: number) => money(n, currency);
  const id = squareIds.order(store.ids.next('api-order'));
  const at = store.now().toISOString();
  const common = {
    id,
    location_id: locationId,
    ...(typeof spec.reference_id === 'string'
      ? { reference_id: spec.reference_id }
      : {}),
    source: { name: String(obj(spec.source).name ?? API_SOURCE) },
    ...(customerId ? { customer_id: customerId } : {}),
    created_at: at,
    updated_at: at,
    state: spec.state === 'DRAFT' ? 'DRAFT' : 'OPEN',
    version: 1,
  };

  let order: Order;
  if (Array.isArray(spec.returns) && spec.returns.length) {
    order = { ...common, ...returnPart(store, spec, id, m) };
  } else {
    const priced = priceOrder(spec, currency, id);
    const t = priced.totals;
    order = {
      ...common,
      line_items: priced.line_items,
      ...(priced.taxes.length ? { taxes: priced.taxes } : {}),
      ...(priced.discounts.length ? { discounts: priced.discounts } : {}),
      net_amounts: amounts(m, t.total, t.tax, t.discount, 0),
      total_money: m(t.total),
      total_tax_money: m(t.tax),
      total_discount_money: m(t.discount),
      total_tip_money: m(0),
      total_service_charge_money: m(0),
      net_amount_due_money: m(t.total),
    };
  }
  store.orders.set(id, order);
  store.emit('order.created', 'order', order);
  return clone(order);
}

/** An itemised return of a sale's lines, priced as Square prices it. */
function returnPart(
  store: SquareStore,
  spec: Obj,
  id: string,
  m: (n: number) => Money,
): Partial<Order> {
  const ret = obj((spec.returns as unknown[])[0]);
  const saleId = String(ret.source_order_id ?? '');
  const sale = store.orders.get(saleId);
  if (!sale || sale.state !== 'COMPLETED') {
    badRequest(
      'NOT_FOUND',
      `Sale order ${saleId} not found or not completed.`,
      'order.returns[0].source_order_id',
    );
  }
  const lines = (
    Array.isArray(ret.return_line_items) ? ret.return_line_items : []
  )
    .map(obj)
    .map((l) => ({
      lineUid: String(l.source_line_item_uid ?? ''),
      quantity: Number(l.quantity ?? 1),
    }));
  if (!lines.length) {
    badRequest(
      'MISSING_REQUIRED_PARAMETER',
      'return_line_items is empty.',
      'order.returns[0].return_line_items',
    );
  }
  const sums: Sums = { gross: 0, tax: 0, discount: 0 };
  const items = itemisedLines(
    store,
    sale,
    { paymentId: '', lines },
    id,
    m,
    sums,
  );
  const total = sums.gross - sums.discount + sums.tax;
  return {
    returns: [
      {
        uid: squareIds.uid(`${id}:return`),
        source_order_id: sale.id,
        return_line_items: items,
        ...returnTaxesAndDiscounts(sale, id, sums, m),
      },
    ],
    return_amounts: amounts(m, total, sums.tax, sums.discount, 0),
    net_amounts: amounts(m, -total, -sums.tax, -sums.discount, 0),
    total_money: m(0),
    total_tax_money: m(0),
    total_discount_money: m(0),
    total_tip_money: m(0),
    total_service_charge_money: m(0),
    net_amount_due_money: m(0),
  };
}

export function tenderFor(p: Payment): Tender {
  const card = p.card_details as Obj | undefined;
  const brand = obj(card?.card).card_brand;
  const type =
    p.source_type === 'CASH'
      ? 'CASH'
      : p.source_type === 'EXTERNAL'
        ? 'OTHER'
        : brand === 'SQUARE_GIFT_CARD'
          ? 'SQUARE_GIFT_CARD'
          : p.source_type === 'CARD'
            ? 'CARD'
            : 'OTHER';
  const cash = obj(p.cash_details);
  const fee = p.processing_fee?.[0]?.amount_money;
  return {
    id: p.id,
    location_id: p.location_id,
    transaction_id: p.order_id,
    created_at: p.created_at,
    amount_money: p.total_money,
    ...(p.tip_money?.amount ? { tip_money: p.tip_money } : {}),
    ...(fee ? { processing_fee_money: fee } : {}),
    ...(p.customer_id ? { customer_id: p.customer_id } : {}),
    type,
    ...(card
      ? {
          card_details: {
            status: card.status,
            card: card.card,
            entry_method: card.entry_method,
          } as Tender['card_details'],
        }
      : {}),
    ...(p.source_type === 'CASH'
      ? {
          cash_details: {
            buyer_tendered_money: cash.buyer_supplied_money,
            change_back_money: cash.change_back_money,
          },
        }
      : {}),
    payment_id: p.id,
  };
}

function paymentsOf(store: SquareStore, orderId: string, status: string) {
  return [...store.payments.values()]
    .filter((p) => p.order_id === orderId && p.status === status)
    .sort((a, b) => String(a.created_at).localeCompare(String(b.created_at)));
}

/** Completes an OPEN order once its completed payments cover it. */
export function closeOrderIfPaid(store: SquareStore, orderId: string): boolean {
  const order = store.orders.get(orderId);
  if (!order || order.state !== 'OPEN') return false;
  const paid = paymentsOf(store, orderId, 'COMPLETED');
  const covered = paid.reduce((a, p) => a + (p.amount_money?.amount ?? 0), 0);
  const due = (order.net_amount_due_money as Money | undefined)?.amount ?? 0;
  if (covered < due || paid.length === 0) return false;

  const currency = order.total_money?.currency ?? 'USD';
  const m = (n: number) => money(n, currency);
  const tip = paid.reduce((a, p) => a + (p.tip_money?.amount ?? 0), 0);
  const at = store.now().toISOString();
  const total = (order.total_money?.amount ?? 0) + tip;
  order.tenders = paid.map(tenderFor);
  order.total_tip_money = m(tip);
  order.total_money = m(total);
  order.net_amounts = amounts(
    m,
    total,
    order.total_tax_money?.amount ?? 0,
    order.total_discount_money?.amount ?? 0,
    tip,
  );
  order.net_amount_due_money = m(0);
  order.state = 'COMPLETED';
  order.closed_at = at;
  order.updated_at = at;
  order.version = (order.version ?? 0) + 1;
  store.emit('order.updated', 'order', order);
  return true;
}

export function openOrder(store: SquareStore, orderId: string): Order {
  const order = store.orders.get(orderId);
  if (!order) notFound('order', orderId);
  if (order.state !== 'OPEN') {
    badRequest(
      'BAD_REQUEST',
      `Order ${orderId} is ${order.state}, not OPEN.`,
      'order_id',
    );
  }
  return order;
}

/**
 * PayOrder: the payments (approved with autocomplete false, or already
 * completed) must add up to what the order is due; approved ones are
 * captured and the order completes.
 */
export function payOrder(
  store: SquareStore,
  orderId: string,
  body: Obj,
  capture: (payment: Payment) => void,
): Order {
  const order = openOrder(store, orderId);
  if (
    body.order_version !== undefined &&
    body.order_version !== order.version
  ) {
    fail(409, 'VERSION_MISMATCH', 'order_version is not the current version.');
  }
  const ids = Array.isArray(body.payment_ids)
    ? body.payment_ids.map(String)
    : [];
  const payments = ids.map((id) => {
    const p = store.payments.get(id);
    if (!p) notFound('payment', id);
    if (p.order_id !== orderId) {
      badRequest(
        'INVALID_VALUE',
        `Payment ${id} is not for order ${orderId}.`,
        'payment_ids',
      );
    }
    if (p.status !== 'APPROVED' && p.status !== 'COMPLETED') {
      badRequest('BAD_REQUEST', `Payment ${id} is ${p.status}.`, 'payment_ids');
    }
    return p;
  });
  const covered = payments.reduce(
    (a, p) => a + (p.amount_money?.amount ?? 0),
    0,
  );
  const due = (order.net_amount_due_money as Money | undefined)?.amount ?? 0;
  if (covered !== due) {
    badRequest(
      'PAYMENT_AMOUNT_MISMATCH',
      `The payments add up to ${covered}; the order is due ${due}.`,
      'payment_ids',
    );
  }
  for (const p of payments) if (p.status === 'APPROVED') capture(p);
  closeOrderIfPaid(store, orderId);
  return clone(store.orders.get(orderId) as Order);
}
