import type { MappingTables } from './types';

// The mapping tables as CSV, one row per entry, so they can be kept in a
// spreadsheet: table,key,code,account. `key` is the Square id (or SKU,
// tender key, account name); `code` the X3 code; `account` the X3 account.

const HEADER = ['table', 'key', 'code', 'account'];

type Row = [string, string, string, string];

// A spreadsheet runs a cell that begins with one of these as a formula;
// X3 codes and Square ids never begin so (a negative number is no code).
const FORMULA = /^[=+\-@\t\r]/;

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
  for (const [table, key, ...codes] of rows) {
    for (const cell of [key, ...codes]) {
      if (FORMULA.test(cell)) {
        throw new Error(
          `${table} ${JSON.stringify(key)}: ${JSON.stringify(cell)} ` +
            'would run as a spreadsheet formula; not written to CSV',
        );
      }
    }
  }
  return (
    [HEADER, ...rows].map((row) => row.map(quote).join(',')).join('\r\n') +
    '\r\n'
  );
}

/** A CSV record and the line it starts on (1-based). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/**
 * RFC 4180: a field is either plain (no quote inside) or wholly quoted,
 * with "" for a quote, and may then hold commas and newlines.
 */
export function parseCsvRecords(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let state: 'start' | 'plain' | 'quoted' | 'closed' = 'start';
  let line = 1;
  let recordLine = 1;
  let quoteLine = 1;

  const endField = () => {
    fields.push(field);
    field = '';
    state = 'start';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    const newline = ch === '\n' || ch === '\r';
    if (state === 'quoted') {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') state = 'closed';
      else field += ch;
      if (ch === '\n' || (ch === '\r' && text[i + 1] !== '\n')) line++;
      continue;
    }
    if (ch === ',') endField();
    else if (newline) {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endField();
      records.push({ line: recordLine, fields });
      fields = [];
      line++;
      recordLine = line;
    } else if (state === 'closed') {
      throw new Error(`CSV line ${line}: text after a closing quote`);
    } else if (ch === '"') {
      if (state === 'plain') {
        throw new Error(
          `CSV line ${line}: a quote inside an unquoted field ` +
            '(quote the whole field and double the quote)',
        );
      }
      state = 'quoted';
      quoteLine = line;
    } else {
      field += ch;
      state = 'plain';
    }
  }
  if (state === 'quoted') {
    throw new Error(`CSV line ${quoteLine}: a quoted field is not closed`);
  }
  if (field !== '' || fields.length > 0 || state === 'closed') {
    endField();
    records.push({ line: recordLine, fields });
  }
  return records.filter((r) => r.fields.some((f) => f.trim() !== ''));
}

/** The fields of each record, without their lines. */
export function parseCsv(text: string): string[][] {
  return parseCsvRecords(text).map((r) => r.fields);
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
  const rows = parseCsvRecords(text.replace(/^\uFEFF/, ''));
  const header = rows.shift()?.fields.map((h) => h.trim());
  if (
    !header ||
    header.length !== HEADER.length ||
    HEADER.some((h, i) => header[i] !== h)
  ) {
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
  const seen = new Map<string, number>();

  rows.forEach(({ line, fields }) => {
    const at = `CSV line ${line}`;
    if (fields.length > HEADER.length) {
      throw new Error(
        `${at}: ${fields.length} columns, ` +
          `only ${HEADER.join(',')} are read`,
      );
    }
    fields.slice(1).forEach((raw, i) => {
      if (FORMULA.test(raw.replace(/^ +/, ''))) {
        throw new Error(
          `${at}: the ${HEADER[i + 1]} ${JSON.stringify(raw)} starts like ` +
            'a spreadsheet formula; X3 codes and Square ids never do',
        );
      }
    });
    const [table, key, code, account] = HEADER.map((_, i) =>
      (fields[i] ?? '').trim(),
    );
    const need = (value: string, what: string) => {
      if (!value) throw new Error(`${at}: ${table} needs ${what}`);
      return value;
    };
    const id = JSON.stringify([table, key]);
    const first = seen.get(id);
    if (first !== undefined) {
      const name = key ? `${table} "${key}"` : table;
      throw new Error(`CSV lines ${first} and ${line} both set ${name}`);
    }
    seen.set(id, line);

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
