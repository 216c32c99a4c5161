import { isUnfinished } from '../store/states';

// Back-pressure between the poll and the write nodes: the poll sends a
// record only while fewer than `max` of those it sent are short of a
// final state in the ledger (posted, held, failed, skipped), so a long
// backlog waits in Square, not in Node-RED's queues.

export interface StateSource {
  onState(listener: (key: string, state: string) => void): () => void;
}

export class InFlight {
  private readonly keys = new Set<string>();
  private waiters: (() => void)[] = [];
  private readonly unsubscribe: () => void;
  /** a state change of a sent record was seen: the flow tracks states */
  private tracked = false;
  private off = false;

  constructor(
    source: StateSource,
    readonly max: number,
    /** no record settling for this long: stop waiting on those sent */
    private readonly stallMs = 60_000,
    private readonly onStall: (held: number, tracked: boolean) => void = () =>
      undefined,
  ) {
    let unsubscribe = () => undefined as unknown;
    try {
      unsubscribe = source.onState((key, state) => {
        if (!this.keys.has(key)) return;
        if (state !== 'received') this.tracked = true;
        if (!isUnfinished(state)) {
          this.keys.delete(key);
          this.wake();
        }
      });
    } catch {
      // A ledger that is not open yet tells nothing: nothing is held back.
      this.off = true;
    }
    this.unsubscribe = () => void unsubscribe();
  }

  get size(): number {
    return this.keys.size;
  }

  add(key: string): void {
    if (!this.off) this.keys.add(key);
  }

  /** Resolves once one more record may be sent. */
  async room(): Promise<void> {
    while (!this.off && this.keys.size >= this.max) {
      const settled = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== go);
          resolve(false);
        }, this.stallMs);
        const go = () => {
          clearTimeout(timer);
          resolve(true);
        };
        this.waiters.push(go);
      });
      if (settled) continue;
      // A flow that never moves the records it gets (no mapping or write
      // nodes after the poll) is not held back at all; a stuck one is
      // let through a batch at a time.
      this.onStall(this.keys.size, this.tracked);
      if (!this.tracked) this.off = true;
      this.keys.clear();
    }
  }

  close(): void {
    this.unsubscribe();
    this.off = true;
    this.keys.clear();
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const go of waiters) go();
  }
}
