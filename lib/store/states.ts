import type { RecordState } from './types';

// Which state may follow which. The rules stop only the moves that would
// misreport X3: a record cannot post without being mapped first, and
// one that is or may be in X3 (posting, posted) cannot be called new or
// skipped. Posted records may go round again (replay, or a newer Square
// version bringing a fee); the documents table still stops any single
// document from being posted twice.

const NEXT: Record<RecordState, readonly RecordState[]> = {
  received: ['held', 'mapped', 'posting', 'posted', 'skipped', 'failed'],
  held: ['held', 'received', 'mapped', 'skipped', 'failed'],
  mapped: ['mapped', 'held', 'posting', 'posted', 'skipped', 'failed'],
  posting: ['posting', 'posted', 'failed', 'mapped', 'held'],
  posted: ['posted', 'mapped', 'held', 'posting', 'failed'],
  failed: [
    'failed',
    'received',
    'held',
    'mapped',
    'posting',
    'posted',
    'skipped',
  ],
  skipped: ['skipped', 'received', 'held', 'mapped', 'failed'],
};

/** States a record is in only while a run is working on it. */
export const UNFINISHED_STATES = ['received', 'mapped', 'posting'] as const;

/** True while the record is on its way (not posted, held, failed, skipped). */
export function isUnfinished(state: string): boolean {
  return (UNFINISHED_STATES as readonly string[]).includes(state);
}

export function canMove(from: RecordState, to: RecordState): boolean {
  return NEXT[from].includes(to);
}

/** The state a record takes when a newer Square version arrives. */
export function stateOnNewerVersion(current: RecordState): RecordState {
  // posting: an X3 call is in flight; posted: X3 already holds it. Both
  // stay, and the write nodes decide from the documents what is left.
  return current === 'posting' || current === 'posted' ? current : 'received';
}
