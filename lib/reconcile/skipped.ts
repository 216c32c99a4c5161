import { resolveMapping } from '../ledger/mapping';
import { planPosting } from '../ledger/plan';
import type { MappingTables, PostingMode } from '../ledger/types';
import type { SyncRecord } from '../sync/record';
import type { SkuOf } from './skus';

// Whether the posting rules post nothing for a record (a zero-value sale,
// a zero-value refund, a return order): X3 then holds nothing for it by
// design, so Square's side must not count it in the compared rows either.
// A record the tables cannot map is not skipped: it waits, held.

export function postingSkip(
  record: SyncRecord,
  tables: MappingTables,
  mode: PostingMode,
  skuOf?: SkuOf,
): string | undefined {
  if (record.kind !== 'sale' && record.kind !== 'refund') return undefined;
  const resolved = resolveMapping(record, tables, { mode, skuOf });
  if (!resolved.ok) return undefined;
  try {
    const plan = planPosting(record, resolved.mapping, {
      mode,
      itemisedCreditMemo: true,
    });
    if (plan.documents.length > 0) return undefined;
    return plan.skipReason || 'skipped by the posting rules';
  } catch {
    // the posting would fail on it, not skip it: it stays compared
    return undefined;
  }
}
