// Why a record cannot become X3 documents. None of these get better by
// trying again with the same data, so none is retryable.

export type PostingErrorCode =
  | 'BAD_AMOUNT'
  | 'CURRENCY_MISMATCH'
  | 'BAD_DATA'
  | 'UNMAPPED'
  | 'UNBALANCED'
  | 'REFUND_MISMATCH'
  | 'UNSUPPORTED';

export class PostingError extends Error {
  readonly code: PostingErrorCode;
  readonly retryable = false;

  constructor(code: PostingErrorCode, message: string) {
    super(message);
    this.name = 'PostingError';
    this.code = code;
  }
}
