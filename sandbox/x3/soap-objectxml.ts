import {
  attribute,
  elements,
  escapeAttribute,
  escapeText,
  parseXml,
  textOf,
  XmlElement,
  XmlError,
} from './soap-xml';

// The object layout classic SOAP carries inside objectXml and resultXml:
// groups of fields (GRP/FLD), tables of lines (TAB/LIN) and list fields
// (LST/ITM), read from a request's <PARAM> and written as a <RESULT>.

/** A field's text, or the items of a list field. */
export type FieldValue = string | string[];
export type Fields = Map<string, FieldValue>;

export interface ObjectData {
  groups: Map<string, Fields>;
  tables: Map<string, Fields[]>;
}

export type FieldType = 'Char' | 'Integer' | 'Decimal' | 'Date';

export interface OutField {
  name: string;
  type: FieldType;
  value: FieldValue;
  /** local-menu fields: the label of the value and the menu number */
  menu?: { label: string; number: number };
  /** list fields: how many items the field holds */
  dim?: number;
}

export type OutBlock =
  | { kind: 'group'; id: string; fields: OutField[] }
  | { kind: 'table'; id: string; dim: number; lines: OutField[][] };

function named(element: XmlElement, what: string): string {
  const value = attribute(element, what);
  if (!value) throw new XmlError(`<${element.name}> without ${what}`, 0);
  return value;
}

function readFields(parent: XmlElement): Fields {
  const fields: Fields = new Map();
  for (const e of elements(parent)) {
    if (e.local === 'FLD') fields.set(named(e, 'NAME'), textOf(e));
    else if (e.local === 'LST') {
      const items = elements(e).filter((i) => i.local === 'ITM');
      fields.set(named(e, 'NAME'), items.map(textOf));
    } else {
      throw new XmlError(`<${e.name}> not expected in <${parent.name}>`, 0);
    }
  }
  return fields;
}

/** Reads a request's objectXml; throws XmlError when it is not one. */
export function parseObjectXml(text: string): ObjectData {
  const root = parseXml(text);
  if (root.local !== 'PARAM') {
    throw new XmlError(`<PARAM> expected, found <${root.name}>`, 0);
  }
  const data: ObjectData = { groups: new Map(), tables: new Map() };
  for (const block of elements(root)) {
    const id = named(block, 'ID');
    if (block.local === 'GRP') {
      const fields = data.groups.get(id) ?? new Map();
      for (const [k, v] of readFields(block)) fields.set(k, v);
      data.groups.set(id, fields);
    } else if (block.local === 'TAB') {
      const lines = elements(block).map((line) => {
        if (line.local !== 'LIN') {
          throw new XmlError(`<${line.name}> not expected in <TAB>`, 0);
        }
        return readFields(line);
      });
      data.tables.set(id, [...(data.tables.get(id) ?? []), ...lines]);
    } else {
      throw new XmlError(`<${block.name}> not expected in <PARAM>`, 0);
    }
  }
  return data;
}

function writeField(f: OutField): string {
  const type = `TYPE="${f.type}"`;
  if (Array.isArray(f.value)) {
    const items = [...f.value];
    while (f.dim !== undefined && items.length < f.dim) items.push('');
    const body = items.map((i) => `<ITM>${escapeText(i)}</ITM>`).join('');
    const name = escapeAttribute(f.name);
    return `<LST NAME="${name}" SIZE="${items.length}" ${type}>${body}</LST>`;
  }
  const menu = f.menu
    ? `MENULAB="${escapeAttribute(f.menu.label)}" ` +
      `MENULOCAL="${f.menu.number}" `
    : '';
  const name = escapeAttribute(f.name);
  return `<FLD ${menu}NAME="${name}" ${type}>${escapeText(f.value)}</FLD>`;
}

/** The resultXml text of a saved or read object. */
export function writeResultXml(blocks: OutBlock[]): string {
  const parts = blocks.map((b) => {
    const id = escapeAttribute(b.id);
    if (b.kind === 'group') {
      return `<GRP ID="${id}">${b.fields.map(writeField).join('')}</GRP>`;
    }
    const lines = b.lines
      .map((l, i) => `<LIN NUM="${i + 1}">${l.map(writeField).join('')}</LIN>`)
      .join('');
    const size = b.lines.length;
    return `<TAB DIM="${b.dim}" ID="${id}" SIZE="${size}">${lines}</TAB>`;
  });
  return `<RESULT>${parts.join('')}</RESULT>`;
}
