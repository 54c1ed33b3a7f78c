import type { Language, Node, Tree } from 'web-tree-sitter';
import type { KnowledgeBase } from '../knowledge/schema';
import { runQuery } from '../parsing/queries';
import { collectCalls } from './calls';
import { memberPath, parseExpression, parseNumber } from './expr';
import type { Assignment, CallSite, Declaration } from './model';
import { LineIndex } from './text';

/** Calls the analysis needs besides the covered functions: where ports, addresses and usage text come from. */
const HELPER_CALLS = new Set(['atoi', 'atol', 'strtol', 'strtoul', 'memset', 'bzero', 'printf', 'fprintf', 'puts', 'fputs', 'snprintf']);

/** One function body (or one top-level item outside any function) and the facts gathered in it. */
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
}

function declaratorParts(node: Node): { name?: string; pointer: boolean; array: boolean } {
  let pointer = false;
  let array = false;
  let current: Node | null = node;
  while (current && current.type !== 'identifier' && current.type !== 'field_identifier') {
    if (current.type === 'pointer_declarator' || current.type === 'abstract_pointer_declarator') pointer = true;
    if (current.type === 'array_declarator') array = true;
    current = current.childForFieldName('declarator');
  }
  return { name: current?.text, pointer, array };
}

function readDeclarations(language: Language, node: Node, into: Map<string, Declaration>): void {
  for (const captures of runQuery(language, 'declarations', node)) {
    const typeNode = captures.get('decl.type')!;
    const { name, pointer, array } = declaratorParts(captures.get('decl.declarator')!);
    if (!name || name === '') continue;
    const struct = typeNode.type === 'struct_specifier' && !pointer && !array ? typeNode.childForFieldName('name')?.text : undefined;
    const written = typeNode.text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, ' ').replace(/\s+/g, ' ').trim();
    const type = `${written}${pointer ? ' *' : ''}${array ? ' []' : ''}`;
    into.set(name, { name, type, struct, pointer, array, start: captures.get('decl')!.startIndex });
  }
}

function readAssignments(language: Language, node: Node): Assignment[] {
  const assignments: Assignment[] = [];
  for (const captures of runQuery(language, 'assignments', node)) {
    const target = memberPath(parseExpression(captures.get('assign.target')!.text));
    const valueNode = captures.get('assign.value')!;
    if (!target) continue;
    assignments.push({ ...target, value: parseExpression(valueNode.text), valueText: valueNode.text, start: captures.get('assign')!.startIndex });
  }
  return assignments.sort((a, b) => a.start - b.start);
}

/** Everything the analysis knows about one parsed document; function scopes are computed on demand. */
export class FileAnalysis {
  readonly lines: LineIndex;
  readonly macros = new Map<string, string>();
  readonly enums = new Map<string, number>();
  readonly globals = new Map<string, Declaration>();
  private readonly scopes = new Map<number, Scope>();
  private allCallsCache: CallSite[] | undefined;

  constructor(
    readonly kb: KnowledgeBase,
    readonly language: Language,
    readonly text: string,
    readonly tree: Tree,
  ) {
    this.lines = new LineIndex(text);
    this.readTopLevel(tree.rootNode);
  }

  /** Names of calls worth collecting: every covered function plus the helpers. */
  readonly wanted = (name: string): boolean => this.kb.functions.has(name) || HELPER_CALLS.has(name);

  private readTopLevel(root: Node): void {
    for (const child of root.children) {
      if (!child) continue;
      if (child.type.startsWith('preproc_') || child.type === 'declaration' || child.type === 'type_definition' || child.type === 'enum_specifier') {
        this.readMacros(child);
      }
      if (child.type === 'declaration') readDeclarations(this.language, child, this.globals);
    }
  }

  private readMacros(node: Node): void {
    let nextEnum = 0;
    for (const captures of runQuery(this.language, 'macros', node)) {
      const macro = captures.get('macro.name');
      if (macro) {
        this.macros.set(macro.text, captures.get('macro.value')!.text.trim());
        continue;
      }
      const name = captures.get('enum.name');
      if (!name) continue;
      const valueNode = captures.get('enum.value');
      if (name.parent?.previousNamedSibling === null) nextEnum = 0;
      const value = valueNode ? parseNumber(valueNode.text) ?? this.enums.get(valueNode.text) : nextEnum;
      if (value !== undefined) {
        this.enums.set(name.text, value);
        nextEnum = value + 1;
      }
    }
  }

  /** The scope (function body, else top-level item) around `offset`. */
  scopeAt(offset: number): Scope {
    const root = this.tree.rootNode;
    let node: Node | null = root.descendantForIndex(Math.max(0, Math.min(offset, this.text.length - 1)));
    let topLevel: Node | null = null;
    while (node && node.type !== 'function_definition') {
      if (node.parent && node.parent.equals(root)) topLevel = node;
      node = node.parent;
    }
    const scopeNode = node ?? topLevel ?? root;
    const cached = this.scopes.get(scopeNode.startIndex);
    if (cached && cached.end === scopeNode.endIndex) return cached;
    const scope = this.buildScope(scopeNode);
    this.scopes.set(scope.key, scope);
    return scope;
  }

  private buildScope(node: Node): Scope {
    const declarations = new Map<string, Declaration>();
    readDeclarations(this.language, node, declarations);
    const functionName =
      node.type === 'function_definition' ? runQuery(this.language, 'functions', node)[0]?.get('function.name')?.text : undefined;
    return {
      key: node.startIndex,
      functionName,
      start: node.startIndex,
      end: node.endIndex,
      calls: collectCalls(this.language, this.text, node, this.wanted),
      declarations,
      assignments: readAssignments(this.language, node),
    };
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
