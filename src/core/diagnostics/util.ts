import type { Expr } from '../analysis/expr';

/** The expression without the casts around it: `(uint16_t)atoi(p)` → `atoi(p)`. */
export function uncast(expr: Expr): Expr {
  return expr.k === 'cast' ? uncast(expr.expr) : expr;
}

/** The plain name an argument is, when it is one (through casts). */
export function nameOf(expr: Expr): string | undefined {
  const inner = uncast(expr);
  return inner.k === 'id' ? inner.name : undefined;
}

/** Where `written` (taken from the text at or after `from`) starts; -1 when it is not there. */
export function locate(text: string, written: string, from: number): number {
  return text.indexOf(written, from);
}

/** Where a `//` comment starts in one line of code, outside string and character literals; -1 if none. */
function lineCommentStart(line: string): number {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '/' && line[i + 1] === '/') return i;
  }
  return -1;
}

/** The offset of the last character before `offset` that is not white space or inside a comment; -1 if none. */
export function previousSignificant(text: string, offset: number): number {
  let i = offset - 1;
  for (;;) {
    while (i >= 0 && /\s/.test(text[i])) i--;
    if (i < 0) return i;
    const lineStart = text.lastIndexOf('\n', i) + 1;
    const comment = lineCommentStart(text.slice(lineStart, i + 1));
    if (comment >= 0) {
      i = lineStart + comment - 1;
      continue;
    }
    if (i >= 1 && text[i] === '/' && text[i - 1] === '*') {
      const open = text.lastIndexOf('/*', i - 2);
      if (open < 0) return i;
      i = open - 1;
      continue;
    }
    return i;
  }
}

/** The offset of the first character at or after `offset` that is not white space. */
export function nextSignificant(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && /\s/.test(text[i])) i++;
  return i;
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
