import { isUnfinished } from '../store/states';
import type { RecordState } from '../store/types';
import { recordKey, type SyncRecord } from '../sync/record';

// A refund reverses a sale. When the ledger knows that sale and it is not
// in X3 (it failed, is held, or is still on its way), reversing it would
// book a reversal of revenue X3 never had: the refund waits for its sale.
// A sale the ledger never saw (made before the connector started) does
// not hold its refund back.

/** The key of the sale record a refund reverses, when Square says it. */
export function refundedSaleKey(record: SyncRecord): string | undefined {
  if (record.kind !== 'refund') return undefined;
  const orderId = record.square.order?.id ?? record.square.refund?.order_id;
  return orderId ? recordKey('sale', orderId) : undefined;
}

/** Why the refund must wait for its sale, or undefined when it need not. */
export function waitForSale(
  record: SyncRecord,
  stateOf: (key: string) => RecordState | undefined,
): string | undefined {
  const sale = refundedSaleKey(record);
  if (!sale) return undefined;
  const state = stateOf(sale);
  if (state === undefined || state === 'posted') return undefined;
  return `its sale ${sale} is not in X3 yet (${state})`;
}

/** What the gate needs of the ledger; it may not be open yet. */
export interface GateLedger {
  stateOf(key: string): RecordState | undefined;
  onState(listener: (key: string, state: RecordState) => void): () => void;
}

/**
 * The refunds one mapping node holds back for their sales: each waits for
 * a sale on its way to X3 (up to waitMs), then is held while the sale is
 * not posted, and `release` is called with the refunds a sale's posting
 * frees.
 */
export class RefundGate {
  /** held refund key -> its sale's key */
  private readonly held = new Map<string, string>();
  /** sale key -> wake-ups of refunds waiting for it to settle */
  private readonly settling = new Map<string, (() => void)[]>();
  private stopWatching?: () => void;

  constructor(
    private readonly ledger: () => GateLedger,
    private readonly release: (sale: string, refunds: string[]) => void,
    private readonly waitMs: number,
  ) {
    this.watch();
  }

  /** Resolves once the refund's sale is no longer on its way to X3. */
  settled(record: SyncRecord): Promise<void> {
    const sale = refundedSaleKey(record);
    if (!sale) return Promise.resolve();
    this.watch();
    let state: RecordState | undefined;
    try {
      state = this.ledger().stateOf(sale);
    } catch {
      // an unreadable ledger is reported when the refund is mapped
    }
    if (!state || !isUnfinished(state)) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, this.waitMs);
      const wakes = this.settling.get(sale) ?? [];
      wakes.push(() => {
        clearTimeout(timer);
        resolve();
      });
      this.settling.set(sale, wakes);
    });
  }

  /** Why the refund must be held now; undefined when it may go on. */
  holdReason(record: SyncRecord): string | undefined {
    this.watch();
    const reason = waitForSale(record, (key) => this.ledger().stateOf(key));
    const sale = refundedSaleKey(record);
    if (reason && sale) this.held.set(record.key, sale);
    return reason;
  }

  /** The refund went on: it no longer waits. */
  released(key: string): void {
    this.held.delete(key);
  }

  close(): void {
    this.stopWatching?.();
    for (const wakes of this.settling.values()) wakes.forEach((w) => w());
    this.settling.clear();
  }

  private watch(): void {
    if (this.stopWatching) return;
    try {
      this.stopWatching = this.ledger().onState((key, state) =>
        this.moved(key, state),
      );
    } catch {
      // the ledger is not open yet: watched from the first refund on
    }
  }

  private moved(key: string, state: RecordState): void {
    if (!isUnfinished(state) && this.settling.has(key)) {
      for (const wake of this.settling.get(key) ?? []) wake();
      this.settling.delete(key);
    }
    if (state !== 'posted' || this.held.size === 0) return;
    const refunds = [...this.held]
      .filter(([, sale]) => sale === key)
      .map(([refund]) => refund);
    if (refunds.length > 0) this.release(key, refunds);
  }
}
