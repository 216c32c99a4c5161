import type {
  Money,
  Order,
  OrderLineItem,
  OrderReturnLineItem,
  Payment,
  PaymentRefund,
} from '../../lib/square/types';
import { badRequest, notFound } from './errors';
import { squareIds } from './ids';
import { money, proportion } from './money';
import { clone, isoPlus, type SquareStore } from './store';

// A refund in Square is its own return order pointing back at the sale
// (returns[].source_order_id) plus a PaymentRefund whose order_id is that
// return order. The sale order itself is never changed.

export interface RefundLineSpec {
  /** uid of the sale order's line item */
  lineUid: string;
  quantity?: number;
}

export interface RefundSpec {
  paymentId: string;
  /** itemised return; leave out for a bare amount */
  lines?: RefundLineSpec[];
  /** bare amount refund (CUSTOM_AMOUNT return line) */
  amount?: number;
  reason?: string;
  at?: string;
  /** PENDING leaves it for completeRefund() */
  status?: 'COMPLETED' | 'PENDING';
  ids?: { refund?: string; returnOrder?: string };
}

export interface RefundResult {
  refund: PaymentRefund;
  returnOrder: Order;
}

function returnedQuantity(store: SquareStore, saleId: string, uid: string) {
  let total = 0;
  for (const order of store.orders.values()) {
    for (const r of order.returns ?? []) {
      if (r.source_order_id !== saleId) continue;
      for (const line of r.return_line_items ?? []) {
        if (line.source_line_item_uid === uid) total += Number(line.quantity);
      }
    }
  }
  return total;
}

export interface Sums {
  gross: number;
  tax: number;
  discount: number;
}

export function itemisedLines(
  store: SquareStore,
  sale: Order,
  spec: RefundSpec,
  returnId: string,
  m: (n: number) => Money,
  sums: Sums,
): OrderReturnLineItem[] {
  const taxUid = squareIds.uid(`${returnId}:rtax`);
  const discountUid = squareIds.uid(`${returnId}:rdiscount`);

  return (spec.lines ?? []).map((want, i) => {
    const line = sale.line_items?.find((l) => l.uid === want.lineUid);
    if (!line) badRequest('NOT_FOUND', `No line ${want.lineUid} in the sale.`);
    const sold = Number(line.quantity);
    const quantity = want.quantity ?? sold;
    const left = sold - returnedQuantity(store, sale.id, want.lineUid);
    if (!Number.isSafeInteger(quantity) || quantity < 1 || quantity > left) {
      badRequest('INVALID_VALUE', `Cannot return ${quantity} of ${left}.`);
    }

    const gross = (line.base_price_money?.amount ?? 0) * quantity;
    const amountOf = (field: keyof OrderLineItem) =>
      proportion(
        (line[field] as Money | undefined)?.amount ?? 0,
        quantity,
        sold,
      );
    const discount = amountOf('total_discount_money');
    const tax = amountOf('total_tax_money');
    sums.gross += gross;
    sums.tax += tax;
    sums.discount += discount;

    const uid = squareIds.uid(`${returnId}:rline:${i}`);
    return {
      uid,
      source_line_item_uid: line.uid,
      name: line.name,
      quantity: String(quantity),
      catalog_object_id: line.catalog_object_id,
      catalog_version: line.catalog_version,
      variation_name: line.variation_name,
      item_type: 'ITEM',
      base_price_money: line.base_price_money,
      variation_total_price_money: m(gross),
      gross_return_money: m(gross),
      total_tax_money: m(tax),
      total_discount_money: m(discount),
      total_money: m(gross - discount + tax),
      total_service_charge_money: m(0),
      ...(line.applied_taxes?.length
        ? {
            applied_taxes: [
              { uid: `${uid}-t`, tax_uid: taxUid, applied_money: m(tax) },
            ],
          }
        : {}),
      ...(line.applied_discounts?.length
        ? {
            applied_discounts: [
              {
                uid: `${uid}-d`,
                discount_uid: discountUid,
                applied_money: m(discount),
              },
            ],
          }
        : {}),
    };
  });
}

export function returnTaxesAndDiscounts(
  sale: Order,
  returnId: string,
  sums: Sums,
  m: (n: number) => Money,
) {
  const out: Record<string, unknown> = {};
  const tax = sale.taxes?.[0];
  if (tax && sums.tax) {
    out.return_taxes = [
      {
        uid: squareIds.uid(`${returnId}:rtax`),
        source_tax_uid: tax.uid,
        catalog_object_id: tax.catalog_object_id,
        name: tax.name,
        type: tax.type,
        percentage: tax.percentage,
        applied_money: m(sums.tax),
        scope: tax.scope,
      },
    ];
  }
  const discount = sale.discounts?.[0] as Record<string, unknown> | undefined;
  if (discount && sums.discount) {
    out.return_discounts = [
      {
        uid: squareIds.uid(`${returnId}:rdiscount`),
        source_discount_uid: discount.uid,
        name: discount.name,
        type: discount.type,
        percentage: discount.percentage,
        applied_money: m(sums.discount),
        scope: discount.scope,
      },
    ];
  }
  return out;
}

function customLine(returnId: string, amount: number, m: (n: number) => Money) {
  return {
    uid: squareIds.uid(`${returnId}:rline:0`),
    name: 'Custom Amount',
    quantity: '1',
    item_type: 'CUSTOM_AMOUNT',
    base_price_money: m(amount),
    variation_total_price_money: m(amount),
    gross_return_money: m(amount),
    total_tax_money: m(0),
    total_discount_money: m(0),
    total_money: m(amount),
    total_service_charge_money: m(0),
  };
}

function refundable(payment: Payment): number {
  const total = payment.total_money?.amount ?? 0;
  return total - (payment.refunded_money?.amount ?? 0);
}

export function createRefund(
  store: SquareStore,
  spec: RefundSpec,
): RefundResult {
  const payment = store.payments.get(spec.paymentId);
  if (!payment) notFound('payment', spec.paymentId);
  if (payment.status !== 'COMPLETED') {
    badRequest('REFUND_ERROR_PAYMENT_NEEDS_COMPLETION', 'Not completed.');
  }
  const sale = store.orders.get(payment.order_id ?? '');
  if (!sale) notFound('order', payment.order_id ?? '');

  const currency = payment.total_money?.currency ?? 'USD';
  const m = (n: number) => money(n, currency);
  const at = spec.at ?? store.now().toISOString();
  const seq = (payment.refund_ids ?? []).length;
  const refundId =
    spec.ids?.refund ?? squareIds.refund(payment.id, `${payment.id}:${seq}`);
  const returnId =
    spec.ids?.returnOrder ?? squareIds.order(`return:${refundId}`);
  if (store.refunds.has(refundId) || store.orders.has(returnId)) {
    badRequest('CONFLICT', `Refund ${refundId} already exists.`);
  }

  const sums: Sums = { gross: 0, tax: 0, discount: 0 };
  let lines: OrderReturnLineItem[];
  if (spec.lines?.length) {
    lines = itemisedLines(store, sale, spec, returnId, m, sums);
  } else {
    const amount = spec.amount ?? 0;
    if (!Number.isSafeInteger(amount) || amount < 1) {
      badRequest('REFUND_AMOUNT_INVALID', 'A bare refund needs an amount.');
    }
    sums.gross = amount;
    lines = [customLine(returnId, amount, m)];
  }
  const amount = sums.gross - sums.discount + sums.tax;
  if (amount > refundable(payment)) {
    badRequest('REFUND_AMOUNT_INVALID', `Only ${refundable(payment)} left.`);
  }

  const returnAmounts = {
    total_money: m(amount),
    tax_money: m(sums.tax),
    discount_money: m(sums.discount),
    tip_money: m(0),
    service_charge_money: m(0),
  };
  const reason = spec.reason ?? 'Returned goods';
  const returnOrder: Order = {
    id: returnId,
    location_id: sale.location_id,
    source: sale.source,
    ...(sale.customer_id ? { customer_id: sale.customer_id } : {}),
    returns: [
      {
        uid: squareIds.uid(`${returnId}:return`),
        source_order_id: sale.id,
        return_line_items: lines,
        ...returnTaxesAndDiscounts(sale, returnId, sums, m),
      },
    ],
    return_amounts: returnAmounts,
    net_amounts: {
      total_money: m(-amount),
      tax_money: m(-sums.tax),
      discount_money: m(-sums.discount),
      tip_money: m(0),
      service_charge_money: m(0),
    },
    refunds: [
      {
        id: refundId,
        location_id: sale.location_id,
        transaction_id: returnId,
        tender_id: payment.id,
        created_at: at,
        reason,
        amount_money: m(amount),
        status: 'PENDING',
      },
    ],
    created_at: at,
    updated_at: at,
    closed_at: at,
    state: 'COMPLETED',
    version: 1,
    total_money: m(0),
    total_tax_money: m(0),
    total_discount_money: m(0),
    total_tip_money: m(0),
    total_service_charge_money: m(0),
    net_amount_due_money: m(0),
  };

  const card = payment.source_type === 'CARD';
  const refund: PaymentRefund = {
    id: refundId,
    status: 'PENDING',
    location_id: sale.location_id,
    destination_type: card ? 'CARD' : 'CASH',
    destination_details: card
      ? {
          card_details: {
            card: payment.card_details?.card,
            entry_method: payment.card_details?.entry_method,
          },
        }
      : { cash_details: { seller_supplied_money: m(amount) } },
    amount_money: m(amount),
    payment_id: payment.id,
    order_id: returnId,
    reason,
    created_at: at,
    updated_at: at,
  };

  store.orders.set(returnId, returnOrder);
  store.refunds.set(refundId, refund);
  payment.refunded_money = m((payment.refunded_money?.amount ?? 0) + amount);
  payment.refund_ids = [...(payment.refund_ids ?? []), refundId];
  payment.updated_at = at;
  payment.version_token = squareIds.versionToken(`${payment.id}:r${seq}`);

  store.emit('refund.created', 'refund', refund);
  store.emit('order.updated', 'order', returnOrder);
  store.emit('payment.updated', 'payment', payment);
  if ((spec.status ?? 'COMPLETED') === 'COMPLETED') {
    completeRefund(store, refundId, isoPlus(at, 45_000));
  }
  return clone({
    refund: store.refunds.get(refundId) as PaymentRefund,
    returnOrder: store.orders.get(returnId) as Order,
  });
}

/** Moves a PENDING refund to COMPLETED; Square then reports the fee given back. */
export function completeRefund(
  store: SquareStore,
  refundId: string,
  at?: string,
): PaymentRefund {
  const refund = store.refunds.get(refundId);
  if (!refund) notFound('refund', refundId);
  if (refund.status === 'COMPLETED') return clone(refund);

  const payment = store.payments.get(refund.payment_id ?? '');
  const returnOrder = store.orders.get(refund.order_id ?? '');
  const when = at ?? store.now().toISOString();
  const fee = (payment?.processing_fee ?? []).reduce(
    (a, f) => a + (f.amount_money?.amount ?? 0),
    0,
  );
  const amount = refund.amount_money?.amount ?? 0;
  const total = payment?.total_money?.amount ?? 0;
  const currency = refund.amount_money?.currency ?? 'USD';
  if (fee && total) {
    const back = -proportion(fee, amount, total);
    refund.processing_fee = [
      {
        effective_at: isoPlus(when, 3_600_000),
        type: 'INITIAL',
        amount_money: money(back, currency),
      },
    ];
  }
  refund.status = 'COMPLETED';
  refund.updated_at = when;
  for (const r of returnOrder?.refunds ?? []) {
    if (r.id === refundId) r.status = 'APPROVED';
  }
  if (returnOrder) returnOrder.updated_at = when;

  store.emit('refund.updated', 'refund', refund);
  return clone(refund);
}
