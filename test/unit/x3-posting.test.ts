import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createX3Emulator } from '../../sandbox/x3/emulator';
import {
  SEED_SETUP,
  sampleCustomer,
  sampleInvoice,
  sampleRevenueEntry,
} from '../../sandbox/x3/fixtures';
import { X3Gateway } from '../../lib/x3/gateway';
import { X3Error } from '../../lib/x3/errors';
import { demoTokens } from './x3-demo';

const emulator = createX3Emulator({
  openPeriods: [{ start: '2026-01-01', end: '2026-12-31' }],
});
let gateway: X3Gateway;
const DATE = '2026-03-14';

before(async () => {
  const baseUrl = await emulator.start();
  gateway = new X3Gateway({
    baseUrl,
    endpoint: 'SEED',
    tokens: demoTokens(),
    basic: { user: 'sqx3', password: 'sqx3-demo' },
    setup: SEED_SETUP,
    backoff: { attempts: 2, baseMs: 1, maxMs: 5 },
  });
});
beforeEach(() => emulator.reset());
after(() => emulator.stop());

describe('posting documents', () => {
  test('an invoice gets the next SQINV number and keeps its amounts', async () => {
    const first = await gateway.postDocument(sampleInvoice('ORDER1', DATE));
    const second = await gateway.postDocument(sampleInvoice('ORDER2', DATE));
    assert.equal(first, 'SQI2600001');
    assert.equal(second, 'SQI2600002');

    const [invoice] = emulator.documents().invoices;
    assert.equal(
      invoice.customerReference,
      sampleInvoice('ORDER1', DATE).reference,
    );
    assert.equal(invoice.category, 'invoice');
    assert.equal(invoice.totalAmountExcludingTax, '28.80');
    assert.equal(invoice.totalTaxAmount, '2.56');
    assert.deepEqual(
      invoice.lines.map((l) => [l.grossPrice, l.discountAmount, l.netAmount]),
      [
        ['12.00', '2.40', '21.60'],
        ['8.00', '0.80', '7.20'],
      ],
    );
  });

  test('a credit memo numbers on its own counter', async () => {
    await gateway.postDocument(sampleInvoice('ORDER1', DATE));
    const memo = {
      ...sampleInvoice('RETURN1', DATE),
      kind: 'credit-memo' as const,
    };
    assert.equal(await gateway.postDocument(memo), 'SQC2600001');
  });

  test('a revenue entry balances to the cent', async () => {
    const number = await gateway.postDocument(
      sampleRevenueEntry('ORDER1', DATE),
    );
    assert.equal(number, 'SQJ2600001');
    const [entry] = emulator.documents().entries;
    assert.equal(entry.journalEntryType, 'SQJNL');
    assert.deepEqual(
      entry.lines.map((l) => [l.account, l.debit, l.credit]),
      [
        ['CLEARING-CARD', '34.36', null],
        ['A-COFFEE', null, '21.60'],
        ['A-MERCH', null, '7.20'],
        ['TAX-PAYABLE', null, '2.56'],
        ['TIPS-PAYABLE', null, '3.00'],
      ],
    );
  });

  test('JPY amounts have no decimals', async () => {
    const entry = { ...sampleRevenueEntry('YEN1', DATE), currency: 'JPY' };
    await gateway.postDocument(entry);
    assert.equal(emulator.documents().entries[0].lines[0].debit, '3436');
  });

  test('findDocument finds by reference, null when absent', async () => {
    const doc = sampleRevenueEntry('ORDER9', DATE);
    assert.equal(await gateway.findDocument(doc), null);
    const number = await gateway.postDocument(doc);
    assert.equal(await gateway.findDocument(doc), number);
    const invoice = sampleInvoice('ORDER9', DATE);
    assert.equal(await gateway.findDocument(invoice), null);
  });
});

describe('customers', () => {
  test('created once, then updated', async () => {
    const doc = sampleCustomer('SQADA0001', 'Ada "the" Lovelace\\Byron');
    assert.deepEqual(await gateway.upsertCustomer(doc), {
      code: 'SQADA0001',
      created: true,
    });
    const renamed = { ...doc, name: 'Ada Lovelace', city: 'London' };
    assert.deepEqual(await gateway.upsertCustomer(renamed), {
      code: 'SQADA0001',
      created: false,
    });
    const stored = emulator
      .documents()
      .customers.filter((c) => c.code === 'SQADA0001');
    assert.equal(stored.length, 1);
    assert.equal(stored[0].companyName, 'Ada Lovelace');
    assert.equal(stored[0].city, 'London');

    const listed = await gateway.listReference('customers');
    assert.ok(
      listed.some(
        (c) => c.code === 'SQADA0001' && c.description === 'Ada Lovelace',
      ),
    );
  });

  test('a name with quotes survives the template', async () => {
    await gateway.upsertCustomer(
      sampleCustomer('SQQ1', 'Joe\'s "Best"\nBeans'),
    );
    const stored = emulator
      .documents()
      .customers.find((c) => c.code === 'SQQ1');
    assert.equal(stored?.companyName, 'Joe\'s "Best"\nBeans');
  });

  test("an unknown category is refused with X3's message", async () => {
    const doc = { ...sampleCustomer('SQBAD1', 'Bad'), category: 'NOPE' };
    await assert.rejects(
      gateway.upsertCustomer(doc),
      (error: X3Error) =>
        error.code === 'business' &&
        error.messages.includes(
          'Customer category NOPE : Record does not exist',
        ),
    );
  });
});

describe('business rules reach the caller', () => {
  test('an unbalanced entry is refused before any call', async () => {
    const doc = sampleRevenueEntry('ORDER1', DATE);
    doc.lines[0].amount = 3437;
    const before = emulator.stats().requests;
    await assert.rejects(
      gateway.postDocument(doc),
      (error: X3Error) =>
        error.code === 'unbalanced' &&
        /debit 34\.37, credit 34\.36/.test(error.message),
    );
    assert.equal(emulator.stats().requests, before);
  });

  test('an unknown account: X3Error with the message, nothing stored', async () => {
    const doc = sampleRevenueEntry('ORDER1', DATE);
    doc.lines[1].account = 'A-TEA';
    await assert.rejects(
      gateway.postDocument(doc),
      (error: X3Error) =>
        error.code === 'business' &&
        !error.retryable &&
        error.messages.includes(
          'Line 2: Account A-TEA : Record does not exist',
        ),
    );
    assert.equal(emulator.documents().entries.length, 0);
  });

  test('a closed period is refused', async () => {
    const doc = sampleRevenueEntry('ORDER1', '2025-12-31');
    await assert.rejects(
      gateway.postDocument(doc),
      (error: X3Error) =>
        error.code === 'business' &&
        /Accounting date 2025-12-31 : period not open/.test(error.message),
    );
  });

  test('a receivable line without a business partner is refused', async () => {
    const doc = sampleRevenueEntry('ORDER1', DATE);
    doc.lines[0].account = 'AR-TRADE';
    await assert.rejects(gateway.postDocument(doc), (error: X3Error) =>
      /business partner mandatory/.test(error.message),
    );
    doc.lines[0].businessPartner = 'WALKIN';
    assert.equal(await gateway.postDocument(doc), 'SQJ2600001');
  });

  test('an unknown product and a long reference on an invoice', async () => {
    const doc = sampleInvoice('ORDER1', DATE);
    doc.lines[0].product = 'TEA';
    doc.reference = 'R'.repeat(21);
    await assert.rejects(
      gateway.postDocument(doc),
      (error: X3Error) =>
        error.messages.includes(
          'Line 1: Product TEA : Record does not exist',
        ) &&
        error.messages.some((m) =>
          /Customer reference : 21 characters/.test(m),
        ),
    );
    assert.equal(emulator.documents().invoices.length, 0);
  });

  test('listReference reads the sites through api1', async () => {
    const sites = await gateway.listReference('sites');
    assert.deepEqual(
      sites.map((s) => s.code),
      ['NYC01', 'NYC02', 'WEB01'],
    );
    assert.equal(sites[0].description, 'Harbour Street');
  });
});

describe('Relay paging', () => {
  test('queryAll walks every page of journal entries', async () => {
    const { X3GraphQLClient } = await import('../../lib/x3/graphql-client');
    for (let i = 0; i < 5; i++) {
      await gateway.postDocument(sampleRevenueEntry(`PAGE${i}`, DATE));
    }
    const gql = new X3GraphQLClient({
      baseUrl: emulator.url,
      endpoint: 'SEED',
      tokens: demoTokens(),
    });
    type Page = { x3Finance: { journalEntry: { query: any } } };
    const ids = await gql.queryAll<Page, { id: string }>(
      `query ($after: String) { x3Finance { journalEntry {
        query(first: 2, after: $after, filter: "{journalEntryType:'SQJNL'}") {
          edges { cursor node { id } } pageInfo { endCursor hasNextPage }
        } } } }`,
      {},
      (data) => data.x3Finance.journalEntry.query,
    );
    assert.deepEqual(
      ids.map((n) => n.id),
      [1, 2, 3, 4, 5].map((n) => `SQJ260000${n}`),
    );
  });
});
