import { xmlEscape } from './soap-xml';

// The request side of X3's classic web services (CAdxWebServiceXmlCC):
// SOAP 1.1, RPC/encoded, every parameter typed with xsi:type, objectXml
// sent as an escaped string so its own markup travels as text.

export const WSS_NS = 'http://www.adonix.com/WSS';

/** CAdxCallContext: the language, the pool and its options. */
export interface SoapCallContext {
  codeLang: string;
  poolAlias: string;
  poolId?: string;
  requestConfig?: string;
}

export type SoapOperation = 'save' | 'read' | 'query' | 'modify' | 'delete';

export interface SoapKey {
  key: string;
  value: string;
}

export interface SoapRequest {
  operation: SoapOperation;
  publicName: string;
  objectXml?: string;
  objectKeys?: SoapKey[];
  listSize?: number;
}

function param(name: string, type: string, value: string): string {
  return `<${name} xsi:type="${type}">${xmlEscape(value)}</${name}>`;
}

function callContext(context: SoapCallContext): string {
  return (
    '<callContext xsi:type="wss:CAdxCallContext">' +
    param('codeLang', 'xsd:string', context.codeLang) +
    param('poolAlias', 'xsd:string', context.poolAlias) +
    param('poolId', 'xsd:string', context.poolId ?? '') +
    param('requestConfig', 'xsd:string', context.requestConfig ?? '') +
    '</callContext>'
  );
}

function objectKeys(keys: SoapKey[]): string {
  const items = keys
    .map(
      (k) =>
        '<item xsi:type="wss:CAdxParamKeyValue">' +
        param('key', 'xsd:string', k.key) +
        param('value', 'xsd:string', k.value) +
        '</item>',
    )
    .join('');
  return (
    '<objectKeys xsi:type="soapenc:Array" ' +
    `soapenc:arrayType="wss:CAdxParamKeyValue[${keys.length}]">` +
    items +
    '</objectKeys>'
  );
}

/** The operation's parameters, in the order the WSDL declares them. */
function parameters(request: SoapRequest): string {
  const parts = [param('publicName', 'xsd:string', request.publicName)];
  const { operation } = request;
  if (operation !== 'save') parts.push(objectKeys(request.objectKeys ?? []));
  if (operation === 'query') {
    parts.push(param('listSize', 'xsd:int', String(request.listSize ?? 1)));
  }
  if (operation === 'save' || operation === 'modify') {
    parts.push(param('objectXml', 'xsd:string', request.objectXml ?? ''));
  }
  return parts.join('');
}

export function writeEnvelope(
  context: SoapCallContext,
  request: SoapRequest,
): string {
  const op = request.operation;
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    '<soapenv:Envelope' +
    ' xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"' +
    ' xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/"' +
    ' xmlns:xsd="http://www.w3.org/2001/XMLSchema"' +
    ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"' +
    ` xmlns:wss="${WSS_NS}">` +
    '<soapenv:Header/><soapenv:Body>' +
    `<wss:${op} soapenv:encodingStyle=` +
    '"http://schemas.xmlsoap.org/soap/encoding/">' +
    callContext(context) +
    parameters(request) +
    `</wss:${op}>` +
    '</soapenv:Body></soapenv:Envelope>'
  );
}
