import type {
  AppliedRef,
  Order,
  OrderLineItem,
  OrderServiceCharge,
} from '../square/types';
import { PostingError } from './errors';
import { largestRemainder, moneyAmount, sumAmounts } from './money';
import type { TenderView } from './tender';
import type { ResolvedLine, ResolvedMapping, TaxMapping } from './types';

// A sale order read as amounts per X3 account. Every figure is Square's;
// the only arithmetic is net = total - tax and the split of a line's tax
// over its taxes by Square's own applied amounts.

export interface TaxShare {
  account: string;
  taxCode: string;
  amount: number;
}

export interface SaleLine {
  uid: string;
  item: OrderLineItem;
  giftCard: boolean;
  total: number;
  tax: number;
  net: number;
  taxes: TaxShare[];
  /** absent for gift-card lines, which need no product */
  resolved?: ResolvedLine;
}

export interface ServiceChargePart {
  uid: string;
  total: number;
  tax: number;
  net: number;
  taxes: TaxShare[];
}

export interface TenderPart {
  id: string;
  label: string;
  account: string;
  amount: number;
}

export function lineUid(item: { uid?: string }, index: number): string {
  return item.uid ?? `line#${index + 1}`;
}

export function isGiftCardLine(item: { item_type?: string }): boolean {
  return item.item_type === 'GIFT_CARD';
}

/** Splits `total` over the applied taxes by their applied amounts. */
export function splitTax(
  total: number,
  applied: readonly AppliedRef[] | undefined,
  taxes: Record<string, TaxMapping>,
  currency: string,
  what: string,
  fallback?: TaxMapping,
): TaxShare[] {
  if (total === 0) return [];

  const refs = (applied ?? []).filter((ref) => ref.tax_uid);
  if (refs.length === 0) {
    if (fallback?.account) return [{ ...share(fallback), amount: total }];
    throw new PostingError('UNMAPPED', `no tax account for the tax on ${what}`);
  }

  let weights = refs.map((ref) => moneyAmount(ref.applied_money, currency));
  if (weights.every((w) => w === 0)) weights = refs.map(() => 1);
  const amounts = largestRemainder(total, weights);

  return refs.map((ref, i) => {
    const found = taxes[ref.tax_uid as string];
    if (!found) {
      throw new PostingError('UNMAPPED', `tax ${ref.tax_uid} on ${what}`);
    }
    return { ...share(found), amount: amounts[i] };
  });
}

function share(tax: TaxMapping): Omit<TaxShare, 'amount'> {
  return { account: tax.account, taxCode: tax.taxCode };
}

export function saleLines(order: Order, mapping: ResolvedMapping): SaleLine[] {
  return (order.line_items ?? []).map((item, index) => {
    const uid = lineUid(item, index);
    const giftCard = isGiftCardLine(item);
    const resolved = mapping.lines[uid];
    if (!giftCard && !resolved) {
      throw new PostingError('UNMAPPED', `no product for line ${uid}`);
    }

    const total = moneyAmount(item.total_money, mapping.currency);
    const tax = moneyAmount(item.total_tax_money, mapping.currency);
    const fallback = resolved?.taxAccount
      ? { taxCode: resolved.taxCode, account: resolved.taxAccount }
      : undefined;
    const what = `line ${uid}`;
    const taxes = splitTax(
      tax,
      item.applied_taxes,
      mapping.taxes,
      mapping.currency,
      what,
      fallback,
    );
    const net = total - tax;
    return { uid, item, giftCard, total, tax, net, taxes, resolved };
  });
}

export function serviceChargeParts(
  order: Order,
  mapping: ResolvedMapping,
): ServiceChargePart[] {
  const charges: OrderServiceCharge[] = order.service_charges ?? [];
  return charges.map((charge, index) => {
    const uid = charge.uid ?? `charge#${index + 1}`;
    const tax = moneyAmount(charge.total_tax_money, mapping.currency);
    const total = charge.total_money
      ? moneyAmount(charge.total_money, mapping.currency)
      : moneyAmount(charge.applied_money, mapping.currency) + tax;
    const taxes = splitTax(
      tax,
      charge.applied_taxes,
      mapping.taxes,
      mapping.currency,
      `service charge ${uid}`,
    );
    return { uid, total, tax, net: total - tax, taxes };
  });
}

export function tenderParts(
  views: readonly TenderView[],
  mapping: ResolvedMapping,
): TenderPart[] {
  return views.map((view) => {
    const account = mapping.tenders[view.id];
    if (!account) {
      throw new PostingError(
        'UNMAPPED',
        `no clearing account for tender ${view.keys[0]} (${view.id})`,
      );
    }
    return {
      id: view.id,
      label: view.keys[0],
      account,
      amount: moneyAmount(view.amount_money, mapping.currency),
    };
  });
}

/** The order's tips, else the sum of its tenders' tips. */
export function orderTips(
  order: Order,
  views: readonly TenderView[],
  currency: string,
): number {
  if (order.total_tip_money) {
    return moneyAmount(order.total_tip_money, currency);
  }
  return sumAmounts(views.map((v) => moneyAmount(v.tip_money, currency)));
}

/** Cash rounding: positive when the buyer paid more than the items. */
export function roundingAmount(order: Order, currency: string): number {
  return moneyAmount(order.rounding_adjustment?.amount_money, currency);
}

/** Amounts per account, in order of first appearance. */
export function byAccount(
  parts: readonly { account: string; amount: number }[],
): Map<string, number> {
  const out = new Map<string, number>();
  for (const { account, amount } of parts) {
    out.set(account, (out.get(account) ?? 0) + amount);
  }
  return out;
}
