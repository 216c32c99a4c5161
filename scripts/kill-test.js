#!/usr/bin/env node
// The full-size kill test: a backfill of 2,000 Square sales through a
// real Node-RED, killed with SIGKILL at 10 random moments and restarted
// each time. Run `npm run build` first. Sizes: --sales N --kills K,
// --seed S to repeat a run.
'use strict';
const path = require('node:path');

const args = process.argv.slice(2);
function option(name, fallback) {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
}

const harness = path.resolve(
  __dirname,
  '..',
  'dist',
  'test',
  'e2e',
  'kill-harness.js',
);
const { runKillTest } = require(harness);

(async () => {
  const sales = option('sales', 2000);
  const kills = option('kills', 10);
  const seed = option('seed', Date.now() % 2 ** 31);
  console.log(`kill test: ${sales} sales, ${kills} kills, seed ${seed}`);
  const figures = await runKillTest({
    sales,
    kills,
    seed,
    settleTimeoutMs: option('timeout', 600) * 1000,
    log: (line) => console.log(line),
  });
  console.log(JSON.stringify(figures, null, 2));
  const ok =
    figures.x3Invoices === figures.squareSales &&
    figures.x3Reversals === figures.squareRefunds &&
    figures.duplicateReferences === 0 &&
    figures.missingInvoices === 0 &&
    figures.missingReversals === 0 &&
    figures.incompleteTrails.length === 0 &&
    figures.settled &&
    figures.foundInX3 >= figures.committedUnrecorded;
  console.log(ok ? 'kill test passed' : 'kill test FAILED');
  process.exit(ok ? 0 : 1);
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
