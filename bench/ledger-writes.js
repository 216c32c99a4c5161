#!/usr/bin/env node
// Ledger writes per second, sustained, on a real file (WAL, synchronous
// FULL: each write is on disk when it returns). One "sale" is the writes
// a posted sale costs: receive, mapped, posting, and for each of three
// documents markPosting + markPosted + a trail line, then posted.
// Run `npm run build` first; `node bench/ledger-writes.js [seconds]`.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Ledger } = require('../dist/lib/store/ledger');

const seconds = Number(process.argv[2]) || 10;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqx3-bench-'));
const ledger = Ledger.open(path.join(dir, 'ledger.sqlite'));

function sale(i) {
  return {
    key: `sale:BENCH${i}`,
    kind: 'sale',
    version: '1',
    source: 'poll',
    square: {
      order: {
        id: `BENCH${i}`,
        location_id: 'L1HARBOURST01',
        state: 'COMPLETED',
        closed_at: new Date().toISOString(),
        line_items: [{ name: 'beans', quantity: '2' }],
      },
      payments: [],
    },
  };
}

let writes = 0;
let sales = 0;
const started = process.hrtime.bigint();
const deadline = Date.now() + seconds * 1000;
while (Date.now() < deadline) {
  const record = sale(sales);
  ledger.receive(record);
  ledger.setState(record.key, 'mapped');
  ledger.setState(record.key, 'posting');
  writes += 3;
  for (const kind of ['invoice', 'receipt', 'fee']) {
    const docKey = `${record.key}#${kind}`;
    ledger.markPosting(docKey, record.key, 'entry', `REF${sales}${kind}`);
    ledger.markPosted(docKey, `N${sales}${kind}`);
    ledger.trail(record.key, 'posted-document', `${kind} N${sales}`);
    writes += 3;
  }
  ledger.setState(record.key, 'posted');
  writes += 1;
  sales += 1;
}
const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
ledger.close();
fs.rmSync(dir, { recursive: true, force: true });
console.log(
  JSON.stringify({
    seconds: Number(elapsed.toFixed(1)),
    writes,
    writesPerSecond: Math.round(writes / elapsed),
    salesPerSecond: Math.round(sales / elapsed),
  }),
);
