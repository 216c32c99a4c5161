import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatReconciliation, reconcile } from '../../lib/reconcile';
import type { InvoiceDoc, X3Document } from '../../lib/ledger/types';
import { GOLDEN } from '../../sandbox/seed/square-day';
import { postDay, startDay, type Day } from './reconcile-day';

// Story: the seeded demo day is posted into X3, then each shop's day is
// reconciled, Square against X3. Untouched, every category ties to the
// cent. With one X3 invoice altered on its way in, the difference names
// exactly that sale, and a journal entry nobody posted from Square shows
// up as a document no record claims.

describe('reconciliation of the seeded demo day', () => {
  let day: Day;

  before(async () => {
    day = await startDay();
    const { result } = await postDay(day);
    assert.deepEqual(result.held, []);
    assert.ok(result.posted.length >= 20, `${result.posted.length} posted`);
  });

  after(() => day.stop());

  test('every location ties to the cent, category by category', async () => {
    for (const location of day.locations) {
      const r = await reconcile({
        from: day.date,
        to: day.date,
        locationId: location.id,
        tables: day.tables,
        mode: 'invoice',
        square: day.client,
        x3: day.readBack,
      });
      const text = formatReconciliation(r);
      assert.equal(r.tied, true, text);
      // the rows a finance reader asked about are explained under the table
      assert.match(text, /\(processing fees: what Square charged, less/);
      assert.match(text, /\(tender <account>: what came in through/);
      assert.deepEqual(r.strays, []);
      for (const row of r.rows) {
        assert.equal(row.difference, 0, `${row.label}\n${text}`);
        assert.deepEqual(row.records, [], `${row.label}\n${text}`);
      }
      const net = r.rows.find((x) => x.category === 'netSales');
      const gross = r.rows.find((x) => x.category === 'grossSales');
      const disc = r.rows.find((x) => x.category === 'discounts');
      const ret = r.rows.find((x) => x.category === 'returns');
      assert.ok(gross && gross.square > 0, text);
      assert.equal(
        net?.square,
        (gross?.square ?? 0) - (disc?.square ?? 0) - (ret?.square ?? 0),
      );
      if (process.env.SQX3_PRINT) console.log(text);
    }
  });

  test("the golden sale and its refunds appear in Harbour Street's rows", async () => {
    const r = await reconcile({
      from: day.date,
      to: day.date,
      locationId: GOLDEN.locationId,
      tables: day.tables,
      mode: 'invoice',
      square: day.client,
      x3: day.readBack,
    });
    const golden = r.records.find((x) => x.key === `sale:${GOLDEN.orderId}`);
    assert.equal(golden?.square.grossSales, 3200);
    assert.equal(golden?.square.discounts, 320);
    assert.equal(golden?.square.tax, 256);
    assert.equal(golden?.square.tips, 300);
    assert.equal(golden?.x3['tender:CLEARING-CARD'], 3436);
    assert.equal(golden?.x3.fees, 104);
    assert.equal(golden?.documents.length, 3);
    const bare = r.records.find(
      (x) => x.key === `refund:${GOLDEN.bareRefundId}`,
    );
    assert.deepEqual(
      [bare?.x3.refunds, bare?.x3.returns, bare?.x3.tax],
      [1000, 918, -82],
    );
  });
});

describe('a tampered X3 document', () => {
  let day: Day;
  const goldenKey = `sale:${GOLDEN.orderId}`;

  before(async () => {
    day = await startDay();
    // One cent more tax on the golden sale's invoice, as if someone had
    // edited it in X3; its receipt still clears the Square amount.
    const tamper = (doc: X3Document): X3Document => {
      if (doc.type !== 'invoice' || doc.docKey !== `${goldenKey}#invoice`) {
        return doc;
      }
      const lines = doc.lines.map((l, i) =>
        i === 0 ? { ...l, taxAmount: l.taxAmount + 1 } : l,
      );
      return { ...doc, lines, totalTax: doc.totalTax + 1 } as InvoiceDoc;
    };
    await postDay(day, tamper);
    await day.gateway.postDocument({
      type: 'entry',
      kind: 'receipt',
      docKey: 'manual#1',
      reference: 'MANUAL-ADJ-1',
      site: 'NYC01',
      date: day.date,
      currency: 'USD',
      description: 'manual adjustment',
      lines: [
        {
          account: 'CLEARING-CASH',
          side: 'debit',
          amount: 500,
          description: 'x',
        },
        { account: 'A-MERCH', side: 'credit', amount: 500, description: 'x' },
      ],
    });
  });

  after(() => day.stop());

  test('the difference names the record behind it', async () => {
    const r = await reconcile({
      from: day.date,
      to: day.date,
      locationId: GOLDEN.locationId,
      tables: day.tables,
      mode: 'invoice',
      square: day.client,
      x3: day.readBack,
    });
    const text = formatReconciliation(r);
    assert.equal(r.tied, false);
    const tax = r.rows.find((x) => x.category === 'tax');
    assert.equal(tax?.difference, 1, text);
    assert.deepEqual(tax?.records, [goldenKey]);
    const open = r.rows.find((x) => x.category === 'receivable');
    assert.equal(open?.difference, 1, text);
    assert.deepEqual(open?.records, [goldenKey]);

    assert.equal(r.strays.length, 1);
    assert.equal(r.strays[0].reference, 'MANUAL-ADJ-1');
    const net = r.rows.find((x) => x.category === 'netSales');
    assert.equal(net?.difference, 500, text);
    assert.deepEqual(net?.records, [`x3:${r.strays[0].number}`]);
    assert.match(text, /MANUAL-ADJ-1\) matches no Square record/);

    const others = r.rows.filter(
      (x) =>
        !['tax', 'receivable', 'netSales', 'tender:CLEARING-CASH'].includes(
          x.category,
        ),
    );
    for (const row of others) assert.equal(row.difference, 0, text);
  });
});
