import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultX3Seed } from '../seed/x3-setup';
import { handleApi1 } from './api1';
import { handleApi1Write } from './api1-write';
import {
  BasicCredentials,
  checkBasic,
  checkConnectedAppJwt,
  ConnectedApp,
} from './auth';
import { CloudApp, CloudTokens, serveTokenService } from './cloud';
import { FaultState } from './faults';
import { runGraphQL } from './graphql-endpoint';
import { parseJsonBody, readBody, send } from './http-util';
import { isSoapPath, SoapEndpoint, SoapOptions } from './soap-endpoint';
import type { SoapOperation } from './soap-operations';
import { defaultOpenPeriods, X3Store } from './store';
import type { OpenPeriod, X3Documents, X3Fault, X3Seed } from './types';

// A local stand-in for a Sage X3 server: api1 with Basic auth (reads on
// every class, writes on customers), GraphQL at /xtrem/api behind a
// connected-app JWT or a cloud access token from /v1/token, business
// rules on every write, and injectable faults.

export interface X3EmulatorOptions {
  endpoint?: string;
  /** false: Basic is off in nodelocal.js, api1 takes only a bearer token */
  basic?: BasicCredentials | false;
  /** how api1 answers an unknown key: 404 (default) or 200, both with $diagnoses */
  notFoundStatus?: 404 | 200;
  connectedApp?: Partial<ConnectedApp>;
  /** also accept cloud OAuth2 access tokens, issued at POST /v1/token */
  cloud?: CloudApp;
  seed?: X3Seed;
  openPeriods?: OpenPeriod[];
  /** the emulator's clock in epoch ms; tests move it to age tokens */
  now?: () => number;
  /** refuse a create whose INVREF / BPRVCR is on a document already */
  uniqueReferences?: boolean;
  /** classic SOAP: publication -> groups map, duplicate switch (default on) */
  soap?: SoapOptions;
}

export interface X3EmulatorStats {
  /** every call but the /_emulator/ admin routes */
  requests: number;
  api1: number;
  graphqlQueries: number;
  graphqlMutations: number;
  /** classic SOAP calls by operation: save, read, query, modify, delete */
  soapCalls: Record<SoapOperation, number>;
  /** calls to the cloud token service */
  tokenRequests: number;
  /** distinct bearer tokens accepted on /xtrem/api */
  bearerTokens: number;
  /** successful refresh_token grants at the cloud token endpoint */
  tokenRefreshes: number;
  /** authorization_code grants */
  codeGrants: number;
  /** 401 answers on api1 and /xtrem/api */
  unauthorized: number;
  /** GraphQL error 21 answers (iat in the future) */
  iatFuture: number;
  quotaSlowed: number;
  quotaRefused: number;
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
  /** whether the cloud token service still accepts this refresh token */
  refreshTokenLive(refreshToken: string): boolean;
  readonly url: string;
}

const LICENCE_MAX =
  'license_web_max : web service volume limit reached ' + 'for this period';

export function createX3Emulator(opts: X3EmulatorOptions = {}): X3Emulator {
  const now = opts.now ?? Date.now;
  const endpoint = opts.endpoint ?? 'SEED';
  const basic =
    opts.basic === false
      ? undefined
      : (opts.basic ?? { user: 'sqx3', password: 'sqx3-demo' });
  const app: ConnectedApp = {
    clientId: 'sqx3-demo-app',
    secret: 'sqx3-demo-jwt-secret',
    validitySeconds: 600,
    user: 'SQX3',
    ...opts.connectedApp,
  };
  const periods = opts.openPeriods ?? defaultOpenPeriods(now());
  const store = new X3Store(opts.seed ?? defaultX3Seed(), periods, now);
  store.uniqueReferences = opts.uniqueReferences ?? false;
  const cloud = opts.cloud ? new CloudTokens(opts.cloud, now) : undefined;
  const faults = new FaultState(now);
  const timers = new Set<NodeJS.Timeout>();
  const tokens = new Set<string>();
  const counts = {
    requests: 0,
    api1: 0,
    graphqlQueries: 0,
    graphqlMutations: 0,
    tokenRequests: 0,
    unauthorized: 0,
    iatFuture: 0,
    quotaSlowed: 0,
    quotaRefused: 0,
  };
  let server: http.Server | undefined;
  let baseUrl = '';

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });
  const soap = new SoapEndpoint(
    { store, faults, basic, sleep, timers, baseUrl: () => baseUrl },
    opts.soap,
  );

  async function admin(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    path: string,
  ): Promise<void> {
    if (req.method === 'GET' && path === '/_emulator/documents') {
      send(res, 200, store.documents());
    } else if (req.method === 'GET' && path === '/_emulator/stats') {
      send(res, 200, stats());
    } else if (req.method === 'POST' && path === '/_emulator/reset') {
      reset();
      send(res, 200, { reset: true });
    } else if (req.method === 'POST' && path === '/_emulator/faults') {
      // status and commit-then-timeout without a count are refused (400
      // naming count) rather than taken as arming nothing.
      try {
        faults.set(JSON.parse(await readBody(req)) as X3Fault);
        send(res, 200, { ok: true });
      } catch (error) {
        send(res, 400, { error: (error as Error).message });
      }
    } else if (path === '/_emulator/soap') {
      await soap.admin(req, res);
    } else {
      send(res, 404, { error: 'not found' });
    }
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

  function unauthorized(res: http.ServerResponse, message: string): number {
    counts.unauthorized++;
    return send(
      res,
      401,
      { errors: [{ message }] },
      {
        'WWW-Authenticate': 'Bearer error="invalid_token"',
      },
    );
  }

  /** Answers a GraphQL call; returns the bytes sent. */
  async function xtrem(
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): Promise<number> {
    if (req.method !== 'POST') return send(res, 405, { errors: [] });
    const folder = req.headers['x-xtrem-endpoint'];
    if (folder !== endpoint) {
      return send(res, 400, {
        errors: [{ message: `endpoint ${String(folder ?? '')} unknown` }],
      });
    }
    const auth = bearer(req);
    if (!auth.ok && auth.status === 401) return unauthorized(res, auth.message);
    if (!auth.ok) {
      if (auth.code === 21) counts.iatFuture++;
      return send(res, 200, {
        data: null,
        errors: [{ message: auth.message, extensions: { code: auth.code } }],
      });
    }
    if (!faults.acceptBearer(auth.token, tokens)) {
      return unauthorized(res, 'token no longer valid');
    }
    tokens.add(auth.token);

    let request: {
      query?: string;
      variables?: Record<string, unknown>;
      operationName?: string;
    };
    try {
      request = JSON.parse(await readBody(req));
    } catch {
      return send(res, 400, { errors: [{ message: 'body is not JSON' }] });
    }
    const result = await runGraphQL(store, request);
    if (result.mutation) counts.graphqlMutations++;
    else counts.graphqlQueries++;
    const stall = faults.commitThenTimeout;
    if (result.mutation && result.status === 200 && stall && stall.count > 0) {
      stall.count--;
      const timer = setTimeout(() => {
        timers.delete(timer);
        req.socket.destroy();
      }, stall.closeAfterMs);
      timers.add(timer);
      return 0;
    }
    return send(res, result.status, result.body);
  }

  async function api1(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    rest: string,
    url: URL,
  ): Promise<number> {
    counts.api1++;
    const allowed = basic
      ? checkBasic(req.headers.authorization, basic)
      : (() => {
          const auth = bearer(req);
          return auth.ok && faults.acceptBearer(auth.token, tokens);
        })();
    if (!allowed) {
      counts.unauthorized++;
      return send(
        res,
        401,
        {
          $diagnoses: [
            { $severity: 'error', $message: 'Authentication required' },
          ],
        },
        { 'WWW-Authenticate': basic ? 'Basic realm="Syracuse"' : 'Bearer' },
      );
    }
    const self = `${baseUrl}/api1/x3/erp/${endpoint}/${rest}`.replace(
      /(\(.*|\/\$template)$/,
      '',
    );
    if (req.method === 'GET' && !rest.endsWith('/$template')) {
      const answer = handleApi1(store, rest, url.searchParams, self);
      const status =
        answer.status === 404 &&
        opts.notFoundStatus === 200 &&
        rest.includes('(')
          ? 200
          : answer.status;
      return send(res, status, answer.body);
    }
    let body: unknown;
    try {
      body = parseJsonBody(await readBody(req));
    } catch {
      return send(res, 400, {
        $diagnoses: [{ $severity: 'error', $message: 'body is not JSON' }],
      });
    }
    const answer = handleApi1Write(store, {
      method: req.method ?? 'GET',
      path: rest,
      params: url.searchParams,
      self,
      body,
    });
    const headers: Record<string, string> = answer.location
      ? { Location: answer.location }
      : {};
    return send(res, answer.status, answer.body, headers);
  }

  /** Licence quota, latency and status faults; true when answered. */
  async function injected(res: http.ServerResponse, isApi1: boolean) {
    const quota = faults.quotaVerdict();
    if (quota?.phase === 'refused') {
      counts.quotaRefused++;
      const retryAfter = {
        'Retry-After': String(Math.ceil(quota.remainingMs / 1000)),
      };
      send(
        res,
        503,
        isApi1
          ? { $diagnoses: [{ $severity: 'error', $message: LICENCE_MAX }] }
          : {
              errors: [
                { message: LICENCE_MAX, extensions: { code: 'LICENSE_LIMIT' } },
              ],
            },
        retryAfter,
      );
      return true;
    }
    if (quota?.phase === 'slow') {
      counts.quotaSlowed++;
      await sleep(faults.slowMs);
    }
    const failing = faults.status;
    if (failing && failing.count > 0) {
      failing.count--;
      const headers: Record<string, string> =
        failing.retryAfter !== undefined
          ? { 'Retry-After': String(failing.retryAfter) }
          : {};
      send(
        res,
        failing.status,
        {
          $diagnoses: [{ $severity: 'error', $message: 'injected fault' }],
        },
        headers,
      );
      return true;
    }
    return false;
  }

  async function handle(
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): Promise<void> {
    const url = new URL(req.url ?? '/', baseUrl);
    const path = decodeURIComponent(url.pathname);
    res.setHeader('Date', new Date(now()).toUTCString());
    if (path.startsWith('/_emulator/')) return admin(req, res, path);

    counts.requests++;
    if (cloud && (path === '/v1/token' || path === '/v1/token/authorise')) {
      counts.tokenRequests++;
      return serveTokenService(cloud, req, res, path, url);
    }
    if (isSoapPath(path)) return soap.handle(req, res, path, url);
    const api1Root = `/api1/x3/erp/${endpoint}/`;
    const isApi1 = path.startsWith(api1Root);
    if (!isApi1 && path !== '/xtrem/api') {
      send(res, 404, {
        $diagnoses: [{ $severity: 'error', $message: `${path} : not found` }],
      });
      return;
    }
    const done = await faults.serve(res);
    try {
      if (await injected(res, isApi1)) {
        faults.chargeQuota(0);
        return;
      }
      const bytes = isApi1
        ? await api1(req, res, path.slice(api1Root.length), url)
        : await xtrem(req, res);
      faults.chargeQuota(bytes);
    } finally {
      done();
    }
  }

  /** Data, faults and the cloud grant back to their start; counts stay. */
  function reset(): void {
    store.reset();
    soap.reset();
    faults.set({ kind: 'none' });
    cloud?.reset();
    tokens.clear();
  }

  function stats(): X3EmulatorStats {
    return {
      ...counts,
      soapCalls: { ...soap.calls },
      bearerTokens: tokens.size,
      tokenRefreshes: cloud?.refreshes ?? 0,
      codeGrants: cloud?.codeGrants ?? 0,
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
    setFault: (fault) => faults.set(fault),
    load: (seed) => store.load(seed),
    reset,
    stats,
    refreshTokenLive: (token) => cloud?.isLive(token) ?? false,
  };
}
