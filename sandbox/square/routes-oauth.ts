import { fail } from './errors';
import type { OAuthState } from './oauth';
import type { Route } from './router';

// ObtainToken, RevokeToken, RetrieveTokenStatus and an authorize page that approves
// at once (the emulator has no seller to ask) and redirects with a code.

export function oauthRoutes(oauth: OAuthState, revoke: () => void): Route[] {
  return [
    {
      method: 'POST',
      path: '/oauth2/revoke',
      auth: 'none',
      handler: (ctx) => {
        const auth = String(ctx.headers.authorization ?? '');
        const secret = /^Client\s+(.+)$/.exec(auth)?.[1];
        if (!oauth.isClientSecret(secret)) {
          fail(401, 'UNAUTHORIZED', 'Authorization must be Client <secret>.');
        }
        if (ctx.body.client_id !== oauth.clientId) {
          fail(401, 'UNAUTHORIZED', 'Unknown client_id.');
        }
        revoke();
        return { body: { success: true } };
      },
    },
    {
      method: 'POST',
      path: '/oauth2/token',
      auth: 'none',
      handler: (ctx) => ({ body: oauth.obtainToken(ctx.body) }),
    },
    {
      method: 'POST',
      path: '/oauth2/token/status',
      auth: 'none',
      handler: (ctx) => ({ body: oauth.status(ctx.token) }),
    },
    {
      method: 'GET',
      path: '/oauth2/authorize',
      auth: 'none',
      handler: (ctx) => {
        const q = ctx.query;
        const redirect = q.get('redirect_uri');
        if (q.get('client_id') !== oauth.clientId || !redirect) {
          return {
            status: 400,
            body: {
              errors: [
                {
                  category: 'INVALID_REQUEST_ERROR',
                  code: 'BAD_REQUEST',
                  detail: 'client_id and redirect_uri are required.',
                },
              ],
            },
          };
        }
        const code = oauth.issueCode(q.get('code_challenge') ?? undefined);
        const target = new URL(redirect);
        target.searchParams.set('code', code);
        target.searchParams.set('response_type', 'code');
        const state = q.get('state');
        if (state) target.searchParams.set('state', state);
        return { status: 302, headers: { location: target.toString() } };
      },
    },
  ];
}
