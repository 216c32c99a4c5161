import { X3Error } from './errors';
import { attr, child, childrenNamed, parseXml, XmlElement } from './soap-xml';

// The answer side: the CAdxResultXml of a SOAP response, with the
// RPC/encoded multiRef references followed, and its resultXml read into
// groups (GRP/FLD), tables (TAB/LIN) and lists (LST/ITM).

export interface SoapMessage {
  /** 1 information, 2 warning, 3 error */
  type: number;
  message: string;
}

export interface SoapResult {
  /** 1 success, 0 error */
  status: number;
  messages: SoapMessage[];
  /** null when X3 sent xsi:nil (a failure) or nothing */
  resultXml: string | null;
  technicalInfos: Record<string, string>;
}

export interface SoapFault {
  code: string;
  message: string;
}

export type SoapValue = string | string[];
export type SoapFields = Record<string, SoapValue>;

/** A record of a publication: its groups and its tables' lines. */
export interface SoapRecord {
  groups: Record<string, SoapFields>;
  tables: Record<string, SoapFields[]>;
}

const bad = (message: string) =>
  new X3Error('bad-response', `X3 SOAP answer: ${message}`);

function bodyOf(text: string): XmlElement {
  const envelope = parseXml(text);
  const body = envelope.local === 'Envelope' && child(envelope, 'Body');
  if (!body) throw bad('no SOAP Envelope/Body');
  return body;
}

/** The SOAP fault in a response, or null when there is none. */
export function faultOf(text: string): SoapFault | null {
  const fault = child(bodyOf(text), 'Fault');
  if (!fault) return null;
  return {
    code: child(fault, 'faultcode')?.text.trim() ?? '',
    message: child(fault, 'faultstring')?.text.trim() ?? '',
  };
}

export function parseSoapResponse(text: string): SoapResult {
  const body = bodyOf(text);
  const refs = new Map<string, XmlElement>();
  for (const el of body.children) {
    const id = attr(el, 'id');
    if (id !== undefined) refs.set(id, el);
  }
  const resolve = (el: XmlElement, seen = new Set<string>()): XmlElement => {
    const href = attr(el, 'href');
    if (href === undefined) return el;
    const id = href.replace(/^#/, '');
    const target = refs.get(id);
    if (!target || seen.has(id)) throw bad(`broken reference ${href}`);
    seen.add(id);
    return resolve(target, seen);
  };

  const response = body.children.find((el) => el.local !== 'multiRef');
  if (!response || response.local === 'Fault') throw bad('no response element');
  const returned = response.children[0];
  if (!returned) throw bad(`${response.local} holds no result`);
  const result = resolve(returned);

  const statusText = child(result, 'status')?.text.trim();
  const status = Number(statusText);
  if (statusText === undefined || !Number.isInteger(status)) {
    throw bad('no status');
  }

  const messages: SoapMessage[] = [];
  for (const holder of childrenNamed(result, 'messages')) {
    const resolved = resolve(holder);
    // Either the array with one element per message, or (a flattened
    // serialisation) the message itself.
    const items = child(resolved, 'message') ? [resolved] : resolved.children;
    for (const item of items) {
      const message = resolve(item);
      messages.push({
        type: Number(child(message, 'type')?.text.trim() ?? 0),
        message: child(message, 'message')?.text.trim() ?? '',
      });
    }
  }

  const xml = child(result, 'resultXml');
  const nil = xml && attr(xml, 'nil') === 'true';
  const resultXml = !xml || nil || xml.text.trim() === '' ? null : xml.text;

  const technicalInfos: Record<string, string> = {};
  const infos = child(result, 'technicalInfos');
  if (infos) {
    for (const info of resolve(infos).children) {
      technicalInfos[info.local] = info.text.trim();
    }
  }
  return { status, messages, resultXml, technicalInfos };
}

function fieldsOf(el: XmlElement): SoapFields {
  const fields: SoapFields = {};
  for (const item of el.children) {
    const name = attr(item, 'NAME');
    if (name === undefined) continue;
    if (item.local === 'FLD') fields[name] = item.text;
    if (item.local === 'LST') {
      fields[name] = childrenNamed(item, 'ITM').map((itm) => itm.text);
    }
  }
  return fields;
}

/** resultXml as groups and tables; fields outside a group go under ''. */
export function parseResultXml(xml: string): SoapRecord {
  const root = parseXml(xml);
  const record: SoapRecord = { groups: {}, tables: {} };
  const loose = fieldsOf(root);
  if (Object.keys(loose).length > 0) record.groups[''] = loose;
  for (const el of root.children) {
    const id = attr(el, 'ID') ?? '';
    if (el.local === 'GRP') {
      record.groups[id] = { ...record.groups[id], ...fieldsOf(el) };
    } else if (el.local === 'TAB') {
      record.tables[id] = childrenNamed(el, 'LIN').map(fieldsOf);
    }
  }
  return record;
}

/**
 * A field's value wherever the publication puts it: groups first, then
 * the first line of each table. Group ids differ between sites; field
 * names do not.
 */
export function fieldOf(record: SoapRecord, name: string): string | undefined {
  const places = [
    ...Object.values(record.groups),
    ...Object.values(record.tables).map((lines) => lines[0] ?? {}),
  ];
  for (const fields of places) {
    const value = fields[name];
    if (value !== undefined) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

/** Error messages (type 3) first, then the rest, as one line. */
export function messageText(result: SoapResult): string {
  const sorted = [...result.messages].sort(
    (a, b) => Number(b.type === 3) - Number(a.type === 3),
  );
  return sorted.map((m) => m.message).join('; ') || 'no message';
}

/**
 * The records a query answered: the lines of its table, or the record
 * itself when the answer is one record in groups.
 */
export function rowsOf(record: SoapRecord): Record<string, string>[] {
  const flat = (fields: SoapFields) =>
    Object.fromEntries(
      Object.entries(fields).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]),
    );
  const [table] = Object.values(record.tables);
  if (table) return table.map(flat);
  const groups = Object.values(record.groups);
  if (groups.length === 0) return [];
  return [flat(Object.assign({}, ...groups))];
}
