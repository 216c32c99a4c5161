import type { MappingTables } from './types';

// The mapping tables as CSV, one row per entry, so they can be kept in a
// spreadsheet: table,key,code,account. `key` is the Square id (or SKU,
// tender key, account name); `code` the X3 code; `account` the X3 account.

const HEADER = ['table', 'key', 'code', 'account'];

type Row = [string, string, string, string];

function quote(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

export function mappingToCsv(tables: MappingTables): string {
  const rows: Row[] = [];
  for (const [id, site] of Object.entries(tables.sites)) {
    rows.push(['site', id, site, '']);
  }
  for (const [id, p] of Object.entries(tables.products)) {
    rows.push(['product', id, p.product, p.revenueAccount]);
  }
  for (const [sku, p] of Object.entries(tables.skus ?? {})) {
    rows.push(['sku', sku, p.product, p.revenueAccount]);
  }
  if (tables.genericProduct) {
    const g = tables.genericProduct;
    rows.push(['genericProduct', '', g.product, g.revenueAccount]);
  }
  for (const [id, t] of Object.entries(tables.taxes)) {
    rows.push(['tax', id, t.taxCode, t.account]);
  }
  if (tables.exemptTax) {
    rows.push([
      'exemptTax',
      '',
      tables.exemptTax.taxCode,
      tables.exemptTax.account,
    ]);
  }
  for (const [key, account] of Object.entries(tables.tenders)) {
    rows.push(['tender', key, '', account]);
  }
  for (const [name, account] of Object.entries(tables.accounts)) {
    if (account) rows.push(['account', name, '', account]);
  }
  for (const [id, code] of Object.entries(tables.customers)) {
    rows.push(['customer', id, code, '']);
  }
  rows.push(['walkInCustomer', '', tables.walkInCustomer, '']);
  rows.push(['customerCategory', '', tables.customerCategory, '']);
  if (tables.defaultCurrency) {
    rows.push(['defaultCurrency', '', tables.defaultCurrency, '']);
  }
  return (
    [HEADER, ...rows].map((row) => row.map(quote).join(',')).join('\r\n') +
    '\r\n'
  );
}

/** RFC 4180 fields: quotes, doubled quotes, commas and newlines inside. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (quoted) throw new Error('CSV: a quoted field is not closed');
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((f) => f.trim() !== ''));
}

const ACCOUNT_NAMES = new Set([
  'receivable',
  'tips',
  'serviceCharges',
  'fees',
  'giftCardLiability',
  'rounding',
]);

export function mappingFromCsv(text: string): MappingTables {
  const rows = parseCsv(text.replace(/^\uFEFF/, ''));
  const header = rows.shift()?.map((h) => h.trim());
  if (!header || HEADER.some((h, i) => header[i] !== h)) {
    throw new Error(`CSV: the first row must be ${HEADER.join(',')}`);
  }
  const tables: MappingTables = {
    sites: {},
    products: {},
    taxes: {},
    tenders: {},
    customers: {},
    accounts: {} as MappingTables['accounts'],
    walkInCustomer: '',
    customerCategory: '',
  };

  rows.forEach((fields, index) => {
    const [table, key, code, account] = fields.map((f) => (f ?? '').trim());
    const at = `CSV row ${index + 2}`;
    const need = (value: string, what: string) => {
      if (!value) throw new Error(`${at}: ${table} needs ${what}`);
      return value;
    };
    switch (table) {
      case 'site':
        tables.sites[need(key, 'a key')] = need(code, 'a code');
        break;
      case 'product':
        tables.products[need(key, 'a key')] = {
          product: need(code, 'a code'),
          revenueAccount: need(account, 'an account'),
        };
        break;
      case 'sku':
        tables.skus ??= {};
        tables.skus[need(key, 'a SKU')] = {
          product: need(code, 'a code'),
          revenueAccount: need(account, 'an account'),
        };
        break;
      case 'genericProduct':
        tables.genericProduct = {
          product: need(code, 'a code'),
          revenueAccount: need(account, 'an account'),
        };
        break;
      case 'tax':
        tables.taxes[need(key, 'a key')] = {
          taxCode: need(code, 'a code'),
          account: need(account, 'an account'),
        };
        break;
      case 'exemptTax':
        tables.exemptTax = {
          taxCode: need(code, 'a code'),
          account: need(account, 'an account'),
        };
        break;
      case 'tender':
        tables.tenders[need(key, 'a key')] = need(account, 'an account');
        break;
      case 'account':
        if (!ACCOUNT_NAMES.has(key))
          throw new Error(`${at}: no account "${key}"`);
        (tables.accounts as Record<string, string>)[key] = need(
          account,
          'an account',
        );
        break;
      case 'customer':
        tables.customers[need(key, 'a key')] = need(code, 'a code');
        break;
      case 'walkInCustomer':
        tables.walkInCustomer = code;
        break;
      case 'customerCategory':
        tables.customerCategory = code;
        break;
      case 'defaultCurrency':
        tables.defaultCurrency = code || undefined;
        break;
      default:
        throw new Error(`${at}: unknown table "${table}"`);
    }
  });
  return tables;
}
