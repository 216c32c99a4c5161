import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertBalanced } from '../../lib/ledger/entry';
import { PostingError } from '../../lib/ledger/errors';
import { resolveMapping } from '../../lib/ledger/mapping';
import { planPosting } from '../../lib/ledger/plan';
import { customerCode } from '../../lib/ledger/reference';
import type {
  InvoiceDoc,
  JournalEntryDoc,
  MappingTables,
  PostingMode,
} from '../../lib/ledger/types';
import type { Order, Payment, Tender } from '../../lib/square/types';
import type { SyncRecord } from '../../lib/sync/record';
import {
  figures,
  goldenOrder,
  goldenPayment,
  line,
  LOCATION,
  money,
  PAYMENT_ID,
  saleRecord,
  tables,
  TAX_UID,
  usd,
} from './ledger-fixtures';

function plan(
  record: SyncRecord,
  mode: PostingMode,
  t: MappingTables = tables(),
  date?: string,
) {
  const result = resolveMapping(record, t, { mode });
  assert.ok(result.ok, JSON.stringify(!result.ok && result.missing));
  return planPosting(record, result.mapping, {
    mode,
    itemisedCreditMemo: true,
    date,
  });
}

function entry(record: SyncRecord, mode: PostingMode, kind: string) {
  const doc = plan(record, mode).documents.find(
    (d) => d.type === 'entry' && d.kind === kind,
  );
  assert.ok(doc, `no ${kind} entry`);
  return doc as JournalEntryDoc;
}

function cardTender(
  id: string,
  amount: number,
  tip = 0,
  brand = 'VISA',
): Tender {
  return {
    id,
    type: 'CARD',
    amount_money: usd(amount),
    tip_money: usd(tip),
    card_details: { card: { card_brand: brand } },
  };
}

function cardPayment(id: string, amount: number, fee?: number): Payment {
  return {
    id,
    status: 'COMPLETED',
    source_type: 'CARD',
    total_money: usd(amount),
    card_details: { card: { card_brand: 'VISA' } },
    processing_fee:
      fee === undefined
        ? undefined
        : [{ type: 'INITIAL', amount_money: usd(fee) }],
  };
}

describe('tenders', () => {
  test('split tender: card with tip and cash, one debit each', () => {
    const order = goldenOrder();
    order.tenders = [
      cardTender('PAY_CARD', 2000, 300),
      { id: 'PAY_CASH', type: 'CASH', amount_money: usd(1436) },
    ];
    const record = saleRecord(order, [
      cardPayment('PAY_CARD', 2000, 61),
      {
        id: 'PAY_CASH',
        status: 'COMPLETED',
        source_type: 'CASH',
        total_money: usd(1436),
      },
    ]);
    assert.deepEqual(figures(entry(record, 'journal', 'revenue')), [
      ['CLEARING-CARD', 'debit', 2000],
      ['CLEARING-CASH', 'debit', 1436],
      ['A-COFFEE', 'credit', 2160],
      ['A-MERCH', 'credit', 720],
      ['TAX-PAYABLE', 'credit', 256],
      ['TIPS-PAYABLE', 'credit', 300],
    ]);
    assert.deepEqual(figures(entry(record, 'invoice', 'receipt')), [
      ['CLEARING-CARD', 'debit', 2000],
      ['CLEARING-CASH', 'debit', 1436],
      ['AR-TRADE', 'credit', 3136],
      ['TIPS-PAYABLE', 'credit', 300],
    ]);
    assert.deepEqual(figures(entry(record, 'journal', 'fee')), [
      ['FEES', 'debit', 61],
      ['CLEARING-CARD', 'credit', 61],
    ]);
  });

  test('two cards on the same account stay two lines', () => {
    const order = goldenOrder();
    order.tenders = [cardTender('PAY_A', 1718, 300), cardTender('PAY_B', 1718)];
    const record = saleRecord(order, [
      cardPayment('PAY_A', 1718, 50),
      cardPayment('PAY_B', 1718, 48),
    ]);
    assert.deepEqual(figures(entry(record, 'journal', 'revenue')).slice(0, 2), [
      ['CLEARING-CARD', 'debit', 1718],
      ['CLEARING-CARD', 'debit', 1718],
    ]);
    assert.deepEqual(figures(entry(record, 'journal', 'fee')), [
      ['FEES', 'debit', 98],
      ['CLEARING-CARD', 'credit', 50],
      ['CLEARING-CARD', 'credit', 48],
    ]);
  });

  function cashSale(tax: number, rounding: number): SyncRecord {
    const total = 450 + tax + rounding;
    const order: Order = {
      id: 'ORDER_CASH_01',
      location_id: LOCATION.id,
      state: 'COMPLETED',
      closed_at: '2025-03-14T15:00:00Z',
      line_items: [
        line('l1', 'VAR_FILTERS', 'Paper filters', '1', 450, 0, tax),
      ],
      taxes: goldenOrder().taxes,
      tenders: [{ id: 'PAY_CASH', type: 'CASH', amount_money: usd(total) }],
      rounding_adjustment: { amount_money: usd(rounding) },
      total_money: usd(total),
    };
    return saleRecord(order, []);
  }

  test('cash with a rounding adjustment either way, no fee entry', () => {
    assert.deepEqual(figures(entry(cashSale(39, 1), 'journal', 'revenue')), [
      ['CLEARING-CASH', 'debit', 490],
      ['A-MERCH', 'credit', 450],
      ['TAX-PAYABLE', 'credit', 39],
      ['ROUNDING', 'credit', 1],
    ]);
    const down = plan(cashSale(41, -1), 'journal');
    assert.equal(down.documents.length, 1);
    assert.deepEqual(figures(down.documents[0] as JournalEntryDoc), [
      ['CLEARING-CASH', 'debit', 490],
      ['A-MERCH', 'credit', 450],
      ['TAX-PAYABLE', 'credit', 41],
      ['ROUNDING', 'debit', 1],
    ]);
  });

  test('a gift-card tender debits the gift card liability', () => {
    const order = goldenOrder();
    order.tenders = [
      {
        id: 'PAY_GIFT',
        type: 'SQUARE_GIFT_CARD',
        amount_money: usd(3436),
        tip_money: usd(300),
      },
    ];
    const record = saleRecord(order, []);
    assert.deepEqual(figures(entry(record, 'journal', 'revenue'))[0], [
      'GIFT-LIAB',
      'debit',
      3436,
    ]);
    order.tenders = [cardTender('PAY_GIFT', 3436, 300, 'SQUARE_GIFT_CARD')];
    assert.deepEqual(
      figures(entry(saleRecord(order, []), 'invoice', 'receipt'))[0],
      ['GIFT-LIAB', 'debit', 3436],
    );
  });

  test('an external payment maps by EXTERNAL:<type>, then EXTERNAL', () => {
    const order = goldenOrder();
    order.tenders = [
      {
        id: 'PAY_EXT',
        type: 'OTHER',
        amount_money: usd(3436),
        tip_money: usd(300),
      },
    ];
    const payment: Payment = {
      id: 'PAY_EXT',
      status: 'COMPLETED',
      source_type: 'EXTERNAL',
      external_details: { type: 'CHECK', source: 'Bank' },
      total_money: usd(3436),
    };
    const record = saleRecord(order, [payment]);
    const t = tables();
    assert.deepEqual(figures(entry(record, 'journal', 'revenue'))[0], [
      'CLEARING-OTHER',
      'debit',
      3436,
    ]);
    t.tenders['EXTERNAL:CHECK'] = 'CHEQUES';
    const docs = plan(record, 'journal', t).documents;
    assert.deepEqual(figures(docs[0] as JournalEntryDoc)[0], [
      'CHEQUES',
      'debit',
      3436,
    ]);
  });

  test('an order without tenders is paid by its payments', () => {
    const order = goldenOrder();
    delete order.tenders;
    const record = saleRecord(order, [goldenPayment(104)]);
    assert.deepEqual(figures(entry(record, 'journal', 'revenue'))[0], [
      'CLEARING-CARD',
      'debit',
      3436,
    ]);
    assert.equal(figures(entry(record, 'journal', 'fee'))[0][2], 104);
  });
});

describe('gift cards and service charges', () => {
  const giftLine = {
    uid: 'line-gift',
    name: 'Gift card',
    quantity: '1',
    item_type: 'GIFT_CARD',
    base_price_money: usd(5000),
    total_money: usd(5000),
  };

  test('a gift-card sale is a liability, never revenue', () => {
    const order: Order = {
      id: 'ORDER_GIFT_01',
      location_id: LOCATION.id,
      state: 'COMPLETED',
      closed_at: '2025-03-14T15:00:00Z',
      line_items: [giftLine],
      tenders: [cardTender(PAYMENT_ID, 5000)],
      total_money: usd(5000),
    };
    const record = saleRecord(order, []);
    assert.deepEqual(figures(entry(record, 'journal', 'revenue')), [
      ['CLEARING-CARD', 'debit', 5000],
      ['GIFT-LIAB', 'credit', 5000],
    ]);
    const invoiceMode = plan(record, 'invoice').documents;
    assert.deepEqual(
      invoiceMode.map((d) => d.type),
      ['entry'],
      'no invoice',
    );
    assert.deepEqual(figures(invoiceMode[0] as JournalEntryDoc), [
      ['CLEARING-CARD', 'debit', 5000],
      ['GIFT-LIAB', 'credit', 5000],
    ]);
  });

  test('gift card sold beside items: invoice for the items only', () => {
    const order = goldenOrder();
    order.line_items!.push(giftLine);
    order.tenders = [cardTender(PAYMENT_ID, 8436, 300)];
    order.total_money = usd(8436);
    const docs = plan(saleRecord(order, []), 'invoice').documents;
    assert.equal((docs[0] as InvoiceDoc).lines.length, 2);
    assert.deepEqual(figures(docs[1] as JournalEntryDoc), [
      ['CLEARING-CARD', 'debit', 8436],
      ['AR-TRADE', 'credit', 3136],
      ['TIPS-PAYABLE', 'credit', 300],
      ['GIFT-LIAB', 'credit', 5000],
    ]);
  });

  function withServiceCharge(): SyncRecord {
    const order = goldenOrder();
    order.service_charges = [
      {
        uid: 'svc-delivery',
        name: 'Delivery',
        applied_money: usd(500),
        total_tax_money: usd(44),
        total_money: usd(544),
        applied_taxes: [
          { uid: 'svc-t', tax_uid: TAX_UID, applied_money: usd(44) },
        ],
      },
    ];
    order.tenders = [cardTender(PAYMENT_ID, 3980, 300)];
    order.total_money = usd(3980);
    return saleRecord(order, []);
  }

  test('service charge and its tax, journal mode', () => {
    assert.deepEqual(
      figures(entry(withServiceCharge(), 'journal', 'revenue')),
      [
        ['CLEARING-CARD', 'debit', 3980],
        ['A-COFFEE', 'credit', 2160],
        ['A-MERCH', 'credit', 720],
        ['TAX-PAYABLE', 'credit', 300],
        ['SVC-CHARGES', 'credit', 500],
        ['TIPS-PAYABLE', 'credit', 300],
      ],
    );
  });

  test('service charge and its tax, invoice mode receipt', () => {
    assert.deepEqual(
      figures(entry(withServiceCharge(), 'invoice', 'receipt')),
      [
        ['CLEARING-CARD', 'debit', 3980],
        ['AR-TRADE', 'credit', 3136],
        ['SVC-CHARGES', 'credit', 500],
        ['TAX-PAYABLE', 'credit', 44],
        ['TIPS-PAYABLE', 'credit', 300],
      ],
    );
  });
});

describe('currencies, dates, zero values', () => {
  function yenSale(currency = 'JPY'): SyncRecord {
    const order: Order = {
      id: 'ORDER_YEN_01',
      location_id: 'LJPTOKYO0001',
      state: 'COMPLETED',
      closed_at: '2025-03-14T16:00:00Z',
      line_items: [
        line('l1', 'VAR_BEANS_HOUSE', 'Beans', '2', 1200, 0, 240, currency),
      ],
      taxes: goldenOrder().taxes,
      tenders: [
        {
          id: 'PAY_YEN',
          type: 'CARD',
          amount_money: money(2640, currency),
          card_details: { card: { card_brand: 'JCB' } },
        },
      ],
      total_money: money(2640, currency),
    };
    const payment: Payment = {
      id: 'PAY_YEN',
      status: 'COMPLETED',
      source_type: 'CARD',
      total_money: money(2640, currency),
      processing_fee: [{ type: 'INITIAL', amount_money: money(86, currency) }],
    };
    return saleRecord(order, [payment], {
      id: 'LJPTOKYO0001',
      timezone: 'Asia/Tokyo',
      currency: 'JPY',
    });
  }

  function yenTables(): MappingTables {
    const t = tables();
    t.sites.LJPTOKYO0001 = 'TYO01';
    return t;
  }

  test('JPY has no minor units: yen stay yen', () => {
    const record = yenSale();
    const { documents } = plan(record, 'journal', yenTables());
    const revenue = documents[0] as JournalEntryDoc;
    assert.equal(revenue.currency, 'JPY');
    assert.equal(revenue.site, 'TYO01');
    assert.equal(revenue.date, '2025-03-15', 'already the 15th in Tokyo');
    assert.deepEqual(figures(revenue), [
      ['CLEARING-CARD', 'debit', 2640],
      ['A-COFFEE', 'credit', 2400],
      ['TAX-PAYABLE', 'credit', 240],
    ]);
    assert.deepEqual(figures(documents[1] as JournalEntryDoc), [
      ['FEES', 'debit', 86],
      ['CLEARING-CARD', 'credit', 86],
    ]);
  });

  test('money in another currency than the location is refused', () => {
    const record = yenSale('USD');
    const t = yenTables();
    const isMismatch = (e: unknown) =>
      e instanceof PostingError && e.code === 'CURRENCY_MISMATCH';
    assert.throws(
      () => resolveMapping(record, t, { mode: 'journal' }),
      isMismatch,
    );

    delete record.square.payments![0].processing_fee;
    const result = resolveMapping(record, t, { mode: 'journal' });
    assert.ok(result.ok);
    assert.equal(result.mapping.currency, 'JPY');
    assert.throws(
      () =>
        planPosting(record, result.mapping, {
          mode: 'journal',
          itemisedCreditMemo: true,
        }),
      isMismatch,
    );
  });

  test('opts.date replaces the closing date', () => {
    const { documents } = plan(saleRecord(), 'journal', tables(), '2025-04-01');
    assert.ok(documents.every((d) => d.date === '2025-04-01'));
    assert.throws(
      () => plan(saleRecord(), 'journal', tables(), '01/04/2025'),
      PostingError,
    );
  });

  test('a zero-value sale posts nothing', () => {
    const order: Order = {
      id: 'ORDER_FREE_01',
      location_id: LOCATION.id,
      state: 'COMPLETED',
      closed_at: '2025-03-14T15:00:00Z',
      line_items: [line('l1', 'VAR_MUG', 'Stoneware mug', '1', 800, 800, 0)],
      tenders: [],
      total_money: usd(0),
    };
    for (const mode of ['invoice', 'journal'] as const) {
      const result = plan(saleRecord(order, []), mode);
      assert.deepEqual(result.documents, []);
      assert.equal(result.skipReason, 'zero-value sale');
    }
  });

  test('an open order posts nothing yet', () => {
    const order = { ...goldenOrder(), state: 'OPEN' };
    const result = plan(saleRecord(order), 'journal');
    assert.deepEqual(result.documents, []);
    assert.match(result.skipReason ?? '', /OPEN/);
  });
});

describe('customers and taxes on the sale', () => {
  test('a Square customer gets a derived code unless the table names one', () => {
    const order = { ...goldenOrder(), customer_id: 'CUST_RETURNING_01' };
    const derived = resolveMapping(saleRecord(order), tables());
    assert.ok(derived.ok);
    assert.equal(derived.mapping.customer, customerCode('CUST_RETURNING_01'));
    assert.equal(derived.mapping.customerFromSquare, true);

    const t = tables();
    t.customers.CUST_RETURNING_01 = 'C0042';
    const docs = plan(saleRecord(order), 'invoice', t).documents;
    assert.equal((docs[0] as InvoiceDoc).customer, 'C0042');
    assert.equal(
      (docs[1] as JournalEntryDoc).lines[1].businessPartner,
      'C0042',
    );
  });

  test('two taxes on a line: split by Square amounts, journal only', () => {
    const order = goldenOrder();
    order.taxes!.push({
      uid: 'tax-city',
      catalog_object_id: 'TAX_CITY',
      name: 'City tax',
      type: 'ADDITIVE',
      applied_money: usd(60),
    });
    const beans = order.line_items![0];
    beans.applied_taxes = [
      { uid: 'b1', tax_uid: TAX_UID, applied_money: usd(132) },
      { uid: 'b2', tax_uid: 'tax-city', applied_money: usd(60) },
    ];
    const t = tables();
    t.taxes.TAX_CITY = { taxCode: 'CITY', account: 'TAX-CITY' };
    const record = saleRecord(order);

    const journal = plan(record, 'journal', t).documents[0] as JournalEntryDoc;
    assert.deepEqual(figures(journal), [
      ['CLEARING-CARD', 'debit', 3436],
      ['A-COFFEE', 'credit', 2160],
      ['A-MERCH', 'credit', 720],
      ['TAX-PAYABLE', 'credit', 196],
      ['TAX-CITY', 'credit', 60],
      ['TIPS-PAYABLE', 'credit', 300],
    ]);
    assert.throws(
      () => plan(record, 'invoice', t),
      (e: unknown) => e instanceof PostingError && e.code === 'UNSUPPORTED',
    );
  });
});

describe('balance', () => {
  test('tenders that do not cover the sale throw, nothing is posted', () => {
    const order = goldenOrder();
    order.tenders![0].amount_money = usd(3400);
    for (const mode of ['journal', 'invoice'] as const) {
      assert.throws(
        () => plan(saleRecord(order), mode),
        (e: unknown) =>
          e instanceof PostingError &&
          e.code === 'UNBALANCED' &&
          /debit 3400, credit 3436/.test(e.message),
      );
    }
  });

  test('assertBalanced checks sums, amounts and accounts', () => {
    const doc = (lines: JournalEntryDoc['lines']): JournalEntryDoc => ({
      type: 'entry',
      kind: 'revenue',
      docKey: 'sale:X#revenue',
      reference: 'SQX',
      site: 'NYC01',
      date: '2025-03-14',
      currency: 'USD',
      description: 'test',
      lines,
    });
    const d = (account: string, amount: number) => ({
      account,
      side: 'debit' as const,
      amount,
      description: '',
    });
    const c = (account: string, amount: number) => ({
      account,
      side: 'credit' as const,
      amount,
      description: '',
    });

    assert.doesNotThrow(() =>
      assertBalanced(doc([d('A', 100), c('B', 60), c('C', 40)])),
    );
    assert.throws(
      () => assertBalanced(doc([d('A', 100), c('B', 99)])),
      PostingError,
    );
    assert.throws(
      () => assertBalanced(doc([d('A', 0), c('B', 0)])),
      PostingError,
    );
    assert.throws(
      () => assertBalanced(doc([d('A', 1.5), c('B', 1.5)])),
      PostingError,
    );
    assert.throws(
      () => assertBalanced(doc([d('', 10), c('B', 10)])),
      PostingError,
    );
    assert.throws(() => assertBalanced(doc([])), PostingError);
  });
});
