import * as path from 'node:path';
import { startDemo } from './demo';
import { yesterdayIn } from './square/emulator';
import { SEED_TIMEZONE } from './seed/business';

// `npm start`: the emulators and a real Node-RED with the example flow,
// until Ctrl-C. Every setting can be changed through the environment.

const env = process.env;
const packageRoot = path.resolve(__dirname, '..', '..');

async function main(): Promise<void> {
  const seedDate = env.SQX3_SEED_DATE || yesterdayIn(SEED_TIMEZONE, new Date());
  const demo = await startDemo({
    packageRoot,
    userDir: path.resolve(
      env.SQX3_USER_DIR || path.join(packageRoot, '.sqx3', 'node-red'),
    ),
    nodeRedPort: Number(env.SQX3_NODE_RED_PORT || 1880),
    squarePort: Number(env.SQX3_SQUARE_PORT || 8090),
    x3Port: Number(env.SQX3_X3_PORT || 8124),
    seedDate,
    credentialSecret: env.SQX3_CREDENTIAL_SECRET,
    firstPollDelaySec: Number(env.SQX3_FIRST_POLL_DELAY ?? 20),
    x3Transport: env.SQX3_X3_TRANSPORT === 'soap' ? 'soap' : 'graphql',
    log: env.SQX3_QUIET ? undefined : (line) => console.log(line),
  });

  console.log('');
  console.log(`Node-RED editor:  ${demo.editorUrl}`);
  console.log(`Square emulator:  ${demo.squareUrl} (seeded day ${seedDate})`);
  console.log(`X3 emulator:      ${demo.x3Url}/_emulator/documents`);
  if (env.SQX3_X3_TRANSPORT === 'soap') {
    console.log('X3 postings go through classic SOAP (SQX3_X3_TRANSPORT=soap)');
  }
  console.log(
    `The first poll runs ${env.SQX3_FIRST_POLL_DELAY ?? 20} s after start: ` +
      'open the editor now and watch the debug sidebar.',
  );
  console.log('Press Ctrl-C to stop.');
  console.log('');

  let last = '';
  const report = setInterval(() => {
    const docs = demo.x3.documents();
    const line =
      `X3 now holds ${docs.invoices.length} invoices, ` +
      `${docs.entries.length} journal entries, ${docs.customers.length} customers`;
    if (line !== last) console.log(line);
    last = line;
  }, 5000);

  let stopping = false;
  const stop = async () => {
    stopping = true;
    clearInterval(report);
    await demo.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  // Node-RED gone on its own (killed, crashed): the emulators go with it,
  // rather than leave a launcher that looks alive.
  demo.nodeRed.child.once('exit', (code, signal) => {
    if (stopping) return;
    console.error(
      `Node-RED exited (${signal ?? `code ${code}`}); stopping the emulators. ` +
        'npm start begins afresh.',
    );
    clearInterval(report);
    void demo.stop().finally(() => process.exit(1));
  });
}

main().catch((error) => {
  console.error(
    `start failed: ${error instanceof Error ? error.message : error}`,
  );
  process.exit(1);
});
