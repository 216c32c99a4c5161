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
import type { Day } from '../unit/reconcile-day';
import {
  HARBOUR,
  postedDay,
  skuTables,
  type SoldClasses,
} from '../unit/reconcile-sku-day';

// Story: the brewing class is mapped only by its catalog SKU, and the
// mapping node reads SKUs through its Square connection. A day with a
// class sale, a refund of part of it and a free class is in X3. Asked for
// Harbour Street, the reconcile node maps through that node's SKU lookup
// (fresh, as after a deploy) and the day ties.

type Out = { tied: boolean; report: string };

function flow(day: Day): FlowNode[] {
  return [
    tab(),
    squareConfigNode('cfg-square', day.squareUrl),
    x3ConfigNode('cfg-x3', day.x3Url),
    ledgerNode('cfg-ledger'),
    {
      ...mappingNode('map', 'cfg-ledger', [[], []], { ...skuTables() }),
      square: 'cfg-square',
    },
    {
      id: 'rec',
      type: 'sqx3-reconcile',
      z: 'tab1',
      square: 'cfg-square',
      x3: 'cfg-x3',
      mapping: 'map',
      locations: HARBOUR,
      wires: [['out']],
    },
    sink('out'),
  ];
}

describe('sqx3-reconcile: lines mapped by SKU', () => {
  const { modules } = allModules();
  let day: Day;
  let keys: SoldClasses;

  before(async () => {
    ({ day, keys } = await postedDay());
    await load(modules, flow(day), {
      'cfg-square': { accessToken: 'sqx3-demo-token' },
      'cfg-x3': { secret: 'sqx3-demo-jwt-secret' },
    });
  });

  after(async () => {
    await helper.unload();
    await day.stop();
  });

  test('the SKU-mapped refund and free class tie', async () => {
    const out = Inbox.of<Out>('out');
    const node: Node = helper.getNode('rec');
    node.receive({ payload: { from: day.date, to: day.date } } as never);

    const [msg] = await out.receive(1);
    assert.equal(msg.tied, true, msg.report);
    assert.match(msg.report, /ties to the cent/);
    assert.match(msg.report, /skipped \(zero-value sale\): 1 record/);
    assert.ok(msg.report.includes(keys.free), msg.report);
  });
});
