import {
  LOCATIONS,
  PRODUCTS,
  SALES_TAX,
  SEED_CURRENCY,
  TENDER_ACCOUNTS,
  X3_ACCOUNTS,
  X3_SETUP,
} from './business';
import type { CustomerFields, X3Seed } from '../x3/types';

// The X3 folder of the demo business: every code business.ts maps to
// exists here, so the example flow posts without setup work.

const REVENUE_NAMES: Record<string, string> = {
  'A-COFFEE': 'Coffee sales',
  'A-MERCH': 'Merchandise sales',
  'A-SERVICES': 'Services sales',
};

function accounts(): X3Seed['accounts'] {
  const codes = new Set<string>([
    ...PRODUCTS.map((p) => p.revenueAccount),
    SALES_TAX.account,
    ...Object.values(X3_ACCOUNTS),
    ...Object.values(TENDER_ACCOUNTS),
  ]);
  return [...codes].sort().map((code) => ({
    code,
    description: REVENUE_NAMES[code] ?? code.toLowerCase().replace(/-/g, ' '),
    control: code === X3_ACCOUNTS.receivable,
  }));
}

export function defaultX3Seed(): X3Seed {
  const types = X3_SETUP.entryTypes;
  return {
    companies: [
      {
        code: 'SQX',
        name: 'Harbour Coffee Co',
        currency: SEED_CURRENCY,
        country: 'US',
      },
    ],
    sites: LOCATIONS.map((l) => ({
      code: l.site,
      name: l.name,
      company: 'SQX',
    })),
    currencies: [
      { code: 'USD', description: 'US dollar', decimals: 2 },
      { code: 'CAD', description: 'Canadian dollar', decimals: 2 },
      { code: 'EUR', description: 'Euro', decimals: 2 },
      { code: 'GBP', description: 'Pound sterling', decimals: 2 },
      { code: 'JPY', description: 'Yen', decimals: 0 },
    ],
    products: PRODUCTS.map((p) => ({
      code: p.product,
      description: `${p.name} ${p.variationName}`,
      category: p.revenueAccount === 'A-SERVICES' ? 'SERV' : 'SALE',
    })),
    accounts: accounts(),
    taxCodes: [
      {
        code: SALES_TAX.taxCode,
        description: SALES_TAX.name,
        rate: SALES_TAX.percentage,
      },
      { code: 'EXE', description: 'Exempt', rate: '0' },
    ],
    invoiceTypes: [
      { code: X3_SETUP.invoiceType, category: 'invoice', prefix: 'SQI' },
      { code: X3_SETUP.creditMemoType, category: 'creditMemo', prefix: 'SQC' },
    ],
    entryTypes: [
      { code: types.receipt, description: 'Square receipts', prefix: 'SQR' },
      { code: types.revenue, description: 'Square sales', prefix: 'SQJ' },
      { code: types.fee, description: 'Square fees', prefix: 'SQF' },
      { code: types.refund, description: 'Square refunds', prefix: 'SQV' },
    ],
    customerCategories: [
      { code: X3_SETUP.customerCategory, description: 'Retail' },
    ],
    customers: [
      {
        code: X3_SETUP.walkInCustomer,
        category: X3_SETUP.customerCategory,
        companyName: 'Walk-in customer',
        shortName: 'WALKIN',
        currency: SEED_CURRENCY,
        country: 'US',
      },
    ],
  };
}

export interface SeedCustomerInput {
  code: string;
  name: string;
  category?: string;
  currency?: string;
  country?: string;
  email?: string;
  city?: string;
}

/** Something holding an X3 folder that customers can be added to. */
export interface Seedable {
  load(seed: Partial<X3Seed>): void;
}

/** Adds the returning customers the caller's scenario needs. */
export function seedX3(
  emulator: Seedable,
  extra: { customers?: SeedCustomerInput[] } = {},
): void {
  const customers: CustomerFields[] = (extra.customers ?? []).map((c) => ({
    code: c.code,
    category: c.category ?? X3_SETUP.customerCategory,
    companyName: c.name,
    currency: c.currency ?? SEED_CURRENCY,
    country: c.country ?? 'US',
    email: c.email,
    city: c.city,
  }));
  emulator.load({ customers });
}
