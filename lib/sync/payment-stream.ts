import type { ListPaymentsPage, SquareClient } from '../square/client';
import type { Payment } from '../square/types';

// One location's payments in created_at order, read a page at a time and
// only as far as the orders in hand need. A backfill then reads each
// page of payments once, as one listing over the whole pass would,
// instead of closing a listing (and its last, part-full page) at every
// page of orders.

export class PaymentStream {
  private pages?: AsyncIterator<ListPaymentsPage>;
  /** created_at of the newest payment read so far */
  private reachedMs = -Infinity;
  private ended = false;

  constructor(
    private readonly client: SquareClient,
    private readonly locationId: string,
    private readonly span: { beginMs: number; endMs: number },
  ) {}

  /**
   * Reads on until every payment created up to untilMs is in `into`;
   * returns the payments read by this call.
   */
  async readUntil(
    untilMs: number,
    into: Map<string, Payment>,
  ): Promise<Payment[]> {
    const read: Payment[] = [];
    if (!this.pages) {
      const pages = this.client.listPayments({
        location_id: this.locationId,
        begin_time: new Date(this.span.beginMs).toISOString(),
        end_time: new Date(this.span.endMs).toISOString(),
        sort_order: 'ASC',
        limit: 100,
      });
      this.pages = pages[Symbol.asyncIterator]();
    }
    // payments created at the same instant may straddle two pages
    while (!this.ended && this.reachedMs <= untilMs) {
      const next = await this.pages.next();
      if (next.done) {
        this.ended = true;
        break;
      }
      for (const payment of next.value.payments ?? []) {
        into.set(payment.id, payment);
        read.push(payment);
        const at = Date.parse(payment.created_at ?? '');
        if (at > this.reachedMs) this.reachedMs = at;
      }
    }
    return read;
  }
}

/** The payment streams of one pass over orders, one per location. */
export class PaymentStreams {
  private readonly byLocation = new Map<string, PaymentStream>();

  constructor(
    private readonly client: SquareClient,
    /** no payment created after this is asked for in the pass */
    private readonly endMs: number,
  ) {}

  /** A location's stream, listing from beginMs when first asked for. */
  of(locationId: string, beginMs: number): PaymentStream {
    let stream = this.byLocation.get(locationId);
    if (!stream) {
      const span = { beginMs, endMs: this.endMs };
      stream = new PaymentStream(this.client, locationId, span);
      this.byLocation.set(locationId, stream);
    }
    return stream;
  }
}
