import type { Order, PaymentRefund } from '../../lib/square/types';
import { badRequest, notFound } from './errors';
import { createRefund, type RefundSpec } from './refund';
import type { SquareStore } from './store';

// RefundPayment: a full or partial refund of a completed payment. Square
// answers PENDING and completes it a moment later (refund.updated). When
// an OPEN return order made with CreateOrder returns this payment's sale
// for exactly the amount, the refund settles that return order, which
// is how an itemised refund goes through the API; otherwise Square makes
// a return order with a custom-amount line.

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};

function openReturnFor(store: SquareStore, saleId: string, amount: number) {
  for (const order of store.orders.values()) {
    if (order.state !== 'OPEN') continue;
    const ret = order.returns?.[0];
    if (ret?.source_order_id !== saleId) continue;
    if (order.return_amounts?.total_money?.amount === amount) return order;
  }
  return undefined;
}

export function refundPayment(store: SquareStore, body: Obj): PaymentRefund {
  const paymentId = String(body.payment_id ?? '');
  if (!paymentId) {
    badRequest(
      'MISSING_REQUIRED_PARAMETER',
      'payment_id is required.',
      'payment_id',
    );
  }
  const payment = store.payments.get(paymentId);
  if (!payment) notFound('payment', paymentId);
  const money = obj(body.amount_money);
  const amount = money.amount;
  if (
    typeof amount !== 'number' ||
    !Number.isSafeInteger(amount) ||
    amount < 1
  ) {
    badRequest(
      'INVALID_VALUE',
      'amount_money.amount must be a positive integer.',
      'amount_money.amount',
    );
  }
  if (money.currency !== payment.total_money?.currency) {
    badRequest(
      'INVALID_VALUE',
      'amount_money.currency differs from the payment.',
      'amount_money.currency',
    );
  }
  const reason = typeof body.reason === 'string' ? body.reason : undefined;
  const ret: Order | undefined = openReturnFor(
    store,
    payment.order_id ?? '',
    amount,
  );

  const spec: RefundSpec = { paymentId, reason, status: 'PENDING' };
  if (ret) {
    spec.lines = (ret.returns?.[0]?.return_line_items ?? []).map((l) => ({
      lineUid: String(l.source_line_item_uid),
      quantity: Number(l.quantity),
    }));
    spec.ids = { returnOrder: ret.id };
    store.orders.delete(ret.id);
  } else {
    spec.amount = amount;
  }
  try {
    return createRefund(store, spec).refund;
  } catch (error) {
    if (ret) store.orders.set(ret.id, ret);
    throw error;
  }
}
