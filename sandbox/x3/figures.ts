import fs from 'node:fs';
import path from 'node:path';
import { X3Gateway } from '../../lib/x3/gateway';
import { X3AuthSettings, X3TokenManager } from '../../lib/x3/jwt-manager';
import { X3RestClient } from '../../lib/x3/rest-client';
import { parseMappingTables } from '../../lib/ledger/mapping-tables';
import { resolveMapping } from '../../lib/ledger/mapping';
import { planPosting } from '../../lib/ledger/plan';
import { customerCode } from '../../lib/ledger/reference';
import { SquareClient } from '../../lib/square/client';
import {
  refundRecord,
  saleRecordForOrder,
} from '../../lib/square/fetch-record';
import { Ledger } from '../../lib/store/ledger';
import { syncCustomer } from '../../lib/sync/customer-step';
import { postStep } from '../../lib/sync/write-step';
import type { SyncRecord } from '../../lib/sync/record';
import { createSquareEmulator, yesterdayIn } from '../square/emulator';
import { SEED_TIMEZONE } from '../seed/business';
import { returningCustomers, seedSummary } from '../seed/square-day';
import { seedX3 } from '../seed/x3-setup';
import { createX3Emulator, X3EmulatorStats } from './emulator';
import { SEED_SETUP, sampleRevenueEntry } from './fixtures';

// The X3 figures of the closing note, measured against the emulators:
// token renewals per hour of continuous posting in each auth mode (on an
// injected clock, so an hour takes a second or two), and X3 requests per
// posted sale when the seeded Square day goes through the gateway.
// `node dist/sandbox/x3/figures.js` prints them.

export type AuthMode = X3AuthSettings['mode'];

export interface RenewalFigure {
  mode: AuthMode;
  hours: number;
  calls: number;
  failed: number;
  /** signed JWTs or refresh grants, as the token manager counts them */
  renewals: number;
  /** refresh grants the emulator's token endpoint answered */
  tokenRefreshes: number;
  unauthorized: number;
}

const CLOUD = {
  clientId: 'figures-app',
  clientSecret: 'figures-secret',
  refreshToken: 'figures-first-refresh',
};

function settings(mode: AuthMode, baseUrl: string): X3AuthSettings {
  if (mode === 'basic')
    return { mode, username: 'sqx3', password: 'sqx3-demo' };
  if (mode === 'connected-app') {
    return {
      mode,
      clientId: 'sqx3-demo-app',
      secret: 'sqx3-demo-jwt-secret',
      user: 'SQX3',
      validitySeconds: 600,
    };
  }
  return {
    mode,
    tokenUrl: `${baseUrl}/v1/token`,
    ...CLOUD,
    persistTokens: () => undefined,
  };
}

/**
 * One call every `stepSeconds` for `hours` of emulated time. Basic auth
 * cannot post through GraphQL, so in that mode the calls are api1 reads.
 */
export async function renewalsPerHour(
  mode: AuthMode,
  hours = 1,
  stepSeconds = 10,
): Promise<RenewalFigure> {
  let clock = Date.parse('2026-03-14T15:00:00Z');
  const x3 = createX3Emulator({ now: () => clock, cloud: CLOUD });
  const baseUrl = await x3.start();
  try {
    const tokens = new X3TokenManager(settings(mode, baseUrl), {
      now: () => clock,
    });
    const once = { attempts: 1, baseMs: 1, maxMs: 1 };
    const gateway = new X3Gateway({
      baseUrl,
      endpoint: 'SEED',
      tokens,
      setup: SEED_SETUP,
      backoff: once,
    });
    const rest = new X3RestClient({
      baseUrl,
      endpoint: 'SEED',
      backoff: once,
      basic: { user: 'sqx3', password: 'sqx3-demo' },
    });
    let calls = 0;
    let failed = 0;
    for (let t = 0; t < hours * 3600; t += stepSeconds) {
      try {
        if (mode === 'basic') {
          await tokens.authorization();
          await rest.query('FACILITY');
        } else {
          await gateway.postDocument(
            sampleRevenueEntry(`RUN${t}`, '2026-03-14'),
          );
        }
      } catch {
        failed++;
      }
      calls++;
      clock += stepSeconds * 1000;
    }
    const stats = x3.stats();
    return {
      mode,
      hours,
      calls,
      failed,
      renewals: tokens.state.renewals,
      tokenRefreshes: stats.tokenRefreshes,
      unauthorized: stats.unauthorized,
    };
  } finally {
    await x3.stop();
  }
}

export interface SeededDayFigure {
  date: string;
  sales: number;
  refunds: number;
  held: number;
  invoices: number;
  entries: number;
  customersCreated: number;
  customersUpdated: number;
  stats: X3EmulatorStats;
  /** X3 calls (GraphQL and token) per posted sale, refunds counted apart */
  requestsPerSale: number;
  requestsPerRefund: number;
}

function exampleTables() {
  const file = path.resolve(
    __dirname,
    '..',
    '..',
    '..',
    'flows',
    'Square to Sage X3.json',
  );
  const flow = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    type: string;
    tables?: string;
  }[];
  const node = flow.find((n) => n.type === 'sqx3-mapping');
  return parseMappingTables(node?.tables);
}

/** The seeded Square day through the gateway, the way the nodes post it. */
export async function seededDayRequests(
  date = yesterdayIn(SEED_TIMEZONE, new Date()),
): Promise<SeededDayFigure> {
  const square = createSquareEmulator({ seed: { date } });
  const x3 = createX3Emulator();
  seedX3(x3, {
    customers: returningCustomers().map((c) => ({
      code: customerCode(c.id),
      name: c.name,
    })),
  });
  const squareUrl = await square.start(0, '127.0.0.1');
  const baseUrl = await x3.start();
  const ledger = Ledger.open(':memory:');
  try {
    const client = new SquareClient({
      baseUrl: squareUrl,
      getAccessToken: async () => 'sqx3-demo-token',
    });
    const gateway = new X3Gateway({
      baseUrl,
      endpoint: 'SEED',
      setup: SEED_SETUP,
      tokens: new X3TokenManager(settings('connected-app', baseUrl)),
    });
    const tables = exampleTables();
    const summary = seedSummary(date);
    let held = 0;
    let customersCreated = 0;
    let customersUpdated = 0;

    const post = async (record: SyncRecord | null) => {
      if (!record) return false;
      ledger.receive(record);
      const result = resolveMapping(record, tables, { mode: 'invoice' });
      if (!result.ok) {
        held++;
        return false;
      }
      const customer = await syncCustomer(
        ledger,
        gateway,
        record,
        result.mapping,
      );
      if (customer.action === 'created') customersCreated++;
      if (customer.action === 'updated') customersUpdated++;
      const mapping = customer.code
        ? { ...result.mapping, customer: customer.code }
        : result.mapping;
      const plan = planPosting(record, mapping, {
        mode: 'invoice',
        itemisedCreditMemo: true,
      });
      await postStep({ ledger, x3: gateway, plan, mine: () => true });
      return true;
    };

    let sales = 0;
    for (const id of summary.completedOrderIds) {
      if (await post(await saleRecordForOrder(client, id, 'poll'))) sales++;
    }
    const afterSales = x3.stats();
    let refunds = 0;
    for (const id of summary.refundIds) {
      if (await post(await refundRecord(client, id, 'poll'))) refunds++;
    }
    const stats = x3.stats();
    const docs = x3.documents();
    return {
      date,
      sales,
      refunds,
      held,
      invoices: docs.invoices.length,
      entries: docs.entries.length,
      customersCreated,
      customersUpdated,
      stats,
      requestsPerSale: afterSales.requests / sales,
      requestsPerRefund:
        (stats.requests - afterSales.requests) / Math.max(1, refunds),
    };
  } finally {
    ledger.close();
    await square.stop();
    await x3.stop();
  }
}

async function main(): Promise<void> {
  for (const mode of ['basic', 'connected-app', 'cloud-oauth'] as const) {
    const f = await renewalsPerHour(mode);
    console.log(
      `${mode}: ${f.renewals} token renewals in ${f.hours} h of ` +
        `continuous calls (${f.calls} calls, ${f.failed} failed, ` +
        `${f.unauthorized} refused with 401)`,
    );
  }
  const day = await seededDayRequests();
  console.log(
    `seeded day ${day.date}: ${day.sales} sales, ${day.refunds} refunds ` +
      `posted (${day.held} held); X3 holds ${day.invoices} invoices, ` +
      `${day.entries} entries, ${day.customersCreated} customers created, ` +
      `${day.customersUpdated} updated`,
  );
  console.log(
    `X3 requests per posted sale: ${day.requestsPerSale.toFixed(2)} ` +
      `(GraphQL queries ${day.stats.graphqlQueries}, mutations ` +
      `${day.stats.graphqlMutations} over the day); per refund: ` +
      `${day.requestsPerRefund.toFixed(2)}`,
  );
}

if (require.main === module) {
  main().catch((error: Error) => {
    console.error(error.message);
    process.exit(1);
  });
}
