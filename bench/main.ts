import * as fs from 'node:fs';
import * as path from 'node:path';
import { runBacklog } from './backlog';
import { runBaseline } from './baseline-run';
import { loadAverage } from './proc';
import { backlogFigures, table, verdicts, type BacklogFigures } from './report';
import { runWebhook, type WebhookRun } from './webhook';

// `npm run bench [-- options]`:
//   --n 1000,10000,100000   backlog sizes (default 1000)
//   --cases backlog,latency,webhook   what to run (default all three)
//   --latency-n 1000        sales in the X3 latency case
//   --latency-ms 50 --pool 4
//   --max-calls 4           the X3 config's concurrent calls (default:
//                           the node's own default, 4)
//   --webhook-sales 50 --webhook-gap-ms 200
//   --no-baseline           skip the raw baseline
//   --profile               write Node-RED's CPU profile (backlog and
//                           latency cases) to bench/results/profiles/
//   --memory                sample Node-RED's process.memoryUsage() every
//                           2 s (backlog case) to bench/results/memory-*
// Prints a table and writes JSON to bench/results/.

const packageRoot = path.resolve(__dirname, '..');
const resultsDir = path.resolve(packageRoot, '..');

function args(argv: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].replace(/^--/, '');
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) out.set(name, 'true');
    else out.set(name, argv[++i]);
  }
  return out;
}

/** The bench's own modules to load into Node-RED, as NODE_OPTIONS. */
function preloads(
  opts: Map<string, string>,
  memory = true,
): string | undefined {
  const files = [
    ...(opts.has('profile') ? ['profiler.js'] : []),
    ...(memory && opts.has('memory') ? ['memory.js'] : []),
  ];
  // --node-flags max-semi-space-size=64,trace-gc: Node or V8 flags for
  // the Node-RED process only, to see how the runtime's settings move a
  // figure (the reported figures use none)
  const flags = (opts.get('node-flags') ?? '')
    .split(',')
    .filter((f) => f !== '')
    .map((f) => `--${f}`);
  const all = [
    ...files.map((f) => `--require ${path.join(__dirname, f)}`),
    ...flags,
  ];
  return all.length === 0 ? undefined : all.join(' ');
}

async function main(): Promise<void> {
  const opts = args(process.argv.slice(2));
  const sizes = (opts.get('n') ?? '1000').split(',').map(Number);
  const cases = (opts.get('cases') ?? 'backlog,latency,webhook').split(',');
  const workDir = path.join(resultsDir, '.work');
  fs.mkdirSync(workDir, { recursive: true });
  const log = (line: string) => console.log(line);

  const backlogs: BacklogFigures[] = [];
  if (cases.includes('backlog')) {
    for (const n of sizes) {
      log(`backlog N=${n} (load ${loadAverage()})`);
      const profiles = path.join(resultsDir, 'profiles');
      if (opts.has('profile')) process.env.SQX3_BENCH_PROFILE_DIR = profiles;
      const memory = path.join(resultsDir, `memory-n${n}-${Date.now()}.jsonl`);
      if (opts.has('memory')) process.env.SQX3_BENCH_MEMORY_FILE = memory;
      const nodeOptions = preloads(opts);
      const run = await runBacklog({
        n,
        packageRoot,
        workDir,
        nodeOptions,
        log,
      });
      let baseline;
      if (!opts.has('no-baseline')) {
        baseline = await runBaseline({
          square: run.stack.square,
          x3: run.stack.x3,
          squareUrl: run.stack.squareUrl,
          x3Url: run.stack.x3Url,
          window: { begin: run.from, end: new Date().toISOString() },
          skipCustomers: run.customersBefore,
          workDir,
        });
      }
      await run.stack.stop();
      const figures = backlogFigures(n, run, baseline);
      log(table([figures]));
      if (opts.has('memory')) log(`memory samples: ${memory}`);
      backlogs.push(figures);
    }
  }

  let latency: BacklogFigures | undefined;
  if (cases.includes('latency')) {
    const n = Number(opts.get('latency-n') ?? 1000);
    const x3Latency = {
      ms: Number(opts.get('latency-ms') ?? 50),
      pool: Number(opts.get('pool') ?? 4),
    };
    log(`latency N=${n}, X3 ${x3Latency.ms} ms, pool ${x3Latency.pool}`);
    const maxCalls = opts.has('max-calls')
      ? Number(opts.get('max-calls'))
      : undefined;
    if (opts.has('profile')) {
      process.env.SQX3_BENCH_PROFILE_DIR = path.join(resultsDir, 'profiles');
    }
    const run = await runBacklog({
      n,
      packageRoot,
      workDir,
      x3Latency,
      maxCalls,
      nodeOptions: preloads(opts, false),
      log,
    });
    await run.stack.stop();
    latency = backlogFigures(n, run, undefined, x3Latency);
  }

  let webhook: WebhookRun | undefined;
  if (cases.includes('webhook')) {
    log('webhook to X3');
    webhook = await runWebhook({
      sales: Number(opts.get('webhook-sales') ?? 50),
      gapMs: Number(opts.get('webhook-gap-ms') ?? 200),
      packageRoot,
      workDir,
    });
  }

  const checks = verdicts(backlogs, latency, webhook);
  console.log('');
  console.log(table(backlogs, latency, webhook));
  console.log('');
  for (const v of checks) {
    console.log(`${v.met ? 'met   ' : 'MISSED'}  ${v.target}: ${v.value}`);
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = path.join(resultsDir, `bench-${stamp}.json`);
  fs.writeFileSync(
    file,
    JSON.stringify(
      {
        at: new Date().toISOString(),
        node: process.version,
        backlogs,
        latency,
        webhook,
        verdicts: checks,
      },
      null,
      2,
    ),
  );
  console.log(`\nwritten ${path.relative(process.cwd(), file)}`);
  fs.rmSync(workDir, { recursive: true, force: true });
}

main().catch((error: Error) => {
  console.error(`bench failed: ${error.stack ?? error.message}`);
  process.exit(1);
});
