import { documentReference } from '../lib/ledger/reference';
import { DEMO_SIGNATURE_KEY } from '../sandbox/demo';
import { createSquareEmulator } from '../sandbox/square/emulator';
import { createX3Emulator } from '../sandbox/x3/emulator';
import { LOCATIONS } from '../sandbox/seed/business';
import { loadAverage } from './proc';
import { sleep, startStack } from './stack';

// Webhook to X3: sales made one after another in the Square emulator,
// which signs and delivers its webhooks to Node-RED at once; each sale is
// timed from the moment it is made (its events go out then) to the moment
// its invoice, and then all of its documents, are in X3 (X3 at zero
// latency).

export interface WebhookOptions {
  sales: number;
  /** ms between two sales */
  gapMs: number;
  packageRoot: string;
  workDir: string;
  log?: (line: string) => void;
}

export interface WebhookRun {
  sales: number;
  gapMs: number;
  /** made to invoice in X3, ms */
  invoice: Percentiles;
  /** made to the last of its documents in X3, ms */
  complete: Percentiles;
  missing: number;
  loadBefore: number;
  loadAfter: number;
}

export interface Percentiles {
  median: number;
  p99: number;
  max: number;
}

export function percentiles(values: number[]): Percentiles {
  if (values.length === 0) return { median: NaN, p99: NaN, max: NaN };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
  return { median: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] };
}

interface Pending {
  made: number;
  invoiceRef: string;
  refs: Set<string>;
  invoiceMs?: number;
}

export async function runWebhook(opts: WebhookOptions): Promise<WebhookRun> {
  const square = createSquareEmulator({ seed: false, reference: false });
  const x3 = createX3Emulator();
  const loadBefore = loadAverage();
  const stack = await startStack({
    packageRoot: opts.packageRoot,
    workDir: opts.workDir,
    square,
    x3,
    backfillFrom: new Date(Date.now() - 3_600_000).toISOString(),
    firstPollDelaySec: 1,
    log: opts.log,
  });
  square.addWebhookSubscription({
    notificationUrl: stack.notificationUrl,
    signatureKey: DEMO_SIGNATURE_KEY,
  });
  await sleep(3_000);

  const pending: Pending[] = [];
  const invoiceMs: number[] = [];
  const completeMs: number[] = [];
  let making = true;
  const watching = (async () => {
    while (making || pending.length > 0) {
      await sleep(2);
      const docs = x3.documents();
      const inX3 = new Set([
        ...docs.invoices.map((d) => d.customerReference),
        ...docs.entries.map((d) => d.sourceDocument),
      ]);
      const now = performance.now();
      for (const sale of [...pending]) {
        if (sale.invoiceMs === undefined && inX3.has(sale.invoiceRef)) {
          sale.invoiceMs = now - sale.made;
          invoiceMs.push(sale.invoiceMs);
        }
        if ([...sale.refs].every((ref) => inX3.has(ref))) {
          completeMs.push(now - sale.made);
          pending.splice(pending.indexOf(sale), 1);
        } else if (now - sale.made > 30_000) {
          pending.splice(pending.indexOf(sale), 1);
        }
      }
    }
  })();

  for (let i = 0; i < opts.sales; i++) {
    const made = performance.now();
    const { order } = square.createSale({
      locationId: LOCATIONS[i % LOCATIONS.length].id,
      lines: [{ variationId: 'VAR_MUG', quantity: 1 + (i % 2) }],
      tenders: [{ type: 'CARD', brand: 'VISA' }],
    });
    const ref = (kind: string) => documentReference(`sale:${order.id}#${kind}`);
    const refs = new Set([ref('invoice'), ref('receipt'), ref('fee')]);
    pending.push({ made, invoiceRef: ref('invoice'), refs });
    await sleep(opts.gapMs);
  }
  making = false;
  await watching;
  const loadAfter = loadAverage();
  await stack.stop();

  return {
    sales: opts.sales,
    gapMs: opts.gapMs,
    invoice: percentiles(invoiceMs),
    complete: percentiles(completeMs),
    missing: opts.sales - completeMs.length,
    loadBefore,
    loadAfter,
  };
}
