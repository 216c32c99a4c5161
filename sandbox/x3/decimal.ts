// Decimal strings as X3 receives them, held as scaled bigints so that no
// amount ever passes through a float.

export interface Decimal {
  units: bigint;
  scale: number;
}

const PATTERN = /^-?\d{1,18}(\.\d{1,9})?$/;

export function parseDecimal(text: unknown): Decimal | null {
  if (typeof text === 'number' && Number.isFinite(text)) {
    return parseDecimal(String(text));
  }
  if (typeof text !== 'string' || !PATTERN.test(text)) return null;

  const [whole, fraction = ''] = text.split('.');
  return { units: BigInt(whole + fraction), scale: fraction.length };
}

/** Rounds half away from zero to `scale` digits. */
export function rescale(d: Decimal, scale: number): bigint {
  if (scale >= d.scale) return d.units * 10n ** BigInt(scale - d.scale);

  const divisor = 10n ** BigInt(d.scale - scale);
  const negative = d.units < 0n;
  const abs = negative ? -d.units : d.units;
  const rounded = (abs + divisor / 2n) / divisor;
  return negative ? -rounded : rounded;
}

export function multiply(a: Decimal, b: Decimal): Decimal {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

export function formatUnits(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units)
    .toString()
    .padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = scale > 0 ? '.' + digits.slice(digits.length - scale) : '';
  return (negative ? '-' : '') + whole + fraction;
}
