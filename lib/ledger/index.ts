// The posting rules: Square records to X3 documents.

export * from './types';
export { documentReference, customerCode } from './reference';
export { PostingError, type PostingErrorCode } from './errors';
export {
  currencyExponent,
  moneyAmount,
  largestRemainder,
  sumAmounts,
} from './money';
export { accountingDate } from './dates';
export { assertBalanced } from './entry';
export { resolveMapping, type ResolveOptions } from './mapping';
export { planPosting, customerDoc, type PlanOptions } from './plan';
