import {
  createCustomer,
  deleteCustomer,
  updateCustomer,
} from './customers-api';
import type { IdempotencyKeys } from './idempotency';
import { createOrder, payOrder } from './orders-api';
import {
  PaymentFailed,
  cancelPayment,
  capturePayment,
  completePayment,
  createPayment,
} from './payments-api';
import { refundPayment } from './refunds-api';
import type { Route, RouteContext, RouteResult } from './router';

// Square's own write endpoints, as a Square app (or the official SDK)
// calls them. Writes that take an idempotency key answer a repeat with
// the first answer and change nothing.

export interface WriteEnv {
  idempotency: IdempotencyKeys;
  /** Square completes a refund a moment after answering PENDING */
  settleRefund(refundId: string): void;
}

export function writeRoutes(env: WriteEnv): Route[] {
  const route = (
    method: Route['method'],
    path: string,
    handler: (ctx: RouteContext) => RouteResult,
  ): Route => ({ method, path, auth: 'bearer', handler });
  const once = <T>(
    ctx: RouteContext,
    endpoint: string,
    max: number,
    make: () => T,
  ): T =>
    env.idempotency.once(
      endpoint,
      ctx.body.idempotency_key,
      ctx.body,
      max,
      make,
    );

  return [
    route('POST', '/v2/customers', (ctx) => {
      const make = () => ({ customer: createCustomer(ctx.store, ctx.body) });
      if (ctx.body.idempotency_key === undefined) return { body: make() };
      return { body: once(ctx, 'CreateCustomer', 45, make) };
    }),
    route('PUT', '/v2/customers/:id', (ctx) => ({
      body: { customer: updateCustomer(ctx.store, ctx.params.id, ctx.body) },
    })),
    route('DELETE', '/v2/customers/:id', (ctx) => {
      deleteCustomer(ctx.store, ctx.params.id);
      return { body: {} };
    }),
    route('POST', '/v2/orders', (ctx) => {
      const make = () => ({ order: createOrder(ctx.store, ctx.body) });
      if (ctx.body.idempotency_key === undefined) return { body: make() };
      return { body: once(ctx, 'CreateOrder', 192, make) };
    }),
    route('POST', '/v2/orders/:id/pay', (ctx) => ({
      body: once(ctx, `PayOrder:${ctx.params.id}`, 192, () => ({
        order: payOrder(ctx.store, ctx.params.id, ctx.body, (p) =>
          capturePayment(ctx.store, p),
        ),
      })),
    })),
    route('POST', '/v2/payments', (ctx) => {
      try {
        return {
          body: once(ctx, 'CreatePayment', 45, () => ({
            payment: createPayment(ctx.store, ctx.body),
          })),
        };
      } catch (error) {
        if (!(error instanceof PaymentFailed)) throw error;
        return {
          status: error.status,
          body: { errors: [error.body], payment: error.payment },
        };
      }
    }),
    route('POST', '/v2/payments/:id/complete', (ctx) => ({
      body: { payment: completePayment(ctx.store, ctx.params.id, ctx.body) },
    })),
    route('POST', '/v2/payments/:id/cancel', (ctx) => ({
      body: { payment: cancelPayment(ctx.store, ctx.params.id) },
    })),
    route('POST', '/v2/refunds', (ctx) => {
      const body = once(ctx, 'RefundPayment', 45, () => {
        const refund = refundPayment(ctx.store, ctx.body);
        env.settleRefund(refund.id);
        return { refund };
      });
      return { body };
    }),
  ];
}
