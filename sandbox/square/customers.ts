import type { Customer } from '../../lib/square/types';
import { squareIds } from './ids';
import { clone, type SquareStore } from './store';

export type CustomerSpec = Partial<Customer>;

const CONTACT_FIELDS = [
  'given_name',
  'family_name',
  'company_name',
  'email_address',
  'phone_number',
] as const;

/** Square lists only profiles with a name or a way to reach them. */
export function isListable(c: Customer): boolean {
  return CONTACT_FIELDS.some((f) => Boolean(c[f]));
}

export function upsertCustomer(
  store: SquareStore,
  spec: CustomerSpec,
): Customer {
  const existing = spec.id ? store.customers.get(spec.id) : undefined;
  const now = store.now().toISOString();

  if (existing) {
    const updated: Customer = {
      ...existing,
      ...clone(spec),
      id: existing.id,
      created_at: existing.created_at,
      updated_at: spec.updated_at ?? now,
      version: (existing.version ?? 0) + 1,
    };
    store.customers.set(updated.id, updated);
    store.emit('customer.updated', 'customer', updated);
    return clone(updated);
  }

  const createdAt = spec.created_at ?? now;
  const customer: Customer = {
    creation_source: 'THIRD_PARTY',
    preferences: { email_unsubscribed: false },
    ...clone(spec),
    id: spec.id ?? squareIds.customer(store.ids.next('c')),
    created_at: createdAt,
    updated_at: spec.updated_at ?? createdAt,
    version: spec.version ?? 0,
  };
  store.customers.set(customer.id, customer);
  store.emit('customer.created', 'customer', customer);
  return clone(customer);
}
