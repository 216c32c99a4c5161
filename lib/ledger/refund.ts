import type { SyncRecord } from '../sync/record';
import { DocContext, documentDate, skipped, type PlanOptions } from './context';
import { shortRefundId } from './describe';
import { EntryBuilder } from './entry';
import { PostingError } from './errors';
import { feeRefundEntry } from './fees';
import { invoiceDoc, invoiceTotal } from './invoice';
import { moneyAmount, sumAmounts } from './money';
import {
  lineDebits,
  returnedParts,
  saleReturn,
  scaleDebits,
  spreadOverSale,
  type Debit,
} from './refund-parts';
import { orderTips } from './sale-parts';
import { refundTender, saleTenders } from './tender';
import type {
  JournalEntryDoc,
  PostingPlan,
  ResolvedMapping,
  X3Document,
} from './types';

// A completed Square refund in X3: debit what the sale credited, in the
// proportions Square's return itemises, and credit the clearing account
// of the refunded payment with the refunded amount. In invoice mode an
// itemised return may instead become a credit memo plus a refund receipt.

export function planRefund(
  record: SyncRecord,
  mapping: ResolvedMapping,
  opts: PlanOptions,
): PostingPlan {
  const { refund, order, returnOrder, payments } = record.square;
  if (!refund) throw new PostingError('BAD_DATA', `${record.key}: no refund`);
  if (refund.status && refund.status !== 'COMPLETED') {
    return skipped(record, `refund is ${refund.status}, not COMPLETED`);
  }
  const amount = moneyAmount(refund.amount_money, mapping.currency);
  if (amount === 0) return skipped(record, 'zero-value refund');
  if (!order) {
    throw new PostingError('BAD_DATA', `${record.key}: no sale order`);
  }

  const date = documentDate(record, refund.created_at, opts);
  const ctx = new DocContext(record, mapping, date, shortRefundId(refund.id));
  const tender = refundTender(refund, order, payments);
  const clearing = mapping.tenders[tender.id];
  if (!clearing) {
    throw new PostingError(
      'UNMAPPED',
      `no clearing account for tender ${tender.keys[0]} (${tender.id})`,
    );
  }

  const ret = saleReturn(returnOrder, order.id);
  const returned = returnedParts(ret, order, mapping);
  const itemised = [...lineDebits(returned.lines, mapping), ...returned.others];
  const itemisedTotal = sumAmounts(itemised.map((d) => d.amount));

  const documents: (X3Document | null)[] = [];
  const items = returned.lines.filter((l) => !l.giftCard);
  const creditMemo =
    opts.mode === 'invoice' &&
    opts.itemisedCreditMemo &&
    amount === itemisedTotal &&
    items.length > 0;

  if (creditMemo) {
    const memo = invoiceDoc(ctx, items, 'credit-memo');
    const gifts = lineDebits(
      returned.lines.filter((l) => l.giftCard),
      mapping,
    );
    const entry = new EntryBuilder().debit(
      mapping.accounts.receivable,
      invoiceTotal(memo),
      `Credit memo ${ctx.short}`,
      { businessPartner: mapping.customer },
    );
    documents.push(
      memo,
      refundEntry(
        ctx,
        entry,
        [...gifts, ...returned.others],
        clearing,
        amount,
        'refund-receipt',
        tender.keys[0],
      ),
    );
  } else {
    let debits: Debit[];
    if (amount <= itemisedTotal) {
      debits = scaleDebits(amount, itemised);
    } else {
      const views = saleTenders(order, payments);
      const tips = orderTips(order, views, mapping.currency);
      debits = [
        ...itemised,
        ...spreadOverSale(amount - itemisedTotal, order, mapping, tips),
      ];
    }
    documents.push(
      refundEntry(
        ctx,
        new EntryBuilder(),
        debits,
        clearing,
        amount,
        'refund',
        tender.keys[0],
      ),
    );
  }

  documents.push(feeRefundEntry(ctx, refund, tender));
  return {
    recordKey: record.key,
    documents: documents.filter((d): d is X3Document => d !== null),
  };
}

function refundEntry(
  ctx: DocContext,
  entry: EntryBuilder,
  debits: readonly Debit[],
  clearing: string,
  amount: number,
  kind: 'refund' | 'refund-receipt',
  tenderLabel: string,
): JournalEntryDoc | null {
  for (const debit of debits) {
    entry.debit(debit.account, debit.amount, debit.label);
  }
  entry.credit(clearing, amount, `${tenderLabel} ${ctx.short}`);
  return entry.build(kind, ctx.header(kind, `Square refund ${ctx.short}`));
}
