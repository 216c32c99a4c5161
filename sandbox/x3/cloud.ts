import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import jwt from 'jsonwebtoken';
import { BearerCheck, refused } from './auth';
import { parseForm, readBody, send } from './http-util';

// The X3 cloud gateway's token service (/v1/token): the customer approves
// the app at /v1/token/authorise, the app trades the code for a 5-minute
// access token and a 30-day refresh token, and every refresh hands out a
// new pair; the refresh token used is dead from then on. One pair per
// customer: a new approval replaces the old pair.

export interface CloudApp {
  clientId: string;
  clientSecret: string;
  /** the refresh token handed out when the customer approved the app */
  refreshToken: string;
  accessSeconds?: number;
  refreshSeconds?: number;
  /** where /v1/token/authorise may send the customer back */
  redirectUris?: string[];
}

type Answer = [number, object];

const CODE_MS = 10 * 60_000;

export class CloudTokens {
  private readonly access = new Map<string, number>();
  private refresh?: { token: string; expiresAt: number };
  private readonly codes = new Map<
    string,
    { redirectUri: string; expiresAt: number }
  >();
  private readonly signingKey = randomBytes(32);
  refreshes = 0;
  codeGrants = 0;

  constructor(
    readonly app: CloudApp,
    private nowMs: () => number,
  ) {
    this.reset();
  }

  /** Back to the first approval: only the configured refresh token works. */
  reset(): void {
    this.access.clear();
    this.codes.clear();
    this.refresh = {
      token: this.app.refreshToken,
      expiresAt: this.nowMs() + this.refreshMs(),
    };
  }

  /**
   * GET /v1/token/authorise: the customer's administrator approves at
   * once here; the answer is where the browser goes next.
   */
  authorise(params: URLSearchParams): Answer | { redirect: string } {
    if (params.get('client_id') !== this.app.clientId) {
      return [400, { error: 'invalid_client' }];
    }
    const redirectUri = params.get('redirect_uri') ?? '';
    const allowed = this.app.redirectUris;
    if (!redirectUri || (allowed && !allowed.includes(redirectUri))) {
      return [
        400,
        { error: 'invalid_request', error_description: 'redirect_uri' },
      ];
    }
    const code = randomBytes(16).toString('base64url');
    this.codes.set(code, { redirectUri, expiresAt: this.nowMs() + CODE_MS });
    const back = new URL(redirectUri);
    back.searchParams.set('code', code);
    const state = params.get('state');
    if (state) back.searchParams.set('state', state);
    return { redirect: back.toString() };
  }

  /** POST /v1/token: authorization_code and refresh_token grants. */
  grant(form: Record<string, string>): Answer {
    if (
      form.client_id !== this.app.clientId ||
      form.client_secret !== this.app.clientSecret
    ) {
      return [401, { error: 'invalid_client' }];
    }
    if (form.grant_type === 'authorization_code') {
      const code = this.codes.get(form.code ?? '');
      this.codes.delete(form.code ?? '');
      if (
        !code ||
        code.expiresAt <= this.nowMs() ||
        code.redirectUri !== form.redirect_uri
      ) {
        return [400, { error: 'invalid_grant' }];
      }
      this.codeGrants++;
      return [200, this.issue()];
    }
    if (form.grant_type !== 'refresh_token') {
      return [400, { error: 'unsupported_grant_type' }];
    }
    const current = this.refresh;
    if (
      !current ||
      form.refresh_token !== current.token ||
      current.expiresAt <= this.nowMs()
    ) {
      return [400, { error: 'invalid_grant' }];
    }
    this.refreshes++;
    return [200, this.issue()];
  }

  /** DELETE /v1/token: the refresh token is deleted; re-approval needed. */
  revoke(refreshToken: string): Answer {
    if (!this.refresh || refreshToken !== this.refresh.token) {
      return [400, { error: 'invalid_grant' }];
    }
    this.refresh = undefined;
    this.access.clear();
    return [200, { revoked: true }];
  }

  check(token: string): BearerCheck | null {
    const expiresAt = this.access.get(token);
    if (expiresAt === undefined) return null;
    if (expiresAt <= this.nowMs()) return refused('token expired');
    return { ok: true, token };
  }

  /** Whether a refresh token would still be accepted. */
  isLive(refreshToken: string): boolean {
    return (
      this.refresh?.token === refreshToken &&
      this.refresh.expiresAt > this.nowMs()
    );
  }

  private refreshMs(): number {
    return (this.app.refreshSeconds ?? 30 * 86400) * 1000;
  }

  private issue(): object {
    const accessSeconds = this.app.accessSeconds ?? 300;
    const iat = Math.floor(this.nowMs() / 1000);
    // Shaped like the gateway's tokens; only the emulator checks them.
    const accessToken = jwt.sign(
      {
        iss: 'api.emulator-sagex3.com',
        aud: 'api.emulator-sagex3.com',
        region: 'emulator',
        sub: 'x3-cloud-config',
        azp: this.app.clientId,
        scopes: ['api.graphql'],
        jti: randomBytes(8).toString('hex'),
        iat,
        exp: iat + accessSeconds,
      },
      this.signingKey,
      { algorithm: 'HS256' },
    );
    this.access.set(accessToken, this.nowMs() + accessSeconds * 1000);
    this.refresh = {
      token: randomBytes(24).toString('base64url'),
      expiresAt: this.nowMs() + this.refreshMs(),
    };
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: accessSeconds,
      refresh_token: this.refresh.token,
    };
  }
}

/** The HTTP side: GET /v1/token/authorise, POST and DELETE /v1/token. */
export async function serveTokenService(
  cloud: CloudTokens,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  path: string,
  url: URL,
): Promise<void> {
  const noStore = { 'Cache-Control': 'no-store' };
  if (req.method === 'GET' && path === '/v1/token/authorise') {
    const answer = cloud.authorise(url.searchParams);
    if ('redirect' in answer) {
      res.writeHead(302, { Location: answer.redirect });
      res.end();
      return;
    }
    send(res, answer[0], answer[1]);
    return;
  }
  const form = parseForm(await readBody(req), req.headers['content-type']);
  if (req.method === 'POST' && path === '/v1/token') {
    const [status, body] = cloud.grant(form);
    send(res, status, body, noStore);
  } else if (req.method === 'DELETE' && path === '/v1/token') {
    const token = form.refresh_token ?? url.searchParams.get('refresh_token');
    const [status, body] = cloud.revoke(token ?? '');
    send(res, status, body, noStore);
  } else {
    send(res, 405, { error: 'method not allowed' });
  }
}
