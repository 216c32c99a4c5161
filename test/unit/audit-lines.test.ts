import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { listLine, summarise } from '../../lib/node-red/audit-lines';

// Story: a finance user reads the audit's lines in the debug sidebar. A
// replay of a sale already in X3 lists the same numbers as its first
// posting; the line must not read as a second posting. A list of held
// records says why each waits.

const numbers = { invoices: ['SQI2600031'], entries: ['SQR2600031'] };

describe('the audit line for a record', () => {
  test('a first posting names what X3 created', () => {
    assert.equal(
      summarise('sale:A', 'posted', { x3: { ...numbers, sent: 2 } }),
      'sale:A posted: invoice SQI2600031, entry SQR2600031',
    );
  });

  test('a replay that sent nothing says the sale was already posted', () => {
    assert.equal(
      summarise('sale:A', 'posted', { x3: { ...numbers, sent: 0 } }),
      'sale:A already posted: invoice SQI2600031, entry SQR2600031 ' +
        '(nothing sent to X3)',
    );
  });

  test('a message from before the count keeps the plain line', () => {
    assert.equal(
      summarise('sale:A', 'posted', { x3: numbers }),
      'sale:A posted: invoice SQI2600031, entry SQR2600031',
    );
  });

  test('a held record names its gaps', () => {
    assert.equal(
      summarise('sale:B', 'held', {
        held: ['clearing account for tender CASH'],
      }),
      'sale:B held: missing clearing account for tender CASH',
    );
  });
});

describe('the audit line for a list', () => {
  test('held and failed records say why; posted ones do not', () => {
    assert.equal(
      listLine([
        { key: 'sale:B', state: 'held', detail: 'missing tender CASH' },
        { key: 'sale:C', state: 'failed', detail: 'X3 refused: 401' },
        { key: 'sale:D', state: 'posted', detail: 'invoice SQI1' },
        { key: 'sale:E', state: 'held', detail: null },
      ]),
      '4 records: sale:B held: missing tender CASH, sale:C failed: ' +
        'X3 refused: 401, sale:D posted, … 1 more',
    );
  });

  test('a long reason is cut, an empty list says so', () => {
    const line = listLine([
      { key: 'sale:B', state: 'held', detail: 'x'.repeat(300) },
    ]);
    assert.ok(line.length < 130, line);
    assert.equal(listLine([]), '0 records');
  });
});
