import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import audit from '../../nodes/sqx3-audit';
import ledger from '../../nodes/sqx3-ledger';
import { saleRecordForOrder } from '../../lib/square/fetch-record';
import type { SyncRecord } from '../../lib/sync/record';
import type { SquareEmulator } from '../../sandbox/square/emulator';
import { GOLDEN } from '../../sandbox/seed/square-day';
import {
  Inbox,
  helper,
  ledgerNode,
  ledgerOf,
  load,
  seedDate,
  sink,
  startSquare,
  tab,
} from './kit';

// Story: the audit node's "replay what" is a typed input. By default the
// command is msg.payload; set to a fixed text, a JSON object or a flow
// variable, an inject with only topic "replay" replays what it names.

type Replayed = { topic: string; payload: SyncRecord };

describe('sqx3-audit: the replay command as a typed input', () => {
  let square: SquareEmulator;
  let sale: SyncRecord;

  before(async () => {
    const started = await startSquare(seedDate());
    square = started.square;
    const found = await saleRecordForOrder(
      started.client,
      GOLDEN.orderId,
      'poll',
    );
    assert.ok(found);
    sale = found;
  });

  afterEach(async () => {
    await helper.unload();
  });

  after(async () => {
    await square.stop();
  });

  async function start(replay?: string, replayType?: string) {
    await load(
      [ledger, audit],
      [
        tab(),
        ledgerNode('cfg-ledger'),
        {
          id: 'audit',
          type: 'sqx3-audit',
          z: 'tab1',
          ledger: 'cfg-ledger',
          resumeAfterSec: '-1',
          replay,
          replayType,
          wires: [['replayed'], ['reports']],
        },
        sink('replayed'),
        sink('reports'),
      ],
    );
    const store = ledgerOf('cfg-ledger');
    store.receive(sale);
    store.setState(sale.key, 'failed', 'X3 refused it');
    return {
      replayed: Inbox.of<Replayed>('replayed'),
      reports: Inbox.of('reports'),
    };
  }

  test('default: the command is msg.payload', async () => {
    const { replayed, reports } = await start();
    helper.getNode('audit').receive({ topic: 'replay', payload: sale.key });
    const [one] = await replayed.receive(1);
    assert.equal(one.payload.key, sale.key);
    assert.equal(one.payload.source, 'replay');
    const [report] = await reports.receive(1);
    assert.deepEqual(report.payload, { replayed: 1 });
  });

  test('a fixed text "held" replays the held records only', async () => {
    const { replayed, reports } = await start('held', 'str');
    helper.getNode('audit').receive({ topic: 'replay', payload: sale.key });
    const [report] = await reports.receive(1);
    assert.deepEqual(report.payload, { replayed: 0 });
    await replayed.stays(0, 100);
  });

  test('a JSON object {"state": "failed"} replays the failed one', async () => {
    const { replayed } = await start('{"state":"failed"}', 'json');
    helper.getNode('audit').receive({ topic: 'replay' });
    const [one] = await replayed.receive(1);
    assert.equal(one.payload.key, sale.key);
  });

  test('a flow variable holds the record key', async () => {
    const { replayed } = await start('replayKey', 'flow');
    const node = helper.getNode('audit');
    node.context().flow.set('replayKey', sale.key);
    node.receive({ topic: 'replay', payload: 'ignored' });
    const [one] = await replayed.receive(1);
    assert.equal(one.payload.key, sale.key);
  });
});
