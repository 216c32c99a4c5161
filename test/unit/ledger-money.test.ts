import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  currencyExponent,
  largestRemainder,
  moneyAmount,
  sumAmounts,
} from '../../lib/ledger/money';
import { accountingDate } from '../../lib/ledger/dates';
import { clip, shortRefundId } from '../../lib/ledger/describe';
import { PostingError } from '../../lib/ledger/errors';

describe('currency exponent', () => {
  test('ISO 4217 minor units', () => {
    assert.equal(currencyExponent('USD'), 2);
    assert.equal(currencyExponent('EUR'), 2);
    assert.equal(currencyExponent('JPY'), 0);
    assert.equal(currencyExponent('KRW'), 0);
    assert.equal(currencyExponent('BHD'), 3);
    assert.equal(currencyExponent('KWD'), 3);
    assert.equal(currencyExponent('jpy'), 0);
  });
});

describe('moneyAmount', () => {
  test('reads whole minor units', () => {
    assert.equal(moneyAmount({ amount: 3436, currency: 'USD' }), 3436);
    assert.equal(moneyAmount({ amount: -59, currency: 'USD' }), -59);
    assert.equal(moneyAmount(undefined), 0);
    assert.equal(moneyAmount({ amount: null, currency: 'USD' }), 0);
  });

  test('refuses fractions, unsafe numbers and other currencies', () => {
    const bad = (fn: () => unknown, code: string) =>
      assert.throws(
        fn,
        (e: unknown) =>
          e instanceof PostingError && e.code === code && e.retryable === false,
      );
    bad(() => moneyAmount({ amount: 12.5, currency: 'USD' }), 'BAD_AMOUNT');
    bad(() => moneyAmount({ amount: 2 ** 53, currency: 'USD' }), 'BAD_AMOUNT');
    bad(
      () => moneyAmount({ amount: '12' as never, currency: 'USD' }),
      'BAD_AMOUNT',
    );
    bad(
      () => moneyAmount({ amount: 100, currency: 'EUR' }, 'USD'),
      'CURRENCY_MISMATCH',
    );
  });

  test('sumAmounts checks each term and the sum', () => {
    assert.equal(sumAmounts([2160, 720, 256]), 3136);
    assert.equal(sumAmounts([]), 0);
    assert.throws(() => sumAmounts([Number.MAX_SAFE_INTEGER, 1]), PostingError);
  });
});

describe('largestRemainder', () => {
  test('the design example: 1000 over 2160, 720, 256', () => {
    assert.deepEqual(largestRemainder(1000, [2160, 720, 256]), [689, 229, 82]);
  });

  test('ties go to the lower index', () => {
    assert.deepEqual(largestRemainder(10, [1, 1, 1]), [4, 3, 3]);
    assert.deepEqual(largestRemainder(2, [1, 1, 1]), [1, 1, 0]);
  });

  test('exact weights come back unchanged', () => {
    assert.deepEqual(
      largestRemainder(3136, [2160, 720, 256]),
      [2160, 720, 256],
    );
  });

  test('negative totals, zero totals, zero weights', () => {
    assert.deepEqual(
      largestRemainder(-1000, [2160, 720, 256]),
      [-689, -229, -82],
    );
    assert.deepEqual(largestRemainder(0, [5, 0]), [0, 0]);
    assert.deepEqual(largestRemainder(7, [0, 3, 0]), [0, 7, 0]);
    assert.throws(() => largestRemainder(5, [0, 0]), PostingError);
    assert.throws(() => largestRemainder(5, [1, -1]), PostingError);
  });

  test('large amounts do not lose precision', () => {
    const total = 9_007_199_254_740_000;
    const parts = largestRemainder(total, [3, 3, 3]);
    assert.equal(
      parts.reduce((a, b) => a + b, 0),
      total,
    );
  });

  test('random splits always sum to the total', () => {
    let seed: number = 7;
    const next = () => (seed = (seed * 48271) % 2147483647);
    for (let i = 0; i < 500; i++) {
      const total = next() % 100000;
      const weights = Array.from(
        { length: 1 + (next() % 6) },
        () => next() % 5000,
      );
      if (!weights.some((w) => w > 0)) weights[0] = 1;
      const parts = largestRemainder(total, weights);
      assert.equal(
        parts.reduce((a, b) => a + b, 0),
        total,
      );
      const sum = weights.reduce((a, b) => a + b, 0);
      parts.forEach((p, k) => {
        assert.ok(
          Math.abs(p - (total * weights[k]) / sum) < 1,
          'within one unit',
        );
      });
    }
  });
});

describe('accounting date and descriptions', () => {
  test('dates are taken in the location time zone', () => {
    assert.equal(
      accountingDate('2025-03-15T02:30:00Z', 'America/New_York'),
      '2025-03-14',
    );
    assert.equal(accountingDate('2025-03-15T02:30:00Z'), '2025-03-15');
    assert.equal(
      accountingDate('2025-03-14T16:00:00.455006797Z', 'Asia/Tokyo'),
      '2025-03-15',
    );
    assert.equal(
      accountingDate('2025-03-14T23:30:00-05:00', 'UTC'),
      '2025-03-15',
    );
    assert.throws(() => accountingDate('yesterday'), PostingError);
    assert.throws(
      () => accountingDate('2025-03-14T00:00:00Z', 'Mars/Olympus'),
      PostingError,
    );
  });

  test('descriptions fit 30 characters', () => {
    assert.equal(clip('x'.repeat(40)).length, 30);
    assert.equal(clip('Square sale 03O3USaP'), 'Square sale 03O3USaP');
    assert.equal(
      shortRefundId('hYy9pRFVxpDsO1FB05SunFWUe9JZY_ptNBVqHYxt5gAd'),
      'ptNBVqHY',
    );
  });
});
