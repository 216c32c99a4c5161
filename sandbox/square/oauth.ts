import { createHash } from 'node:crypto';
import { badRequest, fail } from './errors';
import { squareIds, type IdSource } from './ids';

// Square's OAuth as the docs describe it: access tokens live 30 days;
// the code flow's refresh token is reusable and comes back unchanged,
// while a PKCE refresh token is single-use, lasts 90 days and rotates.

const DAY_MS = 24 * 3_600_000;
const GRACE_MS = 15 * DAY_MS;
const SCOPES = [
  'MERCHANT_PROFILE_READ',
  'PAYMENTS_READ',
  'ORDERS_READ',
  'CUSTOMERS_READ',
];

export interface OAuthOptions {
  clientId: string;
  clientSecret: string;
  personalTokens: string[];
  merchantId: string;
  now: () => Date;
  ids: IdSource;
}

interface Grant {
  kind: 'personal' | 'oauth';
  expiresAt?: number;
  revoked?: boolean;
}

interface RefreshGrant {
  pkce: boolean;
  /** expiry of the last access token issued on this grant */
  accessExpiresAt?: number;
  used?: boolean;
  expiresAt?: number;
  revoked?: boolean;
}

interface CodeGrant {
  codeChallenge?: string;
  expiresAt: number;
}

type Body = Record<string, unknown>;

function unauthorized(code: string, detail: string): never {
  fail(401, code, detail);
}

export class OAuthState {
  private readonly access = new Map<string, Grant>();
  private readonly refresh = new Map<string, RefreshGrant>();
  private readonly codes = new Map<string, CodeGrant>();

  constructor(private readonly opts: OAuthOptions) {
    for (const t of opts.personalTokens) {
      this.access.set(t, { kind: 'personal' });
    }
  }

  get clientId(): string {
    return this.opts.clientId;
  }

  isClientSecret(secret: string | undefined): boolean {
    return secret === this.opts.clientSecret;
  }

  issueCode(codeChallenge?: string): string {
    const code = squareIds.token('sq0cgb-', this.opts.ids.next('code'));
    const expiresAt = this.opts.now().getTime() + 5 * 60_000;
    this.codes.set(code, { codeChallenge, expiresAt });
    return code;
  }

  /** Makes every OAuth access token expired, to test 401 handling. */
  expireAccessTokens(): void {
    const past = this.opts.now().getTime() - 1;
    for (const g of this.access.values()) {
      if (g.kind === 'oauth') g.expiresAt = past;
    }
  }

  /** Revokes the whole authorization: access and refresh tokens. */
  revokeAll(): void {
    for (const g of this.access.values()) {
      if (g.kind === 'oauth') g.revoked = true;
    }
    for (const r of this.refresh.values()) r.revoked = true;
  }

  check(token: string | undefined): Grant {
    if (!token) {
      unauthorized('UNAUTHORIZED', 'This request could not be authorized.');
    }
    const grant = this.access.get(token);
    if (!grant) {
      unauthorized('UNAUTHORIZED', 'This request could not be authorized.');
    }
    if (grant.revoked) {
      unauthorized('ACCESS_TOKEN_REVOKED', 'The access token was revoked.');
    }
    if (grant.expiresAt !== undefined && grant.expiresAt <= this.nowMs()) {
      unauthorized('ACCESS_TOKEN_EXPIRED', 'The access token has expired.');
    }
    return grant;
  }

  status(token: string | undefined) {
    const grant = this.check(token);
    return {
      scopes: SCOPES,
      ...(grant.expiresAt !== undefined
        ? { expires_at: this.iso(grant.expiresAt) }
        : {}),
      client_id: this.opts.clientId,
      merchant_id: this.opts.merchantId,
    };
  }

  obtainToken(body: Body) {
    if (typeof body.client_id !== 'string' || !body.client_id) {
      badRequest('MISSING_REQUIRED_PARAMETER', 'client_id is required.');
    }
    if (body.client_id !== this.opts.clientId) {
      unauthorized('UNAUTHORIZED', 'Unknown client_id.');
    }
    if (body.grant_type === 'authorization_code') return this.byCode(body);
    if (body.grant_type === 'refresh_token') return this.byRefresh(body);
    return badRequest(
      'INVALID_VALUE',
      'grant_type must be authorization_code or refresh_token.',
      'grant_type',
    );
  }

  private byCode(body: Body) {
    const code = this.codes.get(String(body.code ?? ''));
    this.codes.delete(String(body.code ?? ''));
    if (!code || code.expiresAt <= this.nowMs()) {
      unauthorized('UNAUTHORIZED', 'The authorization code is not valid.');
    }
    if (code.codeChallenge) {
      const verifier = String(body.code_verifier ?? '');
      const digest = createHash('sha256').update(verifier).digest('base64url');
      if (digest !== code.codeChallenge) {
        unauthorized('UNAUTHORIZED', 'code_verifier does not match.');
      }
      return this.issue(true, body.short_lived === true);
    }
    this.checkSecret(body);
    return this.issue(false, body.short_lived === true);
  }

  private byRefresh(body: Body) {
    const token = String(body.refresh_token ?? '');
    const grant = this.refresh.get(token);
    if (!grant || grant.revoked || grant.used) {
      unauthorized('UNAUTHORIZED', 'The refresh token is not valid.');
    }
    if (grant.expiresAt !== undefined && grant.expiresAt <= this.nowMs()) {
      unauthorized('UNAUTHORIZED', 'The refresh token has expired.');
    }
    if (!grant.pkce) {
      this.checkSecret(body);
      // Square staff describe a 15-day grace after the access token
      // expires, then the seller must authorise again (docs §2.3).
      const lapsed = (grant.accessExpiresAt ?? Infinity) + GRACE_MS;
      if (lapsed <= this.nowMs()) {
        unauthorized(
          'UNAUTHORIZED',
          'The refresh token has lapsed: authorise again.',
        );
      }
      return this.issue(false, body.short_lived === true, token);
    }
    grant.used = true;
    return this.issue(true, body.short_lived === true);
  }

  private checkSecret(body: Body): void {
    if (body.client_secret !== this.opts.clientSecret) {
      unauthorized('UNAUTHORIZED', 'The client_secret is not valid.');
    }
  }

  private issue(pkce: boolean, shortLived: boolean, keepRefresh?: string) {
    const now = this.nowMs();
    const accessToken = squareIds.token('EAAA', this.opts.ids.next('at'));
    const expiresAt = now + (shortLived ? 1 : 30) * DAY_MS;
    this.access.set(accessToken, { kind: 'oauth', expiresAt });

    let refreshToken = keepRefresh;
    let refreshExpiresAt: number | undefined;
    if (!refreshToken) {
      refreshToken = squareIds.token('EQAA', this.opts.ids.next('rt'));
      refreshExpiresAt = pkce ? now + 90 * DAY_MS : undefined;
      this.refresh.set(refreshToken, { pkce, expiresAt: refreshExpiresAt });
    }
    const grant = this.refresh.get(refreshToken);
    if (grant) grant.accessExpiresAt = expiresAt;
    return {
      access_token: accessToken,
      token_type: 'bearer',
      expires_at: this.iso(expiresAt),
      merchant_id: this.opts.merchantId,
      refresh_token: refreshToken,
      short_lived: shortLived,
      ...(refreshExpiresAt !== undefined
        ? { refresh_token_expires_at: this.iso(refreshExpiresAt) }
        : {}),
    };
  }

  private nowMs(): number {
    return this.opts.now().getTime();
  }

  private iso(ms: number): string {
    return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
}
