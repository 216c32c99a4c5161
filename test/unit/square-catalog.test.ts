import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { SkuCache, variationsToLookUp } from '../../lib/ledger/catalog-skus';
import { resolveMapping } from '../../lib/ledger/mapping';
import type { MappingTables } from '../../lib/ledger/types';
import { SquareClient } from '../../lib/square/client';
import { SquareApiError } from '../../lib/square/errors';
import type { SyncRecord } from '../../lib/sync/record';
import { SEED_SKUS } from '../../sandbox/square/catalog';
import { createSquareEmulator } from '../../sandbox/square/emulator';
import {
  checkAgainst,
  type OpenApiDoc,
} from '../../sandbox/square/openapi-check';
import { sharedFile } from './shared-dir';

// BatchRetrieveCatalogObjects in the client and the emulator, and the SKU
// cache the mapping node keeps: one catalog call for the variations the
// product table does not know, none for those it asked before.

const SPEC = sharedFile('reference/square-openapi.json');
const emulator = createSquareEmulator({ seed: false });
let client: SquareClient;
let base = '';

before(async () => {
  base = await emulator.start(0, '127.0.0.1');
  client = new SquareClient({
    baseUrl: base,
    getAccessToken: async () => 'sqx3-demo-token',
  });
});
after(() => emulator.stop());

const catalogCalls = () =>
  emulator.requestCounts()['POST /v2/catalog/batch-retrieve'] ?? 0;

function sale(lines: { id?: string; name: string }[]): SyncRecord {
  return {
    key: 'sale:ORDER-SKU',
    kind: 'sale',
    version: '1',
    source: 'poll',
    receivedAt: '2026-03-14T15:00:00.000Z',
    square: {
      order: {
        id: 'ORDER-SKU',
        location_id: 'L1HARBOURST01',
        state: 'COMPLETED',
        line_items: lines.map((l, i) => ({
          uid: `line-${i}`,
          name: l.name,
          quantity: '1',
          catalog_object_id: l.id,
          base_price_money: { amount: 800, currency: 'USD' },
          gross_sales_money: { amount: 800, currency: 'USD' },
          total_money: { amount: 800, currency: 'USD' },
        })),
        total_money: { amount: 800 * lines.length, currency: 'USD' },
      } as never,
      payments: [],
      location: { id: 'L1HARBOURST01', currency: 'USD' },
    },
  };
}

const tables = (extra: Partial<MappingTables> = {}): MappingTables => ({
  sites: { L1HARBOURST01: 'NYC01' },
  products: {
    VAR_BEANS_HOUSE: { product: 'BEANS-HOUSE', revenueAccount: 'A-COFFEE' },
  },
  taxes: {},
  tenders: {},
  accounts: {
    receivable: 'AR-TRADE',
    tips: '',
    serviceCharges: '',
    fees: '',
    giftCardLiability: '',
  },
  customers: {},
  walkInCustomer: 'WALKIN',
  customerCategory: 'RETL',
  exemptTax: { taxCode: 'EXE', account: 'TAX-EXEMPT' },
  ...extra,
});

describe('BatchRetrieveCatalogObjects', () => {
  test('variations carry their SKU; unknown ids are left out', async () => {
    const objects = await client.batchRetrieveCatalogObjects([
      'VAR_MUG',
      'ITEM_GRINDER',
      'NO_SUCH_ID',
    ]);
    assert.deepEqual(
      objects.map((o) => [o.type, o.id]),
      [
        ['ITEM_VARIATION', 'VAR_MUG'],
        ['ITEM', 'ITEM_GRINDER'],
      ],
    );
    assert.equal(objects[0].item_variation_data?.sku, 'MUG-STONE-REG');
    assert.equal(objects[0].item_variation_data?.item_id, 'ITEM_MUG');
    assert.deepEqual(
      objects[1].item_data?.variations?.map((v) => v.item_variation_data?.sku),
      ['GRD-HAND-STEEL'],
    );
  });

  test('an empty id is a 400, as Square answers', async () => {
    await assert.rejects(
      client.batchRetrieveCatalogObjects(['']),
      (e: SquareApiError) =>
        e.status === 400 && e.code === 'INVALID_ARRAY_VALUE',
    );
  });

  test(
    'the answer matches the OpenAPI schema',
    { skip: !SPEC && 'no spec' },
    async () => {
      const doc = JSON.parse(fs.readFileSync(SPEC!, 'utf8')) as OpenApiDoc;
      const res = await fetch(`${base}/v2/catalog/batch-retrieve`, {
        method: 'POST',
        headers: {
          authorization: 'Bearer sqx3-demo-token',
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          object_ids: Object.keys(SEED_SKUS),
          include_related_objects: true,
        }),
      });
      assert.equal(res.status, 200);
      const body = (await res.json()) as {
        objects: unknown[];
        related_objects: unknown[];
      };
      assert.equal(body.objects.length, 6);
      assert.equal(body.related_objects.length, 6);
      assert.deepEqual(
        checkAgainst(doc, 'BatchRetrieveCatalogObjectsResponse', body),
        [],
      );
    },
  );
});

describe('SKU cache and resolution', () => {
  test('asks only for unknown variations, once each', async () => {
    const cache = new SkuCache(client);
    const withSkus = tables({
      skus: {
        'MUG-STONE-REG': { product: 'MUG-STD', revenueAccount: 'A-MERCH' },
      },
    });
    const record = sale([
      { id: 'VAR_BEANS_HOUSE', name: 'House blend beans' },
      { id: 'VAR_MUG', name: 'Stoneware mug' },
      { id: 'VAR_GRINDER', name: 'Hand grinder' },
    ]);
    assert.deepEqual(variationsToLookUp(record, withSkus), [
      'VAR_MUG',
      'VAR_GRINDER',
    ]);
    assert.deepEqual(variationsToLookUp(record, tables()), []);

    const calls = catalogCalls();
    await cache.load(variationsToLookUp(record, withSkus));
    await cache.load(variationsToLookUp(record, withSkus));
    await cache.load(['VAR_MUG', 'NO_SUCH_ID']);
    await cache.load(['NO_SUCH_ID']);
    assert.equal(cache.requests, 2);
    assert.equal(catalogCalls() - calls, 2);
    assert.equal(cache.sku('VAR_MUG'), 'MUG-STONE-REG');
    assert.equal(cache.sku('NO_SUCH_ID'), undefined);

    const result = resolveMapping(record, withSkus, {
      skuOf: (id) => cache.sku(id),
    });
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.deepEqual(result.missing, [
      'product for VAR_GRINDER ("Hand grinder") SKU GRD-HAND-STEEL',
    ]);

    const covered = resolveMapping(
      record,
      {
        ...withSkus,
        skus: {
          ...withSkus.skus,
          'GRD-HAND-STEEL': { product: 'GRINDER-M', revenueAccount: 'A-MERCH' },
        },
      },
      { skuOf: (id) => cache.sku(id) },
    );
    assert.equal(covered.ok, true);
    if (!covered.ok) return;
    assert.deepEqual(
      Object.values(covered.mapping.lines).map((l) => l.product),
      ['BEANS-HOUSE', 'MUG-STD', 'GRINDER-M'],
    );
  });

  test('the id wins over the SKU, the SKU over the generic product', () => {
    const skuOf = (id: string) => SEED_SKUS[id];
    const record = sale([
      { id: 'VAR_BEANS_HOUSE', name: 'House blend beans' },
      { id: 'VAR_MUG', name: 'Stoneware mug' },
      { id: 'VAR_FILTERS', name: 'Paper filters' },
    ]);
    const result = resolveMapping(
      record,
      tables({
        skus: {
          'RST-HOUSE-1KG': { product: 'WRONG', revenueAccount: 'A-COFFEE' },
          'MUG-STONE-REG': { product: 'MUG-STD', revenueAccount: 'A-MERCH' },
        },
        genericProduct: { product: 'MISC', revenueAccount: 'A-MISC' },
      }),
      { skuOf },
    );
    assert.equal(result.ok, true);
    if (!result.ok) return;
    assert.deepEqual(
      Object.values(result.mapping.lines).map((l) => l.product),
      ['BEANS-HOUSE', 'MUG-STD', 'MISC'],
    );
  });

  test('a bounded cache forgets the oldest answers first', async () => {
    const cache = new SkuCache(client, 2);
    await cache.load(['VAR_MUG', 'VAR_GRINDER', 'VAR_FILTERS']);
    assert.equal(cache.size, 2);
    assert.equal(cache.sku('VAR_MUG'), undefined);
    assert.equal(cache.sku('VAR_FILTERS'), 'FLT-PAPER-100');
  });
});
