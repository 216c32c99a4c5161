import { child, parseXml, xmlEscape, XmlElement } from '../../lib/x3/soap-xml';
import type { FetchLike } from '../../lib/x3/http';

// A captured fake fetch for the SOAP client tests: each call is recorded
// (URL, headers, the parsed envelope) and answered by a script, with
// responses written in X3's RPC/encoded layout.

export interface SoapCall {
  url: string;
  headers: Record<string, string>;
  body: string;
  operation: string;
  publicName: string;
  /** the objectXml parameter, parsed */
  object?: XmlElement;
  keys: Record<string, string>;
}

export type Script = (call: SoapCall, index: number) => Response | 'hang';

export function fakeSoap(script: Script): {
  fetch: FetchLike;
  calls: SoapCall[];
} {
  const calls: SoapCall[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    const call = readCall(String(url), init);
    calls.push(call);
    const answer = script(call, calls.length - 1);
    if (answer !== 'hang') return answer;
    // "commit then time out": the answer never comes. The timer stands
    // for the open socket, which keeps the process alive until the abort
    // (AbortSignal.timeout alone does not).
    return new Promise<Response>((_, reject) => {
      const socket = setTimeout(() => undefined, 60_000);
      init.signal?.addEventListener('abort', () => {
        clearTimeout(socket);
        reject(init.signal!.reason);
      });
    });
  }) as FetchLike;
  return { fetch, calls };
}

function readCall(url: string, init: RequestInit): SoapCall {
  const body = String(init.body);
  const envelope = parseXml(body);
  const operation = child(envelope, 'Body')!.children[0];
  const text = (name: string) => child(operation, name)?.text;
  const objectXml = text('objectXml');
  const keys: Record<string, string> = {};
  for (const item of child(operation, 'objectKeys')?.children ?? []) {
    keys[child(item, 'key')!.text] = child(item, 'value')!.text;
  }
  return {
    url,
    headers: init.headers as Record<string, string>,
    body,
    operation: operation.local,
    publicName: text('publicName') ?? '',
    object: objectXml ? parseXml(objectXml) : undefined,
    keys,
  };
}

/** A field of the sent objectXml: GRP or first LIN, by name. */
export function sentField(call: SoapCall, name: string): string | undefined {
  const places = call.object?.children ?? [];
  for (const place of places) {
    const holders = place.local === 'TAB' ? place.children : [place];
    for (const holder of holders) {
      const fld = holder.children.find((f) => f.attrs.NAME === name);
      if (fld) return fld.text;
    }
  }
  return undefined;
}

export interface Answer {
  operation: string;
  status: number;
  messages?: { type: number; message: string }[];
  resultXml?: string | null;
}

const ENC = 'soapenv:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"';

export function soapAnswer(answer: Answer): Response {
  const messages = answer.messages ?? [];
  const refs = messages.map((_, i) => `<messages href="#id${i + 1}"/>`);
  const xml =
    answer.resultXml == null
      ? '<resultXml xsi:type="xsd:string" xsi:nil="true"/>'
      : `<resultXml xsi:type="xsd:string">${xmlEscape(answer.resultXml)}</resultXml>`;
  const text =
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<soapenv:Envelope' +
    ' xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"' +
    ' xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/"' +
    ' xmlns:xsd="http://www.w3.org/2001/XMLSchema"' +
    ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"' +
    ' xmlns:wss="http://www.adonix.com/WSS"><soapenv:Body>' +
    `<wss:${answer.operation}Response ${ENC}>` +
    `<${answer.operation}Return href="#id0"/>` +
    `</wss:${answer.operation}Response>` +
    `<multiRef id="id0" soapenc:root="0" ${ENC}>` +
    `<messages soapenc:arrayType="wss:CAdxMessage[${messages.length}]"` +
    ` xsi:type="soapenc:Array">${refs.join('')}</messages>` +
    xml +
    `<status xsi:type="xsd:int">${answer.status}</status></multiRef>` +
    messages
      .map(
        (m, i) =>
          `<multiRef id="id${i + 1}" soapenc:root="0" ${ENC}>` +
          `<message>${xmlEscape(m.message)}</message>` +
          `<type>${m.type}</type></multiRef>`,
      )
      .join('') +
    '</soapenv:Body></soapenv:Envelope>';
  return new Response(text, {
    status: 200,
    headers: { 'content-type': 'text/xml; charset=utf-8' },
  });
}

export function soapFault(
  status: number,
  code: string,
  text: string,
  headers: Record<string, string> = {},
): Response {
  const body =
    '<soapenv:Envelope' +
    ' xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">' +
    `<soapenv:Body><soapenv:Fault><faultcode>soapenv:${code}</faultcode>` +
    `<faultstring>${xmlEscape(text)}</faultstring></soapenv:Fault>` +
    '</soapenv:Body></soapenv:Envelope>';
  return new Response(body, { status, headers });
}

/** resultXml of one saved document: its NUM in a group. */
export function numberXml(num: string, group = 'SIH0_1'): string {
  return (
    `<RESULT><GRP ID="${group}">` +
    `<FLD NAME="NUM" TYPE="Char">${xmlEscape(num)}</FLD></GRP></RESULT>`
  );
}

/** resultXml of a query: one line per number. */
export function queryXml(numbers: string[]): string {
  const lines = numbers
    .map(
      (n, i) =>
        `<LIN NUM="${i + 1}"><FLD NAME="NUM" TYPE="Char">${n}</FLD></LIN>`,
    )
    .join('');
  return (
    `<RESULT><TAB DIM="1" ID="Q" SIZE="${numbers.length}">` +
    `${lines}</TAB></RESULT>`
  );
}
