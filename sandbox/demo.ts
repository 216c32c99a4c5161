import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { createSquareEmulator } from './square/emulator';
import { createX3Emulator } from './x3/emulator';
import { seedX3 } from './seed/x3-setup';
import { returningCustomers } from './seed/square-day';
import { customerCode } from '../lib/ledger/reference';
import {
  deployFlow,
  startNodeRed,
  type NodeRedProcess,
} from './node-red-process';

// The whole main job on one machine: both emulators in this process, a
// real Node-RED beside it with the example flow deployed and its
// credentials set (Node-RED encrypts them), and Square's webhooks aimed
// at Node-RED's own HTTP server.

export const DEMO_SQUARE_TOKEN = 'sqx3-demo-token';
export const DEMO_JWT_SECRET = 'sqx3-demo-jwt-secret';
export const DEMO_SIGNATURE_KEY = 'sqx3-demo-signature-key';
/** the X3 emulator's default api1 (Basic) user */
export const DEMO_API1_USER = 'sqx3';
export const DEMO_API1_PASSWORD = 'sqx3-demo';
export const EXAMPLE_FLOW = 'Square to Sage X3.json';
/** the X3 server node set to classic SOAP on the emulator's publications */
export const DEMO_SOAP = {
  transport: 'soap',
  soapPool: 'SEED',
  soapLang: 'ENG',
  soapCustomer: 'YBPC',
  soapInvoice: 'YWSSIH',
  soapEntry: 'WSGAS',
};

export interface DemoOptions {
  packageRoot: string;
  userDir: string;
  nodeRedPort?: number;
  squarePort?: number;
  x3Port?: number;
  /** the seeded Square day, YYYY-MM-DD */
  seedDate: string;
  credentialSecret?: string;
  /** seconds before the first poll; time to open the editor and watch */
  firstPollDelaySec?: number;
  /** how the X3 write nodes post: GraphQL (default) or classic SOAP */
  x3Transport?: 'graphql' | 'soap';
  log?: (line: string) => void;
}

export interface Demo {
  editorUrl: string;
  squareUrl: string;
  x3Url: string;
  notificationUrl: string;
  square: ReturnType<typeof createSquareEmulator>;
  x3: ReturnType<typeof createX3Emulator>;
  nodeRed: NodeRedProcess;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export function loadExampleFlow(
  packageRoot: string,
): Record<string, unknown>[] {
  const file = path.join(packageRoot, 'flows', EXAMPLE_FLOW);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>[];
}

/** The example flow aimed at this demo's addresses, with its credentials. */
export function demoFlow(
  flow: Record<string, unknown>[],
  urls: {
    square: string;
    x3: string;
    notificationUrl: string;
    backfillFrom: string;
    firstPollDelaySec: number;
    x3Transport?: 'graphql' | 'soap';
  },
): Record<string, unknown>[] {
  return flow.map((node) => {
    switch (node.type) {
      case 'sqx3-square-config':
        return {
          ...node,
          baseUrl: urls.square,
          credentials: { accessToken: DEMO_SQUARE_TOKEN },
        };
      case 'sqx3-x3-config':
        return {
          ...node,
          url: urls.x3,
          ...(urls.x3Transport === 'soap' ? DEMO_SOAP : {}),
          // api1's user lists X3's codes for the mapping form; the same
          // user is the emulator's SOAP user
          credentials: {
            secret: DEMO_JWT_SECRET,
            username: DEMO_API1_USER,
            password: DEMO_API1_PASSWORD,
            soapUser: DEMO_API1_USER,
            soapPassword: DEMO_API1_PASSWORD,
          },
        };
      case 'sqx3-square-webhook':
        return {
          ...node,
          notificationUrl: urls.notificationUrl,
          credentials: { signatureKey: DEMO_SIGNATURE_KEY },
        };
      case 'sqx3-square-poll':
        return {
          ...node,
          backfillFrom: urls.backfillFrom,
          startDelaySec: String(urls.firstPollDelaySec),
        };
      default:
        return node;
    }
  });
}

export async function startDemo(opts: DemoOptions): Promise<Demo> {
  const log = opts.log ?? (() => undefined);
  const square = createSquareEmulator({ seed: { date: opts.seedDate } });
  const x3 = createX3Emulator();
  seedX3(x3, {
    customers: returningCustomers(opts.seedDate).map((c) => ({
      code: customerCode(c.id),
      name: c.name,
    })),
  });
  const squareUrl = await square.start(opts.squarePort ?? 0, '127.0.0.1');
  const x3Url = await x3.start(opts.x3Port ?? 0, '127.0.0.1');
  log(`Square emulator on ${squareUrl}, X3 emulator on ${x3Url}`);

  const port = opts.nodeRedPort || (await freePort());
  fs.rmSync(opts.userDir, { recursive: true, force: true });
  const nodeRed = await startNodeRed({
    packageRoot: opts.packageRoot,
    userDir: opts.userDir,
    port,
    credentialSecret:
      opts.credentialSecret ?? randomBytes(24).toString('base64url'),
    log: (line) => log(`[node-red] ${line}`),
  });

  const notificationUrl = `${nodeRed.url}/square/webhook`;
  const flow = demoFlow(loadExampleFlow(opts.packageRoot), {
    square: squareUrl,
    x3: x3Url,
    notificationUrl,
    backfillFrom: `${opts.seedDate}T00:00:00Z`,
    firstPollDelaySec: opts.firstPollDelaySec ?? 1,
    x3Transport: opts.x3Transport,
  });
  await deployFlow(nodeRed.url, flow);
  square.addWebhookSubscription({
    notificationUrl,
    signatureKey: DEMO_SIGNATURE_KEY,
  });

  return {
    editorUrl: nodeRed.url,
    squareUrl,
    x3Url,
    notificationUrl,
    square,
    x3,
    nodeRed,
    async stop() {
      await nodeRed.stop();
      await square.stop();
      await x3.stop();
    },
  };
}
