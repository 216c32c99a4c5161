import { currencyExponent } from '../ledger/money';

// Amounts per reconciliation category, in minor units. Sales, tax, tips,
// service charges, gift cards and rounding count what was taken (a
// refund lowers them); tenders count what came in through each clearing
// account; fees what Square charged; refunds what went back.

export const CATEGORIES = [
  'grossSales',
  'discounts',
  'returns',
  'netSales',
  'tax',
  'tips',
  'serviceCharges',
  'giftCards',
  'rounding',
  'fees',
  'refunds',
  'receivable',
] as const;

export type FixedCategory = (typeof CATEGORIES)[number];

/** A fixed category, or `tender:<clearing account>`. */
export type Category = FixedCategory | `tender:${string}`;

export const LABELS: Record<FixedCategory, string> = {
  grossSales: 'gross sales',
  discounts: 'discounts',
  returns: 'returns',
  netSales: 'net sales',
  tax: 'tax',
  tips: 'tips',
  serviceCharges: 'service charges',
  giftCards: 'gift cards sold',
  rounding: 'cash rounding',
  fees: 'processing fees',
  refunds: 'refunds',
  receivable: 'receivable left open',
};

export function label(category: string): string {
  if (category.startsWith('tender:')) {
    return `tender ${category.slice('tender:'.length)}`;
  }
  return LABELS[category as FixedCategory] ?? category;
}

export type Figures = Partial<Record<string, number>>;

export function add(figures: Figures, category: Category, amount: number) {
  if (amount === 0) return;
  const sum = (figures[category] ?? 0) + amount;
  if (!Number.isSafeInteger(sum)) {
    throw new RangeError(`${category}: sum ${sum} is not a safe integer`);
  }
  figures[category] = sum;
}

export function merge(into: Figures, from: Figures): void {
  for (const [category, amount] of Object.entries(from)) {
    add(into, category as Category, amount ?? 0);
  }
}

/** Category order for a report: the fixed ones, then tenders by name. */
export function ordered(categories: Iterable<string>): string[] {
  const set = new Set(categories);
  const fixed = CATEGORIES.filter((c) => set.has(c));
  const tenders = [...set].filter((c) => c.startsWith('tender:')).sort();
  const rest = [...set]
    .filter(
      (c) => !fixed.includes(c as FixedCategory) && !c.startsWith('tender:'),
    )
    .sort();
  return [...fixed, ...tenders, ...rest];
}

/** An X3 decimal string ("34.36", "-1.04", "3436") as minor units. */
export function minorUnits(text: string | null | undefined, currency: string) {
  if (text === null || text === undefined || text === '') return 0;
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!match) throw new RangeError(`not a decimal amount: ${text}`);
  const digits = currencyExponent(currency);
  const fraction = (match[3] ?? '').padEnd(digits, '0');
  if (fraction.length > digits && /[1-9]/.test(fraction.slice(digits))) {
    throw new RangeError(`${text} has more than ${digits} decimals`);
  }
  const units = Number(match[2] + fraction.slice(0, digits));
  if (!Number.isSafeInteger(units)) throw new RangeError(`too large: ${text}`);
  return match[1] ? -units : units;
}
