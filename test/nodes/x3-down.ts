import type { Node } from 'node-red';
import type { X3Emulator } from '../../sandbox/x3/emulator';
import { lastStatus } from './kit';

// What the "X3 not answering" stories look at: the warning the X3 config
// paints on its users, and how many X3 documents carry each reference,
// since X3 has no idempotency key and a duplicate shows only there.

/** The nodes of kit.ts x3ChainFlow that use its X3 config. */
export const X3_USERS = ['customer', 'invoice', 'glpost', 'memo', 'reversal'];

export const NOT_ANSWERING = { fill: 'yellow', text: 'X3 not answering' };

export function notAnswering(node: Node): boolean {
  const status = lastStatus(node);
  return (
    status?.fill === NOT_ANSWERING.fill && status.text === NOT_ANSWERING.text
  );
}

/** Invoices by customer reference, entries by source document. */
export function referenceCounts(x3: X3Emulator): Map<string, number> {
  const { invoices, entries } = x3.documents();
  const references = [
    ...invoices.map((i) => `invoice ${i.customerReference}`),
    ...entries.map((e) => `entry ${e.sourceDocument}`),
  ];
  const counts = new Map<string, number>();
  for (const reference of references) {
    counts.set(reference, (counts.get(reference) ?? 0) + 1);
  }
  return counts;
}

/** The references X3 holds more than once, for an assertion message. */
export function duplicates(x3: X3Emulator): string[] {
  return [...referenceCounts(x3)]
    .filter(([, count]) => count > 1)
    .map(([reference, count]) => `${reference} x${count}`);
}
