import type { Demo } from '../../sandbox/demo';
import type { X3Documents } from '../../sandbox/x3/types';
import type { SquareStore } from '../../sandbox/square/store';
import { LOCATIONS } from '../../sandbox/seed/business';

// Waiting for a day's documents in the X3 emulator. A test that stops
// waiting at the receipts can miss the fee posted after the last one on
// a loaded machine, so these wait for every document type the day needs,
// then let anything still in flight land before the test counts exactly:
// a document posted twice then shows as one too many.

export async function until<T>(
  what: string | (() => string),
  probe: () => T | undefined,
  timeoutMs = 120_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      const label = typeof what === 'string' ? what : what();
      throw new Error(`timed out waiting for ${label}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** how many invoices and entries X3 holds, by invoice or entry type */
export function countByType(docs: X3Documents): Record<string, number> {
  const counts: Record<string, number> = {};
  const add = (type: string) => (counts[type] = (counts[type] ?? 0) + 1);
  for (const invoice of docs.invoices) add(invoice.invoiceType);
  for (const entry of docs.entries) add(entry.journalEntryType);
  return counts;
}

/**
 * Waits until X3 holds at least `expected` of each type, then 1.5 s more,
 * and returns what it holds then.
 */
export async function settledDocuments(
  demo: Demo,
  expected: Record<string, number>,
): Promise<X3Documents> {
  let seen: Record<string, number> = {};
  await until(
    () =>
      `${JSON.stringify(expected)} in X3 (last seen ${JSON.stringify(seen)})`,
    () => {
      seen = countByType(demo.x3.documents());
      return Object.entries(expected).every(
        ([type, n]) => (seen[type] ?? 0) >= n,
      )
        ? true
        : undefined;
    },
  );
  await new Promise((resolve) => setTimeout(resolve, 1500));
  return demo.x3.documents();
}

/**
 * What the seeded day should put in X3, read from the Square emulator (the
 * seeded day changes with its date, so no count is written down): an
 * invoice and a receipt per sale at our locations, a reversal per refund,
 * a fee entry per payment or refund Square took a fee on, and the one
 * itemised return's credit memo.
 */
export function expectedDay(store: SquareStore) {
  const ours = new Set(LOCATIONS.map((location) => location.id));
  const sales = [...store.orders.values()].filter(
    (order) =>
      ours.has(order.location_id) &&
      order.state === 'COMPLETED' &&
      (order.line_items ?? []).length > 0 &&
      (order.returns ?? []).length === 0,
  );
  const refunds = [...store.refunds.values()].filter(
    (refund) =>
      ours.has(refund.location_id ?? '') && refund.status === 'COMPLETED',
  );
  const feed = (id: string | undefined) =>
    (store.payments.get(id ?? '')?.processing_fee ?? []).length > 0;
  const fees =
    sales.filter((order) => (order.tenders ?? []).some((t) => feed(t.id)))
      .length + refunds.filter((r) => (r.processing_fee ?? []).length).length;
  const counts = {
    SQINV: sales.length,
    SQCRM: 1,
    SQRCP: sales.length,
    SQREV: refunds.length,
    SQFEE: fees,
  };
  const taken = sales.reduce((sum, o) => sum + (o.total_money?.amount ?? 0), 0);
  return { sales, refunds, counts, taken };
}
