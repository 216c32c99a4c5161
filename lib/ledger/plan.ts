import type { SyncRecord } from '../sync/record';
import { skipped, type PlanOptions } from './context';
import { planRefund } from './refund';
import { planSale } from './sale';
import type { PostingPlan, ResolvedMapping } from './types';

// planPosting: what one mapped record becomes in X3. The documents come
// out in posting order; each journal entry has been checked to balance.

export type { PlanOptions } from './context';
export { customerDoc } from './customer';

export function planPosting(
  record: SyncRecord,
  mapping: ResolvedMapping,
  opts: PlanOptions,
): PostingPlan {
  if (record.kind === 'sale') return planSale(record, mapping, opts);
  if (record.kind === 'refund') return planRefund(record, mapping, opts);
  return skipped(record, 'a customer is not posted; see customerDoc');
}
