import type {
  Customer,
  Location,
  Order,
  Payment,
  PaymentRefund,
} from '../../lib/square/types';
import type { SquareStore } from '../square/store';
import batchOrders from './square-reference/api-BatchRetrieveOrdersResponse.json';
import getPayment from './square-reference/api-GetPaymentResponse.json';
import getRefund from './square-reference/api-GetPaymentRefundResponse.json';
import listCustomers from './square-reference/api-ListCustomersResponse.json';
import listLocations from './square-reference/api-ListLocationsResponse.json';
import listRefunds from './square-reference/api-ListPaymentRefundsResponse.json';
import listPayments from './square-reference/api-ListPaymentsResponse.json';
import getCustomer from './square-reference/api-RetrieveCustomerResponse.json';
import getOrder from './square-reference/api-RetrieveOrderResponse.json';

// Square's own example objects (see square-reference/NOTICE.md), loaded
// unchanged. Where a list and a retrieve example share an id, the
// retrieve one wins; they differ only in updated_at and version_token.

export const REFERENCE_OBJECTS = {
  payments: [...listPayments.payments, getPayment.payment] as Payment[],
  orders: [...batchOrders.orders, getOrder.order] as Order[],
  refunds: [...listRefunds.refunds, getRefund.refund] as PaymentRefund[],
  customers: [...listCustomers.customers, getCustomer.customer] as Customer[],
  locations: listLocations.locations as Location[],
};

export function loadSquareReference(store: SquareStore): void {
  const copy = <T>(value: T): T => structuredClone(value);
  for (const p of REFERENCE_OBJECTS.payments) store.payments.set(p.id, copy(p));
  for (const o of REFERENCE_OBJECTS.orders) store.orders.set(o.id, copy(o));
  for (const r of REFERENCE_OBJECTS.refunds) store.refunds.set(r.id, copy(r));
  for (const c of REFERENCE_OBJECTS.customers) {
    store.customers.set(c.id, copy(c));
  }
  for (const l of REFERENCE_OBJECTS.locations) {
    store.locations.set(l.id, copy(l));
  }
}
