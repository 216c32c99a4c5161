import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PostingError } from '../../lib/ledger/errors';
import { resolveMapping } from '../../lib/ledger/mapping';
import { planPosting } from '../../lib/ledger/plan';
import type {
  InvoiceDoc,
  JournalEntryDoc,
  PostingMode,
} from '../../lib/ledger/types';
import type { Order, Payment } from '../../lib/square/types';
import type { SyncRecord } from '../../lib/sync/record';
import {
  figures,
  goldenOrder,
  mugReturnOrder,
  ORDER_ID,
  refundOf,
  refundRecord,
  tables,
  usd,
} from './ledger-fixtures';

function plan(record: SyncRecord, mode: PostingMode = 'journal') {
  const result = resolveMapping(record, tables(), { mode });
  assert.ok(result.ok, JSON.stringify(!result.ok && result.missing));
  return planPosting(record, result.mapping, {
    mode,
    itemisedCreditMemo: true,
  });
}

function splitSale(): Order {
  const order = goldenOrder();
  order.tenders = [
    {
      id: 'PAY_CARD',
      type: 'CARD',
      amount_money: usd(2000),
      tip_money: usd(300),
      card_details: { card: { card_brand: 'VISA' } },
    },
    { id: 'PAY_CASH', type: 'CASH', amount_money: usd(1436) },
  ];
  return order;
}

describe('refunds beyond the golden case', () => {
  test('a return refunded over two tenders is split between them', () => {
    const order = splitSale();
    const cash: Payment = {
      id: 'PAY_CASH',
      source_type: 'CASH',
      total_money: usd(1436),
    };

    const card = refundRecord(
      { ...refundOf(500, 'CARDPART'), payment_id: 'PAY_CARD' },
      mugReturnOrder(),
      order,
    );
    const cashRefund = refundRecord(
      {
        ...refundOf(284, 'CASHPART'),
        payment_id: 'PAY_CASH',
        destination_type: 'CASH',
      },
      mugReturnOrder(),
      order,
    );
    cashRefund.square.payments = [cash];

    const cardDocs = plan(card, 'invoice').documents;
    assert.deepEqual(
      cardDocs.map((d) => d.type),
      ['entry'],
      'no credit memo for a part',
    );
    assert.deepEqual(figures(cardDocs[0] as JournalEntryDoc), [
      ['A-MERCH', 'debit', 459],
      ['TAX-PAYABLE', 'debit', 41],
      ['CLEARING-CARD', 'credit', 500],
    ]);
    assert.deepEqual(
      figures(plan(cashRefund).documents[0] as JournalEntryDoc),
      [
        ['A-MERCH', 'debit', 261],
        ['TAX-PAYABLE', 'debit', 23],
        ['CLEARING-CASH', 'credit', 284],
      ],
    );
  });

  test('returned tips go back to the tips account', () => {
    const ret = mugReturnOrder();
    ret.returns![0].return_tips = [{ uid: 'rt', applied_money: usd(300) }];
    const record = refundRecord(refundOf(1084, 'TIP'), ret);
    assert.deepEqual(figures(plan(record).documents[0] as JournalEntryDoc), [
      ['A-MERCH', 'debit', 720],
      ['TAX-PAYABLE', 'debit', 64],
      ['TIPS-PAYABLE', 'debit', 300],
      ['CLEARING-CARD', 'credit', 1084],
    ]);
    const [memo, receipt] = plan(record, 'invoice').documents;
    assert.equal(
      (memo as InvoiceDoc).totalNet + (memo as InvoiceDoc).totalTax,
      784,
    );
    assert.deepEqual(figures(receipt as JournalEntryDoc), [
      ['AR-TRADE', 'debit', 784],
      ['TIPS-PAYABLE', 'debit', 300],
      ['CLEARING-CARD', 'credit', 1084],
    ]);
  });

  test('an itemised return plus an amount: the amount is spread', () => {
    const record = refundRecord(refundOf(1000, 'MIXED'), mugReturnOrder());
    const docs = plan(record, 'invoice').documents;
    assert.deepEqual(
      docs.map((d) => d.type),
      ['entry'],
    );
    assert.deepEqual(figures(docs[0] as JournalEntryDoc), [
      ['A-MERCH', 'debit', 769],
      ['TAX-PAYABLE', 'debit', 82],
      ['A-COFFEE', 'debit', 149],
      ['CLEARING-CARD', 'credit', 1000],
    ]);
  });

  test('a bare refund above the non-tip parts reaches the tips, no further', () => {
    const over = refundRecord(refundOf(3300, 'OVER'), undefined);
    assert.deepEqual(figures(plan(over).documents[0] as JournalEntryDoc), [
      ['A-COFFEE', 'debit', 2160],
      ['A-MERCH', 'debit', 720],
      ['TAX-PAYABLE', 'debit', 256],
      ['TIPS-PAYABLE', 'debit', 164],
      ['CLEARING-CARD', 'credit', 3300],
    ]);
    assert.throws(
      () => plan(refundRecord(refundOf(4000, 'TOOMUCH'), undefined)),
      (e: unknown) => e instanceof PostingError && e.code === 'REFUND_MISMATCH',
    );
  });

  test('returning a gift card reduces the liability', () => {
    const order: Order = {
      id: ORDER_ID,
      location_id: goldenOrder().location_id,
      state: 'COMPLETED',
      closed_at: '2025-03-14T15:00:00Z',
      line_items: [
        {
          uid: 'line-gift',
          name: 'Gift card',
          quantity: '1',
          item_type: 'GIFT_CARD',
          total_money: usd(5000),
        },
      ],
      tenders: goldenOrder().tenders,
      total_money: usd(5000),
    };
    const ret = mugReturnOrder();
    ret.returns![0].return_line_items = [
      {
        uid: 'ret-gift',
        source_line_item_uid: 'line-gift',
        name: 'Gift card',
        quantity: '1',
        item_type: 'GIFT_CARD',
        total_money: usd(5000),
      },
    ];
    const record = refundRecord(refundOf(5000, 'GIFT'), ret, order);
    for (const mode of ['journal', 'invoice'] as const) {
      const docs = plan(record, mode).documents;
      assert.deepEqual(
        docs.map((d) => d.type),
        ['entry'],
      );
      assert.deepEqual(figures(docs[0] as JournalEntryDoc), [
        ['GIFT-LIAB', 'debit', 5000],
        ['CLEARING-CARD', 'credit', 5000],
      ]);
    }
  });
});
