import type { BacklogRun } from './backlog';
import type { BaselineRun } from './baseline-run';
import type { WebhookRun } from './webhook';

// The figures of a benchmark run, as a table for people and checked
// against the targets the connector is held to.

export interface BacklogFigures {
  n: number;
  records: number;
  documents: number;
  connector: Figures;
  baseline?: Figures;
  ledger: Record<string, number>;
  rssBeforeMb: number;
  squareByRoute: Record<string, number>;
  x3Queries: number;
  load: { before: number; after: number };
  x3Latency?: { ms: number; pool: number };
  /** documents per second against the pool's limit (latency case) */
  poolUse?: {
    /** X3 requests (writes and reads) per second while X3 was in use */
    requestsPerSec: number;
    docsPerSec: number;
    limit: number;
    share: number;
    /** documents per second over the whole run, Square reads included */
    endToEndDocsPerSec: number;
  };
}

export interface Figures {
  wallMs: number;
  recordsPerSec: number;
  cpuMsPerRecord: number;
  /** user and system CPU over the run, when measured from /proc */
  cpuSplitMs?: { user: number; system: number };
  peakRssMb: number;
  squarePerRecord: number;
  x3PerRecord: number;
}

const round = (x: number, digits = 2) => Number(x.toFixed(digits));

export function backlogFigures(
  n: number,
  run: BacklogRun,
  baseline?: BaselineRun,
  x3Latency?: { ms: number; pool: number },
): BacklogFigures {
  const records = run.backlog.records;
  const documents =
    run.documents.invoices + run.documents.entries + run.documents.customers;
  const squareTotal = Object.values(run.squareRequests).reduce(
    (a, b) => a + b,
    0,
  );
  const connector: Figures = {
    wallMs: run.wallMs,
    recordsPerSec: round((records * 1000) / run.wallMs, 1),
    cpuMsPerRecord: round(run.cpu.total / records, 3),
    cpuSplitMs: { user: run.cpu.user, system: run.cpu.system },
    peakRssMb: round(run.peakRssMb, 1),
    squarePerRecord: round(squareTotal / records, 3),
    x3PerRecord: round(run.x3.requests / records, 3),
  };
  const figures: BacklogFigures = {
    n,
    records,
    documents,
    connector,
    ledger: run.ledger,
    rssBeforeMb: round(run.rssBeforeMb, 1),
    squareByRoute: run.squareRequests,
    x3Queries: run.x3.queries,
    load: { before: run.loadBefore, after: run.loadAfter },
  };
  if (baseline) {
    figures.baseline = {
      wallMs: baseline.wallMs,
      recordsPerSec: round((records * 1000) / baseline.wallMs, 1),
      cpuMsPerRecord: round(baseline.cpuMs / records, 3),
      cpuSplitMs: baseline.cpuSplitMs,
      peakRssMb: round(baseline.peakRssMb, 1),
      squarePerRecord: round(baseline.squareRequests / records, 3),
      x3PerRecord: round(baseline.x3Requests / records, 3),
    };
  }
  if (x3Latency) {
    figures.x3Latency = x3Latency;
    const limit = (x3Latency.pool * 1000) / x3Latency.ms;
    const requestsPerSec = (run.x3.requests * 1000) / run.x3WallMs;
    figures.poolUse = {
      requestsPerSec: round(requestsPerSec, 1),
      docsPerSec: round((run.x3.mutations * 1000) / run.x3WallMs, 1),
      limit,
      share: round(requestsPerSec / limit, 3),
      endToEndDocsPerSec: round((run.x3.mutations * 1000) / run.wallMs, 1),
    };
  }
  return figures;
}

export interface Verdict {
  target: string;
  value: string;
  met: boolean;
}

export function verdicts(
  backlogs: BacklogFigures[],
  latency?: BacklogFigures,
  webhook?: WebhookRun,
): Verdict[] {
  const out: Verdict[] = [];
  for (const b of backlogs) {
    if (!b.baseline) continue;
    const ratio = b.connector.cpuMsPerRecord / b.baseline.cpuMsPerRecord;
    out.push({
      target: `N=${b.n}: CPU per record <= 1.5 x baseline`,
      value: `${ratio.toFixed(2)} x`,
      met: ratio <= 1.5,
    });
    const square = b.connector.squarePerRecord / b.baseline.squarePerRecord;
    const x3 = b.connector.x3PerRecord / b.baseline.x3PerRecord;
    out.push({
      target: `N=${b.n}: requests per record no more than the baseline's`,
      value: `Square ${square.toFixed(2)} x, X3 ${x3.toFixed(2)} x`,
      met: square <= 1.05 && x3 <= 1.05,
    });
  }
  const sized = [...backlogs].sort((a, b) => a.n - b.n);
  if (sized.length > 1) {
    const small = sized[0];
    const large = sized[sized.length - 1];
    const growth = large.connector.peakRssMb - small.connector.peakRssMb;
    out.push({
      target: `peak RSS growth N=${small.n} -> N=${large.n} < 100 MB`,
      value: `${growth.toFixed(0)} MB`,
      met: growth < 100,
    });
  }
  if (latency?.poolUse) {
    out.push({
      target: 'latency-bound throughput >= 90 % of the pool limit',
      value:
        `${latency.poolUse.requestsPerSec} of ${latency.poolUse.limit} ` +
        `X3 requests/s (${(latency.poolUse.share * 100).toFixed(0)} %)`,
      met: latency.poolUse.share >= 0.9,
    });
  }
  if (webhook) {
    out.push({
      target: 'webhook to X3 p99 < 1 s',
      value:
        `invoice ${webhook.invoice.p99.toFixed(0)} ms, ` +
        `all documents ${webhook.complete.p99.toFixed(0)} ms`,
      met: webhook.complete.p99 < 1000 && webhook.missing === 0,
    });
  }
  return out;
}

function pad(cells: string[], widths: number[]): string {
  return cells.map((c, i) => c.padEnd(widths[i])).join('  ');
}

export function table(
  backlogs: BacklogFigures[],
  latency?: BacklogFigures,
  webhook?: WebhookRun,
): string {
  const head = [
    'case',
    'records',
    'rec/s',
    'CPU ms/rec',
    'peak RSS MB',
    'Square req/rec',
    'X3 req/rec',
    'load',
  ];
  const rows: string[][] = [];
  const row = (name: string, b: BacklogFigures, f: Figures, load: string) =>
    rows.push([
      name,
      String(b.records),
      String(f.recordsPerSec),
      String(f.cpuMsPerRecord),
      String(f.peakRssMb),
      String(f.squarePerRecord),
      String(f.x3PerRecord),
      load,
    ]);
  const loadOf = (b: BacklogFigures) => `${b.load.before}/${b.load.after}`;
  for (const b of backlogs) {
    row(`connector N=${b.n}`, b, b.connector, loadOf(b));
    if (b.baseline) row(`baseline  N=${b.n}`, b, b.baseline, '');
  }
  if (latency) {
    const l = latency.x3Latency;
    row(
      `connector N=${latency.n} X3 ${l?.ms} ms pool ${l?.pool}`,
      latency,
      latency.connector,
      loadOf(latency),
    );
  }
  const widths = head.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => r[i].length)),
  );
  const lines = [pad(head, widths), ...rows.map((r) => pad(r, widths))];
  if (latency?.poolUse) {
    const use = latency.poolUse;
    lines.push(
      '',
      `X3 pool of ${latency.x3Latency?.pool} at ` +
        `${latency.x3Latency?.ms} ms: ${use.requestsPerSec} requests/s of ` +
        `${use.limit} (${(use.share * 100).toFixed(1)} %) while X3 was in use, ` +
        `of which ${use.docsPerSec} documents/s; ${use.endToEndDocsPerSec} ` +
        'documents/s end to end',
    );
  }
  if (webhook) {
    lines.push(
      '',
      `webhook to X3 (${webhook.sales} sales, ${webhook.gapMs} ms ` +
        `apart, load ${webhook.loadBefore}/${webhook.loadAfter}): invoice median ` +
        `${webhook.invoice.median.toFixed(0)} ms, p99 ${webhook.invoice.p99.toFixed(0)} ` +
        `ms; all documents median ${webhook.complete.median.toFixed(0)} ms, p99 ` +
        `${webhook.complete.p99.toFixed(0)} ms; missing ${webhook.missing}`,
    );
  }
  return lines.join('\n');
}
