import { X3Error } from './errors';

// The little XML that X3's SOAP answers need: elements with namespace
// prefixes, attributes, the five named entities and character references,
// CDATA, comments and the declaration. A DOCTYPE is refused outright, so
// no entity of a document's own making is ever expanded.

export interface XmlElement {
  /** the name as written, prefix included */
  name: string;
  /** the name without its namespace prefix */
  local: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** the element's own text, entities decoded, CDATA included */
  text: string;
}

const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

const NAME = /[A-Za-z_][\w.:-]*/y;
const ATTRIBUTE = /\s+([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/y;
const TAG_END = /\s*(\/?)>/y;

function bad(message: string): X3Error {
  return new X3Error(
    'bad-response',
    `X3 sent XML that does not parse: ${message}`,
  );
}

export function decodeEntities(text: string): string {
  return text.replace(/&([^;&<\s]*)(;?)/g, (_, body: string, semi: string) => {
    if (!semi) throw bad(`a bare "&" near "&${body.slice(0, 10)}"`);
    if (body.startsWith('#')) {
      const hex = /^#x([0-9a-f]+)$/i.exec(body);
      const dec = /^#([0-9]+)$/.exec(body);
      const code = hex ? parseInt(hex[1], 16) : dec ? Number(dec[1]) : NaN;
      if (!Number.isInteger(code) || code > 0x10ffff) {
        throw bad(`bad character reference &${body};`);
      }
      return String.fromCodePoint(code);
    }
    const named = NAMED[body];
    if (named === undefined) throw bad(`unknown entity &${body};`);
    return named;
  });
}

/** Text safe inside an element or a quoted attribute, accents as they are. */
export function xmlEscape(value: unknown): string {
  return String(value).replace(/[&<>"'\r\n\t]/g, (c) => {
    const map: Record<string, string> = {
      '&': '&amp;',
      '<': '&lt;',
      '>': '&gt;',
      '"': '&quot;',
      "'": '&apos;',
      '\r': '&#13;',
      '\n': '&#10;',
      '\t': '&#9;',
    };
    return map[c];
  });
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

export function parseXml(source: string): XmlElement {
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let pos = 0;

  const addText = (text: string) => {
    const top = stack.at(-1);
    if (top) top.text += text;
    else if (text.trim() !== '') throw bad('text outside the root element');
  };
  const skipTo = (marker: string, from: number) => {
    const end = source.indexOf(marker, from);
    if (end < 0) throw bad(`"${marker}" missing`);
    return end;
  };

  while (pos < source.length) {
    const lt = source.indexOf('<', pos);
    if (lt < 0) {
      addText(decodeEntities(source.slice(pos)));
      break;
    }
    if (lt > pos) addText(decodeEntities(source.slice(pos, lt)));

    if (source.startsWith('<!--', lt)) {
      pos = skipTo('-->', lt + 4) + 3;
    } else if (source.startsWith('<![CDATA[', lt)) {
      const end = skipTo(']]>', lt + 9);
      if (!stack.length) throw bad('CDATA outside the root element');
      addText(source.slice(lt + 9, end));
      pos = end + 3;
    } else if (source.startsWith('<!', lt)) {
      throw bad('a DOCTYPE or other declaration is not accepted');
    } else if (source.startsWith('<?', lt)) {
      pos = skipTo('?>', lt + 2) + 2;
    } else if (source.startsWith('</', lt)) {
      const end = skipTo('>', lt + 2);
      const name = source.slice(lt + 2, end).trim();
      const open = stack.pop();
      if (!open || open.name !== name) {
        throw bad(`</${name}> closes ${open ? `<${open.name}>` : 'nothing'}`);
      }
      pos = end + 1;
    } else {
      pos = openTag(lt + 1);
    }
  }
  if (stack.length) throw bad(`<${stack.at(-1)!.name}> is not closed`);
  if (!root) throw bad('no root element');
  return root;

  function openTag(from: number): number {
    NAME.lastIndex = from;
    const name = NAME.exec(source)?.[0];
    if (!name) throw bad(`a tag without a name at ${from}`);
    const element: XmlElement = {
      name,
      local: localName(name),
      attrs: {},
      children: [],
      text: '',
    };
    let at = from + name.length;
    for (;;) {
      ATTRIBUTE.lastIndex = at;
      const attr = ATTRIBUTE.exec(source);
      if (!attr) break;
      element.attrs[attr[1]] = decodeEntities(attr[2] ?? attr[3]);
      at = ATTRIBUTE.lastIndex;
    }
    TAG_END.lastIndex = at;
    const end = TAG_END.exec(source);
    if (!end) throw bad(`<${name}> is not well formed`);

    const parent = stack.at(-1);
    if (parent) parent.children.push(element);
    else if (root) throw bad('a second root element');
    else root = element;
    if (end[1] !== '/') stack.push(element);
    return TAG_END.lastIndex;
  }
}

/** The first child element with this local name. */
export function child(el: XmlElement, local: string): XmlElement | undefined {
  return el.children.find((c) => c.local === local);
}

export function childrenNamed(el: XmlElement, local: string): XmlElement[] {
  return el.children.filter((c) => c.local === local);
}

/** An attribute by its local name, whatever its prefix. */
export function attr(el: XmlElement, local: string): string | undefined {
  for (const [name, value] of Object.entries(el.attrs)) {
    if (
      name === local ||
      (localName(name) === local && !name.startsWith('xmlns'))
    ) {
      return value;
    }
  }
  return undefined;
}
