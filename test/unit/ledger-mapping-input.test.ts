import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseMappingTables,
  parseTablesMessage,
} from '../../lib/ledger/mapping-tables';
import {
  mappingFromCsv,
  mappingToCsv,
  parseCsv,
} from '../../lib/ledger/mapping-csv';
import { tables } from './ledger-fixtures';

// What a user can send the mapping node: tables by message or JSON, and
// CSV from a spreadsheet. Anything malformed is refused, naming the fault.

const HEAD = 'table,key,code,account\r\n';

describe('mapping tables by message or JSON', () => {
  test('a payload that is not a tables object is refused', () => {
    for (const payload of [42, 'hello', '"hello"', [1, 2], '[1,2]', null]) {
      assert.throws(
        () => parseTablesMessage(payload),
        /msg\.payload must be the tables object|not JSON/,
        JSON.stringify(payload),
      );
    }
    assert.throws(() => parseTablesMessage({}), /none of the tables/);
    assert.throws(() => parseMappingTables('42'), /not a number/);
    assert.throws(() => parseMappingTables('"hello"'), /not a string/);
    assert.throws(() => parseMappingTables('[1,2]'), /not a list/);
  });

  test('unknown top-level keys and misshapen values are named', () => {
    const t = tables() as unknown as Record<string, unknown>;
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ ...t, site: {} }, /unknown table "site"/],
      [{ ...t, sites: 'x' }, /"sites" must be an object .* not a string/],
      [{ ...t, sites: { L1: 7 } }, /sites\["L1"\] must be an X3 code/],
      [{ ...t, sites: { L1: '' } }, /sites\["L1"\] must be an X3 code/],
      [
        { ...t, products: { V: 'BEANS' } },
        /products\["V"\] must be \{ "product", "revenueAccount" \}/,
      ],
      [
        { ...t, products: { V: { product: 'B' } } },
        /products\["V"\]\.revenueAccount must be an X3 code/,
      ],
      [
        { ...t, taxes: { T: { taxCode: 'NY1', account: 'X', rate: 8 } } },
        /taxes\["T"\] has an unknown field "rate"/,
      ],
      [{ ...t, tenders: { CARD: ['A'] } }, /tenders\["CARD"\] must be/],
      [{ ...t, accounts: { tip: 'T' } }, /no account "tip"/],
      [{ ...t, accounts: { tips: 5 } }, /account "tips" must be/],
      [{ ...t, walkInCustomer: 5 }, /"walkInCustomer" must be a code/],
      [{ ...t, exemptTax: 'EXE' }, /"exemptTax" must be/],
    ];
    for (const [payload, error] of cases) {
      assert.throws(() => parseTablesMessage(payload), error);
      assert.throws(() => parseMappingTables(JSON.stringify(payload)), error);
    }
  });

  test('good tables come through whole, as object or JSON text', () => {
    const t = tables();
    assert.deepEqual(parseTablesMessage(t), t);
    assert.deepEqual(parseTablesMessage(JSON.stringify(t)), t);
    const sitesOnly = parseTablesMessage({ sites: { L1: 'NYC01' } });
    assert.deepEqual(sitesOnly.sites, { L1: 'NYC01' });
    assert.deepEqual(sitesOnly.products, {});
    // a new node's empty tables still deploy (records wait, held)
    assert.deepEqual(parseMappingTables('{}').sites, {});
  });
});

describe('mapping CSV import', () => {
  test('a second row for the same table and key names both lines', () => {
    const csv =
      HEAD + 'site,L1,NYC01,\r\n' + 'site,L2,NYC02,\r\n' + 'site,L1,NYC09,\r\n';
    assert.throws(
      () => mappingFromCsv(csv),
      /CSV lines 2 and 4 both set site "L1"/,
    );
    assert.throws(
      () => mappingFromCsv(HEAD + 'walkInCustomer,,A,\nwalkInCustomer,,B,\n'),
      /CSV lines 2 and 3 both set walkInCustomer/,
    );
    // lines, not records: a quoted newline moves the next row down
    const multi = HEAD + 'product,"a\nb",P,R\r\nsite,L1,X,\r\nsite,L1,Y,\r\n';
    assert.throws(() => mappingFromCsv(multi), /CSV lines 4 and 5/);
  });

  test('cells a spreadsheet would run as a formula are refused', () => {
    for (const cell of ['=1+2', '+1', '-5', '@SUM(A1)', '\tX', '\rX']) {
      const csv = HEAD + `site,L1,"${cell}",\r\n`;
      assert.throws(
        () => mappingFromCsv(csv),
        /CSV line 2: the code .* starts like a spreadsheet formula/,
        JSON.stringify(cell),
      );
    }
    assert.throws(
      () => mappingFromCsv(HEAD + 'tender,=cmd|x,,CLEAR\r\n'),
      /the key "=cmd\|x" starts like a spreadsheet formula/,
    );
    assert.throws(
      () => mappingFromCsv(HEAD + 'tender,CARD,,@A1\r\n'),
      /CSV line 2: the account "@A1"/,
    );
    // not at the start: a plain code
    assert.equal(mappingFromCsv(HEAD + 'site,L1,A-1,\r\n').sites.L1, 'A-1');
  });

  test('quotes follow RFC 4180 and round-trip exactly', () => {
    assert.deepEqual(parseCsv('a,"say ""hi""",""\r\n'), [
      ['a', 'say "hi"', ''],
    ]);
    assert.throws(() => parseCsv('a,b"c,d\r\n'), /line 1: a quote inside/);
    assert.throws(
      () => parseCsv('a\r\nb,"c"d\r\n'),
      /line 2: text after a closing quote/,
    );
    assert.throws(() => parseCsv('a\n"b\nc'), /line 2: a quoted field is/);
    assert.throws(
      () => mappingFromCsv(HEAD + 'customer,C1,SQ"ADA,\r\n'),
      /CSV line 2: a quote inside an unquoted field/,
    );

    const t = tables();
    t.customers = { 'C"1': 'A"B', '"C2"': 'X,"Y"', 'C\n3': '""' };
    assert.deepEqual(mappingFromCsv(mappingToCsv(t)), t);
  });

  test('a row with more columns than the header names its line', () => {
    assert.throws(
      () => mappingFromCsv(HEAD + 'site,L1,NYC01,\r\nsite,L2,NYC02,,X\r\n'),
      /CSV line 3: 5 columns/,
    );
    assert.throws(
      () => mappingFromCsv('table,key,code,account,note\r\n'),
      /first row must be/,
    );
  });
});

describe('mapping CSV export', () => {
  test('fields are escaped per RFC 4180', () => {
    const t = tables();
    t.customers = { 'C,1': 'SQ "ADA"', 'C\r\n2': 'B' };
    const csv = mappingToCsv(t);
    assert.match(csv, /\r\ncustomer,"C,1","SQ ""ADA""",\r\n/);
    assert.match(csv, /\r\ncustomer,"C\r\n2",B,\r\n/);
  });

  test('a value that would run as a formula is not written', () => {
    for (const bad of ['=HYPERLINK("x")', '+1', '-1', '@A', '\t=1']) {
      const t = tables();
      t.customers = { C1: bad };
      assert.throws(
        () => mappingToCsv(t),
        /customer "C1": .* would run as a spreadsheet formula/,
      );
      const k = tables();
      k.sites = { [bad]: 'NYC01' };
      assert.throws(() => mappingToCsv(k), /would run as a spreadsheet/);
    }
  });
});
