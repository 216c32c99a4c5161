import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Node } from 'node-red';
import { mappingToCsv } from '../../lib/ledger/mapping-csv';
import type { MappingTables } from '../../lib/ledger/types';
import type { SquareClient } from '../../lib/square/client';
import { saleRecordForOrder } from '../../lib/square/fetch-record';
import type { SyncRecord } from '../../lib/sync/record';
import type { SquareEmulator } from '../../sandbox/square/emulator';
import {
  Inbox,
  allModules,
  calls,
  exampleTables,
  helper,
  ledgerOf,
  load,
  mappingNode,
  seedDate,
  sink,
  startSquare,
  tab,
  type FlowNode,
} from './kit';

// Story: the deployed tables lack the mug. A CSV imported by msg adds it;
// the flow restarts (same config) and the mug still maps, because the
// imported tables were kept in the ledger file. Then the tables change in
// the editor: after that restart the editor's tables win and the mug is
// held again. The node's log says which tables it uses each time.

type Mapped = {
  payload: SyncRecord;
  mapping: { lines: Record<string, { product: string }> };
};
type Held = { payload: SyncRecord; held: string[] };

describe('sqx3-mapping: tables set by msg survive a restart', () => {
  const { modules } = allModules();
  let square: SquareEmulator;
  let client: SquareClient;
  let dir = '';

  const deployed = () => {
    const t = exampleTables();
    delete t.products.VAR_MUG;
    delete t.genericProduct;
    return t;
  };

  const flow = (tables: Record<string, unknown>): FlowNode[] => [
    tab(),
    {
      id: 'cfg-ledger',
      type: 'sqx3-ledger',
      name: 'sync ledger',
      file: path.join(dir, 'ledger.sqlite'),
    },
    mappingNode('mapping', 'cfg-ledger', [['mapped'], ['held']], tables),
    sink('mapped'),
    sink('held'),
  ];

  async function mugSale(): Promise<SyncRecord> {
    const { order } = square.createSale({
      lines: [{ variationId: 'VAR_MUG' }],
    });
    return (await saleRecordForOrder(client, order.id, 'poll')) as SyncRecord;
  }

  const send = (record: SyncRecord) => {
    ledgerOf('cfg-ledger').receive(record);
    const node: Node = helper.getNode('mapping');
    node.receive({ topic: 'sale', payload: record } as never);
  };

  const logs = () =>
    calls(helper.getNode('mapping'), 'log').map((args) => String(args[0]));

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqx3-kept-'));
    ({ square, client } = await startSquare(seedDate()));
  });

  after(async () => {
    await helper.unload();
    await square.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('import by msg, restart: the imported row still resolves', async () => {
    await load(modules, flow(deployed()));
    assert.ok(logs().includes('using the deployed tables'), logs().join(' | '));
    const held = Inbox.of<Held>('held');
    send(await mugSale());
    const [first] = await held.receive(1);
    assert.deepEqual(first.held, ['product for VAR_MUG ("Stoneware mug")']);

    const full = exampleTables() as MappingTables;
    const node: Node = helper.getNode('mapping');
    node.receive({ topic: 'import-csv', payload: mappingToCsv(full) } as never);
    // the held mug goes on by itself once the imported tables cover it
    const mapped = Inbox.of<Mapped>('mapped');
    await mapped.receive(1);

    await helper.unload();
    await load(modules, flow(deployed()));
    const line = logs().find((l) =>
      l.startsWith('using the tables set by msg'),
    );
    assert.match(
      String(line),
      /^using the tables set by msg \(import-csv\) at \d{4}-/,
    );

    const again = Inbox.of<Mapped>('mapped');
    send(await mugSale());
    const [msg] = await again.receive(1);
    assert.deepEqual(
      Object.values(msg.mapping.lines).map((l) => l.product),
      ['MUG-STD'],
    );
  });

  test('the tables changed in the editor win after the next restart', async () => {
    await helper.unload();
    const edited = deployed();
    edited.tenders = { ...edited.tenders, 'EXTERNAL:CHECK': 'CLEARING-CHK' };
    await load(modules, flow(edited));
    const line = logs().find((l) => l.startsWith('using the deployed tables'));
    assert.equal(
      String(line).replace(/ at \S+,/, ' at <time>,'),
      'using the deployed tables: they changed in the editor since the ' +
        'tables set by msg (import-csv) at <time>, which are set aside',
    );

    const held = Inbox.of<Held>('held');
    send(await mugSale());
    const [msg] = await held.receive(1);
    assert.deepEqual(msg.held, ['product for VAR_MUG ("Stoneware mug")']);

    // and a restart with those same editor tables keeps using them
    await helper.unload();
    await load(modules, flow(edited));
    assert.ok(
      logs().some((l) => l.startsWith('using the deployed tables')),
      logs().join(' | '),
    );
  });
});
