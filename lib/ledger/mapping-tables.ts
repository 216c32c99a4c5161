import type { MappingTables } from './types';

// The mapping node stores its tables as JSON text; this reads it back and
// says which part is malformed, instead of failing later on one record.
// Tables set by message go through parseTablesMessage, which also wants at
// least one table: a message must not replace the mapping with nothing.

type Shape = 'code' | 'product' | 'tax';

const TABLES: Record<string, Shape> = {
  sites: 'code',
  products: 'product',
  skus: 'product',
  taxes: 'tax',
  tenders: 'code',
  customers: 'code',
};
const SINGLES: Record<string, Shape> = {
  genericProduct: 'product',
  exemptTax: 'tax',
};
const CODES = ['walkInCustomer', 'customerCategory', 'defaultCurrency'];
const ACCOUNTS = [
  'receivable',
  'tips',
  'serviceCharges',
  'fees',
  'giftCardLiability',
  'rounding',
];
const FIELDS: Record<'product' | 'tax', string[]> = {
  product: ['product', 'revenueAccount'],
  tax: ['taxCode', 'account'],
};
const KNOWN = new Set([
  ...Object.keys(TABLES),
  ...Object.keys(SINGLES),
  ...CODES,
  'accounts',
]);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function what(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return `a ${typeof value}`;
}

function checkEntry(where: string, shape: Shape, value: unknown): void {
  if (shape === 'code') {
    if (typeof value !== 'string' || value.trim() === '') {
      throw new Error(`${where} must be an X3 code, not ${what(value)}`);
    }
    return;
  }
  const fields = FIELDS[shape];
  const wanted = `{ ${fields.map((f) => `"${f}"`).join(', ')} }`;
  if (!isObject(value)) {
    throw new Error(`${where} must be ${wanted}, not ${what(value)}`);
  }
  for (const key of Object.keys(value)) {
    if (!fields.includes(key)) {
      throw new Error(`${where} has an unknown field "${key}"`);
    }
  }
  for (const field of fields) {
    const code = value[field];
    if (typeof code !== 'string' || code.trim() === '') {
      throw new Error(`${where}.${field} must be an X3 code`);
    }
  }
}

function checkShape(raw: Record<string, unknown>): void {
  const unknown = Object.keys(raw).filter((k) => !KNOWN.has(k));
  if (unknown.length > 0) {
    const names = unknown.map((k) => `"${k}"`).join(', ');
    throw new Error(
      `unknown table ${names}; the tables are ${[...KNOWN].join(', ')}`,
    );
  }

  for (const [name, shape] of Object.entries(TABLES)) {
    const table = raw[name];
    if (table === undefined) continue;
    if (!isObject(table)) {
      throw new Error(
        `"${name}" must be an object of Square id -> X3 code, ` +
          `not ${what(table)}`,
      );
    }
    for (const [key, value] of Object.entries(table)) {
      checkEntry(`${name}["${key}"]`, shape, value);
    }
  }
  for (const [name, shape] of Object.entries(SINGLES)) {
    if (raw[name] !== undefined) checkEntry(`"${name}"`, shape, raw[name]);
  }
  for (const name of CODES) {
    const value = raw[name];
    if (value !== undefined && typeof value !== 'string') {
      throw new Error(`"${name}" must be a code, not ${what(value)}`);
    }
  }

  const accounts = raw.accounts;
  if (accounts === undefined) return;
  if (!isObject(accounts)) {
    throw new Error(`"accounts" must be an object, not ${what(accounts)}`);
  }
  for (const [name, value] of Object.entries(accounts)) {
    if (!ACCOUNTS.includes(name)) {
      throw new Error(
        `no account "${name}"; the accounts are ${ACCOUNTS.join(', ')}`,
      );
    }
    if (value !== undefined && typeof value !== 'string') {
      throw new Error(`account "${name}" must be an X3 account code`);
    }
  }
}

function fromObject(raw: Record<string, unknown>): MappingTables {
  checkShape(raw);
  return {
    sites: {},
    products: {},
    taxes: {},
    tenders: {},
    customers: {},
    walkInCustomer: '',
    customerCategory: '',
    ...raw,
    accounts: { ...((raw.accounts as object | undefined) ?? {}) },
  } as MappingTables;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`the tables are not JSON: ${(error as Error).message}`);
  }
}

/** The deployed tables (JSON text); empty text or `{}` gives empty tables. */
export function parseMappingTables(text: string | undefined): MappingTables {
  const raw = parseJson(text || '{}');
  if (!isObject(raw)) {
    throw new Error(`the tables must be a JSON object, not ${what(raw)}`);
  }
  return fromObject(raw);
}

/**
 * Tables sent by message: an object (or its JSON text) holding at least one
 * of the tables. Throws, naming what is wrong, so the caller keeps its own.
 */
export function parseTablesMessage(payload: unknown): MappingTables {
  const raw = typeof payload === 'string' ? parseJson(payload) : payload;
  if (!isObject(raw)) {
    throw new Error(`msg.payload must be the tables object, not ${what(raw)}`);
  }
  if (!Object.keys(TABLES).some((name) => raw[name] !== undefined)) {
    throw new Error(
      'msg.payload holds none of the tables ' +
        `(${Object.keys(TABLES).join(', ')})`,
    );
  }
  return fromObject(raw);
}
