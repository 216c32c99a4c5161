#!/usr/bin/env node
// npm run reconcile -- --from YYYY-MM-DD [--to YYYY-MM-DD] [--location ID]
//
// Square against X3, category by category. With SQX3_SQUARE_URL,
// SQX3_SQUARE_TOKEN, SQX3_X3_URL, SQX3_X3_ENDPOINT, SQX3_X3_CLIENT_ID,
// SQX3_X3_SECRET, SQX3_X3_USER and SQX3_MAPPING (a mapping CSV or JSON
// file) it reads the configured services. Without them it starts the
// demo's emulators on loopback, posts the seeded day (through SOAP with
// SQX3_X3_TRANSPORT=soap) and reconciles it.
// Exit code 0 when everything ties, 2 when there are differences.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const dist = path.resolve(__dirname, '..', 'dist');
const need = (p) => require(path.join(dist, p));

function args(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i].replace(/^--/, '');
    if (!['from', 'to', 'location', 'mode'].includes(name)) {
      throw new Error(`unknown option ${argv[i]}`);
    }
    out[name] = argv[i + 1];
  }
  return out;
}

function tablesFrom(file) {
  const text = fs.readFileSync(file, 'utf8');
  if (file.endsWith('.csv')) {
    return need('lib/ledger/mapping-csv.js').mappingFromCsv(text);
  }
  return need('lib/ledger/mapping-tables.js').parseMappingTables(text);
}

async function configured(env) {
  const { SquareClient } = need('lib/square/client.js');
  const { X3TokenManager } = need('lib/x3/jwt-manager.js');
  const { X3ReadBack } = need('lib/x3/read-back.js');
  const { SkuCache } = need('lib/ledger/catalog-skus.js');
  const square = new SquareClient({
    baseUrl: env.SQX3_SQUARE_URL,
    getAccessToken: async () => env.SQX3_SQUARE_TOKEN,
  });
  return {
    tables: tablesFrom(env.SQX3_MAPPING),
    // the SKU rows map lines by their catalog SKU, as the posting does
    skus: new SkuCache(square),
    square,
    x3: X3ReadBack.fromOptions({
      baseUrl: env.SQX3_X3_URL,
      endpoint: env.SQX3_X3_ENDPOINT || 'SEED',
      tokens: new X3TokenManager({
        mode: 'connected-app',
        clientId: env.SQX3_X3_CLIENT_ID,
        secret: env.SQX3_X3_SECRET,
        user: env.SQX3_X3_USER,
      }),
    }),
    stop: async () => undefined,
  };
}

async function demo(date) {
  const { createSquareEmulator } = need('sandbox/square/emulator.js');
  const { createX3Emulator } = need('sandbox/x3/emulator.js');
  const { seedX3 } = need('sandbox/seed/x3-setup.js');
  const { returningCustomers } = need('sandbox/seed/square-day.js');
  const { LOCATIONS } = need('sandbox/seed/business.js');
  const { SEED_SETUP } = need('sandbox/x3/fixtures.js');
  const { customerCode } = need('lib/ledger/reference.js');
  const { SquareClient } = need('lib/square/client.js');
  const { X3Gateway } = need('lib/x3/gateway.js');
  const { X3TokenManager } = need('lib/x3/jwt-manager.js');
  const { X3ReadBack } = need('lib/x3/read-back.js');
  const { postRecords, squareRecords } = need('lib/reconcile/index.js');
  const { SkuCache } = need('lib/ledger/catalog-skus.js');
  const demoAccess = need('sandbox/demo.js');

  const square = createSquareEmulator({ seed: { date } });
  const x3 = createX3Emulator();
  seedX3(x3, {
    customers: returningCustomers(date).map((c) => ({
      code: customerCode(c.id),
      name: c.name,
    })),
  });
  const client = new SquareClient({
    baseUrl: await square.start(0, '127.0.0.1'),
    getAccessToken: async () => demoAccess.DEMO_SQUARE_TOKEN,
  });
  const skus = new SkuCache(client);
  // SQX3_X3_TRANSPORT=soap posts the day through classic SOAP, as npm
  // start does; the read-back goes through GraphQL either way
  const soap = process.env.SQX3_X3_TRANSPORT === 'soap';
  if (soap) console.log('demo day posted through classic SOAP');
  const gateway = new X3Gateway({
    baseUrl: await x3.start(0, '127.0.0.1'),
    endpoint: 'SEED',
    ...(soap
      ? {
          transport: 'soap',
          soap: {
            user: demoAccess.DEMO_API1_USER,
            password: demoAccess.DEMO_API1_PASSWORD,
            poolAlias: 'SEED',
            codeLang: 'ENG',
          },
        }
      : {}),
    tokens: new X3TokenManager({
      mode: 'connected-app',
      clientId: 'sqx3-demo-app',
      secret: demoAccess.DEMO_JWT_SECRET,
      user: 'SQX3',
    }),
    setup: SEED_SETUP,
  });
  const flow = JSON.parse(
    fs.readFileSync(
      path.resolve(__dirname, '..', 'flows', 'Square to Sage X3.json'),
      'utf8',
    ),
  );
  const mapping = need('lib/ledger/mapping-tables.js').parseMappingTables(
    flow.find((n) => n.type === 'sqx3-mapping').tables,
  );

  const records = [];
  for (const l of LOCATIONS) {
    const location = await client.retrieveLocation(l.id);
    records.push(
      ...(await squareRecords(client, location, { from: date, to: date })),
    );
  }
  records.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'sale' ? -1 : 1));
  const posted = await postRecords(records, {
    tables: mapping,
    mode: 'invoice',
    skus,
    x3: gateway,
  });
  const stats = x3.stats();
  console.log(
    `demo day ${date}: ${posted.posted.length} records posted, ` +
      `${posted.skipped.length} skipped, ${posted.held.length} held ` +
      `(X3 took ${stats.graphqlMutations} GraphQL mutations, ` +
      `${stats.soapCalls.save} SOAP saves)`,
  );
  return {
    tables: mapping,
    skus,
    square: client,
    x3: X3ReadBack.of(gateway),
    stop: async () => {
      await square.stop();
      await x3.stop();
    },
  };
}

(async () => {
  const opts = args(process.argv.slice(2));
  const env = process.env;
  const live = Boolean(
    env.SQX3_SQUARE_URL && env.SQX3_X3_URL && env.SQX3_MAPPING,
  );
  let date = opts.from;
  if (!live && !date) {
    const { yesterdayIn } = need('sandbox/square/emulator.js');
    date = yesterdayIn('America/New_York', new Date());
  }
  const services = live ? await configured(env) : await demo(date);
  try {
    const { runReconciliation, formatReconciliation } = need(
      'lib/reconcile/index.js',
    );
    const results = await runReconciliation(
      {
        from: opts.from || date,
        to: opts.to,
        locationIds: opts.location ? [opts.location] : undefined,
      },
      { ...services, mode: opts.mode === 'journal' ? 'journal' : 'invoice' },
    );
    console.log(results.map(formatReconciliation).join('\n\n'));
    process.exitCode = results.every((r) => r.tied) ? 0 : 2;
  } finally {
    await services.stop();
  }
})().catch((error) => {
  console.error(`reconcile: ${error.message}`);
  process.exit(1);
});
