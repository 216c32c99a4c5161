import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { toDecimal } from '../../lib/x3/decimal';
import {
  renderCustomer,
  renderEntry,
  renderInvoice,
} from '../../lib/x3/render';
import { X3Error } from '../../lib/x3/errors';
import {
  SEED_SETUP,
  sampleCustomer,
  sampleInvoice,
  sampleRevenueEntry,
} from '../../sandbox/x3/fixtures';
import { matches, parseFilterText } from '../../sandbox/x3/xtrem-filter';

describe('toDecimal', () => {
  test('minor units by currency', () => {
    assert.equal(toDecimal(3436, 'USD'), '34.36');
    assert.equal(toDecimal(5, 'USD'), '0.05');
    assert.equal(toDecimal(-104, 'EUR'), '-1.04');
    assert.equal(toDecimal(3436, 'JPY'), '3436');
    assert.equal(toDecimal(1234, 'KWD'), '1.234');
    assert.equal(toDecimal(0, 'USD'), '0.00');
  });

  test('refuses what is not a safe integer', () => {
    assert.throws(() => toDecimal(12.5, 'USD'), RangeError);
    assert.throws(() => toDecimal(2 ** 53, 'USD'), RangeError);
  });
});

describe('render', () => {
  test('invoice variables from the default template', () => {
    const data = renderInvoice(sampleInvoice('O1', '2026-03-14'), SEED_SETUP);
    assert.equal(data.invoiceType, 'SQINV');
    assert.equal(data.salesSite, 'NYC01');
    assert.deepEqual((data.lines as object[])[1], {
      product: 'MUG-STD',
      description: 'Stoneware mug',
      quantity: '1',
      grossPrice: '8.00',
      discountAmount: '0.80',
      taxCode: 'NY1',
      taxAmount: '0.64',
    });
  });

  test('entry lines carry debit or credit, never both', () => {
    const doc = sampleRevenueEntry('O1', '2026-03-14');
    doc.kind = 'fee-refund';
    doc.lines[0].businessPartner = 'WALKIN';
    const data = renderEntry(doc, SEED_SETUP);
    assert.equal(data.journalEntryType, 'SQFEE');
    const lines = data.lines as Record<string, string>[];
    assert.deepEqual(lines[0], {
      account: 'CLEARING-CARD',
      businessPartner: 'WALKIN',
      debit: '34.36',
      description: 'Card',
    });
    assert.deepEqual(lines[1], {
      account: 'A-COFFEE',
      credit: '21.60',
      description: 'Coffee',
    });
  });

  test('values are JSON-escaped, not HTML-escaped, and cut to X3 lengths', () => {
    const name = 'Tom & Jerry\'s "Café" <Ltd>\\\n\u2028and a very long tail';
    const data = renderCustomer(sampleCustomer('SQX1', name));
    // BPRNAM(0): the 35 characters up to the space before the rest
    assert.equal(data.companyName, name.slice(0, 34));
    assert.equal(data.shortName, 'Tom & Jerr');
  });

  test('a caller template is used, and must give JSON', () => {
    const doc = sampleInvoice('O1', '2026-03-14');
    const custom =
      '{"site":"{{site}}","ref":"{{reference}}","n":{{lines.length}}}';
    assert.deepEqual(renderInvoice(doc, SEED_SETUP, custom), {
      site: 'NYC01',
      ref: doc.reference,
      n: 2,
    });
    assert.throws(
      () => renderInvoice(doc, SEED_SETUP, '{"site": {{site}}}'),
      (error: X3Error) => error.code === 'template',
    );
  });

  test('an entry kind without a type is a config error', () => {
    const doc = sampleRevenueEntry('O1', '2026-03-14');
    assert.throws(
      () => renderEntry(doc, { ...SEED_SETUP, entryTypes: {} }),
      (error: X3Error) => error.code === 'config',
    );
  });
});

describe('emulator filter strings', () => {
  const fields = new Set(['_id', 'salesSite', 'total', 'status']);
  const row = {
    _id: 'SQI2600001',
    salesSite: 'NYC01',
    total: '34.36',
    status: 'x',
  };

  test('plain values, operators, references and a top-level AND array', () => {
    const ok = (text: string) => matches(row, parseFilterText(text), fields);
    assert.equal(ok("{salesSite:'NYC01'}"), true);
    assert.equal(ok("{salesSite:{_id:'NYC02'}}"), false);
    assert.equal(ok("{total:{_gt:'9.99'}}"), true);
    assert.equal(ok("[{salesSite:{_eq:'NYC01'}},{status:{_ne:'x'}}]"), false);
    assert.equal(ok("{_or:[{salesSite:'NYC02'},{total:{_lte:34.36}}]}"), true);
    assert.equal(ok("{salesSite:{_in:['WEB01','NYC01']}}"), true);
    assert.throws(() => ok("{nope:'x'}"), /nope does not exist/);
  });
});
