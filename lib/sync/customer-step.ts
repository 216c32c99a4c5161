import { customerDoc } from '../ledger/customer';
import type { CustomerDoc, ResolvedMapping } from '../ledger/types';
import type { SyncRecord } from './record';

// A Square customer becomes or updates its X3 customer. For a sale, only
// when the sale names a Square customer X3 does not know yet; for a
// customer record, always (an update in Square updates X3). Deletions and
// merges in Square never delete anything in X3.

export interface CustomerLedger {
  x3Customer(squareId: string): string | undefined;
  pairCustomer(squareId: string, x3Code: string): void;
  setState(key: string, state: string, detail?: string): void;
  trail(key: string, stage: string, detail: string): void;
}

export interface CustomerWriter {
  upsertCustomer(doc: CustomerDoc): Promise<{ code: string; created: boolean }>;
}

export interface CustomerOutcome {
  code?: string;
  action: 'created' | 'updated' | 'known' | 'walk-in' | 'not-in-square';
}

export async function syncCustomer(
  ledger: CustomerLedger,
  x3: CustomerWriter,
  record: SyncRecord,
  mapping: ResolvedMapping,
): Promise<CustomerOutcome> {
  const customer = record.square.customer;
  const isCustomerRecord = record.kind === 'customer';

  if (!isCustomerRecord && !mapping.customerFromSquare) {
    return { code: mapping.customer, action: 'walk-in' };
  }
  if (!isCustomerRecord && customer) {
    const known = ledger.x3Customer(customer.id);
    if (known) return { code: known, action: 'known' };
  }
  if (!customer) return { code: mapping.customer, action: 'not-in-square' };

  const doc = customerDoc(customer, mapping);
  // Written before X3 is called: a ledger that cannot record the step
  // stops it here, and X3 is not asked for anything.
  ledger.trail(record.key, 'customer-sync', `X3 customer ${doc.code}`);
  const result = await x3.upsertCustomer(doc);
  ledger.pairCustomer(customer.id, result.code);

  const action = result.created ? 'created' : 'updated';
  ledger.trail(record.key, `customer-${action}`, `X3 customer ${result.code}`);
  if (isCustomerRecord) ledger.setState(record.key, 'posted', result.code);
  return { code: result.code, action };
}
