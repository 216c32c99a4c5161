// Everything that goes wrong talking to X3 surfaces as one X3Error, with
// a code a caller can branch on and the message X3 itself gave.

export type X3ErrorCode =
  | 'business'
  | 'graphql'
  | 'unauthorized'
  | 'iat-future'
  | 'not-found'
  | 'http'
  | 'timeout'
  | 'network'
  | 'bad-response'
  | 'unbalanced'
  | 'invalid-document'
  | 'template'
  | 'token-refresh'
  | 'reauthorise'
  | 'licence'
  | 'token-persist'
  | 'config';

export interface X3ErrorDetails {
  retryable?: boolean;
  retryAfterMs?: number;
  status?: number;
  /** the diagnoses X3 sent, one message each */
  messages?: string[];
  cause?: unknown;
}

export class X3Error extends Error {
  readonly code: X3ErrorCode;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly status?: number;
  readonly messages: string[];

  constructor(
    code: X3ErrorCode,
    message: string,
    details: X3ErrorDetails = {},
  ) {
    super(
      message,
      details.cause === undefined ? undefined : { cause: details.cause },
    );
    this.name = 'X3Error';
    this.code = code;
    this.retryable = details.retryable ?? false;
    this.retryAfterMs = details.retryAfterMs;
    this.status = details.status;
    this.messages = details.messages ?? [message];
  }
}
