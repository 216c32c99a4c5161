import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import supertest from 'supertest';
import type { SyncRecord } from '../../lib/sync/record';
import type { SquareEmulator } from '../../sandbox/square/emulator';
import { GOLDEN } from '../../sandbox/seed/square-day';
import {
  Inbox,
  SIGNATURE_KEY,
  SQUARE_TOKEN,
  allModules,
  calls,
  helper,
  ledgerNode,
  ledgerOf,
  load,
  seedDate,
  sink,
  squareConfigNode,
  startSquare,
  tab,
  until,
  type FlowNode,
} from './kit';

// Story: Square sends a verified event about an order the connector
// makes no record of: one it cannot find, one still OPEN, one sold at a
// location the Square config does not sync. Each gets its 200, no record
// and no pending state, and a trail line under the order's key that the
// audit node shows, saying which event it was and why nothing was synced.

const PATH = '/square/webhook';
const NOTIFICATION_URL = 'https://shop.example.test/square/webhook';
const MARKET = 'L2MARKETSQ002';

type Out = { topic: string; payload: SyncRecord };
type Summary = { topic: string; summary: string; payload: unknown };

function flow(squareUrl: string): FlowNode[] {
  return [
    tab(),
    // only the golden sale's shop is synced
    {
      ...squareConfigNode('cfg-square', squareUrl),
      locationIds: GOLDEN.locationId,
    },
    ledgerNode('cfg-ledger'),
    {
      id: 'webhook',
      type: 'sqx3-square-webhook',
      z: 'tab1',
      square: 'cfg-square',
      ledger: 'cfg-ledger',
      path: PATH,
      notificationUrl: NOTIFICATION_URL,
      wires: [['records']],
    },
    {
      id: 'audit',
      type: 'sqx3-audit',
      z: 'tab1',
      ledger: 'cfg-ledger',
      resumeAfterSec: '-1',
      wires: [[], ['report']],
    },
    sink('records'),
    sink('report'),
  ];
}

function orderEvent(eventId: string, orderId: string, state: string) {
  return {
    merchant_id: 'MLQ7SQX3DEMO1',
    type: 'order.updated',
    event_id: eventId,
    created_at: new Date().toISOString(),
    data: {
      type: 'order_updated',
      id: orderId,
      object: { order_updated: { order_id: orderId, state, version: 2 } },
    },
  };
}

describe('sqx3-square-webhook: events that sync nothing', () => {
  const { modules, red } = allModules();
  let square: SquareEmulator;
  let records: Inbox<Out>;
  let report: Inbox<Summary>;

  const deliver = (event: object) => {
    const body = JSON.stringify(event);
    const signature = createHmac('sha256', SIGNATURE_KEY)
      .update(NOTIFICATION_URL + body)
      .digest('base64');
    return supertest(red().httpNode)
      .post(PATH)
      .set('content-type', 'application/json')
      .set('x-square-hmacsha256-signature', signature)
      .send(body);
  };

  const trailOf = (key: string) => ledgerOf('cfg-ledger').trailOf(key);

  const said = (level: 'log' | 'warn') =>
    calls(helper.getNode('webhook'), level).map((args) => String(args[0]));

  before(async () => {
    let url: string;
    ({ square, url } = await startSquare(seedDate()));
    await load(modules, flow(url), {
      'cfg-square': { accessToken: SQUARE_TOKEN },
      webhook: { signatureKey: SIGNATURE_KEY },
    });
    records = Inbox.of<Out>('records');
    report = Inbox.of<Summary>('report');
  });

  after(async () => {
    await helper.unload();
    await square.stop();
  });

  test('an order Square does not know: 200, a trail line, no record', async () => {
    const res = await deliver(
      orderEvent('evt-missing-1', 'NO_SUCH_ORDER', 'COMPLETED'),
    );

    assert.equal(res.status, 200);
    assert.equal(res.text, 'accepted');
    await until(
      'the trail line',
      () => trailOf('sale:NO_SUCH_ORDER').length > 0,
    );
    const [line] = trailOf('sale:NO_SUCH_ORDER');
    assert.equal(line.stage, 'not-synced');
    assert.match(line.detail, /order\.updated event evt-missing-1/);
    assert.match(line.detail, /order NO_SUCH_ORDER not found in Square/);
    assert.equal(ledgerOf('cfg-ledger').get('sale:NO_SUCH_ORDER'), undefined);
    // Square not knowing the order is unusual: a warning, in the sidebar
    assert.ok(
      said('warn').some(
        (l) => l.includes('evt-missing-1') && l.includes('NO_SUCH_ORDER'),
      ),
    );
    await records.stays(0);
  });

  test('an OPEN order: the trail says it is not COMPLETED', async () => {
    const { order } = square.createSale({
      locationId: GOLDEN.locationId,
      lines: [{ variationId: 'VAR_BEANS_HOUSE', quantity: 1 }],
      state: 'OPEN',
    });

    const res = await deliver(orderEvent('evt-open-1', order.id, 'OPEN'));

    assert.equal(res.status, 200);
    const key = `sale:${order.id}`;
    await until('the trail line', () => trailOf(key).length > 0);
    assert.match(trailOf(key)[0].detail, /is OPEN, not COMPLETED/);
    // an order not completed yet is routine: the log, not the sidebar
    assert.ok(said('log').some((l) => l.includes('evt-open-1')));
    assert.ok(!said('warn').some((l) => l.includes('evt-open-1')));
    assert.equal(ledgerOf('cfg-ledger').get(key), undefined);
    const counts = ledgerOf('cfg-ledger').counts();
    assert.equal(
      Object.values(counts).reduce((a, b) => a + b, 0),
      0,
    );

    // the audit node shows it, as it shows any record's trail
    helper.getNode('audit').receive({ topic: 'trail', payload: key });
    const [shown] = await report.receive(1);
    assert.match(shown.summary, /1 trail entries, last not-synced/);
    await records.stays(0);
  });

  test('a sale at a location not synced: no record, the trail says why', async () => {
    const { order } = square.createSale({
      locationId: MARKET,
      lines: [{ variationId: 'VAR_GRINDER', quantity: 1 }],
    });

    const res = await deliver(
      orderEvent('evt-market-1', order.id, 'COMPLETED'),
    );

    assert.equal(res.status, 200);
    const key = `sale:${order.id}`;
    await until('the trail line', () => trailOf(key).length > 0);
    assert.deepEqual(
      trailOf(key).map((t) => t.stage),
      ['not-synced'],
    );
    assert.match(
      trailOf(key)[0].detail,
      /location L2MARKETSQ002 is not synced/,
    );
    assert.equal(ledgerOf('cfg-ledger').get(key), undefined);
    await records.stays(0);

    // the synced shop's sale still comes out
    await deliver(orderEvent('evt-golden-1', GOLDEN.orderId, 'COMPLETED'));
    const [msg] = await records.receive(1);
    assert.equal(msg.payload.key, `sale:${GOLDEN.orderId}`);
  });
});
