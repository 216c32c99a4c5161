// Square's error envelope: {"errors":[{category, code, detail, field?}]}.

export interface SquareErrorBody {
  category: string;
  code: string;
  detail?: string;
  field?: string;
}

export class EmulatorError extends Error {
  constructor(
    readonly status: number,
    readonly body: SquareErrorBody,
  ) {
    super(body.detail ?? body.code);
  }
}

const CATEGORY_BY_STATUS: Record<number, string> = {
  400: 'INVALID_REQUEST_ERROR',
  401: 'AUTHENTICATION_ERROR',
  403: 'AUTHENTICATION_ERROR',
  404: 'INVALID_REQUEST_ERROR',
  429: 'RATE_LIMIT_ERROR',
};

export function fail(
  status: number,
  code: string,
  detail: string,
  field?: string,
): never {
  const category = CATEGORY_BY_STATUS[status] ?? 'API_ERROR';
  throw new EmulatorError(status, { category, code, detail, field });
}

export function badRequest(
  code: string,
  detail: string,
  field?: string,
): never {
  fail(400, code, detail, field);
}

export function notFound(what: string, id: string): never {
  fail(404, 'NOT_FOUND', `Could not find ${what} with id '${id}'.`);
}

const CODE_BY_STATUS: Record<number, string> = {
  401: 'ACCESS_TOKEN_EXPIRED',
  403: 'FORBIDDEN',
  408: 'REQUEST_TIMEOUT',
  429: 'RATE_LIMITED',
  500: 'INTERNAL_SERVER_ERROR',
  502: 'BAD_GATEWAY',
  503: 'SERVICE_UNAVAILABLE',
  504: 'GATEWAY_TIMEOUT',
};

/** The body an injected fault answers with. */
export function faultBody(status: number): SquareErrorBody {
  return {
    category: CATEGORY_BY_STATUS[status] ?? 'API_ERROR',
    code: CODE_BY_STATUS[status] ?? 'INTERNAL_SERVER_ERROR',
    detail: `Injected fault: HTTP ${status}.`,
  };
}
