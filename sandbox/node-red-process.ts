import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

// A real Node-RED, in its own process, with this package loaded from the
// working tree: what a user runs, not the test helper's imitation (which
// has neither the editor's body parsers nor credential encryption).

export interface NodeRedOptions {
  packageRoot: string;
  userDir: string;
  port: number;
  credentialSecret: string;
  /** echo Node-RED's log lines, each prefixed */
  log?: (line: string) => void;
  nodeRedMain?: string;
}

export interface NodeRedProcess {
  url: string;
  child: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export function writeSettings(opts: NodeRedOptions): string {
  fs.mkdirSync(opts.userDir, { recursive: true });
  const settings = {
    uiHost: '127.0.0.1',
    uiPort: opts.port,
    flowFile: 'flows.json',
    credentialSecret: opts.credentialSecret,
    nodesDir: [opts.packageRoot],
    telemetry: { enabled: false },
    diagnostics: { enabled: false },
    editorTheme: {
      projects: { enabled: false },
      tours: false,
      palette: { catalogues: [] },
    },
    logging: { console: { level: 'info', metrics: false, audit: false } },
  };
  const file = path.join(opts.userDir, 'settings.js');
  fs.writeFileSync(
    file,
    `module.exports = ${JSON.stringify(settings, null, 2)};\n`,
  );
  return file;
}

export async function startNodeRed(
  opts: NodeRedOptions,
): Promise<NodeRedProcess> {
  const settings = writeSettings(opts);
  const main = opts.nodeRedMain ?? require.resolve('node-red/red.js');
  const child = spawn(
    process.execPath,
    [main, '-u', opts.userDir, '-s', settings],
    {
      cwd: opts.userDir,
      env: { ...process.env, NODE_RED_DISABLE_TELEMETRY: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const log = opts.log ?? (() => undefined);
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = '';
    stream?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) log(line);
    });
  }

  const url = `http://127.0.0.1:${opts.port}`;
  await waitForHttp(`${url}/settings`, child, 60_000);

  return {
    url,
    child,
    stop: (signal: NodeJS.Signals = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          resolve();
          return;
        }
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}

async function waitForHttp(
  url: string,
  child: ChildProcess,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`Node-RED exited with code ${child.exitCode}`);
    }
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`Node-RED did not answer on ${url} within ${timeoutMs} ms`);
}

/** Deploys a flow through the admin API; inline credentials get encrypted. */
export async function deployFlow(
  baseUrl: string,
  flow: unknown[],
): Promise<void> {
  const res = await fetch(`${baseUrl}/flows`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'Node-RED-Deployment-Type': 'full',
    },
    body: JSON.stringify(flow),
  });
  if (!res.ok) {
    throw new Error(`deploy failed: ${res.status} ${await res.text()}`);
  }
}
