import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { customerCode } from '../../lib/ledger/reference';
import type { Order, PaymentRefund } from '../../lib/square/types';
import { demoFlow, freePort, loadExampleFlow } from '../../sandbox/demo';
import {
  deployFlow,
  startNodeRed,
  type NodeRedProcess,
} from '../../sandbox/node-red-process';
import { LOCATIONS, SEED_TIMEZONE } from '../../sandbox/seed/business';
import { returningCustomers } from '../../sandbox/seed/square-day';
import { seedX3 } from '../../sandbox/seed/x3-setup';
import {
  createSquareEmulator,
  yesterdayIn,
} from '../../sandbox/square/emulator';
import { createX3Emulator } from '../../sandbox/x3/emulator';

// The kill test: a backfill of many Square sales through a real Node-RED
// with the example flow, killed with SIGKILL at random moments (once
// right after X3 committed a document whose answer never came back) and
// restarted on the same user directory each time. The emulators live in
// this process, so they outlive every kill. At the end X3 must hold one
// invoice per completed order, one reversal per refund, no reference
// twice, and every record's trail must be complete.

export interface KillOptions {
  sales: number;
  kills: number;
  /** one sale in this many gets a refund */
  refundEvery?: number;
  /** give up waiting for the backlog after this long */
  settleTimeoutMs?: number;
  seed?: number;
  log?: (line: string) => void;
}

export interface KillFigures {
  squareSales: number;
  squareRefunds: number;
  x3Invoices: number;
  x3Reversals: number;
  x3Documents: number;
  duplicateReferences: number;
  missingInvoices: number;
  missingReversals: number;
  incompleteTrails: string[];
  kills: number;
  /** documents found in X3 by reference after a kill, not posted again */
  foundInX3: number;
  /** the kill that followed a commit whose answer was lost */
  killedAfterCommit: boolean;
  /** documents X3 held at a kill while the ledger still said posting */
  committedUnrecorded: number;
  /** false when the backlog was still unfinished at the deadline */
  settled: boolean;
  seconds: number;
}

const ours = new Set(LOCATIONS.map((location) => location.id));
const VARIATIONS = [
  'VAR_BEANS_HOUSE',
  'VAR_BEANS_DECAF',
  'VAR_MUG',
  'VAR_GRINDER',
  'VAR_FILTERS',
];
const SECRET = 'sqx3-kill-test-credential-secret';

/** A small seeded generator, so a failing run can be repeated. */
function generator(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(
  what: string,
  probe: () => boolean,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

function seedSales(
  square: ReturnType<typeof createSquareEmulator>,
  opts: KillOptions,
  random: () => number,
): void {
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
  const start = Date.now() - opts.sales * 1000 - 60_000;
  for (let i = 0; i < opts.sales; i++) {
    const { order, payments } = square.createSale({
      at: new Date(start + i * 1000).toISOString(),
      locationId: pick(LOCATIONS).id,
      lines: [
        {
          variationId: pick(VARIATIONS),
          quantity: 1 + Math.floor(random() * 3),
        },
        ...(random() < 0.5 ? [{ variationId: pick(VARIATIONS) }] : []),
      ],
      ...(random() < 0.7
        ? {
            tenders: [{ type: 'CARD' as const, brand: 'VISA' }],
            tip: random() < 0.3 ? 100 : undefined,
          }
        : { tenders: [{ type: 'CASH' as const }] }),
    });
    if (i % (opts.refundEvery ?? 10) !== 5) continue;
    const itemised = random() < 0.5;
    square.createRefund({
      paymentId: payments[0].id,
      at: new Date(start + i * 1000 + 500).toISOString(),
      ...(itemised
        ? { lines: [{ lineUid: order.line_items![0].uid!, quantity: 1 }] }
        : { amount: 100 }),
    });
  }
}

export async function runKillTest(opts: KillOptions): Promise<KillFigures> {
  const log = opts.log ?? (() => undefined);
  const random = generator(opts.seed ?? Date.now());
  const began = Date.now();
  const seedDate = yesterdayIn(SEED_TIMEZONE, new Date());
  const square = createSquareEmulator({ seed: { date: seedDate } });
  const x3 = createX3Emulator();
  seedX3(x3, {
    customers: returningCustomers(seedDate).map((c) => ({
      code: customerCode(c.id),
      name: c.name,
    })),
  });
  seedSales(square, opts, random);
  const squareUrl = await square.start(0, '127.0.0.1');
  const x3Url = await x3.start(0, '127.0.0.1');
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqx3-kill-'));
  const port = await freePort();
  const ledgerFile = path.join(userDir, 'sqx3-ledger.sqlite');
  let nodeRed: NodeRedProcess | undefined;

  const start = () =>
    startNodeRed({
      packageRoot: path.resolve(__dirname, '..', '..', '..'),
      userDir,
      port,
      credentialSecret: SECRET,
      log: (line) => {
        if (/\[(error|warn)\]/.test(line)) log(`[node-red] ${line}`);
      },
    });

  const sales = [...square.store.orders.values()].filter(
    (order: Order) =>
      ours.has(order.location_id) &&
      order.state === 'COMPLETED' &&
      (order.line_items ?? []).length > 0 &&
      (order.returns ?? []).length === 0,
  );
  const refunds = [...square.store.refunds.values()].filter(
    (refund: PaymentRefund) =>
      ours.has(refund.location_id ?? '') && refund.status === 'COMPLETED',
  );
  const invoicesNow = () =>
    x3.documents().invoices.filter((i) => i.invoiceType === 'SQINV').length;

  try {
    nodeRed = await start();
    await deployFlow(
      nodeRed.url,
      demoFlow(loadExampleFlow(path.resolve(__dirname, '..', '..', '..')), {
        square: squareUrl,
        x3: x3Url,
        notificationUrl: `${nodeRed.url}/square/webhook`,
        backfillFrom: `${seedDate}T00:00:00Z`,
        firstPollDelaySec: 1,
      }),
    );
    log(`seeded ${sales.length} sales and ${refunds.length} refunds`);

    let killedAfterCommit = false;
    const committedUnrecorded = new Set<string>();
    const faultAt = Math.floor(random() * opts.kills);
    for (let k = 0; k < opts.kills; k++) {
      // Spread the kills over the backfill, each at a random point.
      const share = (k + random() * 0.8 + 0.1) / (opts.kills + 0.5);
      const target = Math.max(1, Math.floor(share * sales.length));
      await until(
        `${target} invoices before kill ${k + 1}`,
        () => invoicesNow() >= target,
        opts.settleTimeoutMs ?? 90_000,
      );
      if (k === faultAt) {
        // The held-back answer may be a customer's; arm again until an
        // invoice or entry is in X3 while the ledger still says posting.
        for (let tries = 0; !killedAfterCommit && tries < 20; tries++) {
          x3.setFault({
            kind: 'commit-then-timeout',
            count: 1,
            closeAfterMs: 60_000,
          });
          await until(
            'a commit whose answer is held back',
            () => unrecorded(ledgerFile, x3.documents()).length > 0,
            3000,
          ).then(
            () => (killedAfterCommit = true),
            () => undefined,
          );
        }
      }
      await nodeRed.stop('SIGKILL');
      x3.setFault({ kind: 'none' });
      const open = unrecorded(ledgerFile, x3.documents());
      for (const docKey of open) committedUnrecorded.add(docKey);
      log(
        `kill ${k + 1} at ${invoicesNow()} invoices; in X3 but not ` +
          `recorded: ${open.length}`,
      );
      nodeRed = await start();
    }

    let settled = true;
    await until(
      'the backlog to settle',
      () => {
        const docs = x3.documents();
        const reversals = docs.entries.filter(
          (e) => e.journalEntryType === 'SQREV',
        );
        return (
          invoicesNow() >= sales.length &&
          reversals.length >= refunds.length &&
          unfinished(ledgerFile) === 0
        );
      },
      opts.settleTimeoutMs ?? 90_000,
    ).catch((error: Error) => {
      // The counts below say what is missing.
      log(error.message);
      settled = false;
    });
    await sleep(1500);
    await nodeRed.stop('SIGTERM');
    nodeRed = undefined;

    return {
      ...count(x3.documents(), sales, refunds, ledgerFile),
      kills: opts.kills,
      killedAfterCommit,
      committedUnrecorded: committedUnrecorded.size,
      settled,
      seconds: Math.round((Date.now() - began) / 1000),
    };
  } finally {
    await nodeRed?.stop('SIGKILL');
    await square.stop();
    await x3.stop();
    fs.rmSync(userDir, { recursive: true, force: true });
  }
}

/** Documents X3 holds that the ledger still has as posting. */
function unrecorded(
  file: string,
  docs: ReturnType<ReturnType<typeof createX3Emulator>['documents']>,
): string[] {
  if (!fs.existsSync(file)) return [];
  const inX3 = new Set([
    ...docs.invoices.map((i) => i.customerReference),
    ...docs.entries.map((e) => e.sourceDocument),
  ]);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare(
        "SELECT doc_key, reference FROM documents WHERE state = 'posting'",
      )
      .all() as { doc_key: string; reference: string }[];
    return rows.filter((r) => inX3.has(r.reference)).map((r) => r.doc_key);
  } finally {
    db.close();
  }
}

type Counts = Omit<
  KillFigures,
  'kills' | 'killedAfterCommit' | 'committedUnrecorded' | 'settled' | 'seconds'
>;

function unfinished(file: string): number {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const row = db
      .prepare(
        `SELECT COUNT(*) AS n FROM records
      WHERE state IN ('received', 'mapped', 'posting')`,
      )
      .get() as { n: number };
    return row.n;
  } finally {
    db.close();
  }
}

function count(
  docs: ReturnType<ReturnType<typeof createX3Emulator>['documents']>,
  sales: Order[],
  refunds: PaymentRefund[],
  ledgerFile: string,
): Counts {
  const invoices = docs.invoices.filter((i) => i.invoiceType === 'SQINV');
  const reversals = docs.entries.filter((e) => e.journalEntryType === 'SQREV');
  const references = [
    ...docs.invoices.map((i) => i.customerReference),
    ...docs.entries.map((e) => e.sourceDocument),
  ];
  const numbers = new Set([
    ...docs.invoices.map((i) => i.id),
    ...docs.entries.map((e) => e.id),
  ]);

  const db = new Database(ledgerFile, { readonly: true, fileMustExist: true });
  try {
    const documents = db.prepare(
      'SELECT type, state, number, reference FROM documents WHERE record_key = ?',
    );
    const record = db.prepare('SELECT state FROM records WHERE key = ?');
    const stages = db.prepare('SELECT stage FROM trail WHERE key = ?');
    const incomplete: string[] = [];
    let missingInvoices = 0;
    let missingReversals = 0;
    const check = (key: string, wantType: string) => {
      const state = (record.get(key) as { state: string } | undefined)?.state;
      const rows = documents.all(key) as {
        type: string;
        state: string;
        number: string | null;
        reference: string;
      }[];
      const trail = (stages.all(key) as { stage: string }[]).map(
        (r) => r.stage,
      );
      const ok =
        state === 'posted' &&
        rows.length > 0 &&
        rows.every(
          (r) => r.state === 'posted' && numbers.has(r.number ?? ''),
        ) &&
        trail.includes('received') &&
        trail.includes('posted');
      if (!ok) incomplete.push(`${key} (${state ?? 'absent'})`);
      return rows.some((r) => r.type === wantType && r.state === 'posted');
    };
    for (const order of sales) {
      if (!check(`sale:${order.id}`, 'invoice')) missingInvoices += 1;
    }
    for (const refund of refunds) {
      if (!check(`refund:${refund.id}`, 'entry')) missingReversals += 1;
    }
    const found = db
      .prepare("SELECT COUNT(*) AS n FROM trail WHERE stage = 'found-in-x3'")
      .get() as { n: number };

    return {
      squareSales: sales.length,
      squareRefunds: refunds.length,
      x3Invoices: invoices.length,
      x3Reversals: reversals.length,
      x3Documents: docs.invoices.length + docs.entries.length,
      duplicateReferences: references.length - new Set(references).size,
      missingInvoices,
      missingReversals,
      incompleteTrails: incomplete,
      foundInX3: found.n,
    };
  } finally {
    db.close();
  }
}
