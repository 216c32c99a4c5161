import { X3Gateway } from '../../lib/x3/gateway';
import { X3TokenManager } from '../../lib/x3/jwt-manager';
import {
  DEMO_API1_PASSWORD,
  DEMO_API1_USER,
  DEMO_JWT_SECRET,
} from '../../sandbox/demo';
import { SEED_SETUP } from '../../sandbox/x3/fixtures';

// A gateway to the X3 emulator as the demo sets it up: the connected app
// for GraphQL, the Basic user and pool SEED for SOAP, one try per call.

/** The emulator's Basic user on pool SEED, as SOAP settings. */
export const DEMO_SOAP_SETTINGS = {
  user: DEMO_API1_USER,
  password: DEMO_API1_PASSWORD,
  poolAlias: 'SEED',
  codeLang: 'ENG',
};

export function demoGateway(
  baseUrl: string,
  transport: 'soap' | 'graphql',
  secret = DEMO_JWT_SECRET,
): X3Gateway {
  return new X3Gateway({
    baseUrl,
    endpoint: 'SEED',
    setup: SEED_SETUP,
    backoff: { attempts: 1, baseMs: 1, maxMs: 1 },
    tokens: new X3TokenManager({
      mode: 'connected-app',
      clientId: 'sqx3-demo-app',
      secret,
      user: 'SQX3',
      validitySeconds: 600,
    }),
    ...(transport === 'soap' ? { transport, soap: DEMO_SOAP_SETTINGS } : {}),
  });
}
