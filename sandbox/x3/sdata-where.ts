// The subset of the SData query language api1 accepts in `where`:
// comparisons (eq ne lt le gt ge like, in, between), and/or/not,
// parentheses, single-quoted strings, numbers, and left()/upper()/lower().

export class WhereSyntaxError extends Error {}
export class UnknownPropertyError extends Error {}

type Row = Record<string, unknown>;
type Expr = (row: Row) => boolean;
type Operand = (row: Row) => unknown;

interface Token {
  kind: 'word' | 'string' | 'number' | 'punct';
  text: string;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const pattern =
    /\s*(?:('(?:[^']|'')*')|(-?\d+(?:\.\d+)?)|([A-Za-z_$][\w$]*)|([(),]))/y;
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    pattern.lastIndex = at;
    const m = pattern.exec(text);
    if (!m)
      throw new WhereSyntaxError(`where: cannot read "${text.slice(at)}"`);
    at = pattern.lastIndex;
    if (m[1])
      tokens.push({
        kind: 'string',
        text: m[1].slice(1, -1).replace(/''/g, "'"),
      });
    else if (m[2]) tokens.push({ kind: 'number', text: m[2] });
    else if (m[3]) tokens.push({ kind: 'word', text: m[3] });
    else tokens.push({ kind: 'punct', text: m[4] });
  }
  return tokens;
}

const COMPARE = new Set(['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'like']);

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a ?? '');
  const y = String(b ?? '');
  return x < y ? -1 : x > y ? 1 : 0;
}

function like(value: unknown, pattern: unknown): boolean {
  const source = String(pattern)
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/%/g, '.*')
    .replace(/_/g, '.');
  return new RegExp(`^${source}$`, 's').test(String(value ?? ''));
}

class Parser {
  private at = 0;

  constructor(
    private tokens: Token[],
    private fields: Set<string>,
  ) {}

  parse(): Expr {
    const expr = this.or();
    if (this.at < this.tokens.length) {
      throw new WhereSyntaxError(
        `where: unexpected "${this.tokens[this.at].text}"`,
      );
    }
    return expr;
  }

  private peekWord(word: string): boolean {
    const t = this.tokens[this.at];
    return t?.kind === 'word' && t.text.toLowerCase() === word;
  }

  private expect(text: string): void {
    if (this.tokens[this.at]?.text !== text) {
      throw new WhereSyntaxError(`where: "${text}" expected`);
    }
    this.at++;
  }

  private or(): Expr {
    let left = this.and();
    while (this.peekWord('or')) {
      this.at++;
      const a = left;
      const b = this.and();
      left = (row) => a(row) || b(row);
    }
    return left;
  }

  private and(): Expr {
    let left = this.not();
    while (this.peekWord('and')) {
      this.at++;
      const a = left;
      const b = this.not();
      left = (row) => a(row) && b(row);
    }
    return left;
  }

  private not(): Expr {
    if (this.peekWord('not')) {
      this.at++;
      const inner = this.not();
      return (row) => !inner(row);
    }
    if (this.tokens[this.at]?.text === '(') {
      this.at++;
      const inner = this.or();
      this.expect(')');
      return inner;
    }
    return this.comparison();
  }

  private comparison(): Expr {
    const left = this.operand();
    const op = this.tokens[this.at++]?.text.toLowerCase();
    if (op === 'in') {
      this.expect('(');
      const items = [this.operand()];
      while (this.tokens[this.at]?.text === ',') {
        this.at++;
        items.push(this.operand());
      }
      this.expect(')');
      return (row) => items.some((i) => compare(left(row), i(row)) === 0);
    }
    if (op === 'between') {
      const low = this.operand();
      if (!this.peekWord('and'))
        throw new WhereSyntaxError('where: "and" expected');
      this.at++;
      const high = this.operand();
      return (row) =>
        compare(left(row), low(row)) >= 0 && compare(left(row), high(row)) <= 0;
    }
    if (!op || !COMPARE.has(op)) {
      throw new WhereSyntaxError(`where: operator expected, got "${op ?? ''}"`);
    }
    const right = this.operand();
    return (row) => {
      if (op === 'like') return like(left(row), right(row));
      const c = compare(left(row), right(row));
      return {
        eq: c === 0,
        ne: c !== 0,
        lt: c < 0,
        le: c <= 0,
        gt: c > 0,
        ge: c >= 0,
      }[op as 'eq'];
    };
  }

  private operand(): Operand {
    const t = this.tokens[this.at++];
    if (!t) throw new WhereSyntaxError('where: operand expected');
    if (t.kind === 'string') return () => t.text;
    if (t.kind === 'number') return () => Number(t.text);
    if (t.kind !== 'word')
      throw new WhereSyntaxError(`where: unexpected "${t.text}"`);

    if (this.tokens[this.at]?.text === '(')
      return this.call(t.text.toLowerCase());
    if (!this.fields.has(t.text)) {
      throw new UnknownPropertyError(`Property ${t.text} does not exist`);
    }
    return (row) => row[t.text];
  }

  private call(name: string): Operand {
    this.expect('(');
    const args = [this.operand()];
    while (this.tokens[this.at]?.text === ',') {
      this.at++;
      args.push(this.operand());
    }
    this.expect(')');
    const text = (row: Row) => String(args[0](row) ?? '');
    if (name === 'upper') return (row) => text(row).toUpperCase();
    if (name === 'lower') return (row) => text(row).toLowerCase();
    if (name === 'left' && args.length === 2) {
      return (row) => text(row).slice(0, Number(args[1](row)));
    }
    throw new WhereSyntaxError(`where: unknown function ${name}`);
  }
}

export function parseWhere(text: string, fields: Set<string>): Expr {
  return new Parser(tokenize(text), fields).parse();
}
