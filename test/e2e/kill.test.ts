import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runKillTest } from './kill-harness';

// The kill test at CI size: 200 sales (and the refunds of one in ten),
// Node-RED killed with SIGKILL three times during the backfill, once
// right after X3 committed a document whose answer never came back. The
// full size (2,000 sales, 10 kills) is `node scripts/kill-test.js`.

test(
  'SIGKILL during a backfill: every sale once in X3, trails complete',
  {
    timeout: 180_000,
  },
  async (t) => {
    const seed = Number(process.env.SQX3_KILL_SEED) || Date.now() % 2 ** 31;
    const figures = await runKillTest({
      sales: 200,
      kills: 3,
      seed,
      settleTimeoutMs: 90_000,
      log: (line) => t.diagnostic(line),
    });
    t.diagnostic(`seed ${seed}: ${JSON.stringify(figures)}`);

    assert.equal(figures.kills, 3);
    assert.ok(figures.killedAfterCommit, 'one kill followed a lost answer');
    assert.ok(figures.settled, 'the backlog settled after the last restart');
    assert.ok(figures.squareSales >= 200);
    assert.equal(
      figures.x3Invoices,
      figures.squareSales,
      'one invoice per sale',
    );
    assert.equal(
      figures.x3Reversals,
      figures.squareRefunds,
      'one reversal per refund',
    );
    assert.equal(figures.duplicateReferences, 0, 'no reference twice in X3');
    assert.equal(figures.missingInvoices, 0);
    assert.equal(figures.missingReversals, 0);
    assert.deepEqual(figures.incompleteTrails, []);
    assert.ok(
      figures.committedUnrecorded >= 1,
      'a kill left a document in X3 that the ledger had as posting',
    );
    assert.ok(
      figures.foundInX3 >= figures.committedUnrecorded,
      'each was found by its reference, not posted again',
    );
  },
);
