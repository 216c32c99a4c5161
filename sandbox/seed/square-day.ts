import type { Customer } from '../../lib/square/types';
import type { RefundSpec } from '../square/refund';
import type { SaleSpec, SaleTenderSpec } from '../square/sale';
import { hashId, squareIds } from '../square/ids';
import { LOCATIONS, PRODUCTS, SEED_TIMEZONE } from './business';
import {
  customerName,
  RETURNING_CUSTOMER_IDS,
  SEED_CUSTOMERS,
} from './square-customers';

// One business day of the three shops, the same for the same date: about
// thirty completed sales with every tender kind, one sale still OPEN,
// and the golden sale of the design with its two refunds.

export { RETURNING_CUSTOMER_IDS } from './square-customers';

export interface SquareSeedTarget {
  createSale(spec: SaleSpec): unknown;
  createRefund(spec: RefundSpec): unknown;
  upsertCustomer(spec: Partial<Customer>): unknown;
}

const [HARBOUR, MARKET, WEB] = LOCATIONS.map((l) => l.id);

/** The golden case of DESIGN §5; its ids do not depend on the date. */
export const GOLDEN = {
  locationId: HARBOUR,
  orderId: 'A1Zf24UeXfIo7eHIUpgH3HwamZY',
  paymentId: 'mjXwZZpioepp2zGMbGTCKKDtHT8ZY',
  itemisedRefundId:
    'mjXwZZpioepp2zGMbGTCKKDtHT8ZY_9UfwMyAMMT0YE306KnE7j9lqIZ5sDiQQB96ZvDlo07AEL',
  itemisedReturnOrderId: 'i3F5Ha4WgVFdENg54MTnJavQkZY',
  bareRefundId:
    'mjXwZZpioepp2zGMbGTCKKDtHT8ZY_2CTDkW2G6Tu6B6qGsAwDmhK8rMKuxbFzJ6ZdutTz2s5CM',
  bareReturnOrderId: 'JROE09ENy3hIYjQ4fPovPrpdxZY',
  /** the mug is the second line of the sale */
  mugLineIndex: 1,
  fee: 104,
} as const;

const CARD_BRANDS = ['VISA', 'MASTERCARD', 'AMERICAN_EXPRESS', 'DISCOVER'];

/** Local wall-clock time on a date in America/New_York, as RFC 3339 UTC. */
export function zonedIso(date: string, time: string, tz = SEED_TIMEZONE) {
  const [y, mo, d] = date.split('-').map(Number);
  const [h, mi, s] = time.split(':').map(Number);
  const wall = Date.UTC(y, mo - 1, d, h, mi, s ?? 0);
  let utc = wall;
  for (let i = 0; i < 2; i++) utc = wall - offsetAt(utc, tz);
  return new Date(utc).toISOString();
}

function offsetAt(utcMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(utcMs));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const wall = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return wall - (utcMs - (utcMs % 1000));
}

function random(seed: string): () => number {
  let state = parseInt(hashId(seed, 8, '0123456789abcdef'), 16) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface SquareDayPlan {
  date: string;
  customers: Partial<Customer>[];
  sales: SaleSpec[];
  refunds: RefundSpec[];
}

function clock(minutes: number, seconds: number): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}:${pad(seconds)}`;
}

function specialSales(date: string, at: (t: string) => string): SaleSpec[] {
  const [maya, tomas, priya, , elena, , wren] = SEED_CUSTOMERS.map((c) => c.id);
  const id = (n: string) => squareIds.order(`${date}:${n}`);
  return [
    {
      locationId: HARBOUR,
      at: at('10:12:37'),
      lines: [
        { variationId: 'VAR_BEANS_HOUSE', quantity: 2 },
        { variationId: 'VAR_MUG', quantity: 1 },
      ],
      discountPercent: '10',
      discountName: 'Regulars 10%',
      tip: 300,
      tenders: [{ type: 'CARD', brand: 'VISA', fee: GOLDEN.fee }],
      ids: { order: GOLDEN.orderId, payments: [GOLDEN.paymentId] },
    },
    {
      locationId: MARKET,
      at: at('11:40:05'),
      customerId: tomas,
      lines: [
        { variationId: 'VAR_GRINDER', quantity: 1 },
        { variationId: 'VAR_FILTERS', quantity: 2 },
      ],
      tenders: [
        { type: 'CARD', brand: 'MASTERCARD', amount: 3000 },
        { type: 'CASH', cashTendered: 4000 },
      ],
      ids: { order: id('split') },
    },
    {
      locationId: HARBOUR,
      at: at('13:05:51'),
      customerId: priya,
      lines: [
        { variationId: 'VAR_BEANS_DECAF', quantity: 1 },
        { variationId: 'VAR_MUG', quantity: 1 },
      ],
      tenders: [{ type: 'SQUARE_GIFT_CARD' }],
      ids: { order: id('gift-card') },
    },
    {
      locationId: MARKET,
      at: at('15:02:10'),
      customerId: elena,
      lines: [{ variationId: 'VAR_BREW_CLASS', quantity: 1 }],
      tenders: [{ type: 'CARD', brand: 'AMERICAN_EXPRESS' }],
      ids: { order: id('class-seat') },
    },
    {
      locationId: WEB,
      at: at('18:31:44'),
      customerId: wren,
      state: 'OPEN',
      lines: [{ variationId: 'VAR_GRINDER', quantity: 1 }],
      tenders: [{ type: 'CARD', brand: 'VISA' }],
      ids: { order: id('open') },
    },
    {
      locationId: HARBOUR,
      at: at('08:47:12'),
      customerId: maya,
      lines: [{ variationId: 'VAR_BEANS_HOUSE', quantity: 3 }],
      discountPercent: '15',
      discountName: 'Bulk beans 15%',
      tip: 200,
      tenders: [{ type: 'CARD', brand: 'DISCOVER' }],
      ids: { order: id('bulk-beans') },
    },
  ];
}

const GENERATED = 25;

function generatedSales(date: string, at: (t: string) => string) {
  const rand = random(`square-day:${date}`);
  const pick = <T>(list: readonly T[]) =>
    list[Math.floor(rand() * list.length)];
  const goods = PRODUCTS.filter((p) => p.taxable).map((p) => p.variationId);
  const locations = [HARBOUR, MARKET, WEB];
  const sales: SaleSpec[] = [];

  for (let i = 0; i < GENERATED; i++) {
    const locationId = locations[i % 3];
    const online = locationId === WEB;
    const minutes = 8 * 60 + Math.floor(((i + rand()) * 11 * 60) / GENERATED);
    const lines = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => ({
      variationId: pick(goods),
      quantity: 1 + Math.floor(rand() * 2),
    }));
    const cash = !online && rand() < 0.25;
    const tender: SaleTenderSpec = cash
      ? { type: 'CASH' }
      : { type: 'CARD', brand: CARD_BRANDS[i % CARD_BRANDS.length] };
    const customer = rand() < 0.4 ? pick(SEED_CUSTOMERS) : undefined;
    const discounted = rand() < 0.2;
    const tipped = !cash && !online && rand() < 0.4;

    sales.push({
      locationId,
      at: at(clock(minutes, Math.floor(rand() * 60))),
      lines,
      tenders: [tender],
      ...(discounted ? { discountPercent: '10', discountName: '10% off' } : {}),
      ...(tipped ? { tip: 100 * (1 + Math.floor(rand() * 4)) } : {}),
      ...(customer ? { customerId: customer.id } : {}),
      ids: { order: squareIds.order(`${date}:sale:${i}`) },
    });
  }
  return sales;
}

export function planSquareDay(date: string): SquareDayPlan {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    throw new Error(`seed date must be YYYY-MM-DD, got "${date}"`);
  }
  const at = (t: string) => zonedIso(date, t);
  const signUps = ['08:05:00', '08:30:00', '08:55:00'];
  const customers = SEED_CUSTOMERS.map(({ returning, ...c }) =>
    returning ? c : { ...c, created_at: at(signUps.shift() as string) },
  );
  const sales = [...specialSales(date, at), ...generatedSales(date, at)];
  sales.sort((a, b) => Date.parse(a.at ?? '') - Date.parse(b.at ?? ''));

  const refunds: RefundSpec[] = [
    {
      paymentId: GOLDEN.paymentId,
      lines: [{ lineUid: squareIds.uid(`${GOLDEN.orderId}:line:1`) }],
      reason: 'Mug arrived chipped',
      at: at('14:05:22'),
      ids: {
        refund: GOLDEN.itemisedRefundId,
        returnOrder: GOLDEN.itemisedReturnOrderId,
      },
    },
    {
      paymentId: GOLDEN.paymentId,
      amount: 1000,
      reason: 'Goodwill credit',
      at: at('16:30:09'),
      ids: {
        refund: GOLDEN.bareRefundId,
        returnOrder: GOLDEN.bareReturnOrderId,
      },
    },
  ];
  return { date, customers, sales, refunds };
}

export interface SquareDaySummary {
  date: string;
  completedOrders: number;
  openOrders: number;
  refunds: number;
  customers: number;
  returningCustomerIds: string[];
  completedOrderIds: string[];
  openOrderIds: string[];
  refundIds: string[];
  golden: typeof GOLDEN & { mugLineUid: string };
}

export function seedSummary(date: string): SquareDaySummary {
  const plan = planSquareDay(date);
  const open = plan.sales.filter((s) => s.state === 'OPEN');
  const completed = plan.sales.filter((s) => s.state !== 'OPEN');
  return {
    date,
    completedOrders: completed.length,
    openOrders: open.length,
    refunds: plan.refunds.length,
    customers: plan.customers.length,
    returningCustomerIds: [...RETURNING_CUSTOMER_IDS],
    completedOrderIds: completed.map((s) => s.ids?.order as string),
    openOrderIds: open.map((s) => s.ids?.order as string),
    refundIds: plan.refunds.map((r) => r.ids?.refund as string),
    golden: {
      ...GOLDEN,
      mugLineUid: squareIds.uid(`${GOLDEN.orderId}:line:1`),
    },
  };
}

/** The customers the X3 seed creates ahead: id and display name. */
export function returningCustomers(
  _date?: string,
): { id: string; name: string }[] {
  return SEED_CUSTOMERS.filter((c) => c.returning).map((c) => ({
    id: c.id,
    name: customerName(c),
  }));
}

export function seedSquareDay(
  target: SquareSeedTarget,
  date: string,
): SquareDaySummary {
  const plan = planSquareDay(date);
  for (const c of plan.customers) target.upsertCustomer(c);
  for (const sale of plan.sales) target.createSale(sale);
  for (const refund of plan.refunds) target.createRefund(refund);
  return seedSummary(date);
}
