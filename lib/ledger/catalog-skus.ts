import type { CatalogObject } from '../square/client';
import type { SyncRecord } from '../sync/record';
import type { MappingTables } from './types';

// Order lines name their catalog variation but not its SKU, so the
// mapping node asks Square's catalog for the SKUs it needs: only for
// variations its product table does not know, only when the tables have
// SKU rows at all, and each variation once per deploy (a bounded cache).

export interface CatalogReader {
  batchRetrieveCatalogObjects(ids: string[]): Promise<CatalogObject[]>;
}

/** Variation ids of a record's lines that only a SKU row could map. */
export function variationsToLookUp(
  record: SyncRecord,
  tables: MappingTables,
): string[] {
  if (!tables.skus || Object.keys(tables.skus).length === 0) return [];
  const { order, returnOrder } = record.square;
  const ids = [
    ...(order?.line_items ?? []),
    ...(returnOrder?.line_items ?? []),
    ...(returnOrder?.returns ?? []).flatMap((r) => r.return_line_items ?? []),
  ]
    .map((line) => line.catalog_object_id)
    .filter((id): id is string => Boolean(id) && !tables.products[id!]);
  return [...new Set(ids)];
}

export class SkuCache {
  /** variation id -> SKU; null when the catalog gave none */
  private readonly skus = new Map<string, string | null>();
  /** BatchRetrieveCatalogObjects calls made, for the status and tests */
  requests = 0;

  constructor(
    private readonly reader: CatalogReader,
    private readonly maxEntries = 5_000,
  ) {}

  /** The SKU, if the catalog was asked and gave one. */
  sku(variationId: string): string | undefined {
    return this.skus.get(variationId) ?? undefined;
  }

  get size(): number {
    return this.skus.size;
  }

  /** Asks the catalog for the ids not asked yet, in one call. */
  async load(variationIds: string[]): Promise<void> {
    const missing = [...new Set(variationIds)].filter(
      (id) => !this.skus.has(id),
    );
    if (missing.length === 0) return;

    this.requests += 1;
    const objects = await this.reader.batchRetrieveCatalogObjects(missing);
    const found = new Map<string, string>();
    for (const object of objects) {
      const sku = object.item_variation_data?.sku?.trim();
      if (object.type === 'ITEM_VARIATION' && sku) found.set(object.id, sku);
    }
    for (const id of missing) this.remember(id, found.get(id) ?? null);
  }

  private remember(id: string, sku: string | null): void {
    this.skus.delete(id);
    this.skus.set(id, sku);
    // A Map keeps insertion order: the first key is the oldest answer.
    while (this.skus.size > this.maxEntries) {
      const oldest = this.skus.keys().next().value as string;
      this.skus.delete(oldest);
    }
  }
}
