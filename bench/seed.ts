import type { Customer } from '../lib/square/types';
import type { RefundSpec } from '../sandbox/square/refund';
import type { SaleSpec, SaleTenderSpec } from '../sandbox/square/sale';
import { squareIds } from '../sandbox/square/ids';
import { LOCATIONS, PRODUCTS } from '../sandbox/seed/business';

// A backlog of N Square sales for the benchmark, the same for the same N:
// mixed tenders (card of four brands, cash, gift card, card + cash split),
// one sale in twenty refunded (half itemised, half a bare amount), and a
// customer on about a third of the sales. Every time lies in the past, so
// one backfill poll reads all of it.

export interface BacklogPlan {
  /** where the backfill starts: before the first object */
  from: string;
  customers: Partial<Customer>[];
  sales: SaleSpec[];
  /** refunds name the sale's first payment; see refundSpecs */
  refunds: { sale: number; itemised: boolean; at: string }[];
}

export interface BacklogCounts {
  sales: number;
  refunds: number;
  itemisedRefunds: number;
  customers: number;
  /** sales, refunds and customers: what the ledger holds once synced */
  records: number;
  /** tenders by kind, to show the mix */
  tenders: Record<string, number>;
}

const BRANDS = ['VISA', 'MASTERCARD', 'AMERICAN_EXPRESS', 'DISCOVER'];
const REFUND_EVERY = 20;
const CUSTOMER_EVERY = 3;
const DAY_MS = 86_400_000;

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function tendersFor(i: number, online: boolean): SaleTenderSpec[] {
  const card = { type: 'CARD' as const, brand: BRANDS[i % BRANDS.length] };
  switch (i % 10) {
    case 3:
      return online ? [card] : [{ type: 'CASH' }];
    case 6:
      return [{ type: 'SQUARE_GIFT_CARD' }];
    case 8:
      return online ? [card] : [{ ...card, amount: 200 }, { type: 'CASH' }];
    default:
      return [card];
  }
}

/**
 * Plans n sales spread evenly over the days before `end`, ten seconds
 * apart at most, ending an hour before it.
 */
export function planBacklog(n: number, end: Date = new Date()): BacklogPlan {
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new Error(`the backlog needs a whole number of sales, got ${n}`);
  }
  const rand = random(n);
  const last = end.getTime() - 3_600_000;
  const spanMs = Math.max(DAY_MS, n * 10_000);
  const first = last - spanMs;
  const step = spanMs / n;
  const iso = (ms: number) => new Date(Math.floor(ms)).toISOString();
  const goods = PRODUCTS.filter((p) => p.taxable).map((p) => p.variationId);

  const customerCount = Math.max(1, Math.ceil(n / (CUSTOMER_EVERY * 4)));
  const customers = Array.from({ length: customerCount }, (_, c) => ({
    id: squareIds.customer(`bench:${n}:${c}`),
    given_name: `Bench${c}`,
    family_name: `Customer ${c}`,
    email_address: `bench${c}@example.com`,
    created_at: iso(first - 60_000 + c),
  }));

  const sales: SaleSpec[] = [];
  const refunds: BacklogPlan['refunds'] = [];
  for (let i = 0; i < n; i++) {
    const location = LOCATIONS[i % LOCATIONS.length];
    const online = /web/i.test(location.name);
    const tenders = tendersFor(i, online);
    const tipped = tenders[0].type === 'CARD' && !online && rand() < 0.3;
    const at = first + i * step;
    sales.push({
      locationId: location.id,
      at: iso(at),
      lines: Array.from({ length: 1 + Math.floor(rand() * 3) }, () => ({
        variationId: goods[Math.floor(rand() * goods.length)],
        quantity: 1 + Math.floor(rand() * 2),
      })),
      tenders,
      ...(rand() < 0.2 ? { discountPercent: '10' } : {}),
      ...(tipped ? { tip: 100 * (1 + Math.floor(rand() * 3)) } : {}),
      ...(i % CUSTOMER_EVERY === 0
        ? { customerId: customers[(i / CUSTOMER_EVERY) % customerCount].id }
        : {}),
      ids: { order: squareIds.order(`bench:${n}:${i}`) },
    });
    if (i % REFUND_EVERY === REFUND_EVERY - 1) {
      refunds.push({
        sale: i,
        itemised: refunds.length % 2 === 0,
        at: iso(at + 60_000),
      });
    }
  }
  return { from: iso(first - 3_600_000), customers, sales, refunds };
}

export function countBacklog(plan: BacklogPlan): BacklogCounts {
  const tenders: Record<string, number> = {};
  for (const sale of plan.sales) {
    const kinds = (sale.tenders ?? []).map((t) => t.type);
    const name = kinds.length > 1 ? `SPLIT(${kinds.join('+')})` : kinds[0];
    tenders[name] = (tenders[name] ?? 0) + 1;
  }
  const itemisedRefunds = plan.refunds.filter((r) => r.itemised).length;
  return {
    sales: plan.sales.length,
    refunds: plan.refunds.length,
    itemisedRefunds,
    customers: plan.customers.length,
    records: plan.sales.length + plan.refunds.length + plan.customers.length,
    tenders,
  };
}

export interface SeedTarget {
  upsertCustomer(spec: Partial<Customer>): unknown;
  createSale(spec: SaleSpec): {
    order: { line_items?: { uid?: string }[] };
    payments: { id: string }[];
  };
  createRefund(spec: RefundSpec): unknown;
}

/** Creates the plan's objects in a Square emulator, refunds last. */
export function seedBacklog(square: SeedTarget, plan: BacklogPlan): void {
  for (const customer of plan.customers) square.upsertCustomer(customer);
  const made = plan.sales.map((spec) => {
    const sale = square.createSale(spec);
    return {
      payment: sale.payments[0].id,
      firstLine: sale.order.line_items?.[0]?.uid,
    };
  });
  for (const refund of plan.refunds) {
    const { payment, firstLine } = made[refund.sale];
    square.createRefund(
      refund.itemised && firstLine
        ? {
            paymentId: payment,
            lines: [{ lineUid: firstLine, quantity: 1 }],
            reason: 'Returned',
            at: refund.at,
          }
        : {
            paymentId: payment,
            amount: 100,
            reason: 'Goodwill',
            at: refund.at,
          },
    );
  }
}
