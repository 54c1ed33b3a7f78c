import type { Language, Node, Tree, TreeCursor } from 'web-tree-sitter';
import type { KnowledgeBase } from '../knowledge/schema';
import { runQuery } from '../parsing/queries';
import { collectCalls, lineEndAfter, lineStartBefore } from './calls';
import { memberPath, parseExpression, parseNumber } from './expr';
import { collectFlow, type FlowFacts } from './flow';
import type { Assignment, CallSite, Declaration } from './model';
import { LineIndex } from './text';
import type { TextSpan } from '../parsing/treeCache';
import { tokenize } from './tokens';

/** Calls the analysis needs besides the covered functions: where ports, addresses and usage text come from. */
const HELPER_CALLS = new Set(['atoi', 'atol', 'strtol', 'strtoul', 'memset', 'bzero', 'printf', 'fprintf', 'puts', 'fputs', 'snprintf']);

/** Node types a function definition can sit in (besides the translation unit). */
const FUNCTION_CONTAINERS = new Set(['preproc_if', 'preproc_ifdef', 'preproc_else', 'preproc_elif', 'preproc_elifdef', 'linkage_specification', 'declaration_list', 'ERROR']);

/** Bound on the top-level items one non-function scope gathers. */
const MAX_RUN = 400;

/** One function body (or a run of top-level items outside any function) and the facts gathered in it. */
export interface Scope {
  /** Start offset of the scope's node: its identity within one tree. */
  key: number;
  functionName?: string;
  start: number;
  end: number;
  /** Covered and helper calls in document order. */
  calls: CallSite[];
  declarations: Map<string, Declaration>;
  assignments: Assignment[];
  /** Loops, branches and writes other than `x = value`, for telling whether a value is certain (computed on first use). */
  readonly flow: FlowFacts;
}

interface DeclaratorParts {
  name?: string;
  pointer: boolean;
  array: boolean;
  arrayLength?: string;
  initString?: string;
}

function declaratorParts(node: Node): DeclaratorParts {
  const parts: DeclaratorParts = { pointer: false, array: false };
  let current: Node | null = node;
  while (current && current.type !== 'identifier' && current.type !== 'field_identifier') {
    if (current.type === 'pointer_declarator' || current.type === 'abstract_pointer_declarator') parts.pointer = true;
    if (current.type === 'array_declarator' && !parts.array) {
      parts.array = true;
      parts.arrayLength = current.childForFieldName('size')?.text;
    }
    if (current.type === 'init_declarator') {
      const value = current.childForFieldName('value');
      const init = value && (value.type === 'string_literal' || value.type === 'concatenated_string') ? parseExpression(value.text) : undefined;
      if (init?.k === 'str') parts.initString = init.value;
    }
    current = current.childForFieldName('declarator');
  }
  parts.name = current?.text;
  return parts;
}

function readDeclarations(language: Language, node: Node, into: Map<string, Declaration>, query: 'declarations' | 'globals' = 'declarations'): void {
  // globals.scm matches from the translation unit itself (depth 0).
  for (const captures of runQuery(language, query, node, query === 'globals' ? 0 : undefined)) {
    const typeNode = captures.get('decl.type')!;
    const { name, pointer, array, arrayLength, initString } = declaratorParts(captures.get('decl.declarator')!);
    if (!name || name === '') continue;
    const struct = typeNode.type === 'struct_specifier' && !pointer && !array ? typeNode.childForFieldName('name')?.text : undefined;
    const written = typeNode.text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, ' ').replace(/\s+/g, ' ').trim();
    const type = `${written}${pointer ? ' *' : ''}${array ? ' []' : ''}`;
    into.set(name, { name, type, struct, pointer, array, arrayLength, initString, start: captures.get('decl')!.startIndex });
  }
}

function readAssignments(language: Language, node: Node): Assignment[] {
  const assignments: Assignment[] = [];
  for (const captures of runQuery(language, 'assignments', node)) {
    const target = memberPath(parseExpression(captures.get('assign.target')!.text));
    const valueNode = captures.get('assign.value')!;
    // `x += 1` is not a value of x: the flow facts record it as an update.
    const operator = captures.get('assign')!.childForFieldName('operator')?.text;
    if (!target || (operator !== undefined && operator !== '=')) continue;
    assignments.push({ ...target, value: parseExpression(valueNode.text), valueText: valueNode.text, start: captures.get('assign')!.startIndex });
  }
  return assignments.sort((a, b) => a.start - b.start);
}

/** Macros and enumerators of one text, with the spans of the text they were read from. */
interface TopLevel {
  macros: Map<string, string>;
  enums: Map<string, number>;
  /** [start, end) of every `#define` and `enum {…}` matched, in document order. */
  spans: [number, number][];
}

/**
 * Object-like macros and enumerators, read from the text with a line scan: a whole-tree query costs tens of
 * milliseconds on a large file, too much to pay after every edit before the next hover.
 */
function readTopLevel(text: string): TopLevel {
  const top: TopLevel = { macros: new Map(), enums: new Map(), spans: [] };
  const define = /^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)(?![\w(])[ \t]*((?:[^\n\\]|\\\r?\n|\\)*)/gm;
  for (let m = define.exec(text); m; m = define.exec(text)) {
    top.spans.push([m.index, m.index + m[0].length]);
    const value = m[2].replace(/\\\r?\n/g, ' ').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/g, '').trim();
    if (value !== '') top.macros.set(m[1], value);
  }
  const enumBody = /\benum\b[^{;]*\{([^}]*)\}/g;
  for (let m = enumBody.exec(text); m; m = enumBody.exec(text)) {
    top.spans.push([m.index, m.index + m[0].length]);
    let next = 0;
    for (const item of m[1].replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '').split(',')) {
      const [, name, valueText] = /^\s*([A-Za-z_]\w*)\s*(?:=\s*(.+?))?\s*$/s.exec(item) ?? [];
      if (!name) continue;
      const value = valueText === undefined ? next : (parseNumber(valueText) ?? top.enums.get(valueText));
      if (value === undefined) continue;
      top.enums.set(name, value);
      next = value + 1;
    }
  }
  top.spans.sort((a, b) => a[0] - b[0]);
  return top;
}

/**
 * Whether `edit` (from `before` to `after`) leaves every macro and enumerator as it was: it touches no
 * `#define` or `enum {…}` read before, its lines hold no `#`, `enum` or line continuation, and it neither
 * adds nor removes a brace or semicolon (which could open or close an enum body elsewhere).
 */
function keepsTopLevel(before: string, after: string, edit: TextSpan, spans: readonly [number, number][]): boolean {
  const oldFrom = lineStartBefore(before, edit.start);
  const oldTo = lineEndAfter(before, edit.oldEnd);
  if (spans.some(([start, end]) => start <= oldTo && end >= oldFrom)) return false;
  const touched = [before.slice(oldFrom, oldTo), after.slice(lineStartBefore(after, edit.start), lineEndAfter(after, edit.newEnd))];
  if (touched.some((lines) => lines.includes('#') || lines.includes('\\') || /\benum\b/.test(lines))) return false;
  const changed = before.slice(edit.start, edit.oldEnd) + after.slice(edit.start, edit.newEnd);
  return !/[{};]/.test(changed);
}

/** The analysis of the previous version of a document and the edit that made this one from it. */
export interface PreviousVersion {
  analysis: FileAnalysis;
  edit: TextSpan;
}

/**
 * Everything the analysis knows about one parsed document. Nothing is computed for the whole file up front:
 * function scopes are built on demand, and the line index and macros of an edited version are derived from
 * the previous version's (only the edited lines are read again).
 */
export class FileAnalysis {
  private linesCache: LineIndex | undefined;
  private topLevelCache: TopLevel | undefined;
  private globalsCache: Map<string, Declaration> | undefined;
  private readonly scopes = new Map<number, Scope>();
  private allCallsCache: CallSite[] | undefined;
  /** Where prepare() resumes: every function before this offset has its scope (and its tools, by the analyzer). */
  preparedUpTo = 0;

  constructor(
    readonly kb: KnowledgeBase,
    readonly language: Language,
    readonly text: string,
    readonly tree: Tree,
    previous?: PreviousVersion,
  ) {
    if (previous) this.inherit(previous);
  }

  private inherit({ analysis, edit }: PreviousVersion): void {
    this.linesCache = analysis.lines.edited(this.text, edit);
    const top = analysis.topLevel;
    if (!keepsTopLevel(analysis.text, this.text, edit, top.spans)) return;
    const delta = edit.newEnd - edit.oldEnd;
    const spans = top.spans.map(([start, end]): [number, number] => (start >= edit.oldEnd ? [start + delta, end + delta] : [start, end]));
    this.topLevelCache = { macros: top.macros, enums: top.enums, spans };
  }

  get lines(): LineIndex {
    this.linesCache ??= new LineIndex(this.text);
    return this.linesCache;
  }

  private get topLevel(): TopLevel {
    this.topLevelCache ??= readTopLevel(this.text);
    return this.topLevelCache;
  }

  get macros(): ReadonlyMap<string, string> {
    return this.topLevel.macros;
  }

  get enums(): ReadonlyMap<string, number> {
    return this.topLevel.enums;
  }

  /** Names of calls worth collecting: every covered function plus the helpers. */
  readonly wanted = (name: string): boolean => this.kb.functions.has(name) || HELPER_CALLS.has(name);

  /** File-scope variables, read on first need (sizeof or & of a name the function does not declare). */
  private get globals(): Map<string, Declaration> {
    if (!this.globalsCache) {
      this.globalsCache = new Map();
      readDeclarations(this.language, this.tree.rootNode, this.globalsCache, 'globals');
    }
    return this.globalsCache;
  }

  /**
   * The scope around `offset`: the function definition holding it, else the run of top-level items (statements
   * of a pasted snippet, declarations, macros) between the nearest function definitions. Found with a tree
   * cursor and `gotoFirstChildForIndex`: climbing `parent` links or running a whole-tree query costs time
   * proportional to the file in web-tree-sitter.
   */
  scopeAt(offset: number): Scope {
    const at = Math.max(0, Math.min(offset, this.text.length - 1));
    const nodes = this.scopeNodes(at);
    const key = nodes[0].startIndex;
    const cached = this.scopes.get(key);
    if (cached && cached.end === nodes[nodes.length - 1].endIndex) return cached;
    const scope = this.buildScope(nodes);
    this.scopes.set(scope.key, scope);
    return scope;
  }

  /**
   * For analysing ahead of hovers: the function scope at (or just after) `offset`, if that is a function, and
   * where the next item starts. Other top-level items are skipped one by one without building their scope (a
   * run of them costs up to MAX_RUN items of queries, paid again for every item inside it).
   */
  preparableAt(offset: number): { scope?: Scope; next: number } {
    const at = Math.max(0, Math.min(offset, this.text.length - 1));
    const nodes = this.scopeNodes(at, false);
    const next = Math.max(nodes[nodes.length - 1].endIndex, offset + 1);
    return nodes[0].type === 'function_definition' ? { scope: this.scopeAt(at), next } : { next };
  }

  /**
   * With `runs` false, items outside any function are returned up to the next node that is or may hold a
   * function, not back to the previous one: only their extent is wanted, no scope is built.
   */
  private scopeNodes(at: number, runs = true): Node[] {
    const cursor = this.tree.rootNode.walk();
    const outside = (): Node[] => (runs ? this.siblingRun(cursor) : this.itemsUpToFunction(cursor));
    try {
      for (;;) {
        if (!cursor.gotoFirstChildForIndex(at)) return [cursor.currentNode];
        const node = cursor.currentNode;
        if (node.type === 'function_definition') return [node];
        if (!FUNCTION_CONTAINERS.has(node.type) || node.childCount === 0) return outside();
        // An ERROR node is one scope (its text is scanned for half-typed calls) unless a function sits inside it.
        if (node.type === 'ERROR' && node.firstChildForIndex(at)?.type !== 'function_definition') return outside();
      }
    } finally {
      cursor.delete();
    }
  }

  /**
   * The cursor's node and the last of the siblings after it (at most MAX_RUN) before a function or a node that
   * may hold one.
   */
  private itemsUpToFunction(cursor: TreeCursor): Node[] {
    const first = cursor.currentNode;
    for (let i = 1; i < MAX_RUN && cursor.gotoNextSibling(); i++) {
      if (cursor.nodeType === 'function_definition' || FUNCTION_CONTAINERS.has(cursor.nodeType)) {
        cursor.gotoPreviousSibling();
        break;
      }
    }
    return [first, cursor.currentNode];
  }

  /** The cursor's node and its neighbours up to the next function definition on each side (bounded). */
  private siblingRun(cursor: TreeCursor): Node[] {
    const nodes = [cursor.currentNode];
    const back = cursor.copy();
    try {
      while (nodes.length < MAX_RUN && back.gotoPreviousSibling() && back.nodeType !== 'function_definition') nodes.unshift(back.currentNode);
      while (nodes.length < MAX_RUN && cursor.gotoNextSibling() && cursor.nodeType !== 'function_definition') nodes.push(cursor.currentNode);
    } finally {
      back.delete();
    }
    return nodes;
  }

  private buildScope(nodes: Node[]): Scope {
    const declarations = new Map<string, Declaration>();
    const assignments: Assignment[] = [];
    const calls: CallSite[] = [];
    for (const node of nodes) {
      if (node.hasError) this.readRecoveredDeclarations(node, declarations);
      readDeclarations(this.language, node, declarations);
      assignments.push(...readAssignments(this.language, node));
      calls.push(...collectCalls(this.language, this.text, node, this.wanted));
    }
    const [first] = nodes;
    const functionName =
      nodes.length === 1 && first.type === 'function_definition' ? runQuery(this.language, 'functions', first)[0]?.get('function.name')?.text : undefined;
    let flow: FlowFacts | undefined;
    const { kb } = this;
    const isArray = (name: string): boolean => declarations.get(name)?.array ?? this.globals.get(name)?.array ?? false;
    return {
      key: first.startIndex,
      functionName,
      start: first.startIndex,
      end: nodes[nodes.length - 1].endIndex,
      calls,
      declarations,
      assignments,
      // Only a variable's value needs them: many functions are analysed without ever asking.
      get flow(): FlowFacts {
        flow ??= collectFlow(kb, nodes, isArray);
        return flow;
      },
    };
  }

  /** `struct sockaddr_in addr;` swallowed by an ERROR node (code after a half-typed call): a token scan. */
  private readRecoveredDeclarations(node: Node, into: Map<string, Declaration>): void {
    const errors = node.type === 'ERROR' ? [node] : node.descendantsOfType('ERROR');
    for (const error of errors) {
      const tokens = tokenize(this.text, lineStartBefore(this.text, error.startIndex), lineEndAfter(this.text, error.endIndex));
      for (let i = 0; i + 2 < tokens.length; i++) {
        if (tokens[i].text !== 'struct' || tokens[i + 1].kind !== 'ident') continue;
        const pointer = tokens[i + 2].text === '*';
        const nameToken = tokens[i + (pointer ? 3 : 2)];
        const after = tokens[i + (pointer ? 4 : 3)]?.text;
        if (nameToken?.kind !== 'ident' || (after !== undefined && ![';', ',', '=', '['].includes(after))) continue;
        const struct = tokens[i + 1].text;
        into.set(nameToken.text, { name: nameToken.text, type: `struct ${struct}${pointer ? ' *' : ''}`, struct: pointer ? undefined : struct, pointer, array: after === '[', start: tokens[i].start });
      }
    }
  }

  /** Every covered call in the file, in document order. */
  coveredCalls(): CallSite[] {
    this.allCallsCache ??= collectCalls(this.language, this.text, this.tree.rootNode, (name) => this.kb.functions.has(name));
    return this.allCallsCache;
  }

  declaration(scope: Scope, name: string): Declaration | undefined {
    return scope.declarations.get(name) ?? this.globals.get(name);
  }
}
