import type {
  Money,
  Order,
  OrderLineItem,
  Payment,
  Tender,
} from '../../lib/square/types';
import { PRODUCTS, SALES_TAX } from '../seed/business';
import { badRequest } from './errors';
import { squareIds } from './ids';
import { apportion, money, percentOf } from './money';
import { buildPayment, type PaymentDraft } from './payment';
import { clone, isoPlus, type SquareStore } from './store';

// Builds a sale the way Square computes it: gross per line, an ORDER
// scoped percentage discount apportioned by gross, ADDITIVE tax per
// taxable line on (gross - discount), then tip and tenders.

export interface SaleLineSpec {
  variationId: string;
  quantity?: number;
}

export interface SaleTenderSpec {
  type: 'CARD' | 'CASH' | 'SQUARE_GIFT_CARD';
  /** CARD: VISA, MASTERCARD, AMERICAN_EXPRESS, DISCOVER, ... */
  brand?: string;
  /** excluding tip; one tender may leave it out and takes the rest */
  amount?: number;
  tip?: number;
  /** replaces the computed processing fee (CARD only) */
  fee?: number;
  entryMethod?: string;
  /** CASH: what the buyer handed over (change is given back) */
  cashTendered?: number;
}

export interface SaleSpec {
  locationId?: string;
  lines: SaleLineSpec[];
  discountPercent?: string;
  discountName?: string;
  /** tip on the first card tender */
  tip?: number;
  /** default: one VISA card tender for the whole amount */
  tenders?: SaleTenderSpec[];
  customerId?: string;
  /** RFC 3339 time the order was opened; default now */
  at?: string;
  /** OPEN leaves the order open with its payments only approved */
  state?: 'COMPLETED' | 'OPEN';
  referenceId?: string;
  ids?: { order?: string; payments?: string[] };
}

export interface SaleResult {
  order: Order;
  payments: Payment[];
}

interface Line {
  uid: string;
  product: (typeof PRODUCTS)[number];
  quantity: number;
  gross: number;
  discount: number;
  tax: number;
}

function priceLines(spec: SaleSpec, orderId: string): Line[] {
  if (!spec.lines?.length) badRequest('ARRAY_EMPTY', 'A sale needs lines.');

  const lines = spec.lines.map((l, i) => {
    const product = PRODUCTS.find((p) => p.variationId === l.variationId);
    if (!product) {
      badRequest('NOT_FOUND', `Unknown variation ${l.variationId}.`);
    }
    const quantity = l.quantity ?? 1;
    if (!Number.isSafeInteger(quantity) || quantity < 1) {
      badRequest('INVALID_VALUE', 'quantity must be a whole number >= 1');
    }
    const uid = squareIds.uid(`${orderId}:line:${i}`);
    const gross = product.price * quantity;
    return { uid, product, quantity, gross, discount: 0, tax: 0 };
  });

  if (spec.discountPercent) {
    const subtotal = lines.reduce((a, l) => a + l.gross, 0);
    const total = percentOf(subtotal, spec.discountPercent);
    const parts = apportion(
      total,
      lines.map((l) => l.gross),
    );
    lines.forEach((l, i) => (l.discount = parts[i]));
  }
  for (const l of lines) {
    if (l.product.taxable) {
      l.tax = percentOf(l.gross - l.discount, SALES_TAX.percentage);
    }
  }
  return lines;
}

function lineItem(
  l: Line,
  currency: string,
  taxUid: string,
  discountUid: string | undefined,
): OrderLineItem {
  const m = (amount: number) => money(amount, currency);
  const item: OrderLineItem = {
    uid: l.uid,
    catalog_object_id: l.product.variationId,
    catalog_version: 1,
    quantity: String(l.quantity),
    name: l.product.name,
    variation_name: l.product.variationName,
    item_type: 'ITEM',
    base_price_money: m(l.product.price),
    variation_total_price_money: m(l.gross),
    gross_sales_money: m(l.gross),
    total_tax_money: m(l.tax),
    total_discount_money: m(l.discount),
    total_money: m(l.gross - l.discount + l.tax),
    total_service_charge_money: m(0),
  };
  if (l.product.taxable) {
    item.applied_taxes = [
      { uid: `${l.uid}-t`, tax_uid: taxUid, applied_money: m(l.tax) },
    ];
  }
  if (discountUid) {
    item.applied_discounts = [
      {
        uid: `${l.uid}-d`,
        discount_uid: discountUid,
        applied_money: m(l.discount),
      },
    ];
  }
  return item;
}

function tenderDrafts(spec: SaleSpec, due: number): SaleTenderSpec[] {
  const fallback: SaleTenderSpec[] = [{ type: 'CARD', brand: 'VISA' }];
  const tenders = clone(spec.tenders ?? fallback);
  if (spec.tip) {
    const card = tenders.find((t) => t.type === 'CARD');
    if (!card) badRequest('INVALID_VALUE', 'A tip needs a card tender.');
    card.tip = (card.tip ?? 0) + spec.tip;
  }

  const open = tenders.filter((t) => t.amount === undefined);
  if (open.length > 1) {
    badRequest('INVALID_VALUE', 'Only one tender may leave out its amount.');
  }
  const given = tenders.reduce((a, t) => a + (t.amount ?? 0), 0);
  if (open[0]) open[0].amount = due - given;
  const sum = tenders.reduce((a, t) => a + (t.amount ?? 0), 0);
  if (sum !== due || tenders.some((t) => (t.amount ?? 0) < 0)) {
    badRequest(
      'PAYMENT_AMOUNT_MISMATCH',
      `Tenders add up to ${sum}, the order is ${due}.`,
    );
  }
  return tenders;
}

export function createSale(store: SquareStore, spec: SaleSpec): SaleResult {
  const locationId = spec.locationId ?? store.mainLocationId;
  const location = store.locations.get(locationId);
  if (!location) badRequest('NOT_FOUND', `Unknown location ${locationId}.`);
  if (spec.customerId && !store.customers.has(spec.customerId)) {
    badRequest('CUSTOMER_NOT_FOUND', `Unknown customer ${spec.customerId}.`);
  }

  const currency = location.currency ?? 'USD';
  const orderId = spec.ids?.order ?? squareIds.order(store.ids.next('o'));
  if (store.orders.has(orderId)) {
    badRequest('CONFLICT', `Order ${orderId} already exists.`);
  }
  const m = (amount: number) => money(amount, currency);
  const at = spec.at ?? store.now().toISOString();
  const lines = priceLines(spec, orderId);

  const discount = lines.reduce((a, l) => a + l.discount, 0);
  const tax = lines.reduce((a, l) => a + l.tax, 0);
  const due = lines.reduce((a, l) => a + l.gross - l.discount + l.tax, 0);
  const drafts = tenderDrafts(spec, due);
  const tip = drafts.reduce((a, t) => a + (t.tip ?? 0), 0);

  const taxUid = squareIds.uid(`${orderId}:tax`);
  const discountUid = spec.discountPercent
    ? squareIds.uid(`${orderId}:discount`)
    : undefined;
  const completed = (spec.state ?? 'COMPLETED') === 'COMPLETED';
  const closedAt = isoPlus(at, 9_000);
  const online = /web/i.test(location.name ?? '');

  const payments = drafts.map((t, i) => {
    const draft: PaymentDraft = {
      id: spec.ids?.payments?.[i] ?? squareIds.payment(`${orderId}:${i}`),
      tender: t,
      orderId,
      locationId,
      customerId: spec.customerId,
      currency,
      createdAt: isoPlus(at, 4_000 + i * 1_500),
      completed,
      online,
    };
    return buildPayment(draft);
  });

  const tenders: Tender[] = payments.map((p, i) => ({
    id: p.id,
    location_id: locationId,
    transaction_id: orderId,
    created_at: p.created_at,
    amount_money: p.total_money,
    ...(drafts[i].tip ? { tip_money: m(drafts[i].tip ?? 0) } : {}),
    ...(p.processing_fee?.length
      ? { processing_fee_money: p.processing_fee[0].amount_money }
      : {}),
    ...(spec.customerId ? { customer_id: spec.customerId } : {}),
    type: drafts[i].type,
    ...tenderDetails(p),
    payment_id: p.id,
  }));

  const totals = {
    total_money: m(due + tip),
    tax_money: m(tax),
    discount_money: m(discount),
    tip_money: m(tip),
    service_charge_money: m(0),
  };
  const order: Order = {
    id: orderId,
    location_id: locationId,
    ...(spec.referenceId ? { reference_id: spec.referenceId } : {}),
    source: { name: online ? 'Square Online' : 'Square Point of Sale' },
    ...(spec.customerId ? { customer_id: spec.customerId } : {}),
    line_items: lines.map((l) => lineItem(l, currency, taxUid, discountUid)),
    taxes: orderTaxes(lines, taxUid, m(tax)),
    ...(discountUid
      ? {
          discounts: [
            {
              uid: discountUid,
              name: spec.discountName ?? `${spec.discountPercent}% off`,
              percentage: spec.discountPercent,
              type: 'FIXED_PERCENTAGE',
              applied_money: m(discount),
              scope: 'ORDER',
            },
          ],
        }
      : {}),
    tenders,
    net_amounts: totals,
    created_at: at,
    updated_at: completed ? closedAt : isoPlus(at, 6_000),
    ...(completed ? { closed_at: closedAt } : {}),
    state: completed ? 'COMPLETED' : 'OPEN',
    version: completed ? 4 : 2,
    total_money: totals.total_money,
    total_tax_money: totals.tax_money,
    total_discount_money: totals.discount_money,
    total_tip_money: totals.tip_money,
    total_service_charge_money: totals.service_charge_money,
    net_amount_due_money: m(0),
  };

  store.orders.set(orderId, order);
  for (const p of payments) store.payments.set(p.id, p);
  announceSale(store, order, payments);
  return clone({ order, payments });
}

function orderTaxes(lines: Line[], uid: string, applied: Money) {
  if (!lines.some((l) => l.product.taxable)) return [];
  return [
    {
      uid,
      catalog_object_id: SALES_TAX.catalogObjectId,
      catalog_version: 1,
      name: SALES_TAX.name,
      percentage: SALES_TAX.percentage,
      type: 'ADDITIVE',
      applied_money: applied,
      scope: 'LINE_ITEM',
      auto_applied: true,
    },
  ];
}

function tenderDetails(p: Payment): Partial<Tender> {
  if (p.source_type === 'CASH') {
    const cash = p.cash_details as Record<string, unknown>;
    return {
      cash_details: {
        buyer_tendered_money: cash.buyer_supplied_money,
        change_back_money: cash.change_back_money,
      },
    };
  }
  const card = p.card_details as Record<string, unknown>;
  return {
    card_details: {
      status: card.status,
      card: card.card,
      entry_method: card.entry_method,
    } as Tender['card_details'],
  };
}

function announceSale(store: SquareStore, order: Order, payments: Payment[]) {
  for (const p of payments) {
    const approved = clone(p);
    approved.status = 'APPROVED';
    approved.updated_at = p.created_at;
    approved.version_token = squareIds.versionToken(`${p.id}:approved`);
    delete approved.processing_fee;
    delete approved.receipt_url;
    if (approved.card_details) {
      approved.card_details.status = 'AUTHORIZED';
      delete (approved.card_details as Record<string, unknown>)
        .card_payment_timeline;
    }
    store.emit('payment.created', 'payment', approved);
    if (p.status === 'COMPLETED') store.emit('payment.updated', 'payment', p);
  }
  if (order.state === 'COMPLETED') store.emit('order.updated', 'order', order);
}
