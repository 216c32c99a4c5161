import type { SyncRecord } from '../sync/record';
import { DocContext, documentDate, skipped, type PlanOptions } from './context';
import { shortId } from './describe';
import { EntryBuilder } from './entry';
import { PostingError } from './errors';
import { feeEntry } from './fees';
import { invoiceDoc, invoiceTotal } from './invoice';
import { moneyAmount, sumAmounts } from './money';
import {
  orderTips,
  roundingAmount,
  saleLines,
  serviceChargeParts,
  tenderParts,
  type SaleLine,
  type ServiceChargePart,
  type TenderPart,
} from './sale-parts';
import { saleTenders } from './tender';
import type { PostingPlan, ResolvedMapping, X3Document } from './types';

// A completed Square order in X3. Invoice mode: an invoice for the item
// lines plus a receipt entry that moves the invoice total from the
// receivable to the tenders' clearing accounts. Journal mode: one entry
// with the same debits and the revenue credited directly.

interface Sale {
  ctx: DocContext;
  lines: SaleLine[];
  charges: ServiceChargePart[];
  tenders: TenderPart[];
  tips: number;
  rounding: number;
}

export function planSale(
  record: SyncRecord,
  mapping: ResolvedMapping,
  opts: PlanOptions,
): PostingPlan {
  const order = record.square.order;
  if (!order) throw new PostingError('BAD_DATA', `${record.key}: no order`);
  if (order.state && order.state !== 'COMPLETED') {
    return skipped(record, `order is ${order.state}, not COMPLETED`);
  }

  if (
    order.returns?.length &&
    moneyAmount(order.total_money, mapping.currency) === 0
  ) {
    return skipped(record, 'a return order: its refund posts it, not a sale');
  }

  const views = saleTenders(order, record.square.payments);
  const tenders = tenderParts(views, mapping);
  const total = moneyAmount(order.total_money, mapping.currency);
  if (total === 0 && sumAmounts(tenders.map((t) => t.amount)) === 0) {
    return skipped(record, 'zero-value sale');
  }

  const date = documentDate(record, order.closed_at ?? order.updated_at, opts);
  const sale: Sale = {
    ctx: new DocContext(record, mapping, date, shortId(order.id)),
    lines: saleLines(order, mapping),
    charges: serviceChargeParts(order, mapping),
    tenders,
    tips: orderTips(order, views, mapping.currency),
    rounding: roundingAmount(order, mapping.currency),
  };

  const documents: X3Document[] =
    opts.mode === 'journal' ? compact([revenueEntry(sale)]) : invoiceDocs(sale);
  const fee = feeEntry(sale.ctx, views);
  if (fee) documents.push(fee);
  return { recordKey: record.key, documents };
}

function compact<T>(items: (T | null)[]): T[] {
  return items.filter((item): item is T => item !== null);
}

function debitTenders(entry: EntryBuilder, sale: Sale): void {
  for (const tender of sale.tenders) {
    const description = `${tender.label} ${sale.ctx.short}`;
    entry.debit(tender.account, tender.amount, description, {
      separate: true,
    });
  }
}

/** What is credited outside the items: charges, tips, gift cards, rounding. */
function creditOthers(entry: EntryBuilder, sale: Sale): void {
  const { accounts } = sale.ctx.mapping;
  for (const charge of sale.charges) {
    entry.credit(accounts.serviceCharges, charge.net, 'Service charges');
  }
  for (const charge of sale.charges) {
    for (const tax of charge.taxes) {
      entry.credit(tax.account, tax.amount, `Sales tax ${tax.taxCode}`);
    }
  }
  entry.credit(accounts.tips, sale.tips, 'Tips');
  for (const line of sale.lines.filter((l) => l.giftCard)) {
    entry.credit(accounts.giftCardLiability, line.net, 'Gift cards sold');
    for (const tax of line.taxes) {
      entry.credit(tax.account, tax.amount, `Sales tax ${tax.taxCode}`);
    }
  }
  if (sale.rounding !== 0) {
    entry.credit(accounts.rounding ?? '', sale.rounding, 'Cash rounding');
  }
}

function revenueEntry(sale: Sale) {
  const entry = new EntryBuilder();
  debitTenders(entry, sale);

  const items = sale.lines.filter((l) => !l.giftCard);
  for (const line of items) {
    entry.credit(line.resolved!.revenueAccount, line.net, 'Sales');
  }
  for (const line of items) {
    for (const tax of line.taxes) {
      entry.credit(tax.account, tax.amount, `Sales tax ${tax.taxCode}`);
    }
  }
  creditOthers(entry, sale);

  const { ctx } = sale;
  const header = ctx.header('revenue', `Square sale ${ctx.short}`);
  return entry.build('revenue', header);
}

function invoiceDocs(sale: Sale): X3Document[] {
  const { ctx } = sale;
  const items = sale.lines.filter((l) => !l.giftCard);
  const invoice = items.length > 0 ? invoiceDoc(ctx, items, 'invoice') : null;

  const entry = new EntryBuilder();
  debitTenders(entry, sale);
  if (invoice) {
    entry.credit(
      ctx.mapping.accounts.receivable,
      invoiceTotal(invoice),
      `Invoice ${ctx.short}`,
      { businessPartner: ctx.mapping.customer },
    );
  }
  creditOthers(entry, sale);

  const receipt = entry.build(
    'receipt',
    ctx.header('receipt', `Square receipt ${ctx.short}`),
  );
  return compact<X3Document>([invoice, receipt]);
}
