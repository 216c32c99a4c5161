import * as fs from 'node:fs';
import * as readline from 'node:readline';
import { SquareClient } from '../lib/square/client';
import { exchange } from '../lib/x3/http';
import { X3TokenManager } from '../lib/x3/jwt-manager';

// The floor, run in its own process: the fewest HTTP requests the synced
// documents need, in a tight loop, with the connector's own clients (its
// Square client on axios, its X3 exchange on Node's http, both keeping
// connections alive).
// Square: every page of the window once, nothing read twice except the
// orders a refund page points at (one batch call per page). X3: one
// create per document, bodies built beforehand from what the connector
// posted, so no mapping or ledger work is counted here.

export interface BaselineInput {
  squareUrl: string;
  squareToken: string;
  x3Url: string;
  endpoint: string;
  jwt: { clientId: string; secret: string; user: string };
  window: { begin: string; end: string };
  /** one GraphQL request body (JSON) per line */
  bodiesFile: string;
}

export interface BaselineOutput {
  wallMs: number;
  cpuMs: number;
  cpuSplitMs: { user: number; system: number };
  peakRssMb: number;
  x3Writes: number;
  objects: {
    orders: number;
    payments: number;
    refunds: number;
    customers: number;
  };
}

async function readSquare(input: BaselineInput) {
  const client = new SquareClient({
    baseUrl: input.squareUrl,
    getAccessToken: async () => input.squareToken,
  });
  const objects = { orders: 0, payments: 0, refunds: 0, customers: 0 };
  const { begin, end } = input.window;

  const locations = (await client.listLocations()).map((l) => l.id);
  const orders = client.searchOrders({
    location_ids: locations,
    query: {
      filter: {
        state_filter: { states: ['COMPLETED'] },
        date_time_filter: { updated_at: { start_at: begin, end_at: end } },
      },
      sort: { sort_field: 'UPDATED_AT', sort_order: 'ASC' },
    },
    limit: 500,
  });
  for await (const page of orders) objects.orders += page.orders?.length ?? 0;
  for (const location_id of locations) {
    const pages = client.listPayments({
      location_id,
      begin_time: begin,
      end_time: end,
      limit: 100,
    });
    for await (const page of pages) {
      objects.payments += page.payments?.length ?? 0;
    }
  }
  const refunds = client.listRefunds({
    updated_at_begin_time: begin,
    updated_at_end_time: end,
    begin_time: '2000-01-01T00:00:00Z',
    limit: 100,
  });
  for await (const page of refunds) {
    const list = page.refunds ?? [];
    objects.refunds += list.length;
    const ids = list.map((r) => r.order_id).filter((id): id is string => !!id);
    if (ids.length === 0) continue;
    const returns = await client.batchRetrieveOrders(ids);
    const sales = returns.flatMap((o) =>
      (o.returns ?? []).map((r) => r.source_order_id ?? '').filter(Boolean),
    );
    await client.batchRetrieveOrders(sales);
  }
  const customers = client.searchCustomers({
    limit: 100,
    query: { filter: { updated_at: { start_at: begin, end_at: end } } },
  });
  for await (const page of customers) {
    objects.customers += page.customers?.length ?? 0;
  }
  return objects;
}

async function postX3(input: BaselineInput): Promise<number> {
  const tokens = new X3TokenManager({ mode: 'connected-app', ...input.jwt });
  const url = `${input.x3Url.replace(/\/+$/, '')}/xtrem/api`;
  const lines = readline.createInterface({
    input: fs.createReadStream(input.bodiesFile, 'utf8'),
    crlfDelay: Infinity,
  });
  let posted = 0;
  for await (const body of lines) {
    if (!body) continue;
    posted++;
    const res = await exchange(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: await tokens.authorization(),
          'x-xtrem-endpoint': input.endpoint,
        },
        body,
      },
      { timeoutMs: 30_000 },
    );
    const answer = JSON.parse(res.text) as { errors?: unknown[] };
    if (res.status !== 200 || answer.errors?.length) {
      throw new Error(`X3 refused a baseline write: ${JSON.stringify(answer)}`);
    }
  }
  return posted;
}

export async function runBaselineInProcess(
  input: BaselineInput,
): Promise<BaselineOutput> {
  const cpu = process.cpuUsage();
  const started = Date.now();
  const objects = await readSquare(input);
  const x3Writes = await postX3(input);
  const used = process.cpuUsage(cpu);
  return {
    wallMs: Date.now() - started,
    cpuMs: (used.user + used.system) / 1000,
    cpuSplitMs: { user: used.user / 1000, system: used.system / 1000 },
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    x3Writes,
    objects,
  };
}

if (require.main === module) {
  const input = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  runBaselineInProcess(input as BaselineInput).then(
    (output) => {
      process.stdout.write(`${JSON.stringify(output)}\n`);
    },
    (error: Error) => {
      process.stderr.write(`baseline failed: ${error.message}\n`);
      process.exit(1);
    },
  );
}
