import type { Money } from '../square/types';
import { PostingError } from './errors';

// Money is an integer count of the currency's minor units. Nothing here
// multiplies or divides amounts as floats: splits use integer arithmetic
// (bigint where a product could pass 2^53).

/** ISO 4217 minor units that differ from the usual 2. */
const EXPONENTS: Record<string, number> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
};

export function currencyExponent(currency: string): number {
  return EXPONENTS[currency.toUpperCase()] ?? 2;
}

export function checkAmount(value: unknown, what = 'amount'): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new PostingError(
      'BAD_AMOUNT',
      `${what} is not a whole number of minor units: ${String(value)}`,
    );
  }
  return value;
}

/**
 * The amount of a Square Money in minor units; absent money or a null
 * amount is 0. With `currency`, money in another currency is refused.
 */
export function moneyAmount(
  money: Money | null | undefined,
  currency?: string,
): number {
  if (!money || money.amount === undefined || money.amount === null) {
    return 0;
  }
  if (currency && money.currency && money.currency !== currency) {
    throw new PostingError(
      'CURRENCY_MISMATCH',
      `amount in ${money.currency} where ${currency} was expected`,
    );
  }
  return checkAmount(money.amount);
}

export function sumAmounts(amounts: readonly number[]): number {
  let total = 0;
  for (const amount of amounts) total += checkAmount(amount);
  return checkAmount(total, 'sum');
}

/**
 * Splits `total` in proportion to `weights` so that the parts sum to
 * exactly `total`. Each part is rounded down; the units left over go to
 * the largest remainders, ties to the lower index. A negative total is
 * split as its absolute value and negated.
 */
export function largestRemainder(
  total: number,
  weights: readonly number[],
): number[] {
  checkAmount(total, 'total');
  if (total < 0) return largestRemainder(-total, weights).map((p) => -p);

  const big = weights.map((w) => {
    if (checkAmount(w, 'weight') < 0) {
      throw new PostingError('BAD_AMOUNT', `negative weight ${w}`);
    }
    return BigInt(w);
  });
  const sum = big.reduce((a, b) => a + b, 0n);
  if (sum === 0n) {
    if (total === 0) return weights.map(() => 0);
    throw new PostingError('BAD_AMOUNT', `cannot split ${total} by nothing`);
  }

  const whole = BigInt(total);
  const parts = big.map((w) => (whole * w) / sum);
  const order = big
    .map((w, index) => ({ index, rest: (whole * w) % sum }))
    .sort((a, b) =>
      a.rest === b.rest ? a.index - b.index : a.rest > b.rest ? -1 : 1,
    );

  let left = whole - parts.reduce((a, b) => a + b, 0n);
  for (const { index } of order) {
    if (left === 0n) break;
    parts[index] += 1n;
    left -= 1n;
  }
  return parts.map(Number);
}
