import type { Payment } from '../../lib/square/types';
import { hashId, squareIds } from './ids';
import { money, proportion } from './money';
import type { SaleTenderSpec } from './sale';
import { isoPlus } from './store';

// One Square payment per tender. Card payments carry Square's processing
// fee (2.6 % + 10 cents of the total, rounded) unless the spec fixes it;
// gift-card redemptions and cash carry none.

export interface PaymentDraft {
  id: string;
  tender: SaleTenderSpec;
  orderId: string;
  locationId: string;
  customerId?: string;
  currency: string;
  createdAt: string;
  completed: boolean;
  online: boolean;
}

const BINS: Record<string, string> = {
  VISA: '411111',
  MASTERCARD: '540988',
  AMERICAN_EXPRESS: '371263',
  DISCOVER: '601100',
  SQUARE_GIFT_CARD: '778800',
};

export function cardFee(total: number): number {
  return proportion(total, 26, 1000) + 10;
}

function cardDetails(d: PaymentDraft, brand: string) {
  const digits = hashId(`last4:${d.id}`, 4, '0123456789');
  const gift = brand === 'SQUARE_GIFT_CARD';
  const entry =
    d.tender.entryMethod ?? (d.online ? 'KEYED' : gift ? 'SWIPED' : 'EMV');
  return {
    status: d.completed ? 'CAPTURED' : 'AUTHORIZED',
    card: {
      card_brand: brand,
      last_4: digits,
      exp_month: 1 + (digits.charCodeAt(0) % 12),
      exp_year: 2029,
      fingerprint: 'sq-1-' + hashId(`fp:${d.id}`, 60),
      card_type: gift ? 'UNKNOWN_CARD_TYPE' : 'CREDIT',
      prepaid_type: gift ? 'PREPAID' : 'NOT_PREPAID',
      bin: BINS[brand] ?? '400000',
    },
    entry_method: entry,
    cvv_status: d.online ? 'CVV_ACCEPTED' : 'CVV_NOT_CHECKED',
    avs_status: d.online ? 'AVS_ACCEPTED' : 'AVS_NOT_CHECKED',
    statement_description: 'SQ *ML COFFEE ROASTERS',
    card_payment_timeline: {
      authorized_at: isoPlus(d.createdAt, 120),
      ...(d.completed ? { captured_at: isoPlus(d.createdAt, 1_800) } : {}),
    },
  };
}

export function buildPayment(d: PaymentDraft): Payment {
  const m = (amount: number) => money(amount, d.currency);
  const amount = d.tender.amount ?? 0;
  const tip = d.tender.tip ?? 0;
  const total = amount + tip;
  const isCard = d.tender.type !== 'CASH';
  const brand =
    d.tender.type === 'SQUARE_GIFT_CARD'
      ? 'SQUARE_GIFT_CARD'
      : (d.tender.brand ?? 'VISA');
  const charged = d.tender.type === 'CARD' && d.completed;

  const payment: Payment = {
    id: d.id,
    created_at: d.createdAt,
    updated_at: isoPlus(d.createdAt, 1_800),
    amount_money: m(amount),
    ...(tip ? { tip_money: m(tip) } : {}),
    total_money: m(total),
    approved_money: m(total),
    ...(charged
      ? {
          processing_fee: [
            {
              effective_at: isoPlus(d.createdAt, 2 * 3_600_000),
              type: 'INITIAL',
              amount_money: m(d.tender.fee ?? cardFee(total)),
            },
          ],
        }
      : {}),
    status: d.completed ? 'COMPLETED' : 'APPROVED',
    delay_duration: d.online ? 'P7D' : 'PT36H',
    delay_action: 'CANCEL',
    delayed_until: isoPlus(d.createdAt, (d.online ? 168 : 36) * 3_600_000),
    source_type: isCard ? 'CARD' : 'CASH',
    location_id: d.locationId,
    order_id: d.orderId,
    ...(d.customerId ? { customer_id: d.customerId } : {}),
    receipt_number: d.id.slice(0, 4),
    ...(d.completed
      ? { receipt_url: `https://squareup.com/receipt/preview/${d.id}` }
      : {}),
    application_details: {
      square_product: d.online ? 'ONLINE_STORE' : 'SQUARE_POS',
      application_id: 'sq0idp-MLCOFFEEPOS0000000000',
    },
    version_token: squareIds.versionToken(`${d.id}:${d.completed}`),
  };

  if (isCard) {
    payment.card_details = cardDetails(d, brand);
  } else {
    const handed = d.tender.cashTendered ?? total;
    if (handed < total) throw new Error('cash tendered is below the total');
    payment.cash_details = {
      buyer_supplied_money: m(handed),
      change_back_money: m(handed - total),
    };
  }
  return payment;
}
