#!/usr/bin/env node
// Compiles the package and the benchmark into bench/results/.build, a
// private copy Node-RED loads the nodes from, so a build of dist/ by
// anything else during a long run cannot pull files from under it.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const out = path.join(__dirname, 'results', '.build');
const ASSETS = /\.(html|mustache|json|svg|png|md)$/;

function copyTree(from, to, filter) {
  if (!fs.existsSync(from)) return;
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) copyTree(source, target, filter);
    else if (filter(entry.name)) {
      fs.mkdirSync(to, { recursive: true });
      fs.copyFileSync(source, target);
    }
  }
}

fs.rmSync(out, { recursive: true, force: true });
const tsc = require.resolve('typescript/bin/tsc');
const result = spawnSync(
  process.execPath,
  [tsc, '-p', path.join(__dirname, 'tsconfig.json')],
  { stdio: 'inherit' },
);
if (!fs.existsSync(path.join(out, 'bench', 'main.js'))) {
  console.error('bench build: the compiler wrote nothing');
  process.exit(1);
}
if (result.status !== 0) {
  console.error('bench build: type errors above; running what was emitted');
}

for (const dir of ['nodes', 'lib', 'sandbox']) {
  copyTree(path.join(root, dir), path.join(out, dir), (n) => ASSETS.test(n));
}
copyTree(
  path.join(root, 'icons'),
  path.join(out, 'nodes', 'icons'),
  () => true,
);
copyTree(path.join(root, 'flows'), path.join(out, 'flows'), () => true);

const pkg = JSON.parse(
  fs.readFileSync(path.join(root, 'package.json'), 'utf8'),
);
for (const [type, file] of Object.entries(pkg['node-red'].nodes)) {
  pkg['node-red'].nodes[type] = file.replace(/^dist\//, '');
}
fs.writeFileSync(path.join(out, 'package.json'), JSON.stringify(pkg, null, 2));
