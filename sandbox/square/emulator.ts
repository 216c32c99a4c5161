import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Customer } from '../../lib/square/types';
import { SEED_MERCHANT_ID, SEED_TIMEZONE } from '../seed/business';
import { seedSquareDay } from '../seed/square-day';
import { loadSquareReference } from '../seed/square-reference';
import { adminRoutes } from './routes-admin';
import { catalogRoutes } from './catalog';
import { upsertCustomer, type CustomerSpec } from './customers';
import { EmulatorError, faultBody, fail } from './errors';
import { IdempotencyKeys } from './idempotency';
import { IdSource, squareIds } from './ids';
import { mainLocationId, seedLocations } from './locations';
import { OAuthState } from './oauth';
import { completeRefund, createRefund, type RefundSpec } from './refund';
import { matchRoute, type Route, type RouteResult } from './router';
import { customerRoutes } from './routes-customers';
import { oauthRoutes } from './routes-oauth';
import { orderRoutes } from './routes-orders';
import { paymentRoutes } from './routes-payments';
import { writeRoutes } from './routes-writes';
import { createSale, type SaleSpec } from './sale';
import { SquareStore, type EventObjectType } from './store';
import {
  WebhookDeliverer,
  type WebhookFault,
  type WebhookSubscriptionSpec,
} from './webhooks';

export const DEFAULT_SQUARE_VERSION = '2025-08-20';

export interface SquareEmulatorOptions {
  /** personal access tokens accepted as Bearer */
  accessTokens?: string[];
  oauth?: { clientId: string; clientSecret: string };
  /** the day to seed (America/New_York); default yesterday; false: none */
  seed?: { date: string } | false;
  /** load Square's published example objects too; default: when seeding */
  reference?: boolean;
  /** gaps before each webhook retry, in ms */
  webhookRetryMs?: number[];
  webhookTimeoutMs?: number;
  /** how long a RefundPayment stays PENDING; default 200 ms */
  refundSettleMs?: number;
  now?: () => Date;
}

export type SquareFault =
  | {
      status: number;
      count?: number;
      /** seconds, sent as Retry-After */
      retryAfter?: number;
      /** only requests whose path starts with this */
      path?: string;
      /** hold the answer this long first */
      delayMs?: number;
    }
  | { webhook: WebhookFault; count?: number };

interface HttpFault {
  status: number;
  count: number;
  retryAfter?: number;
  path?: string;
  delayMs?: number;
}

export interface SquareEmulator {
  start(port?: number, host?: string): Promise<string>;
  stop(): Promise<void>;
  readonly baseUrl: string;
  readonly store: SquareStore;
  readonly oauth: OAuthState;
  readonly webhooks: WebhookDeliverer;
  addWebhookSubscription(spec: WebhookSubscriptionSpec): { id: string };
  createSale(spec: SaleSpec): ReturnType<typeof createSale>;
  createRefund(spec: RefundSpec): ReturnType<typeof createRefund>;
  completeRefund(refundId: string): ReturnType<typeof completeRefund>;
  upsertCustomer(spec: CustomerSpec): Customer;
  /** the seller revokes the app: tokens die, oauth.authorization.revoked */
  revokeAuthorization(revoker?: 'MERCHANT' | 'APPLICATION' | 'SQUARE'): void;
  /** requests per path since the start or the last reset */
  requestCounts(): Record<string, number>;
  setFault(fault: SquareFault): void;
  reset(): void;
  state(): Record<string, unknown>;
  /** every event published so far, oldest first */
  events(): Record<string, unknown>[];
}

export function yesterdayIn(timeZone: string, now: Date): string {
  const day = new Date(now.getTime() - 24 * 3_600_000);
  return new Intl.DateTimeFormat('en-CA', { timeZone }).format(day);
}

class Emulator implements SquareEmulator {
  readonly store: SquareStore;
  readonly oauth: OAuthState;
  readonly webhooks: WebhookDeliverer;
  baseUrl = '';
  private server?: http.Server;
  private faults: HttpFault[] = [];
  private published: Record<string, unknown>[] = [];
  private readonly routes: Route[];
  private readonly now: () => Date;
  private readonly ids = new IdSource('sqx3-emulator');
  private readonly idempotency = new IdempotencyKeys();
  private readonly settling = new Set<NodeJS.Timeout>();
  private requests = new Map<string, number>();

  constructor(private readonly opts: SquareEmulatorOptions) {
    this.now = opts.now ?? (() => new Date());
    this.store = new SquareStore(
      SEED_MERCHANT_ID,
      this.ids,
      (type, objectType, object) => this.publish(type, objectType, object),
      this.now,
    );
    this.oauth = new OAuthState({
      clientId: opts.oauth?.clientId ?? 'sqx3-demo-app',
      clientSecret: opts.oauth?.clientSecret ?? 'sqx3-demo-secret',
      personalTokens: opts.accessTokens ?? ['sqx3-demo-token'],
      merchantId: SEED_MERCHANT_ID,
      now: this.now,
      ids: this.ids,
    });
    this.webhooks = new WebhookDeliverer({
      retryMs: opts.webhookRetryMs ?? [200, 400, 800, 1_600, 3_200],
      timeoutMs: opts.webhookTimeoutMs ?? 10_000,
      squareVersion: DEFAULT_SQUARE_VERSION,
      now: this.now,
    });
    this.routes = [
      ...paymentRoutes,
      ...orderRoutes,
      ...customerRoutes,
      ...catalogRoutes,
      ...writeRoutes({
        idempotency: this.idempotency,
        settleRefund: (id) => this.settleRefund(id),
      }),
      ...oauthRoutes(this.oauth, () => this.revokeAuthorization('APPLICATION')),
      ...adminRoutes(this),
    ];
    this.seed();
  }

  private seed(): void {
    this.ids.seeded(() => this.seedDay());
  }

  private seedDay(): void {
    for (const l of seedLocations()) this.store.locations.set(l.id, l);
    this.store.mainLocationId = mainLocationId();
    if (this.opts.seed === false) {
      if (this.opts.reference) loadSquareReference(this.store);
      return;
    }
    const date = this.opts.seed?.date ?? yesterdayIn(SEED_TIMEZONE, this.now());
    seedSquareDay(this, date);
    if (this.opts.reference !== false) loadSquareReference(this.store);
  }

  private publish(
    type: string,
    objectType: EventObjectType,
    object: Record<string, unknown>,
  ): void {
    const id = String(object.id);
    let dataType: string = objectType;
    let wrapped: Record<string, unknown> = { [objectType]: object };
    if (objectType === 'revocation') {
      const { id: _id, ...revocation } = object;
      wrapped = { revocation };
    }
    if (objectType === 'order') {
      dataType = type === 'order.created' ? 'order_created' : 'order_updated';
      wrapped = {
        [dataType]: {
          order_id: id,
          version: object.version,
          location_id: object.location_id,
          state: object.state,
          created_at: object.created_at,
          ...(type === 'order.created'
            ? {}
            : { updated_at: object.updated_at }),
        },
      };
    }
    const event = structuredClone({
      merchant_id: this.store.merchantId,
      type,
      event_id: squareIds.eventId(this.ids.next('event')),
      created_at: this.now().toISOString(),
      data: {
        type: dataType,
        id,
        ...(type.endsWith('.deleted') ? { deleted: true } : {}),
        object: wrapped,
      },
    });
    this.published.push(event);
    this.webhooks.publish(event);
  }

  start(port = 0, host = '127.0.0.1'): Promise<string> {
    const server = http.createServer((req, res) => {
      void this.handle(req, res);
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        const addr = server.address() as AddressInfo;
        this.baseUrl = `http://${host}:${addr.port}`;
        resolve(this.baseUrl);
      });
    });
  }

  async stop(): Promise<void> {
    this.webhooks.stop();
    for (const t of this.settling) clearTimeout(t);
    this.settling.clear();
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  addWebhookSubscription(spec: WebhookSubscriptionSpec) {
    return this.webhooks.subscribe(spec);
  }

  createSale(spec: SaleSpec) {
    return createSale(this.store, spec);
  }

  createRefund(spec: RefundSpec) {
    return createRefund(this.store, spec);
  }

  completeRefund(refundId: string) {
    return completeRefund(this.store, refundId);
  }

  upsertCustomer(spec: CustomerSpec) {
    return upsertCustomer(this.store, spec);
  }

  revokeAuthorization(
    revoker: 'MERCHANT' | 'APPLICATION' | 'SQUARE' = 'MERCHANT',
  ) {
    this.oauth.revokeAll();
    this.publish('oauth.authorization.revoked', 'revocation', {
      id: squareIds.eventId(this.ids.next('revocation')),
      revoked_at: this.now().toISOString(),
      revoker_type: revoker,
    });
  }

  requestCounts(): Record<string, number> {
    return Object.fromEntries(this.requests);
  }

  private settleRefund(refundId: string): void {
    const timer = setTimeout(() => {
      this.settling.delete(timer);
      const refund = this.store.refunds.get(refundId);
      if (refund?.status === 'PENDING') completeRefund(this.store, refundId);
    }, this.opts.refundSettleMs ?? 200);
    this.settling.add(timer);
  }

  setFault(fault: SquareFault): void {
    if ('webhook' in fault) {
      this.webhooks.setFault(fault.webhook, fault.count ?? 1);
      return;
    }
    this.faults.push({ ...fault, count: fault.count ?? 1 });
  }

  reset(): void {
    this.store.clear();
    this.store.locations.clear();
    this.faults = [];
    this.published = [];
    this.requests = new Map();
    this.idempotency.clear();
    this.seed();
  }

  state() {
    const attempts = this.webhooks.attempts;
    return {
      ...this.store.counts(),
      subscriptions: this.webhooks.subscriptions.length,
      events: this.published.length,
      deliveries: {
        attempts: attempts.length,
        delivered: attempts.filter((a) => a.outcome === 'delivered').length,
        failed: attempts.filter((a) => a.outcome !== 'delivered').length,
      },
      pendingFaults: this.faults.reduce((a, f) => a + f.count, 0),
    };
  }

  events() {
    return structuredClone(this.published);
  }

  private takeFault(path: string): HttpFault | undefined {
    const fault = this.faults.find((f) => !f.path || path.startsWith(f.path));
    if (!fault) return undefined;
    fault.count -= 1;
    if (fault.count <= 0) this.faults.splice(this.faults.indexOf(fault), 1);
    return fault;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');
    const version = req.headers['square-version'];
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'square-version':
        typeof version === 'string' ? version : DEFAULT_SQUARE_VERSION,
    };
    let result: RouteResult;
    try {
      const raw = await readBody(req);
      result = await this.dispatch(req, url, raw, version);
    } catch (error) {
      result = errorResult(error);
    }
    Object.assign(headers, result.headers);
    res.writeHead(result.status ?? 200, headers);
    res.end(result.body === undefined ? '' : JSON.stringify(result.body));
  }

  private async dispatch(
    req: http.IncomingMessage,
    url: URL,
    raw: string,
    version: string | string[] | undefined,
  ): Promise<RouteResult> {
    const method = req.method ?? 'GET';
    const matched = matchRoute(this.routes, method, url.pathname);
    if (!matched) {
      fail(404, 'NOT_FOUND', `No route ${method} ${url.pathname}.`);
    }
    const { route, params } = matched;
    if (route.auth !== 'admin') {
      const name = `${method} ${route.path}`;
      this.requests.set(name, (this.requests.get(name) ?? 0) + 1);
    }

    if (route.auth !== 'admin') {
      const fault = this.takeFault(url.pathname);
      if (fault) return injected(fault);
      if (
        version !== undefined &&
        !/^\d{4}-\d{2}-\d{2}$/.test(String(version))
      ) {
        fail(400, 'INVALID_SQUARE_VERSION_FORMAT', 'Bad Square-Version.');
      }
    }
    const auth = req.headers.authorization ?? '';
    const token = /^Bearer\s+(.+)$/i.exec(auth)?.[1]?.trim();
    if (route.auth === 'bearer') this.oauth.check(token);

    const body = parseJson(raw, method);
    return route.handler({
      method,
      params,
      query: url.searchParams,
      body,
      headers: req.headers,
      store: this.store,
      token,
    });
  }
}

async function injected(fault: HttpFault): Promise<RouteResult> {
  if (fault.delayMs) {
    await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
  }
  return {
    status: fault.status,
    body: { errors: [faultBody(fault.status)] },
    headers:
      fault.retryAfter !== undefined
        ? { 'retry-after': String(fault.retryAfter) }
        : undefined,
  };
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(raw: string, method: string): Record<string, unknown> {
  if (method === 'GET' || method === 'DELETE' || raw.trim() === '') {
    return {};
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    fail(400, 'EXPECTED_JSON_BODY', 'The request body is not valid JSON.');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    fail(400, 'EXPECTED_OBJECT', 'The request body must be a JSON object.');
  }
  return value as Record<string, unknown>;
}

function errorResult(error: unknown): RouteResult {
  if (error instanceof EmulatorError) {
    return { status: error.status, body: { errors: [error.body] } };
  }
  const detail = error instanceof Error ? error.message : String(error);
  return {
    status: 500,
    body: {
      errors: [
        { category: 'API_ERROR', code: 'INTERNAL_SERVER_ERROR', detail },
      ],
    },
  };
}

export function createSquareEmulator(
  opts: SquareEmulatorOptions = {},
): SquareEmulator {
  return new Emulator(opts);
}
