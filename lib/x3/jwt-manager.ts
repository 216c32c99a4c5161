import jwt from 'jsonwebtoken';
import { X3Error } from './errors';
import { exchange, FetchLike, parseJson } from './http';

// The credentials for X3's APIs, kept fresh. Basic is a fixed header; a
// connected-app JWT is signed here and re-signed shortly before it
// expires; a cloud OAuth2 access token lives 5 minutes and each refresh
// rotates the refresh token, which is persisted before it is used.

export interface BasicAuth {
  mode: 'basic';
  user: string;
  password: string;
}

export interface ConnectedAppAuth {
  mode: 'connected-app';
  clientId: string;
  secret: string;
  /** the X3 user the token acts as (sub) */
  user: string;
  /** aud claim; omitted when empty, as Sage's sample does */
  audience?: string;
  /** the token validity set on the connected application, seconds */
  validitySeconds?: number;
  /** wanted lifetime, capped at validitySeconds */
  lifetimeSeconds?: number;
  /** iat is set this far back, for a server clock a little behind ours */
  skewSeconds?: number;
}

export interface CloudTokens {
  accessToken?: string;
  /** epoch ms */
  accessExpiresAt?: number;
  refreshToken: string;
}

export interface CloudOAuthAuth {
  mode: 'cloud-oauth';
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  tokens: CloudTokens;
  /** stores rotated tokens; awaited before the new access token is used */
  persist: (tokens: CloudTokens) => void | Promise<void>;
}

export type X3AuthConfig = BasicAuth | ConnectedAppAuth | CloudOAuthAuth;

/** The same settings as one flat object, the way a config node holds them. */
export interface X3AuthSettings {
  mode: X3AuthConfig['mode'];
  username?: string;
  password?: string;
  clientId?: string;
  secret?: string;
  user?: string;
  audience?: string;
  validitySeconds?: number;
  lifetimeSeconds?: number;
  skewSeconds?: number;
  tokenUrl?: string;
  clientSecret?: string;
  refreshToken?: string;
  persistRefreshToken?: (refreshToken: string) => void | Promise<void>;
}

function need(settings: X3AuthSettings, ...keys: (keyof X3AuthSettings)[]) {
  const missing = keys.filter((k) => !settings[k]);
  if (missing.length > 0) {
    throw new X3Error('config',
      `X3 ${settings.mode} auth needs: ${missing.join(', ')}`);
  }
}

export function authConfig(input: X3AuthConfig | X3AuthSettings): X3AuthConfig {
  const flat = input as X3AuthSettings;
  if (input.mode === 'basic') {
    if ('user' in input && input.user && !flat.username) {
      need({ ...flat, username: input.user }, 'password');
      return input as BasicAuth;
    }
    need(flat, 'username', 'password');
    return { mode: 'basic', user: flat.username!, password: flat.password! };
  }
  if (input.mode === 'connected-app') {
    need(flat, 'clientId', 'secret', 'user');
    return input as ConnectedAppAuth;
  }
  if ('tokens' in input && 'persist' in input) return input;
  need(flat, 'tokenUrl', 'clientId', 'clientSecret', 'refreshToken',
    'persistRefreshToken');
  return {
    mode: 'cloud-oauth',
    tokenUrl: flat.tokenUrl!,
    clientId: flat.clientId!,
    clientSecret: flat.clientSecret!,
    tokens: { refreshToken: flat.refreshToken! },
    persist: (tokens) => flat.persistRefreshToken!(tokens.refreshToken),
  };
}

export interface TokenManagerOptions {
  now?: () => number;
  fetch?: FetchLike;
  timeoutMs?: number;
}

export interface TokenState {
  mode: X3AuthConfig['mode'];
  status: 'idle' | 'valid' | 'renewing' | 'failed';
  /** epoch ms of the current credential's expiry, when it has one */
  expiresAt?: number;
  /** how many tokens were signed or refreshed */
  renewals: number;
  lastError?: string;
}

const RENEW_BEFORE_MS = 60_000;

export class X3TokenManager {
  private readonly config: X3AuthConfig;
  private readonly now: () => number;
  private current?: { header: string; expiresAt: number };
  private pending?: Promise<string>;
  private clockOffsetMs = 0;
  private info: TokenState;

  constructor(
    config: X3AuthConfig | X3AuthSettings,
    private readonly options: TokenManagerOptions = {},
  ) {
    this.config = authConfig(config);
    this.now = options.now ?? Date.now;
    this.info = { mode: config.mode, status: 'idle', renewals: 0 };
    const cloud = this.config;
    if (cloud.mode === 'cloud-oauth' && cloud.tokens.accessToken) {
      this.current = {
        header: `Bearer ${cloud.tokens.accessToken}`,
        expiresAt: cloud.tokens.accessExpiresAt ?? 0,
      };
    }
  }

  get state(): TokenState {
    return { ...this.info };
  }

  /** The Authorization header value to send now. */
  authorization(): Promise<string> {
    if (this.config.mode === 'basic') {
      const { user, password } = this.config;
      const encoded = Buffer.from(`${user}:${password}`).toString('base64');
      this.info.status = 'valid';
      return Promise.resolve(`Basic ${encoded}`);
    }
    if (this.current && this.now() < this.current.expiresAt - RENEW_BEFORE_MS) {
      return Promise.resolve(this.current.header);
    }
    this.pending ??= this.renew().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** Drops the current token, after X3 refused it with a 401. */
  invalidate(): void {
    this.current = undefined;
  }

  /**
   * X3 said our iat is in its future (error 21): sign from its clock, as
   * read from the Date header of its answer, from now on.
   */
  adjustClock(serverTimeMs: number): void {
    if (!Number.isFinite(serverTimeMs)) return;
    const offset = serverTimeMs - this.now();
    if (offset < 0) this.clockOffsetMs = offset;
    this.invalidate();
  }

  private async renew(): Promise<string> {
    this.info.status = 'renewing';
    try {
      const token = this.config.mode === 'connected-app'
        ? this.sign(this.config)
        : await this.refresh(this.config as CloudOAuthAuth);
      this.current = token;
      this.info = {
        ...this.info,
        status: 'valid',
        expiresAt: token.expiresAt,
        renewals: this.info.renewals + 1,
        lastError: undefined,
      };
      return token.header;
    } catch (error) {
      this.info.status = 'failed';
      this.info.lastError = (error as Error).message;
      throw error;
    }
  }

  private sign(config: ConnectedAppAuth) {
    const validity = config.validitySeconds ?? 600;
    const lifetime = Math.min(config.lifetimeSeconds ?? validity, validity);
    const nowMs = this.now() + this.clockOffsetMs;
    const iat = Math.floor(nowMs / 1000) - (config.skewSeconds ?? 30);
    const exp = iat + lifetime;
    const claims: Record<string, unknown> = {
      iss: config.clientId,
      sub: config.user,
      iat,
      exp,
    };
    if (config.audience) claims.aud = config.audience;

    const token = jwt.sign(claims, config.secret, { algorithm: 'HS256' });
    // expiry in our own clock, so renewal timing ignores the offset
    return {
      header: `Bearer ${token}`,
      expiresAt: exp * 1000 - this.clockOffsetMs,
    };
  }

  private async refresh(config: CloudOAuthAuth) {
    const form = new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: config.clientId,
      client_secret: config.clientSecret,
      refresh_token: config.tokens.refreshToken,
    });
    const answer = await exchange(config.tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    }, this.options.timeoutMs ?? 30_000, this.options.fetch);

    const body = parseJson(answer) as Record<string, unknown> | undefined;
    if (answer.status !== 200 || typeof body?.access_token !== 'string') {
      const reason = typeof body?.error === 'string' ? body.error : 'no token';
      throw new X3Error('token-refresh',
        `X3 token refresh refused (${answer.status} ${reason})`, {
          status: answer.status,
          retryable: answer.status >= 500 || answer.status === 429,
        });
    }

    const lifetime = Number(body.expires_in ?? 300);
    const tokens: CloudTokens = {
      accessToken: body.access_token,
      accessExpiresAt: this.now() + lifetime * 1000,
      refreshToken: typeof body.refresh_token === 'string'
        ? body.refresh_token
        : config.tokens.refreshToken,
    };
    config.tokens = tokens;
    try {
      await config.persist({ ...tokens });
    } catch (error) {
      throw new X3Error('token-persist',
        'new X3 refresh token could not be stored: ' + (error as Error).message);
    }
    return {
      header: `Bearer ${tokens.accessToken}`,
      expiresAt: tokens.accessExpiresAt!,
    };
  }
}
