import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import {
  DEMO_SIGNATURE_KEY,
  DEMO_SQUARE_TOKEN,
  startDemo,
  type Demo,
} from '../../sandbox/demo';
import { GOLDEN } from '../../sandbox/seed/square-day';
import { SEED_TIMEZONE } from '../../sandbox/seed/business';
import { yesterdayIn } from '../../sandbox/square/emulator';
import { countByType, expectedDay, settledDocuments, until } from './settle';

// The main job as a user runs it: a real Node-RED process with the
// example flow, the two emulators, and Square's webhooks arriving through
// Node-RED's own HTTP server with its default settings.

const packageRoot = path.resolve(__dirname, '..', '..', '..');

function cents(text: string | null | undefined): number {
  if (!text) return 0;
  const [units, fraction = ''] = text.split('.');
  return Number(units) * 100 + Number(fraction.padEnd(2, '0'));
}

function sign(url: string, body: string): string {
  return createHmac('sha256', DEMO_SIGNATURE_KEY)
    .update(url + body)
    .digest('base64');
}

describe('the main job against the emulators', () => {
  let demo: Demo;
  let userDir: string;
  const log: string[] = [];

  before(async () => {
    userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqx3-e2e-'));
    demo = await startDemo({
      packageRoot,
      userDir,
      seedDate: yesterdayIn(SEED_TIMEZONE, new Date()),
      log: (line) => log.push(line),
    });
  });

  after(async () => {
    await demo?.stop();
    fs.rmSync(userDir, { recursive: true, force: true });
  });

  const squareStore = () => demo.square.store;

  test('the seeded day lands in X3: one invoice and receipt per sale', async () => {
    const day = expectedDay(squareStore());
    assert.equal(day.sales.length, 30);
    const final = await settledDocuments(demo, day.counts);
    assert.deepEqual(countByType(final), day.counts);

    // no reference used twice: nothing posted twice
    const references = [
      ...final.invoices.map((i) => i.customerReference),
      ...final.entries.map((e) => e.sourceDocument),
    ];
    assert.equal(new Set(references).size, references.length);

    // the receipts carry exactly what Square took in
    const receipts = final.entries.filter(
      (e) => e.journalEntryType === 'SQRCP',
    );
    const debited = receipts.reduce(
      (sum, entry) =>
        sum + entry.lines.reduce((s, line) => s + cents(line.debit), 0),
      0,
    );
    assert.equal(debited, day.taken);
    assert.ok(final.customers.length >= 5);
  });

  test('the golden sale is booked as DESIGN §5 says', () => {
    const { invoices, entries } = demo.x3.documents();
    const ledger = new Database(path.join(userDir, 'sqx3-ledger.sqlite'), {
      readonly: true,
    });
    const numbers = ledger
      .prepare('SELECT doc_key, number FROM documents WHERE record_key = ?')
      .all(`sale:${GOLDEN.orderId}`) as { doc_key: string; number: string }[];
    ledger.close();
    const byKind = Object.fromEntries(
      numbers.map((row) => [row.doc_key.split('#')[1], row.number]),
    );

    const invoice = invoices.find((i) => i.id === byKind.invoice);
    assert.ok(invoice, 'golden invoice posted');
    assert.deepEqual(
      invoice.lines.map((l) => [
        l.product,
        l.quantity,
        l.grossPrice,
        l.discountAmount,
        l.taxAmount,
      ]),
      [
        ['BEANS-HOUSE', '2', '12.00', '2.40', '1.92'],
        ['MUG-STD', '1', '8.00', '0.80', '0.64'],
      ],
    );

    const receipt = entries.find((e) => e.id === byKind.receipt);
    assert.deepEqual(
      receipt?.lines.map((l) => [l.account, l.debit, l.credit]),
      [
        ['CLEARING-CARD', '34.36', null],
        ['AR-TRADE', null, '31.36'],
        ['TIPS-PAYABLE', null, '3.00'],
      ],
    );
    const fee = entries.find((e) => e.id === byKind.fee);
    assert.deepEqual(
      fee?.lines.map((l) => [l.account, l.debit, l.credit]),
      [
        ['FEES', '1.04', null],
        ['CLEARING-CARD', null, '1.04'],
      ],
    );
  });

  test('credentials are stored encrypted by Node-RED', () => {
    const file = path.join(userDir, 'flows_cred.json');
    const text = fs.readFileSync(file, 'utf8');
    assert.ok(JSON.parse(text).$, 'encrypted envelope');
    assert.ok(!text.includes(DEMO_SQUARE_TOKEN));
    assert.ok(!text.includes(DEMO_SIGNATURE_KEY));
  });

  test('a signed webhook through Node-RED posts a new sale once', async () => {
    const before = demo.x3.documents().invoices.length;
    const { order, payments } = demo.square.createSale({
      locationId: 'L2MARKETSQ002',
      lines: [{ variationId: 'VAR_GRINDER', quantity: 1 }],
      tenders: [{ type: 'CARD', brand: 'MASTERCARD' }],
      tip: 200,
    });

    // Our own delivery of the same payment, besides the emulator's.
    const body = JSON.stringify({
      merchant_id: 'MLQ7SQX3DEMO1',
      type: 'payment.updated',
      event_id: 'e2e-0b6f2c8e-6d0f-4a86-9c57-1f1c1b6c0001',
      created_at: new Date().toISOString(),
      data: {
        type: 'payment',
        id: payments[0].id,
        object: { payment: squareStore().payments.get(payments[0].id) },
      },
    });
    const post = (signature: string | undefined, text = body) =>
      fetch(demo.notificationUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(signature ? { 'x-square-hmacsha256-signature': signature } : {}),
        },
        body: text,
      });

    assert.equal((await post(undefined)).status, 401);
    assert.equal((await post('bm90IHRoZSBzaWduYXR1cmU=')).status, 403);
    const pretty = JSON.stringify(JSON.parse(body), null, 2);
    assert.equal(
      (await post(sign(demo.notificationUrl, body), pretty)).status,
      403,
    );
    const signature = sign(demo.notificationUrl, body);
    assert.equal((await post(signature)).status, 200);
    assert.equal((await post(signature)).status, 200);

    const invoice = await until('the new sale in X3', () =>
      demo.x3.documents().invoices.length > before ? true : undefined,
    );
    assert.ok(invoice);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const after = demo.x3.documents().invoices;
    assert.equal(after.length, before + 1, 'posted exactly once');
    const total = cents(after[after.length - 1].totalAmountIncludingTax);
    assert.equal(total, (order.total_money?.amount ?? 0) - 200);
  });

  test('replaying a posted sale changes nothing in X3', async () => {
    const flows = (await (await fetch(`${demo.editorUrl}/flows`)).json()) as {
      id: string;
      name?: string;
    }[];
    const inject = flows.find((node) => node.name === 'replay one record');
    assert.ok(inject, 'the example flow has a replay inject');
    const counts = () => {
      const d = demo.x3.documents();
      return d.invoices.length + d.entries.length;
    };
    const before = counts();

    const res = await fetch(`${demo.editorUrl}/inject/${inject.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        __user_inject_props__: [
          { p: 'topic', v: 'replay', vt: 'str' },
          { p: 'payload', v: `sale:${GOLDEN.orderId}`, vt: 'str' },
        ],
      }),
    });
    assert.equal(res.status, 200);

    const ledgerFile = path.join(userDir, 'sqx3-ledger.sqlite');
    const stages = await until('the replay in the trail', () => {
      const db = new Database(ledgerFile, { readonly: true });
      const rows = db
        .prepare('SELECT stage FROM trail WHERE key = ? ORDER BY id')
        .all(`sale:${GOLDEN.orderId}`) as { stage: string }[];
      db.close();
      const list = rows.map((row) => row.stage);
      const replayAt = list.lastIndexOf('replay');
      return replayAt >= 0 && list.slice(replayAt).includes('audited')
        ? list
        : undefined;
    });
    assert.ok(stages.includes('replay'));
    assert.equal(counts(), before);
  });
});
