import type { PaymentRefund } from '../square/types';
import type { DocContext } from './context';
import { EntryBuilder } from './entry';
import { PostingError } from './errors';
import { moneyAmount, sumAmounts } from './money';
import type { TenderView } from './tender';
import type { JournalEntryDoc } from './types';

// Square's processing fees: their own entry, because Square reports them
// after the sale (or never, for cash). A fee debits the fee expense and
// credits the clearing account the payment went into; a fee Square gives
// back on a refund does the opposite.

function feeSum(
  fees: readonly { amount_money?: { amount?: number | null } }[],
  currency: string,
): number {
  return sumAmounts(fees.map((f) => moneyAmount(f.amount_money, currency)));
}

/** Net processing fee of one tender, signed; 0 while Square reports none. */
export function tenderFee(view: TenderView, currency: string): number {
  const reported = view.payment?.processing_fee;
  if (reported && reported.length > 0) return feeSum(reported, currency);
  return moneyAmount(view.processing_fee_money, currency);
}

function clearing(ctx: DocContext, id: string): string {
  const account = ctx.mapping.tenders[id];
  if (!account) {
    throw new PostingError('UNMAPPED', `no clearing account for payment ${id}`);
  }
  return account;
}

export function feeEntry(
  ctx: DocContext,
  views: readonly TenderView[],
): JournalEntryDoc | null {
  const { accounts, currency } = ctx.mapping;
  const entry = new EntryBuilder();

  for (const view of views) {
    const fee = tenderFee(view, currency);
    if (fee === 0) continue;
    entry.debit(accounts.fees, fee, `Processing fee ${ctx.short}`);
    entry.credit(clearing(ctx, view.id), fee, `Fee ${view.keys[0]}`, {
      separate: true,
    });
  }

  return entry.build('fee', ctx.header('fee', `Square fees ${ctx.short}`));
}

/** The fee Square gives back (negative) or charges on a refund. */
export function feeRefundEntry(
  ctx: DocContext,
  refund: PaymentRefund,
  tender: TenderView,
): JournalEntryDoc | null {
  const fee = feeSum(refund.processing_fee ?? [], ctx.mapping.currency);
  if (fee === 0) return null;

  const back = -fee;
  const entry = new EntryBuilder()
    .debit(clearing(ctx, tender.id), back, `Fee back ${tender.keys[0]}`)
    .credit(ctx.mapping.accounts.fees, back, `Fee back ${ctx.short}`);
  return entry.build(
    'fee-refund',
    ctx.header('fee-refund', `Square fee back ${ctx.short}`),
  );
}
