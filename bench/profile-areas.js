#!/usr/bin/env node
// Splits a Node-RED CPU profile written by `npm run bench -- --profile`
// into the connector's areas, counting only the samples from the first
// poll on (Node-RED's start and the deploy left out). A sample belongs to
// the nearest frame, from the sampled function up its callers, whose file
// is in one of the areas; garbage collection and V8's own work stand
// apart. `node bench/profile-areas.js <file.cpuprofile> [records]`
'use strict';
const fs = require('node:fs');

const AREAS = [
  ['ledger (lib/store, SQLite)', /lib\/store\/|better-sqlite3/],
  ['X3 client (lib/x3)', /lib\/x3\//],
  ['Square client (lib/square)', /lib\/square\//],
  ['mapping and planning (lib/ledger)', /lib\/ledger\//],
  ['sync (lib/sync)', /lib\/sync\//],
  ['our nodes (nodes, lib/node-red)', /\/nodes\/sqx3|lib\/node-red\//],
  ['Node-RED', /@node-red|node-red\//],
];
const APART = ['(garbage collector)', '(program)', '(idle)'];

const [file, records] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/profile-areas.js <profile> [records]');
  process.exit(2);
}
const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const caller = new Map();
for (const node of profile.nodes) {
  for (const child of node.children ?? []) caller.set(child, node.id);
}

const areaOf = new Map();
function area(id) {
  if (areaOf.has(id)) return areaOf.get(id);
  const leaf = byId.get(id).callFrame.functionName;
  let found = APART.includes(leaf) ? leaf : undefined;
  for (let at = id; !found && at !== undefined; at = caller.get(at)) {
    const url = byId.get(at).callFrame.url;
    found = AREAS.find(([, pattern]) => pattern.test(url))?.[0];
  }
  found ??= 'other (Node core: sockets, timers, promises)';
  areaOf.set(id, found);
  return found;
}

function polling(id) {
  for (let at = id; at !== undefined; at = caller.get(at)) {
    if (/lib\/sync\/poller/.test(byId.get(at).callFrame.url)) return true;
  }
  return false;
}

const totals = new Map();
let busy = 0;
let started = false;
profile.samples.forEach((id, i) => {
  started ||= polling(id);
  const name = area(id);
  if (!started || name === '(idle)') return;
  const us = profile.timeDeltas[i];
  busy += us;
  totals.set(name, (totals.get(name) ?? 0) + us);
});

const n = Number(records) || 0;
const perRecord = (us) =>
  n ? `  ${(us / 1000 / n).toFixed(3)} ms/record` : '';
console.log(
  `busy from the first poll: ${(busy / 1e6).toFixed(2)} s${perRecord(busy)}`,
);
for (const [name, us] of [...totals].sort((a, b) => b[1] - a[1])) {
  console.log(
    `${(us / 1e6).toFixed(2).padStart(7)} s${perRecord(us)}  ${name}`,
  );
}
