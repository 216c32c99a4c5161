import type { Request, Response } from 'express';
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { captureRawBody, removeRoute } from '../lib/node-red/raw-body';
import type { RawRequest } from '../lib/node-red/raw-body';
import {
  LedgerTrouble,
  broken,
  errorText,
  isLedgerTrouble,
  ok,
  warn,
} from '../lib/node-red/kit';
import type {
  LedgerConfigNode,
  SquareConfigNode,
} from '../lib/node-red/config-types';
import { deliveryFacts, receiveDelivery } from '../lib/sync/webhook-receiver';
import { takeEvent } from '../lib/sync/webhook-intake';
import type { WebhookEvent } from '../lib/square/types';

interface WebhookDef extends NodeDef {
  square: string;
  ledger: string;
  path: string;
  notificationUrl: string;
  maxBytes?: string;
}

type Self = Node & { credentials: { signatureKey?: string } };

export = function register(RED: NodeAPI) {
  function SquareWebhook(this: Self, config: WebhookDef) {
    RED.nodes.createNode(this, config);
    const square = RED.nodes.getNode(config.square) as SquareConfigNode | null;
    const store = RED.nodes.getNode(config.ledger) as LedgerConfigNode | null;
    const signatureKey = this.credentials?.signatureKey;
    if (!square || !store || !signatureKey || !config.notificationUrl) {
      broken(this, 'sqx3-square-webhook.status.missingConfig');
      return;
    }

    const route = normalisePath(config.path);
    const fullPath = joinPath(httpNodeRoot(RED), route);
    const maxBytes = Number(config.maxBytes) || 256 * 1024;
    let accepted = 0;
    const LEDGER_DOWN = 'sqx3-square-webhook.status.ledgerUnavailable';

    const capture = captureRawBody(
      RED.httpNode as never,
      (method, pathname) => method === 'POST' && pathname === fullPath,
      maxBytes,
    );

    const handler = (req: Request, res: Response) => {
      const raw = req as unknown as RawRequest;
      const from = `from ${req.ip || req.socket?.remoteAddress || 'unknown'}`;
      if (raw.rawBodyTooLarge) {
        res.status(413).send('body too large');
        this.warn(`webhook refused: body over ${maxBytes} bytes; ${from}`);
        return;
      }
      const body = Buffer.isBuffer(raw.body) ? raw.body : null;
      if (!body) {
        res.status(400).send('body not readable');
        this.warn('webhook body arrived already parsed; raw capture missed');
        return;
      }

      let delivery;
      try {
        delivery = receiveDelivery(
          {
            signatureKey,
            notificationUrl: config.notificationUrl,
            ledger: store.ledger,
          },
          body,
          req.header('x-square-hmacsha256-signature'),
        );
      } catch (error) {
        // The ledger could not record the event: make Square retry.
        res.status(503).send('ledger unavailable');
        trouble.show(LEDGER_DOWN);
        this.error(`webhook not stored: ${errorText(error)}`);
        return;
      }
      res.status(delivery.status).send(delivery.message);
      if (delivery.status >= 400) {
        this.warn(
          `webhook refused: ${delivery.message}; ${from}, ${deliveryFacts(body)}`,
        );
        return;
      }
      if (!delivery.event) return;

      const event = delivery.event;
      if (!SYNCED.test(event.type)) {
        if (event.type === 'oauth.authorization.revoked') {
          square.bus.emit('revoked');
        }
        this.log(
          `event ${event.event_id} ${event.type} acknowledged, not synced`,
        );
        return;
      }
      accepted += 1;
      square.bus.emit('wake', event.type);
      this.log(`event ${event.event_id} ${event.type} accepted`);
      processEvent(event).catch((error) => {
        // The Square config node reports a lost grant once, for all users.
        if ((error as { code?: string }).code === 'SQUARE_REAUTHORISE') return;
        if (isLedgerTrouble(error)) trouble.show(LEDGER_DOWN);
        else warn(this, `fetch failed: ${event.type}`);
        this.error(`event ${event.event_id}: ${errorText(error)}`, {
          payload: { event_id: event.event_id, type: event.type },
        } as never);
      });
    };

    const processEvent = async (event: WebhookEvent) => {
      const { admitted, unsynced } = await takeEvent(
        {
          client: square.client,
          ledger: store.ledger,
          locationIds: square.locationIds,
        },
        event,
      );
      for (const { key, reason, missing } of unsynced) {
        const line = `event ${event.event_id} ${event.type}: ${key} not synced, ${reason}`;
        // in the debug sidebar too when Square does not know the object;
        // an open order or a shop not synced is routine, the log will do
        if (missing) this.warn(line);
        else this.log(line);
      }
      for (const record of admitted) {
        this.send({ topic: record.kind, payload: record } as never);
      }
      showCount();
    };

    const showCount = () => {
      if (square.tokens?.state === 'reauthorise') return;
      ok(this, accepted ? `${accepted} events` : `listening on ${route}`);
    };

    RED.httpNode.post(route, handler);
    store.users.add(this);
    ok(this, `listening on ${route}`);
    square.register?.(this);
    const trouble = new LedgerTrouble(this, store.health, showCount);

    this.on('close', (_removed: boolean, done: () => void) => {
      removeRoute(RED.httpNode as never, handler);
      capture.remove();
      store.users.remove(this);
      square.deregister?.(this);
      done();
    });
  }

  RED.nodes.registerType('sqx3-square-webhook', SquareWebhook as never, {
    credentials: { signatureKey: { type: 'password' } },
  });
};

/** Event families that carry sales, refunds or customers. */
const SYNCED = /^(payment|order|refund|customer)\./;

function normalisePath(path: string): string {
  const trimmed = (path || '/square/webhook').trim();
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

function httpNodeRoot(RED: NodeAPI): string {
  const root = (RED.settings as { httpNodeRoot?: string | false }).httpNodeRoot;
  return typeof root === 'string' ? root : '/';
}

function joinPath(root: string, route: string): string {
  return `${root.replace(/\/+$/, '')}${route}`;
}
