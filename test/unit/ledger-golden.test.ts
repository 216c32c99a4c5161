import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveMapping } from '../../lib/ledger/mapping';
import { planPosting } from '../../lib/ledger/plan';
import { documentReference } from '../../lib/ledger/reference';
import type {
  InvoiceDoc,
  JournalEntryDoc,
  ResolvedMapping,
} from '../../lib/ledger/types';
import type { SyncRecord } from '../../lib/sync/record';
import {
  amountReturnOrder,
  figures,
  mugReturnOrder,
  ORDER_ID,
  refundOf,
  refundRecord,
  saleRecord,
  tables,
} from './ledger-fixtures';

// DESIGN §5's worked example, figure for figure.

function mapped(
  record: SyncRecord,
  mode: 'invoice' | 'journal',
): ResolvedMapping {
  const result = resolveMapping(record, tables(), { mode });
  assert.ok(result.ok, JSON.stringify(!result.ok && result.missing));
  return result.mapping;
}

function plan(record: SyncRecord, mode: 'invoice' | 'journal', memo = true) {
  return planPosting(record, mapped(record, mode), {
    mode,
    itemisedCreditMemo: memo,
  });
}

describe('golden sale', () => {
  test('mapping resolves the demo codes', () => {
    const m = mapped(saleRecord(), 'invoice');
    assert.equal(m.site, 'NYC01');
    assert.equal(m.currency, 'USD');
    assert.equal(m.customer, 'WALKIN');
    assert.equal(m.customerFromSquare, false);
    assert.deepEqual(m.lines['line-beans'], {
      product: 'BEANS-HOUSE',
      revenueAccount: 'A-COFFEE',
      taxCode: 'NY1',
      taxAccount: 'TAX-PAYABLE',
    });
    assert.equal(m.lines['line-mug'].product, 'MUG-STD');
    assert.deepEqual(m.taxes, {
      'tax-nyc': { taxCode: 'NY1', account: 'TAX-PAYABLE' },
    });
    assert.deepEqual(m.tenders, {
      hYy9pRFVxpDsO1FB05SunFWUe9JZY: 'CLEARING-CARD',
    });
  });

  test('journal mode: revenue entry and fee entry', () => {
    const { documents, recordKey } = plan(saleRecord(), 'journal');
    assert.equal(recordKey, `sale:${ORDER_ID}`);
    assert.deepEqual(
      documents.map((d) => d.docKey),
      [`sale:${ORDER_ID}#revenue`, `sale:${ORDER_ID}#fee`],
    );

    const revenue = documents[0] as JournalEntryDoc;
    assert.equal(revenue.kind, 'revenue');
    assert.deepEqual(figures(revenue), [
      ['CLEARING-CARD', 'debit', 3436],
      ['A-COFFEE', 'credit', 2160],
      ['A-MERCH', 'credit', 720],
      ['TAX-PAYABLE', 'credit', 256],
      ['TIPS-PAYABLE', 'credit', 300],
    ]);
    assert.equal(revenue.site, 'NYC01');
    assert.equal(revenue.currency, 'USD');
    assert.equal(revenue.date, '2025-03-14', 'closing day in New York');
    assert.equal(revenue.description, 'Square sale 03O3USaP');
    assert.equal(revenue.reference, documentReference(revenue.docKey));
    assert.equal(revenue.reference.length, 20);

    const fee = documents[1] as JournalEntryDoc;
    assert.equal(fee.kind, 'fee');
    assert.deepEqual(figures(fee), [
      ['FEES', 'debit', 104],
      ['CLEARING-CARD', 'credit', 104],
    ]);
  });

  test('invoice mode: invoice lines and receipt entry', () => {
    const { documents } = plan(saleRecord(), 'invoice');
    assert.deepEqual(
      documents.map((d) => d.docKey),
      [
        `sale:${ORDER_ID}#invoice`,
        `sale:${ORDER_ID}#receipt`,
        `sale:${ORDER_ID}#fee`,
      ],
    );

    const invoice = documents[0] as InvoiceDoc;
    assert.equal(invoice.kind, 'invoice');
    assert.equal(invoice.customer, 'WALKIN');
    assert.equal(invoice.site, 'NYC01');
    assert.equal(invoice.date, '2025-03-14');
    assert.deepEqual(invoice.lines, [
      {
        product: 'BEANS-HOUSE',
        description: 'House blend beans',
        quantity: '2',
        grossPrice: 1200,
        discount: 240,
        taxCode: 'NY1',
        taxAmount: 192,
        netAmount: 2160,
      },
      {
        product: 'MUG-STD',
        description: 'Stoneware mug',
        quantity: '1',
        grossPrice: 800,
        discount: 80,
        taxCode: 'NY1',
        taxAmount: 64,
        netAmount: 720,
      },
    ]);
    assert.equal(invoice.totalNet, 2880);
    assert.equal(invoice.totalTax, 256);

    const receipt = documents[1] as JournalEntryDoc;
    assert.equal(receipt.kind, 'receipt');
    assert.deepEqual(figures(receipt), [
      ['CLEARING-CARD', 'debit', 3436],
      ['AR-TRADE', 'credit', 3136],
      ['TIPS-PAYABLE', 'credit', 300],
    ]);
    assert.equal(receipt.lines[1].businessPartner, 'WALKIN');
    assert.equal(receipt.lines[0].businessPartner, undefined);
  });

  test('no fee reported yet: no fee entry', () => {
    const record = saleRecord();
    delete record.square.payments![0].processing_fee;
    const { documents } = plan(record, 'journal');
    assert.deepEqual(
      documents.map((d) => d.docKey),
      [`sale:${ORDER_ID}#revenue`],
    );
  });
});

describe('golden refunds', () => {
  test('itemised return of the mug, journal mode', () => {
    const record = refundRecord(refundOf(784, 'MUG'), mugReturnOrder());
    const { documents } = plan(record, 'journal');
    assert.equal(documents.length, 1);
    const entry = documents[0] as JournalEntryDoc;
    assert.equal(entry.kind, 'refund');
    assert.equal(entry.docKey, `${record.key}#refund`);
    assert.deepEqual(figures(entry), [
      ['A-MERCH', 'debit', 720],
      ['TAX-PAYABLE', 'debit', 64],
      ['CLEARING-CARD', 'credit', 784],
    ]);
    assert.equal(entry.date, '2025-03-20');
    assert.equal(entry.description, 'Square refund MUG');
  });

  test('itemised return, invoice mode with credit memo', () => {
    const record = refundRecord(refundOf(784, 'MUG'), mugReturnOrder());
    const { documents } = plan(record, 'invoice', true);
    assert.deepEqual(
      documents.map((d) => d.docKey),
      [`${record.key}#credit-memo`, `${record.key}#refund-receipt`],
    );
    const memo = documents[0] as InvoiceDoc;
    assert.equal(memo.kind, 'credit-memo');
    assert.deepEqual(memo.lines, [
      {
        product: 'MUG-STD',
        description: 'Stoneware mug',
        quantity: '1',
        grossPrice: 800,
        discount: 80,
        taxCode: 'NY1',
        taxAmount: 64,
        netAmount: 720,
      },
    ]);
    assert.equal(memo.totalNet, 720);
    assert.equal(memo.totalTax, 64);
    const receipt = documents[1] as JournalEntryDoc;
    assert.deepEqual(figures(receipt), [
      ['AR-TRADE', 'debit', 784],
      ['CLEARING-CARD', 'credit', 784],
    ]);
    assert.equal(receipt.lines[0].businessPartner, 'WALKIN');
  });

  test('itemised return, invoice mode without credit memo', () => {
    const record = refundRecord(refundOf(784, 'MUG'), mugReturnOrder());
    const { documents } = plan(record, 'invoice', false);
    assert.deepEqual(
      documents.map((d) => (d as JournalEntryDoc).kind),
      ['refund'],
    );
    assert.deepEqual(figures(documents[0] as JournalEntryDoc), [
      ['A-MERCH', 'debit', 720],
      ['TAX-PAYABLE', 'debit', 64],
      ['CLEARING-CARD', 'credit', 784],
    ]);
  });

  for (const mode of ['journal', 'invoice'] as const) {
    test(`bare 1000 refund spread by largest remainder (${mode})`, () => {
      const record = refundRecord(
        refundOf(1000, 'BARE'),
        amountReturnOrder(1000),
      );
      const { documents } = plan(record, mode);
      assert.equal(documents.length, 1);
      assert.deepEqual(figures(documents[0] as JournalEntryDoc), [
        ['A-COFFEE', 'debit', 689],
        ['A-MERCH', 'debit', 229],
        ['TAX-PAYABLE', 'debit', 82],
        ['CLEARING-CARD', 'credit', 1000],
      ]);
    });
  }

  test('bare refund without a return order, with the fee given back', () => {
    const record = refundRecord(refundOf(1000, 'BARE', -30), undefined);
    const { documents } = plan(record, 'journal');
    assert.deepEqual(
      documents.map((d) => (d as JournalEntryDoc).kind),
      ['refund', 'fee-refund'],
    );
    assert.deepEqual(figures(documents[0] as JournalEntryDoc), [
      ['A-COFFEE', 'debit', 689],
      ['A-MERCH', 'debit', 229],
      ['TAX-PAYABLE', 'debit', 82],
      ['CLEARING-CARD', 'credit', 1000],
    ]);
    assert.deepEqual(figures(documents[1] as JournalEntryDoc), [
      ['CLEARING-CARD', 'debit', 30],
      ['FEES', 'credit', 30],
    ]);
  });

  test('a pending refund posts nothing yet', () => {
    const refund = { ...refundOf(784, 'MUG'), status: 'PENDING' };
    const record = refundRecord(refund, mugReturnOrder());
    const result = plan(record, 'journal');
    assert.deepEqual(result.documents, []);
    assert.match(result.skipReason ?? '', /PENDING/);
  });
});
