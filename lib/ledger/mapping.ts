import type { Money, Order } from '../square/types';
import type { SyncRecord } from '../sync/record';
import { tenderFee } from './fees';
import { moneyAmount, sumAmounts } from './money';
import { isLinked, saleReturn } from './refund-parts';
import { Resolver } from './resolver';
import { isGiftCardLine, lineUid } from './sale-parts';
import { refundTender, saleTenders } from './tender';
import type { MappingResult, MappingTables, PostingMode } from './types';

// resolveMapping: the X3 codes a record needs, or every one that is
// missing. Only what the record will actually post is asked for: an
// account for tips only when there are tips, and so on.

export interface ResolveOptions {
  /** invoice mode (the default) also needs the receivable and tax codes */
  mode?: PostingMode;
  /** the SKU of a catalog variation, for the tables' SKU rows */
  skuOf?: (variationId: string) => string | undefined;
}

export function resolveMapping(
  record: SyncRecord,
  tables: MappingTables,
  opts: ResolveOptions = {},
): MappingResult {
  const resolver = new Resolver(tables, opts.mode ?? 'invoice', opts.skuOf);
  if (record.kind === 'sale') resolveSale(record, resolver);
  else if (record.kind === 'refund') resolveRefund(record, resolver);
  else resolveCustomer(record, resolver);
  return resolver.result();
}

/** The Square customer a sale names: order, then tender, then payment. */
export function saleCustomerId(record: SyncRecord): string | undefined {
  const { order, payments } = record.square;
  return (
    order?.customer_id ??
    order?.tenders?.find((t) => t.customer_id)?.customer_id ??
    payments?.find((p) => p.customer_id)?.customer_id ??
    record.square.customer?.id
  );
}

function resolveSale(record: SyncRecord, r: Resolver): void {
  const { order, payments, location } = record.square;
  if (!order) return r.gap(`order of ${record.key}`);

  r.site(order.location_id ?? location?.id, record.key);
  r.currency(location, [order.total_money], `location ${order.location_id}`);
  const currency = r.mapping.currency || undefined;

  const views = saleTenders(order, payments);
  views.forEach((view) => r.tender(view));
  r.customer(saleCustomerId(record));

  saleLineMappings(order, r);
  const items = order.line_items?.filter((l) => !isGiftCardLine(l)) ?? [];
  if (r.mode === 'invoice' && items.length > 0) r.account('receivable');
  const tips = order.total_tip_money
    ? moneyAmount(order.total_tip_money, currency)
    : sumAmounts(views.map((v) => moneyAmount(v.tip_money, currency)));
  if (tips !== 0) r.account('tips');
  if (moneyAmount(order.rounding_adjustment?.amount_money, currency) !== 0) {
    r.account('rounding');
  }
  if (views.some((v) => tenderFee(v, currency ?? '') !== 0)) {
    r.account('fees');
  }
}

/** Products and taxes of every sale line, and of the service charges. */
function saleLineMappings(order: Order, r: Resolver): void {
  (order.line_items ?? []).forEach((item, index) => {
    if (isGiftCardLine(item)) r.account('giftCardLiability');
    else r.line(order, item, lineUid(item, index));
  });
  serviceChargeMappings(order, r, order.service_charges ?? []);
}

function serviceChargeMappings(
  order: Order,
  r: Resolver,
  charges: NonNullable<Order['service_charges']>,
): void {
  for (const charge of charges) {
    r.account('serviceCharges');
    for (const ref of charge.applied_taxes ?? []) {
      if (ref.tax_uid) r.tax(order, ref.tax_uid);
    }
  }
}

function resolveRefund(record: SyncRecord, r: Resolver): void {
  const { refund, order, returnOrder, payments, location } = record.square;
  if (!refund) return r.gap(`refund of ${record.key}`);

  const locationId =
    refund.location_id ??
    returnOrder?.location_id ??
    order?.location_id ??
    location?.id;
  r.site(locationId, record.key);
  r.currency(location, [refund.amount_money], `location ${locationId}`);
  const currency = r.mapping.currency || undefined;

  const tender = refundTender(refund, order, payments);
  r.tender(tender);
  r.customer(
    order?.customer_id ??
      returnOrder?.customer_id ??
      tender.payment?.customer_id ??
      record.square.customer?.id,
  );
  const fees = (refund.processing_fee ?? []).map((fee) =>
    moneyAmount(fee.amount_money, currency),
  );
  if (sumAmounts(fees) !== 0) r.account('fees');

  if (!order) return r.gap(`sale order of refund ${refund.id}`);
  const itemised = returnMappings(record, order, r);
  if (moneyAmount(refund.amount_money, currency) > itemised) {
    saleLineMappings(order, r);
    if (moneyAmount(order.total_tip_money, currency) > 0) r.account('tips');
  }
}

/** Maps the itemised part of a return; gives its total. */
function returnMappings(record: SyncRecord, order: Order, r: Resolver): number {
  const ret = saleReturn(record.square.returnOrder, order.id);
  const currency = r.mapping.currency || undefined;
  const totals: number[] = [];

  (ret?.return_line_items ?? []).forEach((item, index) => {
    if (!isLinked(item)) return;
    const source = order.line_items?.find(
      (l) => l.uid === item.source_line_item_uid,
    );
    if (!source) {
      r.gap(`sale line ${item.source_line_item_uid} of order ${order.id}`);
      return;
    }
    totals.push(moneyAmount(item.total_money, currency));
    if (isGiftCardLine(source) || isGiftCardLine(item)) {
      r.account('giftCardLiability');
      return;
    }
    if (r.mode === 'invoice') r.account('receivable');
    r.line(order, source, lineUid(item, index));
  });

  const charges = (ret?.return_service_charges ?? []) as {
    source_service_charge_uid?: string;
    total_money?: Money;
  }[];
  for (const charge of charges) {
    totals.push(moneyAmount(charge.total_money, currency));
    const source =
      order.service_charges?.filter(
        (c) => c.uid === charge.source_service_charge_uid,
      ) ?? [];
    serviceChargeMappings(order, r, source);
    r.account('serviceCharges');
  }

  const tips = (ret?.return_tips ?? []) as { applied_money?: Money }[];
  for (const tip of tips) totals.push(moneyAmount(tip.applied_money, currency));
  if (tips.length > 0) r.account('tips');
  return sumAmounts(totals);
}

function resolveCustomer(record: SyncRecord, r: Resolver): void {
  const { customer, location } = record.square;
  if (!customer) return r.gap(`customer of ${record.key}`);

  r.optionalSite(location?.id);
  r.currency(location, [], `customer ${customer.id}`);
  r.customer(customer.id);
  r.category();
}
