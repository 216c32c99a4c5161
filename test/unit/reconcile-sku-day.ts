import assert from 'node:assert/strict';
import { SkuCache } from '../../lib/ledger/catalog-skus';
import type { MappingTables, PostingMode } from '../../lib/ledger/types';
import { postRecords } from '../../lib/reconcile';
import { LOCATIONS } from '../../sandbox/seed/business';
import { zonedIso } from '../../sandbox/seed/square-day';
import { dayRecords, exampleTables, startDay, type Day } from './reconcile-day';

// The seeded demo day with the brewing class mapped only by its catalog
// SKU, on a revenue account no other row uses, and three more Harbour
// Street records that only the SKU row maps: a class sale, a bare refund
// of part of it and a free class. Posted with the catalog's SKUs, as the
// mapping node posts it.

export const HARBOUR = LOCATIONS[0].id;
const CLASS_SKU = 'CLS-BREW-SEAT';

export function skuTables(): MappingTables {
  const tables = exampleTables();
  delete tables.products.VAR_BREW_CLASS;
  delete tables.genericProduct;
  tables.skus = {
    [CLASS_SKU]: { product: 'CLASS-SEAT', revenueAccount: 'A-SERVICES' },
  };
  return tables;
}

export interface SoldClasses {
  sale: string;
  refund: string;
  free: string;
}

/** A class sale, a bare refund of part of it and a free class. */
export function sellClasses(day: Day): SoldClasses {
  const sale = day.square.createSale({
    locationId: HARBOUR,
    lines: [
      { variationId: 'VAR_BREW_CLASS', quantity: 1 },
      { variationId: 'VAR_MUG', quantity: 1 },
    ],
    tenders: [{ type: 'CARD', brand: 'VISA', tip: 200 }],
    at: zonedIso(day.date, '13:10:00'),
  });
  const refund = day.square.createRefund({
    paymentId: sale.payments[0].id,
    amount: 1500,
    reason: 'Class moved',
    at: zonedIso(day.date, '17:05:00'),
  });
  const free = day.square.createSale({
    locationId: HARBOUR,
    lines: [{ variationId: 'VAR_BREW_CLASS', quantity: 1 }],
    discountPercent: '100',
    tenders: [{ type: 'CASH', amount: 0 }],
    at: zonedIso(day.date, '15:40:00'),
  });
  return {
    sale: `sale:${sale.order.id}`,
    refund: `refund:${refund.refund.id}`,
    free: `sale:${free.order.id}`,
  };
}

export async function postedDay(mode: PostingMode = 'invoice') {
  const day = await startDay();
  try {
    day.tables = skuTables();
    const keys = sellClasses(day);
    const skus = new SkuCache(day.client);
    const result = await postRecords(await dayRecords(day), {
      tables: day.tables,
      mode,
      skus,
      x3: day.gateway,
    });
    assert.deepEqual(result.held, []);
    assert.deepEqual(
      result.skipped.filter((s) => s.key === keys.free),
      [{ key: keys.free, reason: 'zero-value sale' }],
    );
    return { day, keys, skus };
  } catch (error) {
    await day.stop();
    throw error;
  }
}
