import {
  KeyValue,
  SOAP_OPERATIONS,
  SoapOperation,
  SoapOutcome,
} from './soap-operations';
import {
  attribute,
  child,
  elements,
  escapeText,
  parseXml,
  textOf,
  XmlElement,
  XmlError,
} from './soap-xml';

// SOAP 1.1 RPC/encoded as X3's CAdxWebServiceXmlCC speaks it: reading a
// request (following href references to multiRef elements, as encoded
// clients may send them) and writing the answer, whose CAdxResultXml,
// messages and technical information are multiRef elements after the
// body's response element.

export const SOAP_ENV = 'http://schemas.xmlsoap.org/soap/envelope/';
export const SOAP_ENC = 'http://schemas.xmlsoap.org/soap/encoding/';
export const WSS = 'http://www.adonix.com/WSS';
const SOAP12_ENV = 'http://www.w3.org/2003/05/soap-envelope';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

export type FaultCode = 'VersionMismatch' | 'Client' | 'Server';

export class SoapFault extends Error {
  constructor(
    readonly faultCode: FaultCode,
    message: string,
  ) {
    super(message);
    this.name = 'SoapFault';
  }
}

export interface CallContext {
  codeLang: string;
  poolAlias: string;
  poolId: string;
  requestConfig: string;
}

export interface SoapRequest {
  operation: SoapOperation;
  callContext: CallContext;
  publicName: string;
  objectXml?: string;
  objectKeys: KeyValue[];
  listSize?: number;
}

function envelopeBody(text: string): XmlElement {
  let root: XmlElement;
  try {
    root = parseXml(text);
  } catch (error) {
    if (error instanceof XmlError) throw new SoapFault('Client', error.message);
    throw error;
  }
  if (root.local === 'Envelope' && root.uri === SOAP12_ENV) {
    throw new SoapFault('VersionMismatch', 'SOAP 1.2 is not supported');
  }
  if (root.local !== 'Envelope' || root.uri !== SOAP_ENV) {
    throw new SoapFault('VersionMismatch', 'not a SOAP 1.1 envelope');
  }
  const body = elements(root).find(
    (e) => e.local === 'Body' && e.uri === SOAP_ENV,
  );
  if (!body) throw new SoapFault('Client', 'no soapenv:Body');
  return body;
}

/** Reads a request envelope; throws SoapFault when it is not one. */
export function parseSoapRequest(text: string): SoapRequest {
  const body = envelopeBody(text);
  const [call, ...rest] = elements(body);
  if (!call) throw new SoapFault('Client', 'empty soapenv:Body');
  if (call.uri !== WSS) {
    throw new SoapFault('Client', `${call.name}: namespace ${WSS} expected`);
  }
  const operation = SOAP_OPERATIONS.find((op) => op === call.local);
  if (!operation) {
    throw new SoapFault('Client', `operation ${call.local} not supported`);
  }

  const refs = new Map<string, XmlElement>();
  for (const e of rest) {
    const id = attribute(e, 'id');
    if (id) refs.set(id, e);
  }
  const deref = (e: XmlElement | undefined): XmlElement | undefined => {
    const href = e && attribute(e, 'href');
    if (!href) return e;
    const target = refs.get(href.replace(/^#/, ''));
    if (!target) throw new SoapFault('Client', `href ${href} not found`);
    return target;
  };
  const value = (parent: XmlElement | undefined, name: string) => {
    const e = deref(parent && child(parent, name));
    if (!e || attribute(e, 'nil', XSI) === 'true') return undefined;
    return textOf(e);
  };

  const context = deref(child(call, 'callContext'));
  if (!context) throw new SoapFault('Client', 'callContext missing');
  const publicName = value(call, 'publicName');
  if (!publicName) throw new SoapFault('Client', 'publicName missing');
  const keys = deref(child(call, 'objectKeys'));
  const objectKeys = (keys ? elements(keys) : []).map((item) => {
    const pair = deref(item)!;
    return { key: value(pair, 'key') ?? '', value: value(pair, 'value') ?? '' };
  });
  const listSize = value(call, 'listSize');
  return {
    operation,
    callContext: {
      codeLang: value(context, 'codeLang') ?? '',
      poolAlias: value(context, 'poolAlias') ?? '',
      poolId: value(context, 'poolId') ?? '',
      requestConfig: value(context, 'requestConfig') ?? '',
    },
    publicName: publicName.trim(),
    objectXml: value(call, 'objectXml'),
    objectKeys,
    listSize: listSize === undefined ? undefined : Number(listSize) || 0,
  };
}

export interface Timings {
  poolWaitMs: number;
  execMs: number;
  totalMs: number;
  busy: boolean;
}

const OPEN =
  '<?xml version="1.0" encoding="utf-8"?>' +
  `<soapenv:Envelope xmlns:soapenv="${SOAP_ENV}" ` +
  `xmlns:soapenc="${SOAP_ENC}" ` +
  'xmlns:xsd="http://www.w3.org/2001/XMLSchema" ' +
  `xmlns:xsi="${XSI}" xmlns:wss="${WSS}"><soapenv:Body>`;
const CLOSE = '</soapenv:Body></soapenv:Envelope>';
const ENCODED = `soapenv:encodingStyle="${SOAP_ENC}"`;

const typed = (name: string, type: string, value: string) =>
  `<${name} xsi:type="xsd:${type}">${escapeText(value)}</${name}>`;

function multiRef(id: number, type: string, content: string): string {
  return (
    `<multiRef id="id${id}" soapenc:root="0" ${ENCODED} ` +
    `xsi:type="wss:${type}">${content}</multiRef>`
  );
}

function technicalInfos(t: Timings): string {
  const ms = (n: number) => String(Math.max(0, Math.round(n)));
  return [
    typed('busy', 'boolean', String(t.busy)),
    typed('changeLanguage', 'boolean', 'false'),
    typed('changeUserId', 'boolean', 'false'),
    typed('flushAdx', 'boolean', 'false'),
    typed('loadWebsDuration', 'double', '0'),
    typed('nbDistributionCycle', 'int', '-1'),
    typed('poolDistribDuration', 'double', '0'),
    typed('poolEntryIdx', 'int', '1'),
    typed('poolExecDuration', 'double', ms(t.execMs)),
    typed('poolRequestDuration', 'double', ms(t.poolWaitMs)),
    typed('poolWaitDuration', 'double', ms(t.poolWaitMs)),
    '<processReport xsi:type="xsd:string" xsi:nil="true"/>',
    typed('processReportSize', 'int', '-1'),
    typed('reloadWebs', 'boolean', 'false'),
    typed('resumitAfterDBOpen', 'boolean', 'false'),
    typed('rowInDistribStack', 'int', '-1'),
    typed('totalDuration', 'double', ms(t.totalMs)),
    '<traceRequest xsi:type="xsd:string" xsi:nil="true"/>',
    typed('traceRequestSize', 'int', '-1'),
  ].join('');
}

/** The response envelope of one operation, in RPC/encoded layout. */
export function writeSoapResponse(
  operation: SoapOperation,
  outcome: SoapOutcome,
  timings: Timings,
): string {
  const n = outcome.messages.length;
  const messageIds = outcome.messages.map((_, i) => i + 1);
  const techId = n + 1;
  const items = messageIds.map((id) => `<messages href="#id${id}"/>`).join('');
  const result =
    `<messages soapenc:arrayType="wss:CAdxMessage[${n}]" ` +
    `xsi:type="soapenc:Array">${items}</messages>` +
    (outcome.resultXml === null
      ? '<resultXml xsi:type="xsd:string" xsi:nil="true"/>'
      : typed('resultXml', 'string', outcome.resultXml)) +
    typed('status', 'int', String(outcome.status)) +
    `<technicalInfos href="#id${techId}"/>`;
  const messages = outcome.messages.map((m, i) =>
    multiRef(
      messageIds[i],
      'CAdxMessage',
      typed('message', 'string', m.message) +
        typed('type', 'string', String(m.type)),
    ),
  );
  return (
    OPEN +
    `<wss:${operation}Response ${ENCODED}>` +
    `<${operation}Return href="#id0"/></wss:${operation}Response>` +
    multiRef(0, 'CAdxResultXml', result) +
    messages.join('') +
    multiRef(techId, 'CAdxTechnicalInfos', technicalInfos(timings)) +
    CLOSE
  );
}

export function writeSoapFault(code: FaultCode, text: string): string {
  return (
    OPEN +
    '<soapenv:Fault>' +
    `<faultcode>soapenv:${code}</faultcode>` +
    `<faultstring>${escapeText(text)}</faultstring>` +
    '</soapenv:Fault>' +
    CLOSE
  );
}
