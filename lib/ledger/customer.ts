import type { Customer } from '../square/types';
import { recordKey } from '../sync/record';
import { PostingError } from './errors';
import { shortReference } from './reference';
import { cutText } from './text';
import type { CustomerDoc, ResolvedMapping } from './types';

// A Square customer as an X3 customer (BPCUSTOMER). Names and addresses
// are cut to X3's field lengths; an e-mail address or phone number that
// does not fit is left out rather than cut into a wrong one. Lengths
// count UTF-16 units, the stricter reading of X3's "characters": an
// emoji takes two.

/** X3 field lengths (BPCNUM, BCGCOD, BPRNAM; the rest X3's defaults). */
export const CUSTOMER_LIMITS = {
  code: 15,
  category: 5,
  /** the name is kept up to both BPRNAM lines */
  name: 70,
  nameLine: 35,
  nameLines: 2,
  addressLine: 50,
  city: 40,
  postalCode: 10,
  state: 35,
  country: 3,
  email: 80,
  phone: 20,
} as const;

/** Where the line that starts `rest` ends: at a space if the rest fits. */
function lineEnd(rest: string, size: number, room: number): number {
  const hard = cutText(rest, size).length;
  if (hard === rest.length) return hard;
  const space = rest.lastIndexOf(' ', hard);
  return space > 0 && rest.length - space - 1 <= room ? space : hard;
}

/**
 * A name as the lines of X3's BPRNAM (2 x 35): broken at a space when the
 * rest still fits, else between two characters; no line is empty.
 */
export function nameLines(name: string): string[] {
  const { nameLine: size, nameLines: count } = CUSTOMER_LIMITS;
  const lines: string[] = [];
  let rest = name.trim();
  while (rest !== '' && lines.length < count) {
    const end = lineEnd(rest, size, (count - lines.length - 1) * size);
    lines.push(rest.slice(0, end).trimEnd());
    rest = rest.slice(end).trimStart();
  }
  return lines;
}

function text(value: unknown, length: number): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.replace(/\s+/g, ' ').trim();
  return trimmed ? cutText(trimmed, length).trimEnd() : undefined;
}

function whole(value: unknown, length: number): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed && trimmed.length <= length ? trimmed : undefined;
}

/** Company, else given and family name, else e-mail, else the Square id. */
export function customerName(customer: Customer): string {
  const person = [customer.given_name, customer.family_name]
    .map((part) => part?.trim())
    .filter(Boolean)
    .join(' ');
  return (
    text(customer.company_name, CUSTOMER_LIMITS.name) ??
    text(person, CUSTOMER_LIMITS.name) ??
    text(customer.email_address, CUSTOMER_LIMITS.name) ??
    customer.id.slice(0, CUSTOMER_LIMITS.name)
  );
}

/**
 * Who gives a new X3 customer its code: 'derived' is the connector's
 * 15-character code from the Square id, 'x3' leaves it to X3's sequence.
 */
export type CustomerNumbering = 'derived' | 'x3';

/**
 * X3 numbering: the short name (BPCSHO, 10 characters) the connector
 * writes on the customers it creates, so that a create whose answer was
 * lost is found again instead of made twice.
 */
export function customerTag(squareCustomerId: string): string {
  return shortReference(squareCustomerId, 'SQ', 10);
}

export interface CustomerDocOptions {
  /** the X3 code; '' with a tag leaves it to X3; default mapping.customer */
  code?: string;
  tag?: string;
}

export function customerDoc(
  customer: Customer,
  mapping: ResolvedMapping,
  opts: CustomerDocOptions = {},
): CustomerDoc {
  const code = opts.code ?? mapping.customer;
  const numberedByX3 = code === '' && Boolean(opts.tag);
  if (!numberedByX3 && (!code || code.length > CUSTOMER_LIMITS.code)) {
    throw new PostingError(
      'BAD_DATA',
      `customer code "${code}" must be 1 to ${CUSTOMER_LIMITS.code} characters`,
    );
  }
  const category = mapping.customerCategory;
  if (!category || category.length > CUSTOMER_LIMITS.category) {
    throw new PostingError(
      'BAD_DATA',
      `customer category "${category}" must be 1 to ` +
        `${CUSTOMER_LIMITS.category} characters`,
    );
  }
  if (!mapping.currency) {
    throw new PostingError(
      'UNMAPPED',
      `no currency for customer ${customer.id}`,
    );
  }

  const doc: CustomerDoc = {
    type: 'customer',
    docKey: `${recordKey('customer', customer.id)}#customer`,
    code,
    category,
    name: customerName(customer),
    currency: mapping.currency,
  };
  if (opts.tag) doc.tag = opts.tag;

  const address = customer.address ?? {};
  const optional: Partial<CustomerDoc> = {
    country: text(address.country, CUSTOMER_LIMITS.country),
    addressLine1: text(address.address_line_1, CUSTOMER_LIMITS.addressLine),
    addressLine2: text(address.address_line_2, CUSTOMER_LIMITS.addressLine),
    city: text(address.locality, CUSTOMER_LIMITS.city),
    postalCode: text(address.postal_code, CUSTOMER_LIMITS.postalCode),
    state: text(address.administrative_district_level_1, CUSTOMER_LIMITS.state),
    email: whole(customer.email_address, CUSTOMER_LIMITS.email),
    phone: whole(customer.phone_number, CUSTOMER_LIMITS.phone),
  };
  for (const [field, value] of Object.entries(optional)) {
    if (value !== undefined) {
      (doc as unknown as Record<string, string>)[field] = value;
    }
  }
  return doc;
}
