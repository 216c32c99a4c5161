import type {
  Location,
  Money,
  Order,
  OrderLineItem,
  Payment,
  PaymentRefund,
} from '../../lib/square/types';
import type { MappingTables } from '../../lib/ledger/types';
import { recordKey, type SyncRecord } from '../../lib/sync/record';
import {
  LOCATIONS,
  PRODUCTS,
  SALES_TAX,
  SEED_TIMEZONE,
  TENDER_ACCOUNTS,
  X3_ACCOUNTS,
  X3_SETUP,
} from '../../sandbox/seed/business';

// The worked example of the design (the golden case) as Square objects,
// and the demo business's mapping tables, for the ledger tests.

export const ORDER_ID = '03O3USaPaAaFnI6kkwB1JxGgBsUZY';
export const PAYMENT_ID = 'hYy9pRFVxpDsO1FB05SunFWUe9JZY';
export const RETURN_ORDER_ID = 'haOyDuHiqtAXMk0d8pDKXpL7Jg4F';
export const LOCATION_ID = LOCATIONS[0].id;

export function usd(amount: number): Money {
  return { amount, currency: 'USD' };
}

export function money(amount: number, currency = 'USD'): Money {
  return { amount, currency };
}

export const LOCATION: Location = {
  id: LOCATION_ID,
  name: LOCATIONS[0].name,
  timezone: SEED_TIMEZONE,
  currency: 'USD',
  status: 'ACTIVE',
};

export function tables(): MappingTables {
  const products: MappingTables['products'] = {};
  for (const p of PRODUCTS) {
    products[p.variationId] = {
      product: p.product,
      revenueAccount: p.revenueAccount,
    };
  }
  return {
    sites: Object.fromEntries(LOCATIONS.map((l) => [l.id, l.site])),
    products,
    taxes: {
      [SALES_TAX.catalogObjectId]: {
        taxCode: SALES_TAX.taxCode,
        account: SALES_TAX.account,
      },
    },
    tenders: { ...TENDER_ACCOUNTS },
    accounts: { ...X3_ACCOUNTS },
    customers: {},
    walkInCustomer: X3_SETUP.walkInCustomer,
    customerCategory: X3_SETUP.customerCategory,
    exemptTax: { taxCode: 'EXE', account: SALES_TAX.account },
  };
}

export const TAX_UID = 'tax-nyc';

export function line(
  uid: string,
  variationId: string,
  name: string,
  quantity: string,
  base: number,
  discount: number,
  tax: number,
  currency = 'USD',
): OrderLineItem {
  const gross = base * Number(quantity);
  return {
    uid,
    catalog_object_id: variationId,
    name,
    quantity,
    item_type: 'ITEM',
    base_price_money: money(base, currency),
    gross_sales_money: money(gross, currency),
    total_discount_money: money(discount, currency),
    total_tax_money: money(tax, currency),
    total_money: money(gross - discount + tax, currency),
    applied_taxes:
      tax > 0
        ? [
            {
              uid: `${uid}-t`,
              tax_uid: TAX_UID,
              applied_money: money(tax, currency),
            },
          ]
        : [],
  };
}

/** 2 x beans 1200, 1 x mug 800, 10 % off, tax 192/64, tip 300, VISA. */
export function goldenOrder(): Order {
  return {
    id: ORDER_ID,
    location_id: LOCATION_ID,
    state: 'COMPLETED',
    version: 4,
    created_at: '2025-03-15T02:20:00Z',
    closed_at: '2025-03-15T02:30:00.123456Z',
    line_items: [
      line(
        'line-beans',
        'VAR_BEANS_HOUSE',
        'House blend beans',
        '2',
        1200,
        240,
        192,
      ),
      line('line-mug', 'VAR_MUG', 'Stoneware mug', '1', 800, 80, 64),
    ],
    taxes: [
      {
        uid: TAX_UID,
        catalog_object_id: SALES_TAX.catalogObjectId,
        name: SALES_TAX.name,
        type: 'ADDITIVE',
        scope: 'ORDER',
        applied_money: usd(256),
      },
    ],
    discounts: [
      {
        uid: 'disc-10',
        name: '10 % off',
        type: 'FIXED_PERCENTAGE',
        percentage: '10',
        scope: 'ORDER',
        applied_money: usd(320),
      },
    ],
    tenders: [
      {
        id: PAYMENT_ID,
        type: 'CARD',
        amount_money: usd(3436),
        tip_money: usd(300),
        payment_id: PAYMENT_ID,
        card_details: { card: { card_brand: 'VISA' } },
      },
    ],
    total_money: usd(3436),
    total_tax_money: usd(256),
    total_discount_money: usd(320),
    total_tip_money: usd(300),
    total_service_charge_money: usd(0),
  };
}

export function goldenPayment(fee?: number): Payment {
  const payment: Payment = {
    id: PAYMENT_ID,
    status: 'COMPLETED',
    source_type: 'CARD',
    amount_money: usd(3136),
    tip_money: usd(300),
    total_money: usd(3436),
    card_details: { status: 'CAPTURED', card: { card_brand: 'VISA' } },
    location_id: LOCATION_ID,
    order_id: ORDER_ID,
  };
  if (fee !== undefined) {
    payment.processing_fee = [
      {
        type: 'INITIAL',
        effective_at: '2025-03-15T04:30:00Z',
        amount_money: usd(fee),
      },
    ];
  }
  return payment;
}

export function saleRecord(
  order: Order = goldenOrder(),
  payments: Payment[] = [goldenPayment(104)],
  location: Location = LOCATION,
): SyncRecord {
  return {
    key: recordKey('sale', order.id),
    kind: 'sale',
    version: String(order.version ?? 1),
    source: 'poll',
    square: { order, payments, location },
    receivedAt: '2025-03-15T03:00:00Z',
  };
}

export function refundOf(
  amount: number,
  suffix: string,
  fee?: number,
): PaymentRefund {
  const refund: PaymentRefund = {
    id: `${PAYMENT_ID}_${suffix}`,
    status: 'COMPLETED',
    location_id: LOCATION_ID,
    amount_money: usd(amount),
    payment_id: PAYMENT_ID,
    order_id: RETURN_ORDER_ID,
    destination_type: 'CARD',
    created_at: '2025-03-20T15:00:00Z',
  };
  if (fee !== undefined) {
    refund.processing_fee = [{ type: 'INITIAL', amount_money: usd(fee) }];
  }
  return refund;
}

/** The return order for giving the mug back. */
export function mugReturnOrder(): Order {
  return {
    id: RETURN_ORDER_ID,
    location_id: LOCATION_ID,
    state: 'COMPLETED',
    returns: [
      {
        uid: 'ret-1',
        source_order_id: ORDER_ID,
        return_line_items: [
          {
            uid: 'ret-mug',
            source_line_item_uid: 'line-mug',
            catalog_object_id: 'VAR_MUG',
            name: 'Stoneware mug',
            quantity: '1',
            item_type: 'ITEM',
            base_price_money: usd(800),
            total_discount_money: usd(80),
            total_tax_money: usd(64),
            total_money: usd(784),
          },
        ],
        return_amounts: { total_money: usd(784), tax_money: usd(64) },
      },
    ],
    return_amounts: { total_money: usd(784), tax_money: usd(64) },
    total_money: usd(0),
  };
}

/** The return order Square makes for a bare amount refund. */
export function amountReturnOrder(amount: number): Order {
  return {
    id: RETURN_ORDER_ID,
    location_id: LOCATION_ID,
    state: 'COMPLETED',
    returns: [
      {
        uid: 'ret-1',
        source_order_id: ORDER_ID,
        return_line_items: [
          {
            uid: 'ret-amount',
            name: 'Custom Amount',
            quantity: '1',
            item_type: 'CUSTOM_AMOUNT',
            base_price_money: usd(amount),
            total_money: usd(amount),
          },
        ],
      },
    ],
    return_amounts: { total_money: usd(amount) },
    total_money: usd(0),
  };
}

export function refundRecord(
  refund: PaymentRefund,
  returnOrder: Order | undefined,
  order: Order = goldenOrder(),
): SyncRecord {
  return {
    key: recordKey('refund', refund.id),
    kind: 'refund',
    version: '1',
    source: 'webhook',
    square: {
      order,
      payments: [goldenPayment(104)],
      refund,
      returnOrder,
      location: LOCATION,
    },
    receivedAt: '2025-03-20T15:01:00Z',
  };
}

/** [account, side, amount] of each line, for exact comparisons. */
export function figures(doc: {
  lines: { account: string; side: string; amount: number }[];
}): [string, string, number][] {
  return doc.lines.map((l) => [l.account, l.side, l.amount]);
}
