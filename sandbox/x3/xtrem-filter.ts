// The filter and orderBy strings of X3 GraphQL queries: a JSON-like text
// with unquoted keys and single-quoted strings, e.g.
// "[{salesSite:{_id:'NYC01'}},{customerReference:{_eq:'SQ12'}}]".

export class FilterError extends Error {}

type Value =
  string | number | boolean | null | Value[] | { [k: string]: Value };

class Parser {
  private at = 0;

  constructor(private readonly text: string) {}

  parse(): Value {
    const value = this.value();
    this.space();
    if (this.at < this.text.length) this.fail('unexpected text');
    return value;
  }

  private fail(what: string): never {
    throw new FilterError(`filter: ${what} at position ${this.at}`);
  }

  private space(): void {
    while (/\s/.test(this.text[this.at] ?? '')) this.at++;
  }

  private value(): Value {
    this.space();
    const ch = this.text[this.at];
    if (ch === '{') return this.object();
    if (ch === '[') return this.array();
    if (ch === "'" || ch === '"') return this.string();
    const word = /^-?[\w.$]+/.exec(this.text.slice(this.at));
    if (!word) this.fail('value expected');
    this.at += word[0].length;
    if (word[0] === 'true') return true;
    if (word[0] === 'false') return false;
    if (word[0] === 'null') return null;
    const n = Number(word[0]);
    return Number.isFinite(n) ? n : word[0];
  }

  private string(): string {
    const quote = this.text[this.at++];
    let out = '';
    while (this.at < this.text.length && this.text[this.at] !== quote) {
      if (this.text[this.at] === '\\') this.at++;
      out += this.text[this.at++];
    }
    if (this.text[this.at] !== quote) this.fail('unterminated string');
    this.at++;
    return out;
  }

  private key(): string {
    this.space();
    const ch = this.text[this.at];
    if (ch === "'" || ch === '"') return this.string();
    const word = /^[\w$]+/.exec(this.text.slice(this.at));
    if (!word) this.fail('key expected');
    this.at += word[0].length;
    return word[0];
  }

  private object(): Value {
    const out: Record<string, Value> = {};
    this.at++;
    this.space();
    if (this.text[this.at] === '}') {
      this.at++;
      return out;
    }
    for (;;) {
      const key = this.key();
      this.space();
      if (this.text[this.at++] !== ':') this.fail("':' expected");
      out[key] = this.value();
      this.space();
      const next = this.text[this.at++];
      if (next === '}') return out;
      if (next !== ',') this.fail("',' or '}' expected");
    }
  }

  private array(): Value {
    const out: Value[] = [];
    this.at++;
    this.space();
    if (this.text[this.at] === ']') {
      this.at++;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.space();
      const next = this.text[this.at++];
      if (next === ']') return out;
      if (next !== ',') this.fail("',' or ']' expected");
    }
  }
}

export function parseFilterText(text: string): Value {
  return new Parser(text).parse();
}

type Row = Record<string, unknown>;

const NUMERIC = /^-?\d+(\.\d+)?$/;

function compare(a: unknown, b: unknown): number {
  const an =
    typeof a === 'number' || (typeof a === 'string' && NUMERIC.test(a));
  const bn =
    typeof b === 'number' || (typeof b === 'string' && NUMERIC.test(b));
  if (an && bn) return Number(a) - Number(b);
  const as = String(a ?? '');
  const bs = String(b ?? '');
  return as < bs ? -1 : as > bs ? 1 : 0;
}

function same(a: unknown, b: unknown): boolean {
  if (a === null || a === undefined) return b === null || b === undefined;
  return compare(a, b) === 0;
}

function operator(op: string, actual: unknown, expected: Value): boolean {
  switch (op) {
    case '_eq':
    case '_id':
      return same(actual, expected);
    case '_ne':
      return !same(actual, expected);
    case '_gt':
      return compare(actual, expected) > 0;
    case '_gte':
      return compare(actual, expected) >= 0;
    case '_lt':
      return compare(actual, expected) < 0;
    case '_lte':
      return compare(actual, expected) <= 0;
    case '_in':
      return Array.isArray(expected) && expected.some((e) => same(actual, e));
    case '_nin':
      return Array.isArray(expected) && !expected.some((e) => same(actual, e));
    case '_regex':
      return new RegExp(String(expected)).test(String(actual ?? ''));
    default:
      throw new FilterError(`filter: unknown operator ${op}`);
  }
}

function fieldMatches(actual: unknown, condition: Value): boolean {
  if (condition === null || typeof condition !== 'object') {
    return same(actual, condition);
  }
  if (Array.isArray(condition)) {
    return condition.some((c) => same(actual, c));
  }
  return Object.entries(condition).every(([op, expected]) =>
    op === '_not'
      ? !fieldMatches(actual, expected)
      : operator(op, actual, expected),
  );
}

export function matches(row: Row, filter: Value, fields: Set<string>): boolean {
  if (filter === null || filter === undefined) return true;
  if (Array.isArray(filter))
    return filter.every((f) => matches(row, f, fields));
  if (typeof filter !== 'object')
    throw new FilterError('filter: object expected');

  return Object.entries(filter).every(([key, condition]) => {
    if (key === '_and' || key === '_or') {
      if (!Array.isArray(condition))
        throw new FilterError(`${key}: array expected`);
      const test = (c: Value) => matches(row, c, fields);
      return key === '_and' ? condition.every(test) : condition.some(test);
    }
    if (key === '_not') return !matches(row, condition, fields);
    if (!fields.has(key)) {
      throw new FilterError(`filter: property ${key} does not exist`);
    }
    return fieldMatches(row[key], condition);
  });
}

/** `{invoiceDate:-1,_id:1}` into a comparator over rows. */
export function sorter(
  orderBy: string | undefined | null,
  fields: Set<string>,
): (a: Row, b: Row) => number {
  const spec = orderBy ? parseFilterText(orderBy) : { _id: 1 };
  if (!spec || typeof spec !== 'object' || Array.isArray(spec)) {
    throw new FilterError('orderBy: object expected');
  }
  const keys = Object.entries(spec).map(([field, dir]) => {
    if (!fields.has(field)) {
      throw new FilterError(`orderBy: property ${field} does not exist`);
    }
    const direction =
      typeof dir === 'object' && dir !== null && !Array.isArray(dir)
        ? Number((dir as Record<string, Value>)._id)
        : Number(dir);
    return { field, direction: direction < 0 ? -1 : 1 };
  });
  return (a, b) => {
    for (const { field, direction } of keys) {
      const c = compare(a[field], b[field]);
      if (c !== 0) return c * direction;
    }
    return compare(a._id, b._id);
  };
}
