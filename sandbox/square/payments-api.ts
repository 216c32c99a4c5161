import type { Money, Order, Payment } from '../../lib/square/types';
import { EmulatorError, badRequest, notFound } from './errors';
import { hashId, squareIds } from './ids';
import { money } from './money';
import { API_SOURCE, closeOrderIfPaid } from './orders-api';
import { cardFee } from './payment';
import { clone, isoPlus, type SquareStore } from './store';

// CreatePayment, CompletePayment and CancelPayment. Card payments take
// the Sandbox's test tokens (cnon:card-nonce-ok and the documented
// failing ones); CASH and EXTERNAL take their details. autocomplete false
// leaves the payment APPROVED (delayed capture) until it is completed,
// cancelled, or paid into its order with PayOrder.

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};

interface CardSource {
  brand: string;
  failure?: { code: string; detail: string };
}

const CARD_SOURCES: Record<string, CardSource> = {
  'cnon:card-nonce-ok': { brand: 'VISA' },
  'ccof:customer-card-id-ok': { brand: 'VISA' },
  'cnon:gift-card-nonce-ok': { brand: 'SQUARE_GIFT_CARD' },
  'cnon:card-nonce-declined': {
    brand: 'VISA',
    failure: {
      code: 'GENERIC_DECLINE',
      detail: 'Authorization error: GENERIC_DECLINE',
    },
  },
  'cnon:card-nonce-rejected-cvv': {
    brand: 'VISA',
    failure: {
      code: 'CVV_FAILURE',
      detail: 'Authorization error: CVV_FAILURE',
    },
  },
  'cnon:card-nonce-rejected-postalcode': {
    brand: 'VISA',
    failure: {
      code: 'ADDRESS_VERIFICATION_FAILURE',
      detail: 'Authorization error: ADDRESS_VERIFICATION_FAILURE',
    },
  },
  'cnon:card-nonce-rejected-expiration': {
    brand: 'VISA',
    failure: {
      code: 'INVALID_EXPIRATION',
      detail: 'Authorization error: INVALID_EXPIRATION',
    },
  },
  'cnon:card-nonce-already-used': {
    brand: 'VISA',
    failure: { code: 'CARD_TOKEN_USED', detail: 'Card token already used.' },
  },
};

const BINS: Record<string, string> = {
  VISA: '453275',
  SQUARE_GIFT_CARD: '778800',
};

function amountOf(v: unknown, field: string, currency: string): number {
  const m = obj(v);
  if (
    typeof m.amount !== 'number' ||
    !Number.isSafeInteger(m.amount) ||
    m.amount < 0
  ) {
    badRequest(
      'INVALID_VALUE',
      `${field}.amount must be a whole number.`,
      field,
    );
  }
  if (m.currency !== currency) {
    badRequest(
      'INVALID_VALUE',
      `${field}.currency must be ${currency}.`,
      field,
    );
  }
  return m.amount;
}

function cardDetails(brand: string, at: string) {
  const gift = brand === 'SQUARE_GIFT_CARD';
  return {
    status: 'AUTHORIZED',
    card: {
      card_brand: brand,
      last_4: gift ? '0000' : '5858',
      exp_month: 12,
      exp_year: 2030,
      fingerprint: 'sq-1-' + hashId(`fp:${brand}`, 60),
      card_type: gift ? 'UNKNOWN_CARD_TYPE' : 'CREDIT',
      prepaid_type: gift ? 'PREPAID' : 'NOT_PREPAID',
      bin: BINS[brand] ?? '400000',
    },
    entry_method: 'KEYED',
    cvv_status: 'CVV_ACCEPTED',
    avs_status: 'AVS_ACCEPTED',
    statement_description: 'SQ *ML COFFEE ROASTERS',
    card_payment_timeline: { authorized_at: isoPlus(at, 150) },
  };
}

/** An order for a payment sent without one, as Square makes itself. */
function orderForPayment(
  store: SquareStore,
  locationId: string,
  amount: Money,
  customerId?: string,
): Order {
  const id = squareIds.order(store.ids.next('payment-order'));
  const at = store.now().toISOString();
  const m = (n: number) => money(n, amount.currency ?? 'USD');
  const total = amount.amount ?? 0;
  const order: Order = {
    id,
    location_id: locationId,
    source: { name: API_SOURCE },
    ...(customerId ? { customer_id: customerId } : {}),
    line_items: [
      {
        uid: squareIds.uid(`${id}:line:0`),
        quantity: '1',
        name: 'Custom Amount',
        item_type: 'CUSTOM_AMOUNT',
        base_price_money: m(total),
        variation_total_price_money: m(total),
        gross_sales_money: m(total),
        total_tax_money: m(0),
        total_discount_money: m(0),
        total_money: m(total),
        total_service_charge_money: m(0),
      },
    ],
    net_amounts: {
      total_money: m(total),
      tax_money: m(0),
      discount_money: m(0),
      tip_money: m(0),
      service_charge_money: m(0),
    },
    created_at: at,
    updated_at: at,
    state: 'OPEN',
    version: 1,
    total_money: m(total),
    total_tax_money: m(0),
    total_discount_money: m(0),
    total_tip_money: m(0),
    total_service_charge_money: m(0),
    net_amount_due_money: m(total),
  };
  store.orders.set(id, order);
  return order;
}

export function createPayment(store: SquareStore, body: Obj): Payment {
  const sourceId = String(body.source_id ?? '');
  if (!sourceId)
    badRequest(
      'MISSING_REQUIRED_PARAMETER',
      'source_id is required.',
      'source_id',
    );
  const orderId = typeof body.order_id === 'string' ? body.order_id : undefined;
  const existing = orderId ? store.orders.get(orderId) : undefined;
  if (orderId && !existing) notFound('order', orderId);
  if (existing && existing.state !== 'OPEN') {
    badRequest(
      'BAD_REQUEST',
      `Order ${orderId} is ${existing.state}.`,
      'order_id',
    );
  }
  const locationId = String(
    body.location_id ?? existing?.location_id ?? store.mainLocationId,
  );
  const location = store.locations.get(locationId);
  if (!location)
    badRequest('NOT_FOUND', `Location ${locationId} not found.`, 'location_id');
  const currency = location.currency ?? 'USD';
  const m = (n: number) => money(n, currency);
  const amount = amountOf(body.amount_money, 'amount_money', currency);
  const tip =
    body.tip_money === undefined
      ? 0
      : amountOf(body.tip_money, 'tip_money', currency);
  const autocomplete = body.autocomplete !== false;
  const customerId =
    typeof body.customer_id === 'string'
      ? body.customer_id
      : existing?.customer_id;
  if (existing && autocomplete) {
    const due =
      (existing.net_amount_due_money as Money | undefined)?.amount ?? 0;
    if (amount !== due) {
      badRequest(
        'PAYMENT_AMOUNT_MISMATCH',
        `amount_money ${amount} does not match the order's ${due}; ` +
          'use autocomplete false and PayOrder to split it.',
        'amount_money',
      );
    }
  }

  const id = squareIds.payment(store.ids.next('api-payment'));
  const at = store.now().toISOString();
  const total = amount + tip;
  const payment: Payment = {
    id,
    created_at: at,
    updated_at: at,
    amount_money: m(amount),
    ...(tip ? { tip_money: m(tip) } : {}),
    total_money: m(total),
    approved_money: m(total),
    status: 'APPROVED',
    location_id: locationId,
    ...(customerId ? { customer_id: customerId } : {}),
    ...(typeof body.reference_id === 'string'
      ? { reference_id: body.reference_id }
      : {}),
    ...(typeof body.note === 'string' ? { note: body.note } : {}),
    application_details: {
      square_product: 'ECOMMERCE_API',
      application_id: 'sqx3-demo-app',
    },
    version_token: squareIds.versionToken(`${id}:approved`),
  };

  if (sourceId === 'CASH') {
    const cash = obj(body.cash_details);
    const handed = amountOf(
      cash.buyer_supplied_money,
      'cash_details.buyer_supplied_money',
      currency,
    );
    if (handed < total) {
      badRequest(
        'INVALID_VALUE',
        'buyer_supplied_money is less than the total.',
        'cash_details.buyer_supplied_money',
      );
    }
    payment.source_type = 'CASH';
    payment.cash_details = {
      buyer_supplied_money: m(handed),
      change_back_money: m(handed - total),
    };
  } else if (sourceId === 'EXTERNAL') {
    const ext = obj(body.external_details);
    if (typeof ext.type !== 'string' || typeof ext.source !== 'string') {
      badRequest(
        'MISSING_REQUIRED_PARAMETER',
        'external_details needs type and source.',
        'external_details',
      );
    }
    payment.source_type = 'EXTERNAL';
    payment.external_details = {
      type: ext.type,
      source: ext.source,
      ...(ext.source_id ? { source_id: ext.source_id } : {}),
    };
  } else {
    const source = CARD_SOURCES[sourceId];
    if (!source) {
      badRequest(
        'INVALID_CARD_DATA',
        `Unknown source_id ${sourceId}.`,
        'source_id',
      );
    }
    if (source.failure) {
      payment.status = 'FAILED';
      payment.source_type = 'CARD';
      payment.card_details = {
        ...cardDetails(source.brand, at),
        status: 'FAILED',
      };
      delete payment.approved_money;
      store.payments.set(id, payment);
      store.emit('payment.created', 'payment', payment);
      throw new PaymentFailed(
        source.failure.code,
        source.failure.detail,
        clone(payment),
      );
    }
    payment.source_type = 'CARD';
    payment.card_details = cardDetails(source.brand, at);
    const delay =
      typeof body.delay_duration === 'string' ? body.delay_duration : 'P7D';
    payment.delay_duration = delay;
    payment.delay_action =
      body.delay_action === 'COMPLETE' ? 'COMPLETE' : 'CANCEL';
    payment.delayed_until = isoPlus(at, durationMs(delay));
    payment.capabilities = [
      'EDIT_AMOUNT_UP',
      'EDIT_AMOUNT_DOWN',
      'EDIT_TIP_AMOUNT_UP',
      'EDIT_TIP_AMOUNT_DOWN',
      'EDIT_DELAY_ACTION',
    ];
  }

  const order =
    existing ?? orderForPayment(store, locationId, m(amount), customerId);
  payment.order_id = order.id;
  payment.receipt_number = id.slice(0, 4);
  store.payments.set(id, payment);
  store.emit('payment.created', 'payment', payment);
  if (autocomplete) capturePayment(store, payment);
  return clone(store.payments.get(id) as Payment);
}

/** A declined card: Square answers 400 with the FAILED payment. */
export class PaymentFailed extends EmulatorError {
  constructor(
    code: string,
    detail: string,
    readonly payment: Payment,
  ) {
    super(400, { category: 'PAYMENT_METHOD_ERROR', code, detail });
  }
}

function durationMs(iso: string): number {
  const match = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(iso);
  if (!match) {
    badRequest(
      'INVALID_VALUE',
      'delay_duration is not an ISO 8601 duration.',
      'delay_duration',
    );
  }
  const [, d = '0', h = '0', min = '0'] = match;
  return ((Number(d) * 24 + Number(h)) * 60 + Number(min)) * 60_000;
}

/** Captures an APPROVED payment; Square then reports its fee. */
export function capturePayment(store: SquareStore, payment: Payment): void {
  const at = store.now().toISOString();
  const currency = payment.total_money?.currency ?? 'USD';
  const total = payment.total_money?.amount ?? 0;
  payment.status = 'COMPLETED';
  payment.updated_at = at;
  payment.version_token = squareIds.versionToken(`${payment.id}:completed`);
  payment.receipt_url = `https://squareup.com/receipt/preview/${payment.id}`;
  delete payment.capabilities;
  const card = payment.card_details as Obj | undefined;
  if (card) {
    card.status = 'CAPTURED';
    card.card_payment_timeline = {
      ...obj(card.card_payment_timeline),
      captured_at: at,
    };
    if (obj(card.card).card_brand !== 'SQUARE_GIFT_CARD') {
      payment.processing_fee = [
        {
          effective_at: isoPlus(at, 2 * 3_600_000),
          type: 'INITIAL',
          amount_money: money(cardFee(total), currency),
        },
      ];
    }
  }
  store.emit('payment.updated', 'payment', payment);
  if (payment.order_id) closeOrderIfPaid(store, payment.order_id);
}

function approved(store: SquareStore, id: string): Payment {
  const payment = store.payments.get(id);
  if (!payment) notFound('payment', id);
  if (payment.status !== 'APPROVED') {
    badRequest(
      'BAD_REQUEST',
      `Payment ${id} is ${payment.status}, not APPROVED.`,
    );
  }
  return payment;
}

export function completePayment(
  store: SquareStore,
  id: string,
  body: Obj,
): Payment {
  const payment = approved(store, id);
  if (
    body.version_token !== undefined &&
    body.version_token !== payment.version_token
  ) {
    badRequest(
      'BAD_REQUEST',
      'version_token is not the current one.',
      'version_token',
    );
  }
  capturePayment(store, payment);
  return clone(payment);
}

export function cancelPayment(store: SquareStore, id: string): Payment {
  const payment = approved(store, id);
  payment.status = 'CANCELED';
  payment.updated_at = store.now().toISOString();
  payment.version_token = squareIds.versionToken(`${payment.id}:canceled`);
  delete payment.capabilities;
  const card = payment.card_details as Obj | undefined;
  if (card) {
    card.status = 'VOIDED';
    card.card_payment_timeline = {
      ...obj(card.card_payment_timeline),
      voided_at: payment.updated_at,
    };
  }
  store.emit('payment.updated', 'payment', payment);
  return clone(payment);
}
