import { escapeAttribute } from './soap-xml';
import { SOAP_ENC, WSS } from './soap-envelope';

// A short WSDL 1.1 for the emulator's CAdxWebServiceXmlCC: the five
// operations it answers and the types they use. It lacks run,
// actionObject(Keys), getDescription, getDataXmlSchema, insertLines and
// deleteLines, and CAdxTechnicalInfos lists only the fields sent.

const TECHNICAL = [
  ['busy', 'boolean'],
  ['changeLanguage', 'boolean'],
  ['changeUserId', 'boolean'],
  ['flushAdx', 'boolean'],
  ['loadWebsDuration', 'double'],
  ['nbDistributionCycle', 'int'],
  ['poolDistribDuration', 'double'],
  ['poolEntryIdx', 'int'],
  ['poolExecDuration', 'double'],
  ['poolRequestDuration', 'double'],
  ['poolWaitDuration', 'double'],
  ['processReport', 'string'],
  ['processReportSize', 'int'],
  ['reloadWebs', 'boolean'],
  ['resumitAfterDBOpen', 'boolean'],
  ['rowInDistribStack', 'int'],
  ['totalDuration', 'double'],
  ['traceRequest', 'string'],
  ['traceRequestSize', 'int'],
];

const PARTS: Record<string, [string, string][]> = {
  save: [['objectXml', 'xsd:string']],
  read: [['objectKeys', 'wss:ArrayOfCAdxParamKeyValue']],
  query: [
    ['objectKeys', 'wss:ArrayOfCAdxParamKeyValue'],
    ['listSize', 'xsd:int'],
  ],
  modify: [
    ['objectKeys', 'wss:ArrayOfCAdxParamKeyValue'],
    ['objectXml', 'xsd:string'],
  ],
  delete: [['objectKeys', 'wss:ArrayOfCAdxParamKeyValue']],
};

const sequence = (fields: string[][]) =>
  '<sequence>' +
  fields
    .map(([n, t]) => `<element name="${n}" nillable="true" type="${t}"/>`)
    .join('') +
  '</sequence>';

const complex = (name: string, fields: string[][]) =>
  `<complexType name="${name}">${sequence(fields)}</complexType>`;

const arrayOf = (item: string) =>
  `<complexType name="ArrayOf${item}"><complexContent>` +
  '<restriction base="soapenc:Array">' +
  `<attribute ref="soapenc:arrayType" wsdl:arrayType="wss:${item}[]"/>` +
  '</restriction></complexContent></complexType>';

function types(): string {
  return (
    `<types><schema xmlns="http://www.w3.org/2001/XMLSchema" ` +
    `targetNamespace="${WSS}">` +
    `<import namespace="${SOAP_ENC}"/>` +
    complex('CAdxCallContext', [
      ['codeLang', 'xsd:string'],
      ['poolAlias', 'xsd:string'],
      ['poolId', 'xsd:string'],
      ['requestConfig', 'xsd:string'],
    ]) +
    complex('CAdxParamKeyValue', [
      ['key', 'xsd:string'],
      ['value', 'xsd:string'],
    ]) +
    arrayOf('CAdxParamKeyValue') +
    complex('CAdxMessage', [
      ['message', 'xsd:string'],
      ['type', 'xsd:string'],
    ]) +
    arrayOf('CAdxMessage') +
    complex(
      'CAdxTechnicalInfos',
      TECHNICAL.map(([n, t]) => [n, `xsd:${t}`]),
    ) +
    complex('CAdxResultXml', [
      ['messages', 'wss:ArrayOfCAdxMessage'],
      ['resultXml', 'xsd:string'],
      ['status', 'xsd:int'],
      ['technicalInfos', 'wss:CAdxTechnicalInfos'],
    ]) +
    '</schema></types>'
  );
}

export function soapWsdl(location: string): string {
  const ops = Object.keys(PARTS);
  const body = `<wsdlsoap:body use="encoded" encodingStyle="${SOAP_ENC}" namespace="${WSS}"/>`;
  const messages = ops
    .map((op) => {
      const parts = [
        ['callContext', 'wss:CAdxCallContext'],
        ['publicName', 'xsd:string'],
        ...PARTS[op],
      ]
        .map(([n, t]) => `<wsdl:part name="${n}" type="${t}"/>`)
        .join('');
      return (
        `<wsdl:message name="${op}Request">${parts}</wsdl:message>` +
        `<wsdl:message name="${op}Response">` +
        `<wsdl:part name="${op}Return" type="wss:CAdxResultXml"/>` +
        '</wsdl:message>'
      );
    })
    .join('');
  const portOps = ops
    .map(
      (op) =>
        `<wsdl:operation name="${op}">` +
        `<wsdl:input message="wss:${op}Request"/>` +
        `<wsdl:output message="wss:${op}Response"/></wsdl:operation>`,
    )
    .join('');
  const bindingOps = ops
    .map(
      (op) =>
        `<wsdl:operation name="${op}"><wsdlsoap:operation soapAction=""/>` +
        `<wsdl:input>${body}</wsdl:input>` +
        `<wsdl:output>${body}</wsdl:output></wsdl:operation>`,
    )
    .join('');
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    `<wsdl:definitions targetNamespace="${WSS}" xmlns:wss="${WSS}" ` +
    'xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" ' +
    'xmlns:wsdlsoap="http://schemas.xmlsoap.org/wsdl/soap/" ' +
    'xmlns:xsd="http://www.w3.org/2001/XMLSchema" ' +
    `xmlns:soapenc="${SOAP_ENC}">` +
    types() +
    messages +
    `<wsdl:portType name="CAdxWebServiceXmlCC">${portOps}</wsdl:portType>` +
    '<wsdl:binding name="CAdxWebServiceXmlCCSoapBinding" ' +
    'type="wss:CAdxWebServiceXmlCC">' +
    '<wsdlsoap:binding style="rpc" ' +
    'transport="http://schemas.xmlsoap.org/soap/http"/>' +
    bindingOps +
    '</wsdl:binding>' +
    '<wsdl:service name="CAdxWebServiceXmlCCService">' +
    '<wsdl:port binding="wss:CAdxWebServiceXmlCCSoapBinding" ' +
    'name="CAdxWebServiceXmlCC">' +
    `<wsdlsoap:address location="${escapeAttribute(location)}"/>` +
    '</wsdl:port></wsdl:service></wsdl:definitions>'
  );
}
