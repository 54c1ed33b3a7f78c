import { tokenize, type Token } from './tokens';

/**
 * A small C expression tree, built from argument text. Arguments of half-typed calls have no syntax tree,
 * so values are always resolved from text; this keeps one code path for both.
 */
export type Expr =
  | { k: 'num'; value: number; text: string }
  | { k: 'str'; value: string }
  | { k: 'char'; text: string }
  | { k: 'id'; name: string }
  | { k: 'call'; callee: string; args: Expr[] }
  | { k: 'sizeof'; type?: string; expr?: Expr }
  | { k: 'cast'; type: string; expr: Expr }
  | { k: 'unary'; op: string; expr: Expr }
  | { k: 'binary'; op: string; left: Expr; right: Expr }
  | { k: 'member'; object: Expr; field: string; arrow: boolean }
  | { k: 'index'; object: Expr; index: Expr }
  | { k: 'unknown'; text: string };

const TYPE_WORDS = new Set([
  'struct', 'union', 'enum', 'const', 'volatile', 'unsigned', 'signed', 'int', 'char', 'short', 'long', 'void',
  'float', 'double', 'socklen_t', 'size_t', 'ssize_t', 'in_addr_t', 'in_port_t', 'uint16_t', 'uint32_t', 'uint8_t', 'sa_family_t',
]);

const BINARY_PRECEDENCE: Record<string, number> = {
  '||': 1, '&&': 2, '|': 3, '^': 4, '&': 5, '==': 6, '!=': 6, '<': 7, '>': 7, '<=': 7, '>=': 7,
  '<<': 8, '>>': 8, '+': 9, '-': 9, '*': 10, '/': 10, '%': 10,
};

export function parseNumber(text: string): number | undefined {
  const clean = text.replace(/[uUlL]+$/, '');
  if (/^0[xX][0-9a-fA-F]+$/.test(clean)) return parseInt(clean, 16);
  if (/^0[0-7]*$/.test(clean)) return parseInt(clean, 8);
  if (/^[0-9]+$/.test(clean)) return parseInt(clean, 10);
  if (/^[0-9]*\.[0-9]+([eE][+-]?[0-9]+)?$/.test(clean)) return parseFloat(clean);
  return undefined;
}

function unquote(text: string): string {
  const body = text.slice(1, text.endsWith('"') && text.length > 1 ? -1 : undefined);
  return body.replace(/\\(n|t|\\|"|0)/g, (_, c: string) => ({ n: '\n', t: '\t', '\\': '\\', '"': '"', '0': '\0' })[c] ?? c);
}

class ExprParser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): Expr {
    const expr = this.binary(0);
    return this.pos === this.tokens.length ? expr : { k: 'unknown', text: this.tokens.map((t) => t.text).join(' ') };
  }

  private peek(offset = 0): Token | undefined {
    return this.tokens[this.pos + offset];
  }

  private take(): Token | undefined {
    return this.tokens[this.pos++];
  }

  private accept(text: string): boolean {
    if (this.peek()?.text !== text) return false;
    this.pos++;
    return true;
  }

  private binary(minPrecedence: number): Expr {
    let left = this.unary();
    for (;;) {
      const op = this.peek();
      const precedence = op && op.kind === 'punct' ? BINARY_PRECEDENCE[op.text] : undefined;
      if (precedence === undefined || precedence <= minPrecedence) {
        if (op?.text === '?' && minPrecedence === 0) {
          this.pos++;
          this.binary(0);
          this.accept(':');
          this.binary(0);
          return { k: 'unknown', text: 'conditional' };
        }
        return left;
      }
      this.pos++;
      left = { k: 'binary', op: op!.text, left, right: this.binary(precedence) };
    }
  }

  /** `(type)` at the current position: returns the type text and consumes it, or undefined. */
  private typeInParens(): string | undefined {
    if (this.peek()?.text !== '(') return undefined;
    let j = this.pos + 1;
    const words: string[] = [];
    let sawType = false;
    while (j < this.tokens.length && this.tokens[j].text !== ')') {
      const t = this.tokens[j];
      if (t.kind === 'ident' && (TYPE_WORDS.has(t.text) || /_t$/.test(t.text) || this.tokens[j - 1]?.text === 'struct')) sawType = true;
      else if (!(t.text === '*' || (t.kind === 'ident' && sawType))) return undefined;
      words.push(t.text);
      j++;
    }
    if (!sawType || j >= this.tokens.length) return undefined;
    this.pos = j + 1;
    return words.join(' ').replace(/ \*/g, ' *').replace(/\* \*/g, '**');
  }

  private unary(): Expr {
    const t = this.peek();
    if (!t) return { k: 'unknown', text: '' };
    if (t.kind === 'punct' && ['&', '*', '-', '+', '!', '~', '++', '--'].includes(t.text)) {
      this.pos++;
      const expr = this.unary();
      if (t.text === '-' && expr.k === 'num') return { k: 'num', value: -expr.value, text: `-${expr.text}` };
      return { k: 'unary', op: t.text, expr };
    }
    if (t.text === 'sizeof') {
      this.pos++;
      const type = this.typeInParens();
      if (type) return { k: 'sizeof', type };
      return { k: 'sizeof', expr: this.unary() };
    }
    const type = this.typeInParens();
    if (type) return { k: 'cast', type, expr: this.unary() };
    return this.postfix(this.primary());
  }

  private primary(): Expr {
    const t = this.take();
    if (!t) return { k: 'unknown', text: '' };
    if (t.kind === 'number') {
      const value = parseNumber(t.text);
      return value === undefined ? { k: 'unknown', text: t.text } : { k: 'num', value, text: t.text };
    }
    if (t.kind === 'string') {
      let value = unquote(t.text);
      while (this.peek()?.kind === 'string') value += unquote(this.take()!.text);
      return { k: 'str', value };
    }
    if (t.kind === 'char') return { k: 'char', text: t.text };
    if (t.kind === 'ident') return { k: 'id', name: t.text };
    if (t.text === '(') {
      const inner = this.binary(0);
      this.accept(')');
      return inner;
    }
    return { k: 'unknown', text: t.text };
  }

  private postfix(expr: Expr): Expr {
    for (;;) {
      const t = this.peek();
      if (!t || t.kind !== 'punct') return expr;
      if (t.text === '(' && expr.k === 'id') {
        this.pos++;
        const args: Expr[] = [];
        while (this.peek() && this.peek()!.text !== ')') {
          args.push(this.binary(0));
          if (!this.accept(',')) break;
        }
        this.accept(')');
        expr = { k: 'call', callee: expr.name, args };
      } else if ((t.text === '.' || t.text === '->') && this.peek(1)?.kind === 'ident') {
        this.pos += 2;
        expr = { k: 'member', object: expr, field: this.tokens[this.pos - 1].text, arrow: t.text === '->' };
      } else if (t.text === '[') {
        this.pos++;
        const index = this.binary(0);
        this.accept(']');
        expr = { k: 'index', object: expr, index };
      } else if (t.text === '++' || t.text === '--') {
        this.pos++;
      } else {
        return expr;
      }
    }
  }
}

export function parseExpression(text: string): Expr {
  return new ExprParser(tokenize(text)).parse();
}

/** Strips casts, `&`, parentheses: `(struct sockaddr *)&serv_addr` → serv_addr. */
export function baseVariable(expr: Expr): string | undefined {
  switch (expr.k) {
    case 'id':
      return expr.name;
    case 'cast':
      return baseVariable(expr.expr);
    case 'unary':
      return expr.op === '&' || expr.op === '*' ? baseVariable(expr.expr) : undefined;
    default:
      return undefined;
  }
}

/** `serv_addr.sin_addr.s_addr` → { root: 'serv_addr', path: ['sin_addr', 's_addr'] }. */
export function memberPath(expr: Expr): { root: string; path: string[] } | undefined {
  if (expr.k === 'member') {
    const inner = memberPath(expr.object);
    return inner ? { root: inner.root, path: [...inner.path, expr.field] } : undefined;
  }
  if (expr.k === 'id') return { root: expr.name, path: [] };
  if (expr.k === 'unary' && (expr.op === '&' || expr.op === '*')) return memberPath(expr.expr);
  if (expr.k === 'cast') return memberPath(expr.expr);
  return undefined;
}
