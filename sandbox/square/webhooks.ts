import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { squareIds } from './ids';

// Delivers webhook events the way Square does: one POST per subscription,
// signed over notification URL + raw body, retried with growing gaps on a
// non-2xx answer or no answer in time. Deliveries run beside the API and
// never hold up its responses.

export interface WebhookSubscriptionSpec {
  notificationUrl: string;
  signatureKey: string;
  /** default: every event type */
  eventTypes?: string[];
}

export interface WebhookSubscription extends WebhookSubscriptionSpec {
  id: string;
}

export interface DeliveryAttempt {
  eventId: string;
  type: string;
  subscriptionId: string;
  retryNumber: number;
  outcome: 'delivered' | 'http_error' | 'http_timeout' | 'other_error';
  status?: number;
}

export interface WebhookOptions {
  /** gaps before each retry; its length is the number of retries */
  retryMs: number[];
  timeoutMs: number;
  squareVersion: string;
  now: () => Date;
}

export type WebhookFault = 'duplicate' | 'reorder';

interface Job {
  sub: WebhookSubscription;
  eventId: string;
  type: string;
  body: string;
  firstAt?: string;
  reason?: string;
}

function sign(algorithm: string, key: string, url: string, body: string) {
  return createHmac(algorithm, key)
    .update(url + body)
    .digest('base64');
}

export class WebhookDeliverer {
  readonly subscriptions: WebhookSubscription[] = [];
  readonly attempts: DeliveryAttempt[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly requests = new Set<http.ClientRequest>();
  private faults: { kind: WebhookFault; count: number }[] = [];
  private held: Job[] = [];
  private pending = 0;
  private stopped = false;
  private idle: (() => void)[] = [];

  constructor(private readonly opts: WebhookOptions) {}

  subscribe(spec: WebhookSubscriptionSpec): WebhookSubscription {
    const id = squareIds.subscription(
      `${spec.notificationUrl}:${this.subscriptions.length}`,
    );
    const sub = { ...spec, id };
    this.subscriptions.push(sub);
    return sub;
  }

  setFault(kind: WebhookFault, count: number): void {
    this.faults.push({ kind, count });
  }

  publish(event: { event_id: string; type: string }): void {
    if (this.stopped) return;
    const body = JSON.stringify(event);
    const fault = this.takeFault();

    for (const sub of this.subscriptions) {
      if (sub.eventTypes?.length && !sub.eventTypes.includes(event.type)) {
        continue;
      }
      const job = { sub, eventId: event.event_id, type: event.type, body };
      if (fault === 'reorder') {
        this.held.push(job);
        continue;
      }
      this.schedule(job, 0, 0);
      if (fault === 'duplicate') this.schedule({ ...job }, 0, 5);
    }
    if (fault !== 'reorder') this.releaseHeld();
  }

  /** Resolves when no delivery is under way or waiting for a retry. */
  settled(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    for (const r of this.requests) r.destroy();
    this.timers.clear();
    this.requests.clear();
    this.pending = 0;
    this.wakeIdle();
  }

  private takeFault(): WebhookFault | undefined {
    const fault = this.faults[0];
    if (!fault) return undefined;
    fault.count -= 1;
    if (fault.count <= 0) this.faults.shift();
    return fault.kind;
  }

  private releaseHeld(): void {
    const held = this.held;
    this.held = [];
    for (const job of held) this.schedule(job, 0, 20);
  }

  private schedule(job: Job, retryNumber: number, delayMs: number): void {
    this.pending += 1;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(job, retryNumber).finally(() => {
        this.pending = Math.max(0, this.pending - 1);
        if (this.pending === 0) this.wakeIdle();
      });
    }, delayMs);
    this.timers.add(timer);
  }

  private wakeIdle(): void {
    const waiting = this.idle;
    this.idle = [];
    for (const resolve of waiting) resolve();
  }

  private async attempt(job: Job, retryNumber: number): Promise<void> {
    if (this.stopped) return;
    job.firstAt ??= this.opts.now().toISOString();
    const { sub, body } = job;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'Square Connect v2',
      'square-version': this.opts.squareVersion,
      'square-environment': 'Sandbox',
      'square-initial-delivery-timestamp': job.firstAt,
      'x-square-hmacsha256-signature': sign(
        'sha256',
        sub.signatureKey,
        sub.notificationUrl,
        body,
      ),
      'x-square-signature': sign(
        'sha1',
        sub.signatureKey,
        sub.notificationUrl,
        body,
      ),
    };
    const url = sub.notificationUrl;
    const outcome = await this.post(url, headers, job, retryNumber);
    this.attempts.push({
      eventId: job.eventId,
      type: job.type,
      subscriptionId: sub.id,
      retryNumber,
      ...outcome,
    });
    if (outcome.outcome === 'delivered' || this.stopped) return;

    const gap = this.opts.retryMs[retryNumber];
    if (gap === undefined) return;
    const retry = { ...job, reason: outcome.outcome };
    this.schedule(retry, retryNumber + 1, gap);
  }

  private post(
    url: string,
    headers: Record<string, string>,
    job: Job,
    retryNumber: number,
  ): Promise<Pick<DeliveryAttempt, 'outcome' | 'status'>> {
    if (retryNumber > 0) {
      headers['square-retry-number'] = String(retryNumber);
      headers['square-retry-reason'] = job.reason ?? 'other_error';
    }
    const target = new URL(url);
    const lib = target.protocol === 'https:' ? https : http;
    headers['content-length'] = String(Buffer.byteLength(job.body));

    return new Promise((resolve) => {
      const req = lib.request(target, { method: 'POST', headers });
      this.requests.add(req);
      const done = (r: Pick<DeliveryAttempt, 'outcome' | 'status'>) => {
        this.requests.delete(req);
        resolve(r);
      };
      req.setTimeout(this.opts.timeoutMs, () => {
        req.destroy();
        done({ outcome: 'http_timeout' });
      });
      req.on('response', (res) => {
        res.resume();
        const status = res.statusCode ?? 0;
        const ok = status >= 200 && status < 300;
        done({ outcome: ok ? 'delivered' : 'http_error', status });
      });
      req.on('error', () => done({ outcome: 'other_error' }));
      req.end(job.body);
    });
  }
}
