// The demo business both emulators are seeded with: a coffee roaster and
// distributor with two shops in New York and a web store. Square ids on
// one side, the X3 codes they map to on the other; the example flow's
// mapping table joins the two.

export const SEED_CURRENCY = 'USD';
export const SEED_TIMEZONE = 'America/New_York';
export const SEED_MERCHANT_ID = 'MLQ7SQX3DEMO1';

export interface SeedLocation {
  id: string;
  name: string;
  site: string;
  main?: boolean;
}

export const LOCATIONS: SeedLocation[] = [
  { id: 'L1HARBOURST01', name: 'Harbour Street', site: 'NYC01', main: true },
  { id: 'L2MARKETSQ002', name: 'Market Square', site: 'NYC02' },
  { id: 'L3WEBSTORE003', name: 'Web Store', site: 'WEB01' },
];

export interface SeedProduct {
  /** Square catalog item variation id */
  variationId: string;
  name: string;
  variationName: string;
  /** unit price, cents */
  price: number;
  taxable: boolean;
  /** X3 product (ITMREF) and revenue account */
  product: string;
  revenueAccount: string;
}

export const PRODUCTS: SeedProduct[] = [
  {
    variationId: 'VAR_BEANS_HOUSE',
    name: 'House blend beans',
    variationName: '1 kg',
    price: 1200,
    taxable: true,
    product: 'BEANS-HOUSE',
    revenueAccount: 'A-COFFEE',
  },
  {
    variationId: 'VAR_BEANS_DECAF',
    name: 'Decaf beans',
    variationName: '1 kg',
    price: 1350,
    taxable: true,
    product: 'BEANS-DECAF',
    revenueAccount: 'A-COFFEE',
  },
  {
    variationId: 'VAR_MUG',
    name: 'Stoneware mug',
    variationName: 'Regular',
    price: 800,
    taxable: true,
    product: 'MUG-STD',
    revenueAccount: 'A-MERCH',
  },
  {
    variationId: 'VAR_GRINDER',
    name: 'Hand grinder',
    variationName: 'Steel',
    price: 4500,
    taxable: true,
    product: 'GRINDER-M',
    revenueAccount: 'A-MERCH',
  },
  {
    variationId: 'VAR_FILTERS',
    name: 'Paper filters',
    variationName: 'Pack of 100',
    price: 450,
    taxable: true,
    product: 'FILTER-100',
    revenueAccount: 'A-MERCH',
  },
  {
    variationId: 'VAR_BREW_CLASS',
    name: 'Brewing class',
    variationName: 'One seat',
    price: 2500,
    taxable: false,
    product: 'CLASS-SEAT',
    revenueAccount: 'A-SERVICES',
  },
];

/** New York City combined sales tax, added on top of prices. */
export const SALES_TAX = {
  catalogObjectId: 'TAX_NYC_SALES',
  name: 'NYC sales tax',
  percentage: '8.875',
  taxCode: 'NY1',
  account: 'TAX-PAYABLE',
};

export const X3_ACCOUNTS = {
  receivable: 'AR-TRADE',
  tips: 'TIPS-PAYABLE',
  serviceCharges: 'SVC-CHARGES',
  fees: 'FEES',
  giftCardLiability: 'GIFT-LIAB',
  rounding: 'ROUNDING',
};

/** tender -> clearing account, most specific key first */
export const TENDER_ACCOUNTS: Record<string, string> = {
  CARD: 'CLEARING-CARD',
  CASH: 'CLEARING-CASH',
  SQUARE_GIFT_CARD: 'GIFT-LIAB',
  WALLET: 'CLEARING-CARD',
  EXTERNAL: 'CLEARING-OTHER',
  OTHER: 'CLEARING-OTHER',
};

export const X3_SETUP = {
  folder: 'SEED',
  walkInCustomer: 'WALKIN',
  customerCategory: 'RETL',
  invoiceType: 'SQINV',
  creditMemoType: 'SQCRM',
  entryTypes: {
    receipt: 'SQRCP',
    revenue: 'SQJNL',
    fee: 'SQFEE',
    refund: 'SQREV',
  },
};
