import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Node } from 'node-red';
import { mappingToCsv } from '../../lib/ledger/mapping-csv';
import {
  Inbox,
  allModules,
  calls,
  exampleTables,
  helper,
  load,
  mappingNode,
  sink,
  tab,
} from './kit';

// Story: a flow sends the mapping node tables that are not tables (a
// number, a string, a list, a table of the wrong shape). Each is refused
// with an error naming what is wrong, and the node goes on with the
// tables it had: its CSV export is the same as before.

describe('sqx3-mapping: malformed tables by msg are refused', () => {
  const { modules } = allModules();
  let dir = '';

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqx3-badtables-'));
  });

  after(async () => {
    await helper.unload();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the node keeps its tables and says why', async () => {
    await load(modules, [
      tab(),
      {
        id: 'cfg-ledger',
        type: 'sqx3-ledger',
        name: 'sync ledger',
        file: path.join(dir, 'ledger.sqlite'),
      },
      mappingNode('mapping', 'cfg-ledger', [['out'], ['held']]),
      sink('out'),
      sink('held'),
    ]);
    const node: Node = helper.getNode('mapping');
    const bad: [unknown, RegExp][] = [
      [42, /must be the tables object, not a number/],
      ['"hello"', /must be the tables object, not a string/],
      ['hello', /not JSON/],
      [[1, 2], /must be the tables object, not a list/],
      [{}, /holds none of the tables/],
      [{ sites: 'x' }, /"sites" must be an object/],
      [{ sites: { L1: 'S' }, extra: {} }, /unknown table "extra"/],
    ];
    for (const [payload] of bad) {
      node.receive({ topic: 'tables', payload } as never);
    }
    const out = Inbox.of<{ payload: string }>('out');
    node.receive({ topic: 'export-csv' } as never);
    const [exported] = await out.receive(1);
    assert.equal(exported.payload, mappingToCsv(exampleTables() as never));

    const errors = calls(node, 'error').map((args) => String(args[0]));
    assert.equal(errors.length, bad.length, errors.join(' | '));
    bad.forEach(([, error], i) => assert.match(errors[i], error));
    const logs = calls(node, 'log').map((args) => String(args[0]));
    assert.ok(!logs.some((l) => l.startsWith('using the tables set by msg')));
  });
});
