import { customerDoc } from '../ledger/customer';
import { resolveMapping } from '../ledger/mapping';
import { planPosting } from '../ledger/plan';
import type {
  CustomerDoc,
  MappingTables,
  PostingMode,
  X3Document,
} from '../ledger/types';
import type { SyncRecord } from '../sync/record';
import { recordSkus, type SkuLookup } from './skus';

// Posts records straight through the posting rules, without Node-RED and
// without the sync ledger: for a one-off backfill into an empty X3 folder
// and for checking a day end to end. It has no exactly-once guard, so it
// must not be pointed at a folder the connector already posts into.

export interface DirectPoster {
  upsertCustomer(doc: CustomerDoc): Promise<{ code: string }>;
  postDocument(doc: X3Document): Promise<string>;
}

export interface PostRecordsOptions {
  tables: MappingTables;
  mode: PostingMode;
  itemisedCreditMemo?: boolean;
  /** the catalog SKUs for the tables' SKU rows, as the mapping node has */
  skus?: SkuLookup;
  x3: DirectPoster;
  /** a hook to change a document on its way (tests use it to tamper) */
  transform?: (doc: X3Document, record: SyncRecord) => X3Document;
}

export interface PostRecordsResult {
  posted: { key: string; numbers: string[] }[];
  held: { key: string; missing: string[] }[];
  skipped: { key: string; reason: string }[];
}

export async function postRecords(
  records: readonly SyncRecord[],
  opts: PostRecordsOptions,
): Promise<PostRecordsResult> {
  const result: PostRecordsResult = { posted: [], held: [], skipped: [] };
  const skuOf = await recordSkus(records, opts.tables, opts.skus);
  for (const record of records) {
    const resolved = resolveMapping(record, opts.tables, {
      mode: opts.mode,
      skuOf,
    });
    if (!resolved.ok) {
      result.held.push({ key: record.key, missing: resolved.missing });
      continue;
    }
    const { mapping } = resolved;
    const customer = record.square.customer;
    if (mapping.customerFromSquare && customer) {
      await opts.x3.upsertCustomer(customerDoc(customer, mapping));
    }

    const plan = planPosting(record, mapping, {
      mode: opts.mode,
      itemisedCreditMemo: opts.itemisedCreditMemo ?? true,
    });
    if (plan.documents.length === 0) {
      result.skipped.push({ key: record.key, reason: plan.skipReason ?? '' });
      continue;
    }
    const numbers: string[] = [];
    for (const doc of plan.documents) {
      const sent = opts.transform ? opts.transform(doc, record) : doc;
      numbers.push(await opts.x3.postDocument(sent));
    }
    result.posted.push({ key: record.key, numbers });
  }
  return result;
}
