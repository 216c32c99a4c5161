import type {
  Customer,
  Location,
  Order,
  Payment,
  PaymentRefund,
} from '../square/types';

// What travels between the nodes as msg.payload: one Square business
// record, identified by a stable key, with the raw Square objects behind it.

export type RecordKind = 'sale' | 'refund' | 'customer';
export type RecordSource = 'webhook' | 'poll' | 'replay';

export interface SquareBundle {
  /** sale: the sale order; refund: the sale order the return points at */
  order?: Order;
  /** sale: the order's payments; refund: the refunded payment */
  payments?: Payment[];
  refund?: PaymentRefund;
  /** refund: the return order Square made for the refund */
  returnOrder?: Order;
  customer?: Customer;
  location?: Location;
}

export interface SyncRecord {
  key: string;
  kind: RecordKind;
  /** Square's version: a newer one supersedes, an equal one is a duplicate */
  version: string;
  source: RecordSource;
  square: SquareBundle;
  /** ISO time the connector first saw this version */
  receivedAt: string;
  /** customer records: what the webhook event said about the customer */
  customerEvent?: CustomerEvent;
}

/** A customer.deleted event, or a customer.* event of a merge in Square. */
export interface CustomerEvent {
  deleted?: boolean;
  merge?: { from_customer_ids: string[]; to_customer_id: string };
}

export function recordKey(kind: RecordKind, squareId: string): string {
  return `${kind}:${squareId}`;
}
