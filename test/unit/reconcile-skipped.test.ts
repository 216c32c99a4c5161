import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatReconciliation,
  reconcile,
  summary,
  type Reconciliation,
} from '../../lib/reconcile';
import { LOCATIONS, PRODUCTS } from '../../sandbox/seed/business';
import { zonedIso } from '../../sandbox/seed/square-day';
import { postDay, startDay, type Day } from './reconcile-day';

// Story: on the seeded demo day a mug is given away (100% discount, paid
// 0.00 in cash). The posting rules skip that zero-value sale, so X3 holds
// nothing for it; the reconciliation lists it apart, with its figures,
// and the day still ties. An X3 invoice in another currency is not added
// into the day's totals but named, and the text report keeps its columns
// apart even for amounts of a hundred million.

const HARBOUR_LOCATION = LOCATIONS[0].id;
const MUG = PRODUCTS.find((p) => p.variationId === 'VAR_MUG');

describe('reconciliation: zero-value sales, currencies, wide amounts', () => {
  let day: Day;
  let giftKey = '';

  before(async () => {
    day = await startDay();
    const sale = day.square.createSale({
      locationId: HARBOUR_LOCATION,
      lines: [{ variationId: 'VAR_MUG', quantity: 1 }],
      discountPercent: '100',
      tenders: [{ type: 'CASH', amount: 0 }],
      at: zonedIso(day.date, '15:20:00'),
    });
    giftKey = `sale:${sale.order.id}`;
    const { result } = await postDay(day);
    assert.deepEqual(result.held, []);
    assert.deepEqual(
      result.skipped.filter((s) => s.key === giftKey),
      [{ key: giftKey, reason: 'zero-value sale' }],
    );
  });

  after(() => day.stop());

  const run = (x3: Day['readBack'] = day.readBack) =>
    reconcile({
      from: day.date,
      to: day.date,
      locationId: HARBOUR_LOCATION,
      tables: day.tables,
      mode: 'invoice',
      square: day.client,
      x3,
    });

  test('a skipped zero-value sale is listed apart and the day ties', async () => {
    const r = await run();
    const text = formatReconciliation(r);
    assert.equal(r.tied, true, text);
    for (const row of r.rows) {
      assert.equal(row.difference, 0, `${row.label}\n${text}`);
    }
    const price = MUG?.price ?? 0;
    assert.ok(price > 0);
    assert.deepEqual(r.skipped, [
      {
        key: giftKey,
        reason: 'zero-value sale',
        square: { grossSales: price, discounts: price },
      },
    ]);
    const line = r.records.find((x) => x.key === giftKey);
    assert.deepEqual(line?.square, {});
    assert.match(text, /skipped \(zero-value sale\): 1 record\(s\)/);
    assert.match(
      text,
      new RegExp(`  ${giftKey} \\(gross sales 8\\.00, discounts 8\\.00\\)`),
    );
    assert.deepEqual(summary(r).skipped[0].square, {
      grossSales: '8.00',
      discounts: '8.00',
    });
  });

  test('an X3 invoice in another currency is named, not added', async () => {
    const honest = await run();
    const gross = honest.rows.find((x) => x.category === 'grossSales');
    const invoices = await day.readBack.invoices({
      site: honest.site,
      from: day.date,
      to: day.date,
    });
    const target = invoices.find((i) => i.category !== 'creditMemo');
    assert.ok(target);
    const euro: Day['readBack'] = Object.create(day.readBack);
    euro.invoices = async (range) =>
      (await day.readBack.invoices(range)).map((i) =>
        i.id === target.id ? { ...i, currency: 'EUR' } : i,
      );

    const r = await run(euro);
    const text = formatReconciliation(r);
    assert.equal(r.tied, false, text);
    assert.equal(r.otherCurrency.length, 1, text);
    assert.equal(r.otherCurrency[0].number, target.id);
    assert.equal(r.otherCurrency[0].currency, 'EUR');
    const owner = r.records.find((x) => x.documents.includes(target.id));
    assert.equal(r.otherCurrency[0].claimedBy, owner?.key);
    const lines = target.lines.map(
      (l) =>
        Math.round(Number(l.netAmount) * 100) +
        Math.round(Number(l.discountAmount) * 100),
    );
    const x3Gross = r.rows.find((x) => x.category === 'grossSales');
    assert.equal(
      x3Gross?.x3,
      (gross?.x3 ?? 0) - lines.reduce((a, b) => a + b, 0),
    );
    assert.match(text, new RegExp(`${target.id} .* is in EUR, not USD`));
  });
});

describe('reconciliation text report', () => {
  test('columns stay apart for amounts of 100 million and more', () => {
    const big = 12_345_678_901; // 123,456,789.01
    const r: Reconciliation = {
      from: '2026-01-02',
      to: '2026-01-02',
      locationId: 'L1',
      site: 'NYC01',
      currency: 'USD',
      mode: 'invoice',
      rows: [
        {
          category: 'grossSales',
          label: 'gross sales',
          square: big,
          x3: -big,
          difference: -2 * big,
          records: ['sale:A'],
        },
        {
          category: 'tax',
          label: 'tax',
          square: 5,
          x3: 5,
          difference: 0,
          records: [],
        },
      ],
      records: [],
      strays: [],
      skipped: [],
      otherCurrency: [],
      tied: false,
    };
    const lines = formatReconciliation(r).split('\n');
    const row = lines.find((l) => l.startsWith('gross sales'));
    assert.deepEqual(row?.trim().split(/ {2,}/), [
      'gross sales',
      '123456789.01',
      '-123456789.01',
      '-246913578.02',
    ]);
    // every line of the table is as long, so the columns line up
    const width = lines[1].length;
    assert.equal(row?.length, width);
    assert.equal(lines.find((l) => l.startsWith('tax'))?.length, width);
  });
});
