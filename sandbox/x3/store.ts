import { randomUUID } from 'node:crypto';
import type {
  CustomerFields,
  OpenPeriod,
  StoredCustomer,
  StoredEntry,
  StoredInvoice,
  X3Documents,
  X3Seed,
} from './types';

// The folder's data: setup tables keyed by code, the customer master, the
// documents posted, and the sequence counters (one per invoice or entry
// type, never rewound except by an explicit reset).

type ByCode<T> = Map<string, T>;

function byCode<T extends { code: string }>(rows: T[]): ByCode<T> {
  return new Map(rows.map((row) => [row.code, row]));
}

const SETUP_KEYS = [
  'companies',
  'sites',
  'currencies',
  'products',
  'accounts',
  'taxCodes',
  'invoiceTypes',
  'entryTypes',
  'customerCategories',
] as const;

type SetupKey = (typeof SETUP_KEYS)[number];

export class X3Store {
  private seed: X3Seed;
  setup = {} as { [K in SetupKey]: ByCode<X3Seed[K][number]> };
  customers: ByCode<StoredCustomer> = new Map();
  invoices: StoredInvoice[] = [];
  entries: StoredEntry[] = [];
  private counters = new Map<string, number>();
  /** refuse a second invoice or entry with the same reference field */
  uniqueReferences = false;

  constructor(
    seed: X3Seed,
    readonly openPeriods: OpenPeriod[],
    readonly clock: () => number,
  ) {
    this.seed = structuredClone(seed);
    this.reset();
  }

  /** Adds rows to the seed (kept across resets) and to the live data. */
  load(extra: Partial<X3Seed>): void {
    for (const key of SETUP_KEYS) {
      const rows = extra[key] as { code: string }[] | undefined;
      if (!rows) continue;
      (this.seed[key] as { code: string }[]).push(...structuredClone(rows));
      const table = this.setup[key] as ByCode<{ code: string }>;
      for (const row of rows) table.set(row.code, structuredClone(row));
    }
    for (const customer of extra.customers ?? []) {
      this.seed.customers.push(structuredClone(customer));
      this.putCustomer(customer);
    }
  }

  reset(): void {
    for (const key of SETUP_KEYS) {
      (this.setup as Record<SetupKey, unknown>)[key] = byCode(
        structuredClone(this.seed[key]) as { code: string }[],
      );
    }
    this.customers = new Map();
    for (const customer of this.seed.customers) this.putCustomer(customer);
    this.invoices = [];
    this.entries = [];
    this.counters = new Map();
  }

  nowIso(): string {
    return new Date(this.clock()).toISOString();
  }

  putCustomer(fields: CustomerFields): StoredCustomer {
    const existing = this.customers.get(fields.code);
    const stamp = this.nowIso();
    const stored: StoredCustomer = {
      ...existing,
      ...structuredClone(fields),
      uuid: existing?.uuid ?? randomUUID(),
      createdAt: existing?.createdAt ?? stamp,
      updatedAt: stamp,
    };
    this.customers.set(stored.code, stored);
    return stored;
  }

  /** Next number of a sequence: prefix, two-digit year, five digits. */
  nextNumber(counter: string, prefix: string, date: string): string {
    const next = (this.counters.get(counter) ?? 0) + 1;
    this.counters.set(counter, next);
    return prefix + date.slice(2, 4) + String(next).padStart(5, '0');
  }

  isOpen(date: string): boolean {
    return this.openPeriods.some((p) => p.start <= date && date <= p.end);
  }

  currencyDecimals(code: string): number | undefined {
    return this.setup.currencies.get(code)?.decimals;
  }

  documents(): X3Documents {
    return structuredClone({
      customers: [...this.customers.values()],
      invoices: this.invoices,
      entries: this.entries,
    });
  }
}

/** The current and the previous calendar year, by the emulator's clock. */
export function defaultOpenPeriods(now: number): OpenPeriod[] {
  const year = new Date(now).getUTCFullYear();
  return [{ start: `${year - 1}-01-01`, end: `${year}-12-31` }];
}
