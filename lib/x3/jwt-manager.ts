import jwt from 'jsonwebtoken';
import { CloudTokens, refreshGrant } from './cloud-oauth';
import { X3Error } from './errors';
import type { FetchLike } from './http';

export type { CloudTokens } from './cloud-oauth';

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
  /** stores the whole token set; wins over persistRefreshToken */
  persistTokens?: (tokens: CloudTokens) => void | Promise<void>;
  /** what was persisted last time, to start from after a restart */
  tokens?: CloudTokens;
}

function need(settings: X3AuthSettings, ...keys: (keyof X3AuthSettings)[]) {
  const missing = keys.filter((k) => !settings[k]);
  if (missing.length > 0) {
    throw new X3Error(
      'config',
      `X3 ${settings.mode} auth needs: ${missing.join(', ')}`,
    );
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
  need(flat, 'tokenUrl', 'clientId', 'clientSecret');
  if (!flat.refreshToken && !flat.tokens?.refreshToken) {
    need(flat, 'refreshToken');
  }
  if (!flat.persistTokens) need(flat, 'persistRefreshToken');
  return {
    mode: 'cloud-oauth',
    tokenUrl: flat.tokenUrl!,
    clientId: flat.clientId!,
    clientSecret: flat.clientSecret!,
    tokens: flat.tokens
      ? { ...flat.tokens }
      : { refreshToken: flat.refreshToken! },
    persist:
      flat.persistTokens ??
      ((tokens) => flat.persistRefreshToken!(tokens.refreshToken)),
  };
}

export interface TokenManagerOptions {
  now?: () => number;
  fetch?: FetchLike;
  timeoutMs?: number;
  /** called on every change of status, e.g. to colour a config node */
  onState?: (state: TokenState) => void;
}

export interface TokenState {
  mode: X3AuthConfig['mode'];
  /** reauthorise: the cloud refresh token is dead, a person must act */
  status: 'idle' | 'valid' | 'renewing' | 'failed' | 'reauthorise';
  /** epoch ms of the current credential's expiry, when it has one */
  expiresAt?: number;
  /** how many tokens were signed or refreshed */
  renewals: number;
  lastError?: string;
}

const RENEW_BEFORE_MS = 60_000;
// The Date header has whole seconds and the answer takes a moment to
// arrive, so a smaller difference between the clocks is left alone.
const CLOCK_TOLERANCE_MS = 5_000;

export class X3TokenManager {
  private readonly config: X3AuthConfig;
  private readonly now: () => number;
  private current?: { header: string; expiresAt: number };
  private pending?: Promise<string>;
  private dead?: X3Error;
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
      this.setState({ status: 'valid' });
      return Promise.resolve(`Basic ${encoded}`);
    }
    if (this.dead) return Promise.reject(this.dead);
    if (this.current && this.now() < this.current.expiresAt - RENEW_BEFORE_MS) {
      return Promise.resolve(this.current.header);
    }
    this.pending ??= this.renew().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /**
   * Drops the token X3 refused with a 401. Given the refused header, a
   * token renewed meanwhile by another caller is kept, so twenty 401s
   * from one batch cause one renewal.
   */
  invalidate(refused?: string): void {
    if (refused !== undefined && this.current?.header !== refused) return;
    this.current = undefined;
  }

  /**
   * Learns X3's clock from the Date header of an answer, so a JWT's iat
   * and exp are set in X3's time even when the clocks disagree.
   */
  observeServerTime(serverTimeMs: number): void {
    if (!Number.isFinite(serverTimeMs)) return;
    if (this.config.mode !== 'connected-app') return;
    const offset = serverTimeMs - this.now();
    if (Math.abs(offset - this.clockOffsetMs) <= CLOCK_TOLERANCE_MS) return;
    // The current token dies at the same X3 instant; in our clock that
    // instant moves by the change of offset.
    if (this.current) this.current.expiresAt -= offset - this.clockOffsetMs;
    this.clockOffsetMs = offset;
  }

  /**
   * X3 said our iat is in its future (error 21): sign from its clock, as
   * read from the Date header of its answer, from now on.
   */
  adjustClock(serverTimeMs: number): void {
    if (!Number.isFinite(serverTimeMs)) return;
    const offset = serverTimeMs - this.now();
    if (offset < this.clockOffsetMs) this.clockOffsetMs = offset;
    this.invalidate();
  }

  private setState(change: Partial<TokenState>): void {
    const before = this.info.status;
    this.info = { ...this.info, ...change };
    if (this.info.status !== before || change.renewals !== undefined) {
      this.options.onState?.(this.state);
    }
  }

  private async renew(): Promise<string> {
    this.setState({ status: 'renewing' });
    try {
      const token =
        this.config.mode === 'connected-app'
          ? this.sign(this.config)
          : await this.refresh(this.config as CloudOAuthAuth);
      this.current = token;
      this.setState({
        status: 'valid',
        expiresAt: token.expiresAt,
        renewals: this.info.renewals + 1,
        lastError: undefined,
      });
      return token.header;
    } catch (error) {
      const x3 = error as X3Error;
      if (x3.code === 'reauthorise') this.dead = x3;
      this.setState({
        status: x3.code === 'reauthorise' ? 'reauthorise' : 'failed',
        lastError: x3.message,
      });
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
    const tokens = await refreshGrant({
      tokenUrl: config.tokenUrl,
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      refreshToken: config.tokens.refreshToken,
      now: this.now(),
      timeoutMs: this.options.timeoutMs ?? 30_000,
      fetch: this.options.fetch,
    });
    config.tokens = tokens;
    try {
      await config.persist({ ...tokens });
    } catch (error) {
      throw new X3Error(
        'token-persist',
        'new X3 refresh token could not be stored: ' + (error as Error).message,
      );
    }
    return {
      header: `Bearer ${tokens.accessToken}`,
      expiresAt: tokens.accessExpiresAt!,
    };
  }
}
