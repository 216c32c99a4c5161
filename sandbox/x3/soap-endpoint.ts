import type http from 'node:http';
import { performance } from 'node:perf_hooks';
import { BasicCredentials, checkBasic } from './auth';
import type { FaultState } from './faults';
import { readBody, send } from './http-util';
import { language, say } from './soap-messages';
import {
  FaultCode,
  parseSoapRequest,
  SoapFault,
  SoapRequest,
  writeSoapFault,
  writeSoapResponse,
} from './soap-envelope';
import {
  refused,
  SOAP_OPERATIONS,
  SoapCallRunner,
  SoapOperation,
  SoapOutcome,
} from './soap-operations';
import {
  checkPublications,
  defaultSettings,
  SoapSettings,
} from './soap-publications';
import { soapWsdl } from './soap-wsdl';
import type { X3Store } from './store';

// X3's classic SOAP endpoint on the emulator: Basic auth on every call,
// the WSDL, the licence quota, latency, pool and commit-then-timeout
// faults of faults.ts, then one operation against the shared store.

export const SOAP_PATH =
  '/soap-generic/syracuse/collaboration/syracuse/CAdxWebServiceXmlCC';
export const SOAP_WSDL_PATH =
  '/soap-wsdl/syracuse/collaboration/syracuse/CAdxWebServiceXmlCC';

const LICENCE_MAX =
  'license_web_max : web service volume limit reached for this period';

export const isSoapPath = (path: string): boolean =>
  path === SOAP_PATH || path === SOAP_WSDL_PATH;

export interface SoapEndpointDeps {
  store: X3Store;
  faults: FaultState;
  /** undefined: Basic is off in nodelocal.js, every SOAP call gets 401 */
  basic?: BasicCredentials;
  sleep(ms: number): Promise<void>;
  /** timers the emulator clears when it stops */
  timers: Set<NodeJS.Timeout>;
  baseUrl(): string;
}

export type SoapOptions = Partial<SoapSettings>;

function sendXml(
  res: http.ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): number {
  const bytes = Buffer.byteLength(text);
  res.writeHead(status, {
    'Content-Type': 'text/xml; charset=utf-8',
    'Content-Length': bytes,
    ...headers,
  });
  res.end(text);
  return bytes;
}

const fault = (
  res: http.ServerResponse,
  status: number,
  code: FaultCode,
  text: string,
  headers: Record<string, string> = {},
) => sendXml(res, status, writeSoapFault(code, text), headers);

export class SoapEndpoint {
  private settings: SoapSettings;
  /** operations asked for, refused ones included; kept across resets */
  readonly calls = Object.fromEntries(
    SOAP_OPERATIONS.map((operation) => [operation, 0]),
  ) as Record<SoapOperation, number>;

  constructor(
    private readonly deps: SoapEndpointDeps,
    private readonly options: SoapOptions = {},
  ) {
    this.settings = defaultSettings(options);
  }

  reset(): void {
    this.settings = defaultSettings(this.options);
  }

  /** GET or POST /_emulator/soap: the publication map and switches. */
  async admin(req: http.IncomingMessage, res: http.ServerResponse) {
    if (req.method === 'GET') {
      send(res, 200, this.settings);
      return;
    }
    try {
      const body = JSON.parse(await readBody(req)) as Partial<SoapSettings>;
      const next = { ...this.settings };
      if (body.publications !== undefined) {
        next.publications = checkPublications(body.publications);
      }
      if (body.uniqueReferences !== undefined) {
        next.uniqueReferences = body.uniqueReferences === true;
      }
      this.settings = next;
      send(res, 200, this.settings);
    } catch (error) {
      send(res, 400, { error: (error as Error).message });
    }
  }

  async handle(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    path: string,
    url: URL,
  ): Promise<void> {
    const { basic, faults } = this.deps;
    if (!basic || !checkBasic(req.headers.authorization, basic)) {
      fault(res, 401, 'Client', 'Authentication required', {
        'WWW-Authenticate': 'Basic realm="Syracuse"',
      });
      return;
    }
    if (path !== SOAP_PATH) {
      if (req.method === 'GET' && url.searchParams.has('wsdl')) {
        sendXml(res, 200, soapWsdl(this.deps.baseUrl() + SOAP_PATH));
      } else fault(res, 404, 'Client', 'add ?wsdl to read the WSDL');
      return;
    }
    if (req.method !== 'POST') {
      fault(res, 405, 'Client', 'POST expected', { Allow: 'POST' });
      return;
    }
    if (!/^text\/xml\b/i.test(req.headers['content-type'] ?? '')) {
      fault(res, 415, 'Client', 'Content-Type text/xml expected');
      return;
    }
    if (req.headers.soapaction === undefined) {
      fault(res, 500, 'Client', 'SOAPAction header missing');
      return;
    }

    const started = performance.now();
    const done = await faults.serve(res);
    try {
      const poolWaitMs = performance.now() - started;
      if (await this.injected(res)) {
        faults.chargeQuota(0);
        return;
      }
      const bytes = await this.operation(req, res, started, poolWaitMs);
      faults.chargeQuota(bytes);
    } finally {
      done();
    }
  }

  /** Licence quota, latency and HTTP status faults; true when answered. */
  private async injected(res: http.ServerResponse): Promise<boolean> {
    const { faults, sleep } = this.deps;
    const quota = faults.quotaVerdict();
    if (quota?.phase === 'refused') {
      const seconds = String(Math.ceil(quota.remainingMs / 1000));
      fault(res, 503, 'Server', LICENCE_MAX, { 'Retry-After': seconds });
      return true;
    }
    if (quota?.phase === 'slow') await sleep(faults.slowMs);
    const failing = faults.status;
    if (failing && failing.count > 0) {
      failing.count--;
      const headers: Record<string, string> =
        failing.retryAfter !== undefined
          ? { 'Retry-After': String(failing.retryAfter) }
          : {};
      fault(res, failing.status, 'Server', 'injected fault', headers);
      return true;
    }
    return false;
  }

  /** Reads, runs and answers one operation; returns the bytes sent. */
  private async operation(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    started: number,
    poolWaitMs: number,
  ): Promise<number> {
    let request: SoapRequest;
    try {
      request = parseSoapRequest(await readBody(req));
    } catch (error) {
      if (!(error instanceof SoapFault)) throw error;
      return fault(res, 500, error.faultCode, error.message);
    }
    this.calls[request.operation]++;

    const execStart = performance.now();
    const { faults } = this.deps;
    const lang = language(request.callContext.codeLang);
    const pool = faults.soapPoolEmpty;
    let outcome: SoapOutcome;
    let busy = false;
    if (pool && pool.count > 0) {
      pool.count--;
      busy = true;
      const alias = request.callContext.poolAlias || '(none)';
      outcome = refused([say(lang, 'poolEmpty', alias)]);
    } else if (faults.unpublished.has(request.publicName)) {
      outcome = refused([say(lang, 'unpublished', request.publicName)]);
    } else {
      const user = this.deps.basic!.user.toUpperCase();
      outcome = new SoapCallRunner(this.deps.store, this.settings, user).run({
        operation: request.operation,
        publicName: request.publicName,
        lang,
        objectXml: request.objectXml,
        objectKeys: request.objectKeys,
        listSize: request.listSize,
      });
    }

    const stall = faults.commitThenTimeout;
    if (outcome.committed && stall && stall.count > 0) {
      stall.count--;
      const timer = setTimeout(() => {
        this.deps.timers.delete(timer);
        req.socket.destroy();
      }, stall.closeAfterMs);
      this.deps.timers.add(timer);
      return 0;
    }
    const now = performance.now();
    const text = writeSoapResponse(request.operation, outcome, {
      busy,
      poolWaitMs,
      execMs: now - execStart,
      totalMs: now - started,
    });
    return sendXml(res, 200, text);
  }
}
