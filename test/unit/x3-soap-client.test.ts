import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { InvoiceDoc, JournalEntryDoc } from '../../lib/ledger/types';
import type { BackoffOptions } from '../../lib/sync/backoff';
import { X3Gateway } from '../../lib/x3/gateway';
import { X3TokenManager } from '../../lib/x3/jwt-manager';
import { SOAP_PATH } from '../../lib/x3/soap-client';
import type { FetchLike } from '../../lib/x3/http';
import {
  fakeSoap,
  numberXml,
  queryXml,
  sentField,
  soapAnswer,
  soapFault,
} from './x3-soap-fake';

// The SOAP transport behind the gateway, against a captured fake fetch:
// what goes on the wire, which failures are tried again (5xx, timeouts, a
// busy pool) and which are not (a business refusal), and the look-up by
// reference before any re-post.

const waits: number[] = [];
const BACKOFF: BackoffOptions = {
  attempts: 4,
  baseMs: 10,
  maxMs: 50,
  sleep: async (ms) => {
    waits.push(ms);
  },
};

const SETUP = {
  invoiceType: 'SQINV',
  creditMemoType: 'SQCRM',
  entryTypes: { receipt: 'SQRCP', fee: 'SQFEE' },
};

function gateway(fetch: FetchLike, timeoutMs = 2000): X3Gateway {
  return new X3Gateway({
    baseUrl: 'http://127.0.0.1:9/',
    endpoint: 'SEED',
    tokens: new X3TokenManager({ mode: 'basic', user: 'u', password: 'p' }),
    setup: SETUP,
    backoff: BACKOFF,
    timeoutMs,
    fetch,
    transport: 'soap',
    soap: {
      user: 'WSUSER',
      password: 'sécret:1',
      poolAlias: 'SQX3POOL',
      codeLang: 'FRA',
    },
  });
}

const invoice: InvoiceDoc = {
  type: 'invoice',
  kind: 'invoice',
  docKey: 'sale:ORDER1#invoice',
  reference: 'SQ-ORDER1',
  site: 'NYC01',
  customer: 'WALKIN',
  date: '2026-12-03',
  currency: 'USD',
  lines: [
    {
      product: 'BEANS-HOUSE',
      description: 'House beans 1 lb',
      quantity: '2',
      grossPrice: 1200,
      discount: 240,
      taxCode: 'NYS',
      taxAmount: 192,
      netAmount: 2160,
    },
  ],
  totalNet: 2160,
  totalTax: 192,
};

const entry: JournalEntryDoc = {
  type: 'entry',
  kind: 'receipt',
  docKey: 'sale:ORDER1#receipt',
  reference: 'SQR-ORDER1',
  site: 'NYC01',
  date: '2026-12-03',
  currency: 'USD',
  description: 'Square sale ORDER1',
  lines: [
    {
      account: 'CLEARING-CARD',
      side: 'debit',
      amount: 3436,
      description: 'card',
    },
    {
      account: 'AR-TRADE',
      side: 'credit',
      amount: 3136,
      description: 'sale',
      businessPartner: 'WALKIN',
    },
    {
      account: 'TIPS-PAYABLE',
      side: 'credit',
      amount: 300,
      description: 'tip',
    },
  ],
};

describe('the SOAP transport on the wire', () => {
  test('a save: endpoint, headers, call context, objectXml fields', async () => {
    const { fetch, calls } = fakeSoap(() =>
      soapAnswer({
        operation: 'save',
        status: 1,
        resultXml: numberXml('SQI1'),
      }),
    );

    const number = await gateway(fetch).postDocument(invoice);

    assert.equal(number, 'SQI1');
    assert.equal(calls.length, 1);
    const [call] = calls;
    assert.equal(call.url, `http://127.0.0.1:9${SOAP_PATH}`);
    assert.equal(call.headers['Content-Type'], 'text/xml; charset=utf-8');
    assert.equal(call.headers.SOAPAction, '""');
    const basic = Buffer.from('WSUSER:sécret:1').toString('base64');
    assert.equal(call.headers.Authorization, `Basic ${basic}`);
    assert.equal(call.operation, 'save');
    assert.equal(call.publicName, 'YWSSIH');
    assert.match(call.body, /<codeLang xsi:type="xsd:string">FRA<\/codeLang>/);
    assert.match(call.body, /<poolAlias xsi:type="xsd:string">SQX3POOL</);
    assert.equal(sentField(call, 'SALFCY'), 'NYC01');
    assert.equal(sentField(call, 'SIVTYP'), 'SQINV');
    assert.equal(sentField(call, 'NUM'), '');
    assert.equal(sentField(call, 'INVREF'), 'SQ-ORDER1');
    assert.equal(sentField(call, 'BPCINV'), 'WALKIN');
    assert.equal(sentField(call, 'GROPRI'), '12.00');
    assert.equal(sentField(call, 'DISCRGVAL1'), '2.40');
    assert.equal(sentField(call, 'AMTTAXLIN1'), '1.92');
    assert.equal(sentField(call, 'VACITM1'), 'NYS');
  });

  test('an entry: one line per side, the debit or the credit', async () => {
    const { fetch, calls } = fakeSoap(() =>
      soapAnswer({
        operation: 'save',
        status: 1,
        resultXml: numberXml('SQR9', 'HAE0_1'),
      }),
    );

    assert.equal(await gateway(fetch).postDocument(entry), 'SQR9');

    const [call] = calls;
    assert.equal(call.publicName, 'WSGAS');
    assert.equal(sentField(call, 'TYP'), 'SQRCP');
    assert.equal(sentField(call, 'ACCDAT'), '20261203');
    assert.equal(sentField(call, 'BPRVCR'), 'SQR-ORDER1');
    const lines = call.object!.children.find((c) => c.attrs.ID === 'HAE2_1')!;
    const rows = lines.children.map((lin) =>
      lin.children.map((f) => `${f.attrs.NAME}=${f.text}`).join(' '),
    );
    assert.deepEqual(rows, [
      'FCYLIN=NYC01 ACC1=CLEARING-CARD DEB=34.36 DES=card',
      'FCYLIN=NYC01 ACC1=AR-TRADE BPR=WALKIN CDT=31.36 DES=sale',
      'FCYLIN=NYC01 ACC1=TIPS-PAYABLE CDT=3.00 DES=tip',
    ]);
  });

  test('a business refusal is sent once and carries X3 text', async () => {
    const { fetch, calls } = fakeSoap(() =>
      soapAnswer({
        operation: 'save',
        status: 0,
        messages: [{ type: 3, message: 'NYS : Tax code does not exist' }],
      }),
    );

    await assert.rejects(gateway(fetch).postDocument(invoice), (error) => {
      const e = error as { code: string; retryable: boolean; message: string };
      assert.equal(e.code, 'business');
      assert.equal(e.retryable, false);
      assert.match(e.message, /NYS : Tax code does not exist/);
      return true;
    });
    assert.equal(calls.length, 1);
  });

  test('a busy pool and a 503 are tried again, with a look-up first', async () => {
    waits.length = 0;
    const { fetch, calls } = fakeSoap((call, i) => {
      if (i === 0) {
        return soapAnswer({
          operation: 'save',
          status: 0,
          messages: [
            {
              type: 3,
              message: 'Pool SQX3POOL : no web service child process available',
            },
          ],
        });
      }
      if (i === 1) return soapFault(503, 'Server', 'Service Unavailable');
      if (call.operation === 'query') {
        return soapAnswer({
          operation: 'query',
          status: 1,
          resultXml: queryXml([]),
        });
      }
      return soapAnswer({
        operation: 'save',
        status: 1,
        resultXml: numberXml('SQI2'),
      });
    });

    assert.equal(await gateway(fetch).postDocument(invoice), 'SQI2');
    assert.deepEqual(
      calls.map((c) => c.operation),
      ['save', 'query', 'query', 'save'],
    );
    assert.deepEqual(calls[2].keys, { INVREF: 'SQ-ORDER1' });
    assert.equal(waits.length, 2);
  });

  test('commit then time out: the re-try finds the document, no second save', async () => {
    const { fetch, calls } = fakeSoap((call) =>
      call.operation === 'save'
        ? 'hang'
        : soapAnswer({
            operation: 'query',
            status: 1,
            resultXml: queryXml(['SQR77']),
          }),
    );

    const number = await gateway(fetch, 100).postDocument(entry);

    assert.equal(number, 'SQR77');
    assert.deepEqual(
      calls.map((c) => `${c.operation} ${JSON.stringify(c.keys)}`),
      ['save {}', 'query {"BPRVCR":"SQR-ORDER1"}'],
    );
  });

  test('401 and a Client fault are not tried again', async () => {
    const unauthorised = fakeSoap(() => new Response('', { status: 401 }));
    await assert.rejects(
      gateway(unauthorised.fetch).findDocument(invoice),
      /refused the SOAP user and password \(401\)/,
    );
    assert.equal(unauthorised.calls.length, 1);

    const malformed = fakeSoap(() =>
      soapFault(500, 'Client', 'objectXml : XML not valid'),
    );
    await assert.rejects(
      gateway(malformed.fetch).findDocument(invoice),
      /XML not valid/,
    );
    assert.equal(malformed.calls.length, 1);
  });

  test('an unknown publication is a setup error', async () => {
    const { fetch } = fakeSoap(() =>
      soapAnswer({
        operation: 'query',
        status: 0,
        messages: [
          { type: 3, message: 'Web service YBPC unknown (not published)' },
        ],
      }),
    );
    await assert.rejects(gateway(fetch).testConnection(), (error) => {
      assert.equal((error as { code: string }).code, 'config');
      assert.match((error as Error).message, /publication YBPC/);
      return true;
    });
  });

  test('test connection queries one record of each publication', async () => {
    const { fetch, calls } = fakeSoap((call) =>
      soapAnswer({
        operation: call.operation,
        status: 1,
        resultXml: queryXml([]),
      }),
    );
    const text = await gateway(fetch).testConnection();
    assert.match(text, /SOAP ok \(pool SQX3POOL: YBPC, YWSSIH, WSGAS/);
    assert.deepEqual(
      calls.map((c) => [c.operation, c.publicName]),
      [
        ['query', 'YBPC'],
        ['query', 'YWSSIH'],
        ['query', 'WSGAS'],
      ],
    );
    assert.match(calls[0].body, /<listSize xsi:type="xsd:int">1<\/listSize>/);
  });
});
