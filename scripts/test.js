#!/usr/bin/env node
// npm test after the build: unit tests of lib/, node tests through
// node-red-node-test-helper, then end-to-end tests against a real
// Node-RED process. Each stage stops the run if it fails.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

function specs(dir) {
  const full = path.join(root, 'dist', 'test', dir);
  if (!fs.existsSync(full)) return [];
  return fs
    .readdirSync(full)
    .filter((name) => name.endsWith('.test.js'))
    .map((name) => path.join(full, name));
}

const stages = [
  { name: 'unit', files: specs('unit'), concurrency: 2 },
  { name: 'nodes', files: specs('nodes'), concurrency: 1 },
  { name: 'e2e', files: specs('e2e'), concurrency: 1 },
];
const only = process.argv[2];
const totals = { pass: 0, fail: 0, skipped: 0 };

function runStage(stage) {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--test', `--test-concurrency=${stage.concurrency}`, ...stage.files],
      { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
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
    if (only && stage.name !== only) continue;
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
