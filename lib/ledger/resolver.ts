import type {
  Location,
  Money,
  Order,
  OrderLineItem,
  OrderLineItemTax,
} from '../square/types';
import { customerCode } from './reference';
import type { TenderView } from './tender';
import type {
  MappingResult,
  MappingTables,
  PostingMode,
  ProductMapping,
  ResolvedLine,
  ResolvedMapping,
  TaxMapping,
} from './types';

// Looks Square ids up in the user's tables and writes down every gap, in
// words a person can act on, instead of stopping at the first. Nothing
// is ever guessed: a key that is not in a table is a gap.

type AccountName = keyof MappingTables['accounts'];

const ACCOUNT_LABELS: Record<AccountName, string> = {
  receivable: 'receivable account',
  tips: 'tips account',
  serviceCharges: 'service charges account',
  fees: 'fees account',
  giftCardLiability: 'gift card liability account',
  rounding: 'rounding account',
};

function quoted(name: string | undefined): string {
  return name ? ` ("${name}")` : '';
}

export class Resolver {
  readonly mapping: ResolvedMapping;
  private readonly missing = new Set<string>();

  constructor(
    private readonly tables: MappingTables,
    readonly mode: PostingMode,
    /** the SKU Square's catalog gives a variation, when known */
    private readonly skuOf: (variationId: string) => string | undefined = () =>
      undefined,
  ) {
    this.mapping = {
      site: '',
      currency: '',
      customer: '',
      customerFromSquare: false,
      lines: {},
      taxes: {},
      tenders: {},
      accounts: { ...tables.accounts },
      customerCategory: tables.customerCategory,
    };
  }

  gap(text: string): void {
    this.missing.add(text);
  }

  result(): MappingResult {
    return this.missing.size > 0
      ? { ok: false, missing: [...this.missing] }
      : { ok: true, mapping: this.mapping };
  }

  site(locationId: string | undefined, what: string): void {
    if (!locationId) return this.gap(`location of ${what}`);
    const site = this.tables.sites[locationId];
    if (site) this.mapping.site = site;
    else this.gap(`site for location ${locationId}`);
  }

  /** The site, when the location has one; for records that need none. */
  optionalSite(locationId: string | undefined): void {
    const site = locationId ? this.tables.sites[locationId] : undefined;
    if (site) this.mapping.site = site;
  }

  /**
   * The location's currency, else the first money's, else the default;
   * `where` names what lacks one in the gap.
   */
  currency(
    location: Location | undefined,
    moneys: (Money | undefined)[],
    where: string,
  ): void {
    const currency =
      location?.currency ??
      moneys.find((m) => m?.currency)?.currency ??
      this.tables.defaultCurrency;
    if (currency) this.mapping.currency = currency;
    else this.gap(`currency for ${where}`);
  }

  account(name: AccountName): void {
    if (!this.tables.accounts[name]) this.gap(ACCOUNT_LABELS[name]);
  }

  customer(customerId: string | undefined): void {
    if (customerId) {
      const mapped = this.tables.customers[customerId];
      this.mapping.customer = mapped ?? customerCode(customerId);
      this.mapping.customerFromSquare = !mapped;
    } else if (this.tables.walkInCustomer) {
      this.mapping.customer = this.tables.walkInCustomer;
    } else {
      this.gap('walk-in customer');
    }
  }

  category(): void {
    if (!this.tables.customerCategory) this.gap('customer category');
  }

  tender(view: TenderView): void {
    const key = view.keys.find((k) => this.tables.tenders[k]);
    if (key) this.mapping.tenders[view.id] = this.tables.tenders[key];
    else this.gap(`clearing account for tender ${view.keys[0]}`);
  }

  /**
   * Maps a sale line (for a refund: the sale line a return line points
   * at) and its taxes; stores it under `uid`.
   */
  line(order: Order, item: OrderLineItem, uid: string): void {
    const product = this.product(item);
    const taxes = (item.applied_taxes ?? [])
      .filter((ref) => ref.tax_uid)
      .map((ref) => ({
        tax: this.tax(order, ref.tax_uid as string),
        weight: ref.applied_money?.amount ?? 0,
      }));
    const main = taxes
      .filter((t) => t.tax)
      .sort((a, b) => b.weight - a.weight)[0]?.tax;

    let tax: TaxMapping | undefined = main;
    if (taxes.length === 0) {
      tax = this.tables.exemptTax;
      if (!tax && this.mode === 'invoice') {
        this.gap(`exempt tax code for ${this.lineName(item)}`);
      }
    }
    if (!product) return;

    const resolved: ResolvedLine = {
      product: product.product,
      revenueAccount: product.revenueAccount,
      taxCode: tax?.taxCode ?? '',
      taxAccount: tax?.account ?? '',
    };
    this.mapping.lines[uid] = resolved;
  }

  /** Maps the order's tax `taxUid`, by catalog id, then by name. */
  tax(order: Order, taxUid: string): TaxMapping | undefined {
    const found = this.mapping.taxes[taxUid];
    if (found) return found;

    const tax = order.taxes?.find((t) => t.uid === taxUid);
    if (!tax) {
      this.gap(`tax ${taxUid} of order ${order.id}`);
      return undefined;
    }
    const mapped = this.lookupTax(tax);
    if (mapped) this.mapping.taxes[taxUid] = mapped;
    else this.gap(`tax code for ${this.taxName(tax)}`);
    return mapped;
  }

  private lookupTax(tax: OrderLineItemTax): TaxMapping | undefined {
    const { taxes } = this.tables;
    return (
      (tax.catalog_object_id && taxes[tax.catalog_object_id]) ||
      (tax.name && taxes[tax.name]) ||
      undefined
    );
  }

  /** By variation id, then SKU, then line name, then the generic one. */
  private product(item: OrderLineItem): ProductMapping | undefined {
    const { products, skus, genericProduct } = this.tables;
    const id = item.catalog_object_id;
    const sku = id && !products[id] ? this.skuOf(id) : undefined;
    const found =
      (id && products[id]) ||
      (sku && skus?.[sku]) ||
      (item.name && products[item.name]) ||
      genericProduct;
    if (!found) {
      const withSku = sku ? ` SKU ${sku}` : '';
      this.gap(`product for ${this.lineName(item)}${withSku}`);
    }
    return found || undefined;
  }

  private lineName(item: OrderLineItem): string {
    if (item.catalog_object_id) {
      return `${item.catalog_object_id}${quoted(item.name)}`;
    }
    return item.name ? `line "${item.name}"` : `line ${item.uid ?? ''}`.trim();
  }

  private taxName(tax: OrderLineItemTax): string {
    if (tax.catalog_object_id) {
      return `${tax.catalog_object_id}${quoted(tax.name)}`;
    }
    return tax.name ? `"${tax.name}"` : `tax ${tax.uid ?? ''}`.trim();
  }
}
