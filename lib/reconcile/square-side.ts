import { tenderFee } from '../ledger/fees';
import { resolveMapping } from '../ledger/mapping';
import { moneyAmount, sumAmounts } from '../ledger/money';
import {
  lineDebits,
  returnedParts,
  saleReturn,
  scaleDebits,
  spreadOverSale,
  type Debit,
} from '../ledger/refund-parts';
import { isGiftCardLine, orderTips } from '../ledger/sale-parts';
import { refundTender, saleTenders, type TenderView } from '../ledger/tender';
import type { MappingTables, PostingMode } from '../ledger/types';
import type { Order } from '../square/types';
import type { SyncRecord } from '../sync/record';
import { add, type Category, type Figures } from './figures';
import type { SkuOf } from './skus';
import { AccountRoles } from './x3-side';

// What Square says a record took or gave back, per category, from
// Square's own fields: line gross sales, discounts and taxes, the order's
// tips, service charges, rounding, each tender's amount and each
// payment's processing fee, each refund's amount. Square does not split
// a refund by amount; for it the split is the one the posting rules make
// (largest remainder over the sale's non-tip parts), said so here.

export interface SquareSide {
  figures: Figures;
  /** why part of the figures could not be worked out */
  note?: string;
}

function clearingAccount(view: TenderView, tables: MappingTables): string {
  const key = view.keys.find((k) => tables.tenders[k]);
  return key ? tables.tenders[key] : `unmapped ${view.keys[0]}`;
}

function currencyOf(record: SyncRecord): string {
  const { location, order, refund } = record.square;
  return (
    location?.currency ??
    order?.total_money?.currency ??
    refund?.amount_money?.currency ??
    ''
  );
}

export function saleFigures(
  order: Order,
  record: SyncRecord,
  tables: MappingTables,
): Figures {
  const figures: Figures = {};
  const currency = currencyOf(record);
  const amount = (m: Parameters<typeof moneyAmount>[0]) =>
    moneyAmount(m, currency);

  for (const item of order.line_items ?? []) {
    const total = amount(item.total_money);
    const tax = amount(item.total_tax_money);
    const discount = amount(item.total_discount_money);
    if (isGiftCardLine(item)) {
      add(figures, 'giftCards', total - tax);
      continue;
    }
    const gross = item.gross_sales_money
      ? amount(item.gross_sales_money)
      : total - tax + discount;
    add(figures, 'grossSales', gross);
    add(figures, 'discounts', discount);
    add(figures, 'netSales', gross - discount);
  }
  add(figures, 'tax', amount(order.total_tax_money));
  for (const charge of order.service_charges ?? []) {
    const tax = amount(charge.total_tax_money);
    const total = charge.total_money
      ? amount(charge.total_money)
      : amount(charge.applied_money) + tax;
    add(figures, 'serviceCharges', total - tax);
  }

  const views = saleTenders(order, record.square.payments);
  add(figures, 'tips', orderTips(order, views, currency));
  add(figures, 'rounding', amount(order.rounding_adjustment?.amount_money));
  for (const view of views) {
    const account = clearingAccount(view, tables);
    add(figures, `tender:${account}` as Category, amount(view.amount_money));
    add(figures, 'fees', tenderFee(view, currency));
  }
  return figures;
}

export function refundFigures(
  record: SyncRecord,
  tables: MappingTables,
  mode: PostingMode,
  skuOf?: SkuOf,
): SquareSide {
  const { refund, order, payments } = record.square;
  const figures: Figures = {};
  if (!refund) return { figures, note: 'no refund in the record' };
  const currency = currencyOf(record);
  const amount = moneyAmount(refund.amount_money, currency);

  const tender = refundTender(refund, order, payments);
  add(figures, 'refunds', amount);
  add(
    figures,
    `tender:${clearingAccount(tender, tables)}` as Category,
    -amount,
  );
  add(
    figures,
    'fees',
    sumAmounts(
      (refund.processing_fee ?? []).map((fee) =>
        moneyAmount(fee.amount_money, currency),
      ),
    ),
  );

  const resolved = resolveMapping(record, tables, { mode, skuOf });
  if (!order || !resolved.ok) {
    add(figures, 'returns', amount);
    add(figures, 'netSales', -amount);
    const why = resolved.ok ? 'no sale order' : resolved.missing.join('; ');
    return { figures, note: `refund not split (${why})` };
  }
  const mapping = resolved.mapping;
  const returned = returnedParts(
    saleReturn(record.square.returnOrder, order.id),
    order,
    mapping,
  );
  const itemised = [...lineDebits(returned.lines, mapping), ...returned.others];
  const itemisedTotal = sumAmounts(itemised.map((d) => d.amount));
  let debits: Debit[];
  if (amount <= itemisedTotal) {
    debits = scaleDebits(amount, itemised);
  } else {
    const tips = orderTips(order, saleTenders(order, payments), currency);
    debits = [
      ...itemised,
      ...spreadOverSale(amount - itemisedTotal, order, mapping, tips),
    ];
  }

  const roles = new AccountRoles(tables);
  for (const debit of debits) {
    const role = roles.role(debit.account);
    if (role === 'revenue') {
      add(figures, 'returns', debit.amount);
      add(figures, 'netSales', -debit.amount);
    } else if (role && role !== 'receivable' && role !== 'fees') {
      add(figures, role, -debit.amount);
    } else {
      add(figures, `account:${debit.account}` as Category, -debit.amount);
    }
  }
  return { figures };
}

/** `skuOf`: the catalog SKUs the posting mapped lines by, if any. */
export function squareFigures(
  record: SyncRecord,
  tables: MappingTables,
  mode: PostingMode,
  skuOf?: SkuOf,
): SquareSide {
  if (record.kind === 'refund') {
    return refundFigures(record, tables, mode, skuOf);
  }
  const order = record.square.order;
  if (record.kind !== 'sale' || !order) return { figures: {} };
  return { figures: saleFigures(order, record, tables) };
}
