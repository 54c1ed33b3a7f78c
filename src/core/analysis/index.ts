/**
 * SockLens analysis core — the public API (vscode-free; used by the extension's hovers and by the CLI).
 *
 *   const analyzer = await createAnalyzer();          // loads the WASM parser once; never rejects
 *   analyzer.available                                 // false if the WASM could not load (see loadError)
 *   analyzer.listCalls(doc, lang?)                     // every covered call: name, position, args with meaning/value
 *   analyzer.explainAt(doc, line0, character0, lang?)  // { kind, name, markdown, range, more? } | undefined; kind is one of
 *                                                      // function | argument | constant | field | socket | address | type |
 *                                                      // misspelling | errno | variable; more: a call's full card
 *                                                      // (a large cache entry not parsed yet: answered like explainAround,
 *                                                      // whole-file parse scheduled for the idle event loop)
 *   analyzer.explainAround(text, line0, character0, lang?) // explainAt for a file not parsed yet: parses only the
 *                                                      // function around the line (~1 ms), for the very first hover
 *   analyzer.prepare(doc, budgetMs)                    // analyse the remaining functions for ~budgetMs (idle slices);
 *                                                      // true when all are ready, false: call again on a later idle turn
 *   analyzer.socketsAt(doc, line0, character0)         // the socket tracker of the enclosing function
 *   analyzer.findPortArgument(doc)                     // { argIndex, line, usage? } when the port comes from argv[N]
 *   analyzer.diagnoseSlice(doc, budgetMs)              // runs the diagnostic rules in idle slices; true when done
 *   analyzer.diagnose(doc, lang?)                      // static diagnostics SL1xx (src/core/diagnostics, docs/diagnostics.md)
 *   analyzer.misspellings(doc)                         // [{ wrong, right, range }]: AF_DGFAM → SOCK_DGRAM, SOCK_RAM → SOCK_RAW
 *   analyzer.createTreeCache(maxTrees?)                // per-document incremental tree cache (LRU, frees WASM trees);
 *                                                      // cache.get(uri, version, () => text) parses lazily, cache.update()
 *                                                      // reparses incrementally and records the edit so the analysis of
 *                                                      // the new version reuses the old one's line index and macros
 *   analyzer.warmUp()                                  // compile queries and warm V8 up ahead of the first hovers (once,
 *                                                      // ~0.2-0.9 s; the first explainAt() also runs it in idle slices)
 *
 * `doc` is the text, or `{ text, tree }` with a tree from the TreeCache (the cache's CachedDocument fits).
 * Positions are 0-based lines and UTF-16 characters, exactly like VS Code's `Position`.
 * Huge (> MAX_SOURCE_CHARS) or binary text gets no tree and therefore `[]` / `undefined`, never an exception.
 * `findPortArgument(text)` is also exported standalone (async) for the runner.
 */
import { knowledgeBase } from '../knowledge/loader';
import type { KnowledgeBase } from '../knowledge/schema';
import { loadCParser, parserLoadError } from '../parsing/parser';
import type { Analyzer } from './api';
import { SockLensAnalyzer } from './analyzer';
import type { PortArgument } from './ports';

export { TreeCache, type CachedDocument, type ContentChange } from '../parsing/treeCache';
export { MAX_SOURCE_CHARS, checkSource } from '../parsing/limits';
export type { SocketModel, TrackedSocket, SocketEvent } from './sockets';
export type { PortArgument } from './ports';
export type { TargetKind } from './target';
export type { Position, SourceRange } from './text';

export type { StaticDiagnostic, DiagnosticFix, TextEdit } from '../diagnostics';
export type { Analyzer, ArgumentSummary, CallSummary, DocumentInput, Explanation, Misspelled } from './api';

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
