import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveMapping } from '../../lib/ledger/mapping';
import { customerCode } from '../../lib/ledger/reference';
import type { MappingTables } from '../../lib/ledger/types';
import type { Order } from '../../lib/square/types';
import { recordKey, type SyncRecord } from '../../lib/sync/record';
import {
  goldenOrder,
  line,
  LOCATION,
  mugReturnOrder,
  refundOf,
  refundRecord,
  saleRecord,
  tables,
  usd,
} from './ledger-fixtures';

function missing(record: SyncRecord, t: MappingTables, mode?: 'journal') {
  const result = resolveMapping(record, t, { mode });
  assert.equal(result.ok, false, 'expected gaps');
  return result.ok ? [] : result.missing;
}

function gappyOrder(): Order {
  const mug = line('l2', 'VAR_MUG', 'Stoneware mug', '1', 800, 0, 80);
  mug.applied_taxes = [
    { uid: 'l2-t', tax_uid: 'tax-x', applied_money: usd(80) },
  ];
  return {
    id: 'ORDER_GAPS_01',
    location_id: 'L9XYZ',
    state: 'COMPLETED',
    closed_at: '2025-03-14T15:00:00Z',
    line_items: [
      line('l1', 'VAR_ABC', 'Mug', '1', 1000, 0, 0),
      mug,
      {
        ...line('l3', 'x', 'Custom Amount', '1', 500, 0, 0),
        catalog_object_id: undefined,
      },
      line('l4', 'VAR_ABC', 'Mug', '2', 1000, 0, 0),
    ],
    taxes: [
      {
        uid: 'tax-x',
        catalog_object_id: 'TAX_X',
        name: 'VAT',
        applied_money: usd(80),
      },
    ],
    tenders: [
      {
        id: 'PAY_AMEX',
        type: 'CARD',
        amount_money: usd(4480),
        tip_money: usd(100),
        card_details: { card: { card_brand: 'AMERICAN_EXPRESS' } },
      },
    ],
    total_tip_money: usd(100),
    total_money: usd(4480),
  };
}

function gappyTables(): MappingTables {
  const t = tables();
  delete t.tenders.CARD;
  t.accounts.tips = '';
  t.walkInCustomer = '';
  return t;
}

describe('gaps', () => {
  test('every gap is listed once, in words', () => {
    const record = saleRecord(gappyOrder(), [], { id: 'L9XYZ' });
    assert.deepEqual(missing(record, gappyTables()), [
      'site for location L9XYZ',
      'clearing account for tender CARD:AMERICAN_EXPRESS',
      'walk-in customer',
      'product for VAR_ABC ("Mug")',
      'tax code for TAX_X ("VAT")',
      'product for line "Custom Amount"',
      'tips account',
    ]);
  });

  test('generic product, line names and tax names fill gaps', () => {
    const record = saleRecord(gappyOrder(), [], {
      id: 'L9XYZ',
      currency: 'USD',
    });
    const t = gappyTables();
    t.genericProduct = { product: 'MISC', revenueAccount: 'A-OTHER' };
    t.products['Custom Amount'] = {
      product: 'CUSTOM',
      revenueAccount: 'A-CUSTOM',
    };
    t.taxes.VAT = { taxCode: 'V20', account: 'VAT-PAYABLE' };
    t.sites.L9XYZ = 'SITE9';
    t.tenders['CARD:AMERICAN_EXPRESS'] = 'CLEARING-AMEX';
    t.tenders.CARD = 'CLEARING-CARD';
    t.accounts.tips = 'TIPS-PAYABLE';
    t.walkInCustomer = 'WALKIN';

    const result = resolveMapping(record, t);
    assert.ok(result.ok, JSON.stringify(!result.ok && result.missing));
    const m = result.mapping;
    assert.equal(m.site, 'SITE9');
    assert.equal(m.lines.l1.product, 'MISC');
    assert.equal(m.lines.l2.product, 'MUG-STD');
    assert.equal(m.lines.l2.taxCode, 'V20');
    assert.equal(m.lines.l3.product, 'CUSTOM');
    assert.equal(
      m.lines.l1.taxCode,
      'EXE',
      'untaxed line gets the exempt code',
    );
    assert.deepEqual(
      m.tenders,
      { PAY_AMEX: 'CLEARING-AMEX' },
      'most specific key',
    );
  });

  test('untaxed lines need an exempt code in invoice mode only', () => {
    const order: Order = {
      ...goldenOrder(),
      line_items: [
        line('l1', 'VAR_BREW_CLASS', 'Brewing class', '1', 2500, 0, 0),
      ],
      tenders: [{ id: 'P1', type: 'CASH', amount_money: usd(2500) }],
      total_tip_money: usd(0),
      total_money: usd(2500),
    };
    const t = tables();
    delete t.exemptTax;
    assert.deepEqual(missing(saleRecord(order, []), t), [
      'exempt tax code for VAR_BREW_CLASS ("Brewing class")',
    ]);
    const journal = resolveMapping(saleRecord(order, []), t, {
      mode: 'journal',
    });
    assert.ok(journal.ok);
    assert.equal(journal.mapping.lines.l1.taxCode, '');
  });

  test('accounts are asked for only when the sale uses them', () => {
    const t = tables();
    t.accounts = {
      receivable: 'AR-TRADE',
      tips: '',
      serviceCharges: '',
      fees: '',
      giftCardLiability: '',
    };
    const noExtras = saleRecord(
      { ...goldenOrder(), total_tip_money: usd(0) },
      [],
    );
    noExtras.square.order!.tenders![0].tip_money = usd(0);
    assert.ok(resolveMapping(noExtras, t).ok);
    assert.deepEqual(missing(saleRecord(), t), [
      'tips account',
      'fees account',
    ]);
  });
});

describe('refund and customer mappings', () => {
  test('a return line maps through the sale line it points at', () => {
    const record = refundRecord(refundOf(784, 'MUG'), mugReturnOrder());
    const result = resolveMapping(record, tables());
    assert.ok(result.ok);
    assert.deepEqual(Object.keys(result.mapping.lines), ['ret-mug']);
    assert.equal(result.mapping.lines['ret-mug'].product, 'MUG-STD');
    assert.equal(result.mapping.lines['ret-mug'].revenueAccount, 'A-MERCH');
    assert.equal(result.mapping.site, 'NYC01');
    assert.deepEqual(Object.values(result.mapping.tenders), ['CLEARING-CARD']);
  });

  test('a refund without its sale order or tender mapping is held', () => {
    const record = refundRecord(refundOf(784, 'MUG'), mugReturnOrder());
    record.square.order = undefined;
    record.square.payments = [];
    const t = tables();
    delete t.tenders.CARD;
    assert.deepEqual(missing(record, t), [
      'clearing account for tender CARD',
      `sale order of refund ${record.square.refund!.id}`,
    ]);
  });

  function customerRecord(location = LOCATION): SyncRecord {
    return {
      key: recordKey('customer', 'CUST_NEW_01'),
      kind: 'customer',
      version: '1',
      source: 'webhook',
      square: {
        customer: {
          id: 'CUST_NEW_01',
          given_name: 'Ada',
          family_name: 'Lovelace',
        },
        location,
      },
      receivedAt: '2025-03-14T15:00:00Z',
    };
  }

  test('a customer needs only customer fields', () => {
    const t = tables();
    t.sites = {};
    const result = resolveMapping(customerRecord(), t);
    assert.ok(result.ok);
    assert.equal(result.mapping.customer, customerCode('CUST_NEW_01'));
    assert.equal(result.mapping.customerFromSquare, true);
    assert.equal(result.mapping.currency, 'USD');
    assert.equal(result.mapping.site, '');
  });

  test('a customer without location uses the default currency', () => {
    const record = customerRecord();
    record.square.location = undefined;
    const t = tables();
    t.customerCategory = '';
    assert.deepEqual(missing(record, t), [
      'currency for customer CUST_NEW_01',
      'customer category',
    ]);
    t.defaultCurrency = 'USD';
    t.customerCategory = 'RETL';
    const result = resolveMapping(record, t);
    assert.ok(result.ok);
    assert.equal(result.mapping.currency, 'USD');
  });
});
