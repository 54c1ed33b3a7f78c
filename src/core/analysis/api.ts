/** The analysis API's public types (see index.ts for the functions). */
import type { Tree } from 'web-tree-sitter';
import type { KnowledgeBase, Lang } from '../knowledge/schema';
import type { TextSpan, TreeCache } from '../parsing/treeCache';
import type { StaticDiagnostic } from '../diagnostics/types';
import type { PortArgument } from './ports';
import type { SocketModel } from './sockets';
import type { TargetKind } from './target';
import type { SourceRange } from './text';

/**
 * The text, or a parsed version of it. A TreeCache's CachedDocument fits: with its `uri`, `version` and `edit`,
 * the analysis of an edited version reuses what the previous version's analysis knew outside the edit.
 */
export type DocumentInput =
  | string
  | { text: string; tree?: Tree; uri?: string; version?: number; edit?: TextSpan & { fromVersion: number }; parsed?: boolean; parseSoon?(): void };

export interface Explanation {
  kind: TargetKind;
  name: string;
  markdown: string;
  /** What the hover applies to (the word, the argument or the call name), 0-based. */
  range: SourceRange;
  /** When `markdown` holds only the essentials (a call's card): the link label and the full card (rendered on first read). */
  more?: { label: string; readonly markdown: string };
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
  /**
   * For a large cached document not parsed yet (the first hover after opening it), answers like explainAround()
   * and schedules the full parse for when the event loop is idle, so a hover never waits for a whole-file parse.
   */
  explainAt(doc: DocumentInput, line: number, character: number, lang?: Lang): Explanation | undefined;
  /**
   * explainAt() for a document without a tree yet (the first hover after opening a large file): parses only
   * the function around the line (~1 ms). Same answer except for facts outside that function (file-scope
   * variables); callers should switch to explainAt() with the cached full tree once it exists.
   */
  explainAround(text: string, line: number, character: number, lang?: Lang): Explanation | undefined;
  /**
   * Analyses the document's functions ahead of hovers, for about `budgetMs` per call (at least one function
   * when `budgetMs` > 0, which may run past it; none at 0), resuming where the last call on the same version stopped. True once every function is ready;
   * false while work remains (call again on a later idle turn; a document not parsed yet gets its whole-file
   * parse scheduled instead). A newer version starts afresh, so callers simply stop calling for the old one.
   */
  prepare(doc: DocumentInput, budgetMs: number): boolean;
  socketsAt(doc: DocumentInput, line: number, character: number): SocketModel | undefined;
  findPortArgument(doc: DocumentInput): PortArgument | undefined;
  misspellings(doc: DocumentInput): Misspelled[];
  /**
   * Runs the diagnostic rules over the document's functions for about `budgetMs` (at least one function),
   * resuming where the last call on the same version stopped; true once all are done. An editor calls
   * prepare() and then this in idle slices, and diagnose() once it is true (which then only puts the findings
   * into words).
   */
  diagnoseSlice(doc: DocumentInput, budgetMs: number): boolean;
  /** The static diagnostics of the whole document (src/core/diagnostics), in document order. */
  diagnose(doc: DocumentInput, lang?: Lang): StaticDiagnostic[];
  createTreeCache(maxTrees?: number): TreeCache;
  /**
   * Compiles the queries and hovers over a sample program a few times, so the first real hovers do not pay for
   * it. The first explainAt() runs the same warm-up in small slices on the idle event loop.
   */
  warmUp(): void;
}
