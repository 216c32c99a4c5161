import type {
  AppliedRef,
  Money,
  OrderLineItem,
  OrderLineItemTax,
} from '../../lib/square/types';
import { PRODUCTS, SALES_TAX } from '../seed/business';
import { badRequest } from './errors';
import { squareIds } from './ids';
import { apportion, money, percentOf } from './money';

// Prices an order sent to CreateOrder the way Square does: each line's
// gross from the catalog (or its own base_price_money), discounts spread
// over the lines they apply to by gross (largest remainder), then each
// ADDITIVE tax per line on (gross - discount), rounded half up.

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(obj) : []);

interface PricedLine {
  uid: string;
  source: Obj;
  name: string;
  quantity: number;
  unit: number;
  gross: number;
  discounts: Map<string, number>;
  taxes: Map<string, number>;
  catalogId?: string;
  variationName?: string;
  taxable: boolean;
}

interface Adjustment {
  uid: string;
  source: Obj;
  scope: string;
}

export interface PricedOrder {
  line_items: OrderLineItem[];
  taxes: OrderLineItemTax[];
  discounts: Obj[];
  totals: { gross: number; discount: number; tax: number; total: number };
}

function amountOf(m: unknown, currency: string, field: string): number {
  const value = obj(m);
  const amount = value.amount;
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount)) {
    badRequest('INVALID_VALUE', `${field}.amount must be an integer.`, field);
  }
  if (value.currency !== undefined && value.currency !== currency) {
    badRequest(
      'INVALID_VALUE',
      `${field}.currency must be ${currency}.`,
      field,
    );
  }
  return amount;
}

function readLines(order: Obj, currency: string, orderId: string) {
  const lines = list(order.line_items);
  if (!lines.length) {
    badRequest(
      'MISSING_REQUIRED_PARAMETER',
      'line_items is empty.',
      'order.line_items',
    );
  }
  return lines.map((l, i): PricedLine => {
    const field = `order.line_items[${i}]`;
    const quantity = Number(l.quantity);
    if (
      typeof l.quantity !== 'string' ||
      !Number.isSafeInteger(quantity) ||
      quantity < 1
    ) {
      badRequest(
        'INVALID_VALUE',
        `${field}.quantity must be a whole number.`,
        field,
      );
    }
    const catalogId =
      typeof l.catalog_object_id === 'string' ? l.catalog_object_id : undefined;
    const product = catalogId
      ? PRODUCTS.find((p) => p.variationId === catalogId)
      : undefined;
    if (catalogId && !product) {
      badRequest('NOT_FOUND', `Catalog object ${catalogId} not found.`, field);
    }
    let unit = product?.price ?? 0;
    if (!product) {
      if (typeof l.name !== 'string' || l.base_price_money === undefined) {
        badRequest(
          'MISSING_REQUIRED_PARAMETER',
          `${field} needs a name and base_price_money.`,
          field,
        );
      }
      unit = amountOf(
        l.base_price_money,
        currency,
        `${field}.base_price_money`,
      );
    }
    return {
      uid:
        typeof l.uid === 'string'
          ? l.uid
          : squareIds.uid(`${orderId}:line:${i}`),
      source: l,
      name: product?.name ?? String(l.name),
      quantity,
      unit,
      gross: unit * quantity,
      discounts: new Map(),
      taxes: new Map(),
      catalogId,
      variationName: product?.variationName,
      taxable: product?.taxable ?? true,
    };
  });
}

function adjustments(
  raw: unknown,
  kind: string,
  orderId: string,
): Adjustment[] {
  return list(raw).map((a, i) => {
    const scope = typeof a.scope === 'string' ? a.scope : 'ORDER';
    if (scope !== 'ORDER' && scope !== 'LINE_ITEM') {
      badRequest(
        'INVALID_ENUM_VALUE',
        `${kind} scope ${scope}.`,
        `order.${kind}[${i}].scope`,
      );
    }
    const uid =
      typeof a.uid === 'string'
        ? a.uid
        : squareIds.uid(`${orderId}:${kind}:${i}`);
    return { uid, source: a, scope };
  });
}

/** The lines an adjustment applies to: all (ORDER) or those naming it. */
function targets(
  lines: PricedLine[],
  a: Adjustment,
  refField: string,
  key: string,
) {
  if (a.scope === 'ORDER') return lines;
  return lines.filter((l) =>
    list(l.source[refField]).some((r) => r[key] === a.uid),
  );
}

function applyDiscounts(
  lines: PricedLine[],
  discounts: Adjustment[],
  currency: string,
) {
  discounts.forEach((d, i) => {
    const hit = targets(lines, d, 'applied_discounts', 'discount_uid');
    const base = hit.reduce((a, l) => a + l.gross, 0);
    const type = d.source.type ?? 'FIXED_PERCENTAGE';
    let total: number;
    if (type === 'FIXED_PERCENTAGE' || type === 'VARIABLE_PERCENTAGE') {
      total = percentOf(base, String(d.source.percentage ?? '0'));
    } else if (type === 'FIXED_AMOUNT' || type === 'VARIABLE_AMOUNT') {
      const field = `order.discounts[${i}].amount_money`;
      total = Math.min(base, amountOf(d.source.amount_money, currency, field));
    } else {
      badRequest(
        'INVALID_ENUM_VALUE',
        `discount type ${String(type)}.`,
        `order.discounts[${i}].type`,
      );
    }
    const parts = apportion(
      total,
      hit.map((l) => l.gross),
    );
    hit.forEach((l, j) => l.discounts.set(d.uid, parts[j]));
  });
}

function applyTaxes(lines: PricedLine[], taxes: Adjustment[]) {
  taxes.forEach((t, i) => {
    const type = t.source.type ?? 'ADDITIVE';
    if (type !== 'ADDITIVE') {
      badRequest(
        'INVALID_VALUE',
        'The emulator prices ADDITIVE taxes only.',
        `order.taxes[${i}].type`,
      );
    }
    const pct = String(t.source.percentage ?? '');
    for (const l of targets(lines, t, 'applied_taxes', 'tax_uid')) {
      if (t.source.auto_applied && !l.taxable) continue;
      const discount = [...l.discounts.values()].reduce((a, b) => a + b, 0);
      l.taxes.set(t.uid, percentOf(l.gross - discount, pct));
    }
  });
}

export function priceOrder(
  order: Obj,
  currency: string,
  orderId: string,
): PricedOrder {
  const m = (n: number): Money => money(n, currency);
  const lines = readLines(order, currency, orderId);
  const discounts = adjustments(order.discounts, 'discounts', orderId);
  const taxes = adjustments(order.taxes, 'taxes', orderId);
  if (obj(order.pricing_options).auto_apply_taxes === true) {
    taxes.push({
      uid: squareIds.uid(`${orderId}:auto-tax`),
      scope: 'ORDER',
      source: {
        catalog_object_id: SALES_TAX.catalogObjectId,
        name: SALES_TAX.name,
        percentage: SALES_TAX.percentage,
        type: 'ADDITIVE',
        auto_applied: true,
      },
    });
  }
  applyDiscounts(lines, discounts, currency);
  applyTaxes(lines, taxes);

  const sum = (map: Map<string, number>) =>
    [...map.values()].reduce((a, b) => a + b, 0);
  const applied = (uid: string, pick: (l: PricedLine) => Map<string, number>) =>
    lines.reduce((a, l) => a + (pick(l).get(uid) ?? 0), 0);

  const line_items = lines.map((l): OrderLineItem => {
    const discount = sum(l.discounts);
    const tax = sum(l.taxes);
    const refs = (map: Map<string, number>, key: string): AppliedRef[] =>
      [...map.entries()].map(([uid, amount]) => ({
        uid: squareIds.uid(`${l.uid}:${key}:${uid}`),
        [key]: uid,
        applied_money: m(amount),
      }));
    return {
      uid: l.uid,
      ...(l.catalogId
        ? { catalog_object_id: l.catalogId, catalog_version: 1 }
        : {}),
      quantity: String(l.quantity),
      name: l.name,
      ...(l.variationName ? { variation_name: l.variationName } : {}),
      ...(typeof l.source.note === 'string' ? { note: l.source.note } : {}),
      item_type: l.catalogId ? 'ITEM' : 'CUSTOM_AMOUNT',
      base_price_money: m(l.unit),
      variation_total_price_money: m(l.gross),
      gross_sales_money: m(l.gross),
      total_tax_money: m(tax),
      total_discount_money: m(discount),
      total_money: m(l.gross - discount + tax),
      total_service_charge_money: m(0),
      ...(l.taxes.size ? { applied_taxes: refs(l.taxes, 'tax_uid') } : {}),
      ...(l.discounts.size
        ? { applied_discounts: refs(l.discounts, 'discount_uid') }
        : {}),
    };
  });
  const taxList = taxes.map((t): OrderLineItemTax => ({
    uid: t.uid,
    ...(t.source.catalog_object_id
      ? {
          catalog_object_id: String(t.source.catalog_object_id),
          catalog_version: 1,
        }
      : {}),
    name: String(t.source.name ?? 'Tax'),
    percentage: String(t.source.percentage ?? '0'),
    type: 'ADDITIVE',
    applied_money: m(applied(t.uid, (l) => l.taxes)),
    scope: t.scope,
    ...(t.source.auto_applied ? { auto_applied: true } : {}),
  }));
  const discountList = discounts.map((d) => ({
    uid: d.uid,
    ...(d.source.catalog_object_id
      ? { catalog_object_id: d.source.catalog_object_id }
      : {}),
    name: String(d.source.name ?? 'Discount'),
    type: String(d.source.type ?? 'FIXED_PERCENTAGE'),
    ...(d.source.percentage !== undefined
      ? { percentage: String(d.source.percentage) }
      : {}),
    ...(d.source.amount_money !== undefined
      ? { amount_money: d.source.amount_money }
      : {}),
    applied_money: m(applied(d.uid, (l) => l.discounts)),
    scope: d.scope,
  }));

  const gross = lines.reduce((a, l) => a + l.gross, 0);
  const discount = lines.reduce((a, l) => a + sum(l.discounts), 0);
  const tax = lines.reduce((a, l) => a + sum(l.taxes), 0);
  return {
    line_items,
    taxes: taxList,
    discounts: discountList,
    totals: { gross, discount, tax, total: gross - discount + tax },
  };
}
