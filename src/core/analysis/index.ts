/**
 * SockLens analysis core — the public API (vscode-free; used by the extension's hovers and by the CLI).
 *
 *   const analyzer = await createAnalyzer();          // loads the WASM parser once; never rejects
 *   analyzer.available                                 // false if the WASM could not load (see loadError)
 *   analyzer.listCalls(doc, lang?)                     // every covered call: name, position, args with meaning/value
 *   analyzer.explainAt(doc, line0, character0, lang?)  // { kind, name, markdown, range } | undefined; kind is one of
 *                                                      // function | argument | constant | field | socket | address | type | misspelling
 *   analyzer.socketsAt(doc, line0, character0)         // the socket tracker of the enclosing function
 *   analyzer.findPortArgument(doc)                     // { argIndex, line, usage? } when the port comes from argv[N]
 *   analyzer.misspellings(doc)                         // [{ wrong, right, range }]: AF_DGFAM → SOCK_DGRAM, SOCK_RAM → SOCK_RAW
 *   analyzer.createTreeCache(maxTrees?)                // per-document incremental tree cache (LRU, frees WASM trees)
 *   analyzer.warmUp()                                  // compile queries ahead of the first hover (~100 ms, once)
 *
 * `doc` is the text, or `{ text, tree }` with a tree from the TreeCache (the cache's CachedDocument fits).
 * Positions are 0-based lines and UTF-16 characters, exactly like VS Code's `Position`.
 * Huge (> MAX_SOURCE_CHARS) or binary text gets no tree and therefore `[]` / `undefined`, never an exception.
 * `findPortArgument(text)` is also exported standalone (async) for the runner.
 */
import type { Tree } from 'web-tree-sitter';
import { knowledgeBase } from '../knowledge/loader';
import type { KnowledgeBase, Lang } from '../knowledge/schema';
import { loadCParser, parserLoadError, type CParser } from '../parsing/parser';
import { TreeCache } from '../parsing/treeCache';
import type { CallSite, Value } from './model';
import { memberPath } from './expr';
import { findPortArgumentIn, type PortArgument } from './ports';
import { addressCard, argumentCard, constantCard, fieldCard, functionCard, misspellingCard, socketCard, typeCard, type AddressFacts, type CardContext } from './render/cards';
import { endpointText, valueText } from './render/values';
import { FileAnalysis, type Scope } from './scope';
import { buildSocketModel, type SocketModel } from './sockets';
import { targetAt, type Target, type TargetKind } from './target';
import type { SourceRange } from './text';
import { correctSpelling } from './spelling';
import { tokenize } from './tokens';
import { Resolver } from './values';

export { TreeCache, type CachedDocument, type ContentChange } from '../parsing/treeCache';
export { MAX_SOURCE_CHARS, checkSource } from '../parsing/limits';
export type { SocketModel, TrackedSocket, SocketEvent } from './sockets';
export type { PortArgument } from './ports';
export type { TargetKind } from './target';
export type { Position, SourceRange } from './text';

export type DocumentInput = string | { text: string; tree?: Tree };

export interface Explanation {
  kind: TargetKind;
  name: string;
  markdown: string;
  /** What the hover applies to (the word, the argument or the call name), 0-based. */
  range: SourceRange;
}

export interface ArgumentSummary {
  text: string;
  /** The parameter's name in the signature (undefined for extra arguments). */
  param?: string;
  meaning?: string;
  value?: string;
}

/** A misspelled socket constant in the code (for diagnostics). */
export interface Misspelled {
  wrong: string;
  right: string;
  range: SourceRange;
}

export interface CallSummary {
  name: string;
  /** 0-based position of the call's name. */
  line: number;
  character: number;
  range: SourceRange;
  summary: string;
  args: ArgumentSummary[];
  /** Found by the fallback scan of half-typed code rather than in the syntax tree. */
  recovered: boolean;
}

export interface Analyzer {
  readonly available: boolean;
  readonly loadError?: string;
  readonly kb: KnowledgeBase;
  /** The last unexpected exception a query swallowed (queries never throw; they answer "nothing"). */
  readonly lastFailure: Error | undefined;
  listCalls(doc: DocumentInput, lang?: Lang): CallSummary[];
  explainAt(doc: DocumentInput, line: number, character: number, lang?: Lang): Explanation | undefined;
  socketsAt(doc: DocumentInput, line: number, character: number): SocketModel | undefined;
  findPortArgument(doc: DocumentInput): PortArgument | undefined;
  misspellings(doc: DocumentInput): Misspelled[];
  createTreeCache(maxTrees?: number): TreeCache;
  /** Compiles the queries and runs one small analysis, so the first real hover does not pay for it. */
  warmUp(): void;
}

interface ScopeTools {
  resolver: Resolver;
  sockets: SocketModel;
}

class SockLensAnalyzer implements Analyzer {
  private readonly analyses = new WeakMap<Tree, FileAnalysis>();
  private readonly tools = new WeakMap<Scope, ScopeTools>();
  /** listCalls() results per analysed tree and language (code lenses ask again on every refresh). */
  private readonly summaries = new WeakMap<FileAnalysis, Partial<Record<Lang, CallSummary[]>>>();
  lastFailure: Error | undefined;
  /** The last plain-text input and its tree, so repeated calls on one text parse it once. */
  private lastText: { text: string; tree: Tree | undefined } | undefined;

  constructor(
    private readonly parser: CParser | undefined,
    readonly kb: KnowledgeBase,
    readonly loadError?: string,
  ) {}

  get available(): boolean {
    return this.parser !== undefined;
  }

  createTreeCache(maxTrees?: number): TreeCache {
    return new TreeCache(this.parser ?? { parse: () => undefined }, maxTrees);
  }

  /**
   * The API boundary: a hover must never fail, so an unexpected exception (a bug, or a tree the caller already
   * deleted) answers "nothing to explain" and is kept in `lastFailure` for diagnostics and tests.
   */
  private guard<T>(fallback: T, run: () => T): T {
    try {
      return run();
    } catch (err) {
      this.lastFailure = err instanceof Error ? err : new Error(String(err));
      return fallback;
    }
  }

  warmUp(): void {
    this.guard(undefined, () => this.warmUpUnguarded());
  }

  private warmUpUnguarded(): void {
    if (!this.parser) return;
    const sample = 'int main(void) {\n  int s = socket(AF_INET, SOCK_STREAM, 0);\n  struct sockaddr_in a;\n  a.sin_port = htons(1);\n  bind(s, (struct sockaddr *)&a, sizeof a);\n}\n';
    const tree = this.parser.parse(sample);
    if (!tree) return;
    this.explainAt({ text: sample, tree }, 4, 3);
    this.findPortArgument({ text: sample, tree });
    tree.delete();
  }

  private analysis(doc: DocumentInput): FileAnalysis | undefined {
    if (!this.parser) return undefined;
    const text = typeof doc === 'string' ? doc : doc.text;
    let tree = typeof doc === 'string' ? undefined : doc.tree;
    if (!tree) {
      if (this.lastText?.text !== text) {
        this.lastText?.tree?.delete();
        this.lastText = { text, tree: this.parser.parse(text) };
      }
      tree = this.lastText.tree;
    }
    if (!tree) return undefined;
    let analysis = this.analyses.get(tree);
    if (!analysis) {
      analysis = new FileAnalysis(this.kb, this.parser.language, text, tree);
      this.analyses.set(tree, analysis);
    }
    return analysis;
  }

  private scopeTools(file: FileAnalysis, scope: Scope): ScopeTools {
    let tools = this.tools.get(scope);
    if (!tools) {
      const resolver = new Resolver(file, scope);
      const sockets = buildSocketModel(this.kb, scope, resolver, (offset) => file.lines.positionAt(offset).line);
      resolver.socketRoleOf = (variable) => sockets.roleOf(variable);
      tools = { resolver, sockets };
      this.tools.set(scope, tools);
    }
    return tools;
  }

  private argValue(file: FileAnalysis, call: CallSite, index: number): Value {
    const arg = call.args[index];
    if (!arg) return { kind: 'unknown' };
    const { resolver } = this.scopeTools(file, file.scopeAt(call.nameStart));
    const value = resolver.resolve(arg.expr, call.start);
    if ((call.name === 'htons' || call.name === 'ntohs') && index === 0 && value.kind !== 'misspelled') {
      return { kind: 'port', port: resolver.portOf(arg.expr, call.start), via: 'via' in value ? value.via : undefined };
    }
    return value;
  }

  listCalls(doc: DocumentInput, lang: Lang = 'en'): CallSummary[] {
    return this.guard([], () => this.listCallsUnguarded(doc, lang));
  }

  private listCallsUnguarded(doc: DocumentInput, lang: Lang): CallSummary[] {
    const file = this.analysis(doc);
    if (!file) return [];
    const cached = this.summaries.get(file)?.[lang];
    if (cached) return cached;
    const summaries = this.summarize(file, lang);
    this.summaries.set(file, { ...this.summaries.get(file), [lang]: summaries });
    return summaries;
  }

  private summarize(file: FileAnalysis, lang: Lang): CallSummary[] {
    return file.coveredCalls().map((call) => {
      const entry = this.kb.functions.get(call.name)!;
      const position = file.lines.positionAt(call.nameStart);
      return {
        name: call.name,
        line: position.line,
        character: position.character,
        range: file.lines.range(call.nameStart, call.nameEnd),
        summary: entry[lang].summary,
        recovered: call.recovered,
        args: call.args.map((arg, i) => {
          const param = entry.params[i]?.name;
          return {
            text: arg.text,
            param,
            meaning: param ? entry[lang].params[param]?.meaning : undefined,
            value: valueText(this.argValue(file, call, i), lang),
          };
        }),
      };
    });
  }

  explainAt(doc: DocumentInput, line: number, character: number, lang: Lang = 'en'): Explanation | undefined {
    return this.guard(undefined, () => this.explainAtUnguarded(doc, line, character, lang));
  }

  private explainAtUnguarded(doc: DocumentInput, line: number, character: number, lang: Lang): Explanation | undefined {
    const file = this.analysis(doc);
    if (!file) return undefined;
    const offset = file.lines.offsetAt(line, character);
    if (offset === undefined) return undefined;
    const leaf = file.tree.rootNode.descendantForIndex(offset);
    const inComment = leaf?.type === 'comment';
    const target = targetAt(file, offset, inComment, (scope) => this.scopeTools(file, scope).sockets);
    if (!target) return undefined;
    const markdown = this.render(file, target, lang);
    return markdown === undefined ? undefined : { kind: target.kind, name: target.name, markdown, range: file.lines.range(target.start, target.end) };
  }

  private render(file: FileAnalysis, target: Target, lang: Lang): string | undefined {
    const tools = this.scopeTools(file, target.scope);
    const ctx: CardContext = {
      kb: this.kb,
      lang,
      argValue: (call, index) => this.argValue(file, call, index),
      fieldValue: (t) => this.fieldValue(file, tools, t),
    };
    switch (target.kind) {
      case 'function':
        return functionCard(ctx, this.kb.functions.get(target.name)!, target.call);
      case 'argument':
        return argumentCard(ctx, this.kb.functions.get(target.call!.name)!, target.call!, target.argIndex!);
      case 'constant':
        return constantCard(ctx, target);
      case 'field':
        return fieldCard(ctx, target);
      case 'type':
        return typeCard(ctx, target);
      case 'misspelling':
        return misspellingCard(ctx, target);
      case 'address':
        return addressCard(ctx, target.name, this.addressFacts(file, tools, target, lang));
      case 'socket': {
        const socket = tools.sockets.get(target.name);
        return socket ? socketCard(ctx, socket) : undefined;
      }
    }
  }

  /** A sockaddr variable: the first bind/connect/sendto that uses it, the address it holds then, where it is filled. */
  private addressFacts(file: FileAnalysis, tools: ScopeTools, target: Target, lang: Lang): AddressFacts {
    const { scope } = target;
    const struct = file.declaration(scope, target.name)?.struct ?? 'sockaddr';
    const uses = (call: CallSite): boolean => call.args.some((a) => memberPath(a.expr)?.root === target.name);
    const user = scope.calls.find((c) => ['bind', 'connect', 'sendto'].includes(c.name) && uses(c));
    const endpoint = endpointText(tools.resolver.endpointOf(target.name, user?.start ?? scope.end), lang);
    const lineOf = (offset: number): number => file.lines.positionAt(offset).line + 1;
    const filledOn = [
      ...scope.assignments.filter((a) => a.root === target.name && a.path.length > 0).map((a) => lineOf(a.start)),
      ...scope.calls.filter((c) => ['inet_pton', 'inet_aton', 'memset', 'bzero'].includes(c.name) && uses(c)).map((c) => lineOf(c.nameStart)),
    ];
    return {
      struct,
      bytes: this.kb.structs.get(struct)?.size,
      endpoint,
      usedBy: user ? { call: user.name, line: lineOf(user.nameStart) } : undefined,
      filledOn: [...new Set(filledOn)].sort((a, b) => a - b),
    };
  }

  /** `serv_addr.sin_port = htons(9190)` with the cursor on sin_port → port 9190. */
  private fieldValue(file: FileAnalysis, tools: ScopeTools, target: Target): Value | undefined {
    const owner = target.fieldOwner?.split(/\.|->/) ?? [];
    const path = [...owner.slice(1), target.name];
    const line = file.lines.positionAt(target.start).line;
    const assignment = target.scope.assignments.find(
      (a) => a.root === owner[0] && a.path.join('.') === path.join('.') && file.lines.positionAt(a.start).line === line,
    );
    return assignment ? tools.resolver.resolve(assignment.value, assignment.start) : undefined;
  }

  socketsAt(doc: DocumentInput, line: number, character: number): SocketModel | undefined {
    return this.guard(undefined, () => this.socketsAtUnguarded(doc, line, character));
  }

  private socketsAtUnguarded(doc: DocumentInput, line: number, character: number): SocketModel | undefined {
    const file = this.analysis(doc);
    const offset = file?.lines.offsetAt(line, character);
    if (!file || offset === undefined) return undefined;
    return this.scopeTools(file, file.scopeAt(offset)).sockets;
  }

  misspellings(doc: DocumentInput): Misspelled[] {
    return this.guard([], () => this.misspellingsUnguarded(doc));
  }

  private misspellingsUnguarded(doc: DocumentInput): Misspelled[] {
    const file = this.analysis(doc);
    if (!file) return [];
    const found: Misspelled[] = [];
    for (const token of tokenize(file.text)) {
      if (token.kind !== 'ident' || file.macros.has(token.text) || file.enums.has(token.text)) continue;
      const right = correctSpelling(this.kb, token.text);
      if (right) found.push({ wrong: token.text, right, range: file.lines.range(token.start, token.end) });
    }
    return found;
  }

  findPortArgument(doc: DocumentInput): PortArgument | undefined {
    return this.guard(undefined, () => this.findPortArgumentUnguarded(doc));
  }

  private findPortArgumentUnguarded(doc: DocumentInput): PortArgument | undefined {
    const file = this.analysis(doc);
    return file ? findPortArgumentIn(file, (scope) => this.scopeTools(file, scope).resolver) : undefined;
  }
}

let shared: Promise<Analyzer> | undefined;

/**
 * The analyzer, created once per process (the WASM parser loads on first call). Never rejects: if the
 * parser cannot load, `available` is false and every query answers "nothing to explain".
 */
export function createAnalyzer(kb?: KnowledgeBase): Promise<Analyzer> {
  if (kb) return loadCParser().then((parser) => new SockLensAnalyzer(parser, kb, parserLoadError()));
  shared ??= loadCParser().then((parser) => new SockLensAnalyzer(parser, knowledgeBase(), parserLoadError()));
  return shared;
}

/** For the runner: where the program in `source` takes its port from (argv index), if it does. */
export async function findPortArgument(source: string): Promise<PortArgument | undefined> {
  return (await createAnalyzer()).findPortArgument(source);
}
