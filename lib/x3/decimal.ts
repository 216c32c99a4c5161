import { currencyExponent } from '../ledger/money';

// Minor units to the decimal string X3 takes, with the currency's ISO 4217
// digits (the same table the posting rules split amounts with).

export function currencyDigits(currency: string): number {
  return currencyExponent(currency);
}

export function toDecimal(minor: number, currency: string): string {
  if (!Number.isSafeInteger(minor)) {
    throw new RangeError(
      `amount ${minor} is not a whole number of minor units`,
    );
  }
  const digits = currencyDigits(currency);
  const sign = minor < 0 ? '-' : '';
  const text = String(Math.abs(minor)).padStart(digits + 1, '0');
  if (digits === 0) return sign + text;
  return `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}
