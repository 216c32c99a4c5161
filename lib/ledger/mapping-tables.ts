import type { MappingTables } from './types';

// The mapping node stores its tables as JSON text; this reads it back and
// says which part is malformed, instead of failing later on one record.

const TABLES = ['sites', 'products', 'taxes', 'tenders', 'customers'] as const;
const ACCOUNTS = [
  'receivable',
  'tips',
  'serviceCharges',
  'fees',
  'giftCardLiability',
] as const;

export function parseMappingTables(text: string | undefined): MappingTables {
  const raw = JSON.parse(text || '{}') as Partial<MappingTables>;
  const tables = {
    sites: {},
    products: {},
    taxes: {},
    tenders: {},
    customers: {},
    walkInCustomer: '',
    customerCategory: '',
    ...raw,
    accounts: { ...(raw.accounts ?? {}) },
  } as MappingTables;

  for (const name of TABLES) {
    const table = tables[name];
    if (typeof table !== 'object' || table === null || Array.isArray(table)) {
      throw new Error(`"${name}" must be an object of Square id -> X3 code`);
    }
  }
  const skus = tables.skus;
  if (
    skus !== undefined &&
    (typeof skus !== 'object' || skus === null || Array.isArray(skus))
  ) {
    throw new Error('"skus" must be an object of SKU -> product');
  }
  for (const name of ACCOUNTS) {
    const value = tables.accounts[name];
    if (value !== undefined && typeof value !== 'string') {
      throw new Error(`account "${name}" must be an X3 account code`);
    }
  }
  return tables;
}
