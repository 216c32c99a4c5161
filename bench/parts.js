#!/usr/bin/env node
// Two parts of the connector's CPU per record, each measured alone, to
// see where the distance to the raw baseline lies:
//   ledger    the ledger writes a posted sale costs (received, mapped, a
//             posting mark and a number for each of three documents, the
//             trail lines, the WAL sync before each X3 call), 50 sales in
//             flight, an X3 stand-in answering after 1 ms;
//   node-red  Node-RED's runtime carrying a message through as many
//             pass-through nodes as a sale crosses in the example flow
//             (poll, mapping, switch, customer, invoice, GL post, audit),
//             50 messages in flight.
// Run `npm run build` first; `node bench/parts.js [sales]`.
'use strict';
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const { Ledger } = require(path.join(root, 'dist/lib/store/ledger'));
const { postStep } = require(path.join(root, 'dist/lib/sync/write-step'));

const SALES = Number(process.argv[2]) || 10_000;
const IN_FLIGHT = 50;
const HOPS = 7;

const cpuMs = (since) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

function squareSale(i) {
  const id = `BENCH${String(i).padStart(8, '0')}`;
  const at = new Date().toISOString();
  return {
    key: `sale:${id}`,
    kind: 'sale',
    version: '1',
    source: 'poll',
    square: {
      order: {
        id,
        location_id: 'L1HARBOURST01',
        state: 'COMPLETED',
        closed_at: at,
        updated_at: at,
        line_items: [{ uid: 'a', name: 'beans', quantity: '2' }],
        // about the size of a seeded order with its payment
        note: 'x'.repeat(3000),
      },
      payments: [],
    },
  };
}

async function ledgerPart() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqx3-parts-'));
  const ledger = Ledger.open(path.join(dir, 'ledger.sqlite'));
  let numbers = 0;
  const x3 = {
    findDocument: async () => null,
    postDocument: () =>
      new Promise((resolve) => setTimeout(() => resolve(`N${++numbers}`), 1)),
  };
  const oneSale = async (i) => {
    const record = squareSale(i);
    ledger.receive(record);
    ledger.setState(record.key, 'mapped', 'site HARBOUR');
    const documents = ['invoice', 'receipt', 'fee'].map((part) => ({
      docKey: `${record.key}#${part}`,
      kind: part,
      type: part === 'invoice' ? 'invoice' : 'entry',
      reference: `SQ${i}${part}`,
    }));
    await postStep({
      ledger,
      x3,
      plan: { recordKey: record.key, documents },
      mine: () => true,
    });
    ledger.trail(record.key, 'audited', 'posted');
  };
  const started = process.cpuUsage();
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < SALES) await oneSale(next++);
    }),
  );
  const ms = cpuMs(started);
  const posted = ledger.counts().posted;
  ledger.close();
  fs.rmSync(dir, { recursive: true, force: true });
  if (posted !== SALES) throw new Error(`${posted} of ${SALES} sales posted`);
  return ms / SALES;
}

function passNodes(RED) {
  function Pass(config) {
    RED.nodes.createNode(this, config);
    this.on('input', (msg, send, done) => {
      send(msg);
      done();
    });
  }
  RED.nodes.registerType('bench-pass', Pass);
}

async function nodeRedPart() {
  const RED = require(path.join(root, 'node_modules/node-red'));
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqx3-parts-nr-'));
  const nodesDir = path.join(userDir, 'nodes');
  fs.mkdirSync(nodesDir);
  fs.writeFileSync(
    path.join(nodesDir, 'bench-pass.js'),
    `module.exports = ${passNodes.toString()};`,
  );
  fs.writeFileSync(
    path.join(nodesDir, 'bench-pass.html'),
    '<script type="text/javascript">RED.nodes.registerType("bench-pass",' +
      '{category:"function",defaults:{},inputs:1,outputs:1});</script>',
  );
  const flow = [{ id: 'parts', type: 'tab', label: 'parts' }];
  for (let i = 0; i < HOPS; i++) {
    const next = i < HOPS - 1 ? [`hop${i + 1}`] : [];
    flow.push({ id: `hop${i}`, z: 'parts', type: 'bench-pass', wires: [next] });
  }
  fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(flow));
  RED.init(http.createServer(), {
    userDir,
    nodesDir,
    flowFile: 'flows.json',
    credentialSecret: 'bench-parts',
    httpAdminRoot: false,
    httpNodeRoot: false,
    logging: { console: { level: 'error' } },
    editorTheme: { projects: { enabled: false } },
  });
  await RED.start();
  // the flows start after start() resolves
  const deadline = Date.now() + 10_000;
  while (!RED.nodes.getNode(`hop${HOPS - 1}`) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const first = RED.nodes.getNode('hop0');
  const last = RED.nodes.getNode(`hop${HOPS - 1}`);
  if (!first || !last) throw new Error('the pass-through flow did not start');
  const payload = squareSale(0).square;
  let sent = 0;
  let arrived = 0;
  const started = process.cpuUsage();
  await new Promise((resolve) => {
    last.on('input', () => {
      if (++arrived === SALES) resolve();
      else pump();
    });
    const pump = () => {
      while (sent - arrived < IN_FLIGHT && sent < SALES) {
        sent += 1;
        first.receive({ topic: 'sale', payload });
      }
    };
    pump();
  });
  const ms = cpuMs(started);
  await RED.stop();
  fs.rmSync(userDir, { recursive: true, force: true });
  return ms / SALES;
}

(async () => {
  const ledger = await ledgerPart();
  console.log(`ledger alone: ${ledger.toFixed(3)} CPU ms per sale`);
  const nodeRed = await nodeRedPart();
  console.log(
    `Node-RED alone, ${HOPS} nodes: ${nodeRed.toFixed(3)} CPU ms per sale`,
  );
  process.exit(0);
})().catch((error) => {
  console.error(`parts failed: ${error.stack ?? error.message}`);
  process.exit(1);
});
