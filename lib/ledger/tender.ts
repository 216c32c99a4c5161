import type {
  Money,
  Order,
  Payment,
  PaymentRefund,
  Tender,
} from '../square/types';

// One way money came in (or went back): an order tender, or a payment
// when the order lists no tenders. `keys` are the mapping-table keys
// that may name its clearing account, most specific first.

export interface TenderView {
  /** the payment id (= tender id) the mapping is keyed by */
  id: string;
  keys: string[];
  /** includes the tip */
  amount_money?: Money;
  tip_money?: Money;
  processing_fee_money?: Money;
  payment?: Payment;
}

const GIFT_CARD = 'SQUARE_GIFT_CARD';

export function tenderKeys(
  type: string | undefined,
  brand?: string,
  externalType?: string,
): string[] {
  if (type === 'EXTERNAL' || externalType) {
    return externalType
      ? [`EXTERNAL:${externalType}`, 'EXTERNAL']
      : ['EXTERNAL'];
  }
  if (type === GIFT_CARD || brand === GIFT_CARD) return [GIFT_CARD];
  if (!type) return ['OTHER'];
  return brand ? [`${type}:${brand}`, type] : [type];
}

function paymentKeys(payment: Payment): string[] {
  return tenderKeys(
    payment.source_type,
    payment.card_details?.card?.card_brand,
    payment.external_details?.type,
  );
}

function findPayment(
  payments: readonly Payment[],
  ...ids: (string | undefined)[]
): Payment | undefined {
  return payments.find((p) => ids.includes(p.id));
}

function viewOfTender(
  tender: Tender,
  payments: readonly Payment[],
  index: number,
): TenderView {
  const payment = findPayment(payments, tender.id, tender.payment_id);
  const id = tender.id ?? tender.payment_id ?? `tender#${index + 1}`;
  const brand =
    tender.card_details?.card?.card_brand ??
    payment?.card_details?.card?.card_brand;
  const external =
    payment?.source_type === 'EXTERNAL'
      ? (payment.external_details?.type ?? '')
      : undefined;

  return {
    id,
    keys:
      external !== undefined
        ? tenderKeys('EXTERNAL', undefined, external || undefined)
        : tenderKeys(tender.type, brand),
    amount_money: tender.amount_money,
    tip_money: tender.tip_money,
    processing_fee_money: tender.processing_fee_money,
    payment,
  };
}

function viewOfPayment(payment: Payment): TenderView {
  return {
    id: payment.id,
    keys: paymentKeys(payment),
    amount_money: payment.total_money ?? payment.amount_money,
    tip_money: payment.tip_money,
    payment,
  };
}

/**
 * The tenders of a sale: the order's own list when it has one (NO_SALE
 * tenders carry no money and are left out), else its completed payments.
 */
export function saleTenders(
  order: Order | undefined,
  payments: readonly Payment[] = [],
): TenderView[] {
  const tenders = (order?.tenders ?? []).filter((t) => t.type !== 'NO_SALE');
  if (tenders.length > 0) {
    return tenders.map((t, i) => viewOfTender(t, payments, i));
  }
  return payments
    .filter((p) => !p.status || p.status === 'COMPLETED')
    .map(viewOfPayment);
}

/** The tender a refund gives money back through. */
export function refundTender(
  refund: PaymentRefund,
  order: Order | undefined,
  payments: readonly Payment[] = [],
): TenderView {
  const id = refund.payment_id ?? refund.id;
  const tenders = order?.tenders ?? [];
  const index = tenders.findIndex((t) => t.id === id || t.payment_id === id);
  if (index >= 0) return viewOfTender(tenders[index], payments, index);

  const payment = findPayment(payments, id);
  if (payment) return viewOfPayment(payment);

  const details = refund.destination_details as
    | {
        card_details?: { card?: { card_brand?: string } };
        external_details?: { type?: string };
      }
    | undefined;
  return {
    id,
    keys: tenderKeys(
      refund.destination_type,
      details?.card_details?.card?.card_brand,
      details?.external_details?.type,
    ),
  };
}
