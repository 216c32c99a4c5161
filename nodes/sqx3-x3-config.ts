import path from 'node:path';
import type { Node, NodeAPI, NodeDef } from 'node-red';
import {
  X3Gateway,
  type X3ReferenceItem,
  type X3ReferenceKind,
} from '../lib/x3/gateway';
import {
  TokenState,
  X3AuthSettings,
  X3TokenManager,
} from '../lib/x3/jwt-manager';
import { cloudTokenFile, CloudTokenFile } from '../lib/x3/token-file';
import { readSoapTemplates } from '../lib/x3/soap-render';
import { Users, errorText } from '../lib/node-red/kit';
import { X3Reach } from '../lib/x3/reach';
import { X3ConfigStatus } from '../lib/node-red/x3-status';
import { connectionTest } from '../lib/node-red/connection-test';
import { CallLimit } from '../lib/x3/http';
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
  /** X3 calls in flight at most (its web-service pool); default 4 */
  maxCalls?: string;
  transport?: string;
  soapPool?: string;
  soapLang?: string;
  soapCustomer?: string;
  soapInvoice?: string;
  soapEntry?: string;
  /** a folder of soap-*.mustache files replacing the bundled ones */
  soapTemplates?: string;
}

interface X3Credentials {
  username?: string;
  password?: string;
  secret?: string;
  clientSecret?: string;
  refreshToken?: string;
  soapUser?: string;
  soapPassword?: string;
}

type Self = X3ConfigNode & {
  credentials: X3Credentials;
  tokens: X3TokenManager;
};

type Mode = X3AuthSettings['mode'];

export = function register(RED: NodeAPI) {
  function X3Config(this: Self, config: X3ConfigDef) {
    RED.nodes.createNode(this, config);
    this.users = new Users();
    const registered = new Set<Node>();
    this.register = (node: Node) => {
      registered.add(node);
      this.users.add(node);
    };
    this.deregister = (node: Node) => {
      registered.delete(node);
      this.users.remove(node);
    };

    const creds = this.credentials ?? {};
    const baseUrl = config.url.replace(/\/+$/, '');
    const mode = (config.authMode || 'connected-app') as Mode;
    const soap = config.transport === 'soap';
    if (mode === 'basic' && !soap) {
      this.warn(
        'Basic authentication reaches api1 only: X3 GraphQL (the ' +
          'postings) needs a connected application or cloud OAuth2',
      );
    }

    // Cloud tokens rotate on every refresh; they are kept in a file of
    // their own, written before the new access token is used.
    let tokenFile: CloudTokenFile | undefined;
    if (mode === 'cloud-oauth' && creds.refreshToken && creds.clientSecret) {
      const userDir = RED.settings.userDir ?? process.cwd();
      tokenFile = cloudTokenFile(
        path.join(userDir, `sqx3-x3-tokens-${this.id}.json`),
        creds.refreshToken,
        creds.clientSecret,
      );
      if (tokenFile.resumed)
        this.log('X3 cloud tokens resumed from the token file');
    }

    // The users show the credential's trouble and its recovery, and X3
    // not answering (lib/node-red/x3-status.ts). A good renewal after a
    // good one changes nothing on them.
    const status = new X3ConfigStatus(this.users);
    let previous: TokenState['status'] = 'idle';
    const onState = (state: TokenState) => {
      if (state.status === 'renewing') return;
      const was = previous;
      previous = state.status;
      if (state.status === 'reauthorise') {
        const text = 'X3 refused the refresh token: re-authorise the app';
        status.showToken('red', 're-authorise X3');
        // Catch nodes live on the tabs of the nodes that use this one:
        // one report on each of those tabs.
        const msg = {
          topic: 're-authorise',
          payload: { config: this.id, reason: state.lastError },
        };
        this.error(text);
        const tabs = new Map<string | undefined, Node>();
        for (const node of registered) {
          if (!tabs.has(node.z)) tabs.set(node.z, node);
        }
        for (const node of tabs.values()) node.error(text, { ...msg });
      } else if (state.status === 'failed') {
        status.showToken('yellow', 'X3 token renewal failed');
      } else if (was === 'failed' || was === 'reauthorise') {
        status.showToken('green', 'X3 connected');
      }
    };

    const settings: X3AuthSettings = {
      mode,
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
      tokens: tokenFile?.initial,
      persistTokens: tokenFile
        ? (tokens) => tokenFile!.persist(tokens)
        : undefined,
    };
    this.tokens = soap
      ? soapTokens(this, settings, creds, onState)
      : new X3TokenManager(settings, { onState });

    // X3 not answering is shown on every node using this config, not only
    // on the one whose call failed; the first answer takes it off.
    // A call still in flight when a redeploy closed this node reports to
    // no one: the users of the new deploy belong to the new config node.
    const reach = new X3Reach((problem) => {
      if (status.closed) return;
      if (problem) this.warn(`X3 is not answering: ${problem}`);
      else this.log('X3 is answering again');
      status.answering(problem === undefined);
    });

    this.gateway = new X3Gateway({
      reach,
      baseUrl,
      endpoint: config.endpoint,
      tokens: this.tokens,
      basic:
        creds.username && creds.password
          ? { user: creds.username, password: creds.password }
          : undefined,
      timeoutMs: Number(config.timeoutMs) || 30_000,
      callLimit: new CallLimit(Number(config.maxCalls) || 4),
      onWarning: (message) => this.warn(message),
      transport: soap ? 'soap' : 'graphql',
      soap: soap
        ? {
            user: creds.soapUser ?? '',
            password: creds.soapPassword ?? '',
            poolAlias: config.soapPool ?? '',
            codeLang: config.soapLang || 'ENG',
            publications: {
              customer: config.soapCustomer,
              invoice: config.soapInvoice,
              entry: config.soapEntry,
            },
            templates: config.soapTemplates
              ? readSoapTemplates(
                  path.resolve(
                    RED.settings.userDir ?? process.cwd(),
                    config.soapTemplates,
                  ),
                )
              : undefined,
          }
        : undefined,
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

    this.on('close', (removed: boolean, done: () => void) => {
      status.closed = true;
      registered.clear();
      if (removed) tokenFile?.remove();
      done();
    });
  }

  RED.nodes.registerType('sqx3-x3-config', X3Config as never, {
    credentials: {
      username: { type: 'text' },
      password: { type: 'password' },
      secret: { type: 'password' },
      clientSecret: { type: 'password' },
      refreshToken: { type: 'password' },
      soapUser: { type: 'text' },
      soapPassword: { type: 'password' },
    },
  });

  connectionTest<Self>(RED, 'sqx3-x3-config', async (node) => ({
    message: await node.gateway.testConnection(),
  }));

  // X3's code lists for the mapping form, kept a while per deployed node
  // (a redeploy starts afresh). Expected gaps answer 200 with a reason,
  // so the form can say them without a failed request in the console.
  const lists = new WeakMap<Self, Map<string, ReferenceEntry>>();
  RED.httpAdmin.get(
    '/sqx3/x3/:id/reference/:kind',
    RED.auth.needsPermission('sqx3-x3-config.read'),
    async (req, res) => {
      const kind = String(req.params.kind) as X3ReferenceKind;
      if (!REFERENCE_KINDS.includes(kind)) {
        res.status(400).json({
          ok: false,
          message: `kind is one of ${REFERENCE_KINDS.join(', ')}`,
        });
        return;
      }
      const node = RED.nodes.getNode(String(req.params.id)) as Self | null;
      if (!node?.gateway) {
        res.json({ ok: false, reason: 'not-deployed', items: [] });
        return;
      }
      const cache = lists.get(node) ?? new Map<string, ReferenceEntry>();
      lists.set(node, cache);
      let entry = cache.get(kind);
      const stale = !entry || Date.now() - entry.at > REFERENCE_TTL_MS;
      try {
        if (req.query.refresh === '1' || stale) {
          const items = await node.gateway.listReference(kind);
          entry = { at: Date.now(), items };
          cache.set(kind, entry);
        }
        res.json({
          ok: true,
          kind,
          fetchedAt: new Date(entry!.at).toISOString(),
          items: entry!.items,
        });
      } catch (error) {
        const reason =
          (error as { code?: string }).code === 'config' ? 'no-api1' : 'x3';
        res.json({ ok: false, reason, message: errorText(error), items: [] });
      }
    },
  );
};

// With SOAP, X3 GraphQL only serves reading back (reconciliation): its
// settings may be left out, and then its calls use the SOAP user.
function soapTokens(
  node: Node,
  settings: X3AuthSettings,
  creds: X3Credentials,
  onState: (state: TokenState) => void,
): X3TokenManager {
  try {
    return new X3TokenManager(settings, { onState });
  } catch (error) {
    node.warn(`X3 GraphQL reads use the SOAP user: ${errorText(error)}`);
    const basic: X3AuthSettings = {
      mode: 'basic',
      username: creds.soapUser,
      password: creds.soapPassword,
    };
    return new X3TokenManager(basic, { onState });
  }
}

interface ReferenceEntry {
  at: number;
  items: X3ReferenceItem[];
}

const REFERENCE_KINDS: X3ReferenceKind[] = [
  'sites',
  'accounts',
  'products',
  'customers',
  'taxCodes',
];

/** X3's code lists change rarely; the form's refresh button reads anew. */
const REFERENCE_TTL_MS = 10 * 60_000;
