#!/usr/bin/env node
// npm test after the build: unit tests of lib/, node tests through
// node-red-node-test-helper, end-to-end tests against a real Node-RED
// process, then the editor in headless Chromium. Each stage stops the run
// if it fails. `node scripts/test.js <stage>` runs one stage.
// SQX3_NODE_RED_DIST=<dir> runs the compiled tests found there instead
// (scripts/test-node-red-5.js uses it for its copy under .nr5/), and
// SQX3_TEST_EXCLUDE=<regexp> leaves out the test files whose name matches.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const dist = process.env.SQX3_NODE_RED_DIST || path.join(root, 'dist');
const chromium = process.env.SQX3_CHROMIUM || '/usr/bin/chromium';
const exclude = process.env.SQX3_TEST_EXCLUDE
  ? new RegExp(process.env.SQX3_TEST_EXCLUDE)
  : null;

function specs(dir) {
  const full = path.join(dist, 'test', dir);
  if (!fs.existsSync(full)) return [];
  return fs
    .readdirSync(full)
    .filter((name) => name.endsWith('.test.js'))
    .filter((name) => !exclude || !exclude.test(name))
    .map((name) => path.join(full, name));
}

const stages = [
  { name: 'unit', files: specs('unit'), concurrency: 2 },
  { name: 'nodes', files: specs('nodes'), concurrency: 1 },
  { name: 'e2e', files: specs('e2e'), concurrency: 1 },
  { name: 'browser', files: specs('browser'), concurrency: 1 },
];
const only = process.argv.slice(2);
const totals = { pass: 0, fail: 0, skipped: 0 };

function runStage(stage) {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--test', `--test-concurrency=${stage.concurrency}`, ...stage.files],
      { cwd: path.dirname(dist), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let tail = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      tail = (tail + chunk.toString('utf8')).slice(-4000);
    });
    child.on('close', (code) => {
      for (const key of Object.keys(totals)) {
        const match = tail.match(new RegExp(`^# ${key} (\\d+)$`, 'm'));
        if (match) totals[key] += Number(match[1]);
      }
      resolve(code ?? 1);
    });
  });
}

(async () => {
  for (const stage of stages) {
    if (only.length && !only.includes(stage.name)) continue;
    if (
      stage.name === 'browser' &&
      !fs.existsSync(chromium) &&
      !process.env.CI
    ) {
      console.log(
        `\n== browser tests skipped: ${chromium} is missing ` +
          '(apt-get install chromium); CI installs it and runs them',
      );
      continue;
    }
    if (stage.files.length === 0) {
      console.error(`test: no ${stage.name} tests found`);
      process.exit(1);
    }
    console.log(`\n== ${stage.name} tests (${stage.files.length} files)`);
    const code = await runStage(stage);
    if (code !== 0) {
      console.log(`\n${totals.pass} passed, ${totals.fail || 1} failed`);
      process.exit(code);
    }
  }
  const skipped = totals.skipped ? `, ${totals.skipped} skipped` : '';
  console.log(`\n${totals.pass} passed, ${totals.fail} failed${skipped}`);
})();
