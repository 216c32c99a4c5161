import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { createSquareEmulator } from '../sandbox/square/emulator';
import { createX3Emulator } from '../sandbox/x3/emulator';
import {
  countBacklog,
  planBacklog,
  seedBacklog,
  type BacklogCounts,
} from './seed';
import { cpuTimes, loadAverage, memoryMb, type CpuTimes } from './proc';
import { sleep, squareRequests, startStack, type Stack } from './stack';

// One backlog case: N sales seeded in the Square emulator, the example
// flow's backfill poll syncing them into the X3 emulator, and what it
// cost the Node-RED process. The clock starts at Node-RED's first Square
// request and stops at its last request to either emulator.

export interface BacklogOptions {
  n: number;
  packageRoot: string;
  workDir: string;
  /** X3 latency and pool, for the latency-bound case */
  x3Latency?: { ms: number; pool: number };
  /** the X3 config node's concurrent calls setting */
  maxCalls?: number;
  /** no request to either emulator for this long: the sync is over */
  quietMs?: number;
  timeoutMs?: number;
  /** NODE_OPTIONS for Node-RED, e.g. --cpu-prof --cpu-prof-dir=<dir> */
  nodeOptions?: string;
  log?: (line: string) => void;
}

export interface BacklogRun {
  backlog: BacklogCounts;
  /** where the backfill started */
  from: string;
  seedMs: number;
  wallMs: number;
  /** from Node-RED's first X3 request of the run to its last */
  x3WallMs: number;
  /** Node-RED's CPU time over the run, ms */
  cpu: CpuTimes;
  /** Node-RED's resident set: before the poll, its peak, at the end */
  rssBeforeMb: number;
  peakRssMb: number;
  squareRequests: Record<string, number>;
  x3: { requests: number; queries: number; mutations: number };
  documents: { invoices: number; entries: number; customers: number };
  /** ledger records by state once the run is over */
  ledger: Record<string, number>;
  loadBefore: number;
  loadAfter: number;
  /** the X3 emulator and Square emulator, still running, for the baseline */
  stack: Stack;
  customersBefore: Set<string>;
}

export async function runBacklog(opts: BacklogOptions): Promise<BacklogRun> {
  const log = opts.log ?? (() => undefined);
  const plan = planBacklog(opts.n);
  const backlog = countBacklog(plan);
  const square = createSquareEmulator({ seed: false, reference: false });
  const seeding = Date.now();
  seedBacklog(square, plan);
  const seedMs = Date.now() - seeding;
  log(
    `seeded ${opts.n} sales, ${backlog.refunds} refunds, ` +
      `${backlog.customers} customers in ${seedMs} ms`,
  );

  const x3 = createX3Emulator();
  const customersBefore = new Set(x3.documents().customers.map((c) => c.code));
  if (opts.x3Latency) {
    x3.setFault({ kind: 'latency', ...opts.x3Latency });
  }
  const loadBefore = loadAverage();
  const stack = await startStack({
    packageRoot: opts.packageRoot,
    workDir: opts.workDir,
    square,
    x3,
    backfillFrom: plan.from,
    firstPollDelaySec: 2,
    nodeOptions: opts.nodeOptions,
    maxCalls: opts.maxCalls,
    log: (line) => {
      if (/\[(error|warn)\]/.test(line)) log(`[node-red] ${line}`);
    },
  });
  const rssBeforeMb = memoryMb(stack.pid).rss;

  const timeoutMs = opts.timeoutMs ?? 3_600_000;
  const quietMs = opts.quietMs ?? 5_000;
  const begun = Date.now();
  const seen = () => squareRequests(square) + x3.stats().requests;
  while (squareRequests(square) === 0) {
    if (Date.now() - begun > 60_000) throw new Error('no poll within 60 s');
    await sleep(5);
  }
  const started = Date.now();
  const cpuStart = cpuTimes(stack.pid);
  const x3Before = x3.stats().requests;
  let x3First: number | undefined;
  let last = { count: seen(), at: started, cpu: cpuStart };
  let reported = started;
  while (Date.now() - last.at < quietMs) {
    if (Date.now() - started > timeoutMs) throw new Error('backlog timed out');
    await sleep(20);
    const count = seen();
    if (x3First === undefined && x3.stats().requests > x3Before) {
      x3First = Date.now();
    }
    if (count !== last.count) {
      last = { count, at: Date.now(), cpu: cpuTimes(stack.pid) };
    }
    if (Date.now() - reported > 10_000) {
      reported = Date.now();
      const docs = x3.stats().graphqlMutations;
      log(`  ${Math.round((reported - started) / 1000)} s: ${docs} X3 writes`);
    }
  }
  const peakRssMb = memoryMb(stack.pid).peakRss;
  const stats = x3.stats();
  const docs = x3.documents();
  const loadAfter = loadAverage();

  await stack.nodeRed.stop();
  return {
    backlog,
    from: plan.from,
    seedMs,
    wallMs: last.at - started,
    x3WallMs: last.at - (x3First ?? started),
    cpu: {
      total: last.cpu.total - cpuStart.total,
      user: last.cpu.user - cpuStart.user,
      system: last.cpu.system - cpuStart.system,
    },
    rssBeforeMb,
    peakRssMb,
    squareRequests: square.requestCounts(),
    x3: {
      requests: stats.requests,
      queries: stats.graphqlQueries,
      mutations: stats.graphqlMutations,
    },
    documents: {
      invoices: docs.invoices.length,
      entries: docs.entries.length,
      customers: docs.customers.filter((c) => !customersBefore.has(c.code))
        .length,
    },
    ledger: ledgerStates(stack.userDir),
    loadBefore,
    loadAfter,
    stack,
    customersBefore,
  };
}

function ledgerStates(userDir: string): Record<string, number> {
  const file = path.join(userDir, 'sqx3-ledger.sqlite');
  if (!fs.existsSync(file)) return {};
  const db = new Database(file, { readonly: true });
  try {
    const rows = db
      .prepare('SELECT state, COUNT(*) AS n FROM records GROUP BY state')
      .all() as { state: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  } finally {
    db.close();
  }
}
