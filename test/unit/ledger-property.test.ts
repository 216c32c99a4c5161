import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertBalanced } from '../../lib/ledger/entry';
import { resolveMapping } from '../../lib/ledger/mapping';
import { largestRemainder } from '../../lib/ledger/money';
import { planPosting } from '../../lib/ledger/plan';
import type {
  InvoiceDoc,
  JournalEntryDoc,
  PostingMode,
  X3Document,
} from '../../lib/ledger/types';
import type {
  Order,
  OrderLineItem,
  OrderServiceCharge,
  Payment,
  Tender,
} from '../../lib/square/types';
import { PRODUCTS } from '../../sandbox/seed/business';
import {
  LOCATION,
  refundOf,
  refundRecord,
  saleRecord,
  tables,
  TAX_UID,
  usd,
} from './ledger-fixtures';

// Random orders, every one checked: each entry balances, each amount is a
// positive whole number, and the debits are exactly what Square took.

function prng(seed: number) {
  let state = seed;
  const next = () => (state = (state * 48271) % 2147483647);
  return {
    int: (min: number, max: number) => min + (next() % (max - min + 1)),
    pick: <T>(items: readonly T[]) => items[next() % items.length],
  };
}

type Rng = ReturnType<typeof prng>;

function randomLine(rng: Rng, index: number): OrderLineItem {
  const uid = `l${index}`;
  const quantity = rng.int(1, 5);
  const base = rng.int(1, 9000);
  const gross = base * quantity;
  if (rng.int(1, 10) === 1) {
    return {
      uid,
      name: 'Gift card',
      quantity: '1',
      item_type: 'GIFT_CARD',
      base_price_money: usd(base),
      total_money: usd(base),
    };
  }
  const product = rng.pick(PRODUCTS);
  const discount = rng.int(0, 3) === 0 ? rng.int(0, gross - 1) : 0;
  const tax = product.taxable
    ? Math.floor(((gross - discount) * rng.int(0, 1500)) / 10000)
    : 0;
  return {
    uid,
    catalog_object_id: product.variationId,
    name: product.name,
    quantity: String(quantity),
    item_type: 'ITEM',
    base_price_money: usd(base),
    total_discount_money: usd(discount),
    total_tax_money: usd(tax),
    total_money: usd(gross - discount + tax),
    applied_taxes:
      tax > 0
        ? [{ uid: `${uid}-t`, tax_uid: TAX_UID, applied_money: usd(tax) }]
        : [],
  };
}

function randomCharge(rng: Rng, index: number): OrderServiceCharge {
  const amount = rng.int(1, 2000);
  const tax = rng.int(0, 1) ? Math.floor(amount / 11) : 0;
  return {
    uid: `s${index}`,
    name: 'Service',
    applied_money: usd(amount),
    total_tax_money: usd(tax),
    total_money: usd(amount + tax),
    applied_taxes:
      tax > 0
        ? [{ uid: `s${index}-t`, tax_uid: TAX_UID, applied_money: usd(tax) }]
        : [],
  };
}

const TENDER_TYPES = [
  { type: 'CARD', brand: 'VISA' },
  { type: 'CARD', brand: 'MASTERCARD' },
  { type: 'CASH' },
  { type: 'SQUARE_GIFT_CARD' },
  { type: 'OTHER' },
];

function randomSale(
  rng: Rng,
  n: number,
): { order: Order; payments: Payment[] } {
  const lines = Array.from({ length: rng.int(1, 5) }, (_, i) =>
    randomLine(rng, i),
  );
  const charges = Array.from({ length: rng.int(0, 2) }, (_, i) =>
    randomCharge(rng, i),
  );
  const tips = rng.int(0, 1) ? rng.int(1, 1000) : 0;
  const rounding = rng.int(0, 4) === 0 ? rng.int(-2, 2) : 0;
  const itemTotal = [...lines, ...charges].reduce(
    (sum, l) => sum + (l.total_money?.amount ?? 0),
    0,
  );
  const total = itemTotal + tips + rounding;

  const count = rng.int(1, 3);
  const amounts = largestRemainder(
    total,
    Array.from({ length: count }, () => rng.int(1, 100)),
  );
  const tenders: Tender[] = [];
  const payments: Payment[] = [];
  amounts.forEach((amount, i) => {
    const kind = rng.pick(TENDER_TYPES);
    const id = `PAY_${n}_${i}`;
    tenders.push({
      id,
      type: kind.type,
      amount_money: usd(amount),
      tip_money: usd(i === 0 ? tips : 0),
      card_details: kind.brand
        ? { card: { card_brand: kind.brand } }
        : undefined,
    });
    if (kind.type === 'CARD') {
      payments.push({
        id,
        status: 'COMPLETED',
        source_type: 'CARD',
        total_money: usd(amount),
        processing_fee: [
          { type: 'INITIAL', amount_money: usd(rng.int(0, 300)) },
          { type: 'ADJUSTMENT', amount_money: usd(rng.int(-20, 0)) },
        ],
      });
    }
  });

  return {
    order: {
      id: `ORDER_RANDOM_${n}`,
      location_id: LOCATION.id,
      state: 'COMPLETED',
      closed_at: '2025-06-30T12:00:00Z',
      line_items: lines,
      taxes: [
        {
          uid: TAX_UID,
          catalog_object_id: 'TAX_NYC_SALES',
          name: 'NYC sales tax',
        },
      ],
      service_charges: charges,
      tenders,
      rounding_adjustment: { amount_money: usd(rounding) },
      total_tip_money: usd(tips),
      total_money: usd(total),
    },
    payments,
  };
}

function checkEntries(documents: X3Document[]): JournalEntryDoc[] {
  const entries = documents.filter(
    (d): d is JournalEntryDoc => d.type === 'entry',
  );
  for (const entry of entries) {
    assertBalanced(entry);
    let debit = 0;
    let credit = 0;
    for (const line of entry.lines) {
      assert.ok(Number.isSafeInteger(line.amount) && line.amount > 0);
      assert.ok(line.account.length > 0);
      assert.ok(line.description.length <= 30);
      if (line.side === 'debit') debit += line.amount;
      else credit += line.amount;
    }
    assert.equal(debit, credit, `${entry.docKey} balances`);
    assert.ok(entry.description.length <= 30);
    assert.equal(entry.reference.length, 20);
  }
  return entries;
}

function sideTotal(entry: JournalEntryDoc, side: 'debit' | 'credit'): number {
  return entry.lines
    .filter((l) => l.side === side)
    .reduce((s, l) => s + l.amount, 0);
}

describe('random orders', () => {
  test('every sale balances in both modes and debits what Square took', () => {
    const rng = prng(20250314);
    for (let n = 0; n < 300; n++) {
      const { order, payments } = randomSale(rng, n);
      const record = saleRecord(order, payments);
      const tendered = order.tenders!.reduce(
        (s, t) => s + (t.amount_money?.amount ?? 0),
        0,
      );

      for (const mode of ['journal', 'invoice'] as PostingMode[]) {
        const result = resolveMapping(record, tables(), { mode });
        assert.ok(result.ok, JSON.stringify(!result.ok && result.missing));
        const plan = planPosting(record, result.mapping, {
          mode,
          itemisedCreditMemo: true,
        });
        const entries = checkEntries(plan.documents);

        const main = entries.find(
          (e) => e.kind === (mode === 'journal' ? 'revenue' : 'receipt'),
        );
        assert.ok(main);
        const tenderDebits = main.lines
          .filter((l) => l.side === 'debit' && l.account !== 'ROUNDING')
          .reduce((s, l) => s + l.amount, 0);
        assert.equal(tenderDebits, tendered, `order ${n} ${mode}`);

        const invoice = plan.documents.find(
          (d): d is InvoiceDoc => d.type === 'invoice',
        );
        if (invoice) {
          const items = order.line_items!.filter(
            (l) => l.item_type !== 'GIFT_CARD',
          );
          const squareTotal = items.reduce(
            (s, l) => s + (l.total_money?.amount ?? 0),
            0,
          );
          assert.equal(invoice.totalNet + invoice.totalTax, squareTotal);
          const receivable = main.lines.find((l) => l.account === 'AR-TRADE');
          assert.equal(receivable?.amount ?? 0, squareTotal);
        }

        const fee = entries.find((e) => e.kind === 'fee');
        const fees = payments.map((p) =>
          (p.processing_fee ?? []).reduce(
            (s, f) => s + (f.amount_money?.amount ?? 0),
            0,
          ),
        );
        if (fees.every((f) => f === 0)) {
          assert.equal(fee, undefined);
        } else {
          const onFees = fee!.lines
            .filter((l) => l.account === 'FEES')
            .reduce(
              (s, l) => s + (l.side === 'debit' ? l.amount : -l.amount),
              0,
            );
          assert.equal(
            onFees,
            fees.reduce((a, b) => a + b, 0),
          );
        }
      }
    }
  });

  test('every bare refund balances and credits exactly the refund', () => {
    const rng = prng(777);
    for (let n = 0; n < 200; n++) {
      const { order, payments } = randomSale(rng, n);
      const card = order.tenders![0];
      const tips = order.total_tip_money?.amount ?? 0;
      const base =
        (order.total_money?.amount ?? 0) -
        tips -
        (order.rounding_adjustment?.amount_money?.amount ?? 0);
      if (base + tips < 1) continue;
      const amount = rng.int(1, base + tips);

      const refund = { ...refundOf(amount, `R${n}`), payment_id: card.id };
      const record = refundRecord(refund, undefined, order);
      record.square.payments = payments;

      const result = resolveMapping(record, tables(), { mode: 'journal' });
      assert.ok(result.ok, JSON.stringify(!result.ok && result.missing));
      const plan = planPosting(record, result.mapping, {
        mode: 'journal',
        itemisedCreditMemo: true,
      });
      const [entry] = checkEntries(plan.documents);
      assert.equal(entry.kind, 'refund');
      assert.equal(sideTotal(entry, 'credit'), amount);
      assert.equal(sideTotal(entry, 'debit'), amount);
    }
  });

  test('every itemised return balances; in full it is a credit memo', () => {
    const rng = prng(4242);
    for (let n = 0; n < 200; n++) {
      const { order, payments } = randomSale(rng, n);
      const items = order.line_items!.filter(() => rng.int(0, 1) === 1);
      if (items.length === 0) continue;
      const returned = items.map((item, i) => ({
        ...item,
        uid: `r${i}`,
        source_line_item_uid: item.uid,
      }));
      const total = returned.reduce(
        (s, l) => s + (l.total_money?.amount ?? 0),
        0,
      );
      const amount = rng.int(0, 2) === 0 ? rng.int(1, total) : total;

      const returnOrder: Order = {
        id: `RETURN_${n}`,
        location_id: LOCATION.id,
        returns: [{ source_order_id: order.id, return_line_items: returned }],
      };
      const refund = {
        ...refundOf(amount, `I${n}`),
        payment_id: order.tenders![0].id,
      };
      const record = refundRecord(refund, returnOrder, order);
      record.square.payments = payments;

      const result = resolveMapping(record, tables());
      assert.ok(result.ok, JSON.stringify(!result.ok && result.missing));
      const plan = planPosting(record, result.mapping, {
        mode: 'invoice',
        itemisedCreditMemo: true,
      });
      const entries = checkEntries(plan.documents);
      assert.equal(entries.length, 1);
      assert.equal(sideTotal(entries[0], 'credit'), amount);

      const memo = plan.documents.find(
        (d): d is InvoiceDoc => d.type === 'invoice',
      );
      const goods = returned.filter((l) => l.item_type !== 'GIFT_CARD');
      assert.equal(
        Boolean(memo),
        amount === total && goods.length > 0,
        `return ${n}`,
      );
      if (memo) {
        const goodsTotal = goods.reduce(
          (s, l) => s + (l.total_money?.amount ?? 0),
          0,
        );
        assert.equal(memo.totalNet + memo.totalTax, goodsTotal);
      }
    }
  });
});
