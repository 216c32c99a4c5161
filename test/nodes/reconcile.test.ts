import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from 'node-red';
import {
  Inbox,
  allModules,
  helper,
  ledgerNode,
  load,
  mappingNode,
  sink,
  squareConfigNode,
  tab,
  x3ConfigNode,
  type FlowNode,
} from './kit';
import { postDay, startDay, type Day } from '../unit/reconcile-day';

// Story: the seeded day is in X3; an inject (here: a message) asks the
// reconcile node for that day. Every location ties, and the report
// names each category.

type Out = {
  tied: boolean;
  report: string;
  payload: {
    locationId: string;
    tied: boolean;
    rows: { category: string; square: string; x3: string }[];
  }[];
};

function flow(day: Day): FlowNode[] {
  return [
    tab(),
    squareConfigNode('cfg-square', day.squareUrl),
    x3ConfigNode('cfg-x3', day.x3Url),
    ledgerNode('cfg-ledger'),
    mappingNode('map', 'cfg-ledger', [[], []]),
    {
      id: 'rec',
      type: 'sqx3-reconcile',
      z: 'tab1',
      square: 'cfg-square',
      x3: 'cfg-x3',
      mapping: 'map',
      locations: '',
      wires: [['out']],
    },
    sink('out'),
  ];
}

describe('sqx3-reconcile', () => {
  const { modules } = allModules();
  let day: Day;

  before(async () => {
    day = await startDay();
    await postDay(day);
    await load(modules, flow(day), {
      'cfg-square': { accessToken: 'sqx3-demo-token' },
      'cfg-x3': { secret: 'sqx3-demo-jwt-secret' },
    });
  });

  after(async () => {
    await helper.unload();
    await day.stop();
  });

  test('the seeded day ties at every location', async () => {
    const out = Inbox.of<Out>('out');
    const node: Node = helper.getNode('rec');
    node.receive({ payload: { from: day.date, to: day.date } } as never);

    const [msg] = await out.receive(1);
    assert.equal(msg.tied, true, msg.report);
    assert.deepEqual(
      msg.payload.map((r) => r.locationId),
      ['L1HARBOURST01', 'L2MARKETSQ002', 'L3WEBSTORE003'],
    );
    const net = msg.payload[0].rows.find((r) => r.category === 'netSales');
    assert.ok(net && net.square === net.x3 && net.square !== '0.00');
    assert.match(msg.report, /ties to the cent/);
  });
});
