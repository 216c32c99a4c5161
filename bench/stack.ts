import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createSquareEmulator } from '../sandbox/square/emulator';
import { createX3Emulator } from '../sandbox/x3/emulator';
import {
  deployFlow,
  startNodeRed,
  type NodeRedProcess,
} from '../sandbox/node-red-process';
import { demoFlow, freePort, loadExampleFlow } from '../sandbox/demo';

// The emulators in this process and a real Node-RED beside it, running
// the example flow: what every benchmark case starts from.

export type SquareEmulator = ReturnType<typeof createSquareEmulator>;
export type X3Emulator = ReturnType<typeof createX3Emulator>;

export interface Stack {
  square: SquareEmulator;
  x3: X3Emulator;
  squareUrl: string;
  x3Url: string;
  nodeRed: NodeRedProcess;
  pid: number;
  notificationUrl: string;
  userDir: string;
  stop(): Promise<void>;
}

export interface StackOptions {
  packageRoot: string;
  workDir: string;
  square: SquareEmulator;
  x3: X3Emulator;
  backfillFrom: string;
  firstPollDelaySec: number;
  log?: (line: string) => void;
  /** NODE_OPTIONS for the Node-RED process only, e.g. --cpu-prof */
  nodeOptions?: string;
  /** the X3 config node's concurrent calls setting */
  maxCalls?: number;
}

export async function startStack(opts: StackOptions): Promise<Stack> {
  const { square, x3 } = opts;
  const squareUrl = await square.start(0, '127.0.0.1');
  const x3Url = await x3.start(0, '127.0.0.1');
  const userDir = path.join(opts.workDir, `node-red-${process.pid}`);
  fs.rmSync(userDir, { recursive: true, force: true });

  const port = await freePort();
  // startNodeRed hands this process's environment to the child
  const saved = process.env.NODE_OPTIONS;
  if (opts.nodeOptions) process.env.NODE_OPTIONS = opts.nodeOptions;
  const starting = startNodeRed({
    packageRoot: opts.packageRoot,
    userDir,
    port,
    credentialSecret: randomBytes(24).toString('base64url'),
    log: opts.log,
  });
  if (saved === undefined) delete process.env.NODE_OPTIONS;
  else process.env.NODE_OPTIONS = saved;
  const nodeRed = await starting;
  const pid = nodeRed.child.pid;
  if (pid === undefined) throw new Error('Node-RED has no process id');
  const notificationUrl = `${nodeRed.url}/square/webhook`;
  const flow = demoFlow(loadExampleFlow(opts.packageRoot), {
    square: squareUrl,
    x3: x3Url,
    notificationUrl,
    backfillFrom: opts.backfillFrom,
    firstPollDelaySec: opts.firstPollDelaySec,
  });
  if (opts.maxCalls) {
    for (const node of flow) {
      if (node.type === 'sqx3-x3-config') node.maxCalls = `${opts.maxCalls}`;
    }
  }
  await deployFlow(nodeRed.url, flow);

  return {
    square,
    x3,
    squareUrl,
    x3Url,
    nodeRed,
    pid,
    notificationUrl,
    userDir,
    async stop() {
      await nodeRed.stop();
      await square.stop();
      await x3.stop();
    },
  };
}

/** Every Square API request counted so far (admin routes excluded). */
export function squareRequests(square: SquareEmulator): number {
  return Object.values(square.requestCounts()).reduce((a, b) => a + b, 0);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
