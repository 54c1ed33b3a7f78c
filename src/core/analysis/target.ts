import { baseVariable } from './expr';
import type { CallSite } from './model';
import type { FileAnalysis, Scope } from './scope';
import type { SocketModel } from './sockets';
import { correctSpelling } from './spelling';
import { tokenize, type Token } from './tokens';

export type TargetKind = 'function' | 'argument' | 'constant' | 'field' | 'socket' | 'address' | 'type' | 'misspelling' | 'errno' | 'variable';

/** What the cursor is on, with the context the renderer needs. Offsets are into the document text. */
export interface Target {
  kind: TargetKind;
  /** The function, argument parameter, constant, field, variable, type or misspelled name. */
  name: string;
  start: number;
  end: number;
  scope: Scope;
  /** The covered call the cursor is in (function name or one of its arguments). */
  call?: CallSite;
  argIndex?: number;
  /** misspelling: the right name. */
  right?: string;
  /** field: the path before it as written, e.g. serv_addr.sin_addr for s_addr, events[i].data for fd. */
  fieldOwner?: string;
  /** field: the variable and the fields between it and this one: { root: 'events', path: ['data'] }. */
  fieldPath?: { root: string; path: string[] };
}

/** Index of the first token of `a.b[i]->c` before the member at `index` (skipping subscripts). */
function ownerStartOf(tokens: Token[], index: number): number {
  let i = index - 1;
  while (i >= 1 && (tokens[i].text === '.' || tokens[i].text === '->')) {
    let j = i - 1;
    while (j >= 0 && tokens[j].text === ']') {
      let depth = 0;
      for (; j >= 0; j--) {
        if (tokens[j].text === ']') depth++;
        else if (tokens[j].text === '[' && --depth === 0) break;
      }
      j--;
    }
    if (j < 0 || tokens[j].kind !== 'ident') break;
    i = j - 1;
  }
  return i + 1;
}

/** The idents of an owner chain that are followed by `.`/`->` or a subscript: root first. */
function fieldPathOf(owner: Token[]): { root: string; path: string[] } | undefined {
  const names: string[] = [];
  let depth = 0;
  for (const token of owner) {
    if (token.text === '[') depth++;
    else if (token.text === ']') depth--;
    else if (depth === 0 && token.kind === 'ident') names.push(token.text);
  }
  return names.length ? { root: names[0], path: names.slice(1) } : undefined;
}

function tokenAt(tokens: Token[], offset: number): { token: Token; index: number } | undefined {
  let hit: { token: Token; index: number } | undefined;
  tokens.forEach((token, index) => {
    if (token.start <= offset && offset < token.end) hit = { token, index };
    else if (!hit && token.kind === 'ident' && token.end === offset) hit = { token, index };
  });
  return hit;
}

/** The innermost covered call whose name or argument list holds `offset`. */
function callAt(file: FileAnalysis, calls: CallSite[], offset: number): { call: CallSite; argIndex?: number } | undefined {
  let best: { call: CallSite; argIndex?: number } | undefined;
  for (const call of calls) {
    if (!file.kb.functions.has(call.name)) continue;
    if (call.nameStart <= offset && offset <= call.nameEnd) return { call };
    if (offset < call.start || offset > call.end) continue;
    const argIndex = call.args.findIndex((a) => a.start <= offset && offset <= a.end);
    if (argIndex === -1) continue;
    if (!best || call.start >= best.call.start) best = { call, argIndex };
  }
  return best;
}

/** The variable is an argument of a call the knowledge base covers (`&clnt_addr_size` in accept()). */
function usedInCoveredCall(file: FileAnalysis, scope: Scope, name: string): boolean {
  return scope.calls.some((c) => file.kb.functions.has(c.name) && c.args.some((a) => baseVariable(a.expr) === name));
}

/**
 * Identifies what is at `offset`. `sockets` gives the scope's socket model (computed only when needed).
 * `inComment` tells whether the syntax tree puts the offset inside a comment.
 */
export function targetAt(file: FileAnalysis, offset: number, inComment: boolean, sockets: (scope: Scope) => SocketModel): Target | undefined {
  if (inComment) return undefined;
  const { line } = file.lines.positionAt(offset);
  const lineStart = file.lines.offsetAt(line, 0) ?? 0;
  const tokens = tokenize(file.text, lineStart, lineStart + file.lines.lineText(line).length);
  const hit = tokenAt(tokens, offset);
  if (!hit || hit.token.text.startsWith('#')) return undefined;
  const { token, index } = hit;
  const previous = tokens[index - 1];
  if (previous?.text === '#' || (tokens[0]?.text === '#' && tokens[1]?.text === 'include')) return undefined;
  const scope = file.scopeAt(offset);
  const inCall = callAt(file, scope.calls, offset);
  const base = { start: token.start, end: token.end, scope, call: inCall?.call, argIndex: inCall?.argIndex };
  if (inCall && inCall.argIndex === undefined) {
    return { ...base, kind: 'function', name: inCall.call.name, start: inCall.call.nameStart, end: inCall.call.nameEnd };
  }
  if (token.kind === 'ident') {
    const name = token.text;
    const { kb } = file;
    const isMember = previous?.text === '.' || previous?.text === '->';
    if (isMember && kb.fields.has(name)) {
      const ownerStart = ownerStartOf(tokens, index);
      const fieldOwner = tokens.slice(ownerStart, index - 1).map((t) => t.text).join('');
      return { ...base, kind: 'field', name, fieldOwner, fieldPath: fieldPathOf(tokens.slice(ownerStart, index)) };
    }
    if (kb.constants.has(name)) return { ...base, kind: 'constant', name };
    if (kb.errnos.has(name) && !isMember) return { ...base, kind: 'errno', name };
    const declared = file.declaration(scope, name) !== undefined || file.macros.has(name) || file.enums.has(name);
    // A learners' misspelling the knowledge base lists is explained wherever it is written, even declared
    // (`int ptorocol = 0;`), except a variable that merely shares a field's misspelled name (`struct in_addr saddr;`).
    const known = kb.misspellings.get(name)?.right;
    const right = known && !(declared && kb.fields.has(known)) ? known : declared || isMember ? undefined : correctSpelling(kb, name);
    if (right) return { ...base, kind: 'misspelling', name, right };
    if (kb.structs.has(name) && (previous?.text === 'struct' || kb.structs.get(name)!.kind === 'type')) return { ...base, kind: 'type', name };
    if (!isMember && sockets(scope).get(name)) return { ...base, kind: 'socket', name };
    if (!isMember && inCall?.argIndex === undefined && /^sockaddr/.test(file.declaration(scope, name)?.struct ?? '')) {
      return { ...base, kind: 'address', name };
    }
    if (!isMember && inCall?.argIndex === undefined && file.declaration(scope, name) && usedInCoveredCall(file, scope, name)) {
      return { ...base, kind: 'variable', name };
    }
  }
  if (inCall && inCall.argIndex !== undefined) {
    const arg = inCall.call.args[inCall.argIndex];
    const param = file.kb.functions.get(inCall.call.name)?.params[inCall.argIndex]?.name ?? `#${inCall.argIndex + 1}`;
    return { ...base, kind: 'argument', name: param, start: arg.start, end: arg.end };
  }
  return undefined;
}
