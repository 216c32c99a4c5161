import type { EntryKind, MappingTables } from '../ledger/types';
import type { ReadEntry, ReadInvoice } from '../x3/read-back';
import { add, minorUnits, type Category, type Figures } from './figures';

// What an X3 document says, per category. Lines are told apart by their
// account (through the user's mapping tables) and by their side: in a
// receipt or revenue entry the tenders are the debits, in a refund they
// are the credits, which is what separates a gift-card tender from a
// gift card sold when both use the same liability account.

type Role =
  | 'revenue'
  | 'tax'
  | 'tips'
  | 'serviceCharges'
  | 'giftCards'
  | 'fees'
  | 'receivable'
  | 'rounding';

export class AccountRoles {
  private readonly roles = new Map<string, Role>();
  private readonly clearing = new Set<string>();

  constructor(tables: MappingTables) {
    const { accounts } = tables;
    const set = (account: string | undefined, role: Role) => {
      if (account && !this.roles.has(account)) this.roles.set(account, role);
    };
    set(accounts.receivable, 'receivable');
    set(accounts.fees, 'fees');
    set(accounts.tips, 'tips');
    set(accounts.serviceCharges, 'serviceCharges');
    set(accounts.giftCardLiability, 'giftCards');
    set(accounts.rounding, 'rounding');
    for (const tax of Object.values(tables.taxes)) set(tax.account, 'tax');
    set(tables.exemptTax?.account, 'tax');
    for (const p of Object.values(tables.products)) {
      set(p.revenueAccount, 'revenue');
    }
    for (const p of Object.values(tables.skus ?? {})) {
      set(p.revenueAccount, 'revenue');
    }
    set(tables.genericProduct?.revenueAccount, 'revenue');
    for (const account of Object.values(tables.tenders)) {
      this.clearing.add(account);
    }
  }

  role(account: string): Role | undefined {
    return this.roles.get(account);
  }

  isClearing(account: string): boolean {
    return this.clearing.has(account);
  }
}

export function invoiceFigures(invoice: ReadInvoice, kind: string): Figures {
  const figures: Figures = {};
  const money = (text: string) => minorUnits(text, invoice.currency);
  const memo = kind === 'credit-memo' || invoice.category === 'creditMemo';
  const sign = memo ? -1 : 1;

  for (const line of invoice.lines) {
    const net = money(line.netAmount);
    const discount = money(line.discountAmount);
    const tax = money(line.taxAmount);
    if (memo) {
      add(figures, 'returns', net);
    } else {
      add(figures, 'grossSales', net + discount);
      add(figures, 'discounts', discount);
    }
    add(figures, 'netSales', sign * net);
    add(figures, 'tax', sign * tax);
    add(figures, 'receivable', sign * (net + tax));
  }
  return figures;
}

/** The kind of an entry no Square record claims, from its lines. */
export function guessKind(entry: ReadEntry, roles: AccountRoles): EntryKind {
  if (entry.lines.some((l) => roles.role(l.account) === 'fees')) return 'fee';
  const creditsClearing = entry.lines.some(
    (l) => l.credit && roles.isClearing(l.account) && !roles.role(l.account),
  );
  return creditsClearing ? 'refund' : 'receipt';
}

export function entryFigures(
  entry: ReadEntry,
  kind: string,
  roles: AccountRoles,
): Figures {
  const figures: Figures = {};
  const refund = kind === 'refund' || kind === 'refund-receipt';
  const fee = kind === 'fee' || kind === 'fee-refund';

  for (const line of entry.lines) {
    const debit = minorUnits(line.debit, entry.transactionCurrency);
    const credit = minorUnits(line.credit, entry.transactionCurrency);
    const role = roles.role(line.account);

    if (fee) {
      if (role === 'fees') add(figures, 'fees', debit - credit);
      continue;
    }
    const tenderSide = refund ? credit > 0 : debit > 0;
    if (roles.isClearing(line.account) && (tenderSide || !role)) {
      add(figures, `tender:${line.account}` as Category, debit - credit);
      if (refund) add(figures, 'refunds', credit - debit);
      continue;
    }
    classify(figures, role, line.account, credit - debit, refund);
  }
  return figures;
}

/** `taken` is credit - debit: what the line adds to the books' takings. */
function classify(
  figures: Figures,
  role: Role | undefined,
  account: string,
  taken: number,
  refund: boolean,
): void {
  switch (role) {
    case 'revenue':
      add(figures, 'netSales', taken);
      if (refund) add(figures, 'returns', -taken);
      return;
    case 'receivable':
      add(figures, 'receivable', -taken);
      return;
    case 'fees':
      add(figures, 'fees', -taken);
      return;
    case undefined:
      add(figures, `account:${account}` as Category, taken);
      return;
    default:
      add(figures, role, taken);
  }
}
