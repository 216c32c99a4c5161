// The accounting side of a record: the mapping tables a user maintains,
// the X3 codes resolved for one record, and the X3 documents it becomes.
// Money is always an integer count of the currency's minor units here.

/** Tables the user edits in the mapping node. Keys are Square ids. */
export interface MappingTables {
  /** Square location id -> X3 sales site (FCY / SALFCY) */
  sites: Record<string, string>;
  /** catalog variation id (or line name for custom amounts) -> product */
  products: Record<string, ProductMapping>;
  /**
   * SKU -> product, for a variation not in `products`: the mapping node
   * asks Square's catalog for the variation's SKU
   */
  skus?: Record<string, ProductMapping>;
  /** used for a line found by neither id nor SKU, if set */
  genericProduct?: ProductMapping;
  /** Square tax catalog id (or tax name) -> X3 tax code and payable account */
  taxes: Record<string, TaxMapping>;
  /**
   * tender -> clearing account. Keys, most specific first:
   * "CARD:VISA" (type:brand), "CARD", "CASH", "SQUARE_GIFT_CARD",
   * "EXTERNAL:CHECK" (external type), "OTHER".
   */
  tenders: Record<string, string>;
  accounts: {
    receivable: string;
    tips: string;
    serviceCharges: string;
    fees: string;
    giftCardLiability: string;
    rounding?: string;
  };
  /** Square customer id -> X3 customer code, when not derived */
  customers: Record<string, string>;
  /** X3 customer for a sale that has no Square customer */
  walkInCustomer: string;
  /** BCGCOD for customers the connector creates */
  customerCategory: string;
  /**
   * X3 tax code for invoice lines Square did not tax; invoice mode needs
   * it for such lines, journal mode books no tax for them.
   */
  exemptTax?: TaxMapping;
  /** currency of records that carry none (a customer without location) */
  defaultCurrency?: string;
}

export interface ProductMapping {
  product: string;
  revenueAccount: string;
}

export interface TaxMapping {
  taxCode: string;
  account: string;
}

/** What sqx3-mapping adds as msg.mapping. */
export interface ResolvedMapping {
  site: string;
  currency: string;
  customer: string;
  /** true when `customer` must be created or updated from Square */
  customerFromSquare: boolean;
  /** by line item uid (sale) or return line item uid (refund) */
  lines: Record<string, ResolvedLine>;
  /** by Square tax uid */
  taxes: Record<string, TaxMapping>;
  /** by payment id (= tender id) */
  tenders: Record<string, string>;
  accounts: MappingTables['accounts'];
  customerCategory: string;
}

export interface ResolvedLine {
  product: string;
  revenueAccount: string;
  taxCode: string;
  taxAccount: string;
}

export type MappingResult =
  { ok: true; mapping: ResolvedMapping } | { ok: false; missing: string[] };

export type PostingMode = 'invoice' | 'journal';

export type Side = 'debit' | 'credit';

export interface JournalLine {
  account: string;
  side: Side;
  /** minor units, > 0 */
  amount: number;
  description: string;
  /** X3 customer, for lines on a receivable (control) account */
  businessPartner?: string;
}

export type EntryKind =
  'receipt' | 'revenue' | 'fee' | 'refund' | 'refund-receipt' | 'fee-refund';

export interface JournalEntryDoc {
  type: 'entry';
  kind: EntryKind;
  /** unique per document: `${recordKey}#${kind}` */
  docKey: string;
  /** short reference X3 stores (BPRVCR), derived from docKey */
  reference: string;
  site: string;
  /** accounting date, YYYY-MM-DD */
  date: string;
  currency: string;
  description: string;
  lines: JournalLine[];
}

export interface InvoiceLine {
  product: string;
  description: string;
  /** Square's decimal quantity string, as given */
  quantity: string;
  /** unit price, minor units */
  grossPrice: number;
  /** discount on the whole line, minor units */
  discount: number;
  taxCode: string;
  /** tax on the whole line as Square reported it, minor units */
  taxAmount: number;
  /** line total excluding tax, minor units */
  netAmount: number;
}

export interface InvoiceDoc {
  type: 'invoice';
  kind: 'invoice' | 'credit-memo';
  docKey: string;
  /** short reference X3 stores (INVREF), derived from docKey */
  reference: string;
  site: string;
  customer: string;
  date: string;
  currency: string;
  lines: InvoiceLine[];
  /** totals as Square reported them, minor units */
  totalNet: number;
  totalTax: number;
}

export type X3Document = InvoiceDoc | JournalEntryDoc;

/** What a record becomes in X3; empty `documents` means nothing to post. */
export interface PostingPlan {
  recordKey: string;
  documents: X3Document[];
  /** why nothing is posted (a zero-value sale, say) */
  skipReason?: string;
}

/** An X3 customer (BPCUSTOMER) built from a Square customer. */
export interface CustomerDoc {
  type: 'customer';
  docKey: string;
  /** BPCNUM, at most 15 characters; '' leaves it to X3's numbering */
  code: string;
  /** X3 numbering: the short name (BPCSHO) that finds the customer again */
  tag?: string;
  /** BCGCOD */
  category: string;
  /** BPRNAM, at most 35 characters */
  name: string;
  currency: string;
  country?: string;
  addressLine1?: string;
  addressLine2?: string;
  city?: string;
  postalCode?: string;
  state?: string;
  email?: string;
  phone?: string;
}
