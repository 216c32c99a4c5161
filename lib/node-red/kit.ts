import type { Node, NodeMessage } from 'node-red';
import { LedgerError } from '../store/errors';

// The few things every node of this package does the same way: a status
// a user can read at a glance, and one place that turns an error into a
// red status plus done(err), so Catch nodes see it.

export type Done = (err?: Error) => void;
export type Send = (msg: NodeMessage | Array<NodeMessage | null>) => void;

export function ok(node: Node, text: string): void {
  node.status({ fill: 'green', shape: 'dot', text });
}

export function busy(node: Node, text: string): void {
  node.status({ fill: 'blue', shape: 'dot', text });
}

export function warn(node: Node, text: string): void {
  node.status({ fill: 'yellow', shape: 'ring', text });
}

export function broken(node: Node, text: string): void {
  node.status({ fill: 'red', shape: 'ring', text });
}

export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

export function fail(node: Node, done: Done, error: unknown): void {
  const err = error instanceof Error ? error : new Error(String(error));
  broken(node, shorten(err.message, 40));
  done(err);
}

export function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * "20:03 EST": a time in a zone, the zone named, so that a status is not
 * read as the server's time.
 */
export function zonedClock(timeZone: string): (at: Date) => string {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  });
  return (at) => {
    const parts = format.formatToParts(at);
    const part = (type: string) =>
      parts.find((p) => p.type === type)?.value ?? '';
    return `${part('hour')}:${part('minute')} ${part('timeZoneName')}`;
  };
}

/**
 * Whether settings.js sends debug lines anywhere. Node-RED builds an
 * Error (a stack trace) for every node.debug() call, logged or not, so a
 * line written per record is skipped when no logger would keep it.
 */
export function logsDebug(settings: unknown): boolean {
  const logging = (settings as { logging?: unknown })?.logging;
  if (!logging || typeof logging !== 'object') return false;
  return Object.values(logging).some((logger) => {
    const level = (logger as { level?: unknown } | null)?.level;
    return level === 'debug' || level === 'trace';
  });
}

/** Users of a config node, so its state can be shown on each of them. */
export class Users {
  /** each user, with what paints its own status back, if it has one */
  private readonly nodes = new Map<Node, (() => void) | undefined>();
  private last?: { fill: 'green' | 'red' | 'yellow'; text: string };

  add(node: Node, repaint?: () => void): void {
    this.nodes.set(node, repaint);
    if (this.last) node.status({ ...this.last, shape: 'ring' });
  }

  remove(node: Node): void {
    this.nodes.delete(node);
  }

  show(fill: 'green' | 'red' | 'yellow', text: string): void {
    this.last = { fill, text };
    for (const node of this.nodes.keys()) {
      node.status({ fill, shape: 'ring', text });
    }
  }

  /** clear(), only while text is what the users show */
  clearIf(text: string): void {
    if (this.last?.text === text) this.clear();
  }

  /**
   * Takes the shown state off every user (the trouble is over): a user
   * that paints its own status (counts) gets it back, the others none.
   */
  clear(): void {
    this.last = undefined;
    for (const [node, repaint] of this.nodes) {
      try {
        if (repaint) repaint();
        else node.status({});
      } catch {
        node.status({});
      }
    }
  }
}

/** Called with the ledger's trouble, or undefined while it works. */
export type HealthListener = (trouble: string | undefined) => void;

/** The ledger node's look at its ledger, for the nodes using it. */
export class LedgerHealth {
  private readonly listeners = new Set<HealthListener>();
  private trouble?: string;

  /**
   * Every look is passed on, changed or not: a node may have met trouble
   * the ledger node never saw (a commit that failed under a write), and
   * learns from the next look that the ledger works again.
   */
  report(trouble: string | undefined): void {
    this.trouble = trouble;
    for (const listener of [...this.listeners]) listener(trouble);
  }

  /** Calls listener now and at every look; returns the unsubscribe. */
  watch(listener: HealthListener): () => void {
    this.listeners.add(listener);
    listener(this.trouble);
    return () => this.listeners.delete(listener);
  }
}

const TROUBLE_CODES = new Set(['LEDGER_OPEN', 'LEDGER_WRITE', 'LEDGER_READ']);

/** A ledger that cannot be opened, written or read, as opposed to bad input. */
export function isLedgerTrouble(error: unknown): boolean {
  return error instanceof LedgerError && TROUBLE_CODES.has(error.code);
}

/**
 * The red status a node shows for the ledger's trouble, its own or the
 * one the ledger node paints on its users: once the ledger works again,
 * the node's usual status is painted back. Stops watching on close.
 */
export class LedgerTrouble {
  private showing = false;

  constructor(
    private readonly node: Node,
    health: LedgerHealth,
    normal: () => void,
  ) {
    const stop = health.watch((trouble) => {
      if (trouble) {
        this.showing = true;
      } else if (this.showing) {
        this.showing = false;
        normal();
      }
    });
    node.on('close', () => {
      stop();
    });
  }

  show(text: string): void {
    this.showing = true;
    broken(this.node, text);
  }

  /** fail(), remembering when the cause was the ledger's trouble. */
  fail(done: Done, error: unknown, cause: unknown = error): void {
    fail(this.node, done, error);
    if (isLedgerTrouble(cause)) this.showing = true;
  }
}

/** Registers an input handler; the cast lives here instead of in each node. */
export function onInput<M>(
  node: Node,
  handler: (msg: M, send: Send, done: Done) => void | Promise<void>,
): void {
  node.on('input', handler as never);
}
