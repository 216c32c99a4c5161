import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { customerDoc, customerName } from '../../lib/ledger/customer';
import { PostingError } from '../../lib/ledger/errors';
import { planPosting } from '../../lib/ledger/plan';
import type { ResolvedMapping } from '../../lib/ledger/types';
import type { Customer } from '../../lib/square/types';

const mapping: ResolvedMapping = {
  site: '',
  currency: 'USD',
  customer: 'SQABCDEFGHIJKLM',
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
  customerCategory: 'RETL',
};

const jenkins: Customer = {
  id: 'QPTXM8PQNX3Q726ZYHPMNP46XC',
  given_name: 'Jenkins',
  family_name: 'Smiley',
  email_address: 'jenkins+smorly@squareup.com',
  phone_number: '+12126668929',
  address: {
    address_line_1: '1018 1st Street',
    administrative_district_level_1: 'NY',
    locality: 'Brooklyn',
    postal_code: '11215',
    country: 'US',
  },
};

describe('customerDoc', () => {
  test('a person with an address', () => {
    assert.deepEqual(customerDoc(jenkins, mapping), {
      type: 'customer',
      docKey: 'customer:QPTXM8PQNX3Q726ZYHPMNP46XC#customer',
      code: 'SQABCDEFGHIJKLM',
      category: 'RETL',
      name: 'Jenkins Smiley',
      currency: 'USD',
      country: 'US',
      addressLine1: '1018 1st Street',
      city: 'Brooklyn',
      postalCode: '11215',
      state: 'NY',
      email: 'jenkins+smorly@squareup.com',
      phone: '+12126668929',
    });
  });

  test('name: company, else person, else e-mail, else id; 70 characters', () => {
    assert.equal(
      customerName({ ...jenkins, company_name: 'Smiley Roasters' }),
      'Smiley Roasters',
    );
    assert.equal(
      customerName({ id: 'C1', email_address: 'a@b.example' }),
      'a@b.example',
    );
    assert.equal(
      customerName({ id: 'C1', family_name: '  Smiley ' }),
      'Smiley',
    );
    assert.equal(customerName({ id: 'C1' }), 'C1');
    const long = customerName({
      id: 'C1',
      company_name: 'The Very Long Name Coffee Roasting Company of Brooklyn',
    });
    assert.equal(
      long,
      'The Very Long Name Coffee Roasting Company of Brooklyn',
    );
    const longer = customerName({
      id: 'C1',
      company_name: `${long} and Staten Island Ltd`,
    });
    assert.equal(
      longer,
      'The Very Long Name Coffee Roasting Company of Brooklyn and Staten Isla',
    );
    assert.ok(longer.length <= 70);
  });

  test('over-long contact details are left out, not cut', () => {
    const doc = customerDoc(
      {
        id: 'C2',
        company_name: 'Acme',
        email_address: `${'x'.repeat(80)}@example.com`,
        phone_number: '+1 212 555 0100 extension 1234',
      },
      mapping,
    );
    assert.equal(doc.email, undefined);
    assert.equal(doc.phone, undefined);
    assert.equal(doc.addressLine1, undefined);
  });

  test('a code X3 cannot hold is refused', () => {
    assert.throws(
      () =>
        customerDoc(jenkins, { ...mapping, customer: 'SQ0123456789ABCDEF' }),
      (e: unknown) => e instanceof PostingError && e.code === 'BAD_DATA',
    );
  });

  test('planPosting does not post customers', () => {
    const plan = planPosting(
      {
        key: 'customer:C1',
        kind: 'customer',
        version: '1',
        source: 'poll',
        square: { customer: { id: 'C1' } },
        receivedAt: '2025-03-14T15:00:00Z',
      },
      mapping,
      { mode: 'invoice', itemisedCreditMemo: true },
    );
    assert.deepEqual(plan.documents, []);
    assert.ok(plan.skipReason);
  });
});
