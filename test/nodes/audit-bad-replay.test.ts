import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import audit from '../../nodes/sqx3-audit';
import ledger from '../../nodes/sqx3-ledger';
import {
  Inbox,
  calls,
  helper,
  lastStatus,
  ledgerNode,
  load,
  sink,
  tab,
  until,
} from './kit';

// Story: a user edits the "replay one record" inject and gets the key or
// the shape wrong. The errors debug shows one line saying what is wrong,
// with no stack, and the audit node's status shows it in red, the same
// for an unknown key as for a command of the wrong shape.

type Caught = {
  error: { message: string; stack?: string; source: { id: string } };
};

async function start() {
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
        wires: [['replayed'], ['reports']],
      },
      {
        id: 'n-catch',
        type: 'catch',
        z: 'tab1',
        scope: null,
        wires: [['audit', 'errors']],
      },
      sink('replayed'),
      sink('reports'),
      sink('errors'),
    ],
  );
  return { errors: Inbox.of<Caught>('errors'), node: helper.getNode('audit') };
}

describe('sqx3-audit: a replay command a user got wrong', () => {
  afterEach(async () => {
    await helper.unload();
  });

  for (const [what, payload, text] of [
    ['an unknown sale key', 'sale:NOPE123', 'no stored record sale:NOPE123'],
    ['a command of the wrong shape', { nope: 1 }, 'replay needs a record key'],
  ] as const) {
    test(`${what}: one line, no stack, a red status`, async () => {
      const { errors, node } = await start();
      node.receive({ topic: 'replay', payload } as never);

      const [caught] = await errors.receive(1);
      assert.ok(caught.error.message.startsWith(text), caught.error.message);
      assert.ok(!caught.error.message.includes('\n'));
      assert.equal(caught.error.stack, undefined, 'no stack');
      assert.equal(caught.error.source.id, 'audit');

      await until('a red status', () => lastStatus(node)?.fill === 'red');
      assert.ok(lastStatus(node)?.text?.startsWith(text.slice(0, 30)));
      // its own error, back through the Catch node, is not reported again
      await errors.stays(1, 200);
      assert.equal(calls(node, 'error').length, 1);
    });
  }
});
