import { badRequest } from './errors';
import type { SquareEmulator, SquareFault } from './emulator';
import type { RefundSpec } from './refund';
import type { Route } from './router';
import type { SaleSpec } from './sale';

// Emulator controls (not part of Square's API), for the launcher, the
// demo and tests: subscriptions, new sales and refunds, faults, reset.

export function adminRoutes(emu: SquareEmulator): Route[] {
  const admin = (
    method: 'GET' | 'POST',
    path: string,
    handler: Route['handler'],
  ): Route => ({ method, path: `/_emulator${path}`, auth: 'admin', handler });

  return [
    admin('GET', '/state', () => ({ body: emu.state() })),
    admin('GET', '/events', () => ({ body: { events: emu.events() } })),
    admin('GET', '/requests', () => ({ body: emu.requestCounts() })),
    admin('POST', '/webhook-subscriptions', (ctx) => {
      const b = ctx.body;
      if (typeof b.notification_url !== 'string') {
        badRequest('MISSING_REQUIRED_PARAMETER', 'notification_url');
      }
      if (typeof b.signature_key !== 'string') {
        badRequest('MISSING_REQUIRED_PARAMETER', 'signature_key');
      }
      const sub = emu.addWebhookSubscription({
        notificationUrl: b.notification_url,
        signatureKey: b.signature_key,
        eventTypes: Array.isArray(b.event_types)
          ? (b.event_types as string[])
          : undefined,
      });
      return {
        body: {
          subscription: {
            id: sub.id,
            notification_url: b.notification_url,
            event_types: b.event_types ?? [],
            enabled: true,
          },
        },
      };
    }),
    admin('POST', '/sales', (ctx) => ({
      body: emu.createSale(ctx.body as unknown as SaleSpec),
    })),
    admin('POST', '/refunds', (ctx) => ({
      body: emu.createRefund(ctx.body as unknown as RefundSpec),
    })),
    admin('POST', '/refunds/:id/complete', (ctx) => ({
      body: { refund: emu.completeRefund(ctx.params.id) },
    })),
    admin('POST', '/customers', (ctx) => ({
      body: { customer: emu.upsertCustomer(ctx.body) },
    })),
    admin('POST', '/faults', (ctx) => {
      emu.setFault(ctx.body as unknown as SquareFault);
      return { body: { ok: true } };
    }),
    admin('POST', '/oauth/codes', (ctx) => {
      const challenge = ctx.body.code_challenge;
      const code = emu.oauth.issueCode(
        typeof challenge === 'string' ? challenge : undefined,
      );
      return { body: { code } };
    }),
    admin('POST', '/oauth/expire', () => {
      emu.oauth.expireAccessTokens();
      return { body: { ok: true } };
    }),
    admin('POST', '/oauth/revoke', () => {
      emu.revokeAuthorization('MERCHANT');
      return { body: { ok: true } };
    }),
    admin('POST', '/reset', () => {
      emu.reset();
      return { body: emu.state() };
    }),
  ];
}
