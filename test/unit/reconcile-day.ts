import * as fs from 'node:fs';
import * as path from 'node:path';
import { SquareClient } from '../../lib/square/client';
import type { Location } from '../../lib/square/types';
import { customerCode } from '../../lib/ledger/reference';
import { parseMappingTables } from '../../lib/ledger/mapping-tables';
import type { MappingTables, X3Document } from '../../lib/ledger/types';
import type { SyncRecord } from '../../lib/sync/record';
import { X3Gateway } from '../../lib/x3/gateway';
import { X3ReadBack } from '../../lib/x3/read-back';
import { postRecords, squareRecords } from '../../lib/reconcile';
import {
  createSquareEmulator,
  yesterdayIn,
} from '../../sandbox/square/emulator';
import { createX3Emulator } from '../../sandbox/x3/emulator';
import { SEED_SETUP } from '../../sandbox/x3/fixtures';
import { seedX3 } from '../../sandbox/seed/x3-setup';
import { returningCustomers } from '../../sandbox/seed/square-day';
import { LOCATIONS, SEED_TIMEZONE } from '../../sandbox/seed/business';
import { demoTokens } from './x3-demo';

// The seeded demo day, posted into a fresh X3 emulator straight through
// the posting rules with the example flow's mapping tables, for the
// reconciliation tests. Both emulators run in this process on loopback.

export const PACKAGE_ROOT = path.resolve(__dirname, '..', '..', '..');

export function exampleTables(): MappingTables {
  const file = path.join(PACKAGE_ROOT, 'flows', 'Square to Sage X3.json');
  const flow = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    type: string;
    tables?: string;
  }[];
  const node = flow.find((n) => n.type === 'sqx3-mapping');
  return parseMappingTables(node?.tables);
}

export interface Day {
  date: string;
  squareUrl: string;
  x3Url: string;
  square: ReturnType<typeof createSquareEmulator>;
  x3: ReturnType<typeof createX3Emulator>;
  client: SquareClient;
  gateway: X3Gateway;
  readBack: X3ReadBack;
  tables: MappingTables;
  locations: Location[];
  stop(): Promise<void>;
}

export async function startDay(date = yesterdayIn(SEED_TIMEZONE, new Date())) {
  const square = createSquareEmulator({ seed: { date } });
  const x3 = createX3Emulator();
  seedX3(x3, {
    customers: returningCustomers(date).map((c) => ({
      code: customerCode(c.id),
      name: c.name,
    })),
  });
  const squareUrl = await square.start(0, '127.0.0.1');
  const x3Url = await x3.start(0, '127.0.0.1');
  const client = new SquareClient({
    baseUrl: squareUrl,
    getAccessToken: async () => 'sqx3-demo-token',
  });
  const tokens = demoTokens();
  const gateway = new X3Gateway({
    baseUrl: x3Url,
    endpoint: 'SEED',
    tokens,
    setup: SEED_SETUP,
    backoff: { attempts: 2, baseMs: 1, maxMs: 5 },
  });
  const locations: Location[] = [];
  for (const l of LOCATIONS)
    locations.push(await client.retrieveLocation(l.id));
  const day: Day = {
    date,
    squareUrl,
    x3Url,
    square,
    x3,
    client,
    gateway,
    readBack: X3ReadBack.of(gateway),
    tables: exampleTables(),
    locations,
    async stop() {
      await square.stop();
      await x3.stop();
    },
  };
  return day;
}

/** Every record of the day at every location: sales first, then refunds. */
export async function dayRecords(day: Day): Promise<SyncRecord[]> {
  const all: SyncRecord[] = [];
  for (const location of day.locations) {
    all.push(
      ...(await squareRecords(day.client, location, {
        from: day.date,
        to: day.date,
      })),
    );
  }
  return [
    ...all.filter((r) => r.kind === 'sale'),
    ...all.filter((r) => r.kind === 'refund'),
  ];
}

export async function postDay(
  day: Day,
  transform?: (doc: X3Document, record: SyncRecord) => X3Document,
) {
  const records = await dayRecords(day);
  const result = await postRecords(records, {
    tables: day.tables,
    mode: 'invoice',
    x3: day.gateway,
    transform,
  });
  return { records, result };
}
