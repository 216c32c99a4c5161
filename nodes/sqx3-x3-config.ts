import type { NodeAPI, NodeDef } from 'node-red';
import { X3Gateway } from '../lib/x3/gateway';
import { X3TokenManager } from '../lib/x3/jwt-manager';
import { Users, errorText } from '../lib/node-red/kit';
import type { X3ConfigNode } from '../lib/node-red/config-types';

interface X3ConfigDef extends NodeDef {
  url: string;
  endpoint: string;
  authMode: string;
  clientId?: string;
  user?: string;
  audience?: string;
  validitySeconds?: string;
  tokenUrl?: string;
  invoiceType: string;
  creditMemoType: string;
  entryReceipt: string;
  entryRevenue: string;
  entryFee: string;
  entryRefund: string;
  timeoutMs?: string;
}

interface X3Credentials {
  username?: string;
  password?: string;
  secret?: string;
  clientSecret?: string;
  refreshToken?: string;
}

type Self = X3ConfigNode & { credentials: X3Credentials };

export = function register(RED: NodeAPI) {
  function X3Config(this: Self, config: X3ConfigDef) {
    RED.nodes.createNode(this, config);
    this.users = new Users();
    const creds = this.credentials ?? {};
    const baseUrl = config.url.replace(/\/+$/, '');

    const tokens = new X3TokenManager({
      mode: (config.authMode || 'connected-app') as
        | 'basic'
        | 'connected-app'
        | 'cloud-oauth',
      username: creds.username,
      password: creds.password,
      clientId: config.clientId,
      secret: creds.secret,
      user: config.user,
      audience: config.audience,
      validitySeconds: Number(config.validitySeconds) || 600,
      tokenUrl: config.tokenUrl,
      clientSecret: creds.clientSecret,
      refreshToken: creds.refreshToken,
      persistRefreshToken: async (refreshToken: string) => {
        const merged = { ...this.credentials, refreshToken };
        this.credentials = merged;
        RED.nodes.addCredentials(this.id, merged);
      },
    });

    this.gateway = new X3Gateway({
      baseUrl,
      endpoint: config.endpoint,
      tokens,
      basic:
        creds.username && creds.password
          ? { user: creds.username, password: creds.password }
          : undefined,
      timeoutMs: Number(config.timeoutMs) || 30_000,
      setup: {
        invoiceType: config.invoiceType,
        creditMemoType: config.creditMemoType,
        entryTypes: {
          receipt: config.entryReceipt,
          revenue: config.entryRevenue,
          fee: config.entryFee,
          refund: config.entryRefund,
          'refund-receipt': config.entryRefund,
          'fee-refund': config.entryFee,
        },
      },
    });
  }

  RED.nodes.registerType('sqx3-x3-config', X3Config as never, {
    credentials: {
      username: { type: 'text' },
      password: { type: 'password' },
      secret: { type: 'password' },
      clientSecret: { type: 'password' },
      refreshToken: { type: 'password' },
    },
  });

  RED.httpAdmin.post(
    '/sqx3/x3-config/:id/test',
    RED.auth.needsPermission('sqx3-x3-config.write'),
    async (req, res) => {
      const node = RED.nodes.getNode(String(req.params.id)) as Self | null;
      if (!node) {
        res.status(404).json({ ok: false, message: 'deploy the node first' });
        return;
      }
      try {
        const sites = await node.gateway.listReference('sites');
        res.json({ ok: true, message: `${sites.length} sites` });
      } catch (error) {
        res.json({ ok: false, message: errorText(error) });
      }
    },
  );
};
