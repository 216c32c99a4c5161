import type { Money } from '../../lib/square/types';

// Square's arithmetic on integer minor units: percentages are decimal
// strings ("8.875"), results round half up, and amounts spread over
// parts use the largest remainder so the parts add up to the whole.

export function money(amount: number, currency: string): Money {
  if (!Number.isSafeInteger(amount)) {
    throw new Error(`amount ${amount} is not a whole number of minor units`);
  }
  return { amount, currency };
}

function divideHalfUp(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const rounded = (2n * n + d) / (2n * d);
  return negative ? -rounded : rounded;
}

/** amount × percentage / 100, rounded half up. */
export function percentOf(amount: number, percentage: string): number {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(percentage.trim());
  if (!match) throw new Error(`bad percentage "${percentage}"`);

  const fraction = match[2] ?? '';
  const scaled = BigInt(match[1] + fraction);
  const scale = 10n ** BigInt(fraction.length) * 100n;
  return Number(divideHalfUp(BigInt(amount) * scaled, scale));
}

/** amount × part / whole, rounded half up. */
export function proportion(amount: number, part: number, whole: number) {
  if (whole === 0) return 0;
  return Number(divideHalfUp(BigInt(amount) * BigInt(part), BigInt(whole)));
}

/** Splits total over weights by largest remainder; ties go to the first. */
export function apportion(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum === 0) return weights.map(() => 0);

  const exact = weights.map((w) => BigInt(total) * BigInt(w));
  const shares = exact.map((e) => Number(e / BigInt(sum)));
  const remainders = exact.map((e, i) => ({ i, r: e % BigInt(sum) }));

  let left = total - shares.reduce((a, b) => a + b, 0);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of remainders) {
    if (left <= 0) break;
    shares[i] += 1;
    left -= 1;
  }
  return shares;
}
