import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  mappingFromCsv,
  mappingToCsv,
  parseCsv,
} from '../../lib/ledger/mapping-csv';
import { checkTables } from '../../lib/ledger/mapping-check';
import { tables } from './ledger-fixtures';

describe('mapping tables as CSV', () => {
  test('export then import gives the same tables', () => {
    const t = tables();
    t.customers = { 'CUST,1': 'SQ "ADA"' };
    t.genericProduct = { product: 'MISC', revenueAccount: 'A-MERCH' };
    const csv = mappingToCsv(t);
    assert.match(csv, /^table,key,code,account\r\n/);
    assert.match(csv, /customer,"CUST,1","SQ ""ADA""",/);
    assert.deepEqual(mappingFromCsv(csv), t);
  });

  test('quoted newlines, and rows that name what is wrong', () => {
    assert.deepEqual(parseCsv('a,"b\nc"\r\nd,e'), [
      ['a', 'b\nc'],
      ['d', 'e'],
    ]);
    assert.throws(
      () => mappingFromCsv('table,key,code,account\nsite,L1,,\n'),
      /CSV line 2: site needs a code/,
    );
    assert.throws(
      () => mappingFromCsv('table,key,code,account\nshop,L1,X,\n'),
      /unknown table "shop"/,
    );
    assert.throws(() => mappingFromCsv('key,code\n'), /first row must be/);
  });

  test('codes X3 does not know are named with where they are used', () => {
    const problems = checkTables(tables(), {
      sites: ['NYC01', 'NYC02'],
      accounts: [
        'A-COFFEE',
        'A-MERCH',
        'A-SERVICES',
        'TAX-PAYABLE',
        'AR-TRADE',
        'TIPS-PAYABLE',
        'SVC-CHARGES',
        'FEES',
        'GIFT-LIAB',
        'ROUNDING',
        'CLEARING-CARD',
        'CLEARING-CASH',
      ],
      products: [
        'BEANS-HOUSE',
        'BEANS-DECAF',
        'MUG-STD',
        'GRINDER-M',
        'FILTER-100',
        'CLASS-SEAT',
      ],
      customers: ['WALKIN'],
      taxCodes: ['NY1'],
    });
    assert.deepEqual(problems, [
      { kind: 'sites', code: 'WEB01', usedBy: 'location L3WEBSTORE003' },
      { kind: 'taxCodes', code: 'EXE', usedBy: 'tax exempt' },
      { kind: 'accounts', code: 'CLEARING-OTHER', usedBy: 'tender EXTERNAL' },
    ]);
  });
});
