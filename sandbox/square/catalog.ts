import type { CatalogObject } from '../../lib/square/client';
import { PRODUCTS, SEED_CURRENCY, type SeedProduct } from '../seed/business';
import { badRequest } from './errors';
import { listBody, type Route, type RouteContext } from './router';

// The seeded products as Square's catalog holds them: one ITEM per
// product with its one ITEM_VARIATION, which carries the SKU. Only
// BatchRetrieveCatalogObjects is served; the objects never change.

/** The SKU of each seeded variation (the seed's products have none). */
export const SEED_SKUS: Record<string, string> = {
  VAR_BEANS_HOUSE: 'RST-HOUSE-1KG',
  VAR_BEANS_DECAF: 'RST-DECAF-1KG',
  VAR_MUG: 'MUG-STONE-REG',
  VAR_GRINDER: 'GRD-HAND-STEEL',
  VAR_FILTERS: 'FLT-PAPER-100',
  VAR_BREW_CLASS: 'CLS-BREW-SEAT',
};

const CATALOG_VERSION = 1767225600000;
const UPDATED_AT = '2026-01-01T00:00:00Z';

function itemId(product: SeedProduct): string {
  return product.variationId.replace(/^VAR_/, 'ITEM_');
}

function variation(product: SeedProduct): CatalogObject {
  return {
    type: 'ITEM_VARIATION',
    id: product.variationId,
    updated_at: UPDATED_AT,
    version: CATALOG_VERSION,
    is_deleted: false,
    present_at_all_locations: true,
    item_variation_data: {
      item_id: itemId(product),
      name: product.variationName,
      sku: SEED_SKUS[product.variationId],
      ordinal: 0,
      pricing_type: 'FIXED_PRICING',
      price_money: { amount: product.price, currency: SEED_CURRENCY },
      sellable: true,
      stockable: true,
    },
  } as CatalogObject;
}

function item(product: SeedProduct): CatalogObject {
  return {
    type: 'ITEM',
    id: itemId(product),
    updated_at: UPDATED_AT,
    version: CATALOG_VERSION,
    is_deleted: false,
    present_at_all_locations: true,
    item_data: {
      name: product.name,
      is_taxable: product.taxable,
      variations: [variation(product)],
      product_type: product.taxable ? 'REGULAR' : 'APPOINTMENTS_SERVICE',
    },
  } as CatalogObject;
}

/** Every seeded ITEM and ITEM_VARIATION, by id. */
export function seedCatalog(): Map<string, CatalogObject> {
  const objects = new Map<string, CatalogObject>();
  for (const product of PRODUCTS) {
    objects.set(itemId(product), item(product));
    objects.set(product.variationId, variation(product));
  }
  return objects;
}

function batchRetrieve(ctx: RouteContext) {
  const ids = ctx.body.object_ids;
  if (!Array.isArray(ids) || ids.length === 0) {
    badRequest('MISSING_REQUIRED_PARAMETER', 'Field must be set', 'object_ids');
  }
  if (ids.some((id) => typeof id !== 'string' || id === '')) {
    badRequest('INVALID_ARRAY_VALUE', 'Invalid object id.', 'object_ids');
  }

  const catalog = seedCatalog();
  const objects = [...new Set(ids as string[])]
    .map((id) => catalog.get(id))
    .filter((o): o is CatalogObject => Boolean(o));
  const related: CatalogObject[] = [];
  if (ctx.body.include_related_objects === true) {
    for (const o of objects) {
      const parent = o.item_variation_data?.item_id;
      const found = parent ? catalog.get(parent) : undefined;
      if (found && !objects.includes(found) && !related.includes(found)) {
        related.push(found);
      }
    }
  }
  return {
    body: listBody('objects', objects, undefined, {
      ...(related.length ? { related_objects: related } : {}),
    }),
  };
}

export const catalogRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v2/catalog/batch-retrieve',
    auth: 'bearer',
    handler: batchRetrieve,
  },
];
