import { X3Error } from './errors';
import { exchange, FetchLike, parseJson } from './http';

// One refresh_token grant at the X3 cloud gateway's token endpoint
// (POST /v1/token). Each grant rotates the refresh token: the old one is
// dead the moment the answer is sent, so the caller stores the new one
// before it does anything else.

export interface CloudTokens {
  accessToken?: string;
  /** epoch ms */
  accessExpiresAt?: number;
  refreshToken: string;
}

export interface CloudGrantOptions {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  now: number;
  timeoutMs: number;
  fetch?: FetchLike;
}

// The gateway's answers that mean the customer must approve the app
// again: the refresh token expired, was used already or was deleted.
const DEAD_GRANT = new Set([
  'invalid_grant',
  'invalid_client',
  'unauthorized_client',
]);

export async function refreshGrant(
  opts: CloudGrantOptions,
): Promise<CloudTokens> {
  const form = new URLSearchParams({
    grant_type: 'refresh_token',
    client_id: opts.clientId,
    client_secret: opts.clientSecret,
    refresh_token: opts.refreshToken,
  });
  const answer = await exchange(
    opts.tokenUrl,
    {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    },
    { timeoutMs: opts.timeoutMs, fetch: opts.fetch },
  );

  const body = parseJson(answer) as Record<string, unknown> | undefined;
  if (answer.status === 200 && typeof body?.access_token === 'string') {
    const lifetime = Number(body.expires_in ?? 300);
    return {
      accessToken: body.access_token,
      accessExpiresAt: opts.now + lifetime * 1000,
      refreshToken:
        typeof body.refresh_token === 'string'
          ? body.refresh_token
          : opts.refreshToken,
    };
  }

  const reason = typeof body?.error === 'string' ? body.error : 'no token';
  if (DEAD_GRANT.has(reason)) {
    throw new X3Error(
      'reauthorise',
      `X3 refused the refresh token (${reason}): re-authorise the app`,
      {
        status: answer.status,
      },
    );
  }
  throw new X3Error(
    'token-refresh',
    `X3 token refresh refused (${answer.status} ${reason})`,
    {
      status: answer.status,
      retryable: answer.status >= 500 || answer.status === 429,
    },
  );
}
