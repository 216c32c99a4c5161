import { PostingError } from './errors';
import { checkAmount } from './money';
import { clip } from './describe';
import type { EntryKind, JournalEntryDoc, JournalLine, Side } from './types';

// Collects the lines of one journal entry. Lines on the same account and
// side are merged unless the caller wants them apart (one line per
// tender). A negative amount lands on the other side, so a rounding
// adjustment or a fee given back needs no special case at the call site.

export interface LineOptions {
  businessPartner?: string;
  /** keep this line apart from others on the same account */
  separate?: boolean;
}

export type EntryHeader = Omit<JournalEntryDoc, 'type' | 'lines' | 'kind'>;

export class EntryBuilder {
  private readonly lines: JournalLine[] = [];
  private readonly separate = new Set<JournalLine>();

  debit(
    account: string,
    amount: number,
    description: string,
    opts: LineOptions = {},
  ): this {
    return this.add('debit', account, amount, description, opts);
  }

  credit(
    account: string,
    amount: number,
    description: string,
    opts: LineOptions = {},
  ): this {
    return this.add('credit', account, amount, description, opts);
  }

  get isEmpty(): boolean {
    return this.lines.length === 0;
  }

  /** The entry, checked to balance; null when no line has an amount. */
  build(kind: EntryKind, header: EntryHeader): JournalEntryDoc | null {
    if (this.lines.length === 0) return null;

    const entry: JournalEntryDoc = {
      type: 'entry',
      kind,
      ...header,
      description: clip(header.description),
      lines: this.lines.map((line) => ({ ...line })),
    };
    assertBalanced(entry);
    return entry;
  }

  private add(
    side: Side,
    account: string,
    amount: number,
    description: string,
    opts: LineOptions,
  ): this {
    checkAmount(amount, `amount for ${account || 'an account'}`);
    if (amount === 0) return this;
    if (!account) {
      throw new PostingError('UNMAPPED', `no X3 account for "${description}"`);
    }
    if (amount < 0) {
      side = side === 'debit' ? 'credit' : 'debit';
      amount = -amount;
    }

    const same = opts.separate
      ? undefined
      : this.lines.find(
          (line) =>
            !this.separate.has(line) &&
            line.side === side &&
            line.account === account &&
            line.businessPartner === opts.businessPartner,
        );
    if (same) {
      same.amount = checkAmount(same.amount + amount, 'line amount');
      return this;
    }

    const line: JournalLine = {
      account,
      side,
      amount,
      description: clip(description),
    };
    if (opts.businessPartner) line.businessPartner = opts.businessPartner;
    this.lines.push(line);
    if (opts.separate) this.separate.add(line);
    return this;
  }
}

/** Throws unless every line is positive and debits equal credits. */
export function assertBalanced(entry: JournalEntryDoc): void {
  let debit = 0;
  let credit = 0;
  for (const line of entry.lines) {
    if (!line.account) {
      throw new PostingError('UNBALANCED', `${entry.docKey}: blank account`);
    }
    if (!Number.isSafeInteger(line.amount) || line.amount <= 0) {
      throw new PostingError(
        'UNBALANCED',
        `${entry.docKey}: line on ${line.account} has amount ${line.amount}`,
      );
    }
    if (line.side === 'debit') debit += line.amount;
    else credit += line.amount;
  }

  if (entry.lines.length === 0 || debit !== credit) {
    throw new PostingError(
      'UNBALANCED',
      `${entry.docKey} does not balance: debit ${debit}, credit ${credit}`,
    );
  }
}
