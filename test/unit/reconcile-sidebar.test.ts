import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatReconciliation,
  runLine,
  shopLine,
} from '../../lib/reconcile/format';
import type { Reconciliation } from '../../lib/reconcile';

// Story: a bad day at one shop, with sixty sales behind a tax difference
// and an X3 invoice nobody claims. Node-RED's debug sidebar cuts a string
// at 1,000 characters, so each shop gets one short line that still says
// what differs and where to start looking; the full text keeps it all.

const DEBUG_MAX_LENGTH = 1000;

function shop(
  locationId: string,
  records: string[],
  tied = records.length === 0,
): Reconciliation {
  return {
    from: '2026-12-03',
    to: '2026-12-03',
    locationId,
    site: 'NYC02',
    currency: 'USD',
    mode: 'invoice',
    rows: [
      {
        category: 'netSales',
        label: 'net sales',
        square: 45455,
        x3: 45455,
        difference: 0,
        records: [],
      },
      {
        category: 'tax',
        label: 'tax',
        square: 3813,
        x3: tied ? 3813 : 3749,
        difference: tied ? 0 : 64,
        records,
      },
    ],
    records: [],
    strays: tied
      ? []
      : [{ type: 'invoice', number: 'SQI2600099', reference: 'SQXYZ' }],
    skipped: [],
    otherCurrency: [],
    tied,
  };
}

const keys = Array.from({ length: 60 }, (_, i) => `sale:ORDER${i}ABCDEFGHIJ`);

describe('reconciliation lines for the debug sidebar', () => {
  test('a shop with differences: one short line naming them', () => {
    const r = shop('L2MARKETSQ002', keys);
    const line = shopLine(r);

    assert.ok(formatReconciliation(r).length > DEBUG_MAX_LENGTH);
    assert.ok(line.length < DEBUG_MAX_LENGTH, `${line.length} characters`);
    assert.ok(!line.includes('\n'));
    assert.ok(line.startsWith('L2MARKETSQ002 (X3 site NYC02) 2026-12-03: '));
    assert.match(line, /2 differences/);
    assert.match(
      line,
      /tax Square 38\.13 X3 37\.49 \(sale:ORDER0ABCDEFGHIJ, .*\+57\)/,
    );
    assert.match(line, /X3 invoice SQI2600099 match no Square record/);
  });

  test('a shop that ties: its main figures', () => {
    assert.equal(
      shopLine(shop('L1HARBOURST01', [])),
      'L1HARBOURST01 (X3 site NYC02) 2026-12-03: ' +
        'ties to the cent, net sales 454.55, tax 38.13',
    );
  });

  test('the run in one line', () => {
    const tied = shop('L1HARBOURST01', []);
    assert.equal(runLine([tied]), '2026-12-03: 1 location ties to the cent');
    assert.equal(
      runLine([tied, shop('L2MARKETSQ002', keys)]),
      '2026-12-03: 1 of 2 locations with differences (2); ' +
        'the full report is in msg.report',
    );
  });
});
