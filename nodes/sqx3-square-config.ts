import { EventEmitter } from 'node:events';
import * as path from 'node:path';
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { SquareClient } from '../lib/square/client';
import { SquareTokenManager } from '../lib/square/token-manager';
import { squareBaseUrl } from '../lib/square/environment';
import { squareTokenFile } from '../lib/square/token-file';
import { Users } from '../lib/node-red/kit';
import { connectionTest } from '../lib/node-red/connection-test';
import type { SquareConfigNode } from '../lib/node-red/config-types';

interface SquareConfigDef extends NodeDef {
  environment: string;
  baseUrl?: string;
  squareVersion?: string;
  authMode?: string;
  locationIds?: string;
}

interface SquareCredentials {
  accessToken?: string;
  refreshToken?: string;
  clientId?: string;
  clientSecret?: string;
  expiresAt?: string;
}

type Self = SquareConfigNode & { credentials: SquareCredentials };

export = function register(RED: NodeAPI) {
  function SquareConfig(this: Self, config: SquareConfigDef) {
    RED.nodes.createNode(this, config);
    this.users = new Users();
    this.bus = new EventEmitter();
    const registered = new Set<Node>();
    this.register = (node: Node) => {
      registered.add(node);
      this.users.add(node);
    };
    this.deregister = (node: Node) => {
      registered.delete(node);
      this.users.remove(node);
    };
    this.locationIds = (config.locationIds ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean);

    const creds = this.credentials ?? {};
    const baseUrl = squareBaseUrl(config.environment, config.baseUrl);
    const mode = (config.authMode || 'personal') as
      'personal' | 'oauth' | 'pkce';
    // Renewed OAuth tokens go to their own encrypted file before use;
    // Node-RED would only write its credential store on the next deploy.
    const userDir = RED.settings.userDir ?? process.cwd();
    const tokenFile =
      mode === 'personal' || !creds.accessToken
        ? undefined
        : squareTokenFile(
            path.join(userDir, `sqx3-square-tokens-${this.id}.json`),
            {
              accessToken: creds.accessToken,
              refreshToken: creds.refreshToken,
              expiresAt: creds.expiresAt,
            },
            creds.clientSecret,
          );
    if (tokenFile?.resumed)
      this.log('Square tokens resumed from the token file');
    const start = tokenFile?.initial ?? {
      accessToken: creds.accessToken ?? '',
      refreshToken: creds.refreshToken,
      expiresAt: creds.expiresAt,
    };
    const tokens = new SquareTokenManager({
      mode,
      accessToken: start.accessToken,
      refreshToken: start.refreshToken,
      expiresAt: start.expiresAt,
      clientId: creds.clientId,
      clientSecret: creds.clientSecret,
      baseUrl,
      persist: async (next) => {
        tokenFile?.persist(next);
        const merged = { ...this.credentials, ...next };
        this.credentials = merged;
        RED.nodes.addCredentials(this.id, merged);
        this.log('Square tokens renewed and stored');
      },
    });
    this.tokens = tokens;
    // Reported once per loss of the grant: red on every user, one error
    // on the first user's tab for its Catch nodes (the config node has no
    // tab), and no more requests until the seller authorises again.
    tokens.on('state', (state: string) => {
      if (state !== 'reauthorise') return;
      const text = 'Square refused the credentials: re-authorise Square';
      this.users.show('red', 're-authorise Square');
      const reporter = [...registered][0];
      const msg = {
        topic: 're-authorise',
        payload: { config: this.id, reason: tokens.lastError ?? 'refused' },
      };
      if (reporter) reporter.error(text, msg as never);
      else this.error(text);
    });
    const onRevoked = () => {
      if (!tokens.revoke()) {
        this.warn(
          'oauth.authorization.revoked received; a personal token is in use',
        );
      }
    };
    this.bus.on('revoked', onRevoked);

    this.client = new SquareClient({
      baseUrl,
      squareVersion: config.squareVersion || undefined,
      getAccessToken: () => tokens.getAccessToken(),
      onUnauthorized: async () => {
        await tokens.refresh();
      },
    });

    this.on('close', (removed: boolean, done: () => void) => {
      if (removed) tokenFile?.remove();
      this.bus.removeAllListeners();
      tokens.removeAllListeners();
      done();
    });
  }

  RED.nodes.registerType('sqx3-square-config', SquareConfig as never, {
    credentials: {
      accessToken: { type: 'password' },
      refreshToken: { type: 'password' },
      clientId: { type: 'text' },
      clientSecret: { type: 'password' },
      expiresAt: { type: 'text' },
    },
  });

  connectionTest<Self>(RED, 'sqx3-square-config', async (node) => {
    const status = await node.client.tokenStatus();
    const locations = await node.client.listLocations();
    const expires = status.expires_at
      ? `token expires ${status.expires_at}`
      : 'token does not expire';
    return {
      message: `${locations.length} locations, ${expires}`,
      merchantId: status.merchant_id,
      scopes: status.scopes ?? [],
      expiresAt: status.expires_at ?? null,
      tokenState: node.tokens?.state,
    };
  });
};
