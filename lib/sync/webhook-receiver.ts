import { verifySquareSignature } from '../square/webhook-signature';
import type { WebhookEvent } from '../square/types';

// One Square webhook delivery, from raw bytes to an answer. The event id
// is written to the ledger before the 2xx, so a redelivery (Square sends
// at least once) is recognised even after a restart; fetching the full
// objects happens after the answer, because Square gives 10 seconds.

export interface EventLedger {
  rememberEvent(eventId: string, type: string): boolean;
  /** commits what was written so far (lib/store Ledger groups commits) */
  flush?(): void;
}

export interface ReceiverOptions {
  signatureKey: string;
  notificationUrl: string;
  ledger: EventLedger;
}

export interface Delivery {
  status: number;
  message: string;
  /** present when the event is new and should be processed */
  event?: WebhookEvent;
}

export function receiveDelivery(
  opts: ReceiverOptions,
  rawBody: Buffer,
  signature: string | undefined,
): Delivery {
  if (!signature) return { status: 401, message: 'missing signature' };

  const valid = verifySquareSignature({
    signatureKey: opts.signatureKey,
    notificationUrl: opts.notificationUrl,
    rawBody,
    signature,
  });
  if (!valid) return { status: 403, message: 'invalid signature' };

  let event: WebhookEvent;
  try {
    event = JSON.parse(rawBody.toString('utf8')) as WebhookEvent;
  } catch {
    return { status: 400, message: 'body is not JSON' };
  }
  if (!event?.event_id || !event.type) {
    return { status: 400, message: 'not a Square event' };
  }

  if (!opts.ledger.rememberEvent(event.event_id, event.type)) {
    return { status: 200, message: 'duplicate event' };
  }
  opts.ledger.flush?.();
  return { status: 200, message: 'accepted', event };
}

// Anyone can send a body, so only an id of the shape Square uses is
// repeated in a log, and only as the id the body claims.
const EVENT_ID = /^[\w-]{1,64}$/;

/**
 * What tells one refused delivery from another in a log, with nothing of
 * the signature or the key: the body's size and the event id it claims.
 */
export function deliveryFacts(rawBody: Buffer): string {
  const facts = [`${rawBody.length} bytes`];
  let claimed: unknown;
  try {
    claimed = (JSON.parse(rawBody.toString('utf8')) as { event_id?: unknown })
      ?.event_id;
  } catch {
    // no id to tell: the size and the address have to do
  }
  if (typeof claimed === 'string' && EVENT_ID.test(claimed)) {
    facts.push(`event id ${claimed} (unverified)`);
  }
  return facts.join(', ');
}
