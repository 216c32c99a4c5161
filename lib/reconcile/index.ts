// Reconciliation: Square's totals against what X3 holds, by category.

export * from './figures';
export { reconcile } from './reconcile';
export type {
  ForeignDocument,
  ReconcileOptions,
  ReconcileRow,
  Reconciliation,
  RecordFigures,
  SkippedRecord,
  StrayDocument,
} from './reconcile';
export { formatReconciliation, summary } from './format';
export { squareFigures } from './square-side';
export { postingSkip } from './skipped';
export { squareRecords, addDays, type DayRange } from './square-records';
export { postRecords } from './post-records';
export type { PostRecordsOptions, PostRecordsResult } from './post-records';
export { runReconciliation, type RunRequest, type RunOptions } from './run';
export { recordSkus, type SkuLookup, type SkuOf } from './skus';
