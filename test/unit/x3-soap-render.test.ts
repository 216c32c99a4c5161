import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SEED_SETUP, sampleInvoice } from '../../sandbox/x3/fixtures';
import type { CustomerDoc } from '../../lib/ledger/types';
import {
  defaultSoapTemplate,
  readSoapTemplates,
  soapCustomerXml,
  soapInvoiceXml,
} from '../../lib/x3/soap-render';
import { parseResultXml } from '../../lib/x3/soap-result';
import { soapDate } from '../../lib/x3/soap-views';

// objectXml from the Mustache templates: the bundled layouts, a site's
// own template (other group ids), values escaped and accents kept.

const customer: CustomerDoc = {
  type: 'customer',
  docKey: 'customer:C1#customer',
  code: 'SQC-1',
  category: 'RETL',
  name: 'Ana <Conceição> & "Filhos"',
  currency: 'USD',
  country: 'PT',
  city: 'Évora',
};

// The objectXml's PARAM has the layout resultXml has (GRP/FLD, TAB/LIN,
// LST/ITM), so the resultXml reader reads it back.
const read = parseResultXml;

describe('SOAP objectXml templates', () => {
  test('the customer: groups, the BPRNAM list, one address line', () => {
    const record = read(soapCustomerXml(customer));

    assert.deepEqual(record.groups.BPC0_1, { BCGCOD: 'RETL', BPCNUM: 'SQC-1' });
    assert.deepEqual(record.groups.BPRC_1.BPRNAM, [customer.name]);
    assert.equal(record.groups.BPC2_1.CUR, 'USD');
    assert.deepEqual(record.tables.BPAC_1, [
      {
        CODADR: 'MAIN',
        BPADES: 'Ana <Conceição> & "Filhos"',
        BPACRY: 'PT',
        CTY: 'Évora',
      },
    ]);
  });

  test('names and dates in the form SOAP takes them', () => {
    const long = 'A'.repeat(35) + 'B'.repeat(20);
    const record = read(soapCustomerXml({ ...customer, name: long }));
    assert.deepEqual(record.groups.BPRC_1.BPRNAM, [
      'A'.repeat(35),
      'B'.repeat(20),
    ]);

    assert.equal(soapDate('2024-03-01'), '20240301');
    assert.throws(() => soapDate('03/01/2024'), /not YYYY-MM-DD/);
  });

  test("a site's own template in a folder replaces the bundled one", () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'sqx3-soap-'));
    try {
      const own = defaultSoapTemplate('invoice').replace('SIH1_6', 'SIH1_5');
      writeFileSync(path.join(folder, 'soap-sales-invoice.mustache'), own);
      const templates = readSoapTemplates(folder);
      assert.deepEqual(Object.keys(templates), ['invoice']);

      const invoice = sampleInvoice('T1', '2026-12-03');
      const record = read(
        soapInvoiceXml(invoice, SEED_SETUP, templates.invoice),
      );
      assert.equal(record.groups.SIH1_5.PRITYP, '1');
      assert.equal(record.groups.SIH1_6, undefined);
      assert.equal(record.groups.SIH0_1.INVDAT, '20261203');
      assert.deepEqual(
        record.tables.SIH4_1.map((l) => [
          l.ITMREF,
          l.QTY,
          l.GROPRI,
          l.DISCRGVAL1,
        ]),
        [
          ['BEANS-HOUSE', '2', '12.00', '2.40'],
          ['MUG-STD', '1', '8.00', '0.80'],
        ],
      );
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
    assert.throws(() => readSoapTemplates(folder), /not found/);
  });

  test('a template that does not give XML is refused before any call', () => {
    assert.throws(
      () => soapCustomerXml(customer, '<PARAM><GRP ID="X">{{name}}</PARAM>'),
      (error) => {
        assert.equal((error as { code: string }).code, 'template');
        return true;
      },
    );
  });
});
