import * as fs from 'node:fs';

// Loaded into the Node-RED process with NODE_OPTIONS=--require (`npm run
// bench -- --memory`): appends process.memoryUsage() every 2 s as a JSON
// line to SQX3_BENCH_MEMORY_FILE, to see which part of the RSS grows over
// a long backlog (V8's heap, buffers outside it, or native memory such as
// SQLite's, which is RSS minus the other two).

const file = process.env.SQX3_BENCH_MEMORY_FILE;
if (file) {
  const started = Date.now();
  const sample = () => {
    const m = process.memoryUsage();
    const mb = (n: number) => Math.round((n / 1048576) * 10) / 10;
    const line = {
      s: Math.round((Date.now() - started) / 1000),
      rss: mb(m.rss),
      heapUsed: mb(m.heapUsed),
      heapTotal: mb(m.heapTotal),
      external: mb(m.external),
      arrayBuffers: mb(m.arrayBuffers),
    };
    fs.appendFileSync(file, `${JSON.stringify(line)}\n`);
  };
  setInterval(sample, 2000).unref();
}
