import type {
  Customer,
  Location,
  Order,
  Payment,
  PaymentRefund,
} from '../../lib/square/types';
import { IdSource } from './ids';

// The emulator's in-memory Square account. Objects are kept as Square
// returns them; handlers clone on the way out so callers cannot mutate.

export type EventObjectType =
  'payment' | 'refund' | 'order' | 'customer' | 'revocation';

export type EmitEvent = (
  type: string,
  objectType: EventObjectType,
  object: Record<string, unknown>,
) => void;

export class SquareStore {
  readonly locations = new Map<string, Location>();
  readonly orders = new Map<string, Order>();
  readonly payments = new Map<string, Payment>();
  readonly refunds = new Map<string, PaymentRefund>();
  readonly customers = new Map<string, Customer>();
  mainLocationId = '';

  constructor(
    readonly merchantId: string,
    readonly ids: IdSource,
    readonly emit: EmitEvent,
    readonly now: () => Date,
  ) {}

  counts() {
    const completed = [...this.orders.values()].filter(
      (o) => o.state === 'COMPLETED',
    ).length;
    return {
      locations: this.locations.size,
      orders: this.orders.size,
      completedOrders: completed,
      payments: this.payments.size,
      refunds: this.refunds.size,
      customers: this.customers.size,
    };
  }

  clear(): void {
    this.orders.clear();
    this.payments.clear();
    this.refunds.clear();
    this.customers.clear();
  }
}

export function clone<T>(value: T): T {
  return structuredClone(value);
}

export function isoPlus(iso: string, ms: number): string {
  return new Date(Date.parse(iso) + ms).toISOString();
}
