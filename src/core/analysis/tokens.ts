/** A C token, for the fallback scan of half-typed code and for evaluating argument text. */
export interface Token {
  kind: 'ident' | 'number' | 'string' | 'char' | 'punct';
  text: string;
  start: number;
  end: number;
  /** A line break separates this token from the previous one. */
  newlineBefore: boolean;
}

const PUNCTUATORS = ['<<=', '>>=', '...', '->', '++', '--', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^='];

function isIdentStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
}

function isIdentPart(c: string): boolean {
  return isIdentStart(c) || (c >= '0' && c <= '9');
}

/** Tokenizes text[from, to): comments and whitespace skipped, preprocessor lines kept as tokens. */
export function tokenize(text: string, from = 0, to = text.length): Token[] {
  const tokens: Token[] = [];
  let newline = false;
  let i = from;
  const push = (kind: Token['kind'], end: number): void => {
    tokens.push({ kind, text: text.slice(i, end), start: i, end, newlineBefore: newline });
    newline = false;
    i = end;
  };
  while (i < to) {
    const c = text[i];
    if (c === '\n') {
      newline = true;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v' || c === '\\') {
      i++;
    } else if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      i = end === -1 || end > to ? to : end;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 || end + 2 > to ? to : end + 2;
      if (text.slice(i, stop).includes('\n')) newline = true;
      i = stop;
    } else if (isIdentStart(c)) {
      let j = i + 1;
      while (j < to && isIdentPart(text[j])) j++;
      if ((text[j] === '"' || text[j] === "'") && /^(L|u|U|u8)$/.test(text.slice(i, j))) {
        i = j;
        continue;
      }
      push('ident', j);
    } else if ((c >= '0' && c <= '9') || (c === '.' && text[i + 1] >= '0' && text[i + 1] <= '9')) {
      let j = i + 1;
      while (j < to && (isIdentPart(text[j]) || text[j] === '.' || ((text[j] === '+' || text[j] === '-') && /[eEpP]/.test(text[j - 1])))) j++;
      push('number', j);
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < to && text[j] !== c && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      push(c === '"' ? 'string' : 'char', Math.min(j + 1, to));
    } else {
      const op = PUNCTUATORS.find((p) => text.startsWith(p, i));
      push('punct', i + (op ? op.length : 1));
    }
  }
  return tokens;
}
