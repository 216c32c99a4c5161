import type { SyncRecord } from '../../lib/sync/record';

/** A Square customer as the ledger stores it, for the ledger file tests. */
export function customer(id: string, version: string): SyncRecord {
  return {
    key: `customer:${id}`,
    kind: 'customer',
    version,
    source: 'webhook',
    square: { customer: { id, updated_at: '2025-03-01T10:00:00Z' } },
    receivedAt: '2025-03-01T10:00:01Z',
  };
}
