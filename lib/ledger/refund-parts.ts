import type {
  Money,
  Order,
  OrderReturn,
  OrderReturnLineItem,
} from '../square/types';
import { PostingError } from './errors';
import type { InvoiceSource } from './invoice';
import { largestRemainder, moneyAmount, sumAmounts } from './money';
import {
  byAccount,
  isGiftCardLine,
  lineUid,
  saleLines,
  serviceChargeParts,
  splitTax,
} from './sale-parts';
import type { ResolvedMapping } from './types';

// What a refund gives back, as debits per X3 account. Returned lines,
// service charges and tips are itemised by Square; what the return does
// not itemise is spread over the sale's non-tip parts by largest
// remainder, the only place the connector splits an amount itself.

export interface Debit {
  account: string;
  amount: number;
  label: string;
}

export interface ReturnedLine extends InvoiceSource {
  giftCard: boolean;
  item: OrderReturnLineItem;
}

export interface Returned {
  lines: ReturnedLine[];
  /** gift cards, service charges and tips given back */
  others: Debit[];
}

interface ReturnedCharge {
  uid?: string;
  source_service_charge_uid?: string;
  total_money?: Money;
  total_tax_money?: Money;
  applied_money?: Money;
}

interface ReturnedTip {
  applied_money?: Money;
}

/** The return in a return order that gives back this sale. */
export function saleReturn(
  returnOrder: Order | undefined,
  saleOrderId: string,
): OrderReturn | undefined {
  const returns = returnOrder?.returns ?? [];
  return (
    returns.find((r) => r.source_order_id === saleOrderId) ??
    (returns.length === 1 ? returns[0] : undefined)
  );
}

export function isLinked(line: OrderReturnLineItem): boolean {
  return (
    Boolean(line.source_line_item_uid) && line.item_type !== 'CUSTOM_AMOUNT'
  );
}

export function returnedParts(
  ret: OrderReturn | undefined,
  order: Order,
  mapping: ResolvedMapping,
): Returned {
  const { currency, accounts } = mapping;
  const lines: ReturnedLine[] = [];
  const others: Debit[] = [];

  (ret?.return_line_items ?? []).forEach((item, index) => {
    if (!isLinked(item)) return;
    const uid = lineUid(item, index);
    const source = order.line_items?.find(
      (l) => l.uid === item.source_line_item_uid,
    );
    if (!source) {
      throw new PostingError(
        'BAD_DATA',
        `return line ${uid} points at sale line ` +
          `${item.source_line_item_uid}, not in order ${order.id}`,
      );
    }

    const giftCard = isGiftCardLine(source) || isGiftCardLine(item);
    const resolved = mapping.lines[uid];
    if (!giftCard && !resolved) {
      throw new PostingError('UNMAPPED', `no product for return line ${uid}`);
    }
    const total = moneyAmount(item.total_money, currency);
    const tax = moneyAmount(item.total_tax_money, currency);
    const fallback = resolved?.taxAccount
      ? { taxCode: resolved.taxCode, account: resolved.taxAccount }
      : undefined;
    const taxes = splitTax(
      tax,
      source.applied_taxes,
      mapping.taxes,
      currency,
      `return line ${uid}`,
      fallback,
    );
    lines.push({ uid, item, giftCard, tax, net: total - tax, taxes, resolved });
  });

  const charges = (ret?.return_service_charges ?? []) as ReturnedCharge[];
  for (const charge of charges) {
    const tax = moneyAmount(charge.total_tax_money, currency);
    const total = charge.total_money
      ? moneyAmount(charge.total_money, currency)
      : moneyAmount(charge.applied_money, currency) + tax;
    const source = order.service_charges?.find(
      (c) => c.uid === charge.source_service_charge_uid,
    );
    others.push({
      account: accounts.serviceCharges,
      amount: total - tax,
      label: 'Service charges',
    });
    const what = `returned service charge ${charge.uid ?? ''}`.trim();
    for (const share of splitTax(
      tax,
      source?.applied_taxes,
      mapping.taxes,
      currency,
      what,
    )) {
      others.push({ ...share, label: `Sales tax ${share.taxCode}` });
    }
  }

  const tips = ((ret?.return_tips ?? []) as ReturnedTip[]).map((tip) =>
    moneyAmount(tip.applied_money, currency),
  );
  others.push({
    account: accounts.tips,
    amount: sumAmounts(tips),
    label: 'Tips',
  });

  return { lines, others: others.filter((d) => d.amount !== 0) };
}

/** Debits of returned lines: revenue (or gift cards), then tax. */
export function lineDebits(
  lines: readonly ReturnedLine[],
  mapping: ResolvedMapping,
): Debit[] {
  const out: Debit[] = lines.map((line) =>
    line.giftCard
      ? debit(
          mapping.accounts.giftCardLiability,
          line.net,
          'Gift cards refunded',
        )
      : debit(line.resolved!.revenueAccount, line.net, 'Sales returned'),
  );
  for (const line of lines) {
    for (const tax of line.taxes) {
      out.push(debit(tax.account, tax.amount, `Sales tax ${tax.taxCode}`));
    }
  }
  return out;
}

function debit(account: string, amount: number, label: string): Debit {
  return { account, amount, label };
}

function grouped(
  parts: readonly { account: string; amount: number }[],
  label: string,
): Debit[] {
  return [...byAccount(parts)].map(([account, amount]) =>
    debit(account, amount, label),
  );
}

/** The sale's parts a bare amount is spread over: all but the tips. */
export function nonTipParts(order: Order, mapping: ResolvedMapping): Debit[] {
  const { accounts } = mapping;
  const lines = saleLines(order, mapping);
  const charges = serviceChargeParts(order, mapping);
  const items = lines.filter((l) => !l.giftCard);
  const gifts = lines.filter((l) => l.giftCard);

  return [
    ...grouped(
      items.map((l) => debit(l.resolved!.revenueAccount, l.net, '')),
      'Sales returned',
    ),
    ...grouped(
      [...lines, ...charges].flatMap((p) => p.taxes),
      'Sales tax',
    ),
    ...grouped(
      charges.map((c) => debit(accounts.serviceCharges, c.net, '')),
      'Service charges',
    ),
    ...grouped(
      gifts.map((l) => debit(accounts.giftCardLiability, l.net, '')),
      'Gift cards refunded',
    ),
  ].filter((d) => d.amount > 0);
}

/**
 * Spreads `amount` over the sale's non-tip parts; what exceeds them goes
 * to the tips, up to the tips the sale took.
 */
export function spreadOverSale(
  amount: number,
  order: Order,
  mapping: ResolvedMapping,
  saleTips: number,
): Debit[] {
  const parts = nonTipParts(order, mapping);
  const base = sumAmounts(parts.map((p) => p.amount));
  const overflow = Math.max(0, amount - base);
  if (overflow > saleTips) {
    throw new PostingError(
      'REFUND_MISMATCH',
      `refund of ${amount} exceeds what sale ${order.id} took`,
    );
  }

  const spread = largestRemainder(
    amount - overflow,
    parts.map((p) => p.amount),
  );
  const out = parts.map((p, i) => ({ ...p, amount: spread[i] }));
  out.push({ account: mapping.accounts.tips, amount: overflow, label: 'Tips' });
  return out.filter((d) => d.amount !== 0);
}

/** Scales debits down to `amount` (a refund of part of a return). */
export function scaleDebits(amount: number, debits: readonly Debit[]): Debit[] {
  const scaled = largestRemainder(
    amount,
    debits.map((d) => d.amount),
  );
  return debits
    .map((d, i) => ({ ...d, amount: scaled[i] }))
    .filter((d) => d.amount !== 0);
}
