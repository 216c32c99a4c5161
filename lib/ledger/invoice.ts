import type { Money } from '../square/types';
import type { DocContext } from './context';
import { clip } from './describe';
import { PostingError } from './errors';
import { moneyAmount, sumAmounts } from './money';
import { documentReference } from './reference';
import type { TaxShare } from './sale-parts';
import type { InvoiceDoc, InvoiceLine, ResolvedLine } from './types';

// The X3 sales invoice (or credit memo) for item lines, with Square's
// quantities, prices, discounts and taxes as Square reported them.

/** A sale line or a returned line, as an invoice line is made from it. */
export interface InvoiceSource {
  uid: string;
  item: {
    name?: string;
    variation_name?: string;
    quantity: string;
    base_price_money?: Money;
    total_discount_money?: Money;
  };
  tax: number;
  net: number;
  taxes: TaxShare[];
  resolved?: ResolvedLine;
}

export function invoiceLine(
  line: InvoiceSource,
  currency: string,
): InvoiceLine {
  const resolved = line.resolved;
  if (!resolved) {
    throw new PostingError('UNMAPPED', `no product for line ${line.uid}`);
  }

  const codes = new Set(line.taxes.map((t) => t.taxCode));
  if (codes.size > 1) {
    throw new PostingError(
      'UNSUPPORTED',
      `line ${line.uid} carries taxes ${[...codes].join(', ')}; ` +
        'an invoice line takes one tax code, use journal mode',
    );
  }
  const taxCode = [...codes][0] ?? resolved.taxCode;
  if (!taxCode) {
    throw new PostingError('UNMAPPED', `no tax code for line ${line.uid}`);
  }

  const { item } = line;
  return {
    product: resolved.product,
    description: clip(item.name ?? item.variation_name ?? resolved.product),
    quantity: item.quantity,
    grossPrice: moneyAmount(item.base_price_money, currency),
    discount: moneyAmount(item.total_discount_money, currency),
    taxCode,
    taxAmount: line.tax,
    netAmount: line.net,
  };
}

export function invoiceDoc(
  ctx: DocContext,
  lines: readonly InvoiceSource[],
  kind: InvoiceDoc['kind'],
): InvoiceDoc {
  const invoiceLines = lines.map((l) => invoiceLine(l, ctx.mapping.currency));
  const docKey = ctx.docKey(kind);
  return {
    type: 'invoice',
    kind,
    docKey,
    reference: documentReference(docKey),
    site: ctx.mapping.site,
    customer: ctx.mapping.customer,
    date: ctx.date,
    currency: ctx.mapping.currency,
    lines: invoiceLines,
    totalNet: sumAmounts(invoiceLines.map((l) => l.netAmount)),
    totalTax: sumAmounts(invoiceLines.map((l) => l.taxAmount)),
  };
}

export function invoiceTotal(invoice: InvoiceDoc): number {
  return sumAmounts([invoice.totalNet, invoice.totalTax]);
}
