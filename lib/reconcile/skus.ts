import { variationsToLookUp } from '../ledger/catalog-skus';
import type { MappingTables } from '../ledger/types';
import type { SyncRecord } from '../sync/record';

// The posting maps a line its product table lacks by the variation's SKU
// in Square's catalog. The reconciliation maps each record the same way:
// without the SKUs, a sale posted through an SKU row would count here as
// unmapped, and its figures would differ from what X3 was given.

/** A catalog SKU lookup, as the mapping node keeps one. */
export interface SkuLookup {
  /** asks the catalog for the SKUs of the variations not asked yet */
  load(variationIds: string[]): Promise<void>;
  /** the SKU of a variation asked for, if the catalog gave one */
  sku(variationId: string): string | undefined;
}

export type SkuOf = (variationId: string) => string | undefined;

// The mapping node's lookup keeps 5,000 answers; read back in smaller
// steps, so that none is dropped before it is copied.
const STEP = 500;

/** The SKUs the records' lines need, asked for once, for resolveMapping. */
export async function recordSkus(
  records: readonly SyncRecord[],
  tables: MappingTables,
  lookup: SkuLookup | undefined,
): Promise<SkuOf | undefined> {
  if (!lookup) return undefined;
  const ids = [
    ...new Set(records.flatMap((r) => variationsToLookUp(r, tables))),
  ];
  const skus = new Map<string, string>();
  for (let i = 0; i < ids.length; i += STEP) {
    const step = ids.slice(i, i + STEP);
    await lookup.load(step);
    for (const id of step) {
      const sku = lookup.sku(id);
      if (sku) skus.set(id, sku);
    }
  }
  return (id) => skus.get(id);
}
