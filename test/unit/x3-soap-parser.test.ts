import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  faultOf,
  fieldOf,
  messageText,
  parseResultXml,
  parseSoapResponse,
  rowsOf,
} from '../../lib/x3/soap-result';
import { parseXml, xmlEscape } from '../../lib/x3/soap-xml';

// The answer side of classic SOAP, on responses written here by hand in
// the RPC/encoded layout X3 uses: the result and its messages as multiRef
// elements after the body element, resultXml as escaped text.

const OPEN =
  '<?xml version="1.0" encoding="UTF-8"?>' +
  '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"' +
  ' xmlns:xsd="http://www.w3.org/2001/XMLSchema"' +
  ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
  '<soapenv:Body>';
const CLOSE = '</soapenv:Body></soapenv:Envelope>';
const ENC =
  'soapenv:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"' +
  ' xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/"';

function message(id: string, type: number, text: string): string {
  return (
    `<multiRef id="${id}" soapenc:root="0" ${ENC} xsi:type="ns1:CAdxMessage"` +
    ' xmlns:ns1="http://www.adonix.com/WSS">' +
    `<message xsi:type="xsd:string">${xmlEscape(text)}</message>` +
    `<type xsi:type="xsd:string">${type}</type></multiRef>`
  );
}

const INVOICE_RESULT =
  '<RESULT><GRP ID="SIH0_1">' +
  '<FLD NAME="SALFCY" TYPE="Char">NYC01</FLD>' +
  '<FLD NAME="NUM" TYPE="Char">SQI2600042</FLD>' +
  '<FLD NAME="INVDAT" TYPE="Date">20240301</FLD></GRP>' +
  '<GRP ID="SIH1_1"><FLD MENULAB="No" MENULOCAL="1" NAME="SIHCFMFLG"' +
  ' TYPE="Integer">1</FLD></GRP>' +
  '<GRP ID="BPRC_1"><LST NAME="BPRNAM" SIZE="2" TYPE="Char">' +
  '<ITM>Café &amp; Conceição</ITM><ITM></ITM></LST></GRP>' +
  '<TAB DIM="300" ID="SIH4_1" SIZE="2">' +
  '<LIN NUM="1"><FLD NAME="ITMREF" TYPE="Char">BEANS-HOUSE</FLD>' +
  '<FLD NAME="QTY" TYPE="Decimal">2</FLD></LIN>' +
  '<LIN NUM="2"><FLD NAME="ITMREF" TYPE="Char">MUG-STD</FLD>' +
  '<FLD NAME="QTY" TYPE="Decimal">1</FLD></LIN></TAB></RESULT>';

function saved(): string {
  return (
    OPEN +
    `<ns1:saveResponse ${ENC} xmlns:ns1="http://www.adonix.com/WSS">` +
    '<saveReturn href="#id0"/></ns1:saveResponse>' +
    `<multiRef id="id0" soapenc:root="0" ${ENC} xsi:type="ns2:CAdxResultXml"` +
    ' xmlns:ns2="http://www.adonix.com/WSS">' +
    '<messages soapenc:arrayType="ns2:CAdxMessage[1]" xsi:type="soapenc:Array">' +
    '<messages href="#id1"/></messages>' +
    `<resultXml xsi:type="xsd:string">${xmlEscape(INVOICE_RESULT)}</resultXml>` +
    '<status xsi:type="xsd:int">1</status>' +
    '<technicalInfos href="#id2"/></multiRef>' +
    message('id1', 1, 'Invoice SQI2600042 created') +
    `<multiRef id="id2" soapenc:root="0" ${ENC}>` +
    '<busy xsi:type="xsd:boolean">false</busy>' +
    '<poolWaitDuration xsi:type="xsd:double">3</poolWaitDuration>' +
    '<totalDuration xsi:type="xsd:double">41</totalDuration></multiRef>' +
    CLOSE
  );
}

function refused(): string {
  return (
    OPEN +
    `<wss:saveResponse ${ENC} xmlns:wss="http://www.adonix.com/WSS">` +
    '<saveReturn xsi:type="wss:CAdxResultXml">' +
    '<messages soapenc:arrayType="wss:CAdxMessage[2]" xsi:type="soapenc:Array">' +
    '<messages href="#id1"/><messages href="#id2"/></messages>' +
    '<resultXml xsi:type="xsd:string" xsi:nil="true"/>' +
    '<status xsi:type="xsd:int">0</status></saveReturn></wss:saveResponse>' +
    message('id1', 2, 'Period 03/2024 closes soon') +
    message(
      'id2',
      3,
      'Reference SQ-1 already registered in document SQI2600007',
    ) +
    CLOSE
  );
}

describe('the SOAP result parser', () => {
  test('follows multiRef references to the result, messages and infos', () => {
    const result = parseSoapResponse(saved());

    assert.equal(result.status, 1);
    assert.deepEqual(result.messages, [
      { type: 1, message: 'Invoice SQI2600042 created' },
    ]);
    assert.equal(result.technicalInfos.busy, 'false');
    assert.equal(result.technicalInfos.totalDuration, '41');
    assert.equal(result.resultXml, INVOICE_RESULT);
  });

  test('reads groups, tables and lists out of resultXml', () => {
    const record = parseResultXml(parseSoapResponse(saved()).resultXml!);

    assert.deepEqual(record.groups.SIH0_1, {
      SALFCY: 'NYC01',
      NUM: 'SQI2600042',
      INVDAT: '20240301',
    });
    assert.equal(record.groups.SIH1_1.SIHCFMFLG, '1');
    assert.deepEqual(record.groups.BPRC_1.BPRNAM, ['Café & Conceição', '']);
    assert.deepEqual(
      record.tables.SIH4_1.map((line) => [line.ITMREF, line.QTY]),
      [
        ['BEANS-HOUSE', '2'],
        ['MUG-STD', '1'],
      ],
    );
    assert.equal(fieldOf(record, 'NUM'), 'SQI2600042');
    assert.equal(fieldOf(record, 'ITMREF'), 'BEANS-HOUSE');
    assert.equal(fieldOf(record, 'BPRNAM'), 'Café & Conceição');
    assert.equal(fieldOf(record, 'NOPE'), undefined);
  });

  test('a refusal: status 0, typed messages, nil resultXml', () => {
    const result = parseSoapResponse(refused());

    assert.equal(result.status, 0);
    assert.equal(result.resultXml, null);
    assert.deepEqual(
      result.messages.map((m) => m.type),
      [2, 3],
    );
    // the error first
    assert.match(messageText(result), /^Reference SQ-1 already registered/);
  });

  test('messages serialised without an array wrapper', () => {
    const text =
      OPEN +
      '<readResponse><readReturn>' +
      '<messages><message>BPCNUM : Record does not exist</message>' +
      '<type>3</type></messages>' +
      '<resultXml></resultXml><status>0</status>' +
      '</readReturn></readResponse>' +
      CLOSE;
    const result = parseSoapResponse(text);
    assert.deepEqual(result.messages, [
      { type: 3, message: 'BPCNUM : Record does not exist' },
    ]);
    assert.equal(result.resultXml, null);
  });

  test('query answers: one row per table line', () => {
    const xml =
      '<RESULT><TAB DIM="1" ID="YWSSIH" SIZE="1"><LIN NUM="1">' +
      '<FLD NAME="NUM" TYPE="Char">SQI2600007</FLD>' +
      '<FLD NAME="INVREF" TYPE="Char">SQ-1</FLD></LIN></TAB></RESULT>';
    assert.deepEqual(rowsOf(parseResultXml(xml)), [
      { NUM: 'SQI2600007', INVREF: 'SQ-1' },
    ]);
    const empty = '<RESULT><TAB DIM="1" ID="YWSSIH" SIZE="0"></TAB></RESULT>';
    assert.deepEqual(rowsOf(parseResultXml(empty)), []);
  });

  test('a SOAP fault and a broken reference', () => {
    const fault =
      OPEN +
      '<soapenv:Fault><faultcode>soapenv:Server</faultcode>' +
      '<faultstring>license_web_max: volume exceeded</faultstring>' +
      '</soapenv:Fault>' +
      CLOSE;
    assert.deepEqual(faultOf(fault), {
      code: 'soapenv:Server',
      message: 'license_web_max: volume exceeded',
    });
    assert.equal(faultOf(saved()), null);

    const broken = saved().replace('href="#id1"', 'href="#id9"');
    assert.throws(() => parseSoapResponse(broken), /broken reference #id9/);
  });
});

describe('the XML reader', () => {
  test('entities, character references, CDATA and comments', () => {
    const el = parseXml(
      '<?xml version="1.0"?><!-- c --><a x=\'1 &amp; 2\'>' +
        'Concei&#231;&#xE3;o &lt;<![CDATA[<raw> & ]]>&gt;</a>',
    );
    assert.equal(el.attrs.x, '1 & 2');
    assert.equal(el.text, 'Conceição <<raw> & >');
  });

  test('refuses a DOCTYPE, a bare ampersand and bad nesting', () => {
    assert.throws(
      () => parseXml('<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>'),
      /DOCTYPE/,
    );
    assert.throws(() => parseXml('<a>fish & chips</a>'), /bare "&"/);
    assert.throws(() => parseXml('<a><b></a></b>'), /closes <b>/);
    assert.throws(() => parseXml('<a>'), /not closed/);
    assert.throws(() => parseXml('<a/><b/>'), /second root/);
  });

  test('escaping round-trips accents and markup', () => {
    const value = 'Conceição <b> & "São" \'Tomé\'\nline 2';
    const el = parseXml(`<v a="${xmlEscape(value)}">${xmlEscape(value)}</v>`);
    assert.equal(el.text, value);
    assert.equal(el.attrs.a, value);
    assert.match(xmlEscape(value), /Conceição/);
  });
});
