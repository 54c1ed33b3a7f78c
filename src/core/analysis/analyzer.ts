/** The analyzer behind the public API: caches analyses per tree and scope tools per scope, renders cards. */
import type { Tree } from 'web-tree-sitter';
import type { KnowledgeBase, Lang } from '../knowledge/schema';
import type { CParser } from '../parsing/parser';
import { DEFAULT_MAX_TREES, TreeCache } from '../parsing/treeCache';
import { describe, functionFindings, inDocumentOrder, misspellingFindings, type DiagnosticsInput, type Finding, type StaticDiagnostic } from '../diagnostics';
import type { Analyzer, CallSummary, DocumentInput, Explanation, Misspelled } from './api';
import { baseVariable, memberPath } from './expr';
import type { CallSite, Value } from './model';
import { findPortArgumentIn, type PortArgument } from './ports';
import { callCardEssentials, callCardFull } from './render/callCard';
import { addressCard, argumentCard, constantCard, fieldCard, misspellingCard, socketCard, typeCard, type AddressFacts, type CardContext } from './render/cards';
import { errnoCard, variableCard, type CallUse } from './render/nameCards';
import { t } from './render/ui';
import { endpointText, valueText } from './render/values';
import { FileAnalysis, type PreviousVersion, type Scope } from './scope';
import { buildSocketModel, type SocketModel } from './sockets';
import { correctSpelling } from './spelling';
import { targetAt, type Target } from './target';
import { tokenize } from './tokens';
import { asUnsigned, Resolver } from './values';

/**
 * Below this size (a textbook example) a whole-file parse costs about a millisecond, so even the first hover
 * uses the full tree and sees file-scope variables. Above it the first hover parses only the function around
 * it: a whole-file parse is tens of milliseconds, and hundreds while V8 is still compiling the parser's WASM.
 */
const AROUND_MIN_CHARS = 8 * 1024;

/** A textbook server and client: what warmUp() hovers over. */
const WARM_UP_SAMPLE = `#define PORT 9190
int main(int argc, char *argv[]) {
  int s = socket(AF_INET, SOCK_STREAM, 0), c;
  struct sockaddr_in a, peer;
  socklen_t size = sizeof(peer);
  memset(&a, 0, sizeof(a));
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_ANY);
  a.sin_port = htons(argc > 1 ? atoi(argv[1]) : PORT);
  setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &size, sizeof(size));
  bind(s, (struct sockaddr *)&a, sizeof(a));
  listen(s, 5);
  c = accept(s, (struct sockaddr *)&peer, &size);
  write(c, "hi", 2);
  close(c);
  close(s);
}
int client(void) {
  int s = socket(PF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in to;
  inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
  to.sin_port = htons(PORT);
  sendto(s, "x", 1, 0, (struct sockaddr *)&to, sizeof(to));
  return connect(s, (struct sockaddr *)&to, sizeof(to));
}
`;

/** `struct epoll_event []` → epoll_event, `const char *` → char: the struct or type name a declaration is built on. */
function baseType(type: string): string {
  return type.replace(/\[[^\]]*\]|\*/g, ' ').replace(/\b(const|volatile|struct|union)\b/g, ' ').replace(/\s+/g, ' ').trim();
}

/** Calls listed on a variable's card. */
const MAX_USES = 6;

/** Each round parses afresh (a new analysis), so the scope-building paths run every round too. */
const WARM_UP_ROUNDS = 3;

interface FindingsProgress {
  /** Where the next top-level item starts. */
  offset: number;
  found: Finding[];
  done: boolean;
}

interface ScopeTools {
  resolver: Resolver;
  sockets: SocketModel;
}

export class SockLensAnalyzer implements Analyzer {
  private readonly analyses = new WeakMap<Tree, FileAnalysis>();
  private readonly tools = new WeakMap<Scope, ScopeTools>();
  /** The newest analysis per document uri, which the analysis of its next edited version builds on. */
  private readonly latest = new Map<string, { version: number; analysis: FileAnalysis }>();
  /** listCalls() results per analysed tree and language (code lenses ask again on every refresh). */
  private readonly summaries = new WeakMap<FileAnalysis, Partial<Record<Lang, CallSummary[]>>>();
  /** Findings gathered so far per analysed tree (diagnoseSlice() resumes them). */
  private readonly findings = new WeakMap<FileAnalysis, FindingsProgress>();
  /** diagnose() results per analysed tree and language. */
  private readonly diagnostics = new WeakMap<FileAnalysis, Partial<Record<Lang, StaticDiagnostic[]>>>();
  lastFailure: Error | undefined;
  private warmedUp = false;
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
    this.warmedUp = true;
    for (const step = this.warmUpSteps(); !this.guard(true, () => step.next().done === true); );
  }

  /**
   * The first query of any kind schedules the warm-up for the idle event loop, one sample line per turn (a
   * few milliseconds each), so the first real hovers skip it and no hover waits long behind it.
   */
  private warmUpSoon(): void {
    if (this.warmedUp) return;
    this.warmedUp = true;
    const step = this.warmUpSteps();
    const next = (): void => {
      if (!this.guard(true, () => step.next().done === true)) setImmediate(next).unref();
    };
    // unref: a CLI process must not stay alive for it.
    setImmediate(next).unref();
  }

  /**
   * Every word of the sample, in both languages, a few rounds: compiles the queries and lets V8 optimise the
   * hover paths while the editor is idle, instead of during the user's first few dozen hovers.
   */
  private *warmUpSteps(): Generator<void> {
    if (!this.parser) return;
    const lines = WARM_UP_SAMPLE.split('\n');
    for (let round = 0; round < WARM_UP_ROUNDS; round++) {
      const tree = this.parser.parse(WARM_UP_SAMPLE);
      if (!tree) return;
      try {
        const doc = { text: WARM_UP_SAMPLE, tree };
        for (let line = 0; line < lines.length; line++) {
          for (const word of lines[line].matchAll(/\b\w/g)) for (const lang of ['en', 'ko'] as const) this.explainAt(doc, line, word.index!, lang);
          yield;
        }
        this.findPortArgument(doc);
      } finally {
        tree.delete();
      }
    }
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
      analysis = new FileAnalysis(this.kb, this.parser.language, text, tree, typeof doc === 'string' ? undefined : this.previousVersion(doc));
      this.analyses.set(tree, analysis);
      if (typeof doc !== 'string' && doc.uri !== undefined && doc.version !== undefined) this.remember(doc.uri, doc.version, analysis);
    }
    return analysis;
  }

  /** The analysis of the version a cached document was edited from, when this analyzer has it. */
  private previousVersion(doc: Exclude<DocumentInput, string>): PreviousVersion | undefined {
    const latest = doc.uri === undefined ? undefined : this.latest.get(doc.uri);
    if (!doc.edit || !latest || latest.version !== doc.edit.fromVersion) return undefined;
    return { analysis: latest.analysis, edit: doc.edit };
  }

  private remember(uri: string, version: number, analysis: FileAnalysis): void {
    this.latest.delete(uri);
    this.latest.set(uri, { version, analysis });
    if (this.latest.size > DEFAULT_MAX_TREES) this.latest.delete(this.latest.keys().next().value as string);
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

  prepare(doc: DocumentInput, budgetMs: number): boolean {
    return this.guard(true, () => this.prepareUnguarded(doc, budgetMs));
  }

  private prepareUnguarded(doc: DocumentInput, budgetMs: number): boolean {
    if (typeof doc !== 'string' && doc.parsed === false && doc.text.length >= AROUND_MIN_CHARS) {
      // A large file's whole-file parse is longer than any slice: it gets its own idle turn, the slices come after.
      doc.parseSoon?.();
      return false;
    }
    const file = this.analysis(doc);
    if (!file) return true;
    const deadline = performance.now() + budgetMs;
    // Up to the last top-level item: an offset past it (trailing blank lines) has no scope but the whole file.
    const end = file.tree.rootNode.lastChild?.endIndex ?? 0;
    if (budgetMs <= 0) return file.preparedUpTo >= end;
    // At least one item per call, however small the budget, so that repeated calls always finish.
    while (file.preparedUpTo < end) {
      const { scope, next } = file.preparableAt(file.preparedUpTo);
      if (scope) this.scopeTools(file, scope);
      file.preparedUpTo = next;
      if (file.preparedUpTo < end && performance.now() >= deadline) return false;
    }
    return true;
  }

  private argValue(file: FileAnalysis, call: CallSite, index: number): Value {
    const arg = call.args[index];
    if (!arg) return { kind: 'unknown' };
    const { resolver } = this.scopeTools(file, file.scopeAt(call.nameStart));
    const value = resolver.resolve(arg.expr, call.start);
    if ((call.name === 'htons' || call.name === 'ntohs') && index === 0 && value.kind !== 'misspelled' && value.kind !== 'varies') {
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
    this.warmUpSoon();
    return this.guard(undefined, () => this.explainAtUnguarded(doc, line, character, lang));
  }

  private explainAtUnguarded(doc: DocumentInput, line: number, character: number, lang: Lang): Explanation | undefined {
    if (typeof doc !== 'string' && doc.parsed === false && doc.text.length >= AROUND_MIN_CHARS) {
      doc.parseSoon?.();
      return this.explainAround(doc.text, line, character, lang);
    }
    const file = this.analysis(doc);
    if (!file) return undefined;
    const offset = file.lines.offsetAt(line, character);
    if (offset === undefined) return undefined;
    const leaf = file.tree.rootNode.descendantForIndex(offset);
    const inComment = leaf?.type === 'comment';
    const target = targetAt(file, offset, inComment, (scope) => this.scopeTools(file, scope).sockets);
    if (!target) return undefined;
    const range = file.lines.range(target.start, target.end);
    if (target.kind === 'function') {
      const ctx = this.cardContext(file, target, lang);
      const entry = this.kb.functions.get(target.name)!;
      const markdown = callCardEssentials(ctx, entry, target.call);
      // The full card is rendered only when asked for (the "More…" link), not on every hover.
      let full: string | undefined;
      const render = (): string => this.guard('', () => callCardFull(ctx, entry, target.call));
      const more = {
        label: t(lang, 'more'),
        get markdown(): string {
          full ??= render();
          return full;
        },
      };
      return { kind: target.kind, name: target.name, markdown, range, more };
    }
    const markdown = this.render(file, target, lang);
    return markdown === undefined ? undefined : { kind: target.kind, name: target.name, markdown, range };
  }

  private cardContext(file: FileAnalysis, target: Target, lang: Lang): CardContext {
    const tools = this.scopeTools(file, target.scope);
    // A card asks for the same argument's value several times (plain words, errors, the family of socket()).
    const values = new Map<string, Value>();
    return {
      kb: this.kb,
      lang,
      argValue: (call, index) => {
        const key = `${call.nameStart}:${index}`;
        let value = values.get(key);
        if (!value) {
          value = this.argValue(file, call, index);
          values.set(key, value);
        }
        return value;
      },
      fieldValue: (t) => this.fieldValue(file, tools, t),
      fieldStruct: (t) => this.fieldStruct(file, t),
    };
  }

  private render(file: FileAnalysis, target: Target, lang: Lang): string | undefined {
    const tools = this.scopeTools(file, target.scope);
    const ctx = this.cardContext(file, target, lang);
    switch (target.kind) {
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
      case 'errno':
        return this.errnoCard(file, ctx, target);
      case 'variable':
        return this.variableCard(file, tools, ctx, target);
    }
  }

  /** The covered call before the errno name that can fail with it, else the calls of this file that can. */
  private errnoCard(file: FileAnalysis, ctx: CardContext, target: Target): string {
    const can = (call: CallSite): boolean => this.kb.functions.get(call.name)?.errors.includes(target.name) ?? false;
    let from: CallSite | undefined;
    for (const call of target.scope.calls) if (call.nameStart < target.start && can(call)) from = call;
    const others = [...new Set(file.coveredCalls().filter(can).map((c) => c.name))];
    return errnoCard(ctx, target.name, from && { call: from.name, line: file.lines.positionAt(from.nameStart).line + 1 }, others);
  }

  private variableCard(file: FileAnalysis, tools: ScopeTools, ctx: CardContext, target: Target): string {
    const { scope, name } = target;
    // On the left of `x = …` (or `int x = …`), the value is the one assigned there.
    const assigned = scope.assignments.find((a) => a.start === target.start && a.root === name && a.path.length === 0);
    const value = assigned ? tools.resolver.resolve(assigned.value, assigned.start) : tools.resolver.resolve({ k: 'id', name }, target.start);
    const uses: CallUse[] = [];
    for (const call of scope.calls) {
      if (!this.kb.functions.has(call.name)) continue;
      const argIndex = call.args.findIndex((a) => baseVariable(a.expr) === name);
      if (argIndex !== -1) uses.push({ call: call.name, line: file.lines.positionAt(call.nameStart).line + 1, argIndex });
    }
    return variableCard(ctx, name, file.declaration(scope, name)?.type ?? '?', value, uses.slice(0, MAX_USES));
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

  /** The struct a field belongs to, from the declared type of the variable it is reached from. */
  private fieldStruct(file: FileAnalysis, target: Target): string | undefined {
    const chain = target.fieldPath;
    if (!chain) return undefined;
    let type = file.declaration(target.scope, chain.root)?.type;
    for (const field of chain.path) type = type === undefined ? undefined : this.kb.structs.get(baseType(type))?.fields.find((f) => f.name === field)?.type;
    return type === undefined ? undefined : baseType(type);
  }

  /** `serv_addr.sin_port = htons(9190)` with the cursor on sin_port → port 9190. */
  private fieldValue(file: FileAnalysis, tools: ScopeTools, target: Target): Value | undefined {
    const owner = target.fieldOwner?.split(/\.|->/) ?? [];
    const path = [...owner.slice(1), target.name];
    const line = file.lines.positionAt(target.start).line;
    const assignment = target.scope.assignments.find(
      (a) => a.root === owner[0] && a.path.join('.') === path.join('.') && file.lines.positionAt(a.start).line === line,
    );
    if (!assignment) return undefined;
    const network = target.name === 's_addr' ? 'address' : target.name === 'sin_port' || target.name === 'sin6_port' ? 'port' : undefined;
    const value = (network && tools.resolver.networkField(assignment.value, assignment.start, network)) || tools.resolver.resolve(assignment.value, assignment.start);
    return asUnsigned(value, this.fieldType(file, target));
  }

  private fieldType(file: FileAnalysis, target: Target): string | undefined {
    const owners = this.kb.fields.get(target.name) ?? [];
    const declared = this.fieldStruct(file, target);
    return (owners.find((o) => o.struct.name === declared) ?? owners[0])?.field.type;
  }

  explainAround(text: string, line: number, character: number, lang: Lang = 'en'): Explanation | undefined {
    const tree = this.guard(undefined, () => this.parser?.parseAround(text, line));
    if (!tree) return undefined;
    try {
      const explanation = this.explainAt({ text, tree }, line, character, lang);
      // The full card reads the tree deleted below: render it now.
      void explanation?.more?.markdown;
      return explanation;
    } finally {
      tree.delete();
    }
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
    return file ? this.misspelledIn(file, 0, file.text.length) : [];
  }

  /** The misspelled socket constants in [from, to) of the file's text. */
  private misspelledIn(file: FileAnalysis, from: number, to: number): Misspelled[] {
    const found: Misspelled[] = [];
    for (const token of tokenize(file.text, from, to)) {
      if (token.kind !== 'ident' || file.macros.has(token.text) || file.enums.has(token.text)) continue;
      const right = correctSpelling(this.kb, token.text);
      if (right) found.push({ wrong: token.text, right, range: file.lines.range(token.start, token.end) });
    }
    return found;
  }

  diagnoseSlice(doc: DocumentInput, budgetMs: number): boolean {
    return this.guard(true, () => {
      const file = this.analysis(doc);
      return file ? this.collectFindings(file, budgetMs).done : true;
    });
  }

  diagnose(doc: DocumentInput, lang: Lang = 'en'): StaticDiagnostic[] {
    return this.guard([], () => {
      const file = this.analysis(doc);
      if (!file) return [];
      const cached = this.diagnostics.get(file)?.[lang];
      if (cached) return cached;
      const { found } = this.collectFindings(file, Infinity);
      const input = this.diagnosticsInput(file);
      const described = found.map((f) => describe(input, f, lang));
      this.diagnostics.set(file, { ...this.diagnostics.get(file), [lang]: described });
      return described;
    });
  }

  /** What the rules read (the misspellings are gathered per top-level item by collectFindings()). */
  private diagnosticsInput(file: FileAnalysis): DiagnosticsInput {
    return {
      kb: this.kb,
      text: file.text,
      macros: file.macros,
      misspellings: [],
      offsetOf: (p) => file.lines.offsetAt(p.line, p.character) ?? 0,
      rangeOf: (start, end) => file.lines.range(start, end),
    };
  }

  /** The findings of the file, gathered one top-level item at a time for about `budgetMs`, then resumed. */
  private collectFindings(file: FileAnalysis, budgetMs: number): FindingsProgress {
    let progress = this.findings.get(file);
    if (!progress) {
      progress = { offset: 0, found: [], done: false };
      this.findings.set(file, progress);
    }
    if (progress.done) return progress;
    const deadline = performance.now() + budgetMs;
    const input = this.diagnosticsInput(file);
    const end = file.tree.rootNode.lastChild?.endIndex ?? 0;
    while (progress.offset < end) {
      const { scope, next } = file.preparableAt(progress.offset);
      if (scope) progress.found.push(...functionFindings(input, { scope, ...this.scopeTools(file, scope) }));
      progress.found.push(...misspellingFindings({ ...input, misspellings: this.misspelledIn(file, progress.offset, Math.min(next, end)) }));
      progress.offset = next;
      if (progress.offset < end && performance.now() >= deadline) return progress;
    }
    progress.found = inDocumentOrder(progress.found);
    progress.done = true;
    return progress;
  }

  findPortArgument(doc: DocumentInput): PortArgument | undefined {
    return this.guard(undefined, () => this.findPortArgumentUnguarded(doc));
  }

  private findPortArgumentUnguarded(doc: DocumentInput): PortArgument | undefined {
    const file = this.analysis(doc);
    return file ? findPortArgumentIn(file, (scope) => this.scopeTools(file, scope).resolver) : undefined;
  }
}
