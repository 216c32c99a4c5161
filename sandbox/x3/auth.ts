import { timingSafeEqual } from 'node:crypto';
import jwt from 'jsonwebtoken';

// How the emulator checks callers: HTTP Basic on api1, and on /xtrem/api
// either a connected-app JWT (HS256, signed by the client) or a cloud
// OAuth2 access token from the emulator's own token endpoint.

export interface BasicCredentials {
  user: string;
  password: string;
}

export interface ConnectedApp {
  clientId: string;
  secret: string;
  /** the longest lifetime (exp - iat) the administrator allows */
  validitySeconds: number;
  /** the X3 user the application may act as */
  user: string;
}

export type BearerCheck =
  | { ok: true; token: string }
  | { ok: false; status: 401; message: string }
  | { ok: false; status: 200; code: number; message: string };

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function checkBasic(
  header: string | undefined,
  expected: BasicCredentials,
): boolean {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match) return false;
  const decoded = Buffer.from(match[1], 'base64').toString();
  const colon = decoded.indexOf(':');
  return (
    colon > 0 &&
    same(decoded.slice(0, colon), expected.user) &&
    same(decoded.slice(colon + 1), expected.password)
  );
}

export const refused = (message: string): BearerCheck => ({
  ok: false,
  status: 401,
  message,
});

export function checkConnectedAppJwt(
  token: string,
  app: ConnectedApp,
  nowSeconds: number,
): BearerCheck {
  const claims = jwt.decode(token);
  if (!claims || typeof claims !== 'object') return refused('invalid token');
  if (claims.iss !== app.clientId) return refused('unknown client');
  try {
    jwt.verify(token, app.secret, {
      algorithms: ['HS256'],
      ignoreExpiration: true,
      ignoreNotBefore: true,
    });
  } catch {
    return refused('invalid token signature');
  }

  const { iat, exp, sub } = claims;
  if (typeof iat !== 'number' || typeof exp !== 'number') {
    return refused('token without iat or exp');
  }
  if (sub !== undefined && sub !== app.user) return refused('user not allowed');
  if (iat > nowSeconds) {
    return {
      ok: false,
      status: 200,
      code: 21,
      message: '21 : token issued in the future (iat), check the clocks',
    };
  }
  if (exp - iat > app.validitySeconds) {
    return refused(`token lifetime above ${app.validitySeconds} seconds`);
  }
  if (exp <= nowSeconds) return refused('token expired');
  return { ok: true, token };
}
