// A small XML reader and the escaping the emulator's SOAP answers need.
// It reads elements, attributes, namespaces, entities, character
// references, CDATA, comments and processing instructions. A DOCTYPE is
// refused outright: no DTD, so no external or expanding entities.

export interface XmlAttribute {
  name: string;
  local: string;
  uri: string;
  value: string;
}

export interface XmlElement {
  /** the name as written, with its prefix */
  name: string;
  local: string;
  /** namespace URI, '' when none */
  uri: string;
  attributes: XmlAttribute[];
  children: XmlNode[];
}

export type XmlNode = XmlElement | string;

export class XmlError extends Error {
  readonly code = 'XML_MALFORMED';

  constructor(message: string, at: number) {
    super(`${message} (at character ${at})`);
    this.name = 'XmlError';
  }
}

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';
const NAME = /^[A-Za-z_\u00C0-\uFFFF][-\w.:\u00B7\u00C0-\uFFFF]*/;
const NAMED: Record<string, string> = {
  lt: '<',
  gt: '>',
  amp: '&',
  quot: '"',
  apos: "'",
};

function allowedCodePoint(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

/** Replaces entity and character references; `at` is for errors. */
export function decodeEntities(text: string, at = 0): string {
  return text.replace(/&([^;&]*);?/g, (whole, ref: string, offset: number) => {
    if (!whole.endsWith(';')) throw new XmlError('bare &', at + offset);
    if (ref in NAMED) return NAMED[ref];
    const hex = /^#x([0-9a-fA-F]{1,6})$/.exec(ref);
    const dec = /^#([0-9]{1,7})$/.exec(ref);
    const cp = hex ? parseInt(hex[1], 16) : dec ? Number(dec[1]) : NaN;
    if (!allowedCodePoint(cp)) {
      throw new XmlError(`unknown reference &${ref};`, at + offset);
    }
    return String.fromCodePoint(cp);
  });
}

export function escapeText(text: string): string {
  return text.replace(/[&<>]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;',
  );
}

export function escapeAttribute(text: string): string {
  return escapeText(text)
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

interface Open {
  element: XmlElement;
  scope: Map<string, string>;
}

function splitName(name: string): [string, string] {
  const colon = name.indexOf(':');
  return colon < 0 ? ['', name] : [name.slice(0, colon), name.slice(colon + 1)];
}

class Reader {
  pos = 0;
  private readonly stack: Open[] = [];
  private root?: XmlElement;

  constructor(private readonly s: string) {}

  fail(message: string, at = this.pos): never {
    throw new XmlError(message, at);
  }

  skipTo(end: string, what: string): void {
    const i = this.s.indexOf(end, this.pos);
    if (i < 0) this.fail(`unclosed ${what}`);
    this.pos = i + end.length;
  }

  name(): string {
    const match = NAME.exec(this.s.slice(this.pos, this.pos + 256));
    if (!match) this.fail('name expected');
    this.pos += match[0].length;
    return match[0];
  }

  spaces(): void {
    while (/\s/.test(this.s[this.pos] ?? '')) this.pos++;
  }

  text(from: number, to: number, raw = false): void {
    const chunk = this.s.slice(from, to);
    const top = this.stack[this.stack.length - 1];
    if (!top) {
      if (chunk.trim() !== '') this.fail('text outside the root', from);
      return;
    }
    const value = raw ? chunk : decodeEntities(chunk, from);
    const kids = top.element.children;
    const last = kids.length - 1;
    if (typeof kids[last] === 'string') kids[last] += value;
    else if (value !== '') kids.push(value);
  }

  attributes(): { raw: [string, string, number][]; selfClosing: boolean } {
    const raw: [string, string, number][] = [];
    for (;;) {
      const before = this.pos;
      this.spaces();
      if (this.s.startsWith('/>', this.pos)) {
        this.pos += 2;
        return { raw, selfClosing: true };
      }
      if (this.s[this.pos] === '>') {
        this.pos++;
        return { raw, selfClosing: false };
      }
      if (this.pos === before) this.fail('space expected before attribute');
      const at = this.pos;
      const name = this.name();
      this.spaces();
      if (this.s[this.pos] !== '=') this.fail('= expected');
      this.pos++;
      this.spaces();
      const quote = this.s[this.pos];
      if (quote !== '"' && quote !== "'") this.fail('quote expected');
      const end = this.s.indexOf(quote, this.pos + 1);
      if (end < 0) this.fail('unclosed attribute value');
      const value = this.s.slice(this.pos + 1, end);
      if (value.includes('<')) this.fail('< in attribute value');
      if (raw.some(([n]) => n === name)) this.fail(`duplicate ${name}`, at);
      raw.push([name, decodeEntities(value, this.pos + 1), at]);
      this.pos = end + 1;
    }
  }

  startTag(): void {
    const at = this.pos;
    this.pos++;
    const name = this.name();
    const { raw, selfClosing } = this.attributes();
    if (this.root && this.stack.length === 0) {
      this.fail('a second root element', at);
    }
    const parent = this.stack[this.stack.length - 1];
    const scope = new Map(
      parent?.scope ?? [
        ['xml', XML_NS],
        ['xmlns', XMLNS_NS],
      ],
    );
    for (const [attr, value] of raw) {
      if (attr === 'xmlns') scope.set('', value);
      else if (attr.startsWith('xmlns:')) scope.set(attr.slice(6), value);
    }
    const resolve = (prefix: string, isAttribute: boolean, pos: number) => {
      if (isAttribute && prefix === '') return '';
      const uri = scope.get(prefix);
      if (uri === undefined && prefix !== '') {
        this.fail(`undeclared prefix ${prefix}`, pos);
      }
      return uri ?? '';
    };
    const [prefix, local] = splitName(name);
    const element: XmlElement = {
      name,
      local,
      uri: resolve(prefix, false, at),
      attributes: raw.map(([attr, value, pos]) => {
        const [p, l] = splitName(attr);
        return { name: attr, local: l, uri: resolve(p, true, pos), value };
      }),
      children: [],
    };
    if (parent) parent.element.children.push(element);
    else this.root = element;
    if (!selfClosing) this.stack.push({ element, scope });
  }

  endTag(): void {
    const at = this.pos;
    this.pos += 2;
    const name = this.name();
    this.spaces();
    if (this.s[this.pos] !== '>') this.fail('> expected');
    this.pos++;
    const top = this.stack.pop();
    if (!top || top.element.name !== name) {
      this.fail(`</${name}> does not close an open element`, at);
    }
  }

  run(): XmlElement {
    const s = this.s;
    if (s.startsWith('\uFEFF')) this.pos = 1;
    while (this.pos < s.length) {
      const lt = s.indexOf('<', this.pos);
      this.text(this.pos, lt < 0 ? s.length : lt);
      if (lt < 0) break;
      this.pos = lt;
      if (s.startsWith('<!--', lt)) this.skipTo('-->', 'comment');
      else if (s.startsWith('<![CDATA[', lt)) {
        if (this.stack.length === 0) this.fail('CDATA outside the root');
        const end = s.indexOf(']]>', lt + 9);
        if (end < 0) this.fail('unclosed CDATA');
        this.text(lt + 9, end, true);
        this.pos = end + 3;
      } else if (s.startsWith('<?', lt)) this.skipTo('?>', 'instruction');
      else if (s.startsWith('<!', lt)) this.fail('DOCTYPE is not accepted');
      else if (s.startsWith('</', lt)) this.endTag();
      else this.startTag();
    }
    if (this.stack.length > 0) {
      this.fail(`<${this.stack[this.stack.length - 1].element.name}> unclosed`);
    }
    if (!this.root) this.fail('no element');
    return this.root;
  }
}

export function parseXml(text: string): XmlElement {
  return new Reader(text).run();
}

export function elements(parent: XmlElement): XmlElement[] {
  return parent.children.filter((c): c is XmlElement => typeof c !== 'string');
}

/** The first child element with this local name. */
export function child(
  parent: XmlElement,
  local: string,
): XmlElement | undefined {
  return elements(parent).find((e) => e.local === local);
}

/** The element's own text (its direct text and CDATA children). */
export function textOf(element: XmlElement): string {
  return element.children
    .filter((c): c is string => typeof c === 'string')
    .join('');
}

export function attribute(
  element: XmlElement,
  local: string,
  uri = '',
): string | undefined {
  return element.attributes.find((a) => a.local === local && a.uri === uri)
    ?.value;
}
