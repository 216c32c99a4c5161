import type { RecordState } from '../store/types';
import { recordKey, type SyncRecord } from '../sync/record';

// A refund reverses a sale. When the ledger knows that sale and it is not
// in X3 (it failed, is held, or is still on its way), reversing it would
// book a reversal of revenue X3 never had: the refund waits for its sale.
// A sale the ledger never saw (made before the connector started) does
// not hold its refund back.

/** The key of the sale record a refund reverses, when Square says it. */
export function refundedSaleKey(record: SyncRecord): string | undefined {
  if (record.kind !== 'refund') return undefined;
  const orderId = record.square.order?.id ?? record.square.refund?.order_id;
  return orderId ? recordKey('sale', orderId) : undefined;
}

/** Why the refund must wait for its sale, or undefined when it need not. */
export function waitForSale(
  record: SyncRecord,
  stateOf: (key: string) => RecordState | undefined,
): string | undefined {
  const sale = refundedSaleKey(record);
  if (!sale) return undefined;
  const state = stateOf(sale);
  if (state === undefined || state === 'posted') return undefined;
  return `its sale ${sale} is not in X3 yet (${state})`;
}
