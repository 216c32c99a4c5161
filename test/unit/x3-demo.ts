import { customerCode } from '../../lib/ledger/reference';
import type { ResolvedMapping } from '../../lib/ledger/types';
import { X3TokenManager } from '../../lib/x3/jwt-manager';
import { DEMO_JWT_SECRET } from '../../sandbox/demo';
import { X3_SETUP } from '../../sandbox/seed/business';

// What tests against the X3 emulator share: its demo connected app, and
// the mapping the mapping node gives a record of one Square customer.

export function demoTokens(): X3TokenManager {
  return new X3TokenManager({
    mode: 'connected-app',
    clientId: 'sqx3-demo-app',
    secret: DEMO_JWT_SECRET,
    user: 'SQX3',
  });
}

export function customerMapping(squareId: string): ResolvedMapping {
  return {
    site: 'NYC01',
    currency: 'USD',
    customer: customerCode(squareId),
    customerFromSquare: true,
    lines: {},
    taxes: {},
    tenders: {},
    accounts: {
      receivable: 'AR-TRADE',
      tips: 'TIPS-PAYABLE',
      serviceCharges: 'SVC-CHARGES',
      fees: 'FEES',
      giftCardLiability: 'GIFT-LIAB',
    },
    customerCategory: X3_SETUP.customerCategory,
  };
}
