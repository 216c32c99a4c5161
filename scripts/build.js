#!/usr/bin/env node
// Compiles the TypeScript, then puts beside the compiled files what tsc
// does not copy: node editor HTML, icons, locales, templates and seed data,
// and turns flows/ into examples/ (the only folder Node-RED offers under
// Import > Examples).
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');
const ASSETS = /\.(html|mustache|json|svg|png|md)$/;

function copyTree(from, to, filter) {
  if (!fs.existsSync(from)) return;
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) {
      copyTree(source, target, filter);
    } else if (filter(entry.name)) {
      fs.mkdirSync(to, { recursive: true });
      fs.copyFileSync(source, target);
    }
  }
}

fs.rmSync(dist, { recursive: true, force: true });
const tsc = require.resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.json')], {
  stdio: 'inherit',
});

for (const dir of ['nodes', 'lib', 'sandbox', 'test']) {
  copyTree(path.join(root, dir), path.join(dist, dir), (name) =>
    ASSETS.test(name),
  );
}
copyTree(
  path.join(root, 'icons'),
  path.join(dist, 'nodes', 'icons'),
  () => true,
);

// Node-RED finds a node's editor file and message catalog only beside its
// compiled .js: a node without them would load with neither form nor labels.
const pkg = JSON.parse(
  fs.readFileSync(path.join(root, 'package.json'), 'utf8'),
);
for (const file of Object.values(pkg['node-red'].nodes)) {
  const js = path.join(root, file);
  const base = path.basename(js, '.js');
  for (const asset of [
    js.replace(/\.js$/, '.html'),
    path.join(path.dirname(js), 'locales', 'en-US', `${base}.json`),
  ]) {
    if (!fs.existsSync(asset)) {
      throw new Error(`build: ${path.relative(root, asset)} is missing`);
    }
  }
}

const examples = path.join(root, 'examples');
fs.rmSync(examples, { recursive: true, force: true });
copyTree(path.join(root, 'flows'), examples, (name) => name.endsWith('.json'));
console.log('build: dist/ and examples/ written');
