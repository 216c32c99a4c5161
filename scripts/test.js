#!/usr/bin/env node
// npm test after the build: unit tests of lib/, node tests through
// node-red-node-test-helper, then end-to-end tests against a real
// Node-RED process. Each stage stops the run if it fails.
'use strict';
const { spawnSync } = require('node:child_process');
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

for (const stage of stages) {
  if (only && stage.name !== only) continue;
  if (stage.files.length === 0) {
    console.error(`test: no ${stage.name} tests found`);
    process.exit(1);
  }
  console.log(`\n== ${stage.name} tests (${stage.files.length} files)`);
  const run = spawnSync(
    process.execPath,
    ['--test', `--test-concurrency=${stage.concurrency}`, ...stage.files],
    { stdio: 'inherit', cwd: root },
  );
  if (run.status !== 0) process.exit(run.status ?? 1);
}
