import type { Node, NodeAPI, NodeDef } from 'node-red';
import {
  busy,
  fail,
  ok,
  zonedClock,
  type Done,
  type Send,
  onInput,
} from '../lib/node-red/kit';
import type {
  LedgerConfigNode,
  SquareConfigNode,
} from '../lib/node-red/config-types';
import { parseCalendar, nextPollAt, nextSweepAt } from '../lib/sync/calendar';
import { pollSquare, type PollKind } from '../lib/sync/poller';
import { admitAll } from '../lib/sync/intake';
import { InFlight } from '../lib/sync/in-flight';

interface PollDef extends NodeDef {
  square: string;
  ledger: string;
  kinds?: string;
  timeZone?: string;
  businessDays?: string;
  open?: string;
  close?: string;
  businessIntervalSec?: string;
  offHoursIntervalSec?: string;
  sweepAt?: string;
  sweepHours?: string;
  overlapSec?: string;
  backfillFrom?: string;
  /** str (a date), msg (a property of the message that triggers the poll) or env */
  backfillFromType?: string;
  startDelaySec?: string;
  /** records sent and not yet posted, held, failed or skipped; default 50 */
  maxInFlight?: string;
}

const WAKE_DELAY_MS = 2000;
const DEFAULT_IN_FLIGHT = 50;

class Closed extends Error {}

export = function register(RED: NodeAPI) {
  function SquarePoll(this: Node, config: PollDef) {
    RED.nodes.createNode(this, config);
    const square = RED.nodes.getNode(config.square) as SquareConfigNode | null;
    const store = RED.nodes.getNode(config.ledger) as LedgerConfigNode | null;
    if (!square || !store) {
      this.status({
        fill: 'red',
        shape: 'ring',
        text: 'sqx3-square-poll.status.missingConfig',
      });
      return;
    }

    const calendar = parseCalendar({
      timeZone: config.timeZone,
      businessDays: config.businessDays,
      open: config.open,
      close: config.close,
      businessIntervalSec: config.businessIntervalSec,
      offHoursIntervalSec: config.offHoursIntervalSec,
      dailySweepAt: config.sweepAt,
      sweepHours: config.sweepHours,
    });
    const clock = zonedClock(calendar.timeZone);
    const kinds = (config.kinds || 'sale,refund,customer')
      .split(',')
      .map((kind) => kind.trim()) as PollKind[];
    let synced = 0;
    let running = false;
    let timer: NodeJS.Timeout | undefined;
    let sweepTimer: NodeJS.Timeout | undefined;
    let wakeTimer: NodeJS.Timeout | undefined;
    let closed = false;
    const inFlight = new InFlight(
      store.ledger,
      Number(config.maxInFlight) || DEFAULT_IN_FLIGHT,
      60_000,
      (held, tracked) =>
        this.warn(
          tracked
            ? `${held} records sent a minute ago are not settled yet; ` +
                'sending more anyway'
            : 'nothing after the poll moves the records it sends: ' +
                'sending without waiting',
        ),
    );

    const backfillOf = (msg: object): string | undefined => {
      if (!config.backfillFrom) return undefined;
      const value: unknown = RED.util.evaluateNodeProperty(
        config.backfillFrom,
        config.backfillFromType || 'str',
        this,
        msg as never,
      );
      return value ? String(value) : undefined;
    };

    // Without a valid Square grant the node stays red and idle: the config
    // node has reported it once; a redeploy with new tokens starts again.
    const unauthorised = () => square.tokens?.state === 'reauthorise';
    let again = false;

    const schedule = (delayMs?: number) => {
      // A poll still in flight when the node closed must not re-arm it.
      if (closed || unauthorised()) return;
      clearTimeout(timer);
      const now = new Date();
      const at = delayMs === undefined ? nextPollAt(calendar, now) : null;
      const wait = at ? at.getTime() - now.getTime() : (delayMs ?? 0);
      timer = setTimeout(() => this.receive({ topic: 'poll' }), wait);
      if (!running) {
        ok(
          this,
          `next ${clock(at ?? new Date(Date.now() + wait))} · ${synced} synced`,
        );
      }
    };

    const scheduleSweep = () => {
      const wait = nextSweepAt(calendar, new Date()).getTime() - Date.now();
      sweepTimer = setTimeout(() => {
        this.receive({ topic: 'sweep' });
        scheduleSweep();
      }, wait);
    };

    onInput(this, async (msg: { topic?: string }, send: Send, done: Done) => {
      if (running) {
        // One poll at a time; a request meanwhile runs once it ends.
        again = true;
        done();
        return;
      }
      if (unauthorised()) {
        done();
        return;
      }
      running = true;
      again = false;
      busy(
        this,
        `sqx3-square-poll.status.${msg.topic === 'sweep' ? 'sweeping' : 'polling'}`,
      );
      try {
        const result = await pollSquare(
          {
            client: square.client,
            cursors: store.ledger,
            cursorName: `poll:${this.id}`,
            locationIds: square.locationIds,
            kinds,
            overlapSec: Number(config.overlapSec) || 300,
            backfillFrom: backfillOf(msg),
            readAhead: true,
            emitPage: async (records) => {
              for (const record of admitAll(store.ledger, records)) {
                await inFlight.room();
                if (closed) throw new Closed('the node was closed');
                inFlight.add(record.key);
                synced += 1;
                send({ topic: record.kind, payload: record } as never);
              }
            },
          },
          () => undefined,
          msg.topic === 'sweep' ? 'sweep' : 'incremental',
          new Date(),
          calendar.sweepHours,
        );
        this.log(`polled ${result.window.begin}..${result.window.end}`);
        running = false;
        schedule(again ? 0 : undefined);
        done();
      } catch (error) {
        running = false;
        if (
          error instanceof Closed ||
          (error as { code?: string }).code === 'SQUARE_REAUTHORISE'
        ) {
          done();
          return;
        }
        schedule();
        fail(this, done, error);
      }
    });

    square.bus.on('wake', onWake);
    store.users.add(this);
    square.register?.(this);
    function onWake() {
      clearTimeout(wakeTimer);
      wakeTimer = setTimeout(() => schedule(0), WAKE_DELAY_MS);
    }

    schedule((Number(config.startDelaySec) || 1) * 1000);
    scheduleSweep();

    this.on('close', (_removed: boolean, done: () => void) => {
      closed = true;
      inFlight.close();
      clearTimeout(timer);
      clearTimeout(sweepTimer);
      clearTimeout(wakeTimer);
      square.bus.removeListener('wake', onWake);
      store.users.remove(this);
      square.deregister?.(this);
      done();
    });
  }

  RED.nodes.registerType('sqx3-square-poll', SquarePoll);

  RED.httpAdmin.post(
    '/sqx3/square-poll/:id/poll',
    RED.auth.needsPermission('sqx3-square-poll.write'),
    (req, res) => {
      const node = RED.nodes.getNode(String(req.params.id));
      if (!node) {
        res.sendStatus(404);
        return;
      }
      node.receive({ topic: 'poll' });
      res.sendStatus(200);
    },
  );
};
