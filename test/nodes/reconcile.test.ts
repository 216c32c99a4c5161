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
// reconcile node for that day. Every location ties; the payload is what
// the debug sidebar shows whole (it cuts a string at 1,000 characters):
// a line for the run and one per location; the full report names each
// category.

type Out = {
  tied: boolean;
  report: string;
  payload: {
    summary: string;
    shops: string[];
    locations: {
      locationId: string;
      tied: boolean;
      rows: { category: string; square: string; x3: string }[];
    }[];
  };
};

const DEBUG_MAX_LENGTH = 1000;

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
    const ids = ['L1HARBOURST01', 'L2MARKETSQ002', 'L3WEBSTORE003'];
    const { summary, shops, locations } = msg.payload;
    assert.deepEqual(
      locations.map((r) => r.locationId),
      ids,
    );
    const net = locations[0].rows.find((r) => r.category === 'netSales');
    assert.ok(net && net.square === net.x3 && net.square !== '0.00');

    assert.equal(summary, `${day.date}: 3 locations tie to the cent`);
    assert.equal(shops.length, 3);
    shops.forEach((line, i) => {
      assert.ok(line.startsWith(`${ids[i]} (X3 site `), line);
      assert.match(line, /ties to the cent, net sales \d+\.\d\d/);
      assert.ok(!line.includes('\n') && line.length < 300, line);
    });
    assert.ok(msg.report.length > DEBUG_MAX_LENGTH, 'the full text stays');
    for (const id of ids) assert.ok(msg.report.includes(id), id);
    assert.match(msg.report, /ties to the cent/);
  });
});
