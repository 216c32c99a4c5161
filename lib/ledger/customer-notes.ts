import type { CustomerEvent } from '../sync/record';

// What the trail says when Square deletes or merges customers. X3 keeps
// every customer: its invoices and receivables stay where they are, and
// a person decides what to do with the twins a merge leaves.

/** "A", "A and B", "A, B and C" */
function listed(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

export function deletedNote(x3Code: string | undefined): string {
  return x3Code
    ? `deleted in Square, kept in X3 as ${x3Code}`
    : 'deleted in Square, kept in X3 (no X3 customer was made for it)';
}

/**
 * `x3Codes` holds the X3 customer of each merged Square id (undefined
 * when it never had one).
 */
export function mergedNote(
  merge: NonNullable<CustomerEvent['merge']>,
  x3Codes: (string | undefined)[],
): string {
  const kept = x3Codes.filter((c): c is string => Boolean(c));
  const into = `merged in Square into ${merge.to_customer_id}`;
  if (kept.length === 0) return `${into}: no X3 customer to keep; review`;
  const noun = kept.length === 1 ? 'customer' : 'customers';
  return `${into}: X3 ${noun} ${listed(kept)} kept; review`;
}
