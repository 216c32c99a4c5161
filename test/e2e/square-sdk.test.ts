import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { SquareClient, SquareError } from 'square';
import { customerCode } from '../../lib/ledger/reference';
import { startDemo, DEMO_SQUARE_TOKEN, type Demo } from '../../sandbox/demo';

// Input 5 of issue 3: the official Square Node.js SDK (npm `square`),
// aimed at the emulator, creates a customer, an order paid with two
// tenders and a partial refund, as a Square app would. The SDK must
// accept every answer; Square's webhooks must reach the connector in a
// real Node-RED; X3 must get the documents.

const packageRoot = path.resolve(__dirname, '..', '..', '..');
const HARBOUR = 'L1HARBOURST01';

async function until<T>(
  what: string,
  probe: () => T | undefined,
  ms = 30_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('input 5: the official Square SDK against the emulator', () => {
  let demo: Demo;
  let userDir: string;
  let sdk: SquareClient;

  before(async () => {
    userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqx3-sdk-'));
    demo = await startDemo({
      packageRoot,
      userDir,
      // an old day: the first poll backfills it, nothing of it is new
      seedDate: '2026-01-05',
      firstPollDelaySec: 3600,
    });
    sdk = new SquareClient({
      token: DEMO_SQUARE_TOKEN,
      baseUrl: demo.squareUrl,
      maxRetries: 0,
    });
  });

  after(async () => {
    await demo?.stop();
    fs.rmSync(userDir, { recursive: true, force: true });
  });

  test('customer, order paid with card + cash, partial refund: X3 gets the documents', async () => {
    const eventsBefore = demo.square.events().length;
    const usd = (n: number) => ({
      amount: BigInt(n),
      currency: 'USD' as const,
    });

    const { customer } = await sdk.customers.create({
      idempotencyKey: 'sdk-customer-1',
      givenName: 'Mira',
      familyName: 'Okafor',
      emailAddress: 'mira@example.test',
    });
    assert.ok(customer?.id);

    const { order } = await sdk.orders.create({
      idempotencyKey: 'sdk-order-1',
      order: {
        locationId: HARBOUR,
        customerId: customer.id,
        lineItems: [
          { catalogObjectId: 'VAR_BEANS_HOUSE', quantity: '2' },
          { catalogObjectId: 'VAR_MUG', quantity: '1' },
        ],
        discounts: [
          {
            name: '10% off',
            percentage: '10',
            type: 'FIXED_PERCENTAGE',
            scope: 'ORDER',
          },
        ],
        pricingOptions: { autoApplyTaxes: true },
      },
    });
    assert.ok(order?.id);
    assert.equal(order.state, 'OPEN');
    assert.equal(order.netAmountDueMoney?.amount, 3136n);

    const { payment: card } = await sdk.payments.create({
      idempotencyKey: 'sdk-pay-card',
      sourceId: 'cnon:card-nonce-ok',
      amountMoney: usd(2000),
      tipMoney: usd(200),
      orderId: order.id,
      autocomplete: false,
      customerId: customer.id,
    });
    const { payment: cash } = await sdk.payments.create({
      idempotencyKey: 'sdk-pay-cash',
      sourceId: 'CASH',
      amountMoney: usd(1136),
      orderId: order.id,
      autocomplete: false,
      cashDetails: { buyerSuppliedMoney: usd(1200) },
    });
    assert.equal(card?.status, 'APPROVED');
    assert.equal(cash?.cashDetails?.changeBackMoney?.amount, 64n);

    const { order: paid } = await sdk.orders.pay({
      orderId: order.id,
      idempotencyKey: 'sdk-pay-order',
      paymentIds: [card!.id!, cash!.id!],
    });
    assert.equal(paid?.state, 'COMPLETED');
    assert.equal(paid?.tenders?.length, 2);

    const { refund } = await sdk.refunds.refundPayment({
      idempotencyKey: 'sdk-refund-1',
      paymentId: card!.id!,
      amountMoney: usd(500),
      reason: 'goodwill',
    });
    assert.equal(refund?.status, 'PENDING');

    // the SDK also reads back what it made
    const got = await sdk.payments.get({ paymentId: card!.id! });
    assert.equal(got.payment?.status, 'COMPLETED');
    assert.equal(got.payment?.refundedMoney?.amount, 500n);
    await assert.rejects(
      sdk.payments.create({
        idempotencyKey: 'sdk-declined',
        sourceId: 'cnon:card-nonce-declined',
        amountMoney: usd(100),
        locationId: HARBOUR,
      }),
      (error: unknown) =>
        error instanceof SquareError && error.statusCode === 400,
    );

    const ledgerFile = path.join(userDir, 'sqx3-ledger.sqlite');
    const saleKey = `sale:${order.id}`;
    const refundKey = `refund:${refund!.id}`;
    const posted = (key: string) => {
      const db = new Database(ledgerFile, {
        readonly: true,
        fileMustExist: true,
      });
      try {
        const row = db
          .prepare('SELECT state FROM records WHERE key = ?')
          .get(key) as { state: string } | undefined;
        if (row?.state !== 'posted') return undefined;
        return db
          .prepare(
            'SELECT reference, number FROM documents WHERE record_key = ?',
          )
          .all(key) as { reference: string; number: string | null }[];
      } finally {
        db.close();
      }
    };
    const saleDocs = await until(`${saleKey} posted`, () => posted(saleKey));
    const refundDocs = await until(`${refundKey} posted`, () =>
      posted(refundKey),
    );

    const x3 = demo.x3.documents();
    const references = new Set([
      ...x3.invoices.map((i) => i.customerReference),
      ...x3.entries.map((e) => e.sourceDocument),
    ]);
    for (const doc of [...saleDocs, ...refundDocs]) {
      assert.ok(doc.number, `${doc.reference} has an X3 number`);
      assert.ok(references.has(doc.reference), `${doc.reference} is in X3`);
    }
    assert.ok(saleDocs.length >= 3, 'invoice, receipt, fee');
    assert.ok(x3.customers.some((c) => c.code === customerCode(customer.id!)));

    // the webhooks (not a poll: the first is an hour away) brought them
    const fresh = demo.square
      .events()
      .slice(eventsBefore)
      .map((e) => String(e.event_id));
    const db = new Database(ledgerFile, { readonly: true });
    const stored = new Set(
      (
        db.prepare('SELECT event_id FROM events').all() as {
          event_id: string;
        }[]
      ).map((r) => r.event_id),
    );
    db.close();
    const missing = fresh.filter((id) => !stored.has(id));
    assert.deepEqual(missing, [], 'every webhook event reached the connector');
    const ledgerBytes = fs.readFileSync(ledgerFile);
    assert.equal(
      ledgerBytes.includes(DEMO_SQUARE_TOKEN),
      false,
      'no token in the ledger',
    );
  });
});
