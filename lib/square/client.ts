import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import {
  DEFAULT_BACKOFF,
  parseRetryAfter,
  withBackoff,
  type BackoffOptions,
} from '../sync/backoff';
import { SquareApiError, type SquareErrorItem } from './errors';
import type {
  Customer,
  Location,
  Order,
  Payment,
  PaymentRefund,
} from './types';

// A thin Square REST client: Bearer auth from a token source, the
// Square-Version header, cursor paging that resends the original query,
// and retries with backoff on 429, 5xx and timeouts. A 401 calls the
// onUnauthorized hook (a token refresh) once and tries again.

export const DEFAULT_SQUARE_VERSION = '2025-08-20';

export interface SquareClientOptions {
  baseUrl: string;
  squareVersion?: string;
  getAccessToken: () => Promise<string>;
  timeoutMs?: number;
  backoff?: BackoffOptions;
  onUnauthorized?: () => Promise<void>;
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface ListPaymentsParams extends Query {
  begin_time?: string;
  end_time?: string;
  updated_at_begin_time?: string;
  updated_at_end_time?: string;
  sort_order?: 'ASC' | 'DESC';
  sort_field?: 'CREATED_AT' | 'UPDATED_AT' | 'OFFLINE_CREATED_AT';
  location_id?: string;
  limit?: number;
}

export interface ListRefundsParams extends Query {
  begin_time?: string;
  end_time?: string;
  updated_at_begin_time?: string;
  updated_at_end_time?: string;
  sort_order?: 'ASC' | 'DESC';
  sort_field?: 'CREATED_AT' | 'UPDATED_AT';
  location_id?: string;
  status?: string;
  source_type?: string;
  limit?: number;
}

export interface OrderEntry {
  order_id: string;
  version?: number;
  location_id?: string;
}

export interface ListPaymentsPage {
  payments?: Payment[];
  cursor?: string;
}
export interface ListRefundsPage {
  refunds?: PaymentRefund[];
  cursor?: string;
}
export interface SearchOrdersPage {
  orders?: Order[];
  order_entries?: OrderEntry[];
  cursor?: string;
}
export interface CustomersPage {
  customers?: Customer[];
  cursor?: string;
  count?: number;
}
/** The parts of a CatalogObject the connector reads (ITEM, ITEM_VARIATION). */
export interface CatalogObject {
  type: string;
  id: string;
  version?: number;
  is_deleted?: boolean;
  item_data?: { name?: string; variations?: CatalogObject[] };
  item_variation_data?: { item_id?: string; name?: string; sku?: string };
}

export interface TokenStatus {
  scopes?: string[];
  expires_at?: string;
  client_id?: string;
  merchant_id?: string;
}

interface Call {
  method: 'GET' | 'POST';
  path: string;
  query?: Query;
  body?: unknown;
  operation: string;
}

const LOOPBACK = /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:|\/|$)/i;

export class SquareClient {
  private readonly http: AxiosInstance;
  private readonly backoff: BackoffOptions;

  constructor(private readonly opts: SquareClientOptions) {
    this.backoff = opts.backoff ?? DEFAULT_BACKOFF;
    this.http = axios.create({
      baseURL: opts.baseUrl.replace(/\/+$/, ''),
      timeout: opts.timeoutMs ?? 30_000,
      validateStatus: () => true,
      // Parsed here, so an amount past 2^53 fails instead of rounding.
      transformResponse: [(data: unknown) => parseSquareJson(data)],
      // A local emulator is never reached through a proxy.
      ...(LOOPBACK.test(opts.baseUrl) ? { proxy: false as const } : {}),
    });
  }

  get squareVersion(): string {
    return this.opts.squareVersion ?? DEFAULT_SQUARE_VERSION;
  }

  async listLocations(): Promise<Location[]> {
    const body = await this.call<{ locations?: Location[] }>({
      method: 'GET',
      path: '/v2/locations',
      operation: 'ListLocations',
    });
    return body.locations ?? [];
  }

  async retrieveLocation(id: string): Promise<Location> {
    const body = await this.call<{ location: Location }>({
      method: 'GET',
      path: `/v2/locations/${encodeURIComponent(id)}`,
      operation: 'RetrieveLocation',
    });
    return body.location;
  }

  listPayments(params: ListPaymentsParams = {}) {
    return this.getPages<ListPaymentsPage>(
      '/v2/payments',
      params,
      'ListPayments',
    );
  }

  listRefunds(params: ListRefundsParams = {}) {
    return this.getPages<ListRefundsPage>(
      '/v2/refunds',
      params,
      'ListPaymentRefunds',
    );
  }

  listCustomers(params: Query = {}) {
    return this.getPages<CustomersPage>(
      '/v2/customers',
      params,
      'ListCustomers',
    );
  }

  searchOrders(body: Record<string, unknown>) {
    return this.postPages<SearchOrdersPage>(
      '/v2/orders/search',
      body,
      'SearchOrders',
    );
  }

  searchCustomers(body: Record<string, unknown> = {}) {
    return this.postPages<CustomersPage>(
      '/v2/customers/search',
      body,
      'SearchCustomers',
    );
  }

  async retrieveOrder(id: string): Promise<Order> {
    const body = await this.call<{ order: Order }>({
      method: 'GET',
      path: `/v2/orders/${encodeURIComponent(id)}`,
      operation: 'RetrieveOrder',
    });
    return body.order;
  }

  /** Unknown ids are left out, as Square does; any number of ids. */
  async batchRetrieveOrders(ids: string[]): Promise<Order[]> {
    const orders: Order[] = [];
    for (let i = 0; i < ids.length; i += 100) {
      const body = await this.call<{ orders?: Order[] }>({
        method: 'POST',
        path: '/v2/orders/batch-retrieve',
        body: { order_ids: ids.slice(i, i + 100) },
        operation: 'BatchRetrieveOrders',
      });
      orders.push(...(body.orders ?? []));
    }
    return orders;
  }

  /**
   * BatchRetrieveCatalogObjects, deleted objects included (a sale may name
   * a variation deleted since); unknown ids are left out, as Square does.
   */
  async batchRetrieveCatalogObjects(ids: string[]): Promise<CatalogObject[]> {
    const objects: CatalogObject[] = [];
    for (let i = 0; i < ids.length; i += 1000) {
      const body = await this.call<{ objects?: CatalogObject[] }>({
        method: 'POST',
        path: '/v2/catalog/batch-retrieve',
        body: {
          object_ids: ids.slice(i, i + 1000),
          include_deleted_objects: true,
        },
        operation: 'BatchRetrieveCatalogObjects',
      });
      objects.push(...(body.objects ?? []));
    }
    return objects;
  }

  async getPayment(id: string): Promise<Payment> {
    const body = await this.call<{ payment: Payment }>({
      method: 'GET',
      path: `/v2/payments/${encodeURIComponent(id)}`,
      operation: 'GetPayment',
    });
    return body.payment;
  }

  async getRefund(id: string): Promise<PaymentRefund> {
    const body = await this.call<{ refund: PaymentRefund }>({
      method: 'GET',
      path: `/v2/refunds/${encodeURIComponent(id)}`,
      operation: 'GetPaymentRefund',
    });
    return body.refund;
  }

  async retrieveCustomer(id: string): Promise<Customer> {
    const body = await this.call<{ customer: Customer }>({
      method: 'GET',
      path: `/v2/customers/${encodeURIComponent(id)}`,
      operation: 'RetrieveCustomer',
    });
    return body.customer;
  }

  tokenStatus(): Promise<TokenStatus> {
    return this.call<TokenStatus>({
      method: 'POST',
      path: '/oauth2/token/status',
      operation: 'RetrieveTokenStatus',
    });
  }

  private async *getPages<P extends { cursor?: string }>(
    path: string,
    params: Query,
    operation: string,
  ): AsyncGenerator<P> {
    let cursor: string | undefined;
    do {
      const query = { ...params, ...(cursor ? { cursor } : {}) };
      const page = await this.call<P>({
        method: 'GET',
        path,
        query,
        operation,
      });
      yield page;
      cursor = page.cursor || undefined;
    } while (cursor);
  }

  private async *postPages<P extends { cursor?: string }>(
    path: string,
    body: Record<string, unknown>,
    operation: string,
  ): AsyncGenerator<P> {
    let cursor: string | undefined;
    do {
      const sent = cursor ? { ...body, cursor } : body;
      const page = await this.call<P>({
        method: 'POST',
        path,
        body: sent,
        operation,
      });
      yield page;
      cursor = page.cursor || undefined;
    } while (cursor);
  }

  private async call<T>(call: Call): Promise<T> {
    let refreshed = false;
    for (;;) {
      try {
        return await withBackoff(() => this.once<T>(call), this.backoff);
      } catch (error) {
        const unauthorized =
          error instanceof SquareApiError && error.status === 401;
        if (!unauthorized || refreshed || !this.opts.onUnauthorized) {
          throw error;
        }
        refreshed = true;
        await this.opts.onUnauthorized();
      }
    }
  }

  private async once<T>(call: Call): Promise<T> {
    const token = await this.opts.getAccessToken();
    let res: AxiosResponse;
    try {
      res = await this.http.request({
        method: call.method,
        url: call.path,
        params: call.query ? definedOnly(call.query) : undefined,
        data: call.method === 'POST' ? (call.body ?? {}) : undefined,
        headers: {
          Authorization: `Bearer ${token}`,
          'Square-Version': this.squareVersion,
          Accept: 'application/json',
          ...(call.method === 'POST'
            ? { 'Content-Type': 'application/json' }
            : {}),
        },
      });
    } catch (error) {
      if (error instanceof UnsafeAmountError) throw error;
      throw transportError(error, call.operation);
    }

    if (res.status >= 200 && res.status < 300) return (res.data ?? {}) as T;
    const errors = squareErrors(res.data);
    const retryAfter = parseRetryAfter(headerOf(res, 'retry-after'));
    throw new SquareApiError(
      res.status,
      errors[0],
      errors,
      retryAfter,
      call.operation,
    );
  }
}

/** Square's int64 amounts that a JS number cannot hold exactly. */
const UNSAFE_AMOUNT = /"amount"\s*:\s*-?\d{16,}/;

export class UnsafeAmountError extends Error {
  readonly code = 'SQUARE_UNSAFE_AMOUNT';
  readonly retryable = false;

  constructor() {
    super('Square sent an amount too large to keep exact; nothing was read');
    this.name = 'UnsafeAmountError';
  }
}

/** JSON as Square sent it; unknown fields and enum values are kept. */
export function parseSquareJson(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  if (data.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return { errors: [{ code: 'NOT_JSON', detail: data.slice(0, 200) }] };
  }
  if (UNSAFE_AMOUNT.test(data) && hasUnsafeAmount(value)) {
    throw new UnsafeAmountError();
  }
  return value;
}

function hasUnsafeAmount(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasUnsafeAmount);
  if (!value || typeof value !== 'object') return false;
  return Object.entries(value).some(([k, v]) =>
    k === 'amount' && typeof v === 'number'
      ? !Number.isSafeInteger(v)
      : hasUnsafeAmount(v),
  );
}

function definedOnly(query: Query): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== '') out[k] = String(v);
  }
  return out;
}

function headerOf(res: AxiosResponse, name: string): string | undefined {
  const value = res.headers?.[name];
  return typeof value === 'string' ? value : undefined;
}

function squareErrors(data: unknown): SquareErrorItem[] {
  const list = (data as { errors?: SquareErrorItem[] } | undefined)?.errors;
  if (Array.isArray(list) && list.length) {
    return list.map(({ category, code, detail, field }) => ({
      category,
      code,
      detail,
      field,
    }));
  }
  return [{ detail: 'no Square error body' }];
}

function transportError(error: unknown, operation: string): SquareApiError {
  const code = (error as { code?: string }).code;
  const timedOut = code === 'ECONNABORTED' || code === 'ETIMEDOUT';
  // Only the code and message are kept: the axios error holds the headers.
  const message = error instanceof Error ? error.message : String(error);
  return new SquareApiError(
    undefined,
    {
      category: 'API_ERROR',
      code: timedOut ? 'TIMEOUT' : 'NETWORK_ERROR',
      detail: message,
    },
    undefined,
    undefined,
    operation,
  );
}
