import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import jwt from 'jsonwebtoken';
import { createX3Emulator } from '../../sandbox/x3/emulator';
import {
  attribute,
  child,
  elements,
  parseXml,
  textOf,
  XmlElement,
} from '../../sandbox/x3/soap-xml';

// The emulator's classic SOAP endpoint, spoken to as a third party
// would: envelopes written here by hand, raw HTTP, answers read back
// following the multiRef references.

const emulator = createX3Emulator({
  openPeriods: [{ start: '2024-01-01', end: '2026-12-31' }],
});
let base = '';
const PATH =
  '/soap-generic/syracuse/collaboration/syracuse/CAdxWebServiceXmlCC';
const BASIC = 'Basic ' + Buffer.from('sqx3:sqx3-demo').toString('base64');

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function envelope(call: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xmlns:xsd="http://www.w3.org/2001/XMLSchema"
  xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/"
  xmlns:wss="http://www.adonix.com/WSS">
 <soapenv:Header/>
 <soapenv:Body>${call}</soapenv:Body>
</soapenv:Envelope>`;
}

const context = (lang: string) =>
  '<callContext xsi:type="wss:CAdxCallContext">' +
  `<codeLang xsi:type="xsd:string">${lang}</codeLang>` +
  '<poolAlias xsi:type="xsd:string">SQX3POOL</poolAlias>' +
  '<poolId xsi:type="xsd:string"></poolId>' +
  '<requestConfig xsi:type="xsd:string">adxwss.beautify=true' +
  '</requestConfig></callContext>';

const keys = (pairs: [string, string][]) =>
  `<objectKeys soapenc:arrayType="wss:CAdxParamKeyValue[${pairs.length}]" ` +
  'xsi:type="soapenc:Array">' +
  pairs
    .map(
      ([k, v]) =>
        '<item xsi:type="wss:CAdxParamKeyValue">' +
        `<key xsi:type="xsd:string">${k}</key>` +
        `<value xsi:type="xsd:string">${esc(v)}</value></item>`,
    )
    .join('') +
  '</objectKeys>';

interface CallOptions {
  lang?: string;
  cdata?: boolean;
  keys?: [string, string][];
  listSize?: number;
}

function call(op: string, pub: string, xml?: string, o: CallOptions = {}) {
  const objectXml =
    xml === undefined
      ? ''
      : o.cdata
        ? `<objectXml xsi:type="xsd:string"><![CDATA[${xml}]]></objectXml>`
        : `<objectXml xsi:type="xsd:string">${esc(xml)}</objectXml>`;
  return envelope(
    `<wss:${op} soapenv:encodingStyle=` +
      '"http://schemas.xmlsoap.org/soap/encoding/">' +
      context(o.lang ?? 'ENG') +
      `<publicName xsi:type="xsd:string">${pub}</publicName>` +
      (o.keys ? keys(o.keys) : '') +
      (o.listSize !== undefined
        ? `<listSize xsi:type="xsd:int">${o.listSize}</listSize>`
        : '') +
      objectXml +
      `</wss:${op}>`,
  );
}

async function post(
  body: string,
  headers: Record<string, string> = {},
  signal?: AbortSignal,
) {
  const res = await fetch(base + PATH, {
    method: 'POST',
    headers: {
      Authorization: BASIC,
      'Content-Type': 'text/xml; charset=utf-8',
      SOAPAction: '""',
      ...headers,
    },
    body,
    signal,
  });
  return { status: res.status, headers: res.headers, raw: await res.text() };
}

interface Answer {
  http: number;
  raw: string;
  status: string;
  messages: { type: string; message: string }[];
  resultXml: string | null;
  busy: string;
  fault: string;
}

/** Reads a response, following href="#id" to the multiRef elements. */
function read(http: number, raw: string): Answer {
  const body = elements(parseXml(raw)).find((e) => e.local === 'Body')!;
  const [first, ...refs] = elements(body);
  const answer: Answer = {
    http,
    raw,
    status: '',
    messages: [],
    resultXml: null,
    busy: '',
    fault: '',
  };
  if (first.local === 'Fault') {
    answer.fault = textOf(child(first, 'faultstring')!);
    return answer;
  }
  const byId = (e: XmlElement): XmlElement => {
    const href = attribute(e, 'href');
    if (!href) return e;
    return refs.find((r) => `#${attribute(r, 'id')}` === href)!;
  };
  const result = byId(elements(first)[0]);
  answer.status = textOf(child(result, 'status')!);
  const xml = child(result, 'resultXml')!;
  const nil = xml.attributes.some((a) => a.local === 'nil');
  answer.resultXml = nil ? null : textOf(xml);
  answer.messages = elements(child(result, 'messages')!).map((item) => {
    const m = byId(item);
    return {
      type: textOf(child(m, 'type')!),
      message: textOf(child(m, 'message')!),
    };
  });
  const tech = byId(child(result, 'technicalInfos')!);
  answer.busy = textOf(child(tech, 'busy')!);
  return answer;
}

async function soap(op: string, pub: string, xml?: string, o?: CallOptions) {
  const res = await post(call(op, pub, xml, o));
  return read(res.status, res.raw);
}

/** FLD values by NAME in a resultXml (every occurrence, in order). */
function fields(resultXml: string | null, name: string): string[] {
  const out: string[] = [];
  const walk = (e: XmlElement) => {
    if (e.local === 'FLD' && attribute(e, 'NAME') === name) out.push(textOf(e));
    if (e.local === 'LST' && attribute(e, 'NAME') === name) {
      out.push(...elements(e).map(textOf));
    }
    elements(e).forEach(walk);
  };
  walk(parseXml(resultXml ?? '<RESULT/>'));
  return out;
}

const customerXml = (name: string, code = '') =>
  '<PARAM><GRP ID="BPC0_1"><FLD NAME="BCGCOD">RETL</FLD>' +
  `<FLD NAME="BPCNUM">${code}</FLD></GRP>` +
  `<GRP ID="BPRC_1"><LST NAME="BPRNAM"><ITM>${esc(name)}</ITM></LST>` +
  '<FLD NAME="BPRSHO">CONCEICAO</FLD><FLD NAME="CRN"></FLD></GRP>' +
  '<GRP ID="BPC2_1"><FLD NAME="CUR">EUR</FLD></GRP>' +
  '<TAB ID="BPAC_1"><LIN><FLD NAME="CODADR">MAIN</FLD>' +
  '<FLD NAME="BPACRY">PT</FLD><FLD NAME="ADDLIG1">Rua da Prata 12</FLD>' +
  '<FLD NAME="POSCOD">1100-420</FLD><FLD NAME="CTY">Lisboa</FLD>' +
  '<FLD NAME="WEB1">m.conceicao@example.com</FLD></LIN></TAB></PARAM>';

const invoiceXml = (ref: string, date = '20240301', sih16 = 'SIH1_6') =>
  '<PARAM><GRP ID="SIH0_1"><FLD NAME="SALFCY">NYC01</FLD>' +
  '<FLD NAME="SIVTYP">SQINV</FLD><FLD NAME="NUM"></FLD>' +
  `<FLD NAME="INVREF">${ref}</FLD><FLD NAME="INVDAT">${date}</FLD>` +
  '<FLD NAME="BPCINV">WALKIN</FLD><FLD NAME="CUR">USD</FLD></GRP>' +
  `<GRP ID="${sih16}"><FLD NAME="PRITYP">1</FLD></GRP>` +
  '<TAB ID="SIH4_1">' +
  '<LIN><FLD NAME="ITMREF">BEANS-HOUSE</FLD>' +
  '<FLD NAME="ITMDES">House blend &amp; co</FLD><FLD NAME="QTY">2</FLD>' +
  '<FLD NAME="GROPRI">12.00</FLD><FLD NAME="DISCRGVAL1">2.40</FLD>' +
  '<FLD NAME="VACITM1">NY1</FLD><FLD NAME="AMTTAXLIN1">1.92</FLD></LIN>' +
  '<LIN><FLD NAME="ITMREF">MUG-STD</FLD><FLD NAME="QTY">1</FLD>' +
  '<FLD NAME="GROPRI">8.00</FLD><FLD NAME="DISCRGVAL1">0.80</FLD>' +
  '<FLD NAME="VACITM1">NY1</FLD><FLD NAME="AMTTAXLIN1">0.64</FLD></LIN>' +
  '</TAB></PARAM>';

const entryXml = (ref: string, credit = '34.36') =>
  '<PARAM><GRP ID="HAE0_1"><FLD NAME="FCY">NYC01</FLD>' +
  '<FLD NAME="TYP">SQJNL</FLD><FLD NAME="NUM"></FLD>' +
  '<FLD NAME="ACCDAT">20260314</FLD></GRP>' +
  '<GRP ID="HAE0_2"><FLD NAME="JOU"></FLD><FLD NAME="CAT">1</FLD>' +
  '<FLD NAME="STA">1</FLD></GRP>' +
  '<GRP ID="HAE1_1"><FLD NAME="DESVCR">Square sale ORDER1</FLD></GRP>' +
  `<GRP ID="HAE1_3"><FLD NAME="BPRVCR">${ref}</FLD>` +
  '<FLD NAME="BPRDATVCR">20260314</FLD></GRP>' +
  '<GRP ID="HAE1_5"><FLD NAME="CUR">USD</FLD></GRP>' +
  '<TAB ID="HAE2_1">' +
  '<LIN><FLD NAME="FCYLIN">NYC01</FLD><FLD NAME="ACC1">CLEARING-CARD</FLD>' +
  '<FLD NAME="DEB">34.36</FLD><FLD NAME="CDT">0</FLD>' +
  '<FLD NAME="DES">Card</FLD></LIN>' +
  '<LIN><FLD NAME="FCYLIN">NYC01</FLD><FLD NAME="ACC1">A-COFFEE</FLD>' +
  `<FLD NAME="CDT">${credit}</FLD><FLD NAME="DES">Coffee</FLD></LIN>` +
  '</TAB></PARAM>';

async function admin(path: string, body: unknown) {
  const res = await fetch(base + path, {
    method: 'POST',
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 200, await res.text());
}

before(async () => {
  base = await emulator.start();
});
beforeEach(() => emulator.reset());
after(() => emulator.stop());

describe('XML reader', () => {
  test('entities, character references, CDATA, attributes, namespaces', () => {
    const root = parseXml(
      '<?xml version="1.0"?><!-- c --><a:r xmlns:a="urn:a" k=\'1 &amp; "2"\'>' +
        'x &lt;&#233;&#xE7;&gt; <![CDATA[<raw & kept>]]><b/><?pi x?></a:r>',
    );
    assert.equal(root.uri, 'urn:a');
    assert.equal(root.local, 'r');
    assert.equal(attribute(root, 'k'), '1 & "2"');
    assert.equal(textOf(root), 'x <éç> <raw & kept>');
    assert.equal(elements(root)[0].local, 'b');
  });

  test('refuses a DOCTYPE, a bare &, crossed tags and an unknown prefix', () => {
    const bad = [
      '<!DOCTYPE r [<!ENTITY e "x">]><r>&e;</r>',
      '<r>a & b</r>',
      '<r><a></r></a>',
      '<p:r/>',
      '<r a="1" a="2"/>',
      '<r>&bogus;</r>',
      '<r/><r/>',
    ];
    for (const text of bad) assert.throws(() => parseXml(text), /at char/);
  });
});

describe('HTTP, auth and the envelope', () => {
  test('401 without or with wrong Basic credentials', async () => {
    const body = call('read', 'YBPC', undefined, { keys: [['BPCNUM', 'X']] });
    const none = await post(body, { Authorization: '' });
    assert.equal(none.status, 401);
    assert.match(none.headers.get('www-authenticate') ?? '', /^Basic/);
    const wrong = 'Basic ' + Buffer.from('sqx3:nope').toString('base64');
    assert.equal((await post(body, { Authorization: wrong })).status, 401);
  });

  test('faults for a malformed envelope, SOAP 1.2, headers', async () => {
    const broken = await post('<soapenv:Envelope>');
    assert.equal(broken.status, 500);
    assert.match(read(500, broken.raw).fault, /undeclared prefix/);
    const v12 = await post(
      '<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope">' +
        '<e:Body/></e:Envelope>',
    );
    assert.equal(v12.status, 500);
    assert.match(v12.raw, /soapenv:VersionMismatch/);
    const body = call('read', 'YBPC', undefined, { keys: [['BPCNUM', 'X']] });
    const noAction = await fetch(base + PATH, {
      method: 'POST',
      headers: { Authorization: BASIC, 'Content-Type': 'text/xml' },
      body,
    });
    assert.equal(noAction.status, 500);
    assert.match(await noAction.text(), /SOAPAction header missing/);
    const json = await post(body, { 'Content-Type': 'application/json' });
    assert.equal(json.status, 415);
    const run = await post(call('run', 'YBPC', '<PARAM/>'));
    assert.match(read(500, run.raw).fault, /operation run not supported/);
  });

  test('the WSDL names the five operations and the endpoint', async () => {
    const wsdlPath = PATH.replace('soap-generic', 'soap-wsdl');
    const res = await fetch(`${base}${wsdlPath}?wsdl`, {
      headers: { Authorization: BASIC },
    });
    assert.equal(res.status, 200);
    const wsdl = parseXml(await res.text());
    const portType = elements(wsdl).find((e) => e.local === 'portType')!;
    assert.deepEqual(
      elements(portType).map((o) => attribute(o, 'name')),
      ['save', 'read', 'query', 'modify', 'delete'],
    );
    assert.match(JSON.stringify(wsdl), new RegExp(base + PATH));
  });

  test('parameters sent as href references to multiRef are followed', async () => {
    const body = envelope(
      '<wss:read><callContext href="#c1"/>' +
        '<publicName xsi:type="xsd:string">YBPC</publicName>' +
        '<objectKeys href="#k1"/></wss:read>' +
        '<multiRef id="c1"><codeLang>FRA</codeLang>' +
        '<poolAlias>SQX3POOL</poolAlias></multiRef>' +
        '<multiRef id="k1"><item href="#k2"/></multiRef>' +
        '<multiRef id="k2"><key>BPCNUM</key><value>NOPE</value></multiRef>',
    );
    const answer = read(200, (await post(body)).raw);
    assert.equal(answer.status, '0');
    assert.deepEqual(answer.messages, [
      { type: '3', message: 'NOPE : Fiche inexistante' },
    ]);
  });
});

describe('customers (YBPC)', () => {
  test('"Conceição" is saved, numbered, and read back intact', async () => {
    const saved = await soap('save', 'YBPC', customerXml('Conceição Lda'));
    assert.equal(saved.status, '1', JSON.stringify(saved.messages));
    const [code] = fields(saved.resultXml, 'BPCNUM');
    assert.match(code, /^CU\d{7}$/);
    assert.ok(saved.raw.includes('Conceição Lda'), 'sent as UTF-8 text');

    const back = await soap('read', 'YBPC', undefined, {
      keys: [['BPCNUM', code]],
    });
    assert.equal(back.status, '1');
    assert.deepEqual(fields(back.resultXml, 'BPRNAM'), ['Conceição Lda', '']);
    assert.deepEqual(fields(back.resultXml, 'CTY'), ['Lisboa']);
    const stored = emulator.documents().customers.find((c) => c.code === code);
    assert.equal(stored?.companyName, 'Conceição Lda');
    assert.equal(stored?.postalCode, '1100-420');

    const api1 = await fetch(
      `${base}/api1/x3/erp/SEED/BPCUSTOMER('${code}')` +
        '?representation=BPCUSTOMER.$details',
      { headers: { Authorization: BASIC } },
    );
    assert.equal(
      ((await api1.json()) as { BPCNAM: string }).BPCNAM,
      'Conceição Lda',
    );
  });

  test('modify changes the fields sent; delete refused once used', async () => {
    const saved = await soap('save', 'YBPC', customerXml('Ana Conceição'));
    const [code] = fields(saved.resultXml, 'BPCNUM');
    const change =
      '<PARAM><TAB ID="BPAC_1"><LIN><FLD NAME="CTY">Porto</FLD></LIN></TAB>' +
      '</PARAM>';
    const modified = await soap('modify', 'YBPC', change, {
      keys: [['BPCNUM', code]],
    });
    assert.equal(modified.status, '1', JSON.stringify(modified.messages));
    assert.deepEqual(fields(modified.resultXml, 'CTY'), ['Porto']);
    const c = emulator.documents().customers.find((x) => x.code === code);
    assert.equal(c?.city, 'Porto');
    assert.equal(c?.companyName, 'Ana Conceição');

    const used = await soap('delete', 'YBPC', undefined, {
      keys: [['BPCNUM', 'WALKIN']],
    });
    assert.equal(used.status, '1', 'WALKIN has no document yet');
    await soap('save', 'YWSSIH', invoiceXml('R-DEL').replace('WALKIN', code));
    const refused = await soap('delete', 'YBPC', undefined, {
      keys: [['BPCNUM', code]],
    });
    assert.equal(refused.status, '0');
    assert.match(refused.messages[0].message, /deletion not allowed/);
  });

  test('BPRNAM holds two lines of 35 characters', async () => {
    const two = customerXml('Padaria').replace(
      '</ITM></LST>',
      '</ITM><ITM>Conceição &amp; Filhos</ITM></LST>',
    );
    const saved = await soap('save', 'YBPC', two);
    assert.deepEqual(fields(saved.resultXml, 'BPRNAM'), [
      'Padaria',
      'Conceição & Filhos',
    ]);
    const three = two.replace('</LST>', '<ITM>x</ITM></LST>');
    const refused = await soap('save', 'YBPC', three);
    assert.deepEqual(
      refused.messages.map((m) => m.message),
      ['BPRNAM : 3 items, maximum 2'],
    );
  });

  test('business rules answer status 0 with type-3 messages', async () => {
    const bad = customerXml('X'.repeat(36)).replace('RETL', 'NOPE');
    const answer = await soap('save', 'YBPC', bad);
    assert.equal(answer.status, '0');
    assert.equal(answer.resultXml, null);
    assert.deepEqual(
      answer.messages.map((m) => m.type + ' ' + m.message),
      [
        '3 Customer category NOPE : Record does not exist',
        '3 Company name : 36 characters, maximum 35',
      ],
    );
  });
});

describe('sales invoices (YWSSIH)', () => {
  test('save: YYYYMMDD to the ISO date, number, totals, multiRef', async () => {
    const saved = await soap('save', 'YWSSIH', invoiceXml('SQ-ORDER1'), {
      cdata: true,
    });
    assert.equal(saved.status, '1', JSON.stringify(saved.messages));
    assert.deepEqual(fields(saved.resultXml, 'NUM'), ['SQI2400001']);
    assert.deepEqual(fields(saved.resultXml, 'INVDAT'), ['20240301']);
    assert.deepEqual(fields(saved.resultXml, 'INVNOT'), ['28.80']);
    assert.deepEqual(fields(saved.resultXml, 'INVATI'), ['31.36']);
    assert.deepEqual(fields(saved.resultXml, 'SIHCFMFLG'), ['1']);
    assert.match(
      saved.resultXml!,
      /MENULAB="No" MENULOCAL="1" NAME="SIHCFMFLG"/,
    );
    assert.match(saved.resultXml!, /<TAB DIM="300" ID="SIH4_1" SIZE="2">/);
    assert.match(fields(saved.resultXml, 'WW_MODSTAMP')[0], /^\d{14}$/);
    assert.match(saved.raw, /<saveReturn href="#id0"\/>/);
    assert.match(saved.raw, /<multiRef id="id0"[^>]*CAdxResultXml/);

    const [invoice] = emulator.documents().invoices;
    assert.equal(invoice.invoiceDate, '2024-03-01');
    assert.equal(invoice.customerReference, 'SQ-ORDER1');
    assert.equal(invoice.lines[0].description, 'House blend & co');
    assert.equal(invoice.lines[1].netAmount, '7.20');
  });

  test('a SOAP invoice is readable through GraphQL', async () => {
    await soap('save', 'YWSSIH', invoiceXml('SQ-GQL'));
    const iat = Math.floor(Date.now() / 1000);
    const token = jwt.sign(
      { iss: 'sqx3-demo-app', iat, exp: iat + 300 },
      'sqx3-demo-jwt-secret',
      { algorithm: 'HS256' },
    );
    const res = await fetch(base + '/xtrem/api', {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
        'x-xtrem-endpoint': 'SEED',
      },
      body: JSON.stringify({
        query:
          '{ x3Sales { salesInvoice { read(_id: "SQI2400001") { ' +
          'customerReference invoiceDate totalAmountIncludingTax ' +
          'lines { product } } } } }',
      }),
    });
    const body = (await res.json()) as {
      data: { x3Sales: { salesInvoice: { read: Record<string, unknown> } } };
    };
    assert.deepEqual(body.data.x3Sales.salesInvoice.read, {
      customerReference: 'SQ-GQL',
      invoiceDate: '2024-03-01',
      totalAmountIncludingTax: '31.36',
      lines: [{ product: 'BEANS-HOUSE' }, { product: 'MUG-STD' }],
    });
  });

  test('a duplicate reference is refused with the contract text', async () => {
    await soap('save', 'YWSSIH', invoiceXml('SQ-DUP'));
    const again = await soap('save', 'YWSSIH', invoiceXml('SQ-DUP'));
    assert.equal(again.status, '0');
    assert.deepEqual(again.messages, [
      {
        type: '3',
        message: 'Reference SQ-DUP already registered in document SQI2400001',
      },
    ]);
    assert.match(again.raw, /<messages href="#id1"\/>/);
    assert.match(again.raw, /<multiRef id="id1"[^>]*CAdxMessage/);
    assert.match(
      again.raw,
      /<resultXml xsi:type="xsd:string" xsi:nil="true"\/>/,
    );
    const fra = await soap('save', 'YWSSIH', invoiceXml('SQ-DUP'), {
      lang: 'FRA',
    });
    assert.equal(
      fra.messages[0].message,
      'Référence SQ-DUP déjà enregistrée dans le document SQI2400001',
    );
    assert.equal(emulator.documents().invoices.length, 1);

    await admin('/_emulator/soap', { uniqueReferences: false });
    const allowed = await soap('save', 'YWSSIH', invoiceXml('SQ-DUP'));
    assert.deepEqual(fields(allowed.resultXml, 'NUM'), ['SQI2400002']);
  });

  test('read, query by INVREF, modify and delete refused', async () => {
    await soap('save', 'YWSSIH', invoiceXml('SQ-A'));
    await soap('save', 'YWSSIH', invoiceXml('SQ-B'));
    const found = await soap('query', 'YWSSIH', undefined, {
      keys: [['INVREF', 'SQ-B']],
      listSize: 5,
    });
    assert.equal(found.status, '1');
    assert.deepEqual(fields(found.resultXml, 'NUM'), ['SQI2400002']);
    assert.match(found.resultXml!, /<TAB DIM="5" ID="YWSSIH" SIZE="1">/);
    const none = await soap('query', 'YWSSIH', undefined, {
      keys: [['INVREF', 'SQ-C']],
      listSize: 5,
    });
    assert.match(none.resultXml!, /SIZE="0"/);

    const one = await soap('read', 'YWSSIH', undefined, {
      keys: [['NUM', 'SQI2400001']],
    });
    assert.deepEqual(fields(one.resultXml, 'INVREF'), ['SQ-A']);
    assert.deepEqual(fields(one.resultXml, 'ITMREF'), [
      'BEANS-HOUSE',
      'MUG-STD',
    ]);
    const missing = await soap('read', 'YWSSIH', undefined, {
      keys: [['NUM', 'SQI2499999']],
    });
    assert.equal(missing.status, '0');
    assert.equal(
      missing.messages[0].message,
      'SQI2499999 : Record does not exist',
    );

    for (const op of ['modify', 'delete']) {
      const answer = await soap(op, 'YWSSIH', invoiceXml('SQ-A'), {
        keys: [['NUM', 'SQI2400001']],
      });
      assert.equal(answer.status, '0');
      assert.match(answer.messages[0].message, /SQI2400001 : posted document/);
    }
    assert.equal(emulator.documents().invoices.length, 2);
  });

  test('dates and rules: impossible date, closed period, unknown product', async () => {
    const feb30 = await soap('save', 'YWSSIH', invoiceXml('R1', '20240230'));
    assert.deepEqual(
      feb30.messages.map((m) => m.message),
      ['INVDAT 20240230 : invalid date, YYYYMMDD expected'],
    );
    const iso = await soap('save', 'YWSSIH', invoiceXml('R1', '2024-03-01'));
    assert.equal(iso.status, '0');
    const closed = await soap('save', 'YWSSIH', invoiceXml('R1', '20230301'));
    assert.deepEqual(
      closed.messages.map((m) => m.message),
      ['Invoice date 2023-03-01 : period not open'],
    );
    const product = invoiceXml('R1').replace('MUG-STD', 'NOPE');
    const refused = await soap('save', 'YWSSIH', product);
    assert.deepEqual(
      refused.messages.map((m) => m.message),
      ['Line 2: Product NOPE : Record does not exist'],
    );
    assert.equal(emulator.documents().invoices.length, 0);
  });

  test('groups follow the publication map, settable at run time', async () => {
    const moved = invoiceXml('R-MAP', '20240301', 'SIH1_5');
    const refused = await soap('save', 'YWSSIH', moved);
    assert.deepEqual(
      refused.messages.map((m) => m.message),
      ['SIH1_5 : group unknown in web service YWSSIH'],
    );
    const current = (await (await fetch(base + '/_emulator/soap')).json()) as {
      publications: Record<string, { groups: Record<string, string[]> }>;
    };
    const pubs = current.publications;
    const groups: Record<string, string[]> = {
      ...pubs.YWSSIH.groups,
      SIH1_5: ['PRITYP'],
    };
    delete groups.SIH1_6;
    pubs.YWSSIH.groups = groups;
    await admin('/_emulator/soap', { publications: pubs });
    const saved = await soap('save', 'YWSSIH', moved);
    assert.equal(saved.status, '1', JSON.stringify(saved.messages));
    assert.match(saved.resultXml!, /<GRP ID="SIH1_5">/);
  });
});

describe('journal entries (WSGAS)', () => {
  test('save, read by TYP+NUM, query by BPRVCR, duplicates', async () => {
    const saved = await soap('save', 'WSGAS', entryXml('SQ-E1'));
    assert.equal(saved.status, '1', JSON.stringify(saved.messages));
    assert.deepEqual(fields(saved.resultXml, 'NUM'), ['SQJ2600001']);
    const [entry] = emulator.documents().entries;
    assert.equal(entry.accountingDate, '2026-03-14');
    assert.equal(entry.lines[0].debit, '34.36');
    assert.equal(entry.lines[0].credit, null);
    assert.equal(entry.lines[1].credit, '34.36');

    const back = await soap('read', 'WSGAS', undefined, {
      keys: [
        ['TYP', 'SQJNL'],
        ['NUM', 'SQJ2600001'],
      ],
    });
    assert.deepEqual(fields(back.resultXml, 'ACCDAT'), ['20260314']);
    assert.deepEqual(fields(back.resultXml, 'DEB'), ['34.36', '']);
    const found = await soap('query', 'WSGAS', undefined, {
      keys: [['BPRVCR', 'SQ-E1']],
      listSize: 1,
    });
    assert.deepEqual(fields(found.resultXml, 'NUM'), ['SQJ2600001']);

    const again = await soap('save', 'WSGAS', entryXml('SQ-E1'));
    assert.equal(
      again.messages[0].message,
      'Reference SQ-E1 already registered in document SQJ2600001',
    );
  });

  test('an unbalanced entry is refused', async () => {
    const answer = await soap('save', 'WSGAS', entryXml('SQ-E2', '30.00'));
    assert.equal(answer.status, '0');
    assert.deepEqual(
      answer.messages.map((m) => m.message),
      ['Entry not balanced : debit 34.36, credit 30.00'],
    );
  });
});

describe('faults', () => {
  test('unknown publication, and one taken out of publication', async () => {
    const unknown = await soap('save', 'YNOPE', invoiceXml('R'));
    assert.deepEqual(unknown.messages, [
      { type: '3', message: 'Web service YNOPE unknown (not published)' },
    ]);
    emulator.setFault({ kind: 'soap-unpublished', publication: 'YWSSIH' });
    const gone = await soap('save', 'YWSSIH', invoiceXml('R'), { lang: 'FRA' });
    assert.equal(
      gone.messages[0].message,
      'Service web YWSSIH inconnu (non publié)',
    );
    emulator.reset();
    assert.equal((await soap('save', 'YWSSIH', invoiceXml('R'))).status, '1');
  });

  test('a pool with no web-service child process', async () => {
    emulator.setFault({ kind: 'soap-pool-empty', count: 1 });
    const empty = await soap('save', 'YWSSIH', invoiceXml('R'));
    assert.equal(empty.status, '0');
    assert.equal(empty.busy, 'true');
    assert.equal(
      empty.messages[0].message,
      'Pool SQX3POOL : no web service child process available',
    );
    assert.equal(emulator.documents().invoices.length, 0);
    const next = await soap('save', 'YWSSIH', invoiceXml('R'));
    assert.equal(next.status, '1');
    assert.equal(next.busy, 'false');
  });

  test('licence volume: served, then slowed, then refused', async () => {
    emulator.setFault({ kind: 'quota', limit: 1, grace: 1, slowMs: 150 });
    const body = call('query', 'YWSSIH', undefined, { listSize: 1 });
    const timed = async () => {
      const t = Date.now();
      const res = await post(body);
      return { ...res, ms: Date.now() - t };
    };
    const first = await timed();
    const slow = await timed();
    const refused = await timed();
    assert.equal(first.status, 200);
    assert.ok(first.ms < 150, `first took ${first.ms} ms`);
    assert.equal(slow.status, 200);
    assert.ok(slow.ms >= 145, `grace call took ${slow.ms} ms`);
    assert.equal(refused.status, 503);
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
    assert.match(read(503, refused.raw).fault, /^license_web_max/);
  });

  test('commit then time out: stored, no answer', async () => {
    emulator.setFault({
      kind: 'commit-then-timeout',
      count: 1,
      closeAfterMs: 400,
    });
    await assert.rejects(
      post(
        call('save', 'YWSSIH', invoiceXml('SQ-T')),
        {},
        AbortSignal.timeout(200),
      ),
    );
    const [stored] = emulator.documents().invoices;
    assert.equal(stored.customerReference, 'SQ-T');
    const found = await soap('query', 'YWSSIH', undefined, {
      keys: [['INVREF', 'SQ-T']],
      listSize: 1,
    });
    assert.deepEqual(fields(found.resultXml, 'NUM'), [stored.id]);
  });
});
