#!/usr/bin/env node
// p99 time from webhook receipt to 2xx on a real Node-RED running the
// example flow, under N concurrent signed deliveries (default 50), while
// X3 answers slowly. Each delivery is a distinct event (fresh event_id),
// so every one is stored in the ledger before its answer.
// Run after the build: node bench/webhook-latency.js [concurrency] [rounds]
'use strict';
const { createHmac, randomUUID } = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startDemo, DEMO_SIGNATURE_KEY } = require('../dist/sandbox/demo');

const concurrency = Number(process.argv[2]) || 50;
const rounds = Number(process.argv[3]) || 5;
const x3DelayMs = Number(process.env.SQX3_BENCH_X3_DELAY_MS) || 2000;
const root = path.resolve(__dirname, '..');

function percentile(sorted, p) {
  const index = Math.min(
    sorted.length - 1,
    Math.ceil((p / 100) * sorted.length) - 1,
  );
  return sorted[Math.max(0, index)];
}

async function deliver(url, body) {
  const signature = createHmac('sha256', DEMO_SIGNATURE_KEY)
    .update(url + body)
    .digest('base64');
  const started = process.hrtime.bigint();
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-square-hmacsha256-signature': signature,
    },
    body,
  });
  await res.text();
  return {
    status: res.status,
    ms: Number(process.hrtime.bigint() - started) / 1e6,
  };
}

(async () => {
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqx3-bench-'));
  const demo = await startDemo({
    packageRoot: root,
    userDir,
    seedDate: '2026-01-05',
    firstPollDelaySec: 3600,
  });
  try {
    demo.x3.setFault({ kind: 'latency', ms: x3DelayMs });
    const templates = demo.square
      .events()
      .filter((e) =>
        [
          'payment.updated',
          'order.updated',
          'refund.updated',
          'customer.created',
        ].includes(e.type),
      );
    const times = [];
    let failures = 0;
    for (let round = 0; round < rounds; round++) {
      const bodies = Array.from({ length: concurrency }, (_, i) =>
        JSON.stringify({
          ...templates[(round * concurrency + i) % templates.length],
          event_id: randomUUID(),
        }),
      );
      const results = await Promise.all(
        bodies.map((b) => deliver(demo.notificationUrl, b)),
      );
      for (const r of results) {
        times.push(r.ms);
        if (r.status < 200 || r.status >= 300) failures += 1;
      }
    }
    times.sort((a, b) => a - b);
    const fmt = (n) => `${n.toFixed(1)} ms`;
    console.log(
      `${times.length} deliveries, ${concurrency} at a time, ` +
        `X3 answering after ${x3DelayMs} ms`,
    );
    console.log(
      `p50 ${fmt(percentile(times, 50))}  p99 ${fmt(percentile(times, 99))}  ` +
        `max ${fmt(times[times.length - 1])}  non-2xx ${failures}`,
    );
  } finally {
    await demo.stop();
    fs.rmSync(userDir, { recursive: true, force: true });
  }
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
