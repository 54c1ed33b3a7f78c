import type { Language, Node } from 'web-tree-sitter';
import { runQuery } from '../parsing/queries';
import { parseExpression } from './expr';
import type { ArgSite, CallSite } from './model';
import { tokenize, type Token } from './tokens';

/** Tokens after which a line break does not end a half-typed argument (the expression continues). */
const CONTINUES_AFTER = new Set([',', '(', '[', '|', '||', '&', '&&', '+', '-', '*', '/', '%', '<<', '>>', '=', '==', '!=', '<', '>', '<=', '>=', '?', ':', '.', '->', '!', '~', '^']);
/** Words that begin a statement or declaration: on a new line they end a half-typed call even after a comma. */
const STARTS_STATEMENT = new Set(['return', 'if', 'for', 'while', 'do', 'switch', 'case', 'break', 'continue', 'goto', 'else', 'int', 'char', 'long', 'short', 'unsigned', 'signed', 'void', 'struct', 'union', 'enum', 'const', 'static', 'typedef', 'socklen_t', 'size_t', 'ssize_t']);
/** Bound on how far the token scan follows one half-typed call. */
const MAX_RECOVERED_TOKENS = 256;

function makeArg(text: string, index: number, start: number, end: number): ArgSite {
  const raw = text.slice(start, end);
  const lead = raw.length - raw.trimStart().length;
  const trimmed = raw.trim();
  const written = trimmed.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, ' ').replace(/\s+/g, ' ').trim();
  return { index, text: written, start: start + lead, end: start + lead + trimmed.length, expr: parseExpression(trimmed) };
}

/** Splits an argument_list node's text at its top-level commas (works even with ERROR children). */
function argsOfList(text: string, list: Node): ArgSite[] {
  const open = list.startIndex + 1;
  const close = text[list.endIndex - 1] === ')' && list.endIndex - 1 >= open ? list.endIndex - 1 : list.endIndex;
  const args: ArgSite[] = [];
  let depth = 0;
  let argStart = open;
  for (const token of tokenize(text, open, close)) {
    if (token.text === '(' || token.text === '[' || token.text === '{') depth++;
    else if (token.text === ')' || token.text === ']' || token.text === '}') depth--;
    else if (token.text === ',' && depth === 0) {
      args.push(makeArg(text, args.length, argStart, token.start));
      argStart = token.end;
    }
  }
  const last = makeArg(text, args.length, argStart, close);
  if (last.text !== '' || args.length > 0) args.push(last);
  return args;
}

function declaratorName(node: Node | null): string | undefined {
  while (node && node.type !== 'identifier') node = node.childForFieldName('declarator');
  return node?.text;
}

/** The variable a call's result is stored in, looking through parentheses and casts. */
function assignedVariable(call: Node): string | undefined {
  let child: Node = call;
  let parent = call.parent;
  while (parent && (parent.type === 'parenthesized_expression' || parent.type === 'cast_expression')) {
    child = parent;
    parent = parent.parent;
  }
  if (!parent) return undefined;
  if (parent.type === 'assignment_expression' && parent.childForFieldName('right')?.equals(child)) {
    const left = parent.childForFieldName('left');
    return left?.type === 'identifier' ? left.text : undefined;
  }
  if (parent.type === 'init_declarator' && parent.childForFieldName('value')?.equals(child)) {
    return declaratorName(parent.childForFieldName('declarator'));
  }
  return undefined;
}

/** Every call with a plain-name callee inside `scope`, from the syntax tree. */
function treeCalls(language: Language, text: string, scope: Node): CallSite[] {
  const calls: CallSite[] = [];
  for (const captures of runQuery(language, 'calls', scope)) {
    const call = captures.get('call')!;
    const name = captures.get('call.name')!;
    const list = captures.get('call.args')!;
    if (list.hasError || list.lastChild?.isMissing || text[list.endIndex - 1] !== ')') {
      // An unclosed argument list swallows the following code: read it the way the fallback scan does.
      const tokens = tokenize(text, name.startIndex, lineEndAfter(text, list.endIndex));
      if (tokens[1]?.text === '(') {
        calls.push({ ...recoverCall(text, tokens, 0), start: call.startIndex, assignedTo: assignedVariable(call) });
        continue;
      }
    }
    calls.push({
      name: name.text,
      nameStart: name.startIndex,
      nameEnd: name.endIndex,
      start: call.startIndex,
      end: call.endIndex,
      args: argsOfList(text, list),
      recovered: false,
      assignedTo: assignedVariable(call),
    });
  }
  return calls;
}

/** `x = name(` / `int x = name(` just before the call name in the token stream. */
function assignedBefore(tokens: Token[], nameIndex: number): string | undefined {
  let i = nameIndex - 1;
  while (i >= 0 && tokens[i].text === '(') i--;
  if (i >= 1 && tokens[i].text === '=' && tokens[i - 1].kind === 'ident') return tokens[i - 1].text;
  return undefined;
}

/** Follows `name(` through the arguments typed so far; stops at `)`, `;`, braces or a line that starts new code. */
function recoverCall(text: string, tokens: Token[], nameIndex: number): CallSite {
  const name = tokens[nameIndex];
  const open = tokens[nameIndex + 1];
  const args: ArgSite[] = [];
  let depth = 0;
  let argStart = open.end;
  let lastEnd = open.end;
  let closed = false;
  /** The argument being read began on a new line: if a `;` ends it, it was the next statement, not an argument. */
  let argOnNewLine = false;
  let endedByStatement = false;
  const limit = Math.min(tokens.length, nameIndex + 2 + MAX_RECOVERED_TOKENS);
  for (let i = nameIndex + 2; i < limit; i++) {
    const token = tokens[i];
    const previous = tokens[i - 1];
    if (token.newlineBefore && (!CONTINUES_AFTER.has(previous.text) || (STARTS_STATEMENT.has(token.text) && previous.text !== '('))) break;
    if (token.text === ';' || token.text === '{' || token.text === '}') {
      endedByStatement = true;
      break;
    }
    if (depth === 0 && (previous.text === ',' || previous === open)) argOnNewLine = token.newlineBefore;
    if (token.text === '(' || token.text === '[') depth++;
    else if (token.text === ')' || token.text === ']') {
      if (depth === 0) {
        closed = true;
        args.push(makeArg(text, args.length, argStart, token.start));
        lastEnd = token.end;
        break;
      }
      depth--;
    } else if (token.text === ',' && depth === 0) {
      args.push(makeArg(text, args.length, argStart, token.start));
      argStart = token.end;
    }
    lastEnd = token.end;
  }
  if (!closed) {
    const last = makeArg(text, args.length, argStart, lastEnd);
    if (endedByStatement && argOnNewLine && args.length > 0) lastEnd = args[args.length - 1].end;
    else if (last.text !== '') args.push(last);
  }
  if (args.length === 1 && args[0].text === '') args.pop();
  return {
    name: name.text,
    nameStart: name.start,
    nameEnd: name.end,
    start: name.start,
    end: lastEnd,
    args,
    recovered: true,
    assignedTo: assignedBefore(tokens, nameIndex),
  };
}

export function lineStartBefore(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

export function lineEndAfter(text: string, offset: number): number {
  const end = text.indexOf('\n', offset);
  return end === -1 ? text.length : end;
}

/** Calls that tree-sitter's error recovery dropped: a token scan over each ERROR region's lines. */
function recoveredCalls(text: string, scope: Node, wanted: (name: string) => boolean, known: Set<number>): CallSite[] {
  const calls: CallSite[] = [];
  const errors = scope.type === 'ERROR' ? [scope] : scope.descendantsOfType('ERROR');
  let scannedUpTo = -1;
  for (const error of errors) {
    if (!error) continue;
    const from = Math.max(lineStartBefore(text, error.startIndex), scannedUpTo);
    const to = lineEndAfter(text, error.endIndex);
    if (from >= to) continue;
    scannedUpTo = to;
    const tokens = tokenize(text, from, to);
    for (let i = 0; i + 1 < tokens.length; i++) {
      const token = tokens[i];
      if (token.kind !== 'ident' || tokens[i + 1].text !== '(' || known.has(token.start) || !wanted(token.text)) continue;
      known.add(token.start);
      calls.push(recoverCall(text, tokens, i));
    }
  }
  return calls;
}

/**
 * All calls inside `scope` (a function body or the whole file) whose name `wanted` accepts, in document
 * order: those in the syntax tree plus those recovered from ERROR regions of half-typed code.
 */
export function collectCalls(language: Language, text: string, scope: Node, wanted: (name: string) => boolean): CallSite[] {
  const calls = treeCalls(language, text, scope).filter((c) => wanted(c.name));
  if (scope.hasError) {
    const known = new Set(calls.map((c) => c.nameStart));
    calls.push(...recoveredCalls(text, scope, wanted, known));
    calls.sort((a, b) => a.nameStart - b.nameStart);
  }
  return calls;
}
