import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { refundedSaleKey, waitForSale } from '../../lib/ledger/refund-gate';
import type { RecordState } from '../../lib/store/types';
import type { SyncRecord } from '../../lib/sync/record';

const refund = (orderId?: string): SyncRecord => ({
  key: 'refund:R1',
  kind: 'refund',
  version: '1',
  source: 'poll',
  receivedAt: '2026-12-03T12:00:00Z',
  square: orderId
    ? {
        order: { id: orderId, location_id: 'L1' },
        refund: {
          id: 'R1',
          order_id: orderId,
          amount_money: { amount: 500, currency: 'USD' },
        },
      }
    : {},
});

const states =
  (known: Record<string, RecordState>) =>
  (key: string): RecordState | undefined =>
    known[key];

describe('a refund waits for its sale', () => {
  test('the refunded sale is named by the order the refund points at', () => {
    assert.equal(refundedSaleKey(refund('O1')), 'sale:O1');
    assert.equal(refundedSaleKey(refund()), undefined);
  });

  test('a sale in X3 or unknown to the ledger lets the refund through', () => {
    assert.equal(
      waitForSale(refund('O1'), states({ 'sale:O1': 'posted' })),
      undefined,
    );
    assert.equal(waitForSale(refund('O1'), states({})), undefined);
  });

  test('a failed, held or unfinished sale holds the refund back', () => {
    for (const state of ['failed', 'held', 'mapped', 'posting'] as const) {
      assert.equal(
        waitForSale(refund('O1'), states({ 'sale:O1': state })),
        `its sale sale:O1 is not in X3 yet (${state})`,
      );
    }
  });
});
