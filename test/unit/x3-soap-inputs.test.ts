import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createX3Emulator } from '../../sandbox/x3/emulator';
import { seedX3 } from '../../sandbox/seed/x3-setup';
import {
  SEED_SETUP,
  sampleCustomer,
  sampleInvoice,
} from '../../sandbox/x3/fixtures';
import { Ledger } from '../../lib/store/ledger';
import { postStep } from '../../lib/sync/write-step';
import type { SyncRecord } from '../../lib/sync/record';
import { X3Gateway } from '../../lib/x3/gateway';
import { X3TokenManager } from '../../lib/x3/jwt-manager';
import type { FetchLike } from '../../lib/x3/http';
import { X3SoapClient } from '../../lib/x3/soap-client';
import { fieldOf, parseResultXml } from '../../lib/x3/soap-result';
import { child, parseXml } from '../../lib/x3/soap-xml';

// Issue 9's three inputs, through the SOAP transport against the X3
// emulator, with every request body captured on its way out:
// 1. an invoice dated 2024-03-01 is sent as 20240301;
// 2. a customer named "Conceição" is stored and read back intact;
// 3. a sale re-sent and answered "already registered in document X" is
//    recorded as posted with X's number.

const emulator = createX3Emulator({
  openPeriods: [{ start: '2024-01-01', end: '2024-12-31' }],
  uniqueReferences: true,
});
const bodies: string[] = [];
const warnings: string[] = [];
const capture: FetchLike = (url, init) => {
  bodies.push(String(init?.body));
  return fetch(url, init);
};
const SOAP = {
  user: 'sqx3',
  password: 'sqx3-demo',
  poolAlias: 'SEED',
  codeLang: 'ENG',
};
let baseUrl: string;
let gateway: X3Gateway;

function gatewayAt(url: string): X3Gateway {
  return new X3Gateway({
    baseUrl: url,
    endpoint: 'SEED',
    tokens: new X3TokenManager({ mode: 'basic', user: 'x', password: 'y' }),
    setup: SEED_SETUP,
    backoff: { attempts: 2, baseMs: 1, maxMs: 1 },
    fetch: capture,
    onWarning: (message) => warnings.push(message),
    transport: 'soap',
    soap: SOAP,
  });
}

/** The objectXml of a captured request, parsed. */
function objectOf(body: string) {
  const operation = child(parseXml(body), 'Body')!.children[0];
  return parseXml(child(operation, 'objectXml')!.text);
}

before(async () => {
  seedX3(emulator);
  baseUrl = await emulator.start(0, '127.0.0.1');
  gateway = gatewayAt(baseUrl);
});
after(() => emulator.stop());

describe("issue 9's inputs through SOAP", () => {
  test('1. an invoice dated 2024-03-01 is sent as 20240301', async () => {
    bodies.length = 0;
    const invoice = sampleInvoice('DATED1', '2024-03-01');

    const number = await gateway.postDocument(invoice);

    assert.equal(bodies.length, 1);
    const header = objectOf(bodies[0]).children.find(
      (el) => el.attrs.ID === 'SIH0_1',
    )!;
    const invdat = header.children.find((f) => f.attrs.NAME === 'INVDAT');
    assert.equal(invdat?.text, '20240301');
    assert.doesNotMatch(bodies[0], /2024-03-01/);
    const stored = emulator.documents().invoices.find((i) => i.id === number);
    assert.equal(stored?.invoiceDate, '2024-03-01');
  });

  test('2. a customer named "Conceição" is stored intact', async () => {
    const doc = {
      ...sampleCustomer('SQC-CONCEICAO', 'Maria da Conceição'),
      city: 'São Paulo',
    };

    const saved = await gateway.upsertCustomer(doc);

    assert.deepEqual(saved, { code: 'SQC-CONCEICAO', created: true });
    assert.match(bodies.at(-1)!, /Maria da Conceição/);
    const client = new X3SoapClient({
      baseUrl,
      user: SOAP.user,
      password: SOAP.password,
      context: SOAP,
    });
    const read = await client.read('YBPC', [
      { key: 'BPCNUM', value: 'SQC-CONCEICAO' },
    ]);
    assert.equal(read.status, 1);
    const record = parseResultXml(read.resultXml!);
    assert.equal(fieldOf(record, 'BPRNAM'), 'Maria da Conceição');
    assert.equal(fieldOf(record, 'CTY'), 'São Paulo');
    const stored = emulator
      .documents()
      .customers.find((c) => c.code === 'SQC-CONCEICAO');
    assert.equal(stored?.companyName, 'Maria da Conceição');

    // the same customer again is a modify, not a second customer
    const count = emulator.documents().customers.length;
    const again = await gateway.upsertCustomer({ ...doc, city: 'Évora' });
    assert.deepEqual(again, { code: 'SQC-CONCEICAO', created: false });
    assert.equal(emulator.documents().customers.length, count);
  });

  test('3. "already registered in document X" is recorded as posted X', async () => {
    const invoice = sampleInvoice('RESENT1', '2024-03-02');
    const first = await gatewayAt(baseUrl).postDocument(invoice);
    const count = emulator.documents().invoices.length;

    // A ledger that never saw the first post (restored from an older
    // copy) sends the sale again; X3 refuses the reference.
    bodies.length = 0;
    const ledger = Ledger.open(':memory:');
    const recordKey = 'sale:RESENT1';
    ledger.receive({
      key: recordKey,
      kind: 'sale',
      version: '1',
      source: 'poll',
      square: {},
      receivedAt: new Date().toISOString(),
    } as SyncRecord);
    const step = await postStep({
      ledger,
      x3: gateway,
      plan: { recordKey, documents: [invoice] },
      mine: () => true,
    });

    assert.equal(bodies.length, 1);
    assert.deepEqual(
      step.results.map((r) => r.number),
      [first],
    );
    assert.equal(ledger.document(invoice.docKey)?.state, 'posted');
    assert.equal(ledger.document(invoice.docKey)?.number, first);
    assert.equal(ledger.get(recordKey)?.state, 'posted');
    assert.equal(emulator.documents().invoices.length, count);
    assert.deepEqual(warnings, [
      `X3 already holds invoice ${invoice.reference} as ${first}: ` +
        'recorded as posted, nothing new in X3',
    ]);
  });

  test('X3 numbering: a blank code is assigned once, found again by tag', async () => {
    const doc = {
      ...sampleCustomer('', 'Numbered by X3'),
      tag: 'SQTAG0001',
    };
    const before = emulator.documents().customers.length;

    const first = await gateway.upsertCustomer(doc);
    const second = await gatewayAt(baseUrl).upsertCustomer({
      ...doc,
      city: 'Albany',
    });

    assert.equal(first.created, true);
    assert.match(first.code, /^\S+$/);
    assert.deepEqual(second, { code: first.code, created: false });
    const customers = emulator.documents().customers;
    assert.equal(customers.length, before + 1);
    assert.equal(customers.find((c) => c.code === first.code)?.city, 'Albany');
  });
});
