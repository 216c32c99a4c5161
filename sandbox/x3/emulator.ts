import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultX3Seed } from '../seed/x3-setup';
import { handleApi1 } from './api1';
import {
  BasicCredentials,
  checkBasic,
  checkConnectedAppJwt,
  CloudApp,
  CloudTokens,
  ConnectedApp,
} from './auth';
import { runGraphQL } from './graphql-endpoint';
import { defaultOpenPeriods, X3Store } from './store';
import type { OpenPeriod, X3Documents, X3Fault, X3Seed } from './types';

// A local stand-in for a Sage X3 server: api1 reads with Basic auth,
// GraphQL at /xtrem/api behind a connected-app JWT (or a cloud access
// token), business rules on every write, and injectable faults.

export interface X3EmulatorOptions {
  endpoint?: string;
  basic?: BasicCredentials;
  connectedApp?: Partial<ConnectedApp>;
  /** also accept cloud OAuth2 access tokens, issued at POST /v1/token */
  cloud?: CloudApp;
  seed?: X3Seed;
  openPeriods?: OpenPeriod[];
  /** the emulator's clock in epoch ms; tests move it to age tokens */
  now?: () => number;
}

export interface X3EmulatorStats {
  requests: number;
  /** distinct bearer tokens accepted on /xtrem/api */
  bearerTokens: number;
  /** successful refresh_token grants at the cloud token endpoint */
  tokenRefreshes: number;
}

export interface X3Emulator {
  start(port?: number, host?: string): Promise<string>;
  stop(): Promise<void>;
  documents(): X3Documents;
  setFault(fault: X3Fault): void;
  /** adds setup rows or customers, kept across resets */
  load(seed: Partial<X3Seed>): void;
  reset(): void;
  stats(): X3EmulatorStats;
  readonly url: string;
}

interface Faults {
  latencyMs: number;
  status?: { status: number; count: number; retryAfter?: number };
  commitThenTimeout?: { count: number; closeAfterMs: number };
}

const MAX_BODY = 1 << 20;

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) req.destroy(new Error('body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function parseForm(text: string, type: string | undefined) {
  if (type?.includes('application/json')) {
    return JSON.parse(text || '{}') as Record<string, string>;
  }
  return Object.fromEntries(new URLSearchParams(text));
}

export function createX3Emulator(opts: X3EmulatorOptions = {}): X3Emulator {
  const now = opts.now ?? Date.now;
  const endpoint = opts.endpoint ?? 'SEED';
  const basic = opts.basic ?? { user: 'sqx3', password: 'sqx3-demo' };
  const app: ConnectedApp = {
    clientId: 'sqx3-demo-app',
    secret: 'sqx3-demo-jwt-secret',
    validitySeconds: 600,
    user: 'SQX3',
    ...opts.connectedApp,
  };
  const periods = opts.openPeriods ?? defaultOpenPeriods(now());
  const store = new X3Store(opts.seed ?? defaultX3Seed(), periods, now);
  const cloud = opts.cloud ? new CloudTokens(opts.cloud, now) : undefined;
  const faults: Faults = { latencyMs: 0 };
  const timers = new Set<NodeJS.Timeout>();
  const tokens = new Set<string>();
  let requests = 0;
  let server: http.Server | undefined;
  let baseUrl = '';

  function setFault(fault: X3Fault): void {
    if (fault.kind === 'none') {
      faults.latencyMs = 0;
      faults.status = undefined;
      faults.commitThenTimeout = undefined;
    } else if (fault.kind === 'latency') {
      faults.latencyMs = fault.ms;
    } else if (fault.kind === 'status') {
      faults.status = { ...fault };
    } else if (fault.kind === 'commit-then-timeout') {
      faults.commitThenTimeout = {
        count: fault.count,
        closeAfterMs: fault.closeAfterMs ?? 2000,
      };
    } else {
      throw new Error(`unknown fault ${(fault as { kind: string }).kind}`);
    }
  }

  const sleep = (ms: number) => new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      resolve();
    }, ms);
    timers.add(timer);
  });

  async function admin(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    path: string,
  ): Promise<void> {
    if (req.method === 'GET' && path === '/_emulator/documents') {
      return send(res, 200, store.documents());
    }
    if (req.method === 'GET' && path === '/_emulator/stats') {
      return send(res, 200, stats());
    }
    if (req.method === 'POST' && path === '/_emulator/reset') {
      store.reset();
      setFault({ kind: 'none' });
      return send(res, 200, { reset: true });
    }
    if (req.method === 'POST' && path === '/_emulator/faults') {
      try {
        setFault(JSON.parse(await readBody(req)) as X3Fault);
        return send(res, 200, { ok: true });
      } catch (error) {
        return send(res, 400, { error: (error as Error).message });
      }
    }
    send(res, 404, { error: 'not found' });
  }

  function bearer(req: http.IncomingMessage) {
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!match) {
      return { ok: false as const, status: 401 as const, message: 'no token' };
    }
    const token = match[1];
    const fromCloud = cloud?.check(token);
    if (fromCloud) return fromCloud;
    return checkConnectedAppJwt(token, app, Math.floor(now() / 1000));
  }

  async function xtrem(
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): Promise<void> {
    if (req.method !== 'POST') return send(res, 405, { errors: [] });
    const folder = req.headers['x-xtrem-endpoint'];
    if (folder !== endpoint) {
      return send(res, 400, {
        errors: [{ message: `endpoint ${String(folder ?? '')} unknown` }],
      });
    }
    const auth = bearer(req);
    if (!auth.ok && auth.status === 401) {
      return send(res, 401, { errors: [{ message: auth.message }] }, {
        'WWW-Authenticate': 'Bearer error="invalid_token"',
      });
    }
    if (!auth.ok) {
      return send(res, 200, {
        data: null,
        errors: [{ message: auth.message, extensions: { code: auth.code } }],
      });
    }
    tokens.add(auth.token);

    let request: { query?: string; variables?: Record<string, unknown>;
      operationName?: string };
    try {
      request = JSON.parse(await readBody(req));
    } catch {
      return send(res, 400, { errors: [{ message: 'body is not JSON' }] });
    }
    const result = await runGraphQL(store, request);
    const stall = faults.commitThenTimeout;
    if (result.mutation && result.status === 200 && stall && stall.count > 0) {
      stall.count--;
      const timer = setTimeout(() => {
        timers.delete(timer);
        req.socket.destroy();
      }, stall.closeAfterMs);
      timers.add(timer);
      return;
    }
    send(res, result.status, result.body);
  }

  async function handle(
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): Promise<void> {
    const url = new URL(req.url ?? '/', baseUrl);
    const path = decodeURIComponent(url.pathname);
    res.setHeader('Date', new Date(now()).toUTCString());
    if (path.startsWith('/_emulator/')) return admin(req, res, path);

    requests++;
    if (req.method === 'POST' && path === '/v1/token' && cloud) {
      const form = parseForm(await readBody(req), req.headers['content-type']);
      const [status, body] = cloud.grant(form);
      return send(res, status, body, { 'Cache-Control': 'no-store' });
    }
    if (faults.latencyMs > 0) await sleep(faults.latencyMs);
    const failing = faults.status;
    if (failing && failing.count > 0) {
      failing.count--;
      const headers: Record<string, string> = failing.retryAfter !== undefined
        ? { 'Retry-After': String(failing.retryAfter) }
        : {};
      return send(res, failing.status, {
        $diagnoses: [{ $severity: 'error', $message: 'injected fault' }],
      }, headers);
    }

    const api1 = `/api1/x3/erp/${endpoint}/`;
    if (path.startsWith(api1)) {
      if (!checkBasic(req.headers.authorization, basic)) {
        return send(res, 401, {
          $diagnoses: [{ $severity: 'error', $message: 'Authentication required' }],
        }, { 'WWW-Authenticate': 'Basic realm="Syracuse"' });
      }
      if (req.method !== 'GET') {
        return send(res, 405, {
          $diagnoses: [{ $severity: 'error', $message: 'Method not allowed' }],
        });
      }
      const self = `${baseUrl}${api1}${path.slice(api1.length)}`;
      const answer = handleApi1(store, path.slice(api1.length),
        url.searchParams, self.replace(/\(.*$/, ''));
      return send(res, answer.status, answer.body);
    }
    if (path === '/xtrem/api') return xtrem(req, res);
    send(res, 404, {
      $diagnoses: [{ $severity: 'error', $message: `${path} : not found` }],
    });
  }

  function stats(): X3EmulatorStats {
    return {
      requests,
      bearerTokens: tokens.size,
      tokenRefreshes: cloud?.refreshes ?? 0,
    };
  }

  return {
    get url() {
      return baseUrl;
    },
    start(port = 0, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        server = http.createServer((req, res) => {
          handle(req, res).catch((error: Error) => {
            if (!res.headersSent) send(res, 500, { error: error.message });
            else res.destroy();
          });
        });
        server.once('error', reject);
        server.listen(port, host, () => {
          const address = server!.address() as AddressInfo;
          baseUrl = `http://${host}:${address.port}`;
          resolve(baseUrl);
        });
      });
    },
    stop() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      return new Promise((resolve) => {
        if (!server) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
        server = undefined;
      });
    },
    documents: () => store.documents(),
    setFault,
    load: (seed) => store.load(seed),
    reset: () => store.reset(),
    stats,
  };
}
