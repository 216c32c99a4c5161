import type { MappingTables } from './types';

// Checks every X3 code the tables name against X3's own lists, so a typo
// shows in the editor before a record is held or refused for it.

export interface ReferenceLists {
  sites: string[];
  accounts: string[];
  products: string[];
  customers: string[];
  taxCodes: string[];
}

export interface CheckProblem {
  kind: keyof ReferenceLists;
  code: string;
  /** where the tables use it */
  usedBy: string;
}

export function checkTables(
  tables: MappingTables,
  lists: ReferenceLists,
): CheckProblem[] {
  const known = Object.fromEntries(
    Object.entries(lists).map(([k, v]) => [k, new Set(v)]),
  ) as Record<keyof ReferenceLists, Set<string>>;
  const problems: CheckProblem[] = [];
  const seen = new Set<string>();
  const check = (kind: keyof ReferenceLists, code: string, usedBy: string) => {
    if (!code || known[kind].has(code) || seen.has(`${kind}:${code}`)) return;
    seen.add(`${kind}:${code}`);
    problems.push({ kind, code, usedBy });
  };

  for (const [id, site] of Object.entries(tables.sites)) {
    check('sites', site, `location ${id}`);
  }
  const products = Object.entries(tables.products);
  for (const [sku, p] of Object.entries(tables.skus ?? {})) {
    products.push([`SKU ${sku}`, p]);
  }
  if (tables.genericProduct) products.push(['generic', tables.genericProduct]);
  for (const [id, p] of products) {
    check('products', p.product, `product ${id}`);
    check('accounts', p.revenueAccount, `product ${id}`);
  }
  const taxes = Object.entries(tables.taxes);
  if (tables.exemptTax) taxes.push(['exempt', tables.exemptTax]);
  for (const [id, t] of taxes) {
    check('taxCodes', t.taxCode, `tax ${id}`);
    check('accounts', t.account, `tax ${id}`);
  }
  for (const [key, account] of Object.entries(tables.tenders)) {
    check('accounts', account, `tender ${key}`);
  }
  for (const [name, account] of Object.entries(tables.accounts)) {
    if (account) check('accounts', account, `${name} account`);
  }
  for (const [id, code] of Object.entries(tables.customers)) {
    check('customers', code, `customer ${id}`);
  }
  check('customers', tables.walkInCustomer, 'walk-in customer');
  return problems;
}
