import type { SquareClient } from '../square/client';
import type {
  Customer,
  Location,
  Order,
  Payment,
  PaymentRefund,
} from '../square/types';

// What one poll pass has already read from Square, answered again without
// a request: the listed locations, the customers of the customer pages
// (and those read once for a sale), and each refund page's orders, read
// in two BatchRetrieveOrders calls instead of two GETs a refund, and the
// refunded payments the sale pages listed (one GET a refund otherwise).
// A backlog's pass keeps thousands of customers and payments (every
// refunded payment of its sales, until the refund pages come last), so
// they are kept as JSON bytes outside V8's heap: V8 lets its heap grow to
// up to four times what lives in it, so each megabyte kept there cost up
// to four of RSS, and the refunded payments alone grew with every sale.

const MAX_CUSTOMERS = 10_000;
const MAX_REFUNDED = 10_000;

export class PassReader {
  private readonly locations: Map<string, Location>;
  private readonly customers = new Map<string, Buffer>();
  private readonly orders = new Map<string, Order>();
  private readonly refunded = new Map<string, Buffer>();

  constructor(
    private readonly client: SquareClient,
    locations: Location[],
  ) {
    this.locations = new Map(locations.map((l) => [l.id, l]));
  }

  /** Customers of a page; the oldest are forgotten past 10,000. */
  rememberCustomers(customers: Customer[]): void {
    for (const customer of customers) {
      this.customers.delete(customer.id);
      this.customers.set(customer.id, kept(customer));
    }
    forgetOldest(this.customers, MAX_CUSTOMERS);
  }

  /**
   * Payments a sale page listed that carry refunds, for the refund pages
   * read later in the pass; the oldest are forgotten past 10,000.
   */
  rememberPayments(payments: Payment[]): void {
    for (const payment of payments) {
      if (!payment.refund_ids?.length) continue;
      this.refunded.delete(payment.id);
      this.refunded.set(payment.id, kept(payment));
    }
    forgetOldest(this.refunded, MAX_REFUNDED);
  }

  /** The return orders of a refund page and the sales they return. */
  async readRefundOrders(refunds: PaymentRefund[]): Promise<void> {
    this.orders.clear();
    const returns = refunds.map((r) => r.order_id).filter(isId);
    for (const order of await this.batch(returns)) {
      this.orders.set(order.id, order);
    }
    const sales = [...this.orders.values()]
      .flatMap((o) => (o.returns ?? []).map((r) => r.source_order_id))
      .filter(isId);
    for (const order of await this.batch(sales)) {
      this.orders.set(order.id, order);
    }
  }

  forgetOrders(): void {
    this.orders.clear();
  }

  async retrieveOrder(id: string): Promise<Order> {
    return this.orders.get(id) ?? this.client.retrieveOrder(id);
  }

  async getPayment(id: string): Promise<Payment> {
    const known = this.refunded.get(id);
    if (known) return parsed<Payment>(known);
    return this.client.getPayment(id);
  }

  getRefund(id: string) {
    return this.client.getRefund(id);
  }

  async retrieveCustomer(id: string): Promise<Customer> {
    const known = this.customers.get(id);
    if (known) return parsed<Customer>(known);
    const customer = await this.client.retrieveCustomer(id);
    this.rememberCustomers([customer]);
    return customer;
  }

  async retrieveLocation(id: string): Promise<Location> {
    return this.locations.get(id) ?? this.client.retrieveLocation(id);
  }

  private async batch(ids: string[]): Promise<Order[]> {
    const wanted = [...new Set(ids)].filter((id) => !this.orders.has(id));
    return wanted.length ? this.client.batchRetrieveOrders(wanted) : [];
  }
}

/**
 * JSON bytes in a buffer of their own: the shared pool's 8 KB slabs would
 * each be held by whichever small buffer outlives the others.
 */
function kept(value: unknown): Buffer {
  const json = JSON.stringify(value);
  const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(json));
  bytes.write(json);
  return bytes;
}

function parsed<T>(bytes: Buffer): T {
  return JSON.parse(bytes.toString('utf8')) as T;
}

function isId(id: string | undefined): id is string {
  return typeof id === 'string' && id !== '';
}

/** Drops a map's first-inserted entries until it holds at most max. */
function forgetOldest<V>(map: Map<string, V>, max: number): void {
  for (const id of map.keys()) {
    if (map.size <= max) break;
    map.delete(id);
  }
}
