import { EventEmitter } from 'node:events';
import axios from 'axios';
import { isRetryableStatus } from '../sync/backoff';

// Square access tokens: a personal access token is used as it is; OAuth
// tokens (code flow or PKCE) are refreshed when they have 23 days or less
// to live, which is at most every 7 days for a 30-day token. One refresh
// is in flight at a time; the new tokens are persisted before use. A
// refused refresh needs the seller to authorise again, and says so.

export type SquareAuthMode = 'personal' | 'oauth' | 'pkce';
export type TokenState = 'ok' | 'refreshing' | 'reauthorise' | 'missing';

export interface SquareTokens {
  accessToken: string;
  refreshToken?: string;
  /** RFC 3339 */
  expiresAt?: string;
  refreshTokenExpiresAt?: string;
  merchantId?: string;
}

export interface SquareTokenManagerOptions {
  mode: SquareAuthMode;
  accessToken?: string;
  refreshToken?: string;
  expiresAt?: string;
  clientId?: string;
  /** code flow only; PKCE sends none */
  clientSecret?: string;
  baseUrl: string;
  persist: (tokens: SquareTokens) => Promise<void>;
  now?: () => Date;
  /** refresh when the token has this long or less to live */
  refreshWithinMs?: number;
  timeoutMs?: number;
}

export class SquareTokenError extends Error {
  constructor(
    readonly code:
      'SQUARE_REAUTHORISE' | 'SQUARE_TOKEN_REFRESH' | 'SQUARE_NO_TOKEN',
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'SquareTokenError';
  }
}

const DAY_MS = 24 * 3_600_000;
const LOOPBACK = /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:|\/|$)/i;

interface TokenResponse {
  access_token?: string;
  refresh_token?: string;
  expires_at?: string;
  refresh_token_expires_at?: string;
  merchant_id?: string;
  errors?: { code?: string; detail?: string }[];
}

export class SquareTokenManager extends EventEmitter {
  private tokens: SquareTokens;
  private inFlight?: Promise<string>;
  private current: TokenState;
  private refusal?: string;
  private readonly now: () => Date;

  constructor(private readonly opts: SquareTokenManagerOptions) {
    super();
    this.now = opts.now ?? (() => new Date());
    this.tokens = {
      accessToken: opts.accessToken ?? '',
      refreshToken: opts.refreshToken || undefined,
      expiresAt: opts.expiresAt || undefined,
    };
    const usable = this.tokens.accessToken || this.tokens.refreshToken;
    this.current = usable ? 'ok' : 'missing';
  }

  get state(): TokenState {
    return this.current;
  }

  /** Square's error code of the refusal that needs a new authorisation. */
  get lastError(): string | undefined {
    return this.refusal;
  }

  /**
   * The seller revoked the app (oauth.authorization.revoked): OAuth tokens
   * are dead. A personal access token is not part of the grant: false.
   */
  revoke(): boolean {
    if (this.opts.mode === 'personal') return false;
    this.refusal = 'ACCESS_TOKEN_REVOKED';
    this.setState('reauthorise');
    return true;
  }

  /** The tokens as they stand, for status pages; never log them. */
  snapshot(): SquareTokens {
    return { ...this.tokens };
  }

  async getAccessToken(): Promise<string> {
    if (this.current === 'reauthorise') throw reauthorise();
    if (this.opts.mode === 'personal') {
      if (!this.tokens.accessToken) throw missing();
      return this.tokens.accessToken;
    }
    if (this.inFlight) return this.inFlight;
    if (this.tokens.accessToken && !this.dueForRefresh()) {
      return this.tokens.accessToken;
    }
    return this.refresh();
  }

  /** Refreshes now (after a 401, say); joins a refresh already running. */
  refresh(): Promise<string> {
    if (this.opts.mode === 'personal') {
      this.refusal = 'UNAUTHORIZED';
      this.setState('reauthorise');
      return Promise.reject(
        new SquareTokenError(
          'SQUARE_REAUTHORISE',
          'Square refused the personal access token: replace it',
          false,
        ),
      );
    }
    this.inFlight ??= this.doRefresh().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /** Exchanges an authorisation code (OAuth or PKCE) for tokens. */
  async exchangeCode(
    code: string,
    codeVerifier?: string,
    redirectUri?: string,
  ): Promise<string> {
    const body: Record<string, unknown> = {
      client_id: this.opts.clientId,
      grant_type: 'authorization_code',
      code,
    };
    if (this.opts.mode === 'pkce') body.code_verifier = codeVerifier;
    else body.client_secret = this.opts.clientSecret;
    if (redirectUri) body.redirect_uri = redirectUri;
    return this.obtain(body);
  }

  private dueForRefresh(): boolean {
    if (!this.tokens.expiresAt) return false;
    const expires = Date.parse(this.tokens.expiresAt);
    if (Number.isNaN(expires)) return true;
    const within = this.opts.refreshWithinMs ?? 23 * DAY_MS;
    return expires - this.now().getTime() <= within;
  }

  private async doRefresh(): Promise<string> {
    if (this.current === 'reauthorise') throw reauthorise(this.refusal);
    if (!this.tokens.refreshToken) {
      this.refusal = 'NO_REFRESH_TOKEN';
      this.setState('reauthorise');
      throw reauthorise();
    }
    const body: Record<string, unknown> = {
      client_id: this.opts.clientId,
      grant_type: 'refresh_token',
      refresh_token: this.tokens.refreshToken,
    };
    if (this.opts.mode === 'oauth') {
      body.client_secret = this.opts.clientSecret;
    }
    return this.obtain(body);
  }

  private async obtain(body: Record<string, unknown>): Promise<string> {
    const before = this.current;
    this.setState('refreshing');
    let res;
    try {
      res = await axios.post<TokenResponse>(
        `${this.opts.baseUrl.replace(/\/+$/, '')}/oauth2/token`,
        body,
        {
          timeout: this.opts.timeoutMs ?? 30_000,
          validateStatus: () => true,
          headers: { 'Content-Type': 'application/json' },
          ...(LOOPBACK.test(this.opts.baseUrl)
            ? { proxy: false as const }
            : {}),
        },
      );
    } catch (error) {
      this.setState(before === 'refreshing' ? 'ok' : before);
      const reason = error instanceof Error ? error.message : String(error);
      throw new SquareTokenError(
        'SQUARE_TOKEN_REFRESH',
        `Square token refresh did not complete: ${reason}`,
        true,
      );
    }

    const data = res.data ?? {};
    if (res.status >= 200 && res.status < 300 && data.access_token) {
      this.tokens = {
        accessToken: data.access_token,
        refreshToken: data.refresh_token ?? this.tokens.refreshToken,
        expiresAt: data.expires_at,
        refreshTokenExpiresAt: data.refresh_token_expires_at,
        merchantId: data.merchant_id,
      };
      await this.opts.persist(this.snapshot());
      this.setState('ok');
      return this.tokens.accessToken;
    }

    const code = data.errors?.[0]?.code ?? `HTTP_${res.status}`;
    if (isRetryableStatus(res.status)) {
      this.setState(before === 'refreshing' ? 'ok' : before);
      throw new SquareTokenError(
        'SQUARE_TOKEN_REFRESH',
        `Square token refresh failed for now (${code})`,
        true,
      );
    }
    this.refusal = code;
    this.setState('reauthorise');
    throw reauthorise(code);
  }

  private setState(state: TokenState): void {
    if (state === this.current) return;
    this.current = state;
    this.emit('state', state);
  }
}

function reauthorise(code?: string): SquareTokenError {
  const why = code ? ` (${code})` : '';
  return new SquareTokenError(
    'SQUARE_REAUTHORISE',
    `Square refused the token refresh${why}: authorise the app again`,
    false,
  );
}

function missing(): SquareTokenError {
  return new SquareTokenError(
    'SQUARE_NO_TOKEN',
    'No Square access token is configured',
    false,
  );
}
