import type { Customer } from '../../lib/square/types';
import { badRequest, fail, notFound } from './errors';
import { isListable, upsertCustomer } from './customers';
import { clone, type SquareStore } from './store';

// CreateCustomer, UpdateCustomer and DeleteCustomer. A profile needs a
// name, a company, an email address or a phone number; an update may
// name the version it read, and a null field removes that field.

type Obj = Record<string, unknown>;

const FIELDS = [
  'given_name',
  'family_name',
  'company_name',
  'nickname',
  'email_address',
  'address',
  'phone_number',
  'reference_id',
  'note',
  'birthday',
  'tax_ids',
];

function pick(body: Obj): Obj {
  const out: Obj = {};
  for (const f of FIELDS) if (body[f] !== undefined) out[f] = body[f];
  return out;
}

export function createCustomer(store: SquareStore, body: Obj): Customer {
  const fields = pick(body);
  if (!isListable(fields as Customer)) {
    badRequest(
      'MISSING_REQUIRED_PARAMETER',
      'At least one of given_name, family_name, company_name, email_address ' +
        'or phone_number is required.',
    );
  }
  for (const [k, v] of Object.entries(fields)) if (v === null) delete fields[k];
  return upsertCustomer(store, fields as Partial<Customer>);
}

export function updateCustomer(
  store: SquareStore,
  id: string,
  body: Obj,
): Customer {
  const existing = store.customers.get(id);
  if (!existing) notFound('customer', id);
  if (body.version !== undefined && body.version !== existing.version) {
    fail(
      409,
      'CONFLICT',
      `Version ${String(body.version)} is not the current version.`,
    );
  }
  const fields = pick(body);
  const next: Customer = clone(existing);
  for (const [k, v] of Object.entries(fields)) {
    if (v === null) delete next[k];
    else next[k] = v;
  }
  // upsertCustomer merges; start from the edited copy so removals stick.
  store.customers.set(id, next);
  return upsertCustomer(store, { id });
}

export function deleteCustomer(store: SquareStore, id: string): void {
  const existing = store.customers.get(id);
  if (!existing) notFound('customer', id);
  store.customers.delete(id);
  const last = clone(existing);
  delete last.created_at;
  delete last.updated_at;
  delete last.group_ids;
  delete last.segment_ids;
  store.emit('customer.deleted', 'customer', last);
}
