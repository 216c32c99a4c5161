import type { SquareClient } from '../square/client';
import { isNotFound } from '../square/errors';
import type { Customer, Location, Order, Payment } from '../square/types';

// The Square objects one reconciliation run has read, by id, so that each
// is read once: a refund's payment and sale order are mostly the ones its
// sale's record read or the order search returned, and every record names
// the location the run started from. Square rate-limits each call, so an
// object read twice costs as much as a new one. One instance per run:
// kept longer, it would hand out stale objects.

export type SquareReader = Pick<
  SquareClient,
  | 'retrieveLocation'
  | 'searchOrders'
  | 'listRefunds'
  | 'retrieveOrder'
  | 'getPayment'
  | 'getRefund'
  | 'retrieveCustomer'
>;

export class SquareReads implements SquareReader {
  private readonly locations = new Map<string, Promise<Location>>();
  private readonly orders = new Map<string, Promise<Order>>();
  private readonly payments = new Map<string, Promise<Payment>>();
  private readonly customers = new Map<string, Promise<Customer>>();

  private constructor(private readonly client: SquareReader) {}

  /** `reader` itself when it already keeps a run's reads. */
  static of(reader: SquareReader): SquareReads {
    return reader instanceof SquareReads ? reader : new SquareReads(reader);
  }

  /** A location the caller read itself. */
  knowLocation(location: Location): void {
    if (!this.locations.has(location.id)) {
      this.locations.set(location.id, Promise.resolve(copy(location)));
    }
  }

  retrieveLocation(id: string): Promise<Location> {
    return once(this.locations, id, () => this.client.retrieveLocation(id));
  }

  retrieveOrder(id: string): Promise<Order> {
    return once(this.orders, id, () => this.client.retrieveOrder(id));
  }

  getPayment(id: string): Promise<Payment> {
    return once(this.payments, id, () => this.client.getPayment(id));
  }

  retrieveCustomer(id: string): Promise<Customer> {
    return once(this.customers, id, () => this.client.retrieveCustomer(id));
  }

  getRefund(id: string) {
    return this.client.getRefund(id);
  }

  listRefunds(...args: Parameters<SquareReader['listRefunds']>) {
    return this.client.listRefunds(...args);
  }

  /** Keeps the orders found: a refund's return order is among them. */
  async *searchOrders(body: Record<string, unknown>) {
    for await (const page of this.client.searchOrders(body)) {
      for (const order of page.orders ?? []) {
        if (!this.orders.has(order.id)) {
          this.orders.set(order.id, Promise.resolve(copy(order)));
        }
      }
      yield page;
    }
  }
}

// Each caller gets its own copy, as it did from its own GET, so that no
// record shares an object with another.
function copy<T>(value: T): T {
  return structuredClone(value);
}

function once<T>(
  reads: Map<string, Promise<T>>,
  id: string,
  read: () => Promise<T>,
): Promise<T> {
  let found = reads.get(id);
  if (!found) {
    found = read();
    reads.set(id, found);
    // A missing object stays missing for the run; any other failure
    // may be read again.
    found.catch((error: unknown) => {
      if (!isNotFound(error)) reads.delete(id);
    });
  }
  return found.then(copy);
}
