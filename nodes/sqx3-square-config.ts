import { EventEmitter } from 'node:events';
import type { NodeAPI, NodeDef } from 'node-red';
import { SquareClient } from '../lib/square/client';
import { SquareTokenManager } from '../lib/square/token-manager';
import { squareBaseUrl } from '../lib/square/environment';
import { Users, errorText } from '../lib/node-red/kit';
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
    this.locationIds = (config.locationIds ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean);

    const creds = this.credentials ?? {};
    const baseUrl = squareBaseUrl(config.environment, config.baseUrl);
    const tokens = new SquareTokenManager({
      mode: (config.authMode || 'personal') as 'personal' | 'oauth' | 'pkce',
      accessToken: creds.accessToken ?? '',
      refreshToken: creds.refreshToken,
      expiresAt: creds.expiresAt,
      clientId: creds.clientId,
      clientSecret: creds.clientSecret,
      baseUrl,
      persist: async (next) => {
        // Node-RED keeps credentials encrypted in its own store.
        const merged = { ...this.credentials, ...next };
        this.credentials = merged;
        RED.nodes.addCredentials(this.id, merged);
        this.log('Square tokens renewed and stored');
      },
    });
    tokens.on?.('state', (state: string) => {
      if (state === 'reauthorise') {
        this.users.show('red', 're-authorise Square');
        this.error('Square refused the token refresh: re-authorise');
      }
    });

    this.client = new SquareClient({
      baseUrl,
      squareVersion: config.squareVersion || undefined,
      getAccessToken: () => tokens.getAccessToken(),
    });

    this.on('close', (_removed: boolean, done: () => void) => {
      this.bus.removeAllListeners();
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

  RED.httpAdmin.post(
    '/sqx3/square-config/:id/test',
    RED.auth.needsPermission('sqx3-square-config.write'),
    async (req, res) => {
      const node = RED.nodes.getNode(String(req.params.id)) as Self | null;
      if (!node) {
        res.status(404).json({ ok: false, message: 'deploy the node first' });
        return;
      }
      try {
        const locations = await node.client.listLocations();
        res.json({ ok: true, message: `${locations.length} locations` });
      } catch (error) {
        res.json({ ok: false, message: errorText(error) });
      }
    },
  );
};
