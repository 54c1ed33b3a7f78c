import * as vscode from 'vscode';
import type { Analyzer, CachedDocument, TreeCache } from '../core/analysis';
import { loadEngine } from './loadEngine';

/** Work per idle turn when analysing a document's functions ahead of hovers; a hover waits at most this long. */
const PREPARE_SLICE_MS = 4;

/** The analysis core once its WASM parser has loaded, with the tree cache of open C documents. */
export interface Engine {
  readonly analyzer: Analyzer;
  readonly cache: TreeCache;
}

export function isCDocument(document: vscode.TextDocument): boolean {
  return document.languageId === 'c' && document.uri.scheme !== 'output';
}

/**
 * Owns the lazily loaded analysis core. Nothing loads at activation: the first hover, or the warm-up
 * scheduled when a C file opens, starts loading the WASM parser. Open C documents are kept in the core's
 * tree cache, updated incrementally from the editor's content changes and evicted when closed.
 */
export class Analysis implements vscode.Disposable {
  private loading: Promise<Engine | undefined> | undefined;
  private engine: Engine | undefined;
  private readonly subscriptions: vscode.Disposable[];
  private warmUpTimer: NodeJS.Immediate | undefined;
  private prepareTimer: NodeJS.Immediate | undefined;
  /** The document whose newest version the idle slices analyse (the last one warmed up, hovered or edited). */
  private preparing: vscode.TextDocument | undefined;

  constructor() {
    this.subscriptions = [
      vscode.workspace.onDidOpenTextDocument((d) => this.scheduleWarmUp(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.applyChanges(e)),
      vscode.workspace.onDidCloseTextDocument((d) => this.engine?.cache.delete(d.uri.toString())),
    ];
  }

  /** Loads the parser (once); undefined when the WASM cannot be loaded. */
  load(): Promise<Engine | undefined> {
    this.loading ??= (async () => {
      const analyzer = await loadEngine().createAnalyzer();
      if (!analyzer.available) {
        console.error(`SockLens: the C parser did not load (${analyzer.loadError ?? 'unknown reason'}); hovers are off`);
        return undefined;
      }
      this.engine = { analyzer, cache: analyzer.createTreeCache() };
      return this.engine;
    })().catch((err: unknown) => {
      console.error('SockLens: the analysis core failed to load', err);
      return undefined;
    });
    return this.loading;
  }

  /** The document's syntax tree for its current version (parsed now when not cached). */
  async parsed(document: vscode.TextDocument): Promise<{ engine: Engine; doc: CachedDocument } | undefined> {
    const engine = this.engine ?? (await this.load());
    if (!engine) return undefined;
    const doc = engine.cache.get(document.uri.toString(), document.version, () => document.getText());
    if (isCDocument(document)) this.schedulePrepare(document);
    return { engine, doc };
  }

  /**
   * Once the extension host is idle: loads the parser and the knowledge base, parses the document and
   * analyses it, so the first hover only has to look up its target.
   */
  scheduleWarmUp(document: vscode.TextDocument): void {
    if (!isCDocument(document) || this.warmUpTimer) return;
    this.warmUpTimer = setImmediate(() => {
      this.warmUpTimer = undefined;
      if (document.isClosed) return;
      void this.parsed(document).then((parsed) => parsed?.engine.analyzer.explainAt(parsed.doc, 0, 0));
    });
  }

  /**
   * Analyses the document's remaining functions on idle turns, one bounded slice per turn, so a hover anywhere
   * finds its function ready. Stops when done, when the document closes, or when its version is no longer
   * cached; a newer version (the live document's) is picked up by the next slice.
   */
  private schedulePrepare(document: vscode.TextDocument): void {
    this.preparing = document;
    if (this.prepareTimer) return;
    const slice = (): void => {
      this.prepareTimer = undefined;
      const current = this.preparing;
      if (!current || current.isClosed || !this.engine) return;
      const doc = this.engine.cache.peek(current.uri.toString(), current.version);
      if (doc && !this.engine.analyzer.prepare(doc, PREPARE_SLICE_MS)) this.prepareTimer = setImmediate(slice);
    };
    this.prepareTimer = setImmediate(slice);
  }

  private applyChanges(e: vscode.TextDocumentChangeEvent): void {
    if (!this.engine || !isCDocument(e.document) || e.contentChanges.length === 0) return;
    const uri = e.document.uri.toString();
    try {
      this.engine.cache.update(uri, e.document.version, e.contentChanges);
      this.schedulePrepare(e.document);
    } catch {
      // Not cached (never hovered, or evicted): the next hover parses the document from scratch.
    }
  }

  dispose(): void {
    if (this.warmUpTimer) clearImmediate(this.warmUpTimer);
    if (this.prepareTimer) clearImmediate(this.prepareTimer);
    for (const s of this.subscriptions) s.dispose();
    this.engine?.cache.clear();
  }
}
