#!/usr/bin/env node
// Square requests per 1,000 completed orders in a backfill: the emulator
// holds N completed sales (default 1000) over a few days and the three
// locations; one poll pass (lib/sync/poller.ts, as the poll node runs it)
// reads them from a backfill date, and the emulator counts every request.
// Run after the build: node bench/webhook-backfill-requests.js [orders]
'use strict';
const { createSquareEmulator } = require('../dist/sandbox/square/emulator');
const { SquareClient } = require('../dist/lib/square/client');
const { pollSquare } = require('../dist/lib/sync/poller');

const orders = Number(process.argv[2]) || 1000;
const LOCATIONS = ['L1HARBOURST01', 'L2MARKETSQ002', 'L3WEBSTORE003'];
const VARIATIONS = ['VAR_BEANS_HOUSE', 'VAR_MUG', 'VAR_FILTERS', 'VAR_GRINDER'];

(async () => {
  const square = createSquareEmulator({ seed: false });
  const url = await square.start();
  try {
    const start = Date.parse('2026-11-01T14:00:00Z');
    for (let i = 0; i < orders; i++) {
      square.createSale({
        locationId: LOCATIONS[i % LOCATIONS.length],
        at: new Date(start + i * 7 * 60_000).toISOString(),
        lines: [
          {
            variationId: VARIATIONS[i % VARIATIONS.length],
            quantity: 1 + (i % 3),
          },
        ],
        tenders:
          i % 5 === 0
            ? [{ type: 'CARD', brand: 'VISA', amount: 200 }, { type: 'CASH' }]
            : [{ type: 'CARD', brand: 'MASTERCARD' }],
      });
    }
    for (const readAhead of [false, true]) {
      await pass(square, url, readAhead);
    }
  } finally {
    await square.stop();
  }
})().catch((error) => {
  console.error(error);
  process.exit(1);
});

async function pass(square, url, readAhead) {
  {
    const before = square.requestCounts();
    const client = new SquareClient({
      baseUrl: url,
      getAccessToken: async () => 'sqx3-demo-token',
    });
    const cursors = new Map();
    let records = 0;
    await pollSquare(
      {
        client,
        cursors: {
          getCursor: (n) => cursors.get(n),
          setCursor: (n, v) => cursors.set(n, v),
        },
        cursorName: 'bench',
        locationIds: [],
        kinds: ['sale'],
        overlapSec: 300,
        backfillFrom: '2026-10-31T00:00:00Z',
        readAhead,
      },
      () => {
        records += 1;
      },
      'incremental',
      new Date('2026-12-01T00:00:00Z'),
    );
    const after = square.requestCounts();
    const delta = {};
    let total = 0;
    for (const [k, v] of Object.entries(after)) {
      const n = v - (before[k] || 0);
      if (n) {
        delta[k] = n;
        total += n;
      }
    }
    console.log(
      `readAhead ${readAhead}: ${records} sale records from ` +
        `${orders} completed orders`,
    );
    console.log(
      `${total} Square requests, ${((total * 1000) / orders).toFixed(0)} ` +
        'per 1,000 completed orders',
    );
    for (const [k, v] of Object.entries(delta).sort((a, b) => b[1] - a[1])) {
      console.log(`  ${String(v).padStart(6)}  ${k}`);
    }
  }
}
