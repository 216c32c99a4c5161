import { isRetryableStatus } from '../sync/backoff';

// What a failed Square call turns into. It names the HTTP status and
// Square's own error code, category and detail, and never the token.

export interface SquareErrorItem {
  category?: string;
  code?: string;
  detail?: string;
  field?: string;
}

export class SquareApiError extends Error {
  readonly code: string;
  readonly category?: string;
  readonly detail?: string;
  readonly field?: string;
  readonly retryable: boolean;

  constructor(
    readonly status: number | undefined,
    first: SquareErrorItem,
    readonly errors: SquareErrorItem[] = [first],
    readonly retryAfterMs?: number,
    readonly operation?: string,
  ) {
    const code = first.code ?? (status ? `HTTP_${status}` : 'NETWORK_ERROR');
    const where = operation ? `${operation}: ` : '';
    const httpPart = status ? `HTTP ${status} ` : '';
    const detail = first.detail ? ` - ${first.detail}` : '';
    super(`Square ${where}${httpPart}${code}${detail}`);
    this.name = 'SquareApiError';
    this.code = code;
    this.category = first.category;
    this.detail = first.detail;
    this.field = first.field;
    this.retryable = status === undefined || isRetryableStatus(status);
  }
}

export function isNotFound(error: unknown): boolean {
  return error instanceof SquareApiError && error.status === 404;
}
